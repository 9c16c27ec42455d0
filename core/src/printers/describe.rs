//! `kubectl describe` for Services, Endpoints, EndpointSlices, Deployments, ReplicaSets, Pods
//! and Nodes, following `kubectl/pkg/describe/describe.go` line for line: the same labels, the
//! same `PrefixWriter` levels (two spaces each), and Go's `text/tabwriter` as `tabbedString`
//! configures it (`minwidth 0, tabwidth 8, padding 2, ' '`), including its column blocks:
//! consecutive lines that have a cell in column i are aligned together, a line without it ends
//! the block. `DescribeEvents` flushes the writer, so the Events table aligns on its own.

use crate::api::Store;
use crate::model::*;
use crate::time::{Epoch, SimTime};
use compact_str::ToCompactString;

/// Go `text/tabwriter` with `padding` and minwidth 0, no flags, over `text` (cells end in `\t`).
pub fn tabwrite(text: &str, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches('\n').split('\t').collect())
        .collect();
    let ends_nl: Vec<bool> = text.split_inclusive('\n').map(|l| l.ends_with('\n')).collect();
    let mut widths: Vec<usize> = Vec::new();
    let mut out = String::new();
    format(&lines, &ends_nl, 0, lines.len(), &mut widths, padding, &mut out);
    out
}

fn format(lines: &[Vec<&str>], nl: &[bool], line0: usize, line1: usize, widths: &mut Vec<usize>, pad: usize, out: &mut String) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines.get(this).map_or(0, Vec::len) {
            this += 1;
            continue;
        }
        write_lines(lines, nl, line0, this, widths, out);
        line0 = this;
        let mut width = 0;
        while this < line1 {
            let Some(line) = lines.get(this) else { break };
            if column + 1 >= line.len() {
                break;
            }
            let w = line.get(column).map_or(0, |c| c.chars().count()) + pad;
            width = width.max(w);
            this += 1;
        }
        widths.push(width);
        format(lines, nl, line0, this, widths, pad, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, nl, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], nl: &[bool], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for i in from..to {
        let Some(line) = lines.get(i) else { continue };
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                if j + 1 < line.len() {
                    out.push_str(&" ".repeat(w.saturating_sub(cell.chars().count())));
                }
            }
        }
        if nl.get(i).copied().unwrap_or(false) {
            out.push('\n');
        }
    }
}

/// One event as `describe` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLine {
    pub type_: String,
    pub reason: String,
    pub age: String,
    pub from: String,
    pub message: String,
}

fn labels_multiline(out: &mut String, title: &str, l: &Labels) {
    out.push_str(&format!("{title}:\t"));
    if l.is_empty() {
        out.push_str("<none>\n");
        return;
    }
    for (i, (k, v)) in l.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&format!("{k}={v}\n"));
    }
}

fn annotations_multiline(out: &mut String, title: &str, a: &Labels) {
    out.push_str(&format!("{title}:\t"));
    let keys: Vec<(&str, &str)> = a
        .iter()
        .filter(|(k, _)| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        out.push_str("<none>\n");
        return;
    }
    for (i, (k, v)) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        let value = v.trim_end_matches('\n');
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            out.push_str(&format!("{k}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > 138 {
                    format!("{}...", s.get(..138).unwrap_or(s))
                } else {
                    s.to_string()
                };
                out.push_str(&format!("\t  {short}\n"));
            }
        } else {
            out.push_str(&format!("{k}: {value}\n"));
        }
    }
}

/// `DescribeEvents`: the text after a flush (aligned on its own).
fn events_block(events: &[EventLine]) -> Option<String> {
    if events.is_empty() {
        return None;
    }
    let mut s = String::from("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in events {
        s.push_str(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            e.type_,
            e.reason,
            e.age,
            e.from,
            e.message.trim()
        ));
    }
    Some(s)
}

fn finish(mut body: String, events: Option<&[EventLine]>) -> String {
    match events.and_then(events_block) {
        None => {
            if events.is_some() {
                body.push_str("Events:\t<none>\n");
            }
            tabwrite(&body, 2)
        }
        Some(ev) => {
            let mut s = tabwrite(&body, 2);
            s.push_str(&tabwrite(&ev, 2));
            s
        }
    }
}

