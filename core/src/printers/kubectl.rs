//! `kubectl get` columns per kind, from `pkg/printers/internalversion/printers.go`.

use crate::model::*;
use crate::time::{human_duration, SimTime};

/// Output options that change the columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Opts {
    pub wide: bool,
    pub show_labels: bool,
    /// `--no-headers`: the table without its header row (its columns as wide as the rows).
    pub no_headers: bool,
}

pub fn age(now: SimTime, created: SimTime) -> String {
    human_duration(now.secs_since(created) as i64)
}

pub fn headers(kind: Kind, o: Opts) -> Vec<&'static str> {
    let mut h: Vec<&'static str> = match kind {
        Kind::Pod => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        Kind::Service => vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        Kind::Deployment => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        Kind::ReplicaSet => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        Kind::DaemonSet => vec![
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ],
        Kind::Endpoints => vec!["NAME", "ENDPOINTS", "AGE"],
        Kind::EndpointSlice => vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        Kind::Namespace => vec!["NAME", "STATUS", "AGE"],
        Kind::Node => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        Kind::ConfigMap => vec!["NAME", "DATA", "AGE"],
        Kind::Secret => vec!["NAME", "TYPE", "DATA", "AGE"],
    };
    if o.wide {
        match kind {
            Kind::Pod => h.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
            Kind::Service => h.push("SELECTOR"),
            Kind::Deployment | Kind::ReplicaSet => h.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            Kind::DaemonSet => h.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            Kind::Node => h.extend(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
            _ => {}
        }
    }
    if o.show_labels {
        h.push("LABELS");
    }
    h
}

fn labels_str(l: &Labels) -> String {
    if l.is_empty() {
        return "<none>".into();
    }
    l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// kubectl's pod STATUS column.
pub fn pod_status(p: &Pod) -> String {
    if p.is_terminating() {
        return "Terminating".into();
    }
    if let Some(r) = &p.status.waiting_reason {
        return r.clone();
    }
    // A terminated container's reason: exit 0 is "Completed", anything else "Error".
    match p.status.phase {
        PodPhase::Succeeded => "Completed".into(),
        PodPhase::Failed => "Error".into(),
        phase => phase.as_str().into(),
    }
}

/// `formatEndpoints`: ready `ip:port` pairs, at most 3, then ` + N more...`.
pub fn format_endpoints(e: &Endpoints) -> String {
    if e.subsets.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    let mut more = false;
    for ss in &e.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.to_string());
            }
            continue;
        }
        for p in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

