//! Reading a snapshot's YAML tree: the fields the lenient manifest decoder leaves to the
//! importer (metadata the API server writes, `status`, node addresses, control-plane flags,
//! kube-proxy's and CoreDNS's settings). Every reader returns `None` or a default for what is
//! missing or of another type; nothing here panics on input.

use std::net::Ipv4Addr;

use crate::cluster::Platform;
use crate::model::*;
use crate::time::SimTime;
use crate::yaml::{Node as YNode, Value};

/// The objects of a document: a `List`'s items (nested Lists flattened), or the document.
pub(super) fn flatten<'a>(n: &'a YNode, out: &mut Vec<&'a YNode>) {
    if n.as_map().is_none() {
        return;
    }
    let is_list = text(n, &["kind"]).is_some_and(|k| k == "List" || k.ends_with("List"));
    if is_list {
        if let Some(items) = n.get("items").and_then(YNode::as_seq) {
            for i in items {
                flatten(i, out);
            }
        }
        return;
    }
    out.push(n);
}

/// The node at `path` (mapping keys).
pub(super) fn at<'a>(n: &'a YNode, path: &[&str]) -> Option<&'a YNode> {
    path.iter().try_fold(n, |n, k| n.get(k))
}

/// The scalar at `path` as text.
pub(super) fn text(n: &YNode, path: &[&str]) -> Option<String> {
    at(n, path).and_then(YNode::as_text)
}

