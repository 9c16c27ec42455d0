//! kube-proxy: registration step 5, and the rules a packet meets on every node.
//!
//! One model, three renderings. Per Service port ([`PortKey`], upstream's `ServicePortName`)
//! the desired state is computed once from the Service and its EndpointSlices, as kube-proxy's
//! `ServiceChangeTracker` and `EndpointSliceCache` do ([`ServicePortState`]), and shared by every
//! node. A node ([`NodeProxy`]) keeps only what is its own:
//!
//! - its proxy mode and IPVS scheduler (`sdplay-proxy-mode` restarts one node's kube-proxy);
//! - NodePorts on its own address, and `internalTrafficPolicy`/`externalTrafficPolicy: Local`
//!   subsets (the endpoints on this node), chosen as `CategorizeEndpoints` chooses them;
//! - in IPVS mode, its kernel's state: the virtual servers a packet or `ipvsadm` touched
//!   (scheduler cursors, counters, the connection table), weight-0 real servers kept while
//!   their connections live (kube-proxy's graceful termination), and what a learner built by
//!   hand, which kube-proxy's next sync deletes (`cleanLegacyService`) unless its address is in
//!   `--ipvs-exclude-cidrs`;
//! - in iptables/nftables mode, the `recent` lists of sessionAffinity.
//!
//! IPVS ([`ipvs`]), iptables and nftables ([`rules`]) are renderings of that one model behind
//! one interface: [`KubeProxy::sync_service`] takes a change, [`KubeProxy::lookup`] looks a
//! packet up (the packet path only looks up), and [`KubeProxy::ipvs_table`] /
//! [`rules::iptables_save_nat`] / [`rules::nft_ruleset`] dump the rules.
//!
//! Cost: a change to one Service touches its own ports and the nodes whose kernels hold state
//! for them, never every node or every Service. A node that never saw a packet for a virtual
//! server holds nothing for it: its table is computed from the shared state when printed, in
//! the order the kernel would hold it. kube-proxy adds new real servers in Go map order
//! (random) and the kernel puts each at the head of its list; the order is drawn per node,
//! virtual server, sync and real server from the seed, so it is the same whenever it is
//! computed (a property test holds a kept table against a computed one).

pub mod hash;
pub mod ipvs;
pub mod mh;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::net::Ipv4Addr;

use crate::model::*;
use crate::rng::Rng;
use ipvs::{Dest, Sched, Table, VirtualService, VsKey};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyMode {
    #[default]
    Ipvs,
    Iptables,
    Nftables,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Ipvs => "ipvs",
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
        }
    }

    pub fn parse(s: &str) -> Option<ProxyMode> {
        match s {
            "ipvs" => Some(ProxyMode::Ipvs),
            "iptables" => Some(ProxyMode::Iptables),
            "nftables" => Some(ProxyMode::Nftables),
            _ => None,
        }
    }
}

impl fmt::Display for ProxyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// kube-proxy's full resync period (`ipvs.syncPeriod` / `iptables.syncPeriod`, 30 s): the
/// latest moment a learner's hand-made IPVS state survives without any Service change.
pub const SYNC_PERIOD_MS: u64 = 30_000;

/// The graceful-termination manager's check (`rsCheckDeleteInterval`, one minute): a weight-0
/// real server goes at the first check after its last connection expired.
pub const GRACEFUL_CHECK_MS: u64 = 60_000;

/// A Service port: upstream's `ServicePortName` (namespace, name, port name) and protocol.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortKey {
    /// Inline strings (see [`crate::model::ObjKey`]): the proxy's maps compare and copy keys on
    /// every sync.
    pub namespace: CompactString,
    pub service: CompactString,
    pub port_name: CompactString,
    pub protocol: Protocol,
}

impl PortKey {
    /// The Service this port belongs to.
    pub fn service_key(&self) -> ObjKey {
        ObjKey::new(Kind::Service, &self.namespace, &self.service)
    }
}

/// `ServicePortName.String()`: `ns/name` or `ns/name:port`.
impl fmt::Display for PortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.port_name.is_empty() {
            write!(f, "{}/{}", self.namespace, self.service)
        } else {
            write!(f, "{}/{}:{}", self.namespace, self.service, self.port_name)
        }
    }
}

/// One endpoint as kube-proxy's `EndpointSliceCache` sees it (`BaseEndpointInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyEndpoint {
    pub ip: Ipv4Addr,
    pub port: u16,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

impl ProxyEndpoint {
    pub fn addr(&self) -> (Ipv4Addr, u16) {
        (self.ip, self.port)
    }
    fn is_local(&self, node: &str) -> bool {
        self.node.as_deref() == Some(node)
    }
}

/// The desired state of one Service port, shared by every node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePortState {
    pub key: PortKey,
    pub cluster_ip: Ipv4Addr,
    pub port: u16,
    pub node_port: Option<u16>,
    pub external_ips: Vec<Ipv4Addr>,
    pub lb_ips: Vec<Ipv4Addr>,
    /// sessionAffinity ClientIP: the timeout in seconds.
    pub affinity: Option<u32>,
    pub external_local: bool,
    pub internal_local: bool,
    /// Endpoints in `byEndpoint` order (`ip:port` as strings), one per address and port.
    pub endpoints: Vec<ProxyEndpoint>,
    /// When (which sync) each endpoint entered the set a virtual server uses: the kernel's
    /// list order is newest first.
    since: BTreeMap<(Ipv4Addr, u16), u64>,
    /// The sync that last changed this port.
    pub generation: u64,
}

/// Which kind of address a virtual server or rule is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    ClusterIp,
    ExternalIp,
    LoadBalancer,
    NodePort,
}

impl ServicePortState {
    /// Cluster endpoints: the ready ones, or (none ready) the serving terminating ones.
    fn cluster_endpoints(&self) -> Vec<&ProxyEndpoint> {
        let ready: Vec<&ProxyEndpoint> = self.endpoints.iter().filter(|e| e.ready).collect();
        if !ready.is_empty() {
            return ready;
        }
        self.endpoints.iter().filter(|e| e.serving && e.terminating).collect()
    }

    /// Local endpoints on `node`: ready local ones, or (none) serving terminating local ones.
    fn local_endpoints(&self, node: &str) -> Vec<&ProxyEndpoint> {
        let ready: Vec<&ProxyEndpoint> = self.endpoints.iter().filter(|e| e.is_local(node) && e.ready).collect();
        if !ready.is_empty() {
            return ready;
        }
        self.endpoints
            .iter()
            .filter(|e| e.is_local(node) && e.serving && e.terminating)
            .collect()
    }

    /// The endpoints traffic to `front` on `node` may reach (`CategorizeEndpoints`).
    pub fn endpoints_for(&self, front: Front, node: &str) -> Vec<&ProxyEndpoint> {
        let local = match front {
            Front::ClusterIp => self.internal_local,
            _ => self.external_local,
        };
        if local {
            self.local_endpoints(node)
        } else {
            self.cluster_endpoints()
        }
    }

    /// Whether any endpoint could take traffic at all (ready, or serving while terminating).
    pub fn has_endpoints(&self) -> bool {
        self.endpoints.iter().any(|e| e.ready || (e.serving && e.terminating))
    }

    /// The virtual servers (addresses on the service network) of this port, with their kind.
    pub fn vips(&self) -> Vec<(VsKey, Front)> {
        let mut v = vec![(self.vs(self.cluster_ip), Front::ClusterIp)];
        // One virtual server per address: `minikube tunnel` makes the LB IP the ClusterIP.
        for (ip, front) in self
            .external_ips
            .iter()
            .map(|ip| (ip, Front::ExternalIp))
            .chain(self.lb_ips.iter().map(|ip| (ip, Front::LoadBalancer)))
        {
            if !v.iter().any(|(k, _)| k.addr == *ip) {
                v.push((self.vs(*ip), front));
            }
        }
        v
    }

    fn vs(&self, addr: Ipv4Addr) -> VsKey {
        VsKey {
            proto: self.key.protocol,
            addr,
            port: self.port,
        }
    }
}

/// Byte-wise comparison of two addresses as their dotted strings, without allocating
/// (upstream sorts endpoints by `ip:port` strings).
pub fn cmp_ip_strings(a: Ipv4Addr, b: Ipv4Addr) -> std::cmp::Ordering {
    fn digits(ip: Ipv4Addr) -> ([u8; 15], usize) {
        let mut buf = [0u8; 15];
        let mut n = 0;
        for (i, o) in ip.octets().iter().enumerate() {
            if i > 0 {
                buf[n] = b'.';
                n += 1;
            }
            let s = [o / 100, (o / 10) % 10, o % 10];
            let skip = if *o >= 100 {
                0
            } else if *o >= 10 {
                1
            } else {
                2
            };
            for d in &s[skip..] {
                buf[n] = b'0' + d;
                n += 1;
            }
        }
        (buf, n)
    }
    let (x, xn) = digits(a);
    let (y, yn) = digits(b);
    x[..xn].cmp(&y[..yn])
}