fn ready_slice_endpoints(store: &Store, svc: &Service, port_name: Option<&str>) -> String {
    let mut list: Vec<String> = Vec::new();
    let max = 3;
    let mut more = false;
    let mut count = 0;
    for o in store.list(Kind::EndpointSlice, Some(&svc.meta.namespace)) {
        let Object::EndpointSlice(s) = o else { continue };
        if s.meta.labels.get("kubernetes.io/service-name") != Some(svc.meta.name.as_str()) {
            continue;
        }
        if s.ports.is_empty() {
            for e in &s.endpoints {
                if list.len() == max {
                    more = true;
                }
                if !e.conditions.is_ready() {
                    continue;
                }
                if !more {
                    if let Some(a) = e.addresses.first() {
                        list.push(a.to_string());
                    }
                }
                count += 1;
            }
            continue;
        }
        for p in &s.ports {
            if p.name.as_deref().unwrap_or("") != port_name.unwrap_or("") {
                continue;
            }
            for e in &s.endpoints {
                if list.len() == max {
                    more = true;
                }
                if !e.conditions.is_ready() {
                    continue;
                }
                if !more {
                    if let Some(a) = e.addresses.first() {
                        list.push(format!("{a}:{}", p.port));
                    }
                }
                count += 1;
            }
        }
    }
    if list.is_empty() {
        return if count == 0 && !store_has_slice(store, svc) {
            "<none>".into()
        } else {
            String::new()
        };
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

fn store_has_slice(store: &Store, svc: &Service) -> bool {
    store
        .list(Kind::EndpointSlice, Some(&svc.meta.namespace))
        .any(|o| o.meta().labels.get("kubernetes.io/service-name") == Some(svc.meta.name.as_str()))
}

pub fn service(store: &Store, s: &Service, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", s.meta.name, s.meta.namespace));
    labels_multiline(&mut b, "Labels", &s.meta.labels);
    annotations_multiline(&mut b, "Annotations", &s.meta.annotations);
    let sel = s
        .spec
        .selector
        .as_ref()
        .map(|l| l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","))
        .unwrap_or_default();
    // `labels.FormatLabels`: an empty selector is `<none>`.
    let sel = if sel.is_empty() { "<none>".to_string() } else { sel };
    b.push_str(&format!("Selector:\t{sel}\nType:\t{}\n", s.spec.type_.as_str()));
    let external_name = s.spec.type_ == ServiceType::ExternalName;
    if !external_name {
        b.push_str("IP Family Policy:\tSingleStack\nIP Families:\tIPv4\n");
    } else {
        b.push_str("IP Families:\t<none>\n");
    }
    let (ip, ips) = match &s.spec.cluster_ip {
        ClusterIp::Ip(ip) => (ip.to_string(), ip.to_string()),
        ClusterIp::None => ("None".to_string(), "None".to_string()),
        ClusterIp::Unset => (String::new(), "<none>".to_string()),
    };
    b.push_str(&format!("IP:\t{ip}\nIPs:\t{ips}\n"));
    if !s.spec.external_ips.is_empty() {
        let e: Vec<String> = s.spec.external_ips.iter().map(|i| i.to_string()).collect();
        b.push_str(&format!("External IPs:\t{}\n", e.join(",")));
    }
    if let Some(en) = &s.spec.external_name {
        b.push_str(&format!("External Name:\t{en}\n"));
    }
    if !s.load_balancer_ips.is_empty() {
        let e: Vec<String> = s.load_balancer_ips.iter().map(|i| i.to_string()).collect();
        b.push_str(&format!("LoadBalancer Ingress:\t{} (VIP)\n", e.join(" (VIP), ")));
    }
    for p in &s.spec.ports {
        let name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        let proto = p.protocol.as_str();
        b.push_str(&format!("Port:\t{name}\t{}/{proto}\n", p.port));
        b.push_str(&format!("TargetPort:\t{}/{proto}\n", p.target_port));
        if let Some(np) = p.node_port {
            b.push_str(&format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        b.push_str(&format!("Endpoints:\t{}\n", ready_slice_endpoints(store, s, p.name.as_deref())));
    }
    let aff = match s.spec.session_affinity {
        SessionAffinity::None => "None",
        SessionAffinity::ClientIP => "ClientIP",
    };
    b.push_str(&format!("Session Affinity:\t{aff}\n"));
    if matches!(s.spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer) {
        b.push_str(&format!("External Traffic Policy:\t{}\n", s.spec.external_traffic_policy.as_str()));
    }
    if !external_name {
        b.push_str(&format!("Internal Traffic Policy:\t{}\n", s.spec.internal_traffic_policy.as_str()));
    }
    finish(b, Some(events))
}

/// `describeSecret` (kubectl describe.go): the sizes of the values, never the values (Go
/// ranges over the map in random order; here the keys are sorted). No Events section.
pub fn secret(s: &Secret) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", s.meta.name, s.meta.namespace));
    labels_multiline(&mut b, "Labels", &s.meta.labels);
    annotations_multiline(&mut b, "Annotations", &s.meta.annotations);
    b.push_str(&format!("\nType:\t{}\n", s.type_));
    b.push_str("\nData\n====\n");
    for (k, v) in &s.data {
        if k == "token" && s.type_ == "kubernetes.io/service-account-token" {
            b.push_str(&format!("{k}:\t{}\n", String::from_utf8_lossy(v)));
        } else {
            b.push_str(&format!("{k}:\t{} bytes\n", v.len()));
        }
    }
    finish(b, None)
}

pub fn endpoints(e: &Endpoints, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", e.meta.name, e.meta.namespace));
    labels_multiline(&mut b, "Labels", &e.meta.labels);
    annotations_multiline(&mut b, "Annotations", &e.meta.annotations);
    b.push_str("Subsets:\n");
    for ss in &e.subsets {
        let join = |v: &[EndpointAddress]| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.iter().map(|a| a.ip.to_string()).collect::<Vec<_>>().join(",")
            }
        };
        b.push_str(&format!("  Addresses:\t{}\n", join(&ss.addresses)));
        b.push_str(&format!("  NotReadyAddresses:\t{}\n", join(&ss.not_ready_addresses)));
        if !ss.ports.is_empty() {
            b.push_str("  Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n");
            for p in &ss.ports {
                let name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                b.push_str(&format!("    {name}\t{}\t{}\n", p.port, p.protocol.as_str()));
            }
        }
        b.push('\n');
    }
    finish(b, Some(events))
}

