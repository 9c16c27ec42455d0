//! Objects as the API server returns them (`kubectl get -o yaml|json`): apiVersion, kind,
//! metadata, spec and status, with the defaults the API server fills in (imagePullPolicy,
//! dnsPolicy, strategy 25%/25%, ipFamilies, terminationMessagePath, …) and the `omitempty`
//! rules of the Go types (zero counts and empty maps left out where Go leaves them out).
//!
//! Values come from the typed model; fields the simulation does not track (container IDs, the
//! service account token volume's suffix) are derived deterministically from the object's uid.

use compact_str::ToCompactString;
use serde_json::{json, Map, Value};

use crate::api::Store;
use crate::model::*;
use crate::rng::{fnv32a, ALPHANUMS};
use crate::time::Epoch;

/// A Secret's `data`: each value base64-encoded, as `[]byte` marshals to JSON.
pub fn secret_data(d: &std::collections::BTreeMap<String, Vec<u8>>) -> Value {
    Value::Object(
        d.iter()
            .map(|(k, v)| (k.clone(), Value::String(crate::encoding::base64_encode(v))))
            .collect(),
    )
}

fn labels_value<'a>(l: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    Value::Object(l.into_iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect())
}

/// A short deterministic suffix from a uid (for names the simulation does not otherwise track).
fn suffix(uid: &str, salt: &str, n: usize) -> String {
    let alphabet = ALPHANUMS.as_bytes();
    let mut h = fnv32a(format!("{uid}{salt}").as_bytes());
    let mut s = String::new();
    for _ in 0..n {
        let i = (h % alphabet.len() as u32) as usize;
        s.push(alphabet.get(i).copied().unwrap_or(b'b') as char);
        h = fnv32a(&h.to_le_bytes());
    }
    s
}

/// 64 hex digits from a uid (container IDs).
pub(crate) fn hex64(uid: &str, salt: &str) -> String {
    let mut h = fnv32a(format!("{uid}{salt}").as_bytes());
    let mut s = String::new();
    for _ in 0..8 {
        h = fnv32a(&h.to_le_bytes());
        s.push_str(&format!("{h:08x}"));
    }
    s
}

/// What kubeadm and the kubelet annotate a minikube (docker driver) node with.
pub(crate) const NODE_ANNOTATIONS: [(&str, &str); 3] = [
    ("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/cri-dockerd.sock"),
    ("node.alpha.kubernetes.io/ttl", "0"),
    ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
];

fn metadata(obj: &Object, epoch: Epoch) -> Value {
    let m = obj.meta();
    let mut md = Map::new();
    let mut ann = m.annotations.as_ref().clone();
    match obj {
        Object::Deployment(d) => {
            ann.entry("deployment.kubernetes.io/revision".into()).or_insert_with(|| "1".into());
            let _ = d;
        }
        Object::Node(_) => {
            for (k, v) in NODE_ANNOTATIONS {
                ann.entry(k.to_compact_string()).or_insert_with(|| v.to_compact_string());
            }
        }
        Object::ReplicaSet(rs) if rs.meta.owner.is_some() => {
            ann.entry("deployment.kubernetes.io/desired-replicas".into())
                .or_insert_with(|| rs.replicas.to_compact_string());
            // maxSurge 25%, rounded up.
            let surge = (rs.replicas.max(0) + 3) / 4;
            ann.entry("deployment.kubernetes.io/max-replicas".into())
                .or_insert_with(|| (rs.replicas + surge).to_compact_string());
            ann.entry("deployment.kubernetes.io/revision".into()).or_insert_with(|| "1".into());
        }
        _ => {}
    }
    if !ann.is_empty() {
        md.insert("annotations".into(), labels_value(&ann));
    }
    md.insert("creationTimestamp".into(), Value::String(epoch.rfc3339(m.creation)));
    if let Some(d) = m.deletion {
        if let Object::Pod(p) = obj {
            md.insert("deletionGracePeriodSeconds".into(), json!(p.spec.termination_grace_period_seconds));
        }
        md.insert("deletionTimestamp".into(), Value::String(epoch.rfc3339(d)));
    }
    if let Some(o) = &m.owner {
        if matches!(obj, Object::Pod(_) | Object::EndpointSlice(_)) {
            md.insert("generateName".into(), Value::String(format!("{}-", o.name)));
        }
    }
    if matches!(obj, Object::Deployment(_) | Object::ReplicaSet(_) | Object::DaemonSet(_)) {
        md.insert("generation".into(), json!(m.generation.max(1)));
    }
    if !m.labels.is_empty() {
        md.insert("labels".into(), labels_value(m.labels.iter()));
    }
    md.insert("name".into(), Value::String(m.name.to_string()));
    if obj.kind().namespaced() {
        md.insert("namespace".into(), Value::String(m.namespace.to_string()));
    }
    // The Endpoints controller sets no owner reference (EndpointSlices have one).
    if let Some(o) = m.owner.as_ref().filter(|_| !matches!(obj, Object::Endpoints(_))) {
        md.insert(
            "ownerReferences".into(),
            json!([{
                "apiVersion": o.kind.api_version(),
                "blockOwnerDeletion": true,
                "controller": true,
                "kind": o.kind.name(),
                "name": o.name,
                "uid": o.uid,
            }]),
        );
    }
    md.insert("resourceVersion".into(), Value::String(m.resource_version.to_string()));
    md.insert("uid".into(), Value::String(m.uid.to_string()));
    Value::Object(md)
}