fn service_ports(s: &Service) -> String {
    if s.spec.ports.is_empty() {
        return "<none>".into();
    }
    s.spec
        .ports
        .iter()
        .map(|p| match p.node_port {
            Some(np) => format!("{}:{}/{}", p.port, np, p.protocol.as_str()),
            None => format!("{}/{}", p.port, p.protocol.as_str()),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn external_ip(s: &Service) -> String {
    let mut ips: Vec<String> = s.spec.external_ips.iter().map(|i| i.to_string()).collect();
    match s.spec.type_ {
        ServiceType::ClusterIP | ServiceType::NodePort => {
            if ips.is_empty() {
                "<none>".into()
            } else {
                ips.join(",")
            }
        }
        ServiceType::LoadBalancer => {
            ips.extend(s.load_balancer_ips.iter().map(|i| i.to_string()));
            if ips.is_empty() {
                "<pending>".into()
            } else {
                ips.join(",")
            }
        }
        ServiceType::ExternalName => s.spec.external_name.clone().unwrap_or_default(),
    }
}

fn containers_images(t: &PodSpec) -> (String, String) {
    (
        t.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        t.containers.iter().map(|c| c.image.clone()).collect::<Vec<_>>().join(","),
    )
}

/// The cells of one row (without a NAMESPACE column; the caller adds it for `-A`).
pub fn row(obj: &Object, name: &str, now: SimTime, o: Opts) -> Vec<String> {
    let a = age(now, obj.meta().creation);
    let mut r: Vec<String> = match obj {
        Object::Pod(p) => {
            let total = p.spec.containers.len();
            let ready = if p.status.ready { total } else { 0 };
            let mut r = vec![
                name.into(),
                format!("{ready}/{total}"),
                pod_status(p),
                p.status.restarts.to_string(),
                a,
            ];
            if o.wide {
                r.push(p.status.pod_ip.map(|i| i.to_string()).unwrap_or_else(|| "<none>".into()));
                r.push(p.spec.node_name.clone().unwrap_or_else(|| "<none>".into()));
                r.push("<none>".into());
                r.push("<none>".into());
            }
            r
        }
        Object::Service(s) => {
            let cip = match &s.spec.cluster_ip {
                ClusterIp::Ip(ip) => ip.to_string(),
                ClusterIp::None => "None".into(),
                ClusterIp::Unset => "<none>".into(),
            };
            let mut r = vec![name.into(), s.spec.type_.as_str().into(), cip, external_ip(s), service_ports(s), a];
            if o.wide {
                r.push(match &s.spec.selector {
                    Some(sel) if !sel.is_empty() => labels_str(sel),
                    _ => "<none>".into(),
                });
            }
            r
        }
        Object::Deployment(d) => {
            let mut r = vec![
                name.into(),
                format!("{}/{}", d.status.ready, d.replicas),
                d.status.updated.to_string(),
                d.status.available.to_string(),
                a,
            ];
            if o.wide {
                let (c, i) = containers_images(&d.template.spec);
                r.extend([c, i, d.selector.to_string()]);
            }
            r
        }
        Object::ReplicaSet(rs) => {
            let mut r = vec![
                name.into(),
                rs.replicas.to_string(),
                rs.status.replicas.to_string(),
                rs.status.ready.to_string(),
                a,
            ];
            if o.wide {
                let (c, i) = containers_images(&rs.template.spec);
                r.extend([c, i, rs.selector.to_string()]);
            }
            r
        }
        Object::DaemonSet(ds) => {
            let s = &ds.status;
            let mut r = vec![
                name.into(),
                s.replicas.to_string(),
                s.replicas.to_string(),
                s.ready.to_string(),
                s.updated.to_string(),
                s.available.to_string(),
                "kubernetes.io/os=linux".into(),
                a,
            ];
            if o.wide {
                let (c, i) = containers_images(&ds.template.spec);
                r.extend([c, i, ds.selector.to_string()]);
            }
            r
        }
        Object::Endpoints(e) => vec![name.into(), format_endpoints(e), a],
        Object::EndpointSlice(s) => {
            let ports = if s.ports.is_empty() {
                "<unset>".into()
            } else {
                s.ports.iter().map(|p| p.port.to_string()).collect::<Vec<_>>().join(",")
            };
            let addrs: Vec<String> = s.endpoints.iter().flat_map(|e| e.addresses.iter().map(|a| a.to_string())).collect();
            let eps = if addrs.is_empty() {
                "<unset>".into()
            } else if addrs.len() > 3 {
                format!("{} + {} more...", addrs[..3].join(","), addrs.len() - 3)
            } else {
                addrs.join(",")
            };
            vec![name.into(), "IPv4".into(), ports, eps, a]
        }
        Object::Namespace(n) => vec![
            name.into(),
            if n.meta.deletion.is_some() { "Terminating" } else { "Active" }.into(),
            a,
        ],
        Object::Node(n) => {
            let roles = if n.control_plane { "control-plane" } else { "<none>" };
            let status = if n.network_ready() { "Ready" } else { "NotReady" };
            let mut r = vec![name.into(), status.into(), roles.into(), a, n.system.kubelet_version.clone()];
            if o.wide {
                r.extend([
                    n.internal_ip.to_string(),
                    "<none>".into(),
                    n.system.os_image.clone(),
                    n.system.kernel_version.clone(),
                    n.system.container_runtime.clone(),
                ]);
            }
            r
        }
        Object::ConfigMap(c) => vec![name.into(), c.data.len().to_string(), a],
        // printers.go `printSecret`: NAME, TYPE, DATA (the number of keys), AGE.
        Object::Secret(s) => vec![name.into(), s.type_.clone(), s.data.len().to_string(), a],
    };
    if o.show_labels {
        r.push(labels_str(&obj.meta().labels));
    }
    r
}
