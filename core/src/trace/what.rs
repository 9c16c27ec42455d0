//! What happened, as data: one variant per kind of event, with the keys, addresses and counts a
//! picture or a script needs. No words here: the `explain` module renders them. Serialized (as the
//! `data` of a `--trace=json` line) with its variant name in snake case as `type`.

use std::net::Ipv4Addr;

use serde::Serialize;

use super::{display, Addr, Controller, Hop, Reg, Step};
use crate::dns::{RType, Rcode};
use crate::model::{CompactString, ObjKey};
use crate::proxy::ipvs::{Sched, VsKey};
use crate::proxy::ProxyMode;

fn sched<S: serde::Serializer>(v: &Sched, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_str())
}

fn ser_key<S: serde::Serializer>(v: &ObjKey, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::key_id(v))
}

fn addrs<S: serde::Serializer>(v: &[Ipv4Addr], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(Ipv4Addr::to_string))
}

fn ser_keys<S: serde::Serializer>(v: &[ObjKey], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(super::key_id))
}

/// Why a Deployment scales a ReplicaSet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleReason {
    /// The Deployment's replicas went down.
    ReplicasDown,
    /// The Deployment's replicas went up.
    ReplicasUp,
    /// Rolling update: the new ReplicaSet grows within maxSurge.
    SurgeNew,
    /// Rolling update: unavailable old Pods go first (`cleanupUnhealthyReplicas`).
    UnhealthyOld,
    /// Rolling update: old Pods go as new ones become available, within maxUnavailable.
    RetireOld,
}

/// Why a Pod's sandbox could not be set up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SandboxProblem {
    /// host-local IPAM has no address left in the node's range.
    NoAddresses { range: String },
    /// The node has no Pod CIDR, so its CNI has no configuration.
    NetworkNotReady,
}

/// What kube-proxy did with a Service's rules on every node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RulesChange {
    /// IPVS: the virtual servers and their real-server counts.
    Ipvs {
        #[serde(serialize_with = "vs_list")]
        virtual_servers: Vec<(VsKey, usize)>,
    },
    /// IPVS, but the Service has no ClusterIP (headless, ExternalName): nothing to program.
    NoClusterIp,
    /// iptables or nftables: the Service's chains were rewritten.
    Rewritten,
    /// The Service is gone: its rules too.
    Removed,
}

fn vs_list<S: serde::Serializer>(v: &[(VsKey, usize)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(
        v.iter()
            .map(|(k, n)| serde_json::json!({"virtual_server": k.to_string(), "real_servers": n})),
    )
}

/// What kube-proxy's sync did about IPVS state it does not own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Cleanup {
    /// `cleanLegacyService`: a virtual server it did not create, deleted.
    DeletedVirtualServer {
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
    },
    /// A hand-made virtual server kept: its address is in `--ipvs-exclude-cidrs`.
    KeptExcluded {
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
    },
    /// An address on kube-ipvs0 it did not bind, removed.
    UnboundAddress {
        #[serde(serialize_with = "display")]
        address: Ipv4Addr,
    },
    /// Its own virtual servers and addresses, put back after a hand edit.
    Restored,
}

/// Which of kube-proxy's syncs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncKind {
    /// The sync after a Service or EndpointSlice change.
    AfterChange,
    /// The periodic sync (every 30 s).
    Periodic,
}

/// What the CoreDNS kubernetes plugin answers for a Service's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ServiceRecord {
    A {
        #[serde(serialize_with = "display")]
        ip: Ipv4Addr,
    },
    Cname {
        target: String,
    },
    /// Headless: one A record per ready endpoint.
    Headless,
}

/// What the destination of a new connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// A ClusterIP reached from outside over `minikube tunnel`'s route (the EXTERNAL-IP).
    TunnelledService,
    /// A ClusterIP (or another address kube-proxy serves).
    Service,
    /// The node's own address (a NodePort if kube-proxy opened one).
    NodeAddress,
    /// Anything else: a Pod IP, an outside address.
    Direct,
}

/// How the learner's machine routes a packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum HostRoute {
    /// A node address, directly on the minikube network.
    Direct,
    /// The service network via the minikube node: `minikube tunnel`'s route.
    Tunnel {
        #[serde(serialize_with = "display")]
        via: Ipv4Addr,
        node: CompactString,
    },
    /// No route: the SYN leaves by the default route and is lost.
    None { service_network: bool },
}