fn image_pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or(image);
    if image.contains('@') {
        return "IfNotPresent";
    }
    match last.split_once(':') {
        None => "Always",
        Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn container_value(c: &Container, token_volume: Option<&str>) -> Value {
    let mut m = Map::new();
    if !c.args.is_empty() {
        m.insert("args".into(), json!(c.args));
    }
    if !c.command.is_empty() {
        m.insert("command".into(), json!(c.command));
    }
    m.insert("image".into(), json!(c.image));
    m.insert("imagePullPolicy".into(), json!(image_pull_policy(&c.image)));
    m.insert("name".into(), json!(c.name));
    if !c.ports.is_empty() {
        let ports: Vec<Value> = c
            .ports
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                pm.insert("containerPort".into(), json!(p.container_port));
                if let Some(n) = &p.name {
                    pm.insert("name".into(), json!(n));
                }
                pm.insert("protocol".into(), json!(p.protocol.as_str()));
                Value::Object(pm)
            })
            .collect();
        m.insert("ports".into(), Value::Array(ports));
    }
    if let Some(d) = c.readiness_delay_seconds {
        m.insert(
            "readinessProbe".into(),
            json!({"failureThreshold": 3, "initialDelaySeconds": d, "periodSeconds": 10, "successThreshold": 1,
                   "tcpSocket": {"port": c.ports.first().map(|p| p.container_port).unwrap_or(80)}, "timeoutSeconds": 1}),
        );
    }
    m.insert("resources".into(), json!({}));
    if c.stdin {
        m.insert("stdin".into(), json!(true));
    }
    m.insert("terminationMessagePath".into(), json!("/dev/termination-log"));
    m.insert("terminationMessagePolicy".into(), json!("File"));
    if c.tty {
        m.insert("tty".into(), json!(true));
    }
    if let Some(v) = token_volume {
        m.insert(
            "volumeMounts".into(),
            json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": v, "readOnly": true}]),
        );
    }
    Value::Object(m)
}