/// `describeEndpointSliceV1`: the address type, the ports (`<unset>` for a nil or empty name),
/// then each endpoint's addresses, its Ready condition (`<unset>` when nil; Serving and
/// Terminating are not printed), hostname, target, node and zone. `Ports: <unset>` and
/// `Endpoints: <none>` carry no tab, so they end the tabwriter's column blocks as upstream.
pub fn endpoint_slice(s: &EndpointSlice, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", s.meta.name, s.meta.namespace));
    labels_multiline(&mut b, "Labels", &s.meta.labels);
    annotations_multiline(&mut b, "Annotations", &s.meta.annotations);
    b.push_str(&format!("AddressType:\t{}\n", s.address_type.as_str()));
    if s.ports.is_empty() {
        b.push_str("Ports: <unset>\n");
    } else {
        b.push_str("Ports:\n  Name\tPort\tProtocol\n  ----\t----\t--------\n");
        for p in &s.ports {
            let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
            b.push_str(&format!("  {name}\t{}\t{}\n", p.port, p.protocol.as_str()));
        }
    }
    if s.endpoints.is_empty() {
        b.push_str("Endpoints: <none>\n");
    } else {
        b.push_str("Endpoints:\n");
        let unset = |v: Option<&str>| v.unwrap_or("<unset>").to_string();
        for e in &s.endpoints {
            let addresses = e.addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ");
            let addresses = if addresses.is_empty() { "<none>".to_string() } else { addresses };
            b.push_str(&format!("  - Addresses:\t{addresses}\n"));
            b.push_str("    Conditions:\n");
            let ready = e.conditions.ready.map(|r| r.to_string());
            b.push_str(&format!("      Ready:\t{}\n", unset(ready.as_deref())));
            b.push_str(&format!("    Hostname:\t{}\n", unset(e.hostname.as_deref())));
            if let Some(t) = &e.target {
                b.push_str(&format!("    TargetRef:\tPod/{t}\n"));
            }
            b.push_str(&format!("    NodeName:\t{}\n", unset(e.node_name.as_deref())));
            b.push_str(&format!("    Zone:\t{}\n", unset(e.zone.as_deref())));
        }
    }
    finish(b, Some(events))
}