/// How IPVS came to see a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IpvsEntry {
    /// A process on the node itself: LOCAL_OUT (`ip_vs_local_request4`), any address.
    LocalOut,
    /// The node's own address: a NodePort virtual server.
    NodePort,
    /// An address bound to kube-ipvs0, for a virtual server built by hand.
    HandBuilt,
    /// A ClusterIP kube-proxy bound to kube-ipvs0.
    KubeIpvs0,
}

/// Why no rule took a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Miss {
    /// IPVS mode: the address is not local on the node.
    NotLocal,
    /// IPVS mode: local, but no virtual server has the port and nothing listens (RST).
    NoVirtualServer,
    /// No kube-proxy rule, and nothing listens (a node address or a non-service address).
    NoRule,
    /// nftables: `cluster-ips-check` rejects a ClusterIP on a port the Service does not expose.
    NftablesReject,
    /// The Service does not expose that port: dropped.
    PortNotExposed,
}

/// How a kube-proxy rule matched (iptables/nftables).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleFront {
    ClusterIp,
    NodePort,
}

/// How a packet reached the Pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Path {
    /// Across the node's bridge.
    SameNode { node: CompactString },
    /// Routed to the Pod's node by the node's route for its Pod CIDR.
    Routed {
        from_node: CompactString,
        cidr: String,
        via: String,
        to_node: CompactString,
    },
}

/// What an ICMP echo request met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EchoOutcome {
    NodeReplied {
        node: CompactString,
    },
    PodReplied {
        pod: String,
    },
    /// IPVS: the ClusterIP is local but KUBE-IPVS-FILTER rejects the echo.
    IpvsFilterRejected {
        node: CompactString,
    },
    /// iptables: nothing matches ICMP to a ClusterIP: lost.
    IptablesLost {
        node: CompactString,
    },
    /// nftables: `cluster-ips-check` rejects it.
    NftablesRejected,
    /// Nothing in the cluster has the address.
    Nobody,
}

