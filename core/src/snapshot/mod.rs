//! Snapshot import: a real cluster's `kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,
//! endpointslices,configmaps -A -o yaml` (a `List` of objects as its API server wrote them,
//! with status, generated names, IPs, `managedFields`) loaded as that cluster, and a typed
//! [`Report`] of what was read from where and what was not imported.
//!
//! Mapped as upstream has it:
//! - **Nodes** from their `InternalIP` (IPv4) and `spec.podCIDR`; each podCIDR is occupied in
//!   node-ipam's allocator (the range allocator's `occupyCIDRs` at start) and becomes the
//!   node's host-local range.
//! - **Settings** from where the cluster keeps them: the Service CIDR from `ServiceCIDR`
//!   objects, else kube-apiserver's `--service-cluster-ip-range` (its static Pod's command),
//!   else inferred from the `kubernetes` Service (the range's first address); the cluster CIDR
//!   and node mask from kube-controller-manager's `--cluster-cidr` / `--node-cidr-mask-size`,
//!   else kube-proxy's `clusterCIDR`, else the nodes' podCIDRs; kube-proxy's mode and IPVS
//!   scheduler from `config.conf` in ConfigMap `kube-system/kube-proxy` (`mode: ""` is
//!   iptables on Linux, as `platformApplyDefaults`); the cluster domain from the Corefile's
//!   `kubernetes` zone; CoreDNS serves the `coredns` ConfigMap's Corefile.
//! - **Allocators**: every ClusterIP and NodePort is reserved (as the API server's repair
//!   loops rebuild them from the stored Services), every running Pod's IP is held in its
//!   node's host-local range, names are taken since the objects are stored, UIDs are kept.
//! - **Workloads** keep their names: ReplicaSets are adopted by their Deployment by template
//!   (`EqualIgnoreHash`, in the Deployment controller), so no rollout starts; Pods keep their
//!   phase, IP, node and readiness; Endpoints and EndpointSlices are stored as they were and
//!   the controllers reconcile onto them (same names, no new slices).
//! - **Time**: the oldest timestamp is the simulated epoch ([`crate::time::Epoch`]) and the
//!   clock starts at the newest, so AGE reads as it did on the real cluster when the snapshot
//!   was taken and `creationTimestamp`s print as written.
//!
//! Not modelled, and listed in the report rather than dropped silently: Pods owned by a
//! DaemonSet, StatefulSet, Job or any other controller; kinds sdplay does not serve (CRDs,
//! Events, DaemonSets themselves…); IPv6 objects (the IPv6 half of a dual-stack Service or
//! node is noted and dropped); objects that cannot be read. `resourceVersion`s are the
//! simulated store's own. Approximation: host-local's `last_reserved_ip` is not in a
//! snapshot, so a node's next Pod IP follows the highest one in use.

mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::cluster::{Cluster, Config, Platform, MAX_NODES};
use crate::model::*;
use crate::proxy::ipvs::Sched;
use crate::proxy::ProxyMode;
use crate::time::{Epoch, SimTime};
use crate::trace::{Element, Route, What};
use crate::yaml::Node as YNode;

/// A snapshot loaded as a cluster, and what the import did.
pub struct Imported {
    pub cluster: Cluster,
    pub report: Report,
}

/// Why a snapshot could not be loaded at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// The text is not YAML (or JSON).
    Yaml(crate::yaml::YamlError),
    /// No document holds an object (or a `List` of them).
    NoObjects,
    /// No Node could be imported: there is nothing to run the Pods on.
    NoNodes,
    /// More Nodes than the simulation holds ([`MAX_NODES`]).
    TooManyNodes(usize),
}