fn container_ports(c: &Container) -> (String, String) {
    let fmt_port = |port: i64, p: &ContainerPort| match &p.name {
        Some(n) if !n.is_empty() => format!("{port}/{} ({n})", p.protocol.as_str()),
        _ => format!("{port}/{}", p.protocol.as_str()),
    };
    let ports: Vec<String> = c.ports.iter().map(|p| fmt_port(p.container_port, p)).collect();
    let host: Vec<String> = c.ports.iter().map(|p| fmt_port(0, p)).collect();
    (ports.join(", "), host.join(", "))
}

fn describe_container(b: &mut String, c: &Container, status: Option<&Pod>, space: &str, epoch: Epoch) {
    let name_indent = if space.is_empty() { "" } else { " " };
    b.push_str(&format!("  {name_indent}{}:\n", c.name));
    let uid = status.map(|p| p.meta.uid.clone()).unwrap_or_default();
    let running = status.is_some_and(|p| p.status.phase == PodPhase::Running);
    if status.is_some() {
        let id = if running {
            crate::printers::object::container_id(&uid, &c.name)
        } else {
            String::new()
        };
        b.push_str(&format!("    Container ID:\t{id}\n"));
    }
    b.push_str(&format!("    Image:\t{}\n", c.image));
    if status.is_some() {
        let id = if running {
            crate::printers::object::image_id(&c.image)
        } else {
            String::new()
        };
        b.push_str(&format!("    Image ID:\t{id}\n"));
    }
    let (ports, host) = container_ports(c);
    let or_none = |s: String| if s.is_empty() { "<none>".to_string() } else { s };
    if ports.contains(',') {
        b.push_str(&format!("    Ports:\t{ports}\n"));
    } else {
        b.push_str(&format!("    Port:\t{}\n", or_none(ports)));
    }
    if host.contains(',') {
        b.push_str(&format!("    Host Ports:\t{host}\n"));
    } else {
        b.push_str(&format!("    Host Port:\t{}\n", or_none(host)));
    }
    if !c.command.is_empty() {
        b.push_str("    Command:\n");
        for s in &c.command {
            b.push_str(&format!("      {s}\n"));
        }
    }
    if !c.args.is_empty() {
        b.push_str("    Args:\n");
        for s in &c.args {
            b.push_str(&format!("      {s}\n"));
        }
    }
    if let Some(p) = status {
        if running {
            let started = p.status.started.unwrap_or(p.meta.creation);
            b.push_str(&format!("    State:\tRunning\n      Started:\t{}\n", epoch.rfc1123z(started)));
        } else {
            b.push_str("    State:\tWaiting\n");
            if let Some(r) = &p.status.waiting_reason {
                b.push_str(&format!("      Reason:\t{r}\n"));
            }
        }
        b.push_str(&format!(
            "    Ready:\t{}\n    Restart Count:\t{}\n",
            if p.status.ready { "True" } else { "False" },
            p.status.restarts
        ));
    }
    if let Some(d) = c.readiness_delay_seconds {
        let port = c.ports.first().map(|p| p.container_port).unwrap_or(80);
        b.push_str(&format!(
            "    Readiness:\ttcp-socket :{port} delay={d}s timeout=1s period=10s #success=1 #failure=3\n"
        ));
    }
    b.push_str("    Environment:\t<none>\n");
    match status {
        Some(p) => b.push_str(&format!(
            "    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from {} (ro)\n",
            crate::printers::object::token_volume_name(&p.meta.uid)
        )),
        None => b.push_str("    Mounts:\t<none>\n"),
    }
}