pub(super) fn int(n: &YNode, path: &[&str]) -> Option<i64> {
    match at(n, path).map(|v| &v.value) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

/// The strings of the sequence at `path`.
pub(super) fn strings(n: &YNode, path: &[&str]) -> Vec<String> {
    at(n, path)
        .and_then(YNode::as_seq)
        .map(|s| s.iter().filter_map(YNode::as_text).collect())
        .unwrap_or_default()
}

/// `key` of each mapping in the sequence at `path` (`status.podIPs[*].ip`).
pub(super) fn strings_of(n: &YNode, path: &[&str], key: &str) -> Vec<String> {
    at(n, path)
        .and_then(YNode::as_seq)
        .map(|s| s.iter().filter_map(|i| text(i, &[key])).collect())
        .unwrap_or_default()
}

/// The string map at `path` (labels, annotations).
pub(super) fn labels(n: &YNode, path: &[&str]) -> Labels {
    let Some(m) = at(n, path).and_then(YNode::as_map) else {
        return Labels::new();
    };
    // Built with one sort, not an insert per pair (a snapshot's map may be large).
    m.iter()
        .filter_map(|(k, v)| Some((k.as_text()?, v.as_text().unwrap_or_default())))
        .collect()
}

/// The keys whose values are timestamps the API server or a controller wrote.
const TIME_KEYS: &[&str] = &[
    "creationTimestamp",
    "deletionTimestamp",
    "time",
    "lastTransitionTime",
    "lastHeartbeatTime",
    "lastUpdateTime",
    "lastProbeTime",
    "startTime",
    "startedAt",
    "finishedAt",
];

/// Widen `(oldest, newest)` (Unix seconds) by every timestamp in the object.
pub(super) fn timestamps(n: &YNode, range: &mut (i64, i64)) {
    match &n.value {
        Value::Map(m) => {
            for (k, v) in m {
                if let (Some(k), Some(s)) = (k.as_str(), v.as_str()) {
                    if TIME_KEYS.contains(&k) {
                        if let Some(t) = crate::time::parse_rfc3339(s) {
                            range.0 = range.0.min(t);
                            range.1 = range.1.max(t);
                        }
                        continue;
                    }
                }
                timestamps(v, range);
            }
        }
        Value::Seq(s) => s.iter().for_each(|v| timestamps(v, range)),
        _ => {}
    }
}

/// The kinds an owner reference can name in the model.
fn owner_kind(k: &str) -> Option<Kind> {
    match k {
        "ReplicaSet" => Some(Kind::ReplicaSet),
        "Deployment" => Some(Kind::Deployment),
        "Service" => Some(Kind::Service),
        "Node" => Some(Kind::Node),
        _ => None,
    }
}

/// The managing controller (`ownerReferences[controller=true]`, else the first): kind, name.
pub(super) fn controller(n: &YNode) -> Option<(String, String)> {
    let refs = at(n, &["metadata", "ownerReferences"]).and_then(YNode::as_seq)?;
    let r = refs
        .iter()
        .find(|r| matches!(at(r, &["controller"]).map(|v| &v.value), Some(Value::Bool(true))))
        .or(refs.first())?;
    Some((text(r, &["kind"])?, text(r, &["name"]).unwrap_or_default()))
}

/// The metadata the API server writes: uid, creation and deletion time, generation, owner.
pub(super) fn meta(n: &YNode, at_: &dyn Fn(&YNode, &[&str]) -> Option<SimTime>) -> ObjectMeta {
    let owner = at(n, &["metadata", "ownerReferences"]).and_then(YNode::as_seq).and_then(|refs| {
        let r = refs
            .iter()
            .find(|r| matches!(at(r, &["controller"]).map(|v| &v.value), Some(Value::Bool(true))))
            .or(refs.first())?;
        Some(OwnerRef {
            kind: owner_kind(&text(r, &["kind"])?)?,
            name: (text(r, &["name"]).unwrap_or_default()).into(),
            uid: text(r, &["uid"]).unwrap_or_default().into(),
        })
    });
    ObjectMeta {
        name: (text(n, &["metadata", "name"]).unwrap_or_default()).into(),
        namespace: (text(n, &["metadata", "namespace"]).unwrap_or_default()).into(),
        uid: text(n, &["metadata", "uid"]).unwrap_or_default().into(),
        generation: int(n, &["metadata", "generation"]).and_then(|g| u64::try_from(g).ok()).unwrap_or(1),
        creation: at_(n, &["metadata", "creationTimestamp"]).unwrap_or_default(),
        deletion: at_(n, &["metadata", "deletionTimestamp"]),
        owner,
        ..Default::default()
    }
}

/// The node's first IPv4 `InternalIP` (`status.addresses`).
pub(super) fn internal_ipv4(n: &YNode) -> Option<Ipv4Addr> {
    at(n, &["status", "addresses"])?
        .as_seq()?
        .iter()
        .filter(|a| text(a, &["type"]).as_deref() == Some("InternalIP"))
        .find_map(|a| text(a, &["address"])?.parse().ok())
}

/// What runs this node, as its objects say: kind's `spec.providerID`
/// (`kind://<provider>/<cluster>/<node>`, kind's node containers), else minikube's
/// `minikube.k8s.io/name` label (its profile). `None`: neither.
pub(super) fn platform(n: &YNode) -> Option<Platform> {
    if let Some(rest) = text(n, &["spec", "providerID"]).as_deref().and_then(|p| p.strip_prefix("kind://")) {
        let mut parts = rest.split('/');
        if let (Some(provider), Some(cluster)) = (parts.next(), parts.next()) {
            return Some(Platform::Kind {
                provider: provider.to_string(),
                cluster: cluster.to_string(),
            });
        }
    }
    labels(n, &["metadata", "labels"])
        .get("minikube.k8s.io/name")
        .map(|p| Platform::Minikube { profile: p.to_string() })
}

/// `status.nodeInfo` (minikube's values for what is missing).
pub(super) fn node_system(n: &YNode) -> NodeSystem {
    let d = NodeSystem::default();
    let get = |k: &str, or: String| text(n, &["status", "nodeInfo", k]).unwrap_or(or);
    NodeSystem {
        os_image: get("osImage", d.os_image),
        kernel_version: get("kernelVersion", d.kernel_version),
        container_runtime: get("containerRuntimeVersion", d.container_runtime),
        kubelet_version: get("kubeletVersion", d.kubelet_version),
    }
}

/// `--flag=value` (or `--flag value`) in the first container's command and args.
pub(super) fn command_flag(pod: &YNode, flag: &str) -> Option<String> {
    let c = at(pod, &["spec", "containers"])?.as_seq()?.first()?;
    let mut words = strings(c, &["command"]);
    words.extend(strings(c, &["args"]));
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if let Some(v) = w.strip_prefix(flag) {
            if let Some(v) = v.strip_prefix('=') {
                return Some(v.to_string());
            }
            if v.is_empty() {
                return it.next().cloned();
            }
        }
    }
    None
}

/// A Deployment's or ReplicaSet's `status` counts.
pub(super) fn workload_status(n: &YNode) -> WorkloadStatus {
    let get = |k: &str| int(n, &["status", k]).unwrap_or(0);
    WorkloadStatus {
        replicas: get("replicas"),
        ready: get("readyReplicas"),
        available: get("availableReplicas"),
        updated: get("updatedReplicas"),
    }
}

