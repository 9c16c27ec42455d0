//! The API objects sdplay knows, as typed Rust values: what the API server stores.
//!
//! These mirror the Kubernetes types field for field where the chapter (and kubectl's printers)
//! need them, and nothing more. Objects are plain data: behaviour lives in `api` (admission,
//! storage) and `controllers` (what reacts to them).

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;
use std::sync::Arc;

use crate::time::SimTime;
pub use compact_str::CompactString;

pub use crate::labels::Labels;
pub use crate::uid::Uid;

/// Every kind the simulated API server serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    ConfigMap,
    Secret,
    Deployment,
    ReplicaSet,
    DaemonSet,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::ConfigMap,
        Kind::Secret,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::DaemonSet,
    ];

    /// The `Kind` as written in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::DaemonSet => "DaemonSet",
        }
    }

    /// `apiVersion` for this kind.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => "apps/v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            _ => "v1",
        }
    }

    /// The resource name kubectl prints before the slash (`deployment.apps/enterprise`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespace",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::DaemonSet => "daemonset.apps",
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// foldhash with its fixed seed, for the hash maps of the store and the Event log: the same
/// hashes in every run and on every platform (those maps are never iterated in hash order
/// anyway). Not flood-resistant, and neither was SipHash with keys written in the source: a
/// learner who crafts colliding names slows only their own tab.
pub type FixedHash = foldhash::fast::FixedState;

/// The identity of an object in the store: kind, namespace ("" when cluster-scoped), name.
/// Ordered so that a range over one kind and namespace lists objects sorted by name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjKey {
    pub kind: Kind,
    /// Inline up to 24 bytes, as `name`: a key is built, cloned, hashed and compared without
    /// touching the heap (keys are copied into the store's map, its ordered set, the undo log,
    /// the indexes and every event).
    pub namespace: CompactString,
    pub name: CompactString,
}

impl ObjKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        let namespace = if kind.namespaced() {
            CompactString::new(namespace)
        } else {
            CompactString::default()
        };
        ObjKey {
            kind,
            namespace,
            name: CompactString::new(name),
        }
    }
}

/// A key to look an object up by without building an [`ObjKey`] (two allocations per lookup):
/// `store.get_ref(&KeyView(Kind::Pod, ns, name))`. Orders exactly as `ObjKey` does, so a map
/// keyed by `ObjKey` can be searched with it ([`std::borrow::Borrow`] to `dyn KeyParts`).
#[derive(Clone, Copy, Debug)]
pub struct KeyView<'a>(pub Kind, pub &'a str, pub &'a str);

/// The parts of a key, borrowed: what [`ObjKey`] and [`KeyView`] share.
pub trait KeyParts {
    fn parts(&self) -> (Kind, &str, &str);
}

impl KeyParts for ObjKey {
    fn parts(&self) -> (Kind, &str, &str) {
        (self.kind, &self.namespace, &self.name)
    }
}

impl KeyParts for KeyView<'_> {
    fn parts(&self) -> (Kind, &str, &str) {
        // As `ObjKey::new`: cluster-scoped kinds have no namespace.
        (self.0, if self.0.namespaced() { self.1 } else { "" }, self.2)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyParts + 'a> for ObjKey {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

/// Hashes as the derived `Hash` of [`ObjKey`] (kind, namespace, name in order), so a
/// `HashMap<ObjKey, _>` can be searched with a [`KeyView`].
impl std::hash::Hash for dyn KeyParts + '_ {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let (kind, ns, name) = self.parts();
        kind.hash(h);
        ns.hash(h);
        name.hash(h);
    }
}

impl PartialOrd for dyn KeyParts + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyParts + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