/// A Pod spec with the API server's defaults. `token_volume` is the projected service account
/// volume (Pods only; templates do not have it).
fn pod_spec_value(s: &PodSpec, token_volume: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert(
        "containers".into(),
        Value::Array(s.containers.iter().map(|c| container_value(c, token_volume)).collect()),
    );
    if let Some(dc) = &s.dns_config {
        let mut d = Map::new();
        if !dc.nameservers.is_empty() {
            d.insert("nameservers".into(), json!(dc.nameservers));
        }
        if !dc.options.is_empty() {
            let opts: Vec<Value> = dc
                .options
                .iter()
                .map(|(n, v)| match v {
                    Some(v) => json!({"name": n, "value": v}),
                    None => json!({"name": n}),
                })
                .collect();
            d.insert("options".into(), Value::Array(opts));
        }
        if !dc.searches.is_empty() {
            d.insert("searches".into(), json!(dc.searches));
        }
        m.insert("dnsConfig".into(), Value::Object(d));
    }
    m.insert("dnsPolicy".into(), json!(s.dns_policy.as_str()));
    if token_volume.is_some() {
        m.insert("enableServiceLinks".into(), json!(true));
    }
    if s.host_network {
        m.insert("hostNetwork".into(), json!(true));
    }
    if let Some(h) = &s.hostname {
        m.insert("hostname".into(), json!(h));
    }
    if let Some(n) = &s.node_name {
        m.insert("nodeName".into(), json!(n));
    }
    if token_volume.is_some() {
        m.insert("preemptionPolicy".into(), json!("PreemptLowerPriority"));
        m.insert("priority".into(), json!(0));
    }
    m.insert("restartPolicy".into(), json!(s.restart_policy));
    m.insert("schedulerName".into(), json!("default-scheduler"));
    m.insert("securityContext".into(), json!({}));
    if token_volume.is_some() {
        m.insert("serviceAccount".into(), json!("default"));
        m.insert("serviceAccountName".into(), json!("default"));
    }
    if let Some(sd) = &s.subdomain {
        m.insert("subdomain".into(), json!(sd));
    }
    m.insert("terminationGracePeriodSeconds".into(), json!(s.termination_grace_period_seconds));
    if let Some(v) = token_volume {
        m.insert(
            "tolerations".into(),
            json!([
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
            ]),
        );
        m.insert(
            "volumes".into(),
            json!([{"name": v, "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}]),
        );
    }
    Value::Object(m)
}

fn template_value(t: &PodTemplate) -> Value {
    let mut md = Map::new();
    if !t.annotations.is_empty() {
        md.insert("annotations".into(), labels_value(&t.annotations));
    }
    md.insert("creationTimestamp".into(), Value::Null);
    if !t.labels.is_empty() {
        md.insert("labels".into(), labels_value(&t.labels));
    }
    json!({"metadata": Value::Object(md), "spec": pod_spec_value(&t.spec, None)})
}

fn selector_value(s: &LabelSelector) -> Value {
    let mut m = Map::new();
    if !s.match_expressions.is_empty() {
        let exprs: Vec<Value> = s
            .match_expressions
            .iter()
            .map(|r| {
                let op = match r.op {
                    SelectorOp::In | SelectorOp::Equals => "In",
                    SelectorOp::NotIn | SelectorOp::NotEquals => "NotIn",
                    SelectorOp::Exists => "Exists",
                    SelectorOp::DoesNotExist => "DoesNotExist",
                };
                let mut e = Map::new();
                e.insert("key".into(), json!(r.key));
                e.insert("operator".into(), json!(op));
                if !r.values.is_empty() {
                    e.insert("values".into(), json!(r.values));
                }
                Value::Object(e)
            })
            .collect();
        m.insert("matchExpressions".into(), Value::Array(exprs));
    }
    if !s.match_labels.is_empty() {
        m.insert("matchLabels".into(), labels_value(&s.match_labels));
    }
    Value::Object(m)
}

fn pod_status_value(p: &Pod, epoch: Epoch) -> Value {
    let st = &p.status;
    let mut m = Map::new();
    let created = epoch.rfc3339(p.meta.creation);
    let scheduled = p.spec.node_name.is_some();
    let running = st.phase == PodPhase::Running;
    let started = st.started.map(|t| epoch.rfc3339(t)).unwrap_or_else(|| created.clone());
    let cond = |t: &str, ok: bool, at: &str| -> Value {
        let mut c = Map::new();
        c.insert("lastProbeTime".into(), Value::Null);
        c.insert("lastTransitionTime".into(), json!(at));
        if !ok && (t == "Ready" || t == "ContainersReady") {
            c.insert(
                "message".into(),
                json!("containers with unready status: [".to_string() + &names(p) + "]"),
            );
            c.insert("reason".into(), json!("ContainersNotReady"));
        }
        c.insert("status".into(), json!(if ok { "True" } else { "False" }));
        c.insert("type".into(), json!(t));
        Value::Object(c)
    };
    if scheduled {
        let conds = vec![
            cond("PodReadyToStartContainers", running, &started),
            cond("Initialized", true, &created),
            cond("Ready", st.ready, &started),
            cond("ContainersReady", st.ready, &started),
            cond("PodScheduled", true, &created),
        ];
        m.insert("conditions".into(), Value::Array(conds));
        let statuses: Vec<Value> = p
            .spec
            .containers
            .iter()
            .map(|c| {
                let state = if running {
                    json!({"running": {"startedAt": started}})
                } else {
                    json!({"waiting": {"reason": st.waiting_reason.clone().unwrap_or_else(|| "ContainerCreating".into())}})
                };
                let mut cs = Map::new();
                if running {
                    cs.insert("containerID".into(), json!(container_id(&p.meta.uid, &c.name)));
                }
                cs.insert("image".into(), json!(c.image));
                cs.insert("imageID".into(), json!(if running { image_id(&c.image) } else { String::new() }));
                cs.insert("lastState".into(), json!({}));
                cs.insert("name".into(), json!(c.name));
                cs.insert("ready".into(), json!(st.ready));
                cs.insert("restartCount".into(), json!(st.restarts));
                cs.insert("started".into(), json!(running));
                cs.insert("state".into(), state);
                Value::Object(cs)
            })
            .collect();
        m.insert("containerStatuses".into(), Value::Array(statuses));
    } else {
        m.insert("conditions".into(), json!([]));
    }
    if let Some(h) = st.host_ip {
        m.insert("hostIP".into(), json!(h.to_string()));
        m.insert("hostIPs".into(), json!([{"ip": h.to_string()}]));
    }
    m.insert("phase".into(), json!(st.phase.as_str()));
    if let Some(ip) = st.pod_ip {
        m.insert("podIP".into(), json!(ip.to_string()));
        m.insert("podIPs".into(), json!([{"ip": ip.to_string()}]));
    }
    m.insert("qosClass".into(), json!("BestEffort"));
    if scheduled {
        m.insert("startTime".into(), json!(created));
    }
    Value::Object(m)
}

fn names(p: &Pod) -> String {
    p.spec.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(" ")
}

fn service_spec_value(s: &Service) -> Value {
    let sp = &s.spec;
    let mut m = Map::new();
    if sp.type_ == ServiceType::LoadBalancer {
        m.insert("allocateLoadBalancerNodePorts".into(), json!(true));
    }
    match &sp.cluster_ip {
        ClusterIp::Ip(ip) => {
            m.insert("clusterIP".into(), json!(ip.to_string()));
            m.insert("clusterIPs".into(), json!([ip.to_string()]));
        }
        ClusterIp::None => {
            m.insert("clusterIP".into(), json!("None"));
            m.insert("clusterIPs".into(), json!(["None"]));
        }
        ClusterIp::Unset => {}
    }
    if !sp.external_ips.is_empty() {
        let ips: Vec<String> = sp.external_ips.iter().map(|i| i.to_string()).collect();
        m.insert("externalIPs".into(), json!(ips));
    }
    if let Some(en) = &sp.external_name {
        m.insert("externalName".into(), json!(en));
    }
    if matches!(sp.type_, ServiceType::NodePort | ServiceType::LoadBalancer) {
        m.insert("externalTrafficPolicy".into(), json!(sp.external_traffic_policy.as_str()));
    }
    if sp.type_ != ServiceType::ExternalName {
        m.insert("internalTrafficPolicy".into(), json!(sp.internal_traffic_policy.as_str()));
        m.insert("ipFamilies".into(), json!(["IPv4"]));
        m.insert("ipFamilyPolicy".into(), json!("SingleStack"));
    }
    if !sp.ports.is_empty() {
        let ports: Vec<Value> = sp
            .ports
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                if let Some(n) = &p.name {
                    pm.insert("name".into(), json!(n));
                }
                if let Some(np) = p.node_port {
                    pm.insert("nodePort".into(), json!(np));
                }
                pm.insert("port".into(), json!(p.port));
                pm.insert("protocol".into(), json!(p.protocol.as_str()));
                pm.insert(
                    "targetPort".into(),
                    match &p.target_port {
                        IntOrString::Int(i) => json!(i),
                        IntOrString::Str(s) => json!(s),
                    },
                );
                Value::Object(pm)
            })
            .collect();
        m.insert("ports".into(), Value::Array(ports));
    }
    if sp.publish_not_ready_addresses {
        m.insert("publishNotReadyAddresses".into(), json!(true));
    }
    if let Some(sel) = &sp.selector {
        m.insert("selector".into(), labels_value(sel));
    }
    m.insert(
        "sessionAffinity".into(),
        json!(match sp.session_affinity {
            SessionAffinity::None => "None",
            SessionAffinity::ClientIP => "ClientIP",
        }),
    );
    if sp.session_affinity == SessionAffinity::ClientIP {
        m.insert(
            "sessionAffinityConfig".into(),
            json!({"clientIP": {"timeoutSeconds": sp.affinity_timeout_seconds}}),
        );
    }
    m.insert("type".into(), json!(sp.type_.as_str()));
    Value::Object(m)
}

fn target_ref(store: &Store, ns: &str, pod: &str) -> Value {
    let mut t = Map::new();
    t.insert("kind".into(), json!("Pod"));
    t.insert("name".into(), json!(pod));
    t.insert("namespace".into(), json!(ns));
    if let Some(p) = store.pod(ns, pod) {
        t.insert("uid".into(), json!(p.meta.uid));
    }
    Value::Object(t)
}

fn endpoint_ports(ports: &[EndpointPort], slice: bool) -> Value {
    Value::Array(
        ports
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                match (&p.name, slice) {
                    (Some(n), _) => {
                        pm.insert("name".into(), json!(n));
                    }
                    (None, true) => {
                        pm.insert("name".into(), json!(""));
                    }
                    (None, false) => {}
                }
                pm.insert("port".into(), json!(p.port));
                pm.insert("protocol".into(), json!(p.protocol.as_str()));
                Value::Object(pm)
            })
            .collect(),
    )
}