pub fn pod(p: &Pod, now: SimTime, epoch: Epoch, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", p.meta.name, p.meta.namespace));
    b.push_str("Priority:\t0\nService Account:\tdefault\n");
    match (&p.spec.node_name, p.status.host_ip) {
        (Some(n), Some(ip)) => b.push_str(&format!("Node:\t{n}/{ip}\n")),
        (Some(n), None) => b.push_str(&format!("Node:\t{n}/\n")),
        (None, _) => b.push_str("Node:\t<none>\n"),
    }
    if p.spec.node_name.is_some() {
        b.push_str(&format!("Start Time:\t{}\n", epoch.rfc1123z(p.meta.creation)));
    }
    labels_multiline(&mut b, "Labels", &p.meta.labels);
    annotations_multiline(&mut b, "Annotations", &p.meta.annotations);
    match p.meta.deletion {
        Some(d) if !matches!(p.status.phase, PodPhase::Failed | PodPhase::Succeeded) => {
            b.push_str(&format!(
                "Status:\tTerminating (lasts {})\nTermination Grace Period:\t{}s\n",
                crate::time::human_duration(now.0 as i64 / 1000 - d.0 as i64 / 1000),
                p.spec.termination_grace_period_seconds
            ));
        }
        _ => b.push_str(&format!("Status:\t{}\n", p.status.phase.as_str())),
    }
    let ip = p.status.pod_ip.map(|i| i.to_string()).unwrap_or_default();
    b.push_str(&format!("IP:\t{ip}\n"));
    match p.status.pod_ip {
        Some(i) => b.push_str(&format!("IPs:\n  IP:\t{i}\n")),
        None => b.push_str("IPs:\t<none>\n"),
    }
    if let Some(o) = &p.meta.owner {
        b.push_str(&format!("Controlled By:\t{}/{}\n", o.kind.name(), o.name));
    }
    b.push_str("Containers:\n");
    for c in p.spec.containers.iter() {
        describe_container(&mut b, c, Some(p), "", epoch);
    }
    if p.spec.node_name.is_some() {
        let running = p.status.phase == PodPhase::Running;
        let tf = |v: bool| if v { "True" } else { "False" };
        b.push_str("Conditions:\n  Type\tStatus\n");
        for (t, v) in [
            ("PodReadyToStartContainers", running),
            ("Initialized", true),
            ("Ready", p.status.ready),
            ("ContainersReady", p.status.ready),
            ("PodScheduled", true),
        ] {
            b.push_str(&format!("  {t} \t{} \n", tf(v)));
        }
    } else {
        b.push_str("Conditions:\n  Type\tStatus\n  PodScheduled \tFalse \n");
    }
    let vol = crate::printers::object::token_volume_name(&p.meta.uid);
    b.push_str(&format!(
        "Volumes:\n  {vol}:\n    Type:\tProjected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:\t3607\n    ConfigMapName:\tkube-root-ca.crt\n    Optional:\tfalse\n    DownwardAPI:\ttrue\n"
    ));
    b.push_str("QoS Class:\tBestEffort\nNode-Selectors:\t<none>\n");
    b.push_str("Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
    finish(b, Some(events))
}

pub fn deployment(store: &Store, d: &Deployment, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!(
        "Name:\t{}\nNamespace:\t{}\nCreationTimestamp:\t{}\n",
        d.meta.name,
        d.meta.namespace,
        store.epoch().rfc1123z(d.meta.creation)
    ));
    labels_multiline(&mut b, "Labels", &d.meta.labels);
    let mut ann = d.meta.annotations.as_ref().clone();
    ann.entry("deployment.kubernetes.io/revision".into()).or_insert_with(|| "1".into());
    annotations_multiline(&mut b, "Annotations", &ann);
    b.push_str(&format!("Selector:\t{}\n", d.selector));
    // `calculateStatus`: unavailable counts against every owned ReplicaSet's spec replicas
    // (during a surge that is more than the Deployment's).
    let owned_spec: i64 = store
        .list(Kind::ReplicaSet, Some(&d.meta.namespace))
        .filter_map(|o| match o {
            Object::ReplicaSet(rs) if rs.meta.owner.as_ref().is_some_and(|r| r.uid == d.meta.uid) => Some(rs.replicas),
            _ => None,
        })
        .sum();
    let unavailable = (owned_spec - d.status.available).max(0);
    b.push_str(&format!(
        "Replicas:\t{} desired | {} updated | {} total | {} available | {unavailable} unavailable\n",
        d.replicas, d.status.updated, d.status.replicas, d.status.available
    ));
    b.push_str("StrategyType:\tRollingUpdate\nMinReadySeconds:\t0\nRollingUpdateStrategy:\t25% max unavailable, 25% max surge\n");
    pod_template(&mut b, &d.template);
    // `Available` once availableReplicas >= replicas - maxUnavailable (sync.go).
    let (_, max_unavailable) = crate::controllers::workloads::rolling_fenceposts(d.replicas.max(0));
    let available = d.status.available >= d.replicas - max_unavailable;
    let complete = d.status.updated == d.replicas && d.status.replicas == d.replicas && d.status.available == d.replicas;
    b.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
    b.push_str(&format!(
        "  Available \t{}\t{}\n",
        if available { "True" } else { "False" },
        if available {
            "MinimumReplicasAvailable"
        } else {
            "MinimumReplicasUnavailable"
        }
    ));
    b.push_str(&format!(
        "  Progressing \tTrue\t{}\n",
        if complete { "NewReplicaSetAvailable" } else { "ReplicaSetUpdated" }
    ));
    let hash = crate::controllers::workloads::pod_template_hash(&d.template, d.collision_count);
    let new_name = format!("{}-{hash}", d.meta.name);
    let mut old = Vec::new();
    let mut new = Vec::new();
    for o in store.list(Kind::ReplicaSet, Some(&d.meta.namespace)) {
        let Object::ReplicaSet(rs) = o else { continue };
        if rs.meta.owner.as_ref().is_none_or(|r| r.uid != d.meta.uid) {
            continue;
        }
        let s = format!("{} ({}/{} replicas created)", rs.meta.name, rs.status.replicas, rs.replicas);
        if rs.meta.name == new_name {
            new.push(s);
        } else if rs.replicas > 0 || rs.status.replicas > 0 {
            old.push(s);
        }
    }
    if !old.is_empty() || !new.is_empty() {
        let none = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
        b.push_str(&format!("OldReplicaSets:\t{}\nNewReplicaSet:\t{}\n", none(old), none(new)));
    }
    finish(b, Some(events))
}

