//! The page's window on the cluster: everything the web crate shows, as plain data (owned
//! strings, numbers and addresses), computed here so the page renders and the core decides.
//!
//! - [`View`]: the cluster live or right after a timeline event (`seq`; the store rebuilt by
//!   [`Playground::store_at`], so history is as bounded as the store's undo log: an event too
//!   old is [`When::Gone`] and the live cluster is shown). From it: [`View::cluster`] (nodes,
//!   namespaces with their workloads, Services with ClusterIP, ports and endpoints per port as
//!   kube-proxy reads them from the EndpointSlices, Pods with kubectl's STATUS, all capped by
//!   [`Limits`]), [`View::dns`] (the zone as the serving CoreDNS answers it then: the Corefile
//!   its Pod loaded or reloaded, not the ConfigMap's until the reload), [`View::details`] (a
//!   Service with its DNS records and per-node rules, a Pod, a node with its rules as its proxy
//!   mode's tool prints them) and [`View::records_of`].
//! - [`problems`]: a manifest's diagnostics with file, line and column; [`source_lines`]: the
//!   lines of a manifest that declare an object (following a Pod to its workload).
//! - [`id`]: the element ids of the diagram, one scheme for the page and for the typed trace
//!   events' `from`/`to` ([`crate::trace::Element::id`] gives the same ids).
//!
//! Rules at a past event ([`View::details`], [`View::node_rules`]) are kube-proxy's as it had
//! programmed them then: rebuilt once per view from that moment's Services and EndpointSlices,
//! only for the Services it had synced by then (`Cluster::proxy_as_of`); hand-made IPVS state
//! and connection counters are not replayed. The diagram's per-node IPVS summary is live only.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::Store;
use crate::dns::{kubernetes::Server, RData, Record};
use crate::manifest::{self, Parsed};
use crate::model::{Kind, Labels, ObjKey, Object, Pod, Service};
use crate::printers::kubectl::pod_status;
use crate::proxy::{self, KubeProxy, ProxyMode};
use crate::time::SimTime;
use crate::Playground;

/// Element ids: stable strings naming what the diagram draws.
///
/// The scheme is `<short kind>:<namespace>/<name>` for namespaced objects and
/// `<short kind>:<name>` for cluster-scoped ones, with kubectl's short names: `ns:dev`,
/// `node:minikube`, `pod:dev/ent-6d9f-abcde`, `svc:dev/ent`, `ep:dev/ent`,
/// `endpointslice:dev/ent-x7k2p`, `cm:kube-system/coredns`, `deploy:dev/ent`, `rs:dev/ent-6d9f`,
/// `ds:kube-system/kube-proxy`. [`id::KUBE_DNS`] (`kube-dns`) is the cluster DNS itself:
/// CoreDNS behind the `kube-system/kube-dns` Service, the element DNS hops go to.
pub mod id {
    use crate::model::{Kind, ObjKey};

    /// The cluster DNS (CoreDNS behind `svc:kube-system/kube-dns`).
    pub const KUBE_DNS: &str = "kube-dns";

    /// The short kind of an id.
    fn prefix(kind: Kind) -> &'static str {
        match kind {
            Kind::Namespace => "ns",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::Service => "svc",
            Kind::Endpoints => "ep",
            Kind::EndpointSlice => "endpointslice",
            Kind::ConfigMap => "cm",
            Kind::Secret => "secret",
            Kind::Deployment => "deploy",
            Kind::ReplicaSet => "rs",
            Kind::DaemonSet => "ds",
        }
    }

    /// The id of an object.
    pub fn of(key: &ObjKey) -> String {
        if key.kind.namespaced() {
            format!("{}:{}/{}", prefix(key.kind), key.namespace, key.name)
        } else {
            format!("{}:{}", prefix(key.kind), key.name)
        }
    }

    pub fn node(name: &str) -> String {
        of(&ObjKey::new(Kind::Node, "", name))
    }

    pub fn namespace(name: &str) -> String {
        of(&ObjKey::new(Kind::Namespace, "", name))
    }

    pub fn pod(ns: &str, name: &str) -> String {
        of(&ObjKey::new(Kind::Pod, ns, name))
    }

    pub fn service(ns: &str, name: &str) -> String {
        of(&ObjKey::new(Kind::Service, ns, name))
    }

    /// The object an id names (`None` for [`KUBE_DNS`] and anything malformed).
    pub fn parse(id: &str) -> Option<ObjKey> {
        let (p, rest) = id.split_once(':')?;
        let kind = Kind::ALL.into_iter().find(|k| prefix(*k) == p)?;
        if kind.namespaced() {
            let (ns, name) = rest.split_once('/')?;
            Some(ObjKey::new(kind, ns, name))
        } else {
            Some(ObjKey::new(kind, "", rest))
        }
    }
}