/// A Pod's `status`: phase, IPs, readiness (the `Ready` condition), start, restarts, and the
/// waiting reason kubectl shows while a container is not running.
pub(super) fn pod_status(n: &YNode, at_: &dyn Fn(&YNode, &[&str]) -> Option<SimTime>) -> PodStatus {
    let phase = match text(n, &["status", "phase"]).as_deref() {
        Some("Running") => PodPhase::Running,
        Some("Succeeded") => PodPhase::Succeeded,
        Some("Failed") => PodPhase::Failed,
        _ => PodPhase::Pending,
    };
    let ready = at(n, &["status", "conditions"]).and_then(YNode::as_seq).is_some_and(|cs| {
        cs.iter()
            .any(|c| text(c, &["type"]).as_deref() == Some("Ready") && text(c, &["status"]).as_deref() == Some("True"))
    });
    let statuses: &[YNode] = at(n, &["status", "containerStatuses"]).and_then(YNode::as_seq).unwrap_or(&[]);
    let restarts = statuses
        .iter()
        .filter_map(|s| int(s, &["restartCount"]))
        .map(|r| u32::try_from(r).unwrap_or(0))
        .sum();
    let started = statuses
        .iter()
        .find_map(|s| at_(s, &["state", "running", "startedAt"]))
        .or_else(|| at_(n, &["status", "startTime"]));
    let waiting_reason = statuses.iter().find_map(|s| text(s, &["state", "waiting", "reason"]));
    PodStatus {
        phase,
        waiting_reason: waiting_reason.filter(|_| phase != PodPhase::Running),
        pod_ip: text(n, &["status", "podIP"]).and_then(|s| s.parse().ok()),
        host_ip: text(n, &["status", "hostIP"]).and_then(|s| s.parse().ok()),
        ready,
        started,
        restarts,
    }
}

/// The cluster domain: the first zone of the Corefile's `kubernetes` plugin
/// (`kubernetes cluster.local in-addr.arpa ip6.arpa {`).
pub(super) fn corefile_domain(corefile: &str) -> Option<String> {
    corefile.lines().find_map(|l| {
        let mut w = l.split_whitespace();
        (w.next()? == "kubernetes")
            .then(|| w.next())?
            .filter(|z| *z != "{")
            .map(|z| z.trim_end_matches('.').to_string())
    })
}

/// The narrowest CIDR that holds every one of `cidrs` (`None` for none).
pub(super) fn covering(cidrs: impl Iterator<Item = (Ipv4Addr, u8)>) -> Option<(Ipv4Addr, u8)> {
    let mut lo = u32::MAX;
    let mut hi = 0u32;
    let mut any = false;
    for (ip, p) in cidrs {
        let base = u32::from(ip) & mask(p);
        lo = lo.min(base);
        hi = hi.max(base | !mask(p));
        any = true;
    }
    if !any {
        return None;
    }
    let prefix = (lo ^ hi).leading_zeros().min(32) as u8;
    Some((Ipv4Addr::from(lo & mask(prefix)), prefix))
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

/// The Service CIDR as the `kubernetes` Service implies it: that Service has the range's first
/// address, so the network is the address before it; the range is the widest one from /12
/// (kubeadm's default size) down to /28 that this network starts and that holds every
/// ClusterIP (10.96.0.0/12 for kubeadm, 10.43.0.0/16 for k3s).
pub(super) fn infer_service_cidr(kubernetes: Ipv4Addr, cluster_ips: &[Ipv4Addr]) -> (Ipv4Addr, u8) {
    let net = u32::from(kubernetes).saturating_sub(1);
    let fits = |p: u8| net & mask(p) == net && cluster_ips.iter().all(|ip| u32::from(*ip) & mask(p) == net);
    let p = (12..=28).find(|p| fits(*p)).unwrap_or(28);
    (Ipv4Addr::from(net & mask(p)), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_and_inferred_ranges() {
        let c = |s: &str| crate::cluster::parse_cidr(s).unwrap_or((Ipv4Addr::UNSPECIFIED, 0));
        assert_eq!(
            covering([c("10.244.0.0/24"), c("10.244.2.0/24")].into_iter()),
            Some(c("10.244.0.0/22"))
        );
        assert_eq!(covering(std::iter::empty()), None);
        let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap_or(Ipv4Addr::UNSPECIFIED);
        assert_eq!(
            infer_service_cidr(ip("10.96.0.1"), &[ip("10.96.0.10"), ip("10.100.3.4")]),
            c("10.96.0.0/12")
        );
        assert_eq!(infer_service_cidr(ip("10.43.0.1"), &[ip("10.43.0.10")]), c("10.43.0.0/16"));
        assert_eq!(
            corefile_domain(".:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n"),
            Some("cluster.local".into())
        );
        assert_eq!(corefile_domain(".:53 {\n    kubernetes {\n"), None);
    }
}