/// A real server as a scheduler saw it when it picked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub addr: Addr,
    pub weight: i32,
    pub active: u32,
    pub inactive: u32,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum What {
    // ---- Registration (the chapter's steps 1–6) --------------------------------------------
    /// Step 1: kubectl sends an object to the API server.
    Submitted {
        #[serde(serialize_with = "ser_key")]
        key: ObjKey,
    },
    /// Step 2: authenticated, authorized, admitted.
    Admitted {
        #[serde(serialize_with = "ser_key")]
        key: ObjKey,
    },
    /// Step 2 failed: the API server refuses the object and stores nothing.
    Rejected {
        #[serde(serialize_with = "ser_key")]
        key: ObjKey,
        reason: String,
    },
    /// Step 3: a ClusterIP from the service CIDR.
    ClusterIpAllocated {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "display")]
        ip: Ipv4Addr,
        service_cidr: CompactString,
    },
    /// Step 4: the endpoints controller wrote the Service's endpoints.
    EndpointsUpdated {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "ser_key")]
        endpoints: ObjKey,
        /// Ready addresses with each port.
        ready: Vec<Addr>,
        not_ready: usize,
        /// The selector, `key=value` pairs (inline strings: an event holds no allocation per
        /// pair, so dropping it from the full ring touches no more cold memory than it must).
        selector: Vec<CompactString>,
    },
    /// Step 4, the data path: the EndpointSlice controller wrote one of the Service's slices.
    SliceUpdated {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "ser_key")]
        slice: ObjKey,
        created: bool,
        /// Ports as `name port/PROTO` (no name: `port/PROTO`), inline strings.
        ports: Vec<CompactString>,
        /// Addresses with `ready` (kube-proxy and CoreDNS send traffic there).
        #[serde(serialize_with = "addrs")]
        ready: Vec<Ipv4Addr>,
        /// Terminating but still serving (kube-proxy's fallback when nothing is ready).
        #[serde(serialize_with = "addrs")]
        serving_terminating: Vec<Ipv4Addr>,
        /// Neither ready nor serving.
        not_ready: usize,
    },
    /// Step 4: a slice the Service no longer needs, deleted.
    SliceDeleted {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "ser_key")]
        slice: ObjKey,
    },
    /// Step 4, for selector-less Services: hand-written Endpoints mirrored into slices.
    Mirrored {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "ser_key")]
        endpoints: ObjKey,
        slices: usize,
        endpoint_count: usize,
    },
    /// Step 5: kube-proxy on every node programmed a Service's rules (one model, shared).
    RulesProgrammed {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        /// The cluster's default proxy mode; nodes in another one are in `differing`.
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        nodes: usize,
        change: RulesChange,
        /// Nodes whose kube-proxy runs another mode than `mode` (`sdplay-proxy-mode`).
        differing: Vec<(String, String)>,
    },
    /// Step 5: kube-proxy restarted on a node and rebuilt every Service port's rules.
    ProxyRestarted {
        node: CompactString,
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        #[serde(serialize_with = "sched")]
        scheduler: Sched,
        ports: usize,
    },
    /// Step 6: CoreDNS's informer saw the Service; its records follow.
    DnsRecords {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        fqdn: String,
        record: ServiceRecord,
        /// SRV owner names, one per named port.
        srv: Vec<String>,
    },

    // ---- Controllers ------------------------------------------------------------------------
    ReplicaSetCreated {
        #[serde(serialize_with = "ser_key")]
        deployment: ObjKey,
        #[serde(serialize_with = "ser_key")]
        replicaset: ObjKey,
        replicas: i64,
        pod_template_hash: CompactString,
    },
    ReplicaSetScaled {
        #[serde(serialize_with = "ser_key")]
        deployment: ObjKey,
        #[serde(serialize_with = "ser_key")]
        replicaset: ObjKey,
        from: i64,
        to: i64,
        reason: ScaleReason,
    },
    PodCreated {
        #[serde(serialize_with = "ser_key")]
        replicaset: ObjKey,
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
    },
    PodDeleted {
        #[serde(serialize_with = "ser_key")]
        replicaset: ObjKey,
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        wanted: usize,
    },
    /// kube-scheduler bound a Pod; `ties`: how many nodes scored the same (a random pick).
    Scheduled {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        node: CompactString,
        ties: u32,
    },
    Unschedulable {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        message: String,
    },
    PodIpAssigned {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        node: CompactString,
        #[serde(serialize_with = "display")]
        ip: Ipv4Addr,
        host_network: bool,
    },
    SandboxFailed {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        node: CompactString,
        problem: SandboxProblem,
    },
    ImageChanged {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        containers: usize,
    },
    MainProcessExited {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        code: i32,
        restart_policy: String,
        restarted: bool,
    },
    PodRunning {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        ready: bool,
    },
    PodReady {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
    },
    PodTerminating {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        grace_seconds: u64,
        exits_after_seconds: u64,
    },
    NoPodCidr {
        node: CompactString,
        cluster_cidr: String,
        mask: u8,
    },
    TunnelIngress {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        #[serde(serialize_with = "display")]
        ip: Ipv4Addr,
    },
    /// Graceful termination: a removed endpoint stays at weight 0 while connections live.
    RealServerDraining {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
        node: CompactString,
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
        real_server: Addr,
    },
    /// Graceful termination over: the drained real server is deleted.
    RealServerDeleted {
        node: CompactString,
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
        real_server: Addr,
    },
    /// kube-proxy's sync met IPVS state it does not own (built with ipvsadm or ip addr).
    ProxyCleanup {
        node: CompactString,
        cleanup: Cleanup,
        sync: SyncKind,
    },
    /// A real cluster's snapshot was loaded as the cluster (see [`crate::snapshot`]).
    SnapshotImported { objects: usize, nodes: usize, not_imported: usize },
    /// The starting cluster could not create one of its objects (a bug, never expected).
    BootstrapFailed {
        #[serde(serialize_with = "ser_key")]
        key: ObjKey,
        error: String,
    },

    // ---- Discovery --------------------------------------------------------------------------
    ResolvConfRead {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        nameservers: Vec<String>,
        search: Vec<String>,
        ndots: usize,
    },
    SearchExpanded {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        name: String,
        candidates: Vec<String>,
        dots: usize,
        ndots: usize,
        musl: bool,
    },
    QuerySent {
        qname: String,
        #[serde(serialize_with = "display")]
        qtype: RType,
        #[serde(serialize_with = "display")]
        server: Ipv4Addr,
        /// The CoreDNS Pod kube-proxy sent it to (`None`: an outside server).
        coredns_pod: Option<String>,
    },
    QueryTimedOut {
        qname: String,
        #[serde(serialize_with = "display")]
        qtype: RType,
        #[serde(serialize_with = "display")]
        server: Ipv4Addr,
    },
    Answered {
        qname: String,
        #[serde(serialize_with = "display")]
        qtype: RType,
        #[serde(serialize_with = "display")]
        rcode: Rcode,
        answers: Vec<String>,
        authoritative: bool,
    },
    PacketSent {
        /// Who sends: `pod NAME`, `node NAME` or `your machine`.
        client: String,
        src: Addr,
        dst: Addr,
        destination: Destination,
    },
    HostRouted {
        #[serde(serialize_with = "display")]
        dst: Ipv4Addr,
        route: HostRoute,
    },
    ToDefaultGateway {
        #[serde(serialize_with = "display")]
        dst: Ipv4Addr,
        #[serde(serialize_with = "display")]
        gateway: Ipv4Addr,
        node: CompactString,
    },
    Masqueraded {
        #[serde(serialize_with = "display")]
        from: Ipv4Addr,
        #[serde(serialize_with = "display")]
        to: Ipv4Addr,
    },
    /// No rule took the packet.
    NotTrapped {
        node: CompactString,
        dst: Addr,
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        miss: Miss,
    },
    /// IPVS took the packet for one of its virtual servers.
    IpvsTrapped {
        node: CompactString,
        dst: Addr,
        entry: IpvsEntry,
        #[serde(serialize_with = "ser_keys")]
        services: Vec<ObjKey>,
    },
    /// The virtual server has no real server with weight > 0: RST.
    NoRealServer {
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
        real_servers: usize,
        #[serde(serialize_with = "ser_keys")]
        services: Vec<ObjKey>,
    },
    /// The IPVS scheduler's pick, with what it saw and its reasoning.
    IpvsPicked {
        node: CompactString,
        #[serde(serialize_with = "display")]
        virtual_server: VsKey,
        #[serde(serialize_with = "sched")]
        scheduler: Sched,
        picked: Addr,
        candidates: Vec<Candidate>,
        reason: String,
        #[serde(serialize_with = "ser_keys")]
        services: Vec<ObjKey>,
    },
    /// An iptables/nftables rule matched the packet for a Service.
    RuleTrapped {
        node: CompactString,
        dst: Addr,
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        front: RuleFront,
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
    },
    /// No endpoints: the REJECT rule answers.
    RuleRejected {
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
    },
    /// sessionAffinity ClientIP kept the client's endpoint.
    AffinityKept {
        #[serde(serialize_with = "display")]
        client: Ipv4Addr,
        picked: Addr,
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
    },
    /// A uniform random pick among the endpoints (iptables probabilities, nftables numgen).
    RandomPick {
        picked: Addr,
        endpoints: usize,
        #[serde(serialize_with = "display")]
        mode: ProxyMode,
        #[serde(serialize_with = "ser_key")]
        service: ObjKey,
    },
    /// The destination rewritten (IPVS masquerading, or a KUBE-SEP DNAT rule).
    Dnat { from: Addr, to: Addr, ipvs: bool },
    /// Nothing listens on the port in the Pod: the kernel answers RST.
    Refused {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        at: Addr,
    },
    Delivered {
        #[serde(serialize_with = "ser_key")]
        pod: ObjKey,
        at: Addr,
        path: Path,
        translated: bool,
    },
    /// conntrack un-DNATs the reply.
    Replied { from: Addr, as_from: Addr },
    /// An ICMP echo request and what it met.
    Echo {
        #[serde(serialize_with = "display")]
        src: Ipv4Addr,
        #[serde(serialize_with = "display")]
        dst: Ipv4Addr,
        outcome: EchoOutcome,
    },
}