impl fmt::Display for ObjKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind.resource(), self.name)
        } else {
            write!(f, "{}/{} ({})", self.kind.resource(), self.name, self.namespace)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerRef {
    pub kind: Kind,
    /// Inline up to 24 bytes (a Pod's ReplicaSet, a ReplicaSet's Deployment), as the owner's
    /// own name: copying a Pod for a status write allocates nothing for it.
    pub name: CompactString,
    pub uid: Uid,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Inline up to 24 bytes, as `namespace` (nearly every name a controller generates): a
    /// status write's copy of the object, and the undo log dropping an old version, touch no
    /// separate allocation for them.
    pub name: CompactString,
    /// `metadata.generateName`: the prefix the API server completes a missing name from.
    pub generate_name: CompactString,
    pub namespace: CompactString,
    /// Shared between an object's versions (a status write copies a pointer, and the undo
    /// log's old version costs no copy); `Arc::make_mut` copies them for a write that changes
    /// one.
    pub labels: Arc<Labels>,
    pub annotations: Arc<Labels>,
    pub uid: Uid,
    pub resource_version: u64,
    pub generation: u64,
    pub creation: SimTime,
    pub deletion: Option<SimTime>,
    pub owner: Option<OwnerRef>,
    /// What a manifest wrote in fields this typed model narrows (see [`Written`]).
    pub written: Written,
}

/// Values a manifest gave for fields the typed model narrows, by field path
/// (`spec.ports[0].protocol` → `HTTP`): an enum value it has no variant for, an address that
/// does not parse. The API server keeps such fields as Go strings and its validation refuses
/// them (`Unsupported value: "HTTP": …`); here the decoder records them as written and
/// `api::validation` refuses each with the same words, so no stored object carries any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written(pub BTreeMap<String, String>);

impl Written {
    /// The value written at `path`, if the model could not hold it.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A label selector (`matchLabels` + `matchExpressions`), as in apimachinery.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: SelectorOp,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Equals,
    NotEquals,
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        let v = labels.get(&self.key);
        match self.op {
            SelectorOp::In | SelectorOp::Equals => v.is_some_and(|v| self.values.iter().any(|x| x == v)),
            SelectorOp::NotIn | SelectorOp::NotEquals => v.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            SelectorOp::Exists => v.is_some(),
            SelectorOp::DoesNotExist => v.is_none(),
        }
    }
}

impl LabelSelector {
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v)) && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

impl fmt::Display for LabelSelector {
    /// `metav1.FormatLabelSelector`: requirements sorted by key (matchLabels as `k=v`,
    /// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`), comma-joined; `<none>` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut reqs: Vec<(&str, String)> = self.match_labels.iter().map(|(k, v)| (k, format!("{k}={v}"))).collect();
        for r in &self.match_expressions {
            let mut values = r.values.clone();
            values.sort();
            let text = match r.op {
                SelectorOp::In => format!("{} in ({})", r.key, values.join(",")),
                SelectorOp::NotIn => format!("{} notin ({})", r.key, values.join(",")),
                SelectorOp::Exists => r.key.clone(),
                SelectorOp::DoesNotExist => format!("!{}", r.key),
                SelectorOp::Equals => format!("{}={}", r.key, values.join(",")),
                SelectorOp::NotEquals => format!("{}!={}", r.key, values.join(",")),
            };
            reqs.push((r.key.as_str(), text));
        }
        reqs.sort_by(|a, b| a.0.cmp(b.0));
        if reqs.is_empty() {
            return f.write_str("<none>");
        }
        let parts: Vec<String> = reqs.into_iter().map(|(_, t)| t).collect();
        f.write_str(&parts.join(","))
    }
}

/// `true` when every key=value of `selector` is in `labels` (a Service's map selector).
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

/// `intstr.IntOrString`: a port number or a port name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => f.write_str(s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Namespace, Node, ConfigMap

#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    pub meta: ObjectMeta,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub meta: ObjectMeta,
    pub internal_ip: Ipv4Addr,
    /// `spec.podCIDR`: `None` when the node-ipam controller had none left (`CIDRNotAvailable`).
    pub pod_cidr: Option<(Ipv4Addr, u8)>,
    pub control_plane: bool,
    /// `status.nodeInfo` as kubectl prints it.
    pub system: NodeSystem,
}

/// What a node's kubelet reports of its system (`status.nodeInfo`): the `-o wide` columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSystem {
    pub os_image: String,
    pub kernel_version: String,
    pub container_runtime: String,
    pub kubelet_version: String,
}

impl Default for NodeSystem {
    /// minikube's (docker driver, Kubernetes v1.31).
    fn default() -> Self {
        NodeSystem {
            os_image: "Ubuntu 22.04.4 LTS".into(),
            kernel_version: "6.8.0-48-generic".into(),
            container_runtime: "docker://27.2.0".into(),
            kubelet_version: "v1.31.0".into(),
        }
    }
}