/// How much of a large cluster one view lists (totals are always given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub pods_per_namespace: usize,
    pub services_per_namespace: usize,
    pub endpoints_per_service: usize,
    /// Nodes whose rules a Service's details list.
    pub rule_nodes: usize,
}

impl Limits {
    /// What the page draws.
    pub const PAGE: Limits = Limits {
        pods_per_namespace: 60,
        services_per_namespace: 60,
        endpoints_per_service: 12,
        rule_nodes: 8,
    };
}

/// A trace event the view is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    pub seq: u64,
    /// Simulated time of the event (ms, the cluster clock).
    pub time_ms: u64,
    /// Its step label, as the timeline shows it.
    pub step: String,
    pub summary: String,
}

/// Which cluster a view shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    Live,
    /// Right after this event.
    At(Moment),
    /// Event `seq` was asked for, but it (or its state) is no longer retained: live is shown.
    Gone {
        seq: u64,
        time_ms: Option<u64>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterView {
    pub when: When,
    pub nodes: Vec<NodeView>,
    /// In drawing order: the learner's namespaces, then default, kube-system, other kube-*.
    pub namespaces: Vec<NamespaceView>,
    /// Ids lit by the event asked for: its objects, the boxes that stand for them (a Service
    /// for its Endpoints and EndpointSlices), and where it goes from and to. Empty when live.
    pub lit: Vec<String>,
    /// The selected event's flow (a DNS query and its answer, or a connection's hops), in
    /// order: the path the diagram draws. Empty when live or for an event without a flow.
    pub path: Vec<PathHop>,
}

/// One hop of a flow: an event with where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathHop {
    pub seq: u64,
    /// The chapter's step or hop (`discovery: node kernel trap`).
    pub step: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub summary: String,
    /// This is the event asked for.
    pub current: bool,
}