/// Order endpoints as `ip:port` strings compare.
fn by_endpoint(a: &ProxyEndpoint, b: &ProxyEndpoint) -> std::cmp::Ordering {
    match cmp_ip_strings(a.ip, b.ip) {
        std::cmp::Ordering::Equal => a.port.to_string().cmp(&b.port.to_string()),
        o => o,
    }
}

/// What one node's kube-proxy holds beyond the shared state.
#[derive(Clone, Debug)]
pub struct NodeProxy {
    pub name: String,
    pub ip: Ipv4Addr,
    pub mode: ProxyMode,
    pub sched: Sched,
    /// The kernel's IPVS state: virtual servers that saw a packet or an `ipvsadm` edit, the
    /// learner's own, and the connection table.
    kernel: Table,
    /// Real servers kube-proxy removed that still have connections (weight 0).
    draining: BTreeSet<(VsKey, Ipv4Addr, u16)>,
    /// What the learner changed by hand, undone by kube-proxy's next sync.
    hand: HandEdits,
    /// iptables/nftables sessionAffinity: (client, port) → (endpoint, last seen ms).
    recent: BTreeMap<(Ipv4Addr, PortKey), ((Ipv4Addr, u16), u64)>,
}

/// A learner's edits of a node's IPVS state, which kube-proxy's next sync reverts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct HandEdits {
    /// `ipvsadm -C`: every virtual server is gone until the next sync.
    cleared: bool,
    /// kube-proxy's virtual servers deleted with `ipvsadm -D`.
    deleted: BTreeSet<VsKey>,
    /// `ip addr add … dev kube-ipvs0`.
    added_addrs: BTreeSet<Ipv4Addr>,
    /// `ip addr del … dev kube-ipvs0` of kube-proxy's addresses.
    deleted_addrs: BTreeSet<Ipv4Addr>,
}

impl NodeProxy {
    fn new(name: &str, ip: Ipv4Addr, mode: ProxyMode, sched: Sched) -> NodeProxy {
        NodeProxy {
            name: name.to_string(),
            ip,
            mode,
            sched,
            kernel: Table::default(),
            draining: BTreeSet::new(),
            hand: HandEdits::default(),
            recent: BTreeMap::new(),
        }
    }

    /// Virtual servers in the kernel that kube-proxy did not make.
    fn foreign(&self) -> impl Iterator<Item = &VirtualService> {
        self.kernel.services.values().filter(|v| v.owner.is_none())
    }
}

/// What one sync of a Service changed, for the trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Whether the Service exists (and has ports kube-proxy programs).
    pub programmed: bool,
    /// Per virtual server on the first node: key and real-server count.
    pub virtual_servers: Vec<(VsKey, usize)>,
    /// Real servers kept at weight 0 on a node because connections still use them.
    pub draining: Vec<(String, VsKey, Ipv4Addr, u16)>,
    /// What the sync removed that a learner had built by hand, per node.
    pub cleaned: Vec<(String, Cleaned)>,
}

/// Hand-made state a kube-proxy sync removed or restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cleaned {
    /// `cleanLegacyService`: a virtual server kube-proxy does not own.
    VirtualServer(VsKey),
    /// A hand-made virtual server kept because its address is in `--ipvs-exclude-cidrs`.
    Excluded(VsKey),
    /// An address on kube-ipvs0 kube-proxy did not bind ("superfluous addresses").
    Address(Ipv4Addr),
    /// kube-proxy's own virtual servers and addresses, put back after `ipvsadm -C/-D` or
    /// `ip addr del`.
    Restored,
}

/// Where a packet to `dst:port` goes on a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No rule and no local address catch it: it is routed on (and, here, lost).
    NotTrapped,
    /// The address is local but nothing takes the port: the node answers RST / unreachable.
    NoService,
    /// Caught for a Service port: `ipvs` for IPVS mode, `rule` for iptables/nftables.
    Ipvs(IpvsVerdict),
    Rule(RuleVerdict),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpvsVerdict {
    pub key: VsKey,
    /// The Service behind the virtual server (`None`: built by hand).
    pub port: Option<PortKey>,
    pub front: Option<Front>,
    /// How the packet reached IPVS: LOCAL_OUT (a node-local client), or LOCAL_IN.
    pub local_out: bool,
    pub sched: Sched,
    pub real_servers: usize,
    /// The real servers as the scheduler saw them when it picked (its inputs).
    pub candidates: Vec<ipvs::DestView>,
    /// The pick and why; `None` when no real server has weight > 0.
    pub pick: Option<((Ipv4Addr, u16), String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleVerdict {
    pub port: PortKey,
    pub front: Front,
    pub endpoints: usize,
    /// `Some(true)`: the client's affinity entry chose; `Some(false)`: a random pick; `None`:
    /// no endpoints (REJECT).
    pub affinity_hit: Option<bool>,
    pub dest: Option<(Ipv4Addr, u16)>,
}

/// Why an `ip addr add|del … dev kube-ipvs0` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrError {
    /// Not in IPVS mode: there is no kube-ipvs0.
    NoDevice,
    /// `RTNETLINK answers: File exists`.
    Exists,
    /// `RTNETLINK answers: Cannot assign requested address`.
    NotFound,
}

/// A new connection (TCP) or datagram flow (UDP) as the node's kernel sees its first packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    pub proto: Protocol,
    pub client: (Ipv4Addr, u16),
    pub dst: Ipv4Addr,
    pub port: u16,
    /// The client is a process on the node itself (IPVS sees it at LOCAL_OUT, so any virtual
    /// server matches, bound or not).
    pub local_out: bool,
    /// Bytes of the request and the response (curl's HTTP exchange, a DNS query and answer).
    pub payload: (u64, u64),
}

/// The kube-proxy of every node.
#[derive(Clone, Debug)]
pub struct KubeProxy {
    seed: u64,
    default_mode: ProxyMode,
    default_sched: Sched,
    exclude_cidrs: Vec<(Ipv4Addr, u8)>,
    /// Looked up on every sync, iterated only to print or count (sorted there): hash maps with
    /// fixed keys, so a sync compares no strings down a B-tree of every Service port.
    ports: HashMap<PortKey, ServicePortState, FixedHash>,
    by_service: HashMap<(CompactString, CompactString), Vec<PortKey>, FixedHash>,
    vips: BTreeMap<VsKey, (PortKey, Front)>,
    /// How many virtual servers use each service address (the addresses on kube-ipvs0).
    addr_refs: BTreeMap<Ipv4Addr, u32>,
    /// Virtual servers per node that kube-proxy programs (service addresses and NodePorts).
    vs_per_node: usize,
    node_ports: BTreeMap<(Protocol, u16), PortKey>,
    nodes: BTreeMap<String, NodeProxy>,
    /// Nodes whose kernel holds state for a port (so a change updates only those).
    touched: BTreeMap<PortKey, BTreeSet<String>>,
    /// Nodes with hand edits, cleaned by the next sync.
    hand_edited: BTreeSet<String>,
    /// Nodes whose kube-proxy runs another mode than the cluster's default (restarted by
    /// hand), so a sync's report names them without visiting every node.
    other_mode: BTreeMap<String, ProxyMode>,
    generation: u64,
    last_sync_ms: u64,
}

/// The inputs of one Service's sync: what kube-proxy's informers give it.
pub struct ServiceInput<'a> {
    pub service: Option<&'a Service>,
    pub slices: Vec<&'a EndpointSlice>,
}

impl KubeProxy {
    pub fn new(seed: u64, mode: ProxyMode, sched: Sched, exclude_cidrs: Vec<(Ipv4Addr, u8)>) -> KubeProxy {
        KubeProxy {
            seed,
            default_mode: mode,
            default_sched: sched,
            exclude_cidrs,
            ports: HashMap::default(),
            by_service: HashMap::default(),
            vips: BTreeMap::new(),
            addr_refs: BTreeMap::new(),
            vs_per_node: 0,
            node_ports: BTreeMap::new(),
            nodes: BTreeMap::new(),
            touched: BTreeMap::new(),
            hand_edited: BTreeSet::new(),
            other_mode: BTreeMap::new(),
            generation: 0,
            last_sync_ms: 0,
        }
    }