/// The kubelet's `--max-pods` default: Node `status.capacity.pods` and `allocatable.pods`.
pub const MAX_PODS_PER_NODE: u32 = 110;

/// The CPUs of a simulated node (`status.capacity.cpu`; what a Go program's `GOMAXPROCS`
/// starts from there).
pub const NODE_CPUS: u32 = 8;

/// The taint the node lifecycle controller puts on a NotReady node (`TaintNodeNotReady`).
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";

impl Node {
    /// Whether the container runtime's network is ready: the bridge CNI's config is written from
    /// the node's Pod CIDR, so a node without one reports `NetworkReady=false` and is NotReady
    /// (tainted `node.kubernetes.io/not-ready:NoSchedule`).
    pub fn network_ready(&self) -> bool {
        self.pod_cidr.is_some()
    }

    /// `spec.podCIDR` as printed (`10.244.0.0/24`).
    pub fn pod_cidr_string(&self) -> Option<String> {
        self.pod_cidr.map(|(ip, p)| format!("{ip}/{p}"))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConfigMap {
    pub meta: ObjectMeta,
    pub data: BTreeMap<String, String>,
}

/// A core/v1 Secret: `data` holds the bytes themselves (the API and kubectl show them
/// base64-encoded); `type_` is empty until the API server defaults it to `Opaque`.
#[derive(Clone, Debug, PartialEq)]
pub struct Secret {
    pub meta: ObjectMeta,
    pub type_: String,
    pub data: BTreeMap<String, Vec<u8>>,
}

// ---------------------------------------------------------------------------------------------
// Pods and workloads

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i64,
    pub protocol: Protocol,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub ports: Vec<ContainerPort>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub tty: bool,
    pub stdin: bool,
    pub readiness_delay_seconds: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DnsPolicy {
    #[default]
    ClusterFirst,
    ClusterFirstWithHostNet,
    Default,
    None,
}

impl DnsPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            DnsPolicy::ClusterFirst => "ClusterFirst",
            DnsPolicy::ClusterFirstWithHostNet => "ClusterFirstWithHostNet",
            DnsPolicy::Default => "Default",
            DnsPolicy::None => "None",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodDnsConfig {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSpec {
    /// Shared, not copied, by the Pods of a template and every version of a Pod in the store
    /// and its undo log: a status write clones a reference count, not the containers
    /// (`Arc::make_mut` copies them for the rare write that changes one).
    pub containers: std::sync::Arc<Vec<Container>>,
    pub node_name: Option<String>,
    pub host_network: bool,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub dns_policy: DnsPolicy,
    pub dns_config: Option<PodDnsConfig>,
    pub termination_grace_period_seconds: i64,
    pub restart_policy: String,
}

impl Default for PodSpec {
    fn default() -> Self {
        PodSpec {
            containers: Default::default(),
            node_name: None,
            host_network: false,
            hostname: None,
            subdomain: None,
            dns_policy: DnsPolicy::ClusterFirst,
            dns_config: None,
            termination_grace_period_seconds: 30,
            restart_policy: "Always".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PodPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl PodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodStatus {
    pub phase: PodPhase,
    /// The waiting reason kubectl shows as STATUS while containers start (`ContainerCreating`).
    pub waiting_reason: Option<String>,
    pub pod_ip: Option<Ipv4Addr>,
    pub host_ip: Option<Ipv4Addr>,
    pub ready: bool,
    pub started: Option<SimTime>,
    pub restarts: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pod {
    pub meta: ObjectMeta,
    /// Shared between the Pod's versions: after binding only the status changes, so a status
    /// write copies a pointer instead of the containers, and the undo log dropping an old
    /// version frees none of them. `Arc::make_mut` copies it for a write that changes it.
    pub spec: Arc<PodSpec>,
    pub status: PodStatus,
}

impl Pod {
    pub fn is_terminating(&self) -> bool {
        self.meta.deletion.is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PodTemplate {
    pub labels: Labels,
    pub annotations: Labels,
    pub spec: PodSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkloadStatus {
    pub replicas: i64,
    pub ready: i64,
    pub available: i64,
    pub updated: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub meta: ObjectMeta,
    pub replicas: i64,
    pub selector: Arc<LabelSelector>,
    pub template: Arc<PodTemplate>,
    pub status: WorkloadStatus,
    pub collision_count: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaSet {
    pub meta: ObjectMeta,
    pub replicas: i64,
    pub selector: Arc<LabelSelector>,
    pub template: Arc<PodTemplate>,
    pub status: WorkloadStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DaemonSet {
    pub meta: ObjectMeta,
    pub selector: Arc<LabelSelector>,
    pub template: Arc<PodTemplate>,
    pub status: WorkloadStatus,
}

// ---------------------------------------------------------------------------------------------
// Services and endpoints

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: Protocol,
    pub port: i64,
    pub target_port: IntOrString,
    pub node_port: Option<i64>,
}

/// `spec.clusterIP`: allocated, explicitly `None` (headless), or not yet set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterIp {
    Unset,
    None,
    Ip(Ipv4Addr),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SessionAffinity {
    #[default]
    None,
    ClientIP,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSpec {
    pub type_: ServiceType,
    /// `None` when the Service has no selector (endpoints are managed by hand).
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub cluster_ip: ClusterIp,
    pub external_name: Option<String>,
    pub external_ips: Vec<Ipv4Addr>,
    pub session_affinity: SessionAffinity,
    pub affinity_timeout_seconds: i64,
    pub publish_not_ready_addresses: bool,
    /// Which endpoints NodePort, external and load-balancer traffic may reach.
    pub external_traffic_policy: TrafficPolicy,
    /// Which endpoints ClusterIP traffic may reach.
    pub internal_traffic_policy: TrafficPolicy,
}

/// `Cluster` (any ready endpoint) or `Local` (only endpoints on the node the packet is on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TrafficPolicy {
    #[default]
    Cluster,
    Local,
}

impl TrafficPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficPolicy::Cluster => "Cluster",
            TrafficPolicy::Local => "Local",
        }
    }
}

impl ServiceSpec {
    /// A spec with the API server's defaults (no ClusterIP yet, no affinity — 10800 s if it is
    /// turned on — no external IPs, not-ready addresses unpublished).
    pub fn new(type_: ServiceType, selector: Option<Labels>, ports: Vec<ServicePort>) -> ServiceSpec {
        ServiceSpec {
            type_,
            selector,
            ports,
            cluster_ip: ClusterIp::Unset,
            external_name: None,
            external_ips: Vec::new(),
            session_affinity: SessionAffinity::None,
            affinity_timeout_seconds: 10800,
            publish_not_ready_addresses: false,
            external_traffic_policy: TrafficPolicy::Cluster,
            internal_traffic_policy: TrafficPolicy::Cluster,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub meta: ObjectMeta,
    pub spec: ServiceSpec,
    /// `status.loadBalancer.ingress[*].ip`.
    pub load_balancer_ips: Vec<Ipv4Addr>,
}

impl Service {
    pub fn cluster_ip(&self) -> Option<Ipv4Addr> {
        match self.spec.cluster_ip {
            ClusterIp::Ip(ip) => Some(ip),
            _ => None,
        }
    }

    pub fn is_headless(&self) -> bool {
        self.spec.cluster_ip == ClusterIp::None
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointAddress {
    pub ip: Ipv4Addr,
    pub hostname: Option<String>,
    pub node_name: Option<String>,
    /// The Pod behind this address (`targetRef`), if any.
    pub target: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: i64,
    pub protocol: Protocol,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSubset {
    pub addresses: Vec<EndpointAddress>,
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<EndpointPort>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Endpoints {
    pub meta: ObjectMeta,
    pub subsets: Vec<EndpointSubset>,
}

/// `discovery.k8s.io/v1` EndpointConditions. Each is a pointer upstream: unset unless written,
/// and consumers read an unset one as kube-proxy's `endpointslicecache` does (ready and serving
/// when unset, terminating only when set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointConditions {
    pub ready: Option<bool>,
    pub serving: Option<bool>,
    pub terminating: Option<bool>,
}

impl EndpointConditions {
    /// All three set, as the EndpointSlice controller writes them.
    pub fn set(ready: bool, serving: bool, terminating: bool) -> EndpointConditions {
        EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
        }
    }
    /// `ready == nil || *ready`.
    pub fn is_ready(&self) -> bool {
        self.ready != Some(false)
    }
    /// `serving == nil || *serving`.
    pub fn is_serving(&self) -> bool {
        self.serving != Some(false)
    }
    /// `terminating != nil && *terminating`.
    pub fn is_terminating(&self) -> bool {
        self.terminating == Some(true)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceEndpoint {
    pub addresses: Vec<Ipv4Addr>,
    pub conditions: EndpointConditions,
    pub hostname: Option<String>,
    pub node_name: Option<String>,
    pub zone: Option<String>,
    /// The Pod behind this endpoint (`targetRef`), if any.
    pub target: Option<String>,
}

/// The address family of a slice. Only IPv4 slices carry traffic here (the simulated cluster is
/// single-stack IPv4); kube-proxy and CoreDNS skip the others as a v4 cluster's do.
/// A value the API does not support is kept as written (`Other`, empty when missing) so
/// validation can refuse it with its own words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AddressType {
    #[default]
    IPv4,
    IPv6,
    Fqdn,
    Other(String),
}

impl AddressType {
    pub fn as_str(&self) -> &str {
        match self {
            AddressType::IPv4 => "IPv4",
            AddressType::IPv6 => "IPv6",
            AddressType::Fqdn => "FQDN",
            AddressType::Other(s) => s,
        }
    }
    pub fn parse(s: &str) -> AddressType {
        match s {
            "IPv4" => AddressType::IPv4,
            "IPv6" => AddressType::IPv6,
            "FQDN" => AddressType::Fqdn,
            other => AddressType::Other(other.to_string()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EndpointSlice {
    pub meta: ObjectMeta,
    pub address_type: AddressType,
    pub ports: Vec<EndpointPort>,
    pub endpoints: Vec<SliceEndpoint>,
}

impl EndpointSlice {
    /// The Service this slice belongs to (`kubernetes.io/service-name`), as kube-proxy and
    /// CoreDNS find a slice's Service.
    pub fn service_name(&self) -> Option<&str> {
        self.meta.labels.get(SERVICE_NAME_LABEL)
    }
}

/// The label that ties an EndpointSlice to its Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// The label that names the controller managing a slice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// [`MANAGED_BY_LABEL`] of the slices the EndpointSlice controller writes.
pub const ENDPOINTSLICE_CONTROLLER: &str = "endpointslice-controller.k8s.io";
/// [`MANAGED_BY_LABEL`] of the slices the mirroring controller writes.
pub const MIRRORING_CONTROLLER: &str = "endpointslicemirroring-controller.k8s.io";

// ---------------------------------------------------------------------------------------------

/// Any stored object.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Namespace(Namespace),
    Node(Node),
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    EndpointSlice(EndpointSlice),
    ConfigMap(ConfigMap),
    Secret(Secret),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    DaemonSet(DaemonSet),
}

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::ConfigMap(_) => Kind::ConfigMap,
            Object::Secret(_) => Kind::Secret,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::DaemonSet(_) => Kind::DaemonSet,
        }
    }

    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.meta,
            Object::Node(o) => &o.meta,
            Object::Pod(o) => &o.meta,
            Object::Service(o) => &o.meta,
            Object::Endpoints(o) => &o.meta,
            Object::EndpointSlice(o) => &o.meta,
            Object::ConfigMap(o) => &o.meta,
            Object::Secret(o) => &o.meta,
            Object::Deployment(o) => &o.meta,
            Object::ReplicaSet(o) => &o.meta,
            Object::DaemonSet(o) => &o.meta,
        }
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => &mut o.meta,
            Object::Node(o) => &mut o.meta,
            Object::Pod(o) => &mut o.meta,
            Object::Service(o) => &mut o.meta,
            Object::Endpoints(o) => &mut o.meta,
            Object::EndpointSlice(o) => &mut o.meta,
            Object::ConfigMap(o) => &mut o.meta,
            Object::Secret(o) => &mut o.meta,
            Object::Deployment(o) => &mut o.meta,
            Object::ReplicaSet(o) => &mut o.meta,
            Object::DaemonSet(o) => &mut o.meta,
        }
    }

    pub fn key(&self) -> ObjKey {
        let m = self.meta();
        ObjKey::new(self.kind(), &m.namespace, &m.name)
    }
}
