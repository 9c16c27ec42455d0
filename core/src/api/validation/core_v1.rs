//! `k8s.io/kubernetes/pkg/apis/core/validation` (v1.31) for the core kinds sdplay models:
//! Namespace (`ValidateNamespace`), Pod (`ValidatePodCreate` and the `ValidatePodSpec` fields
//! the simulation uses), Service (`ValidateService`), Endpoints (`ValidateEndpointsCreate`),
//! ConfigMap (`ValidateConfigMap`).

use super::meta::*;
use super::names::*;
use super::*;

/// `ValidateNamespace`: its ObjectMeta with `ValidateNamespaceName` (a DNS label).
pub(super) fn validate_namespace(n: &Namespace, errs: &mut Vec<FieldError>) {
    validate_object_meta(&n.meta, Kind::Namespace, errs);
}

/// `ValidatePodCreate` → `validatePodMetadataAndSpec`: ObjectMeta, the spec, then the checks
/// only Pods get (`validateContainersOnlyForPod`).
pub(super) fn validate_pod(p: &Pod, errs: &mut Vec<FieldError>) {
    validate_object_meta(&p.meta, Kind::Pod, errs);
    validate_pod_spec(&p.spec, "spec", &p.meta.written, errs);
    for (i, c) in p.spec.containers.iter().enumerate() {
        // validateContainerOnlyForPod
        if c.image.len() != c.image.trim().len() {
            errs.push(invalid(
                format!("spec.containers[{i}].image"),
                quote(&c.image),
                "must not have leading or trailing whitespace",
            ));
        }
    }
}

/// `ValidatePodTemplateSpec`: the template's labels and annotations (reported at
/// `<path>.labels`, not `.metadata.labels`, as upstream), then its spec.
pub(super) fn validate_pod_template(t: &PodTemplate, path: &str, written: &Written, errs: &mut Vec<FieldError>) {
    validate_labels(&t.labels, &format!("{path}.labels"), errs);
    validate_annotations(&t.annotations, &format!("{path}.annotations"), errs);
    validate_pod_spec(&t.spec, &format!("{path}.spec"), written, errs);
}

/// `validRestartPolicies` in `validateRestartPolicy`'s order.
const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
/// `validateDNSPolicy`'s list, in its order.
const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
/// `MaxDNSNameservers`, `MaxDNSSearchPaths`, `MaxDNSSearchListChars`.
const MAX_DNS_NAMESERVERS: usize = 3;
const MAX_DNS_SEARCH_PATHS: usize = 32;
const MAX_DNS_SEARCH_LIST_CHARS: usize = 2048;

/// `ValidatePodSpec`, for the fields sdplay models, in its order: containers
/// (`validateContainers`), `restartPolicy`, `dnsPolicy`, `dnsConfig`, `nodeName`, `hostname`,
/// `subdomain`.
pub(super) fn validate_pod_spec(spec: &PodSpec, path: &str, written: &Written, errs: &mut Vec<FieldError>) {
    validate_containers(&spec.containers, &format!("{path}.containers"), written, errs);
    // validateRestartPolicy (an empty one was defaulted to Always).
    if !RESTART_POLICIES.contains(&spec.restart_policy.as_str()) {
        errs.push(not_supported(
            format!("{path}.restartPolicy"),
            &spec.restart_policy,
            RESTART_POLICIES,
        ));
    }
    // validateDNSPolicy
    let dns_policy_path = format!("{path}.dnsPolicy");
    if let Some(v) = written.get(&dns_policy_path) {
        errs.push(not_supported(dns_policy_path.as_str(), v, DNS_POLICIES));
    }
    validate_dns_config(spec, &format!("{path}.dnsConfig"), errs);
    // ValidateNodeName is NameIsDNSSubdomain.
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        each_invalid(errs, &format!("{path}.nodeName"), n, is_dns1123_subdomain(n));
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            each_invalid(errs, &format!("{path}.{field}"), v, is_dns1123_label(v));
        }
    }
}