    /// kube-proxy starts on a new node (the DaemonSet's Pod).
    pub fn add_node(&mut self, name: &str, ip: Ipv4Addr) {
        let (mode, sched) = (self.default_mode, self.default_sched);
        self.nodes
            .entry(name.to_string())
            .or_insert_with(|| NodeProxy::new(name, ip, mode, sched));
    }

    pub fn node(&self, name: &str) -> Option<&NodeProxy> {
        self.nodes.get(name)
    }

    pub fn nodes(&self) -> impl Iterator<Item = &NodeProxy> {
        self.nodes.values()
    }

    /// How many nodes run kube-proxy.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The mode kube-proxy runs in on `node` (the cluster default for unknown nodes).
    pub fn mode(&self, node: &str) -> ProxyMode {
        self.nodes.get(node).map(|n| n.mode).unwrap_or(self.default_mode)
    }

    pub fn default_mode(&self) -> ProxyMode {
        self.default_mode
    }

    /// The nodes running another mode than [`KubeProxy::default_mode`], by name.
    pub fn nodes_in_other_modes(&self) -> impl Iterator<Item = (&str, ProxyMode)> {
        self.other_mode.iter().map(|(n, m)| (n.as_str(), *m))
    }

    /// The cluster-wide `--ipvs-scheduler`.
    pub fn default_sched(&self) -> Sched {
        self.default_sched
    }

    /// The IPVS scheduler on `node`.
    pub fn scheduler(&self, node: &str) -> Sched {
        self.nodes.get(node).map(|n| n.sched).unwrap_or(self.default_sched)
    }

    /// How many Service ports kube-proxy programs.
    pub fn port_count(&self) -> usize {
        self.ports.len()
    }

    /// Every Service port kube-proxy programs, in key order.
    pub fn ports(&self) -> impl Iterator<Item = &ServicePortState> {
        let mut v: Vec<&ServicePortState> = self.ports.values().collect();
        v.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        v.into_iter()
    }

    /// Every Service port, Services in (namespace, name) order and each Service's ports in
    /// spec order.
    pub fn ports_in_service_order(&self) -> impl Iterator<Item = &ServicePortState> {
        let mut services: Vec<(&(CompactString, CompactString), &Vec<PortKey>)> = self.by_service.iter().collect();
        services.sort_unstable_by(|a, b| a.0.cmp(b.0));
        services.into_iter().flat_map(|(_, keys)| keys).filter_map(|k| self.ports.get(k))
    }

    pub fn port(&self, key: &PortKey) -> Option<&ServicePortState> {
        self.ports.get(key)
    }

    /// The ports of one Service.
    pub fn service_ports(&self, ns: &str, name: &str) -> impl Iterator<Item = &ServicePortState> {
        self.by_service
            .get(&(CompactString::new(ns), CompactString::new(name)))
            .into_iter()
            .flatten()
            .filter_map(|k| self.ports.get(k))
    }

    /// The Service port behind a ClusterIP, external or load-balancer address and port.
    pub fn port_at(&self, key: &VsKey) -> Option<(&ServicePortState, Front)> {
        let (k, f) = self.vips.get(key)?;
        Some((self.ports.get(k)?, *f))
    }

    /// The Service port behind a NodePort.
    pub fn node_port(&self, proto: Protocol, port: u16) -> Option<&ServicePortState> {
        self.ports.get(self.node_ports.get(&(proto, port))?)
    }

    /// Whether `ip` is one of kube-proxy's service addresses (ClusterIP, external, LB).
    pub fn is_service_address(&self, ip: Ipv4Addr) -> bool {
        self.addr_refs.contains_key(&ip)
    }

    /// Bring one Service's ports in line with the Service and its slices (a sync caused by
    /// a Service or EndpointSlice event). Work: this Service's ports, and the nodes whose
    /// kernels hold state for them; plus reverting hand edits on the nodes that have them.
    pub fn sync_service(&mut self, ns: &str, name: &str, input: ServiceInput<'_>, now_ms: u64) -> SyncReport {
        self.generation += 1;
        self.last_sync_ms = now_ms;
        let gen = self.generation;
        let svc_key = (CompactString::new(ns), CompactString::new(name));
        let wanted = input.service.map(|s| desired(s, &input.slices)).unwrap_or_default();
        let old_keys = self.by_service.remove(&svc_key).unwrap_or_default();
        let mut changed: Vec<PortKey> = Vec::new();
        // Ports that went away.
        for k in &old_keys {
            if !wanted.iter().any(|w| &w.key == k) {
                if let Some(old) = self.ports.remove(k) {
                    self.unindex(&old);
                }
                changed.push(k.clone());
            }
        }
        let mut keys = Vec::new();
        for mut w in wanted {
            keys.push(w.key.clone());
            if self.ports.get(&w.key).is_some_and(|old| same_state(old, &w)) {
                continue;
            }
            // The old state leaves the map (no copy) and its index entries with it.
            match self.ports.remove(&w.key) {
                Some(old) => {
                    w.since = carry_since(&old, &w, gen);
                    self.unindex(&old);
                }
                None => w.since = w.endpoints.iter().map(|e| (e.addr(), gen)).collect(),
            }
            w.generation = gen;
            self.index(&w);
            changed.push(w.key.clone());
            self.ports.insert(w.key.clone(), w);
        }
        let mut report = SyncReport {
            programmed: !keys.is_empty(),
            ..SyncReport::default()
        };
        if !keys.is_empty() {
            self.by_service.insert(svc_key.clone(), keys);
        }
        // Nodes with kernel state for a changed port follow the change.
        for k in &changed {
            let nodes: Vec<String> = self.touched.get(k).into_iter().flatten().cloned().collect();
            for n in nodes {
                self.resync_node_port(&n, k, now_ms, &mut report);
            }
            if !self.ports.contains_key(k) {
                self.touched.remove(k);
            }
        }
        report.cleaned = self.revert_hand_edits(None, now_ms);
        let keys = self.by_service.get(&svc_key).map(Vec::as_slice).unwrap_or_default();
        if let Some(first) = self.nodes.values().next() {
            for k in keys {
                let Some(p) = self.ports.get(k) else { continue };
                for (vs, front) in self.node_vips(first, p) {
                    report.virtual_servers.push((vs, p.endpoints_for(front, &first.name).len()));
                }
            }
        }
        report
    }

    fn index(&mut self, p: &ServicePortState) {
        self.vs_per_node += p.vips().len() + usize::from(p.node_port.is_some());
        for (vs, front) in p.vips() {
            if self.vips.insert(vs, (p.key.clone(), front)).is_none() {
                *self.addr_refs.entry(vs.addr).or_default() += 1;
            }
        }
        if let Some(np) = p.node_port {
            self.node_ports.insert((p.key.protocol, np), p.key.clone());
        }
    }

    fn unindex(&mut self, p: &ServicePortState) {
        self.vs_per_node -= (p.vips().len() + usize::from(p.node_port.is_some())).min(self.vs_per_node);
        for (vs, _) in p.vips() {
            if self.vips.get(&vs).is_some_and(|(k, _)| *k == p.key) {
                self.vips.remove(&vs);
                if let Some(n) = self.addr_refs.get_mut(&vs.addr) {
                    *n -= 1;
                    if *n == 0 {
                        self.addr_refs.remove(&vs.addr);
                    }
                }
            }
        }
        if let Some(np) = p.node_port {
            if self.node_ports.get(&(p.key.protocol, np)) == Some(&p.key) {
                self.node_ports.remove(&(p.key.protocol, np));
            }
        }
    }

    /// The virtual servers of `port` on `node`: its service addresses, and its NodePort on the
    /// node's address.
    fn node_vips(&self, node: &NodeProxy, port: &ServicePortState) -> Vec<(VsKey, Front)> {
        let mut v = port.vips();
        if let Some(np) = port.node_port {
            v.push((
                VsKey {
                    proto: port.key.protocol,
                    addr: node.ip,
                    port: np,
                },
                Front::NodePort,
            ));
        }
        v
    }

    /// The virtual server `key` of `port` as kube-proxy on `node` would have programmed it,
    /// built fresh (the kernel order of its real servers, no counters).
    fn fresh_vs(&self, node: &NodeProxy, port: &ServicePortState, key: VsKey, front: Front) -> VirtualService {
        let mut vs = VirtualService::new(key, node.sched);
        vs.owner = Some((port.key.namespace.to_string(), port.key.service.to_string()));
        vs.bound_to_dummy = front != Front::NodePort;
        vs.persistent = port.affinity;
        let eps: Vec<(Ipv4Addr, u16)> = port.endpoints_for(front, &node.name).iter().map(|e| e.addr()).collect();
        self.add_in_kernel_order(node, &mut vs, port, eps);
        vs
    }

