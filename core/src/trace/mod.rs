//! The timeline: every change and every lookup, as typed events.
//!
//! An event is data ([`What`]: keys, addresses, counts), never prose: the `explain` module is the
//! one place that turns it into words, for the CLI's `--trace`, the page's timeline and the
//! JSON lines of `--trace=json` ([`TraceEvent::to_json`], schema in the README). Each event
//! also carries where it goes on the page's diagram (`from` and `to`, [`Element`]s whose
//! [`Element::id`] the view uses for its boxes), a `flow` tying a query to its answer and a
//! packet's hops together, the command that caused it, and the store version it left behind.
//!
//! Registration steps 1–6 follow the chapter's numbered list (POST, authn/authz/admission,
//! ClusterIP, endpoints, proxy rules on every node, DNS records); discovery hops follow a lookup
//! from `/etc/resolv.conf` to the Pod that answers. Controllers that run in between (Deployment,
//! ReplicaSet, scheduler, kubelet, kube-proxy's housekeeping) get their own label.

use std::collections::VecDeque;
use std::fmt;
use std::net::Ipv4Addr;

use serde::{Serialize, Serializer};

use crate::model::{CompactString, ObjKey};
use crate::time::SimTime;

/// The chapter's registration steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reg {
    Post = 1,
    Admission = 2,
    ClusterIp = 3,
    Endpoints = 4,
    ProxyRules = 5,
    DnsRecords = 6,
}

impl Reg {
    pub fn title(self) -> &'static str {
        match self {
            Reg::Post => "POST to the API server",
            Reg::Admission => "authn, authz, admission",
            Reg::ClusterIp => "ClusterIP allocated",
            Reg::Endpoints => "Endpoints from the selector",
            Reg::ProxyRules => "proxy rules on every node",
            Reg::DnsRecords => "DNS records",
        }
    }
}

/// The hops of a discovery: name → IP → packet → Pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    ResolvConf,
    SearchExpansion,
    DnsQuery,
    DnsAnswer,
    PacketToServiceIp,
    DefaultGateway,
    KernelTrap,
    SchedulerPick,
    Dnat,
    DeliverToPod,
    Reply,
}

impl Hop {
    pub fn title(self) -> &'static str {
        match self {
            Hop::ResolvConf => "read /etc/resolv.conf",
            Hop::SearchExpansion => "search-list expansion",
            Hop::DnsQuery => "DNS query",
            Hop::DnsAnswer => "DNS answer",
            Hop::PacketToServiceIp => "packet to the ClusterIP",
            Hop::DefaultGateway => "default gateway",
            Hop::KernelTrap => "node kernel trap",
            Hop::SchedulerPick => "load-balancer pick",
            Hop::Dnat => "DNAT",
            Hop::DeliverToPod => "delivered to the Pod",
            Hop::Reply => "reply",
        }
    }

    /// The hop's name in the JSON schema (`discovery:<slug>`).
    pub fn slug(self) -> &'static str {
        match self {
            Hop::ResolvConf => "resolv-conf",
            Hop::SearchExpansion => "search-expansion",
            Hop::DnsQuery => "dns-query",
            Hop::DnsAnswer => "dns-answer",
            Hop::PacketToServiceIp => "packet",
            Hop::DefaultGateway => "default-gateway",
            Hop::KernelTrap => "kernel-trap",
            Hop::SchedulerPick => "pick",
            Hop::Dnat => "dnat",
            Hop::DeliverToPod => "deliver",
            Hop::Reply => "reply",
        }
    }
}

/// The components that act between the chapter's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    Deployment,
    ReplicaSet,
    Scheduler,
    Kubelet,
    EndpointSlice,
    EndpointSliceMirroring,
    NodeIpam,
    MinikubeTunnel,
    KubeProxy,
    Bootstrap,
}

impl Controller {
    /// How the timeline labels it.
    pub fn name(self) -> &'static str {
        match self {
            Controller::Deployment => "deployment controller",
            Controller::ReplicaSet => "replicaset controller",
            Controller::Scheduler => "scheduler",
            Controller::Kubelet => "kubelet",
            Controller::EndpointSlice => "endpointslice controller",
            Controller::EndpointSliceMirroring => "endpointslicemirroring",
            Controller::NodeIpam => "node-ipam",
            Controller::MinikubeTunnel => "minikube tunnel",
            Controller::KubeProxy => "kube-proxy",
            Controller::Bootstrap => "bootstrap",
        }
    }

    /// Its name in ids and the JSON schema.
    pub fn slug(self) -> &'static str {
        match self {
            Controller::Deployment => "deployment",
            Controller::ReplicaSet => "replicaset",
            Controller::Scheduler => "scheduler",
            Controller::Kubelet => "kubelet",
            Controller::EndpointSlice => "endpointslice",
            Controller::EndpointSliceMirroring => "endpointslice-mirroring",
            Controller::NodeIpam => "node-ipam",
            Controller::MinikubeTunnel => "minikube-tunnel",
            Controller::KubeProxy => "kube-proxy",
            Controller::Bootstrap => "bootstrap",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Registration(Reg),
    Discovery(Hop),
    /// A controller acting between the chapter's steps (deployment, replicaset, scheduler, kubelet…).
    Controller(Controller),
}