/// The hops of trace flow `flow`, oldest first (`current`: the event `seq`).
pub fn flow_path(pg: &Playground, flow: u64, seq: Option<u64>) -> Vec<PathHop> {
    pg.cluster
        .trace()
        .events()
        .iter()
        .filter(|e| e.flow == Some(flow))
        .map(|e| PathHop {
            seq: e.seq,
            step: e.step().to_string(),
            from: e.from.as_ref().map(crate::trace::Element::id),
            to: e.to.as_ref().map(crate::trace::Element::id),
            summary: e.summary(),
            current: Some(e.seq) == seq,
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    pub ip: Ipv4Addr,
    /// `None`: the node got no Pod CIDR (NotReady).
    pub pod_cidr: Option<String>,
    pub control_plane: bool,
    /// The node's kube-proxy mode (now).
    pub proxy_mode: ProxyMode,
    /// IPVS mode, live: the node's table at a glance.
    pub ipvs: Option<IpvsSummary>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpvsSummary {
    pub virtual_servers: usize,
    pub kube_ipvs0_addrs: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceView {
    pub id: String,
    pub name: String,
    pub workloads: Vec<WorkloadView>,
    /// At most [`Limits::services_per_namespace`].
    pub services: Vec<ServiceView>,
    pub service_count: usize,
    /// At most [`Limits::pods_per_namespace`].
    pub pods: Vec<PodView>,
    pub pod_count: usize,
}

/// A Deployment or DaemonSet: `deploy/ent 2/2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadView {
    pub id: String,
    /// `deploy` or `ds`.
    pub kind: String,
    pub name: String,
    pub ready: i64,
    pub desired: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
    pub id: String,
    /// The id of its Endpoints (drawn inside the Service).
    pub endpoints_id: String,
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub type_: String,
    /// The ClusterIP as the diagram says it: an address, `None (headless)`, `<pending>`, or
    /// `→ target` for an ExternalName.
    pub cluster_ip: String,
    pub ports: Vec<PortView>,
    /// The ports in one line: `8080/TCP`, `80:30080/TCP→8080`, joined by `, `.
    pub ports_label: String,
    /// `None`: no selector (its endpoints are written by hand, or mirrored).
    pub selector: Option<Vec<(String, String)>>,
    pub labels: Vec<(String, String)>,
    /// `kube-system/kube-dns`: the cluster DNS.
    pub cluster_dns: bool,
    /// Per Service port in order, kube-proxy's endpoints of that port (ready or not), at most
    /// [`Limits::endpoints_per_service`] in all.
    pub endpoints: Vec<EndpointView>,
    pub endpoint_count: usize,
    /// Ids of the Pods its EndpointSlices point at (ready or not).
    pub endpoint_pods: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortView {
    pub name: Option<String>,
    pub port: i64,
    pub protocol: String,
    pub target_port: String,
    pub node_port: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointView {
    pub ip: Ipv4Addr,
    /// `None` for a Service without ports.
    pub port: Option<u16>,
    /// The Service port it is for (`""` unnamed).
    pub port_name: String,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub node: Option<String>,
    /// The Pod behind it (`targetRef`), as an id.
    pub pod: Option<String>,
}

impl EndpointView {
    /// `ip:port` (or the bare ip).
    pub fn addr(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.ip),
            None => self.ip.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub id: String,
    pub namespace: String,
    pub name: String,
    /// kubectl's STATUS column: Running, Pending, ContainerCreating, Completed, Error,
    /// Terminating, …
    pub status: String,
    pub ready: bool,
    pub ip: Option<Ipv4Addr>,
    pub node: Option<String>,
    pub host_ip: Option<Ipv4Addr>,
    pub host_network: bool,
    pub labels: Vec<(String, String)>,
    /// The id of its owner (a ReplicaSet, DaemonSet).
    pub owner: Option<String>,
    /// `replicaset/ent-6d9f`.
    pub owner_label: Option<String>,
    /// (container name, image).
    pub containers: Vec<(String, String)>,
    pub dns_policy: String,
    /// Ids of the Services whose EndpointSlices point at it.
    pub services: Vec<String>,
    /// Their names.
    pub service_names: Vec<String>,
}

/// What the details box of a selected element shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Details {
    Service(ServiceDetails),
    Pod(PodView),
    Node(NodeDetails),
    /// The id names nothing in the cluster shown.
    Gone {
        kind: String,
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDetails {
    pub service: ServiceView,
    /// `ent.dev.svc.cluster.local.`
    pub fqdn: String,
    /// Its records as the serving CoreDNS answers them.
    pub records: Vec<RecordView>,
    /// Per node (at most [`Limits::rule_nodes`]), its rules for this Service; empty at a past
    /// event.
    pub rules: Vec<NodeServiceRules>,
    /// Nodes there are in all.
    pub rule_node_count: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeServiceRules {
    pub node: String,
    pub mode: ProxyMode,
    /// IPVS: the Service's virtual servers on the node.
    pub virtual_servers: Vec<VirtualServerView>,
    /// iptables/nftables: the lines of the node's rules that name the Service.
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualServerView {
    /// `TCP 10.96.0.10:53`.
    pub key: String,
    pub scheduler: String,
    /// `ip:port`, at most [`Limits::endpoints_per_service`].
    pub real_servers: Vec<String>,
    pub real_server_count: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDetails {
    pub node: NodeView,
    /// Its rules now (`None` at a past event).
    pub rules: Option<NodeRules>,
}

/// A node's rules as its proxy mode's tool prints them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRules {
    pub node: String,
    pub mode: ProxyMode,
    /// `ipvsadm -Ln`, `iptables-save -t nat`, `nft list ruleset`.
    pub command: String,
    pub output: String,
}

/// One DNS record as dig prints it in the answer section.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordView {
    pub name: String,
    pub ttl: u32,
    pub class: String,
    pub rtype: String,
    pub data: String,
}

impl RecordView {
    fn of(r: &Record) -> RecordView {
        RecordView {
            name: r.name.clone(),
            ttl: r.ttl,
            class: "IN".into(),
            rtype: r.data.rtype().to_string(),
            data: r.data.to_string(),
        }
    }

    /// The columns: name, TTL, class, type, data.
    pub fn columns(&self) -> [String; 5] {
        [
            self.name.clone(),
            self.ttl.to_string(),
            self.class.clone(),
            self.rtype.clone(),
            self.data.clone(),
        ]
    }
}

/// The cluster zone as the serving CoreDNS answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsView {
    pub when: When,
    /// `cluster.local.`
    pub zone: String,
    pub total: usize,
    /// The zone's own records (no Service's).
    pub zone_records: Vec<RecordView>,
    /// Per namespace (in drawing order), per Service (by name), the records under its name
    /// and the PTRs pointing into it.
    pub namespaces: Vec<DnsNamespace>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsNamespace {
    pub name: String,
    pub services: Vec<DnsService>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsService {
    pub id: String,
    pub namespace: String,
    pub name: String,
    pub records: Vec<RecordView>,
}

/// One problem of a manifest, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// The field path (may be empty).
    pub path: String,
    /// What kubectl / the API server say (for a [`Severity::Hint`], the hint's words).
    pub message: String,
    /// `file:line:col path: message`, as the editor lists it.
    pub text: String,
    pub severity: Severity,
    /// The likely cause and fix (`hints`, worded by `explain::hint`), beyond kubectl's words.
    pub hint: Option<String>,
}

/// An error the API server or kubectl would report, or only a hint (the manifest is accepted,
/// but likely not what was meant, e.g. a selector matching none of the file's Pods).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Hint,
}

/// Namespaces in drawing order: the learner's first, then default, kube-system, other kube-*.
fn ns_rank(name: &str) -> (u8, String) {
    let r = match name {
        "default" => 1,
        "kube-system" => 2,
        n if n.starts_with("kube-") => 3,
        _ => 0,
    };
    (r, name.to_string())
}

fn pairs(l: &Labels) -> Vec<(String, String)> {
    l.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The cluster live or right after one timeline event.
pub struct View<'a> {
    pg: &'a Playground,
    past: Option<Store>,
    /// kube-proxy as it was programmed at that moment, rebuilt from the past store the first
    /// time a detail needs it (see `Cluster::proxy_as_of`).
    past_proxy: std::cell::OnceCell<KubeProxy>,
    when: When,
    time: SimTime,
}

impl<'a> View<'a> {
    /// The cluster now.
    pub fn live(pg: &'a Playground) -> View<'a> {
        View {
            pg,
            past: None,
            past_proxy: std::cell::OnceCell::new(),
            when: When::Live,
            time: pg.cluster.now(),
        }
    }

    /// The cluster right after event `seq` (`None`: live).
    pub fn at(pg: &'a Playground, seq: Option<u64>) -> View<'a> {
        let Some(seq) = seq else { return View::live(pg) };
        let event = pg.cluster.trace().get(seq);
        match (event, pg.store_at(seq)) {
            (Some(e), Some(store)) => View {
                pg,
                past: Some(store),
                past_proxy: std::cell::OnceCell::new(),
                when: When::At(Moment {
                    seq,
                    time_ms: e.time.0,
                    step: e.step().to_string(),
                    summary: e.summary(),
                }),
                time: e.time,
            },
            _ => View {
                when: When::Gone {
                    seq,
                    time_ms: event.map(|e| e.time.0),
                },
                ..View::live(pg)
            },
        }
    }

    pub fn when(&self) -> &When {
        &self.when
    }

    /// Whether this is the cluster now (so rules apply).
    pub fn is_live(&self) -> bool {
        self.past.is_none()
    }

    /// kube-proxy on every node at this moment: live, or as it programmed the nodes from that
    /// moment's Services and EndpointSlices.
    fn proxy(&self) -> &KubeProxy {
        match &self.past {
            None => self.pg.cluster.proxy(),
            Some(store) => self.past_proxy.get_or_init(|| {
                // A Service kube-proxy first programmed after this moment had no rules yet;
                // one with no sync in the retained timeline was programmed before it.
                let seq = match &self.when {
                    When::At(m) => m.seq,
                    _ => u64::MAX,
                };
                let mut first_sync: BTreeMap<(&str, &str), u64> = BTreeMap::new();
                for e in self.pg.cluster.trace().events() {
                    if let crate::trace::What::RulesProgrammed { service, .. } = &e.what {
                        first_sync.entry((&service.namespace, &service.name)).or_insert(e.seq);
                    }
                }
                let synced = |ns: &str, name: &str| first_sync.get(&(ns, name)).is_none_or(|s| *s <= seq);
                self.pg.cluster.proxy_as_of(store, self.time, synced)
            }),
        }
    }

    fn store(&self) -> &Store {
        self.past.as_ref().unwrap_or_else(|| self.pg.cluster.store())
    }

    /// The cluster DNS as it answered at this moment.
    fn dns_server(&self) -> Server<'_> {
        self.pg.cluster.dns_view_of(self.store(), self.time)
    }

    pub fn cluster(&self, limits: &Limits) -> ClusterView {
        let store = self.store();
        let nodes = store.nodes().map(|n| self.node(n)).collect();
        let mut names: Vec<String> = store.list(Kind::Namespace, None).map(|o| o.meta().name.to_string()).collect();
        names.sort_by_key(|n| ns_rank(n));
        let namespaces = names.iter().map(|ns| self.namespace(ns, limits)).collect();
        ClusterView {
            when: self.when.clone(),
            nodes,
            namespaces,
            lit: self.lit(),
            path: self.path(),
        }
    }

    fn path(&self) -> Vec<PathHop> {
        let When::At(m) = &self.when else { return Vec::new() };
        match self.pg.cluster.trace().get(m.seq).and_then(|e| e.flow) {
            Some(flow) => flow_path(self.pg, flow, Some(m.seq)),
            None => Vec::new(),
        }
    }

    fn lit(&self) -> Vec<String> {
        let seq = match &self.when {
            When::Live => return Vec::new(),
            When::At(m) => m.seq,
            When::Gone { seq, .. } => *seq,
        };
        let Some(e) = self.pg.cluster.trace().get(seq) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: String| {
            if !out.contains(&s) {
                out.push(s);
            }
        };
        for el in [&e.from, &e.to].into_iter().flatten() {
            push(el.id());
        }
        for k in &e.objects() {
            push(id::of(k));
            match k.kind {
                Kind::Endpoints => push(id::service(&k.namespace, &k.name)),
                Kind::EndpointSlice => {
                    if let Some(svc) = self.store().get(k).and_then(|o| o.meta().labels.get("kubernetes.io/service-name")) {
                        push(id::service(&k.namespace, svc));
                        push(id::of(&ObjKey::new(Kind::Endpoints, &k.namespace, svc)));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn node(&self, n: &crate::model::Node) -> NodeView {
        let proxy = self.pg.cluster.proxy();
        let mode = proxy.mode(&n.meta.name);
        NodeView {
            id: id::node(&n.meta.name),
            name: n.meta.name.to_string(),
            ip: n.internal_ip,
            pod_cidr: n.pod_cidr_string(),
            control_plane: n.control_plane,
            proxy_mode: mode,
            ipvs: (self.is_live() && mode == ProxyMode::Ipvs).then(|| IpvsSummary {
                virtual_servers: proxy.virtual_server_count(&n.meta.name),
                kube_ipvs0_addrs: proxy.kube_ipvs0_addrs(&n.meta.name).len(),
            }),
        }
    }

    fn namespace(&self, ns: &str, limits: &Limits) -> NamespaceView {
        let store = self.store();
        let workloads = store
            .list(Kind::Deployment, Some(ns))
            .chain(store.list(Kind::DaemonSet, Some(ns)))
            .filter_map(|o| {
                let (kind, ready, desired) = match o {
                    Object::Deployment(d) => ("deploy", d.status.ready, d.replicas),
                    Object::DaemonSet(d) => ("ds", d.status.ready, d.status.replicas),
                    _ => return None,
                };
                Some(WorkloadView {
                    id: id::of(&o.key()),
                    kind: kind.into(),
                    name: o.meta().name.to_string(),
                    ready,
                    desired,
                })
            })
            .collect();
        NamespaceView {
            id: id::namespace(ns),
            name: ns.to_string(),
            workloads,
            services: store
                .services(Some(ns))
                .take(limits.services_per_namespace)
                .map(|s| self.service(s, limits))
                .collect(),
            service_count: store.services(Some(ns)).count(),
            pods: store.pods(Some(ns)).take(limits.pods_per_namespace).map(|p| self.pod(p)).collect(),
            pod_count: store.pods(Some(ns)).count(),
        }
    }

    fn service(&self, svc: &Service, limits: &Limits) -> ServiceView {
        let store = self.store();
        let (ns, name) = (&svc.meta.namespace, &svc.meta.name);
        let slices: Vec<_> = store.slices_of(ns, name).collect();
        let target_of: BTreeMap<Ipv4Addr, &str> = slices
            .iter()
            .flat_map(|s| s.endpoints.iter())
            .filter_map(|e| Some((*e.addresses.first()?, e.target.as_deref()?)))
            .collect();
        let pod_id = |ip: &Ipv4Addr| target_of.get(ip).map(|t| id::pod(ns, t));
        let mut endpoints: Vec<EndpointView> = Vec::new();
        if svc.spec.ports.is_empty() {
            // No port for kube-proxy to merge by: the slices' addresses as they are.
            for e in slices.iter().flat_map(|s| s.endpoints.iter()) {
                let Some(ip) = e.addresses.first() else { continue };
                endpoints.push(EndpointView {
                    ip: *ip,
                    port: None,
                    port_name: String::new(),
                    ready: e.conditions.is_ready(),
                    serving: e.conditions.is_serving(),
                    terminating: e.conditions.is_terminating(),
                    node: e.node_name.clone(),
                    pod: pod_id(ip),
                });
            }
        }
        for sp in &svc.spec.ports {
            for e in proxy::port_endpoints(sp, &slices) {
                endpoints.push(EndpointView {
                    ip: e.ip,
                    port: Some(e.port),
                    port_name: sp.name.clone().unwrap_or_default(),
                    ready: e.ready,
                    serving: e.serving,
                    terminating: e.terminating,
                    pod: pod_id(&e.ip),
                    node: e.node,
                });
            }
        }
        let endpoint_count = endpoints.len();
        endpoints.truncate(limits.endpoints_per_service);
        let mut endpoint_pods: Vec<String> = Vec::new();
        for e in slices.iter().flat_map(|s| s.endpoints.iter()) {
            if let Some(t) = &e.target {
                let p = id::pod(ns, t);
                if !endpoint_pods.contains(&p) {
                    endpoint_pods.push(p);
                }
            }
        }
        ServiceView {
            id: id::service(ns, name),
            endpoints_id: id::of(&ObjKey::new(Kind::Endpoints, ns, name)),
            namespace: ns.to_string(),
            name: name.to_string(),
            type_: svc.spec.type_.as_str().into(),
            cluster_ip: match (&svc.spec.external_name, svc.cluster_ip()) {
                (Some(n), _) => format!("→ {n}"),
                (None, Some(ip)) => ip.to_string(),
                (None, None) if svc.is_headless() => "None (headless)".into(),
                _ => "<pending>".into(),
            },
            ports: svc
                .spec
                .ports
                .iter()
                .map(|p| PortView {
                    name: p.name.clone(),
                    port: p.port,
                    protocol: p.protocol.as_str().into(),
                    target_port: p.target_port.to_string(),
                    node_port: p.node_port,
                })
                .collect(),
            ports_label: ports_label(svc),
            selector: svc.spec.selector.as_ref().map(pairs),
            labels: pairs(&svc.meta.labels),
            cluster_dns: ns == "kube-system" && name == "kube-dns",
            endpoints,
            endpoint_count,
            endpoint_pods,
        }
    }

    fn pod(&self, p: &Pod) -> PodView {
        let store = self.store();
        let ns = &p.meta.namespace;
        let mut service_names: Vec<String> = Vec::new();
        if let Some(ip) = p.status.pod_ip {
            for s in store.slices_at(ip) {
                let points = s.endpoints.iter().any(|e| e.target.as_deref() == Some(p.meta.name.as_str()));
                if let (true, true, Some(svc)) = (s.meta.namespace == *ns, points, s.service_name()) {
                    if !service_names.iter().any(|n| n == svc) {
                        service_names.push(svc.to_string());
                    }
                }
            }
        }
        service_names.sort();
        PodView {
            id: id::pod(ns, &p.meta.name),
            namespace: ns.to_string(),
            name: p.meta.name.to_string(),
            status: pod_status(p),
            ready: p.status.ready,
            ip: p.status.pod_ip,
            node: p.spec.node_name.clone(),
            host_ip: p.status.host_ip,
            host_network: p.spec.host_network,
            labels: pairs(&p.meta.labels),
            owner: p.meta.owner.as_ref().map(|o| id::of(&ObjKey::new(o.kind, ns, &o.name))),
            owner_label: p.meta.owner.as_ref().map(|o| format!("{}/{}", o.kind.resource(), o.name)),
            containers: p.spec.containers.iter().map(|c| (c.name.clone(), c.image.clone())).collect(),
            dns_policy: p.spec.dns_policy.as_str().into(),
            services: service_names.iter().map(|n| id::service(ns, n)).collect(),
            service_names,
        }
    }

    /// The details of the element `id` names (a Service, Pod or node); `None` for other ids.
    pub fn details(&self, element: &str, limits: &Limits) -> Option<Details> {
        let key = id::parse(element)?;
        let store = self.store();
        let gone = || {
            Some(Details::Gone {
                kind: key.kind.resource().into(),
                name: key.name.to_string(),
            })
        };
        match key.kind {
            Kind::Service => {
                let Some(svc) = store.service(&key.namespace, &key.name) else {
                    return gone();
                };
                let server = self.dns_server();
                Some(Details::Service(ServiceDetails {
                    service: self.service(svc, limits),
                    fqdn: format!("{}.{}.svc.{}", key.name, key.namespace, server.zone),
                    records: server
                        .records_for_service(&key.namespace, &key.name)
                        .iter()
                        .map(RecordView::of)
                        .collect(),
                    rules: self.service_rules(&key, limits),
                    rule_node_count: self.proxy().node_count(),
                }))
            }
            Kind::Pod => match store.pod(&key.namespace, &key.name) {
                Some(p) => Some(Details::Pod(self.pod(p))),
                None => gone(),
            },
            Kind::Node => match store.node(&key.name) {
                Some(n) => Some(Details::Node(NodeDetails {
                    node: self.node(n),
                    rules: self.node_rules(&key.name),
                })),
                None => gone(),
            },
            _ => None,
        }
    }

    fn service_rules(&self, key: &ObjKey, limits: &Limits) -> Vec<NodeServiceRules> {
        let proxy = self.proxy();
        let (ns, name) = (&key.namespace, &key.name);
        let mut out = Vec::new();
        for np in proxy.nodes().take(limits.rule_nodes) {
            let mut r = NodeServiceRules {
                node: np.name.clone(),
                mode: np.mode,
                virtual_servers: Vec::new(),
                lines: Vec::new(),
            };
            if np.mode == ProxyMode::Ipvs {
                r.virtual_servers = proxy
                    .service_virtual_servers(&np.name, ns, name)
                    .iter()
                    .map(|vs| VirtualServerView {
                        key: vs.key.to_string(),
                        scheduler: vs.sched.as_str().into(),
                        real_servers: vs
                            .dests
                            .iter()
                            .take(limits.endpoints_per_service)
                            .map(|d| format!("{}:{}", d.addr, d.port))
                            .collect(),
                        real_server_count: vs.dests.len(),
                    })
                    .collect();
            } else {
                // kube-proxy's comments name the Service port: "ns/name" or "ns/name:port".
                let (_, text) = crate::shell::node::rules_listing_of(proxy, &np.name, self.store().epoch(), self.time);
                let tag = format!("\"{ns}/{name}");
                r.lines = text
                    .lines()
                    .filter(|l| {
                        l.match_indices(&tag)
                            .any(|(i, _)| matches!(l[i + tag.len()..].chars().next(), Some('"' | ':' | ' ')))
                    })
                    .map(str::to_string)
                    .collect();
            }
            out.push(r);
        }
        out
    }

    /// The records of the Service `element` names, as the serving CoreDNS answers them (empty
    /// for any other id).
    pub fn records_of(&self, element: &str) -> Vec<RecordView> {
        match id::parse(element) {
            Some(k) if k.kind == Kind::Service => self
                .dns_server()
                .records_for_service(&k.namespace, &k.name)
                .iter()
                .map(RecordView::of)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every record of the cluster zone (and its reverse zone), grouped by Service.
    pub fn dns(&self) -> DnsView {
        let server = self.dns_server();
        let zone = server.zone.clone();
        let records = server.zone_records();
        // Service FQDN (lower case, trailing dot) → (namespace, name).
        let services: BTreeMap<String, (String, String)> = self
            .store()
            .services(None)
            .map(|svc| {
                (
                    format!("{}.{}.svc.{zone}", svc.meta.name, svc.meta.namespace).to_ascii_lowercase(),
                    (svc.meta.namespace.to_string(), svc.meta.name.to_string()),
                )
            })
            .collect();
        let mut zone_records = Vec::new();
        let mut groups: BTreeMap<(u8, String), BTreeMap<String, Vec<RecordView>>> = BTreeMap::new();
        for r in &records {
            match owner_of(r, &services) {
                Some((ns, name)) => groups
                    .entry(ns_rank(&ns))
                    .or_default()
                    .entry(name)
                    .or_default()
                    .push(RecordView::of(r)),
                None => zone_records.push(RecordView::of(r)),
            }
        }
        DnsView {
            when: self.when.clone(),
            zone,
            total: records.len(),
            zone_records,
            namespaces: groups
                .into_iter()
                .map(|((_, ns), svcs)| DnsNamespace {
                    services: svcs
                        .into_iter()
                        .map(|(name, records)| DnsService {
                            id: id::service(&ns, &name),
                            namespace: ns.clone(),
                            name,
                            records,
                        })
                        .collect(),
                    name: ns,
                })
                .collect(),
        }
    }
}

/// The group a record belongs to: the Service whose name it is (or is under, or a PTR points
/// at); `None` for the zone's own records.
fn owner_of(r: &Record, services: &BTreeMap<String, (String, String)>) -> Option<(String, String)> {
    let mut name = match &r.data {
        RData::Ptr(t) => t.to_ascii_lowercase(),
        _ => r.name.to_ascii_lowercase(),
    };
    if !name.ends_with('.') {
        name.push('.');
    }
    let mut rest = name.as_str();
    loop {
        if let Some(o) = services.get(rest) {
            return Some(o.clone());
        }
        rest = rest.split_once('.')?.1;
        if rest.is_empty() {
            return None;
        }
    }
}

fn ports_label(svc: &Service) -> String {
    svc.spec
        .ports
        .iter()
        .map(|p| {
            let node = p.node_port.map(|n| format!(":{n}")).unwrap_or_default();
            let target = p.target_port.to_string();
            let arrow = if target == p.port.to_string() {
                String::new()
            } else {
                format!("→{target}")
            };
            format!("{}{node}/{}{arrow}", p.port, p.protocol.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl View<'_> {
    /// A node's rules at this moment, as its proxy mode's tool prints them (`None`: no such
    /// node).
    pub fn node_rules(&self, node: &str) -> Option<NodeRules> {
        let proxy = self.proxy();
        proxy.node(node)?;
        let (command, output) = crate::shell::node::rules_listing_of(proxy, node, self.store().epoch(), self.time);
        Some(NodeRules {
            node: node.to_string(),
            mode: proxy.mode(node),
            command: command.into(),
            output,
        })
    }
}

/// A node's rules now, as its proxy mode's tool prints them (`None`: no such node).
pub fn node_rules(pg: &Playground, node: &str) -> Option<NodeRules> {
    View::live(pg).node_rules(node)
}

/// The simulated clock now (ms), the time trace events carry.
pub fn now_ms(pg: &Playground) -> u64 {
    pg.cluster.now().0
}

/// The ids of the objects of trace event `seq`, in the event's order.
pub fn event_objects(pg: &Playground, seq: u64) -> Vec<String> {
    pg.cluster
        .trace()
        .get(seq)
        .map(|e| e.objects().iter().map(id::of).collect())
        .unwrap_or_default()
}

/// The problems of manifest `text` (named `file`), with positions (`manifest::diagnostics`),
/// in their order, each with the hint that explains it (`hints`); then the hints that explain
/// no error.
pub fn problems(file: &str, text: &str) -> Vec<Problem> {
    let mut hints = crate::hints::hints(text);
    let mut out: Vec<Problem> = manifest::diagnostics(file, text)
        .into_iter()
        .map(|d| {
            // Validation messages already start with the field path, as kubectl prints them.
            let path = if d.path.is_empty() || d.message.starts_with(&d.path) {
                String::new()
            } else {
                format!(" {}", d.path)
            };
            // An indentation hint explains the unknown field whose key it points at.
            let hint = hints
                .iter()
                .position(|h| h.pos == d.pos && matches!(h.hint, crate::hints::Hint::IndentUnder { .. }))
                .map(|i| crate::explain::hint(&hints.remove(i).hint));
            Problem {
                text: format!("{}:{}:{}{path}: {}", d.file, d.pos.line, d.pos.col, d.message),
                file: d.file,
                line: d.pos.line,
                col: d.pos.col,
                path: d.path,
                message: d.message,
                severity: Severity::Error,
                hint,
            }
        })
        .collect();
    for h in hints {
        let message = crate::explain::hint(&h.hint);
        out.push(Problem {
            text: format!("{file}:{}:{}: {message}", h.pos.line, h.pos.col),
            file: file.to_string(),
            line: h.pos.line,
            col: h.pos.col,
            path: String::new(),
            message,
            severity: Severity::Hint,
            hint: None,
        });
    }
    out
}

/// The lines (first, last; 1-based) of the document in `text` that declares the object
/// `element` names, following a Pod to the ReplicaSet, Deployment or DaemonSet that made it
/// (in the live cluster) and Endpoints to their Service.
pub fn source_lines(pg: &Playground, text: &str, element: &str) -> Option<(usize, usize)> {
    let store = pg.cluster.store();
    let mut want = id::parse(element)?;
    if want.kind == Kind::Endpoints {
        want.kind = Kind::Service;
    }
    let Parsed::Items(items) = manifest::parse(text) else { return None };
    // Walk up the owners (Pod → ReplicaSet → Deployment) until one is in the file.
    for _ in 0..3 {
        let found = items.iter().position(|it| {
            it.kind == want.kind.name()
                && it.name == want.name
                && (!want.kind.namespaced() || it.namespace.as_deref().unwrap_or("default") == want.namespace)
        });
        if let Some(i) = found {
            let first = items[i].pos.line;
            let lines: Vec<&str> = text.lines().collect();
            let mut last = items
                .get(i + 1)
                .map(|n| n.pos.line.saturating_sub(1))
                .unwrap_or(lines.len())
                .max(first);
            while last > first && lines.get(last - 1).is_some_and(|l| l.trim().is_empty() || l.trim() == "---") {
                last -= 1;
            }
            return Some((first, last));
        }
        let owner = store.get(&want).and_then(|o| o.meta().owner.clone())?;
        want = ObjKey::new(owner.kind, &want.namespace, &owner.name);
        if !matches!(
            store.get(&want),
            Some(Object::ReplicaSet(_) | Object::Deployment(_) | Object::DaemonSet(_))
        ) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::id;
    use crate::trace::Element;

    #[test]
    fn trace_elements_and_view_ids_are_one_scheme() {
        assert_eq!(Element::pod("dev", "jump").id(), id::pod("dev", "jump"));
        assert_eq!(Element::service("dev", "ent").id(), id::service("dev", "ent"));
        assert_eq!(Element::node("minikube").id(), id::node("minikube"));
        assert_eq!(Element::KubeDns.id(), id::KUBE_DNS);
    }
}