    /// Add `new` real servers to `vs` as kube-proxy's syncs would have: batch by the sync that
    /// brought each, oldest batch first, each batch in Go map order (a shuffle drawn for this
    /// node, virtual server and sync), each added at the list head.
    fn add_in_kernel_order(&self, node: &NodeProxy, vs: &mut VirtualService, port: &ServicePortState, new: Vec<(Ipv4Addr, u16)>) {
        let mut batches: BTreeMap<u64, Vec<(Ipv4Addr, u16)>> = BTreeMap::new();
        for d in new {
            let since = port.since.get(&d).copied().unwrap_or(port.generation);
            batches.entry(since).or_default().push(d);
        }
        for (gen, mut batch) in batches {
            // Go's map order, drawn per real server (a key from the node's stream for this
            // virtual server, sync and address), so any subset of a batch keeps its relative
            // order: a table kept since the sync and one computed later agree.
            let prefix = format!("kube-proxy/{}/{}/{gen}/", node.name, vs.key);
            batch.sort_by_cached_key(|(a, p)| Rng::stream(self.seed, &format!("{prefix}{a}:{p}")).next_u64());
            for (a, p) in batch {
                vs.add_dest(Dest::new(a, p, 1));
            }
        }
    }

    /// Make `key` on `node` kernel state (it saw a packet or an `ipvsadm` edit), so it keeps
    /// scheduler state and counters; later changes of its port update it in place.
    fn materialize(&mut self, node: &str, key: VsKey) {
        let Some(n) = self.nodes.get(node) else { return };
        if n.kernel.services.contains_key(&key) || n.hand.cleared || n.hand.deleted.contains(&key) {
            return;
        }
        let Some((port, front)) = self.owner_of(n, key) else { return };
        let vs = self.fresh_vs(n, port, key, front);
        let pk = port.key.clone();
        if let Some(n) = self.nodes.get_mut(node) {
            n.kernel.services.insert(key, vs);
        }
        self.touched.entry(pk).or_default().insert(node.to_string());
    }

    fn owner_of(&self, n: &NodeProxy, key: VsKey) -> Option<(&ServicePortState, Front)> {
        if key.addr == n.ip {
            return self.node_port(key.proto, key.port).map(|p| (p, Front::NodePort));
        }
        self.port_at(&key)
    }

    /// A changed port on a node whose kernel holds its virtual servers: add and remove real
    /// servers as `syncEndpoint` does (removed ones with connections go to weight 0).
    fn resync_node_port(&mut self, node: &str, key: &PortKey, now_ms: u64, report: &mut SyncReport) {
        let Some(mut n) = self.nodes.remove(node) else { return };
        n.kernel.expire(now_ms);
        let held: Vec<VsKey> = n
            .kernel
            .services
            .values()
            .filter(|v| v.owner.as_ref().is_some_and(|(ns, s)| *ns == key.namespace && *s == key.service))
            .filter(|v| self.vs_port_key(&n, v.key).as_ref().is_none_or(|k| k == key))
            .map(|v| v.key)
            .collect();
        match self.ports.get(key) {
            None => {
                for k in held {
                    n.kernel.remove_service(&k);
                    n.draining.retain(|(v, _, _)| *v != k);
                }
            }
            Some(port) => {
                let wanted: Vec<(VsKey, Front)> = self.node_vips(&n, port);
                for k in held.iter().filter(|k| !wanted.iter().any(|(w, _)| w == *k)) {
                    n.kernel.remove_service(k);
                    n.draining.retain(|(v, _, _)| v != k);
                }
                for (k, front) in wanted {
                    if !held.contains(&k) {
                        continue;
                    }
                    let eps: Vec<(Ipv4Addr, u16)> = port.endpoints_for(front, &n.name).iter().map(|e| e.addr()).collect();
                    let Some(vs) = n.kernel.services.get_mut(&k) else { continue };
                    vs.persistent = port.affinity;
                    vs.set_sched(n.sched);
                    let current: Vec<(Ipv4Addr, u16, i32, bool, ipvs::Fwd)> = vs
                        .dests
                        .iter()
                        .map(|d| (d.addr, d.port, d.weight, d.active + d.inactive > 0, d.fwd))
                        .collect();
                    // Gone: delete, or weight 0 while connections live (TCP only).
                    for (a, p, w, busy, fwd) in current {
                        if eps.contains(&(a, p)) {
                            continue;
                        }
                        if busy && k.proto == Protocol::Tcp {
                            if w != 0 {
                                if let Some(vs) = n.kernel.services.get_mut(&k) {
                                    vs.edit_dest(a, p, 0, fwd);
                                }
                                report.draining.push((n.name.clone(), k, a, p));
                            }
                            n.draining.insert((k, a, p));
                        } else {
                            n.kernel.remove_dest(&k, a, p);
                            n.draining.remove(&(k, a, p));
                        }
                    }
                    let Some(vs) = n.kernel.services.get_mut(&k) else { continue };
                    // Back from draining: MoveRSOutofGracefulDeleteList deletes it, then it is
                    // added again like a new one.
                    let mut new: Vec<(Ipv4Addr, u16)> = Vec::new();
                    for d in &eps {
                        if n.draining.remove(&(k, d.0, d.1)) {
                            vs.del_dest(d.0, d.1);
                        }
                        if !vs.has_dest(d.0, d.1) {
                            new.push(*d);
                        }
                    }
                    let mut vs = n.kernel.services.remove(&k).unwrap_or_else(|| VirtualService::new(k, n.sched));
                    self.add_in_kernel_order(&n, &mut vs, port, new);
                    n.kernel.services.insert(k, vs);
                }
            }
        }
        self.nodes.insert(node.to_string(), n);
    }

    fn vs_port_key(&self, n: &NodeProxy, key: VsKey) -> Option<PortKey> {
        if key.addr == n.ip {
            return self.node_ports.get(&(key.proto, key.port)).cloned();
        }
        self.vips.get(&key).map(|(k, _)| k.clone())
    }

    /// kube-proxy's sync on the nodes with hand edits (all of them, or one): hand-made
    /// virtual servers go unless excluded, hand-added addresses go, kube-proxy's own come back.
    fn revert_hand_edits(&mut self, only: Option<&str>, now_ms: u64) -> Vec<(String, Cleaned)> {
        let mut out = Vec::new();
        let names: Vec<String> = match only {
            Some(n) => self.hand_edited.iter().filter(|x| x.as_str() == n).cloned().collect(),
            None => self.hand_edited.iter().cloned().collect(),
        };
        for name in names {
            self.hand_edited.remove(&name);
            let excluded = self.exclude_cidrs.clone();
            let Some(n) = self.nodes.get_mut(&name) else { continue };
            if n.mode != ProxyMode::Ipvs {
                continue;
            }
            let foreign: Vec<VsKey> = n.foreign().map(|v| v.key).collect();
            for k in foreign {
                if in_cidrs(&excluded, k.addr) {
                    out.push((name.clone(), Cleaned::Excluded(k)));
                } else {
                    n.kernel.remove_service(&k);
                    out.push((name.clone(), Cleaned::VirtualServer(k)));
                }
            }
            let hand = std::mem::take(&mut n.hand);
            for a in &hand.added_addrs {
                out.push((name.clone(), Cleaned::Address(*a)));
            }
            if hand.cleared || !hand.deleted.is_empty() || !hand.deleted_addrs.is_empty() {
                out.push((name.clone(), Cleaned::Restored));
            }
            // syncService and syncEndpoint put kube-proxy's own virtual servers back as they
            // want them: scheduler and flags, real servers added or removed by hand.
            let kernel_keys: Vec<VsKey> = n.kernel.services.keys().copied().collect();
            let owned: BTreeSet<PortKey> = match self.nodes.get(&name) {
                Some(n) => kernel_keys.into_iter().filter_map(|k| self.vs_port_key(n, k)).collect(),
                None => BTreeSet::new(),
            };
            let mut scratch = SyncReport::default();
            for k in owned {
                self.resync_node_port(&name, &k, now_ms, &mut scratch);
            }
        }
        out
    }

    /// A periodic sync of `node` (kube-proxy's `syncPeriod`): reverts hand edits.
    pub fn periodic_sync(&mut self, node: &str, now_ms: u64) -> Vec<(String, Cleaned)> {
        self.revert_hand_edits(Some(node), now_ms)
    }

    /// When the next periodic sync happens after `now_ms` (for a node with hand edits).
    pub fn next_periodic_sync(&self, now_ms: u64) -> u64 {
        let last = self.last_sync_ms.min(now_ms);
        let periods = (now_ms - last) / SYNC_PERIOD_MS + 1;
        last + periods * SYNC_PERIOD_MS
    }