impl Step {
    /// The step in the JSON schema: `registration:3`, `discovery:dns-query`, `controller:kubelet`.
    pub fn slug(self) -> String {
        match self {
            Step::Registration(r) => format!("registration:{}", r as u8),
            Step::Discovery(h) => format!("discovery:{}", h.slug()),
            Step::Controller(c) => format!("controller:{}", c.slug()),
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Registration(r) => write!(f, "registration step {}: {}", *r as u8, r.title()),
            Step::Discovery(h) => write!(f, "discovery: {}", h.title()),
            Step::Controller(c) => f.write_str(c.name()),
        }
    }
}

/// Something the page's diagram draws, that an event goes from or to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    /// The learner's machine: kubectl, `minikube tunnel`, curl from outside.
    Workstation,
    ApiServer,
    Controller(Controller),
    /// A node: its network namespace and kernel (routes, IPVS, iptables/nftables).
    Node(CompactString),
    Pod {
        namespace: CompactString,
        name: CompactString,
    },
    /// A Service: its ClusterIP, i.e. the virtual server (or rules) every node has for it.
    Service {
        namespace: CompactString,
        name: CompactString,
    },
    /// The cluster DNS: the kube-dns Service and the CoreDNS Pods behind it.
    KubeDns,
    /// Anything outside the cluster (an upstream DNS server, an address nothing has).
    Outside,
}