impl What {
    /// The chapter's step or hop this belongs to.
    pub fn step(&self) -> Step {
        use What::*;
        match self {
            Submitted { .. } => Step::Registration(Reg::Post),
            Admitted { .. } | Rejected { .. } => Step::Registration(Reg::Admission),
            ClusterIpAllocated { .. } => Step::Registration(Reg::ClusterIp),
            EndpointsUpdated { .. } | SliceUpdated { .. } | SliceDeleted { .. } => Step::Registration(Reg::Endpoints),
            Mirrored { .. } => Step::Controller(Controller::EndpointSliceMirroring),
            RulesProgrammed { .. } | ProxyRestarted { .. } => Step::Registration(Reg::ProxyRules),
            DnsRecords { .. } => Step::Registration(Reg::DnsRecords),
            ReplicaSetCreated { .. } | ReplicaSetScaled { .. } => Step::Controller(Controller::Deployment),
            PodCreated { .. } | PodDeleted { .. } => Step::Controller(Controller::ReplicaSet),
            Scheduled { .. } | Unschedulable { .. } => Step::Controller(Controller::Scheduler),
            PodIpAssigned { .. }
            | SandboxFailed { .. }
            | ImageChanged { .. }
            | MainProcessExited { .. }
            | PodRunning { .. }
            | PodReady { .. }
            | PodTerminating { .. } => Step::Controller(Controller::Kubelet),
            NoPodCidr { .. } => Step::Controller(Controller::NodeIpam),
            TunnelIngress { .. } => Step::Controller(Controller::MinikubeTunnel),
            RealServerDraining { .. } | RealServerDeleted { .. } | ProxyCleanup { .. } => Step::Controller(Controller::KubeProxy),
            BootstrapFailed { .. } | SnapshotImported { .. } => Step::Controller(Controller::Bootstrap),
            ResolvConfRead { .. } => Step::Discovery(Hop::ResolvConf),
            SearchExpanded { .. } => Step::Discovery(Hop::SearchExpansion),
            QuerySent { .. } | QueryTimedOut { .. } => Step::Discovery(Hop::DnsQuery),
            Answered { .. } => Step::Discovery(Hop::DnsAnswer),
            PacketSent { .. } => Step::Discovery(Hop::PacketToServiceIp),
            HostRouted { .. } | ToDefaultGateway { .. } => Step::Discovery(Hop::DefaultGateway),
            Masqueraded { .. } | NotTrapped { .. } | IpvsTrapped { .. } | RuleTrapped { .. } | Echo { .. } => {
                Step::Discovery(Hop::KernelTrap)
            }
            NoRealServer { .. } | IpvsPicked { .. } | RuleRejected { .. } | AffinityKept { .. } | RandomPick { .. } => {
                Step::Discovery(Hop::SchedulerPick)
            }
            Dnat { .. } => Step::Discovery(Hop::Dnat),
            Refused { .. } | Delivered { .. } => Step::Discovery(Hop::DeliverToPod),
            Replied { .. } => Step::Discovery(Hop::Reply),
        }
    }