/// Where a setting of the imported cluster was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A `networking.k8s.io` ServiceCIDR object (by name).
    ServiceCidrObject(String),
    /// A flag of a control-plane static Pod's command: (Pod name, flag).
    Flag { pod: String, flag: &'static str },
    /// `config.conf` in ConfigMap `kube-system/kube-proxy` (the key read).
    KubeProxyConfig(&'static str),
    /// Inferred from the `kubernetes` Service's ClusterIP (the range's first address) and the
    /// other ClusterIPs.
    KubernetesService,
    /// The nodes' `spec.podCIDR`s.
    NodePodCidrs,
    /// The Corefile of ConfigMap `kube-system/coredns`.
    Corefile,
    /// The endpoints of Service `default/kubernetes` (the API server's endpoint reconciler
    /// writes its `--advertise-address` and `--secure-port` there): the EndpointSlice, else
    /// the Endpoints.
    KubernetesEndpoints,
    /// A control-plane node's InternalIP and kubeadm's default `--secure-port` (6443).
    ControlPlaneNode,
    /// kind's providerID on the nodes (`kind://<provider>/<cluster>/<node>`).
    KindProviderId,
    /// minikube's `minikube.k8s.io/name` label on the nodes.
    MinikubeLabel,
    /// Nothing in the snapshot says: upstream's default.
    Default,
}

/// An object of the snapshot that is not in the imported cluster, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotImported {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// A Pod whose controller sdplay does not model (DaemonSet, StatefulSet, Job, …).
    OwnedBy { kind: String, name: String },
    /// A kind sdplay does not serve (a CRD's, Events, DaemonSets, …).
    KindNotModelled { api_version: String },
    /// Read for the cluster's settings, not stored (ServiceCIDR).
    ReadForSettings,
    /// IPv6 only (an IPv6 Service, Pod or EndpointSlice): the simulation is IPv4.
    Ipv6,
    /// An EndpointSlice of another address type (FQDN).
    AddressType(String),
    /// A Node without an IPv4 InternalIP.
    NoIpv4InternalIp,
    /// A Pod bound to a node that was not imported.
    NodeNotImported(String),
    /// The object could not be read (the decoder's words).
    Unreadable(String),
    /// The same kind, namespace and name came earlier in the snapshot.
    Duplicate,
}

/// Something the import adjusted or could not honour, for an object it did import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A dual-stack object: its IPv6 family is dropped.
    DualStack { key: ObjKey },
    /// A ClusterIP outside the Service CIDR, or already taken: kept, not reserved.
    ClusterIpNotReserved { service: ObjKey, ip: Ipv4Addr, outside: bool },
    /// A NodePort outside 30000–32767, or already taken: kept, not reserved.
    NodePortNotReserved { service: ObjKey, port: i64, outside: bool },
    /// A Pod IP outside its node's podCIDR (or held twice): kept, not reserved.
    PodIpNotReserved { pod: ObjKey, ip: Ipv4Addr, node: String },
    /// A podCIDR outside the cluster CIDR (or given twice): kept as the node's range.
    NodeCidrNotReserved { node: String, cidr: String },
    /// A node without a podCIDR: its Pods get no addresses from it.
    NodeWithoutPodCidr { node: String },
    /// A namespace that objects were in but that the snapshot did not list: created.
    NamespaceAdded { namespace: String },
    /// A Pod bound to its node but not running yet: the simulated kubelet starts it.
    PodStarting { pod: ObjKey },
    /// kube-proxy's mode is one sdplay does not model: iptables instead.
    ProxyModeNotModelled { mode: String },
}

/// What the import read and did, typed; [`crate::explain::snapshot_report`] words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Objects imported, per kind.
    pub imported: BTreeMap<Kind, usize>,
    /// Each node: name, InternalIP, podCIDR.
    pub nodes: Vec<(String, Ipv4Addr, Option<String>)>,
    pub service_cidr: ((Ipv4Addr, u8), Source),
    /// Cluster CIDR and node mask size.
    pub cluster_cidr: ((Ipv4Addr, u8), u8, Source),
    pub proxy: (ProxyMode, Sched, Source),
    pub cluster_domain: (String, Source),
    /// What runs the nodes (`Other` when no node says: its source is then `Default`).
    pub platform: (Platform, Source),
    /// The API server's URL (`kubectl cluster-info`'s control plane).
    pub api_server: (String, Source),
    /// Whether CoreDNS serves the snapshot's own Corefile.
    pub corefile: bool,
    /// The newest timestamp (the clock now), RFC 3339, if the snapshot had any.
    pub clock: Option<String>,
    /// Deployments whose ReplicaSet was adopted: (namespace, Deployment, ReplicaSet).
    pub adopted: Vec<(String, String, String)>,
    pub not_imported: Vec<NotImported>,
    pub notes: Vec<Note>,
}