    /// Restart kube-proxy on `node` in `mode` with `sched` (editing its ConfigMap and deleting
    /// the Pod): its kernel state is rebuilt from the shared state.
    pub fn restart_node(&mut self, node: &str, mode: ProxyMode, sched: Sched) {
        let Some(n) = self.nodes.get_mut(node) else { return };
        let was_ipvs = n.mode == ProxyMode::Ipvs;
        n.mode = mode;
        if mode == self.default_mode {
            self.other_mode.remove(node);
        } else {
            self.other_mode.insert(node.to_string(), mode);
        }
        n.sched = sched;
        n.recent.clear();
        n.draining.clear();
        n.hand = HandEdits::default();
        if mode != ProxyMode::Ipvs || !was_ipvs {
            // kube-proxy in iptables or nftables mode cleans up IPVS (and kube-ipvs0).
            n.kernel = Table::default();
        } else {
            // UpdateVirtualServer: the scheduler changes in place, real servers stay.
            for vs in n.kernel.services.values_mut() {
                if vs.owner.is_some() {
                    vs.set_sched(sched);
                }
            }
        }
        self.hand_edited.remove(node);
        for set in self.touched.values_mut() {
            if mode != ProxyMode::Ipvs {
                set.remove(node);
            }
        }
    }

    /// Restart every node's kube-proxy (the cluster-wide default changes too).
    pub fn restart_all(&mut self, mode: ProxyMode, sched: Sched) {
        self.default_mode = mode;
        self.default_sched = sched;
        let names: Vec<String> = self.nodes.keys().cloned().collect();
        for n in names {
            self.restart_node(&n, mode, sched);
        }
    }

    /// Addresses on `kube-ipvs0` of a node: every ClusterIP, external and LB IP kube-proxy
    /// binds, with the learner's `ip addr add/del` until the next sync. Empty outside IPVS mode.
    pub fn kube_ipvs0_addrs(&self, node: &str) -> Vec<Ipv4Addr> {
        let Some(n) = self.nodes.get(node) else { return Vec::new() };
        if n.mode != ProxyMode::Ipvs {
            return Vec::new();
        }
        let mut v: Vec<Ipv4Addr> = if n.hand.cleared {
            Vec::new()
        } else {
            self.addr_refs
                .keys()
                .copied()
                .filter(|a| !n.hand.deleted_addrs.contains(a))
                .collect()
        };
        v.extend(n.hand.added_addrs.iter().copied());
        v.sort();
        v.dedup();
        v
    }

    fn is_bound(&self, n: &NodeProxy, addr: Ipv4Addr) -> bool {
        if n.hand.added_addrs.contains(&addr) {
            return true;
        }
        !n.hand.cleared && !n.hand.deleted_addrs.contains(&addr) && self.is_service_address(addr)
    }

    /// `ip addr add ADDR/32 dev kube-ipvs0`.
    pub fn add_dummy_addr(&mut self, node: &str, addr: Ipv4Addr) -> Result<(), AddrError> {
        let bound = self.kube_ipvs0_addrs(node).contains(&addr);
        let Some(n) = self.nodes.get_mut(node) else {
            return Err(AddrError::NoDevice);
        };
        if n.mode != ProxyMode::Ipvs {
            return Err(AddrError::NoDevice);
        }
        if bound {
            return Err(AddrError::Exists);
        }
        if !n.hand.deleted_addrs.remove(&addr) {
            n.hand.added_addrs.insert(addr);
        }
        self.hand_edited.insert(node.to_string());
        Ok(())
    }

    /// `ip addr del ADDR/32 dev kube-ipvs0`.
    pub fn del_dummy_addr(&mut self, node: &str, addr: Ipv4Addr) -> Result<(), AddrError> {
        let bound = self.kube_ipvs0_addrs(node).contains(&addr);
        let Some(n) = self.nodes.get_mut(node) else {
            return Err(AddrError::NoDevice);
        };
        if n.mode != ProxyMode::Ipvs {
            return Err(AddrError::NoDevice);
        }
        if !bound {
            return Err(AddrError::NotFound);
        }
        if !n.hand.added_addrs.remove(&addr) {
            n.hand.deleted_addrs.insert(addr);
        }
        self.hand_edited.insert(node.to_string());
        Ok(())
    }

    /// The node's IPVS table as `ipvsadm` lists it: its kernel state, and every other virtual
    /// server kube-proxy programmed, computed from the shared state. Empty outside IPVS mode.
    pub fn ipvs_table(&self, node: &str, now_ms: u64) -> Table {
        let Some(n) = self.nodes.get(node) else { return Table::default() };
        if n.mode != ProxyMode::Ipvs {
            return Table::default();
        }
        let mut t = n.kernel.clone();
        t.expire(now_ms);
        if n.hand.cleared {
            return t;
        }
        for p in self.ports() {
            for (k, front) in self.node_vips(n, p) {
                if t.services.contains_key(&k) || n.hand.deleted.contains(&k) {
                    continue;
                }
                t.services.insert(k, self.fresh_vs(n, p, k, front));
            }
        }
        t
    }

    /// The virtual servers of one Service on `node`, as `ipvsadm -Ln` would list them.
    pub fn service_virtual_servers(&self, node: &str, ns: &str, name: &str) -> Vec<VirtualService> {
        let Some(n) = self.nodes.get(node) else { return Vec::new() };
        if n.mode != ProxyMode::Ipvs || n.hand.cleared {
            return Vec::new();
        }
        let mut out = Vec::new();
        for p in self.service_ports(ns, name) {
            for (k, front) in self.node_vips(n, p) {
                if n.hand.deleted.contains(&k) {
                    continue;
                }
                match n.kernel.services.get(&k) {
                    Some(vs) => out.push(vs.clone()),
                    None => out.push(self.fresh_vs(n, p, k, front)),
                }
            }
        }
        out
    }

    /// How many virtual servers the node's table holds (without building it).
    pub fn virtual_server_count(&self, node: &str) -> usize {
        let Some(n) = self.nodes.get(node) else { return 0 };
        if n.mode != ProxyMode::Ipvs {
            return 0;
        }
        if n.hand.cleared {
            return n.kernel.services.len();
        }
        let ours = self.vs_per_node;
        ours - n.hand.deleted.len().min(ours) + n.foreign().count()
    }

    /// Mutable kernel table of `node` for `ipvsadm` edits, with the virtual server `key`
    /// (if kube-proxy programmed one) made kernel state first. Records the edit so the next
    /// sync reverts it.
    pub fn kernel_for_edit(&mut self, node: &str, key: Option<VsKey>) -> Option<&mut Table> {
        if let Some(k) = key {
            self.materialize(node, k);
        }
        self.hand_edited.insert(node.to_string());
        self.nodes.get_mut(node).map(|n| &mut n.kernel)
    }

    /// Record that the learner deleted kube-proxy's virtual server `key` (`ipvsadm -D`) or
    /// the whole table (`-C`); the next sync puts kube-proxy's back.
    pub fn note_deleted(&mut self, node: &str, key: Option<VsKey>) {
        let Some(n) = self.nodes.get_mut(node) else { return };
        match key {
            Some(k) => {
                n.hand.deleted.insert(k);
            }
            None => {
                n.hand.cleared = true;
                n.draining.clear();
            }
        }
        self.hand_edited.insert(node.to_string());
    }

    /// Whether `node` has hand edits a sync will revert.
    pub fn has_hand_edits(&self, node: &str) -> bool {
        // Any edit counts: kube-proxy's sync also puts its own virtual servers' scheduler and
        // real servers back after `ipvsadm -E/-a/-d` on them.
        self.hand_edited.contains(node)
    }

    /// The graceful-termination check on `node` (every minute while real servers drain):
    /// weight-0 real servers without connections are deleted. Returns those deleted and
    /// whether some still drain.
    pub fn graceful_check(&mut self, node: &str, now_ms: u64) -> (Vec<(VsKey, Ipv4Addr, u16)>, bool) {
        let Some(n) = self.nodes.get_mut(node) else {
            return (Vec::new(), false);
        };
        n.kernel.expire(now_ms);
        let mut gone = Vec::new();
        let draining: Vec<(VsKey, Ipv4Addr, u16)> = n.draining.iter().copied().collect();
        for (k, a, p) in draining {
            let busy = n
                .kernel
                .services
                .get(&k)
                .and_then(|v| v.dests.iter().find(|d| d.addr == a && d.port == p))
                .is_some_and(|d| d.active + d.inactive > 0);
            if !busy {
                n.kernel.remove_dest(&k, a, p);
                n.draining.remove(&(k, a, p));
                gone.push((k, a, p));
            }
        }
        (gone, !n.draining.is_empty())
    }