    /// The objects it concerns (the page highlights them).
    pub fn objects(&self) -> Vec<ObjKey> {
        use What::*;
        match self {
            Submitted { key } | Admitted { key } | Rejected { key, .. } => vec![key.clone()],
            ClusterIpAllocated { service, .. } | DnsRecords { service, .. } | TunnelIngress { service, .. } => {
                vec![service.clone()]
            }
            EndpointsUpdated { service, endpoints, .. } | Mirrored { service, endpoints, .. } => {
                vec![service.clone(), endpoints.clone()]
            }
            SliceUpdated { service, slice, .. } | SliceDeleted { service, slice } => vec![service.clone(), slice.clone()],
            RulesProgrammed { service, .. } | RealServerDraining { service, .. } => vec![service.clone()],
            ProxyRestarted { node, .. } => vec![ObjKey::new(crate::model::Kind::Node, "", node)],
            NoPodCidr { node, .. } => vec![ObjKey::new(crate::model::Kind::Node, "", node)],
            ReplicaSetCreated {
                deployment, replicaset, ..
            }
            | ReplicaSetScaled {
                deployment, replicaset, ..
            } => {
                vec![deployment.clone(), replicaset.clone()]
            }
            PodCreated { pod, .. }
            | PodDeleted { pod, .. }
            | Scheduled { pod, .. }
            | Unschedulable { pod, .. }
            | PodIpAssigned { pod, .. }
            | SandboxFailed { pod, .. }
            | ImageChanged { pod, .. }
            | MainProcessExited { pod, .. }
            | PodRunning { pod, .. }
            | PodReady { pod }
            | PodTerminating { pod, .. }
            | ResolvConfRead { pod, .. }
            | SearchExpanded { pod, .. }
            | Refused { pod, .. }
            | Delivered { pod, .. } => vec![pod.clone()],
            IpvsTrapped { services, .. } | NoRealServer { services, .. } | IpvsPicked { services, .. } => services.clone(),
            RuleTrapped { service, .. } | RuleRejected { service } | AffinityKept { service, .. } | RandomPick { service, .. } => {
                vec![service.clone()]
            }
            RealServerDeleted { .. }
            | ProxyCleanup { .. }
            | BootstrapFailed { .. }
            | SnapshotImported { .. }
            | QuerySent { .. }
            | QueryTimedOut { .. }
            | Answered { .. }
            | PacketSent { .. }
            | HostRouted { .. }
            | ToDefaultGateway { .. }
            | Masqueraded { .. }
            | NotTrapped { .. }
            | Dnat { .. }
            | Replied { .. }
            | Echo { .. } => Vec::new(),
        }
    }
}