/// `validatePodDNSConfig`: `dnsPolicy: None` needs nameservers; at most 3 nameservers, each an
/// IP; at most 32 search domains and 2048 characters, each a subdomain (a trailing dot is
/// fine); option names non-empty.
fn validate_dns_config(spec: &PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    if spec.dns_policy == DnsPolicy::None {
        match &spec.dns_config {
            None => {
                errs.push(required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }
            Some(c) if c.nameservers.is_empty() => {
                errs.push(required(
                    format!("{path}.nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                ));
                return;
            }
            Some(_) => {}
        }
    }
    let Some(c) = &spec.dns_config else { return };
    if c.nameservers.len() > MAX_DNS_NAMESERVERS {
        errs.push(invalid(
            format!("{path}.nameservers"),
            go_strings(&c.nameservers),
            format!("must not have more than {MAX_DNS_NAMESERVERS} nameservers"),
        ));
    }
    for (i, ns) in c.nameservers.iter().enumerate() {
        if parse_ip_sloppy(ns).is_none() {
            errs.push(invalid(format!("{path}.nameservers[{i}]"), quote(ns), INVALID_IP));
        }
    }
    if c.searches.len() > MAX_DNS_SEARCH_PATHS {
        errs.push(invalid(
            format!("{path}.searches"),
            go_strings(&c.searches),
            format!("must not have more than {MAX_DNS_SEARCH_PATHS} search paths"),
        ));
    }
    if c.searches.join(" ").len() > MAX_DNS_SEARCH_LIST_CHARS {
        errs.push(invalid(
            format!("{path}.searches"),
            go_strings(&c.searches),
            format!("must not have more than {MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list"),
        ));
    }
    for (i, s) in c.searches.iter().enumerate() {
        let s = s.strip_suffix('.').unwrap_or(s);
        each_invalid(errs, &format!("{path}.searches[{i}]"), s, is_dns1123_subdomain(s));
    }
    for (i, (name, _)) in c.options.iter().enumerate() {
        if name.is_empty() {
            errs.push(required(format!("{path}.options[{i}]"), "must not be empty"));
        }
    }
}

/// `validateContainers`: none is `Required`; each container's common checks
/// (`validateContainerCommon`: name, image, ports), then its name's uniqueness.
fn validate_containers(containers: &[Container], path: &str, written: &Written, errs: &mut Vec<FieldError>) {
    if containers.is_empty() {
        errs.push(required(path, ""));
        return;
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if c.name.is_empty() {
            errs.push(required(format!("{p}.name"), ""));
        } else {
            each_invalid(errs, &format!("{p}.name"), &c.name, is_dns1123_label(&c.name));
        }
        if c.image.is_empty() {
            errs.push(required(format!("{p}.image"), ""));
        }
        validate_container_ports(&c.ports, &format!("{p}.ports"), written, errs);
        if names.contains(&c.name.as_str()) {
            errs.push(duplicate(format!("{p}.name"), quote(&c.name)));
        } else {
            names.push(&c.name);
        }
    }
}

/// `validateContainerPorts`: a name is an IANA service name, unique in the container; the
/// port is `Required` when 0, else in range; the protocol one of SCTP, TCP, UDP.
fn validate_container_ports(ports: &[ContainerPort], path: &str, written: &Written, errs: &mut Vec<FieldError>) {
    let mut names: Vec<&str> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if let Some(n) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = is_valid_port_name(n);
            if !msgs.is_empty() {
                each_invalid(errs, &format!("{p}.name"), n, msgs);
            } else if names.contains(&n) {
                errs.push(duplicate(format!("{p}.name"), quote(n)));
            } else {
                names.push(n);
            }
        }
        if port.container_port == 0 {
            errs.push(required(format!("{p}.containerPort"), ""));
        } else {
            for m in is_valid_port_num(port.container_port) {
                errs.push(invalid(format!("{p}.containerPort"), port.container_port.to_string(), m));
            }
        }
        validate_protocol(written, &format!("{p}.protocol"), errs);
    }
}

/// `sets.List(supportedSessionAffinityType)`, `supportedServiceType`, traffic policies.
const SESSION_AFFINITIES: &[&str] = &["ClientIP", "None"];
const SERVICE_TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];

/// `ValidateService`, in its order: ObjectMeta (a DNS-1035 name), ports required, the
/// type-specific checks, each port (`validateServicePort`), the selector's labels, session
/// affinity, the ClusterIP (`ValidateServiceClusterIPsRelatedFields`), external IPs, the type,
/// nodePorts on a ClusterIP Service, duplicate nodePorts, duplicate ports, the traffic policies.
/// NodePort ranges and taken addresses are the allocators' (registration step 3).
pub(super) fn validate_service(s: &Service, errs: &mut Vec<FieldError>) {
    let spec = &s.spec;
    let w = &s.meta.written;
    // The allocator's "loose pre-validation" (`initIPFamilyFields` runs
    // ValidateServiceClusterIPsRelatedFields in BeginCreate, before the strategy validates):
    // a clusterIP that is not an IP is the whole answer.
    if let Some(v) = w.get("spec.clusterIP").filter(|_| spec.type_ != ServiceType::ExternalName) {
        errs.push(invalid("spec.clusterIPs[0]", quote(v), INVALID_IP));
        return;
    }
    validate_object_meta(&s.meta, Kind::Service, errs);
    let headless = s.is_headless();
    if spec.ports.is_empty() && !headless && spec.type_ != ServiceType::ExternalName {
        errs.push(required("spec.ports", ""));
    }
    match spec.type_ {
        _ if w.get("spec.type").is_some() => {}
        ServiceType::LoadBalancer | ServiceType::NodePort if headless => errs.push(invalid(
            "spec.clusterIPs[0]",
            quote("None"),
            format!("may not be set to 'None' for {} services", spec.type_.as_str()),
        )),
        ServiceType::ExternalName => {
            if spec.cluster_ip != ClusterIp::Unset || w.get("spec.clusterIP").is_some() {
                errs.push(forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            // The CNAME may end in a dot (fully qualified).
            let cname = spec.external_name.as_deref().unwrap_or("");
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                errs.push(required("spec.externalName", ""));
            } else {
                each_invalid(errs, "spec.externalName", cname, is_dns1123_subdomain(cname));
            }
        }
        _ => {}
    }
    let multi = spec.ports.len() > 1;
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        match p.name.as_deref().unwrap_or("") {
            "" if multi => errs.push(required(format!("{path}.name"), "")),
            "" => {}
            n => {
                each_invalid(errs, &format!("{path}.name"), n, is_dns1123_label(n));
                if names.contains(&n) {
                    errs.push(duplicate(format!("{path}.name"), quote(n)));
                } else {
                    names.push(n);
                }
            }
        }
        for m in is_valid_port_num(p.port) {
            errs.push(invalid(format!("{path}.port"), p.port.to_string(), m));
        }
        validate_protocol(w, &format!("{path}.protocol"), errs);
        // ValidatePortNumOrName
        match &p.target_port {
            IntOrString::Int(t) => {
                for m in is_valid_port_num(*t) {
                    errs.push(invalid(format!("{path}.targetPort"), t.to_string(), m));
                }
            }
            IntOrString::Str(n) => each_invalid(errs, &format!("{path}.targetPort"), n, is_valid_port_name(n)),
        }
    }
    if let Some(sel) = &spec.selector {
        validate_labels(sel, "spec.selector", errs);
    }
    if let Some(v) = w.get("spec.sessionAffinity") {
        errs.push(not_supported("spec.sessionAffinity", v, SESSION_AFFINITIES));
    } else if spec.session_affinity == SessionAffinity::ClientIP && !(1..=86400).contains(&spec.affinity_timeout_seconds) {
        // validateClientIPAffinityConfig (a missing config was defaulted to 10800 s).
        errs.push(invalid(
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            spec.affinity_timeout_seconds.to_string(),
            "must be greater than 0 and less than 86400",
        ));
    }
    // ValidateServiceClusterIPsRelatedFields comes here; what it could find in sdplay's
    // single-stack model (a clusterIP that is not an IP) was answered above.
    validate_ip_list(w, "spec.externalIPs", &spec.external_ips, errs);
    if let Some(v) = w.get("spec.type") {
        errs.push(not_supported("spec.type", v, SERVICE_TYPES));
    }
    if spec.type_ == ServiceType::ClusterIP && w.get("spec.type").is_none() {
        for (i, p) in spec.ports.iter().enumerate() {
            if p.node_port.is_some_and(|n| n != 0) {
                errs.push(forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    // Duplicate nodePorts, then duplicate (protocol, port) pairs, reported with the key
    // struct Go builds (only those two fields set).
    let mut seen_node_ports: Vec<(i64, Protocol)> = Vec::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let Some(np) = p.node_port.filter(|n| *n != 0) else { continue };
        if seen_node_ports.contains(&(np, p.protocol)) {
            errs.push(duplicate(format!("spec.ports[{i}].nodePort"), np.to_string()));
        }
        seen_node_ports.push((np, p.protocol));
    }
    let mut seen_ports: Vec<(i64, Protocol)> = Vec::new();
    for (i, p) in spec.ports.iter().enumerate() {
        if seen_ports.contains(&(p.port, p.protocol)) {
            errs.push(duplicate(format!("spec.ports[{i}]"), format!("core.ServicePort{{Name:\"\", Protocol:{:?}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}", p.protocol.as_str(), p.port)));
        }
        seen_ports.push((p.port, p.protocol));
    }
    // validateServiceExternalTrafficPolicy: only externally-accessible Services (NodePort,
    // LoadBalancer, or ClusterIP with external IPs) may set it. Cluster, the default, cannot
    // be told from unset here, so only Local (or an unsupported value) is caught.
    let externally_accessible = w.get("spec.type").is_none()
        && (matches!(spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer)
            || (spec.type_ == ServiceType::ClusterIP && !spec.external_ips.is_empty()));
    let etp = w
        .get("spec.externalTrafficPolicy")
        .map(str::to_string)
        .or_else(|| (spec.external_traffic_policy == TrafficPolicy::Local).then(|| "Local".to_string()));
    match etp {
        Some(v) if !externally_accessible => errs.push(invalid(
            "spec.externalTrafficPolicy",
            quote(&v),
            "may only be set for externally-accessible services",
        )),
        _ => {
            if let Some(v) = w.get("spec.externalTrafficPolicy") {
                errs.push(not_supported("spec.externalTrafficPolicy", v, TRAFFIC_POLICIES));
            }
        }
    }
    // validateServiceInternalTrafficFieldsValue
    if let Some(v) = w.get("spec.internalTrafficPolicy") {
        errs.push(not_supported("spec.internalTrafficPolicy", v, TRAFFIC_POLICIES));
    }
}

/// A list of IPs (`spec.externalIPs`, an endpoint's addresses): each `IsValidIP`, and if it
/// is, `ValidateNonSpecialIP`. The decoder keeps the whole list as written when one entry
/// does not parse, so indices are the manifest's.
fn validate_ip_list(w: &Written, path: &str, parsed: &[std::net::Ipv4Addr], errs: &mut Vec<FieldError>) {
    let texts: Vec<String> = if w.get(&format!("{path}[0]")).is_some() {
        (0..).map_while(|i| w.get(&format!("{path}[{i}]")).map(str::to_string)).collect()
    } else {
        parsed.iter().map(|ip| ip.to_string()).collect()
    };
    for (i, t) in texts.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match parse_ip_sloppy(t) {
            None => errs.push(invalid(p, quote(t), INVALID_IP)),
            Some(ip) => each_invalid(errs, &p, t, special_ip_problems(t, ip)),
        }
    }
}

/// `ValidateEndpointsCreate` → `validateEndpointSubsets`: each subset needs an address; each
/// address (`validateEndpointAddress`: IP, hostname, nodeName, then `ValidateNonSpecialIP`,
/// which repeats an invalid IP in its own words); each port (`validateEndpointPort`).
pub(super) fn validate_endpoints(e: &Endpoints, errs: &mut Vec<FieldError>) {
    let w = &e.meta.written;
    validate_object_meta(&e.meta, Kind::Endpoints, errs);
    for (i, ss) in e.subsets.iter().enumerate() {
        let sp = format!("subsets[{i}]");
        if ss.addresses.is_empty() && ss.not_ready_addresses.is_empty() {
            errs.push(required(sp.as_str(), "must specify `addresses` or `notReadyAddresses`"));
        }
        for (field, list) in [("addresses", &ss.addresses), ("notReadyAddresses", &ss.not_ready_addresses)] {
            for (j, a) in list.iter().enumerate() {
                let ap = format!("{sp}.{field}[{j}]");
                let ip_path = format!("{ap}.ip");
                let text = w.get(&ip_path).map(str::to_string).unwrap_or_else(|| a.ip.to_string());
                let ip = parse_ip_sloppy(&text);
                if ip.is_none() {
                    errs.push(invalid(ip_path.as_str(), quote(&text), INVALID_IP));
                }
                if let Some(h) = a.hostname.as_deref().filter(|h| !h.is_empty()) {
                    each_invalid(errs, &format!("{ap}.hostname"), h, is_dns1123_label(h));
                }
                if let Some(n) = &a.node_name {
                    each_invalid(errs, &format!("{ap}.nodeName"), n, is_dns1123_subdomain(n));
                }
                match ip {
                    None => errs.push(invalid(ip_path.as_str(), quote(&text), "must be a valid IP address")),
                    Some(ip) => each_invalid(errs, &ip_path, &text, special_ip_problems(&text, ip)),
                }
            }
        }
        let multi = ss.ports.len() > 1;
        for (j, port) in ss.ports.iter().enumerate() {
            let pp = format!("{sp}.ports[{j}]");
            match port.name.as_deref().unwrap_or("") {
                "" if multi => errs.push(required(format!("{pp}.name"), "")),
                "" => {}
                n => each_invalid(errs, &format!("{pp}.name"), n, is_dns1123_label(n)),
            }
            for m in is_valid_port_num(port.port) {
                errs.push(invalid(format!("{pp}.port"), port.port.to_string(), m));
            }
            validate_protocol(w, &format!("{pp}.protocol"), errs);
        }
    }
}

/// `core.MaxSecretSize`: a ConfigMap's data may total 1 MiB.
const MAX_CONFIG_MAP_SIZE: usize = 1024 * 1024;

/// `ValidateConfigMap`: each data key `IsConfigMapKey` (at `data[<key>]`), and the values'
/// total size at most 1 MiB (`field.TooLong` at the empty path: the whole object).
/// `ValidateSecret` (pkg/apis/core/validation/validation.go): the keys are config keys, the
/// values together at most `MaxSecretSize` (1 MiB). (The per-type rules — a
/// `kubernetes.io/basic-auth` Secret's username or password, … — are not simulated.)
pub(super) fn validate_secret(s: &Secret, errs: &mut Vec<FieldError>) {
    validate_object_meta(&s.meta, Kind::Secret, errs);
    let mut total = 0;
    for (k, v) in &s.data {
        each_invalid(errs, &format!("data[{k}]"), k, is_config_map_key(k));
        total += v.len();
    }
    if total > MAX_CONFIG_MAP_SIZE {
        errs.push(too_long("data", MAX_CONFIG_MAP_SIZE));
    }
}

pub(super) fn validate_config_map(c: &ConfigMap, errs: &mut Vec<FieldError>) {
    validate_object_meta(&c.meta, Kind::ConfigMap, errs);
    let mut total = 0;
    for (k, v) in &c.data {
        each_invalid(errs, &format!("data[{k}]"), k, is_config_map_key(k));
        total += v.len();
    }
    if total > MAX_CONFIG_MAP_SIZE {
        errs.push(too_long("", MAX_CONFIG_MAP_SIZE));
    }
}