/// One item of the snapshot, classified.
struct Entry<'a> {
    kind: Kind,
    node: &'a YNode,
}

/// Load `text` as a cluster. `base` gives the seed (and nothing else: every setting comes from
/// the snapshot or upstream's defaults).
pub fn import(text: &str, base: &Config) -> Result<Imported, SnapshotError> {
    let docs = crate::yaml::parse_stream(text).map_err(SnapshotError::Yaml)?;
    let mut items: Vec<&YNode> = Vec::new();
    for d in &docs {
        read::flatten(&d.root, &mut items);
    }
    if items.is_empty() {
        return Err(SnapshotError::NoObjects);
    }
    let mut not_imported = Vec::new();
    let mut notes = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut service_cidrs: Vec<(String, (Ipv4Addr, u8))> = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    for item in &items {
        let api_version = read::text(item, &["apiVersion"]).unwrap_or_default();
        let kind_s = read::text(item, &["kind"]).unwrap_or_default();
        let name = read::text(item, &["metadata", "name"]).unwrap_or_default();
        let namespace = read::text(item, &["metadata", "namespace"]).unwrap_or_default();
        let skip = |why: Why| NotImported {
            kind: kind_s.clone(),
            namespace: namespace.clone(),
            name: name.clone(),
            why,
        };
        if !seen.insert((kind_s.clone(), namespace.clone(), name.clone())) {
            not_imported.push(skip(Why::Duplicate));
            continue;
        }
        if kind_s == "ServiceCIDR" && api_version.starts_with("networking.k8s.io/") {
            for c in read::strings(item, &["spec", "cidrs"]) {
                if let Some(cidr) = crate::cluster::parse_cidr(&c) {
                    service_cidrs.push((name.clone(), cidr));
                }
            }
            not_imported.push(skip(Why::ReadForSettings));
            continue;
        }
        let kind = Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == kind_s && k.api_version() == api_version && *k != Kind::DaemonSet);
        match kind {
            Some(kind) => entries.push(Entry { kind, node: item }),
            None => not_imported.push(skip(Why::KindNotModelled { api_version })),
        }
    }

    // The clock: the oldest timestamp is the epoch, the newest is now.
    let mut stamps = (i64::MAX, i64::MIN);
    for e in &entries {
        read::timestamps(e.node, &mut stamps);
    }
    let (epoch, now_secs) = if stamps.0 <= stamps.1 {
        (Epoch(stamps.0), Some(stamps.1))
    } else {
        (Epoch::DEFAULT, None)
    };
    let at = |n: &YNode, path: &[&str]| -> Option<SimTime> {
        read::text(n, path)
            .and_then(|s| crate::time::parse_rfc3339(&s))
            .and_then(|u| epoch.at(u))
    };

    // Nodes first: everything else is placed on them.
    let mut nodes: Vec<Node> = Vec::new();
    let mut node_names: BTreeSet<String> = BTreeSet::new();
    let mut platform: Option<Platform> = None;
    for e in entries.iter().filter(|e| e.kind == Kind::Node) {
        let name = read::text(e.node, &["metadata", "name"]).unwrap_or_default();
        let Some(ip) = read::internal_ipv4(e.node) else {
            not_imported.push(NotImported {
                kind: "Node".into(),
                namespace: String::new(),
                name,
                why: Why::NoIpv4InternalIp,
            });
            continue;
        };
        let cidrs = read::strings(e.node, &["spec", "podCIDRs"]);
        let pod_cidr = read::text(e.node, &["spec", "podCIDR"])
            .into_iter()
            .chain(cidrs.iter().cloned())
            .find_map(|c| crate::cluster::parse_cidr(&c));
        if cidrs.iter().any(|c| c.contains(':')) {
            notes.push(Note::DualStack {
                key: ObjKey::new(Kind::Node, "", &name),
            });
        }
        if platform.is_none() {
            platform = read::platform(e.node);
        }
        let labels = read::labels(e.node, &["metadata", "labels"]);
        let control_plane =
            labels.contains_key("node-role.kubernetes.io/control-plane") || labels.contains_key("node-role.kubernetes.io/master");
        let mut meta = read::meta(e.node, &at);
        meta.labels = labels.into();
        meta.annotations = read::labels(e.node, &["metadata", "annotations"]).into();
        node_names.insert(name);
        nodes.push(Node {
            meta,
            internal_ip: ip,
            pod_cidr,
            control_plane,
            system: read::node_system(e.node),
        });
    }
    if nodes.is_empty() {
        return Err(SnapshotError::NoNodes);
    }
    if nodes.len() > MAX_NODES {
        return Err(SnapshotError::TooManyNodes(nodes.len()));
    }

    // The settings, from where the cluster keeps them.
    let system_pod = |prefix: &str| {
        entries.iter().find(|e| {
            e.kind == Kind::Pod
                && read::text(e.node, &["metadata", "namespace"]).as_deref() == Some("kube-system")
                && read::labels(e.node, &["metadata", "labels"]).get("component") == Some(prefix)
        })
    };
    let flag = |component: &str, flag: &'static str| -> Option<(String, String)> {
        let e = system_pod(component)?;
        let pod = read::text(e.node, &["metadata", "name"]).unwrap_or_default();
        read::command_flag(e.node, flag).map(|v| (pod, v))
    };
    let first_v4 = |list: &str| list.split(',').find_map(crate::cluster::parse_cidr);
    let configmap = |ns: &str, name: &str| {
        entries.iter().find(|e| {
            e.kind == Kind::ConfigMap
                && read::text(e.node, &["metadata", "namespace"]).as_deref() == Some(ns)
                && read::text(e.node, &["metadata", "name"]).as_deref() == Some(name)
        })
    };
    let kubernetes_svc = entries.iter().find(|e| {
        e.kind == Kind::Service
            && read::text(e.node, &["metadata", "namespace"]).as_deref() == Some("default")
            && read::text(e.node, &["metadata", "name"]).as_deref() == Some("kubernetes")
    });
    let cluster_ips: Vec<Ipv4Addr> = entries
        .iter()
        .filter(|e| e.kind == Kind::Service)
        .filter_map(|e| read::text(e.node, &["spec", "clusterIP"])?.parse().ok())
        .collect();
    let service_cidr = if let Some((name, cidr)) = service_cidrs.first() {
        (*cidr, Source::ServiceCidrObject(name.clone()))
    } else if let Some((pod, cidr)) = flag("kube-apiserver", "--service-cluster-ip-range").and_then(|(p, v)| first_v4(&v).map(|c| (p, c))) {
        (
            cidr,
            Source::Flag {
                pod,
                flag: "--service-cluster-ip-range",
            },
        )
    } else if let Some(ip) = kubernetes_svc.and_then(|e| read::text(e.node, &["spec", "clusterIP"])?.parse::<Ipv4Addr>().ok()) {
        (read::infer_service_cidr(ip, &cluster_ips), Source::KubernetesService)
    } else {
        (Config::default().service_cidr, Source::Default)
    };

    let kube_proxy_conf = configmap("kube-system", "kube-proxy")
        .and_then(|e| read::text(e.node, &["data", "config.conf"]))
        .and_then(|t| crate::yaml::parse_stream(&t).ok())
        .and_then(|d| d.into_iter().next())
        .map(|d| d.root);
    let node_mask_from_nodes = nodes.iter().find_map(|n| n.pod_cidr.map(|c| c.1));
    let (cluster_cidr, node_mask, cluster_source) = {
        let kcm = flag("kube-controller-manager", "--cluster-cidr").and_then(|(p, v)| first_v4(&v).map(|c| (p, c)));
        let mask = flag("kube-controller-manager", "--node-cidr-mask-size-ipv4")
            .or_else(|| flag("kube-controller-manager", "--node-cidr-mask-size"))
            .and_then(|(_, v)| v.parse::<u8>().ok())
            .or(node_mask_from_nodes)
            .unwrap_or(24);
        if let Some((pod, c)) = kcm {
            (
                c,
                mask,
                Source::Flag {
                    pod,
                    flag: "--cluster-cidr",
                },
            )
        } else if let Some(c) = kube_proxy_conf
            .as_ref()
            .and_then(|r| read::text(r, &["clusterCIDR"]))
            .and_then(|v| first_v4(&v))
        {
            (c, mask, Source::KubeProxyConfig("clusterCIDR"))
        } else if let Some(c) = read::covering(nodes.iter().filter_map(|n| n.pod_cidr)) {
            (c, mask, Source::NodePodCidrs)
        } else {
            let d = Config::default();
            (d.cluster_cidr, d.node_cidr_mask_size, Source::Default)
        }
    };
    let (proxy_mode, proxy_source) = match kube_proxy_conf.as_ref().map(|r| read::text(r, &["mode"]).unwrap_or_default()) {
        // `mode: ""`: kube-proxy's `platformApplyDefaults` picks iptables on Linux.
        Some(m) if m.is_empty() => (ProxyMode::Iptables, Source::KubeProxyConfig("mode")),
        Some(m) => match ProxyMode::parse(&m) {
            Some(p) => (p, Source::KubeProxyConfig("mode")),
            None => {
                notes.push(Note::ProxyModeNotModelled { mode: m });
                (ProxyMode::Iptables, Source::Default)
            }
        },
        None => (ProxyMode::Iptables, Source::Default),
    };
    let sched = kube_proxy_conf
        .as_ref()
        .and_then(|r| read::text(r, &["ipvs", "scheduler"]))
        .and_then(|s| Sched::parse(&s))
        .unwrap_or(Sched::Rr);
    let corefile = configmap("kube-system", "coredns").and_then(|e| read::text(e.node, &["data", "Corefile"]));
    let domain = match corefile.as_deref().and_then(read::corefile_domain) {
        Some(d) => (d, Source::Corefile),
        None => ("cluster.local".to_string(), Source::Default),
    };

    let mut config = Config {
        seed: base.seed,
        nodes: nodes.len(),
        proxy_mode,
        ipvs_scheduler: sched,
        ipvs_exclude_cidrs: Vec::new(),
        service_cidr: service_cidr.0,
        cluster_cidr,
        node_cidr_mask_size: node_mask,
        cluster_domain: domain.0.clone(),
        uptime_secs: 0,
        epoch,
        platform: platform.clone().unwrap_or(Platform::Other),
        api_server: String::new(),
    };
    let platform_report = match platform {
        Some(p @ Platform::Kind { .. }) => (p, Source::KindProviderId),
        Some(p @ Platform::Minikube { .. }) => (p, Source::MinikubeLabel),
        _ => (Platform::Other, Source::Default),
    };
    let mut cluster_report = (cluster_cidr, node_mask, cluster_source);
    if config.problem().is_some() {
        // A pair kube-controller-manager would refuse: the nodes keep their podCIDRs anyway.
        let d = Config::default();
        config.cluster_cidr = d.cluster_cidr;
        config.node_cidr_mask_size = d.node_cidr_mask_size;
        cluster_report = (d.cluster_cidr, d.node_cidr_mask_size, Source::Default);
    }
    let mut c = Cluster::empty(config);
    let mut imported: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut count = |k: Kind| *imported.entry(k).or_default() += 1;

    // Namespaces: the listed ones, and any an object is in.
    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    for e in entries.iter().filter(|e| e.kind == Kind::Namespace) {
        if let Some(obj) = decode(e, &at, &mut c, &mut not_imported) {
            namespaces.insert(obj.meta().name.to_string());
            c.write(obj);
            count(Kind::Namespace);
        }
    }
    for e in entries.iter().filter(|e| e.kind.namespaced()) {
        let ns = read::text(e.node, &["metadata", "namespace"]).unwrap_or_default();
        if !ns.is_empty() && namespaces.insert(ns.clone()) {
            let mut l = Labels::new();
            l.insert("kubernetes.io/metadata.name".into(), ns.clone().into());
            let meta = ObjectMeta {
                name: ns.clone().into(),
                labels: l.into(),
                uid: c.new_uid(),
                ..Default::default()
            };
            c.write(Object::Namespace(Namespace { meta }));
            notes.push(Note::NamespaceAdded { namespace: ns });
        }
    }

    let mut report_nodes = Vec::new();
    for n in nodes {
        let name = n.meta.name.to_string();
        match n.pod_cidr {
            Some(cidr) => {
                if !c.adopt_node_cidr(&name, cidr) {
                    notes.push(Note::NodeCidrNotReserved {
                        node: name.clone(),
                        cidr: format!("{}/{}", cidr.0, cidr.1),
                    });
                }
            }
            None => notes.push(Note::NodeWithoutPodCidr { node: name.clone() }),
        }
        report_nodes.push((name, n.internal_ip, n.pod_cidr_string()));
        c.write(Object::Node(n));
        count(Kind::Node);
    }

    // ConfigMaps (the Corefile is CoreDNS's from the start), then Services with their
    // addresses reserved, then the workloads and endpoints.
    for kind in [
        Kind::ConfigMap,
        Kind::Service,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::Pod,
        Kind::Endpoints,
        Kind::EndpointSlice,
    ] {
        for e in entries.iter().filter(|e| e.kind == kind) {
            let key = ObjKey::new(
                kind,
                &read::text(e.node, &["metadata", "namespace"]).unwrap_or_default(),
                &read::text(e.node, &["metadata", "name"]).unwrap_or_default(),
            );
            let skip = |why: Why| NotImported {
                kind: kind.name().into(),
                namespace: key.namespace.to_string(),
                name: key.name.to_string(),
                why,
            };
            match kind {
                Kind::Service => {
                    let families = read::strings(e.node, &["spec", "ipFamilies"]);
                    if families.first().map(String::as_str) == Some("IPv6") {
                        not_imported.push(skip(Why::Ipv6));
                        continue;
                    }
                    if families.len() > 1 {
                        notes.push(Note::DualStack { key: key.clone() });
                    }
                }
                Kind::EndpointSlice => {
                    let t = read::text(e.node, &["addressType"]).unwrap_or_default();
                    if t == "IPv6" {
                        not_imported.push(skip(Why::Ipv6));
                        continue;
                    }
                    if t != "IPv4" {
                        not_imported.push(skip(Why::AddressType(t)));
                        continue;
                    }
                }
                Kind::Pod => {
                    if let Some((k, n)) = read::controller(e.node).filter(|(k, _)| k != "ReplicaSet" && k != "Node") {
                        not_imported.push(skip(Why::OwnedBy { kind: k, name: n }));
                        continue;
                    }
                    if let Some(n) = read::text(e.node, &["spec", "nodeName"]).filter(|n| !node_names.contains(n)) {
                        not_imported.push(skip(Why::NodeNotImported(n)));
                        continue;
                    }
                    if read::text(e.node, &["status", "podIP"]).is_some_and(|ip| ip.contains(':')) {
                        not_imported.push(skip(Why::Ipv6));
                        continue;
                    }
                    if read::strings_of(e.node, &["status", "podIPs"], "ip").len() > 1 {
                        notes.push(Note::DualStack { key: key.clone() });
                    }
                }
                _ => {}
            }
            let Some(mut obj) = decode(e, &at, &mut c, &mut not_imported) else {
                continue;
            };
            match &mut obj {
                Object::Service(s) => {
                    s.load_balancer_ips = read::strings_of(e.node, &["status", "loadBalancer", "ingress"], "ip")
                        .iter()
                        .filter_map(|i| i.parse().ok())
                        .collect();
                    for r in c.api.reserve_service(s) {
                        notes.push(match r {
                            crate::api::server::Reservation::ClusterIp(ip, err) => Note::ClusterIpNotReserved {
                                service: key.clone(),
                                ip,
                                outside: err == crate::ipam::AllocError::NotInRange,
                            },
                            crate::api::server::Reservation::NodePort(port, err) => Note::NodePortNotReserved {
                                service: key.clone(),
                                port,
                                outside: err == crate::ipam::AllocError::NotInRange,
                            },
                        });
                    }
                }
                Object::Deployment(d) => {
                    d.status = read::workload_status(e.node);
                    d.collision_count = read::int(e.node, &["status", "collisionCount"])
                        .and_then(|v| u32::try_from(v).ok())
                        .unwrap_or(0);
                }
                Object::ReplicaSet(r) => r.status = read::workload_status(e.node),
                Object::Pod(p) => {
                    p.status = read::pod_status(e.node, &at);
                    if p.meta.owner.as_ref().is_some_and(|o| o.kind == Kind::Node) {
                        // A static Pod's mirror: the kubelet owns it, no controller does.
                        p.meta.owner = None;
                    }
                    let running = p.status.phase == PodPhase::Running || p.status.pod_ip.is_some();
                    if p.spec.node_name.is_some() && !running && !p.is_terminating() {
                        // Bound, not started yet: the simulated kubelet takes it from here.
                        p.status = PodStatus::default();
                        notes.push(Note::PodStarting { pod: key.clone() });
                    }
                    if let (Some(node), Some(ip), false) = (&p.spec.node_name, p.status.pod_ip, p.spec.host_network) {
                        let owner = format!("{}/{}", p.meta.namespace, p.meta.name);
                        if !c.adopt_pod_ip(node, ip, &owner) {
                            notes.push(Note::PodIpNotReserved {
                                pod: key.clone(),
                                ip,
                                node: node.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
            let applied = obj.meta().annotations.get(LAST_APPLIED).and_then(|t| last_applied(t, &key));
            c.write(obj);
            if let Some(a) = applied {
                c.api.record_applied(key.clone(), a);
            }
            count(kind);
        }
    }

    // The controllers reconcile over what is there; then the clock moves to the snapshot's
    // newest timestamp.
    c.settle();
    let adopted = adopted_replicasets(&c);
    let api_server = api_server_url(&c);
    c.config.api_server = api_server.0.clone();
    if let Some(now) = now_secs.and_then(|n| epoch.at(n)) {
        c.advance_to(now);
    }
    let report = Report {
        imported,
        nodes: report_nodes,
        service_cidr,
        cluster_cidr: cluster_report,
        proxy: (proxy_mode, sched, proxy_source),
        cluster_domain: domain,
        platform: platform_report,
        api_server,
        corefile: corefile.is_some(),
        clock: now_secs.map(|n| Epoch(n).rfc3339(SimTime::ZERO)),
        adopted,
        not_imported,
        notes,
    };
    c.record(
        What::SnapshotImported {
            objects: report.imported.values().sum(),
            nodes: report.nodes.len(),
            not_imported: report.not_imported.len(),
        },
        Route::new(Element::Workstation, Element::ApiServer),
    );
    Ok(Imported { cluster: c, report })
}

/// Decode one entry leniently and fill in the metadata the API server wrote (uid, timestamps,
/// generation, owner). `None` (and a report line) when it cannot be read.
fn decode(e: &Entry, at: &dyn Fn(&YNode, &[&str]) -> Option<SimTime>, c: &mut Cluster, skipped: &mut Vec<NotImported>) -> Option<Object> {
    match crate::manifest::decode_lenient(e.kind, e.node) {
        Ok(mut obj) => {
            let m = read::meta(e.node, at);
            let meta = obj.meta_mut();
            meta.uid = if m.uid.is_empty() { c.new_uid() } else { m.uid };
            meta.creation = m.creation;
            meta.deletion = m.deletion;
            meta.generation = m.generation;
            meta.owner = m.owner;
            if !e.kind.namespaced() {
                meta.namespace.clear();
            }
            Some(obj)
        }
        Err(err) => {
            let detail = match &err {
                crate::manifest::DecodeError::WrongType(i) => i.detail.clone(),
                other => format!("{other:?}"),
            };
            skipped.push(NotImported {
                kind: e.kind.name().into(),
                namespace: read::text(e.node, &["metadata", "namespace"]).unwrap_or_default(),
                name: read::text(e.node, &["metadata", "name"]).unwrap_or_default(),
                why: Why::Unreadable(detail),
            });
            None
        }
    }
}

/// The annotation `kubectl apply` keeps its last manifest in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The manifest an imported object was last applied from (its annotation, JSON), decoded as
/// `kubectl apply` would send it: a later apply of the same file is `unchanged`, and no
/// missing-annotation warning is printed. `None` if it does not decode to this object.
fn last_applied(text: &str, key: &ObjKey) -> Option<Object> {
    let crate::manifest::Parsed::Items(items) = crate::manifest::parse(text) else {
        return None;
    };
    let mut obj = items.into_iter().next()?.result.ok()?;
    if key.kind.namespaced() && obj.meta().namespace.is_empty() {
        obj.meta_mut().namespace = key.namespace.clone();
    }
    (obj.key() == *key).then_some(obj)
}

/// The API server's URL as the imported cluster knows it: the `kubernetes` Service's
/// endpoint (its EndpointSlice, else its Endpoints: the apiserver's endpoint reconciler writes
/// `--advertise-address:--secure-port` there), else the first control-plane node on kubeadm's
/// 6443. The kubeconfig the learner used is not in the API: kind's points at a forwarded port
/// on 127.0.0.1 (`https://127.0.0.1:<random port>`) the snapshot cannot know, so this is the
/// address the API server advertises (what `kind get kubeconfig --internal` reaches by name).
fn api_server_url(c: &Cluster) -> (String, Source) {
    let store = c.store();
    let port_of = |ports: &[EndpointPort]| {
        ports
            .iter()
            .find(|p| p.name.as_deref() == Some("https"))
            .or(ports.first())
            .map(|p| p.port)
    };
    let from_slice = store.list(Kind::EndpointSlice, Some("default")).find_map(|o| match o {
        Object::EndpointSlice(s) if s.service_name() == Some("kubernetes") => {
            let ip = s.endpoints.iter().find_map(|e| e.addresses.first())?;
            Some((*ip, port_of(&s.ports)?))
        }
        _ => None,
    });
    let from_endpoints = || match store.get(&ObjKey::new(Kind::Endpoints, "default", "kubernetes")) {
        Some(Object::Endpoints(e)) => e.subsets.iter().find_map(|s| Some((s.addresses.first()?.ip, port_of(&s.ports)?))),
        _ => None,
    };
    if let Some((ip, port)) = from_slice.or_else(from_endpoints) {
        return (format!("https://{ip}:{port}"), Source::KubernetesEndpoints);
    }
    let cp = store.list(Kind::Node, None).find_map(|o| match o {
        Object::Node(n) if n.control_plane => Some(n.internal_ip),
        _ => None,
    });
    let ip = cp.or_else(|| {
        store.list(Kind::Node, None).find_map(|o| match o {
            Object::Node(n) => Some(n.internal_ip),
            _ => None,
        })
    });
    (
        ip.map_or_else(|| Config::default().api_server, |ip| format!("https://{ip}:6443")),
        Source::ControlPlaneNode,
    )
}

/// Each Deployment with the ReplicaSet its controller took as its new one (by template).
fn adopted_replicasets(c: &Cluster) -> Vec<(String, String, String)> {
    let store = c.store();
    let mut out = Vec::new();
    for o in store.list(Kind::Deployment, None) {
        let Object::Deployment(d) = o else { continue };
        let new = store.owned_by(&d.meta.uid).find_map(|o| match o {
            Object::ReplicaSet(r) if crate::controllers::workloads::equal_ignore_hash(&r.template, &d.template) => {
                Some(r.meta.name.to_string())
            }
            _ => None,
        });
        if let Some(rs) = new {
            out.push((d.meta.namespace.to_string(), d.meta.name.to_string(), rs));
        }
    }
    out
}

#[cfg(test)]
mod tests;