/// The object as `GET` returns it.
pub fn to_value(obj: &Object, store: &Store) -> Value {
    let kind = obj.kind();
    let mut m = Map::new();
    m.insert("apiVersion".into(), json!(kind.api_version()));
    m.insert("kind".into(), json!(kind.name()));
    m.insert("metadata".into(), metadata(obj, store.epoch()));
    match obj {
        Object::Namespace(n) => {
            m.insert("spec".into(), json!({"finalizers": ["kubernetes"]}));
            let phase = if n.meta.deletion.is_some() { "Terminating" } else { "Active" };
            m.insert("status".into(), json!({"phase": phase}));
        }
        Object::Node(n) => {
            let spec = match n.pod_cidr_string() {
                Some(cidr) => json!({"podCIDR": cidr, "podCIDRs": [cidr]}),
                None => json!({"taints": [
                    {"effect": "NoSchedule", "key": crate::model::TAINT_NOT_READY},
                    {"effect": "NoExecute", "key": crate::model::TAINT_NOT_READY},
                ]}),
            };
            m.insert("spec".into(), spec);
            m.insert(
                "status".into(),
                json!({
                    "addresses": [{"address": n.internal_ip.to_string(), "type": "InternalIP"},
                                  {"address": n.meta.name, "type": "Hostname"}],
                    "allocatable": {"cpu": "8", "ephemeral-storage": "1055762868Ki", "hugepages-1Gi": "0",
                                    "hugepages-2Mi": "0", "memory": "32859548Ki", "pods": crate::model::MAX_PODS_PER_NODE.to_string()},
                    "capacity": {"cpu": "8", "ephemeral-storage": "1055762868Ki", "hugepages-1Gi": "0",
                                 "hugepages-2Mi": "0", "memory": "32859548Ki", "pods": crate::model::MAX_PODS_PER_NODE.to_string()},
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                    "nodeInfo": {"architecture": "amd64", "bootID": hex64(&n.meta.uid, "boot")[..32],
                                 "containerRuntimeVersion": n.system.container_runtime, "kernelVersion": n.system.kernel_version,
                                 "kubeProxyVersion": "", "kubeletVersion": n.system.kubelet_version,
                                 "machineID": hex64(&n.meta.uid, "machine")[..32], "operatingSystem": "linux",
                                 "osImage": n.system.os_image, "systemUUID": n.meta.uid}
                }),
            );
        }
        Object::ConfigMap(c) => {
            if !c.data.is_empty() {
                m.insert("data".into(), labels_value(c.data.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
            }
        }
        Object::Secret(s) => {
            if !s.data.is_empty() {
                m.insert("data".into(), secret_data(&s.data));
            }
            if !s.type_.is_empty() {
                m.insert("type".into(), Value::String(s.type_.clone()));
            }
        }
        Object::Pod(p) => {
            let vol = format!("kube-api-access-{}", suffix(&p.meta.uid, "token", 5));
            m.insert("spec".into(), pod_spec_value(&p.spec, Some(&vol)));
            m.insert("status".into(), pod_status_value(p, store.epoch()));
        }
        Object::Deployment(d) => {
            m.insert(
                "spec".into(),
                json!({
                    "progressDeadlineSeconds": 600,
                    "replicas": d.replicas,
                    "revisionHistoryLimit": 10,
                    "selector": selector_value(&d.selector),
                    "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
                    "template": template_value(&d.template),
                }),
            );
            let mut st = Map::new();
            if d.status.available > 0 {
                st.insert("availableReplicas".into(), json!(d.status.available));
            }
            st.insert("observedGeneration".into(), json!(d.meta.generation.max(1)));
            if d.status.ready > 0 {
                st.insert("readyReplicas".into(), json!(d.status.ready));
            }
            if d.status.replicas > 0 {
                st.insert("replicas".into(), json!(d.status.replicas));
            }
            if d.status.updated > 0 {
                st.insert("updatedReplicas".into(), json!(d.status.updated));
            }
            m.insert("status".into(), Value::Object(st));
        }
        Object::ReplicaSet(rs) => {
            m.insert(
                "spec".into(),
                json!({"replicas": rs.replicas, "selector": selector_value(&rs.selector), "template": template_value(&rs.template)}),
            );
            let mut st = Map::new();
            if rs.status.available > 0 {
                st.insert("availableReplicas".into(), json!(rs.status.available));
            }
            if rs.status.replicas > 0 {
                st.insert("fullyLabeledReplicas".into(), json!(rs.status.replicas));
            }
            st.insert("observedGeneration".into(), json!(rs.meta.generation.max(1)));
            if rs.status.ready > 0 {
                st.insert("readyReplicas".into(), json!(rs.status.ready));
            }
            st.insert("replicas".into(), json!(rs.status.replicas));
            m.insert("status".into(), Value::Object(st));
        }
        Object::DaemonSet(ds) => {
            m.insert(
                "spec".into(),
                json!({"revisionHistoryLimit": 10, "selector": selector_value(&ds.selector), "template": template_value(&ds.template),
                       "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}}),
            );
            let s = &ds.status;
            m.insert(
                "status".into(),
                json!({"currentNumberScheduled": s.replicas, "desiredNumberScheduled": s.replicas, "numberAvailable": s.available,
                       "numberMisscheduled": 0, "numberReady": s.ready, "observedGeneration": ds.meta.generation.max(1),
                       "updatedNumberScheduled": s.updated}),
            );
        }
        Object::Service(s) => {
            m.insert("spec".into(), service_spec_value(s));
            let lb = if s.load_balancer_ips.is_empty() {
                json!({})
            } else {
                let ing: Vec<Value> = s
                    .load_balancer_ips
                    .iter()
                    .map(|i| json!({"ip": i.to_string(), "ipMode": "VIP"}))
                    .collect();
                json!({"ingress": ing})
            };
            m.insert("status".into(), json!({"loadBalancer": lb}));
        }
        Object::Endpoints(e) => {
            let ns = &e.meta.namespace;
            let addr = |a: &EndpointAddress| -> Value {
                let mut am = Map::new();
                if let Some(h) = &a.hostname {
                    am.insert("hostname".into(), json!(h));
                }
                am.insert("ip".into(), json!(a.ip.to_string()));
                if let Some(n) = &a.node_name {
                    am.insert("nodeName".into(), json!(n));
                }
                if let Some(t) = &a.target {
                    am.insert("targetRef".into(), target_ref(store, ns, t));
                }
                Value::Object(am)
            };
            if !e.subsets.is_empty() {
                let subsets: Vec<Value> = e
                    .subsets
                    .iter()
                    .map(|ss| {
                        let mut sm = Map::new();
                        if !ss.addresses.is_empty() {
                            sm.insert("addresses".into(), Value::Array(ss.addresses.iter().map(addr).collect()));
                        }
                        if !ss.not_ready_addresses.is_empty() {
                            sm.insert(
                                "notReadyAddresses".into(),
                                Value::Array(ss.not_ready_addresses.iter().map(addr).collect()),
                            );
                        }
                        if !ss.ports.is_empty() {
                            sm.insert("ports".into(), endpoint_ports(&ss.ports, false));
                        }
                        Value::Object(sm)
                    })
                    .collect();
                m.insert("subsets".into(), Value::Array(subsets));
            }
        }
        Object::EndpointSlice(s) => {
            m.insert("addressType".into(), json!(s.address_type.as_str()));
            let ns = &s.meta.namespace;
            let eps: Vec<Value> = s
                .endpoints
                .iter()
                .map(|e| {
                    let mut em = Map::new();
                    let addrs: Vec<String> = e.addresses.iter().map(|a| a.to_string()).collect();
                    em.insert("addresses".into(), json!(addrs));
                    let mut cond = Map::new();
                    let c = e.conditions;
                    for (k, v) in [("ready", c.ready), ("serving", c.serving), ("terminating", c.terminating)] {
                        if let Some(v) = v {
                            cond.insert(k.into(), json!(v));
                        }
                    }
                    em.insert("conditions".into(), Value::Object(cond));
                    if let Some(h) = &e.hostname {
                        em.insert("hostname".into(), json!(h));
                    }
                    if let Some(n) = &e.node_name {
                        em.insert("nodeName".into(), json!(n));
                    }
                    if let Some(t) = &e.target {
                        em.insert("targetRef".into(), target_ref(store, ns, t));
                    }
                    if let Some(z) = &e.zone {
                        em.insert("zone".into(), json!(z));
                    }
                    Value::Object(em)
                })
                .collect();
            m.insert("endpoints".into(), if eps.is_empty() { Value::Null } else { Value::Array(eps) });
            if !s.ports.is_empty() {
                m.insert("ports".into(), endpoint_ports(&s.ports, true));
            }
        }
    }
    m.retain(|_, v| !v.is_null());
    Value::Object(m)
}

/// `kubectl get` of several objects (or of a kind without names): a `List`.
pub fn list_value(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// `status.containerStatuses[].containerID` of a running container.
pub fn container_id(pod_uid: &str, container: &str) -> String {
    format!("docker://{}", hex64(pod_uid, container))
}

/// `status.containerStatuses[].imageID` as the docker runtime reports it.
pub fn image_id(image: &str) -> String {
    format!("docker-pullable://{image}@sha256:{}", hex64(image, "digest"))
}

/// The projected service account token volume of a Pod.
pub fn token_volume_name(uid: &str) -> String {
    format!("kube-api-access-{}", suffix(uid, "token", 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_defaults() {
        assert_eq!(image_pull_policy("ubuntu"), "Always");
        assert_eq!(image_pull_policy("nginx:latest"), "Always");
        assert_eq!(image_pull_policy("nigelpoulton/k8sbook:text-dev"), "IfNotPresent");
        assert_eq!(image_pull_policy("localhost:5000/app"), "Always");
    }

    #[test]
    fn suffix_is_stable() {
        assert_eq!(token_volume_name("u1"), token_volume_name("u1"));
    }
}