impl Element {
    pub fn pod(namespace: &str, name: &str) -> Element {
        Element::Pod {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn service(namespace: &str, name: &str) -> Element {
        Element::Service {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn node(name: &str) -> Element {
        Element::Node(name.into())
    }

    /// The element's id, as the view names its boxes: `workstation`, `api-server`,
    /// `controller:<slug>`, `node:<name>`, `pod:<namespace>/<name>`, `svc:<namespace>/<name>`,
    /// `kube-dns`, `outside`.
    pub fn id(&self) -> String {
        match self {
            Element::Workstation => "workstation".into(),
            Element::ApiServer => "api-server".into(),
            Element::Controller(c) => format!("controller:{}", c.slug()),
            Element::Node(n) => format!("node:{n}"),
            Element::Pod { namespace, name } => format!("pod:{namespace}/{name}"),
            Element::Service { namespace, name } => format!("svc:{namespace}/{name}"),
            Element::KubeDns => "kube-dns".into(),
            Element::Outside => "outside".into(),
        }
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

/// Serialize with `Display` (addresses as `10.96.0.10`, modes as kube-proxy spells them).
pub(crate) fn display<T: fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A (address, port) pair, serialized as `ip:port`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Addr(pub Ipv4Addr, pub u16);

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

impl Serialize for Addr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<(Ipv4Addr, u16)> for Addr {
    fn from((ip, port): (Ipv4Addr, u16)) -> Addr {
        Addr(ip, port)
    }
}

mod what;
pub use what::*;

/// One event of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// Stable and increasing, never reused (also after old events are dropped).
    pub seq: u64,
    pub time: SimTime,
    /// The command line that caused it: the n-th one run in this session (1-based), or 0 for
    /// what happened before the first (the cluster's start). Events of a timer (a container
    /// starting, a grace period ending) belong to the command whose work set the timer.
    pub command: u64,
    pub what: What,
    /// Where it goes on the diagram.
    pub from: Option<Element>,
    pub to: Option<Element>,
    /// Ties a DNS query to its answer, and a connection's hops together.
    pub flow: Option<u64>,
    /// The store's version when this happened: `Store::state_at(store_version)` is the cluster
    /// as it was just before this event.
    pub store_version: u64,
}

impl TraceEvent {
    pub fn step(&self) -> Step {
        self.what.step()
    }

    /// The objects it concerns.
    pub fn objects(&self) -> Vec<ObjKey> {
        self.what.objects()
    }
}

/// An object key in the JSON schema: `Kind/namespace/name` (`Kind/name` when cluster-scoped).
pub fn key_id(k: &ObjKey) -> String {
    if k.namespace.is_empty() {
        format!("{}/{}", k.kind.name(), k.name)
    } else {
        format!("{}/{}/{}", k.kind.name(), k.namespace, k.name)
    }
}

/// Where the next event goes on the diagram and which flow it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub from: Option<Element>,
    pub to: Option<Element>,
    pub flow: Option<u64>,
}

impl Route {
    pub fn new(from: Element, to: Element) -> Route {
        Route {
            from: Some(from),
            to: Some(to),
            flow: None,
        }
    }

    pub fn flow(mut self, flow: Option<u64>) -> Route {
        self.flow = flow;
        self
    }
}

/// An append-only event log that keeps the last [`Trace::CAP`] events (sequence numbers keep
/// counting), so a long session cannot grow memory without bound. A ring buffer of exactly
/// `CAP` slots once full: each new event drops the oldest and is written into the slot that
/// drop freed, which the drop has just brought into the caches. (Dropping a quarter
/// of the buffer at a time read 1,250 cold slots at once and wrote them again, cold, over the
/// next 1,250 events: a 1,000-Service apply paid both misses, a 100-Service one never fills
/// the buffer.)
#[derive(Clone, Debug, Default)]
pub struct Trace {
    events: VecDeque<TraceEvent>,
    next_seq: u64,
    next_flow: u64,
}

impl Trace {
    pub const CAP: usize = 5000;

    /// Record `what`, at `time`, caused by `command`, leaving the store at `store_version`.
    pub fn push(&mut self, time: SimTime, command: u64, what: What, route: Route, store_version: u64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.events.len() == Self::CAP {
            // One out for one in: every event costs the same, none pays for trimming a backlog.
            self.events.pop_front();
        } else if self.events.len() == self.events.capacity() {
            // Doubling up to exactly the cap, not to the next power of two past it.
            let want = (self.events.len() * 2).clamp(64, Self::CAP);
            self.events.reserve_exact(want - self.events.len());
        }
        self.events.push_back(TraceEvent {
            seq,
            time,
            command,
            what,
            from: route.from,
            to: route.to,
            flow: route.flow,
            store_version,
        });
    }

    /// A new flow id (a DNS query and its answer, a connection's hops).
    pub fn new_flow(&mut self) -> u64 {
        self.next_flow += 1;
        self.next_flow
    }

    /// The retained events, oldest first.
    pub fn events(&self) -> &VecDeque<TraceEvent> {
        &self.events
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The event with sequence number `seq`, if still retained.
    pub fn get(&self, seq: u64) -> Option<&TraceEvent> {
        let first = self.events.front()?.seq;
        self.events.get(usize::try_from(seq.checked_sub(first)?).ok()?)
    }

    /// Retained events with `seq >= from`.
    pub fn since_seq(&self, from: u64) -> std::collections::vec_deque::Iter<'_, TraceEvent> {
        let first = self.events.front().map_or(self.next_seq, |e| e.seq);
        let skip = usize::try_from(from.saturating_sub(first)).unwrap_or(usize::MAX);
        self.events.range(skip.min(self.events.len())..)
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, ObjKey};

    fn ready(i: u64) -> What {
        What::PodReady {
            pod: ObjKey::new(Kind::Pod, "default", &format!("p{i}")),
        }
    }

    #[test]
    fn cap_keeps_the_newest_and_seq_keeps_counting() {
        let mut t = Trace::default();
        let mut max_len = 0;
        for i in 0..(2 * Trace::CAP + 1) {
            t.push(SimTime(i as u64), 0, ready(i as u64), Route::default(), 0);
            max_len = max_len.max(t.len());
            // The buffer never grows past the cap.
            assert!(t.events.capacity() <= Trace::CAP, "capacity {}", t.events.capacity());
            assert_eq!(t.len(), (i + 1).min(Trace::CAP));
        }
        assert_eq!(max_len, Trace::CAP);
        let last = (2 * Trace::CAP) as u64;
        assert_eq!(t.get(last).map(|e| e.what.clone()), Some(ready(last)));
        assert!(t.get(0).is_none());
        // Kept: the newest, in order, with no gap.
        let first = last + 1 - t.len() as u64;
        assert_eq!(t.events().front().map(|e| e.seq), Some(first));
        assert!(t.get(first - 1).is_none());
        assert_eq!(t.since_seq(last).len(), 1);
        assert_eq!(t.next_seq(), last + 1);
    }

    #[test]
    fn element_ids_are_the_documented_scheme() {
        assert_eq!(Element::pod("dev", "jump").id(), "pod:dev/jump");
        assert_eq!(Element::service("dev", "ent").id(), "svc:dev/ent");
        assert_eq!(Element::node("minikube").id(), "node:minikube");
        assert_eq!(Element::Controller(Controller::Kubelet).id(), "controller:kubelet");
        assert_eq!(Element::KubeDns.id(), "kube-dns");
    }
}