    /// The answer to a UDP flow `lookup` scheduled came back through the node: count its
    /// datagram (IP and UDP headers included) on the real server and the virtual server.
    pub fn account_reply(&mut self, node: &str, key: VsKey, client: (Ipv4Addr, u16), bytes: u64) {
        if let Some(n) = self.nodes.get_mut(node) {
            n.kernel.account_reply(&key, client, 28 + bytes);
        }
    }

    /// Whether `node`'s kernel would hand a packet to `dst:port` to kube-proxy's rules or IPVS
    /// rather than route it: a hand-made virtual server (at LOCAL_OUT, or on a bound address)
    /// or an address bound to kube-ipvs0.
    pub fn intercepts(&self, node: &str, dst: Ipv4Addr, port: u16, local_out: bool) -> bool {
        let Some(n) = self.nodes.get(node) else { return false };
        if n.mode != ProxyMode::Ipvs {
            return false;
        }
        let key = VsKey {
            proto: Protocol::Tcp,
            addr: dst,
            port,
        };
        self.is_bound(n, dst) || local_out && n.kernel.services.contains_key(&key)
    }

    /// Look up a new connection (or UDP flow) entering `node`'s kernel. `listening` says which
    /// real servers accept it (the others answer RST, or nothing for UDP); `rng` is the node
    /// kernel's stream (iptables' and nftables' random picks). IPVS mode schedules and records
    /// the connection, with the packet's payload sizes in its counters.
    pub fn lookup(&mut self, node: &str, pkt: Packet, now_ms: u64, rng: &mut Rng, listening: &dyn Fn((Ipv4Addr, u16)) -> bool) -> Verdict {
        let Packet {
            proto,
            client,
            dst,
            port,
            local_out,
            payload,
        } = pkt;
        let Some(n) = self.nodes.get(node) else {
            return Verdict::NotTrapped;
        };
        let key = VsKey { proto, addr: dst, port };
        match n.mode {
            ProxyMode::Ipvs => {
                let bound = self.is_bound(n, dst) || dst == n.ip;
                let table_has = n.kernel.services.contains_key(&key)
                    || (!n.hand.cleared && !n.hand.deleted.contains(&key) && self.owner_of(n, key).is_some());
                if !(bound || local_out && table_has) {
                    return Verdict::NotTrapped;
                }
                if !table_has {
                    return Verdict::NoService;
                }
                let owner = self.owner_of(n, key).map(|(p, f)| (p.key.clone(), f));
                self.materialize(node, key);
                let Some(n) = self.nodes.get_mut(node) else {
                    return Verdict::NotTrapped;
                };
                let foreign = n.kernel.services.get(&key).is_some_and(|v| v.owner.is_none());
                let owner = if foreign { None } else { owner };
                let Some(vs) = n.kernel.services.get(&key) else {
                    return Verdict::NoService;
                };
                let sched = vs.sched;
                let real_servers = vs.dests.len();
                let candidates = vs.dests.iter().map(ipvs::DestView::of).collect();
                let picked = n
                    .kernel
                    .connect(&key, client, now_ms, |d| listening(d).then_some(payload))
                    .map(|s| (s.dest, s.why));
                Verdict::Ipvs(IpvsVerdict {
                    key,
                    front: owner.as_ref().map(|(_, f)| *f),
                    port: owner.map(|(k, _)| k),
                    local_out,
                    sched,
                    real_servers,
                    candidates,
                    pick: picked,
                })
            }
            ProxyMode::Iptables | ProxyMode::Nftables => {
                let found = if dst == n.ip {
                    self.node_port(proto, port).map(|p| (p, Front::NodePort))
                } else {
                    self.port_at(&key)
                };
                let Some((p, front)) = found else {
                    return if dst == n.ip || self.is_service_address(dst) {
                        Verdict::NoService
                    } else {
                        Verdict::NotTrapped
                    };
                };
                let eps: Vec<(Ipv4Addr, u16)> = p.endpoints_for(front, node).iter().map(|e| e.addr()).collect();
                let mut eps_sorted = eps.clone();
                eps_sorted.sort_by(|a, b| match cmp_ip_strings(a.0, b.0) {
                    std::cmp::Ordering::Equal => a.1.to_string().cmp(&b.1.to_string()),
                    o => o,
                });
                let pk = p.key.clone();
                let affinity = p.affinity.map(|t| t as u64 * 1000);
                if eps_sorted.is_empty() {
                    return Verdict::Rule(RuleVerdict {
                        port: pk,
                        front,
                        endpoints: 0,
                        affinity_hit: None,
                        dest: None,
                    });
                }
                let client_ip = client.0;
                let Some(n) = self.nodes.get_mut(node) else {
                    return Verdict::NotTrapped;
                };
                let remembered = affinity.and_then(|t| {
                    let (ep, seen) = n.recent.get(&(client_ip, pk.clone())).copied()?;
                    (now_ms < seen + t && eps_sorted.contains(&ep)).then_some(ep)
                });
                let (dest, hit) = match remembered {
                    Some(ep) => (ep, true),
                    None => {
                        let i = rng.below(eps_sorted.len() as u64) as usize;
                        (eps_sorted[i.min(eps_sorted.len() - 1)], false)
                    }
                };
                if affinity.is_some() {
                    n.recent.insert((client_ip, pk.clone()), (dest, now_ms));
                }
                Verdict::Rule(RuleVerdict {
                    port: pk,
                    front,
                    endpoints: eps_sorted.len(),
                    affinity_hit: Some(hit),
                    dest: Some(dest),
                })
            }
        }
    }
}

/// Whether `ip` is in one of `cidrs`.
pub fn in_cidrs(cidrs: &[(Ipv4Addr, u8)], ip: Ipv4Addr) -> bool {
    cidrs.iter().any(|(base, len)| {
        let mask = if *len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from((*len).min(32)))
        };
        u32::from(ip) & mask == u32::from(*base) & mask
    })
}

/// Parse `A.B.C.D/N[,…]` (`--ipvs-exclude-cidrs`).
pub fn parse_cidrs(s: &str) -> Option<Vec<(Ipv4Addr, u8)>> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|c| {
            let (a, n) = c.split_once('/')?;
            let n: u8 = n.parse().ok()?;
            (n <= 32).then_some(())?;
            Some((a.parse().ok()?, n))
        })
        .collect()
}

fn same_state(a: &ServicePortState, b: &ServicePortState) -> bool {
    a.cluster_ip == b.cluster_ip
        && a.port == b.port
        && a.node_port == b.node_port
        && a.external_ips == b.external_ips
        && a.lb_ips == b.lb_ips
        && a.affinity == b.affinity
        && a.external_local == b.external_local
        && a.internal_local == b.internal_local
        && a.endpoints == b.endpoints
}

/// The sync each endpoint entered its category (ready / serving-terminating / neither) in:
/// kept from `old` where the category did not change, `gen` otherwise.
fn carry_since(old: &ServicePortState, new: &ServicePortState, gen: u64) -> BTreeMap<(Ipv4Addr, u16), u64> {
    let cat = |e: &ProxyEndpoint| (e.ready, e.serving && e.terminating);
    let mut out = BTreeMap::new();
    for e in &new.endpoints {
        let prev = old.endpoints.iter().find(|o| o.addr() == e.addr());
        let since = match prev {
            Some(o) if cat(o) == cat(e) => old.since.get(&e.addr()).copied().unwrap_or(gen),
            _ => gen,
        };
        out.insert(e.addr(), since);
    }
    out
}

/// The endpoints of Service port `sp` across `slices` as kube-proxy's `EndpointSliceCache`
/// merges them: the slice port of the same name and protocol, one entry per address and port,
/// in `byEndpoint` order (IPv4 slices only). Also the page's view of a Service's endpoints.
pub fn port_endpoints(sp: &ServicePort, slices: &[&EndpointSlice]) -> Vec<ProxyEndpoint> {
    let mut slices: Vec<&EndpointSlice> = slices.iter().copied().filter(|s| s.address_type == AddressType::IPv4).collect();
    slices.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    merge_port(sp, &slices)
}