/// `DescribePodTemplate`.
fn pod_template(b: &mut String, t: &PodTemplate) {
    b.push_str("Pod Template:\n");
    labels_multiline(b, "  Labels", &t.labels);
    if !t.annotations.is_empty() {
        annotations_multiline(b, "  Annotations", &t.annotations);
    }
    b.push_str("  Containers:\n");
    for c in t.spec.containers.iter() {
        describe_container(b, c, None, "  ", Epoch::DEFAULT);
    }
    b.push_str("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n");
}

/// `describeReplicaSet`: owner, replicas, the owned Pods by phase, the template, events.
pub fn replicaset(store: &Store, rs: &ReplicaSet, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!(
        "Name:\t{}\nNamespace:\t{}\nSelector:\t{}\n",
        rs.meta.name, rs.meta.namespace, rs.selector
    ));
    labels_multiline(&mut b, "Labels", &rs.meta.labels);
    let mut ann = rs.meta.annotations.as_ref().clone();
    if let Some(owner) = rs.meta.owner.as_ref().filter(|o| o.kind == Kind::Deployment) {
        // What the deployment controller annotates its ReplicaSets with.
        let desired = match store.get(&ObjKey::new(Kind::Deployment, &rs.meta.namespace, &owner.name)) {
            Some(Object::Deployment(d)) => d.replicas,
            _ => rs.replicas,
        };
        let (surge, _) = crate::controllers::workloads::rolling_fenceposts(desired.max(0));
        ann.entry("deployment.kubernetes.io/desired-replicas".into())
            .or_insert_with(|| desired.to_compact_string());
        ann.entry("deployment.kubernetes.io/max-replicas".into())
            .or_insert_with(|| (desired + surge).to_compact_string());
        ann.entry("deployment.kubernetes.io/revision".into()).or_insert_with(|| "1".into());
    }
    annotations_multiline(&mut b, "Annotations", &ann);
    if let Some(o) = &rs.meta.owner {
        b.push_str(&format!("Controlled By:\t{}/{}\n", o.kind.name(), o.name));
    }
    b.push_str(&format!("Replicas:\t{} current / {} desired\n", rs.status.replicas, rs.replicas));
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in store.pods(Some(&rs.meta.namespace)) {
        if p.meta.owner.as_ref().is_none_or(|o| o.uid != rs.meta.uid) {
            continue;
        }
        match p.status.phase {
            PodPhase::Running => running += 1,
            PodPhase::Pending => waiting += 1,
            PodPhase::Succeeded => succeeded += 1,
            PodPhase::Failed => failed += 1,
        }
    }
    b.push_str(&format!(
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    ));
    pod_template(&mut b, &rs.template);
    finish(b, Some(events))
}

/// Requests and limits of minikube's system Pods (their manifests set them; sdplay's Pod model
/// carries none), as `(cpu millicores, memory MiB)` requests and limits.
fn system_pod_resources(p: &Pod) -> ((u64, u64), (u64, u64)) {
    if p.meta.namespace != "kube-system" {
        return ((0, 0), (0, 0));
    }
    let n = p.meta.name.as_str();
    if n.starts_with("coredns-") {
        ((100, 70), (0, 170))
    } else if n.starts_with("etcd-") {
        ((100, 100), (0, 0))
    } else if n.starts_with("kube-apiserver-") {
        ((250, 0), (0, 0))
    } else if n.starts_with("kube-controller-manager-") {
        ((200, 0), (0, 0))
    } else if n.starts_with("kube-scheduler-") {
        ((100, 0), (0, 0))
    } else {
        ((0, 0), (0, 0))
    }
}

/// A node's allocatable CPU (millicores) and memory (bytes), as `get node -o yaml` reports.
const NODE_CPU_MILLI: u64 = 8_000;
const NODE_MEMORY_BYTES: u64 = 32_859_548 * 1024;

/// `resource.Quantity.String()` for the few values used here.
fn cpu_quantity(milli: u64) -> String {
    match milli {
        0 => "0".into(),
        m if m % 1000 == 0 => (m / 1000).to_string(),
        m => format!("{m}m"),
    }
}

fn mem_quantity(mib: u64) -> String {
    if mib == 0 {
        "0".into()
    } else {
        format!("{mib}Mi")
    }
}

fn pct(part: u64, whole: u64) -> u64 {
    (part * 100).checked_div(whole).unwrap_or(0)
}