/// [`port_endpoints`] over IPv4 slices already sorted by name.
fn merge_port(sp: &ServicePort, slices: &[&EndpointSlice]) -> Vec<ProxyEndpoint> {
    let port_name = sp.name.as_deref().unwrap_or("");
    let mut endpoints: Vec<ProxyEndpoint> = Vec::new();
    for s in slices {
        let Some(p) = s
            .ports
            .iter()
            .find(|p| p.name.as_deref().unwrap_or("") == port_name && p.protocol == sp.protocol)
        else {
            continue;
        };
        let Ok(pnum) = u16::try_from(p.port) else { continue };
        if pnum == 0 {
            continue;
        }
        for e in &s.endpoints {
            let Some(ip) = e.addresses.first() else { continue };
            if endpoints.iter().any(|x| x.ip == *ip && x.port == pnum) {
                continue;
            }
            endpoints.push(ProxyEndpoint {
                ip: *ip,
                port: pnum,
                node: e.node_name.clone(),
                ready: e.conditions.is_ready(),
                serving: e.conditions.is_serving(),
                terminating: e.conditions.is_terminating(),
            });
        }
    }
    endpoints.sort_by(by_endpoint);
    endpoints
}

/// The desired state of a Service's ports from the Service and its slices, as kube-proxy's
/// trackers compute it: no ports for ExternalName or headless Services (`ShouldSkipService`);
/// per slice port (name and protocol must be set; the API defaults them), one endpoint per
/// first address, IPv4 slices only, duplicates across slices collapsed.
fn desired(svc: &Service, slices: &[&EndpointSlice]) -> Vec<ServicePortState> {
    let mut out = Vec::new();
    if svc.spec.type_ == ServiceType::ExternalName {
        return out;
    }
    let Some(cip) = svc.cluster_ip() else { return out };
    let affinity = (svc.spec.session_affinity == SessionAffinity::ClientIP).then_some(svc.spec.affinity_timeout_seconds.max(0) as u32);
    let mut slices: Vec<&EndpointSlice> = slices.iter().copied().filter(|s| s.address_type == AddressType::IPv4).collect();
    slices.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    for sp in &svc.spec.ports {
        let port_name = sp.name.clone().unwrap_or_default();
        let endpoints = merge_port(sp, &slices);
        out.push(ServicePortState {
            key: PortKey {
                namespace: svc.meta.namespace.clone(),
                service: svc.meta.name.clone(),
                port_name: port_name.into(),
                protocol: sp.protocol,
            },
            cluster_ip: cip,
            port: sp.port.clamp(0, 65535) as u16,
            node_port: sp.node_port.and_then(|n| u16::try_from(n).ok()),
            external_ips: svc.spec.external_ips.clone(),
            lb_ips: svc.load_balancer_ips.clone(),
            affinity,
            external_local: svc.spec.external_traffic_policy == TrafficPolicy::Local,
            internal_local: svc.spec.internal_traffic_policy == TrafficPolicy::Local,
            endpoints,
            since: BTreeMap::new(),
            generation: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_strings_compare_as_text() {
        let a: Ipv4Addr = "10.244.0.10".parse().unwrap();
        let b: Ipv4Addr = "10.244.0.9".parse().unwrap();
        assert_eq!(cmp_ip_strings(a, b), a.to_string().cmp(&b.to_string()));
        for (x, y) in [("1.2.3.4", "1.2.3.40"), ("192.168.0.1", "10.0.0.1"), ("0.0.0.0", "255.255.255.255")] {
            let (x, y): (Ipv4Addr, Ipv4Addr) = (x.parse().unwrap(), y.parse().unwrap());
            assert_eq!(cmp_ip_strings(x, y), x.to_string().cmp(&y.to_string()));
        }
    }

    fn service() -> Service {
        let mut spec = ServiceSpec::new(
            ServiceType::ClusterIP,
            None,
            vec![ServicePort {
                name: None,
                protocol: Protocol::Tcp,
                port: 80,
                target_port: IntOrString::Int(8080),
                node_port: None,
            }],
        );
        spec.cluster_ip = ClusterIp::Ip(Ipv4Addr::new(10, 96, 0, 50));
        Service {
            meta: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            spec,
            load_balancer_ips: Vec::new(),
        }
    }

    fn slice(ips: &[u8]) -> EndpointSlice {
        let mut labels = Labels::new();
        labels.insert(SERVICE_NAME_LABEL.into(), "web".into());
        EndpointSlice {
            meta: ObjectMeta {
                name: "web-1".into(),
                namespace: "default".into(),
                labels: labels.into(),
                ..Default::default()
            },
            address_type: AddressType::IPv4,
            ports: vec![EndpointPort {
                name: Some(String::new()),
                port: 8080,
                protocol: Protocol::Tcp,
            }],
            endpoints: ips
                .iter()
                .map(|i| SliceEndpoint {
                    addresses: vec![Ipv4Addr::new(10, 244, 0, *i)],
                    conditions: EndpointConditions::set(true, true, false),
                    hostname: None,
                    node_name: Some("minikube".into()),
                    zone: None,
                    target: None,
                })
                .collect(),
        }
    }

    fn dest_order(p: &KubeProxy) -> Vec<Ipv4Addr> {
        let key = VsKey {
            proto: Protocol::Tcp,
            addr: Ipv4Addr::new(10, 96, 0, 50),
            port: 80,
        };
        p.ipvs_table("minikube", 0)
            .services
            .get(&key)
            .map(|v| v.dests.iter().map(|d| d.addr).collect())
            .unwrap_or_default()
    }

    proptest::proptest! {
        /// A node whose kernel holds a virtual server from the first sync on (it follows every
        /// change) and a node that never saw a packet (its table computed when printed) list
        /// the same real servers in the same kernel order.
        #[test]
        fn kept_and_computed_tables_agree(steps in proptest::collection::vec(proptest::collection::btree_set(1u8..12, 0..6), 1..8), touch_at in 0usize..8) {
            let svc = service();
            let key = VsKey { proto: Protocol::Tcp, addr: Ipv4Addr::new(10, 96, 0, 50), port: 80 };
            let mut kept = KubeProxy::new(7, ProxyMode::Ipvs, Sched::Rr, Vec::new());
            let mut computed = KubeProxy::new(7, ProxyMode::Ipvs, Sched::Rr, Vec::new());
            for p in [&mut kept, &mut computed] {
                p.add_node("minikube", Ipv4Addr::new(192, 168, 49, 2));
            }
            for (i, ips) in steps.iter().enumerate() {
                let ips: Vec<u8> = ips.iter().copied().collect();
                let sl = slice(&ips);
                for p in [&mut kept, &mut computed] {
                    p.sync_service("default", "web", ServiceInput { service: Some(&svc), slices: vec![&sl] }, i as u64);
                }
                if i == touch_at.min(steps.len() - 1) {
                    kept.materialize("minikube", key);
                }
                proptest::prop_assert_eq!(dest_order(&kept), dest_order(&computed));
            }
        }
    }

    fn endpoint(i: u8, ready: bool, serving: bool, terminating: bool, node: &str) -> SliceEndpoint {
        SliceEndpoint {
            addresses: vec![Ipv4Addr::new(10, 244, 0, i)],
            conditions: EndpointConditions::set(ready, serving, terminating),
            hostname: None,
            node_name: Some(node.into()),
            zone: None,
            target: None,
        }
    }

    fn proxy_with(svc: &Service, slices: &[EndpointSlice]) -> KubeProxy {
        let mut p = KubeProxy::new(7, ProxyMode::Ipvs, Sched::Rr, vec![(Ipv4Addr::new(10, 1, 0, 0), 16)]);
        p.add_node("minikube", Ipv4Addr::new(192, 168, 49, 2));
        p.add_node("minikube-m02", Ipv4Addr::new(192, 168, 49, 3));
        p.sync_service(
            "default",
            "web",
            ServiceInput {
                service: Some(svc),
                slices: slices.iter().collect(),
            },
            0,
        );
        p
    }

    fn vip() -> VsKey {
        VsKey {
            proto: Protocol::Tcp,
            addr: Ipv4Addr::new(10, 96, 0, 50),
            port: 80,
        }
    }

    /// `CategorizeEndpoints`: ready endpoints; with none ready, the serving terminating ones;
    /// never the not-serving ones.
    #[test]
    fn terminating_endpoints_are_the_fallback() {
        let mut sl = slice(&[]);
        sl.endpoints = vec![
            endpoint(1, false, true, true, "minikube"),
            endpoint(2, false, false, true, "minikube"),
        ];
        let p = proxy_with(&service(), &[sl.clone()]);
        let port = p.port_at(&vip()).map(|(p, _)| p).unwrap();
        let ips: Vec<Ipv4Addr> = port.endpoints_for(Front::ClusterIp, "minikube").iter().map(|e| e.ip).collect();
        assert_eq!(ips, vec![Ipv4Addr::new(10, 244, 0, 1)]);
        sl.endpoints.push(endpoint(3, true, true, false, "minikube"));
        let p = proxy_with(&service(), &[sl]);
        let port = p.port_at(&vip()).map(|(p, _)| p).unwrap();
        let ips: Vec<Ipv4Addr> = port.endpoints_for(Front::ClusterIp, "minikube").iter().map(|e| e.ip).collect();
        assert_eq!(ips, vec![Ipv4Addr::new(10, 244, 0, 3)]);
    }

    /// internalTrafficPolicy Local: each node gets only its own endpoints.
    #[test]
    fn local_policy_is_per_node() {
        let mut svc = service();
        svc.spec.internal_traffic_policy = TrafficPolicy::Local;
        let mut sl = slice(&[]);
        sl.endpoints = vec![
            endpoint(1, true, true, false, "minikube"),
            endpoint(2, true, true, false, "minikube-m02"),
        ];
        let p = proxy_with(&svc, &[sl]);
        for (node, want) in [("minikube", 1u8), ("minikube-m02", 2)] {
            let t = p.ipvs_table(node, 0);
            let dests: Vec<Ipv4Addr> = t.services[&vip()].dests.iter().map(|d| d.addr).collect();
            assert_eq!(dests, vec![Ipv4Addr::new(10, 244, 0, want)], "{node}");
        }
    }

    /// Slices: IPv6 ones are not this family's; the same endpoint in two slices counts once;
    /// a port with no name is the Service's unnamed port (the API defaults it to "").
    #[test]
    fn slices_are_read_as_the_endpointslice_cache_reads_them() {
        let mut a = slice(&[1, 2]);
        a.ports[0].name = None;
        let mut b = slice(&[2, 3]);
        b.meta.name = "web-2".into();
        let mut v6 = slice(&[4]);
        v6.meta.name = "web-3".into();
        v6.address_type = AddressType::IPv6;
        let p = proxy_with(&service(), &[a, b, v6]);
        let port = p.port_at(&vip()).map(|(p, _)| p).unwrap();
        let ips: Vec<u8> = port.endpoints.iter().map(|e| e.ip.octets()[3]).collect();
        assert_eq!(ips, vec![1, 2, 3]);
    }

    /// A hand-made virtual server: a node-local client reaches it at LOCAL_OUT although its
    /// address is on no interface; a Pod's packet is not trapped until the address is on
    /// kube-ipvs0. The next sync deletes it unless --ipvs-exclude-cidrs covers it.
    #[test]
    fn hand_made_virtual_servers() {
        let mut p = proxy_with(&service(), &[slice(&[1])]);
        let key = VsKey {
            proto: Protocol::Tcp,
            addr: Ipv4Addr::new(10, 0, 0, 100),
            port: 80,
        };
        let kept = VsKey {
            addr: Ipv4Addr::new(10, 1, 0, 100),
            ..key
        };
        for k in [key, kept] {
            let t = p.kernel_for_edit("minikube", Some(k)).unwrap();
            let mut vs = VirtualService::new(k, Sched::Rr);
            vs.add_dest(Dest::new(Ipv4Addr::new(10, 244, 0, 9), 8080, 1));
            t.services.insert(k, vs);
        }
        let mut rng = Rng::new(1);
        let all = |_: (Ipv4Addr, u16)| true;
        let pkt = |local_out| Packet {
            proto: Protocol::Tcp,
            client: (Ipv4Addr::new(10, 244, 0, 7), 40000),
            dst: key.addr,
            port: 80,
            local_out,
            payload: (78, 160),
        };
        assert_eq!(p.lookup("minikube", pkt(false), 0, &mut rng, &all), Verdict::NotTrapped);
        assert!(matches!(p.lookup("minikube", pkt(true), 0, &mut rng, &all), Verdict::Ipvs(v) if v.pick.is_some()));
        p.add_dummy_addr("minikube", key.addr).unwrap();
        assert!(matches!(p.lookup("minikube", pkt(false), 0, &mut rng, &all), Verdict::Ipvs(_)));
        let cleaned = p.periodic_sync("minikube", 30_000);
        assert!(cleaned.contains(&("minikube".into(), Cleaned::VirtualServer(key))));
        assert!(cleaned.contains(&("minikube".into(), Cleaned::Excluded(kept))));
        assert!(cleaned.contains(&("minikube".into(), Cleaned::Address(key.addr))));
        let t = p.ipvs_table("minikube", 30_000);
        assert!(!t.services.contains_key(&key) && t.services.contains_key(&kept));
        assert!(!p.kube_ipvs0_addrs("minikube").contains(&key.addr));
    }

    /// `ipvsadm` on kube-proxy's own virtual server: its next sync puts the scheduler back
    /// (UpdateVirtualServer) and removes a real server added by hand (syncEndpoint), but keeps
    /// a weight changed by hand (only the first sync after a restart resets weights).
    #[test]
    fn a_sync_reverts_edits_of_its_own_virtual_servers() {
        let mut p = proxy_with(&service(), &[slice(&[1, 2])]);
        let t = p.kernel_for_edit("minikube", Some(vip())).unwrap();
        let vs = t.services.get_mut(&vip()).unwrap();
        vs.set_sched(Sched::Wrr);
        vs.add_dest(Dest::new(Ipv4Addr::new(10, 244, 0, 9), 8080, 1));
        vs.edit_dest(Ipv4Addr::new(10, 244, 0, 1), 8080, 5, ipvs::Fwd::Masq);
        assert!(p.has_hand_edits("minikube"));
        p.periodic_sync("minikube", 30_000);
        let t = p.ipvs_table("minikube", 30_000);
        let vs = &t.services[&vip()];
        assert_eq!(vs.sched, Sched::Rr);
        let mut w: Vec<(u8, i32)> = vs.dests.iter().map(|d| (d.addr.octets()[3], d.weight)).collect();
        w.sort();
        assert_eq!(w, vec![(1, 5), (2, 1)]);
    }

    /// Graceful termination: an endpoint that goes away while a connection uses it stays at
    /// weight 0; the check after the connection expired deletes it. A node without
    /// connections just drops it.
    #[test]
    fn removed_real_servers_drain() {
        let svc = service();
        let mut p = proxy_with(&svc, &[slice(&[1, 2])]);
        let mut rng = Rng::new(1);
        let all = |_: (Ipv4Addr, u16)| true;
        let pkt = Packet {
            proto: Protocol::Tcp,
            client: (Ipv4Addr::new(10, 244, 0, 7), 40000),
            dst: vip().addr,
            port: 80,
            local_out: false,
            payload: (78, 160),
        };
        let mut used = BTreeSet::new();
        for i in 0..2 {
            if let Verdict::Ipvs(v) = p.lookup(
                "minikube",
                Packet {
                    client: (pkt.client.0, 40000 + i),
                    ..pkt
                },
                1_000,
                &mut rng,
                &all,
            ) {
                used.insert(v.pick.unwrap().0);
            }
        }
        assert_eq!(used.len(), 2, "rr used both");
        let sl = slice(&[1]);
        let r = p.sync_service(
            "default",
            "web",
            ServiceInput {
                service: Some(&svc),
                slices: vec![&sl],
            },
            2_000,
        );
        assert_eq!(
            r.draining,
            vec![("minikube".to_string(), vip(), Ipv4Addr::new(10, 244, 0, 2), 8080)]
        );
        let weights = |p: &KubeProxy, node: &str, now| -> Vec<(u8, i32)> {
            p.ipvs_table(node, now).services[&vip()]
                .dests
                .iter()
                .map(|d| (d.addr.octets()[3], d.weight))
                .collect()
        };
        let mut w = weights(&p, "minikube", 2_000);
        w.sort();
        assert_eq!(w, vec![(1, 1), (2, 0)]);
        assert_eq!(weights(&p, "minikube-m02", 2_000), vec![(1, 1)]);
        // curl's connections sit in TIME_WAIT for 120 s.
        assert_eq!(p.graceful_check("minikube", 60_000), (vec![], true));
        let (gone, more) = p.graceful_check("minikube", 180_000);
        assert_eq!(gone, vec![(vip(), Ipv4Addr::new(10, 244, 0, 2), 8080)]);
        assert!(!more);
        assert_eq!(weights(&p, "minikube", 180_000), vec![(1, 1)]);
    }

    #[test]
    fn cidrs() {
        let c = parse_cidrs("10.0.0.0/8,192.168.49.0/24").unwrap();
        assert!(in_cidrs(&c, "10.1.2.3".parse().unwrap()));
        assert!(!in_cidrs(&c, "11.1.2.3".parse().unwrap()));
        assert!(parse_cidrs("10.0.0.0/33").is_none());
    }
}