/// `describeNode` (describe.go), with the node's lease and its non-terminated Pods.
pub fn node(store: &Store, n: &Node, now: SimTime, events: &[EventLine]) -> String {
    let mut b = String::new();
    b.push_str(&format!("Name:\t{}\n", n.meta.name));
    b.push_str(&format!("Roles:\t{}\n", if n.control_plane { "control-plane" } else { "<none>" }));
    labels_multiline(&mut b, "Labels", &n.meta.labels);
    let mut ann = n.meta.annotations.as_ref().clone();
    for (k, v) in crate::printers::object::NODE_ANNOTATIONS {
        ann.entry(k.to_compact_string()).or_insert_with(|| v.to_compact_string());
    }
    annotations_multiline(&mut b, "Annotations", &ann);
    b.push_str(&format!("CreationTimestamp:\t{}\n", store.epoch().rfc1123z(n.meta.creation)));
    if n.network_ready() {
        b.push_str("Taints:\t<none>\n");
    } else {
        b.push_str(&format!("Taints:\t{TAINT_NOT_READY}:NoSchedule\n\t{TAINT_NOT_READY}:NoExecute\n"));
    }
    b.push_str("Unschedulable:\tfalse\n");
    // The kubelet renews its Lease every 10s and posts status every 5 minutes when unchanged.
    let renew = SimTime(now.0 - now.0 % 10_000);
    let since = now.0.saturating_sub(n.meta.creation.0);
    let heartbeat = SimTime(n.meta.creation.0 + since - since % 300_000);
    b.push_str(&format!(
        "Lease:\n  HolderIdentity:\t{}\n  AcquireTime:\t<unset>\n  RenewTime:\t{}\n",
        n.meta.name,
        store.epoch().rfc1123z(renew)
    ));
    b.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    b.push_str("  ----\t------\t-----------------\t------------------\t------\t-------\n");
    let created = store.epoch().rfc1123z(n.meta.creation);
    let ready_at = store.epoch().rfc1123z(n.meta.creation.plus_secs(12));
    let hb = store.epoch().rfc1123z(heartbeat);
    let ready = if n.network_ready() {
        ("Ready", "True", &ready_at, "KubeletReady", "kubelet is posting ready status")
    } else {
        ("Ready", "False", &created, "KubeletNotReady", crate::controllers::NETWORK_NOT_READY)
    };
    for (t, st, since, reason, msg) in [
        (
            "MemoryPressure",
            "False",
            &created,
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            &created,
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            &created,
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        ready,
    ] {
        b.push_str(&format!("  {t} \t{st} \t{hb} \t{since} \t{reason} \t{msg}\n"));
    }
    b.push_str(&format!(
        "Addresses:\n  InternalIP:\t{}\n  Hostname:\t{}\n",
        n.internal_ip, n.meta.name
    ));
    let resources = format!(
        "  cpu:\t{NODE_CPUS}\n  ephemeral-storage:\t1055762868Ki\n  hugepages-1Gi:\t0\n  hugepages-2Mi:\t0\n  memory:\t32859548Ki\n  pods:\t{MAX_PODS_PER_NODE}\n"
    );
    b.push_str("Capacity:\n");
    b.push_str(&resources);
    b.push_str("Allocatable:\n");
    b.push_str(&resources);
    let uid = &n.meta.uid;
    let hex = crate::printers::object::hex64;
    b.push_str("System Info:\n");
    b.push_str(&format!("  Machine ID:\t{}\n", hex(uid, "machine").get(..32).unwrap_or("")));
    b.push_str(&format!("  System UUID:\t{uid}\n"));
    b.push_str(&format!("  Boot ID:\t{}\n", hex(uid, "boot").get(..32).unwrap_or("")));
    let sys = &n.system;
    b.push_str(&format!(
        "  Kernel Version:\t{}\n  OS Image:\t{}\n  Operating System:\tlinux\n",
        sys.kernel_version, sys.os_image
    ));
    b.push_str(&format!(
        "  Architecture:\tamd64\n  Container Runtime Version:\t{}\n",
        sys.container_runtime
    ));
    b.push_str(&format!("  Kubelet Version:\t{}\n  Kube-Proxy Version:\t\n", sys.kubelet_version));
    // describeNode prints PodCIDR and PodCIDRs only when set.
    if let Some(cidr) = n.pod_cidr_string() {
        b.push_str(&format!("PodCIDR:\t{cidr}\nPodCIDRs:\t{cidr}\n"));
    }
    // `status.phase!=Failed,status.phase!=Succeeded` on this node, in the server's order.
    let pods: Vec<&Pod> = store
        .pods(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(n.meta.name.as_str()))
        .filter(|p| !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed))
        .collect();
    b.push_str(&format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    b.push_str("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    b.push_str("  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let mem_pct = |mib: u64| pct(mib * 1024 * 1024, NODE_MEMORY_BYTES);
    let (mut cpu_req, mut cpu_lim, mut mem_req, mut mem_lim) = (0, 0, 0, 0);
    for p in &pods {
        let ((cr, mr), (cl, ml)) = system_pod_resources(p);
        cpu_req += cr;
        cpu_lim += cl;
        mem_req += mr;
        mem_lim += ml;
        b.push_str(&format!(
            "  {}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
            p.meta.namespace,
            p.meta.name,
            cpu_quantity(cr),
            pct(cr, NODE_CPU_MILLI),
            cpu_quantity(cl),
            pct(cl, NODE_CPU_MILLI),
            mem_quantity(mr),
            mem_pct(mr),
            mem_quantity(ml),
            mem_pct(ml),
            crate::time::human_duration(now.secs_since(p.meta.creation) as i64)
        ));
    }
    b.push_str("Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    b.push_str("  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    b.push_str(&format!(
        "  cpu\t{} ({}%)\t{} ({}%)\n",
        cpu_quantity(cpu_req),
        pct(cpu_req, NODE_CPU_MILLI),
        cpu_quantity(cpu_lim),
        pct(cpu_lim, NODE_CPU_MILLI)
    ));
    b.push_str(&format!(
        "  memory\t{} ({}%)\t{} ({}%)\n",
        mem_quantity(mem_req),
        mem_pct(mem_req),
        mem_quantity(mem_lim),
        mem_pct(mem_lim)
    ));
    b.push_str("  ephemeral-storage\t0 (0%)\t0 (0%)\n  hugepages-1Gi\t0 (0%)\t0 (0%)\n  hugepages-2Mi\t0 (0%)\t0 (0%)\n");
    finish(b, Some(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_blocks_like_go() {
        let t = "Name:\tent\nPort:\t<unset>\t8080/TCP\nTargetPort:\t8080/TCP\nSubsets:\n  A:\tx\n";
        assert_eq!(
            tabwrite(t, 2),
            "Name:        ent\nPort:        <unset>  8080/TCP\nTargetPort:  8080/TCP\nSubsets:\n  A:  x\n"
        );
    }
}
