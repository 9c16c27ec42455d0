//! The simulated cluster, as thin wiring: it owns the API server, the clock, the seeded RNG,
//! the informers (the work queue, the scheduler's cache, kube-proxy on every node, CoreDNS),
//! the timers and the controllers, and runs the API verbs. [`Cluster::settle`] pops work (and
//! [`Cluster::advance_to`] timers) and hands each to its controller with a narrow context of
//! disjoint borrows; no controller sees the cluster.
//!
//! Sans-I/O: nothing here reads a clock or a file. [`Cluster::advance_to`] moves simulated time and
//! fires due timers (containers starting, grace periods ending); every mutation enqueues only the
//! work that depends on it (a Pod → its owner and the Services selecting it; a Service → its
//! Endpoints and proxy rules), so no change ever triggers a full resync.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::api::validation::{self, FieldError, FieldErrorKind};
use crate::api::{plural, ApiError, ApiServer, ApplyAction, Store};
use crate::controllers::context::{Ctx, Timer, Timers};
use crate::controllers::Controllers;
use crate::dns::{RType, Response};
use crate::informers::{Watchers, Work, WorkQueue};
use crate::ipam::NodeCidrAllocator;
use crate::model::*;
use crate::netpath::{ConnError, Connection, Dataplane, DnsFailure, Echo, Origin};
use crate::proxy::{Cleaned, KubeProxy, ProxyMode, ServiceInput};
use crate::resolver::Resolution;
use crate::rng::Streams;
use crate::time::SimTime;
use crate::trace::*;

/// Settings fixed when the cluster is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub seed: u64,
    pub nodes: usize,
    pub proxy_mode: ProxyMode,
    /// kube-proxy's `--ipvs-scheduler` (its default, rr, when unset).
    pub ipvs_scheduler: crate::proxy::ipvs::Sched,
    /// kube-proxy's `--ipvs-exclude-cidrs`: hand-made IPVS virtual servers on these
    /// addresses survive its syncs.
    pub ipvs_exclude_cidrs: Vec<(Ipv4Addr, u8)>,
    pub service_cidr: (Ipv4Addr, u8),
    /// kube-controller-manager's `--cluster-cidr`: each node's Pod CIDR is cut from it.
    pub cluster_cidr: (Ipv4Addr, u8),
    /// kube-controller-manager's `--node-cidr-mask-size` (24 for IPv4 by default).
    pub node_cidr_mask_size: u8,
    pub cluster_domain: String,
    /// How long the cluster has been up when the session starts (AGE of system objects).
    pub uptime_secs: u64,
    /// The wall-clock instant of the cluster's start (`SimTime::ZERO`): how timestamps print.
    pub epoch: crate::time::Epoch,
    /// What runs the nodes, as the tools on the learner's machine reach them.
    pub platform: Platform,
    /// The API server's URL in the learner's kubeconfig (`server:`): what `kubectl
    /// cluster-info` prints. minikube's docker driver on Linux: `https://192.168.49.2:8443`.
    pub api_server: String,
}

/// What runs the cluster's nodes, as the learner's machine reaches them: which of `minikube
/// ssh`, `minikube ip`, `minikube tunnel` and `docker exec NODE` find a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Platform {
    /// A minikube profile (the docker driver): `minikube` commands of profile `minikube` (the
    /// default `-p`) reach it.
    Minikube { profile: String },
    /// A kind cluster: each node is a container of `provider` (`docker`, `podman`), named as
    /// the node (kind's `kind://<provider>/<cluster>/<node>` providerID).
    Kind { provider: String, cluster: String },
    /// Neither: no tool on the learner's machine opens a node's shell.
    Other,
}

impl Platform {
    /// The minikube profile the default `minikube` commands load (`-p minikube`), if it exists.
    pub fn minikube_profile(&self) -> Option<&str> {
        match self {
            Platform::Minikube { profile } => Some(profile),
            _ => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            nodes: 1,
            proxy_mode: ProxyMode::Ipvs,
            ipvs_scheduler: crate::proxy::ipvs::Sched::Rr,
            ipvs_exclude_cidrs: Vec::new(),
            service_cidr: (Ipv4Addr::new(10, 96, 0, 0), 12),
            cluster_cidr: (Ipv4Addr::new(10, 244, 0, 0), 16),
            node_cidr_mask_size: 24,
            cluster_domain: "cluster.local".into(),
            uptime_secs: 18 * 86_400,
            epoch: crate::time::Epoch::DEFAULT,
            platform: Platform::Minikube {
                profile: "minikube".into(),
            },
            api_server: format!("https://{}:8443", node_ip(0)),
        }
    }
}

impl Config {
    /// What kube-controller-manager would refuse to start with, in the CLI's words: `None` if
    /// the settings are usable. [`Cluster::empty`] falls back to the defaults for a refused pair.
    pub fn problem(&self) -> Option<String> {
        if self.nodes == 0 || self.nodes > MAX_NODES {
            return Some(format!("--nodes must be from 1 to {MAX_NODES}"));
        }
        let (ip, prefix) = self.cluster_cidr;
        if prefix > 32 || u32::from(ip) & !netmask(prefix) != 0 {
            return Some(format!("--cluster-cidr {ip}/{prefix} is not a network address"));
        }
        match NodeCidrAllocator::new(self.cluster_cidr, self.node_cidr_mask_size, self.service_cidr) {
            Ok(_) => None,
            Err(crate::ipam::CidrConfigError::MaskShorterThanCluster) => Some(format!(
                "--node-cidr-mask-size {} is shorter than the cluster CIDR's /{prefix}",
                self.node_cidr_mask_size
            )),
            Err(crate::ipam::CidrConfigError::TooManySubnets) => Some(format!(
                "--node-cidr-mask-size {}: more than 16 bits beyond the cluster CIDR's /{prefix} (kube-controller-manager: the node CIDR size is too big)",
                self.node_cidr_mask_size
            )),
            Err(crate::ipam::CidrConfigError::NodeSubnetTooSmall) => {
                Some("--node-cidr-mask-size must be at most 30 (host-local needs two addresses)".into())
            }
        }
    }
}

/// `a.b.c.d/prefix` (the CLI's `--cluster-cidr`).
pub fn parse_cidr(s: &str) -> Option<(Ipv4Addr, u8)> {
    let (ip, prefix) = s.split_once('/')?;
    let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
    Some((ip.parse().ok()?, prefix))
}

fn netmask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

pub use crate::netpath::DnsClient;

pub struct Cluster {
    pub(crate) config: Config,
    pub(crate) now: SimTime,
    /// The API server: store, allocators, names and UIDs, last-applied manifests.
    pub(crate) api: ApiServer,
    /// One random stream per component (see [`crate::rng::Streams`]).
    pub(crate) rng: Streams,
    /// The controllers, each with its own state: the kubelet's nodes (Pod address ranges,
    /// images, pulls in flight), node-ipam's cut of the cluster CIDR, `minikube tunnel`, …
    ctl: Controllers,
    /// kube-scheduler's cache (Pods per node) and queue of Pods waiting for room.
    pub(crate) scheduler: crate::scheduler::Scheduler,
    /// kube-proxy on every node: one shared model, what each node holds of its own.
    pub(crate) proxy: KubeProxy,
    pub(crate) trace: Trace,
    /// Events recorded by controllers and the kubelet (`kubectl get events`, describe).
    pub(crate) events: crate::events::EventLog,
    /// CoreDNS at run time: the Corefile history and the `log` plugin's query log.
    pub(crate) coredns: crate::dns::querylog::CoreDns,
    /// Who sends the DNS queries of the command running now (a Pod's resolver or tool), so
    /// they go through that node's kube-proxy; `None` outside a Pod.
    pub(crate) dns_client: Option<DnsClient>,
    timers: Timers,
    /// The command line being run (1-based; 0 before the first): trace events carry it.
    pub(crate) command: u64,
    /// kube-proxy timers already pending: (when, node, graceful check?).
    proxy_timers: BTreeSet<(SimTime, String, bool)>,
    /// The controllers' work queue (and the selector index the Pod events go through).
    queue: WorkQueue,
}

/// The most nodes a cluster may have: Kubernetes' tested scale envelope (5,000 nodes, 150,000
/// Pods, 10,000 Services).
pub const MAX_NODES: usize = 5_000;

/// The IP of node `i` (0-based). The first 253 are where minikube's docker driver puts them: its
/// network 192.168.49.0/24, gateway `.1`, nodes from `.2` to `.254`. Beyond that sdplay widens the
/// node network to 192.168.0.0/16 and goes on from 192.168.50.1, one /24 after another, skipping
/// the `.0` and `.255` addresses so that no node address looks like a network or broadcast one:
/// node 253 is 192.168.50.1, node 507 192.168.51.1, node 4,999 192.168.68.175. `None` past
/// 192.168.255.254 (far beyond [`MAX_NODES`]).
pub fn node_ip_checked(i: usize) -> Option<Ipv4Addr> {
    let i = u32::try_from(i).ok()?;
    if i < 253 {
        return Some(Ipv4Addr::new(192, 168, 49, u8::try_from(2 + i).ok()?));
    }
    let k = i - 253;
    let third = u8::try_from(50 + k / 254).ok()?;
    Some(Ipv4Addr::new(192, 168, third, u8::try_from(1 + k % 254).ok()?))
}

/// [`node_ip_checked`] for the nodes a cluster can have (`0.0.0.0` past the node network).
pub fn node_ip(i: usize) -> Ipv4Addr {
    node_ip_checked(i).unwrap_or(Ipv4Addr::UNSPECIFIED)
}

/// The name of node `i`: `minikube`, `minikube-m02`, …
pub fn node_name(i: usize) -> String {
    if i == 0 {
        "minikube".into()
    } else {
        format!("minikube-m{:02}", i + 1)
    }
}

impl Cluster {
    /// A cluster with nothing in it yet: no nodes, no namespaces. [`crate::bootstrap::minikube`]
    /// builds the starting cluster on it.
    pub fn empty(mut config: Config) -> Cluster {
        config.nodes = config.nodes.clamp(1, MAX_NODES);
        if config.problem().is_some() {
            let d = Config::default();
            config.cluster_cidr = d.cluster_cidr;
            config.node_cidr_mask_size = d.node_cidr_mask_size;
        }
        let node_cidrs = NodeCidrAllocator::new(config.cluster_cidr, config.node_cidr_mask_size, config.service_cidr)
            .or_else(|_| {
                let d = Config::default();
                NodeCidrAllocator::new(d.cluster_cidr, d.node_cidr_mask_size, d.service_cidr)
            })
            // The defaults always work; were they ever refused, nodes would get no Pod CIDR
            // rather than the page a panic.
            .unwrap_or_else(|_| NodeCidrAllocator::none());
        let proxy = KubeProxy::new(
            config.seed,
            config.proxy_mode,
            config.ipvs_scheduler,
            config.ipvs_exclude_cidrs.clone(),
        );
        let ctl = Controllers {
            deployment: Default::default(),
            replicaset: Default::default(),
            scheduling: crate::controllers::SchedulingCycle::new(config.seed),
            kubelet: crate::controllers::Kubelet::new(config.seed),
            node_ipam: crate::controllers::NodeIpamController::new(
                node_cidrs,
                config.cluster_cidr,
                config.node_cidr_mask_size,
                config.uptime_secs,
            ),
            endpoints: Default::default(),
            mirroring: Default::default(),
            tunnel: Default::default(),
        };
        let mut api = ApiServer::new(config.seed, config.service_cidr);
        api.set_epoch(config.epoch);
        Cluster {
            rng: Streams::new(config.seed),
            api,
            ctl,
            scheduler: Default::default(),
            proxy,
            trace: Trace::default(),
            events: Default::default(),
            coredns: crate::dns::querylog::CoreDns::new(config.seed),
            dns_client: None,
            timers: Timers::default(),
            command: 0,
            proxy_timers: BTreeSet::new(),
            queue: WorkQueue::default(),
            now: SimTime::ZERO,
            config,
        }
    }

    pub fn domain(&self) -> &str {
        &self.config.cluster_domain
    }

    /// The objects, as the API server stores them.
    pub fn store(&self) -> &Store {
        self.api.store()
    }

    /// The API server component.
    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// kube-proxy on every node.
    pub fn proxy(&self) -> &KubeProxy {
        &self.proxy
    }

    /// The timeline.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The Event log (`kubectl get events`).
    pub fn events(&self) -> &crate::events::EventLog {
        &self.events
    }

    /// Simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The settings the cluster was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn new_uid(&mut self) -> Uid {
        self.api.new_uid()
    }

    pub(crate) fn schedule_timer(&mut self, at: SimTime, t: Timer) {
        self.timers.schedule(at, t, self.command);
    }

    /// The cluster split for one reconcile: the controllers, and the [`Ctx`] one of them gets
    /// (disjoint borrows of the API server, the informers, the timeline, the Event log and
    /// the timers).
    fn parts(&mut self) -> (&mut Controllers, Ctx<'_>) {
        let watchers = Watchers {
            queue: &mut self.queue,
            scheduler: &mut self.scheduler,
            proxy: &mut self.proxy,
            coredns: &mut self.coredns,
            now: self.now,
        };
        let ctx = Ctx::new(
            self.now,
            self.command,
            &mut self.api,
            watchers,
            &mut self.trace,
            &mut self.events,
            &mut self.timers,
        );
        (&mut self.ctl, ctx)
    }

    /// The packet path's borrow of the cluster (see [`crate::netpath::Dataplane`]).
    pub(crate) fn dataplane(&mut self) -> Dataplane<'_> {
        Dataplane {
            api: &self.api,
            proxy: &mut self.proxy,
            nodes: self.ctl.kubelet.nodes(),
            rng: &mut self.rng,
            trace: &mut self.trace,
            now: self.now,
            command: self.command,
            tunnel: self.ctl.tunnel.running(),
            coredns: &mut self.coredns,
            dns_client: &mut self.dns_client,
            domain: &self.config.cluster_domain,
        }
    }

    /// A [`Ctx`] for the API verbs' own writes and records.
    fn ctx(&mut self) -> Ctx<'_> {
        self.parts().1
    }

    /// Each node's kubelet and CNI state: Pod address ranges, images, pulls in flight.
    pub(crate) fn nodes(&self) -> &crate::nodes::Nodes {
        self.ctl.kubelet.nodes()
    }

    /// Start `minikube tunnel` (idempotent) and return minikube's status report. Its route
    /// goes through the primary control plane's IP (`minikube ip`).
    pub fn minikube_tunnel(&mut self) -> String {
        let primary = {
            let store = self.api.store();
            let nodes = || {
                store.list(Kind::Node, None).filter_map(|o| match o {
                    Object::Node(n) => Some(n),
                    _ => None,
                })
            };
            nodes().find(|n| n.control_plane).or_else(|| nodes().next()).map(|n| n.internal_ip)
        };
        let (ctl, mut ctx) = self.parts();
        ctl.tunnel.start(&mut ctx, primary.unwrap_or_else(|| node_ip(0)))
    }

    /// The node-ipam controller gives the node `name` its Pod CIDR (and its kubelet the
    /// host-local range over it); `None` when the cluster CIDR is used up. Called before the
    /// Node is stored.
    pub(crate) fn allocate_node_cidr(&mut self, name: &str) -> Option<(Ipv4Addr, u8)> {
        let cidr = self.ctl.node_ipam.allocate()?;
        self.ctl.kubelet.pod_cidr_assigned(name, cidr);
        Some(cidr)
    }

    /// An imported node keeps its Pod CIDR: node-ipam marks it given and the node's kubelet
    /// gets the host-local range over it. Whether node-ipam could (it is one of the cluster
    /// CIDR's subnets, not given twice).
    pub(crate) fn adopt_node_cidr(&mut self, name: &str, cidr: (Ipv4Addr, u8)) -> bool {
        let ok = self.ctl.node_ipam.reserve(cidr);
        self.ctl.kubelet.pod_cidr_assigned(name, cidr);
        ok
    }

    /// An imported Pod keeps its address on `node` (see `Kubelet::reserve_pod_ip`).
    pub(crate) fn adopt_pod_ip(&mut self, node: &str, ip: Ipv4Addr, owner: &str) -> bool {
        self.ctl.kubelet.reserve_pod_ip(node, ip, owner)
    }

    /// The stored Node `name` got no Pod CIDR: node-ipam records it, and keeps retrying.
    pub(crate) fn node_cidr_not_available(&mut self, name: &str) {
        let (ctl, mut ctx) = self.parts();
        ctl.node_ipam.cidr_not_available(&mut ctx, name);
    }

    /// The kubelet sets up the sandbox of a Pod about to be stored bound to its node (the
    /// static and DaemonSet Pods of the bootstrap).
    pub(crate) fn start_pod_sandbox(&mut self, pod: &mut Pod) {
        let (ctl, mut ctx) = self.parts();
        ctl.kubelet.start_pod_sandbox(&mut ctx, pod);
    }

    /// The container's main process exited with `code`: the kubelet restarts it or finishes
    /// the Pod, as its restartPolicy says.
    pub(crate) fn main_process_exited(&mut self, ns: &str, name: &str, code: i32) {
        let (ctl, mut ctx) = self.parts();
        ctl.kubelet.main_process_exited(&mut ctx, ns, name, code);
    }

    /// Record what happened, at the current time, caused by the current command.
    pub(crate) fn record(&mut self, what: crate::trace::What, route: crate::trace::Route) {
        let now = self.now;
        let version = self.api.store().version();
        self.trace.push(now, self.command, what, route, version);
    }

    /// Store an object (new or changed) and enqueue everything that depends on it. The object
    /// is moved, never copied: the watch event is read back from the store.
    pub(crate) fn write(&mut self, obj: Object) {
        self.ctx().write(obj);
    }

    /// Remove an object and enqueue its dependants. Whether it was there.
    pub(crate) fn erase(&mut self, key: &ObjKey) -> bool {
        self.ctx().erase(key)
    }

    /// Run controllers until there is no more work.
    pub fn settle(&mut self) {
        // A bound keeps a controller bug from freezing the page; it is never reached in practice.
        let mut budget = 100_000usize;
        while let Some(w) = self.queue.pop() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            if let Work::Proxy(ns, n) = &w {
                self.sync_proxy(ns, n);
                continue;
            }
            let (ctl, mut ctx) = self.parts();
            match w {
                Work::Deployment(ns, n) => ctl.deployment.reconcile(&mut ctx, &ns, &n),
                Work::ReplicaSet(ns, n) => ctl.replicaset.reconcile(&mut ctx, &ns, &n),
                Work::Schedule(ns, n) => ctl.scheduling.schedule_pod(&mut ctx, &mut ctl.kubelet, &ns, &n),
                Work::Endpoints(ns, n) => ctl.endpoints.reconcile(&mut ctx, &ns, &n),
                Work::Mirror(ns, n) => ctl.mirroring.reconcile(&mut ctx, &ns, &n),
                Work::Proxy(..) => {}
            }
        }
    }

    /// Move simulated time forward to `to`, firing timers in order.
    pub fn advance_to(&mut self, to: SimTime) {
        self.settle();
        let running = self.command;
        while let Some((at, timer, command)) = self.timers.pop_due(to) {
            if at > self.now {
                self.now = at;
            }
            // What a timer sets off is the doing of the command that set it.
            self.command = command;
            self.fire(timer);
            self.settle();
        }
        self.command = running;
        if to > self.now {
            self.now = to;
        }
    }

    pub fn advance_ms(&mut self, ms: u64) {
        let to = self.now.plus_ms(ms);
        self.advance_to(to);
    }

    /// The earliest pending timer, if any (the page uses it to know when something will change).
    pub fn next_timer(&self) -> Option<SimTime> {
        self.timers.next_at()
    }

    // -----------------------------------------------------------------------------------------
    // The API server's verbs.

    /// `kubectl apply` of one decoded object. `default_ns` is `-n` or the context's namespace.
    pub fn apply(&mut self, mut obj: Object, default_ns: &str, ns_flag_given: bool) -> Result<ApplyAction, ApiError> {
        crate::api::defaults::set_defaults(&mut obj);
        let kind = obj.kind();
        if kind.namespaced() {
            let m = obj.meta_mut();
            if m.namespace.is_empty() {
                m.namespace = default_ns.into();
            } else if ns_flag_given && m.namespace != default_ns {
                return Err(ApiError::NamespaceMismatch {
                    object: m.namespace.to_string(),
                    flag: default_ns.to_string(),
                });
            }
        } else {
            obj.meta_mut().namespace.clear();
        }
        let key = obj.key();
        let name = key.name.to_string();
        let ns = key.namespace.to_string();
        let api = Route::new(Element::Workstation, Element::ApiServer);
        self.record(What::Submitted { key: key.clone() }, api.clone());
        // Step 2: authn/authz/admission (validation included).
        if let Err(e) = self.admit(&obj, kind, name, ns) {
            self.record(
                What::Rejected {
                    key: key.clone(),
                    reason: e.to_string(),
                },
                Route::new(Element::ApiServer, Element::Workstation),
            );
            return Err(e);
        }
        self.record(
            What::Admitted { key: key.clone() },
            Route::new(Element::ApiServer, Element::ApiServer),
        );
        let existing = self.api.store().get(&key).cloned();
        match existing {
            None => {
                self.create(obj.clone())?;
                self.api.record_applied(key, obj);
                Ok(ApplyAction::Created)
            }
            Some(current) => {
                if self.api.applied(&key) == Some(&obj) {
                    return Ok(ApplyAction::Unchanged);
                }
                self.update(current, obj.clone())?;
                self.api.record_applied(key, obj);
                Ok(ApplyAction::Configured)
            }
        }
    }

    /// `POST …?dryRun=All` (`kubectl create|run|expose|apply --dry-run=server`): the object
    /// is admitted, validated and given its server-side fields (uid, creationTimestamp,
    /// generation, ClusterIP and NodePorts from the dry-run allocators) as a create would, and
    /// returned; nothing is stored, allocated, traced or dispatched, and no random stream moves
    /// (the uid is derived from the object's key and the time).
    pub fn dry_run_create(&self, mut obj: Object, default_ns: &str) -> Result<Object, ApiError> {
        crate::api::defaults::set_defaults(&mut obj);
        let kind = obj.kind();
        if kind.namespaced() {
            if obj.meta().namespace.is_empty() {
                obj.meta_mut().namespace = default_ns.into();
            }
        } else {
            obj.meta_mut().namespace.clear();
        }
        let key = obj.key();
        self.admit(&obj, kind, key.name.to_string(), key.namespace.to_string())?;
        if self.api.store().contains(&key) {
            return Err(ApiError::AlreadyExists {
                resource: plural(kind).into(),
                name: key.name.to_string(),
            });
        }
        {
            let h = crate::rng::fnv32a(format!("{}/{}/{}/{}", kind.name(), key.namespace, key.name, self.now.0).as_bytes());
            let g = crate::rng::fnv32a(&h.to_le_bytes());
            let m = obj.meta_mut();
            m.uid = format!(
                "{h:08x}-{:04x}-4{:03x}-{:04x}-{g:08x}{:04x}",
                g >> 16,
                h & 0xfff,
                (g & 0x3fff) | 0x8000,
                h >> 16
            )
            .into();
            m.creation = self.now;
            m.generation = 1;
        }
        if let Object::Service(svc) = &mut obj {
            self.api.dry_run_allocate_service(svc, None)?;
        }
        Ok(obj)
    }

    /// Validation and the namespace checks of admission: what the API server refuses.
    fn admit(&self, obj: &Object, kind: Kind, name: String, ns: String) -> Result<(), ApiError> {
        // The Service registry allocates in BeginCreate/BeginUpdate, before the strategy
        // validates (genericregistry `Store.Create`), so a taken or out-of-range ClusterIP or
        // NodePort is the answer even for a Service that is invalid otherwise. Only requested
        // addresses and ports can be refused (short of a full range), so only those are asked
        // about here: the dry run copies the allocators.
        let requests = |s: &Service| matches!(s.spec.cluster_ip, ClusterIp::Ip(_)) || s.spec.ports.iter().any(|p| p.node_port.is_some());
        if let Some(svc) = match obj {
            Object::Service(s) if requests(s) => Some(s),
            _ => None,
        } {
            let current = match self.api.store().get(&ObjKey::new(kind, &ns, &name)) {
                Some(Object::Service(c)) => Some(c),
                _ => None,
            };
            self.api.dry_run_allocate_service(&mut svc.clone(), current)?;
        }
        let errors = validation::validate(obj);
        if !errors.is_empty() {
            return Err(ApiError::Invalid { kind, name, errors });
        }
        if kind.namespaced() && !self.api.store().namespace_exists(&ns) {
            return Err(ApiError::NotFound {
                resource: "namespaces".into(),
                name: ns,
            });
        }
        if let Some(ns_obj) = self.api.store().get(&ObjKey::new(Kind::Namespace, "", &ns)) {
            if ns_obj.meta().deletion.is_some() {
                return Err(ApiError::Forbidden(format!(
                    "{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                    plural(kind)
                )));
            }
        }
        Ok(())
    }

    /// Create an object that passed admission: fill in server-side fields, allocate, store.
    pub(crate) fn create(&mut self, mut obj: Object) -> Result<(), ApiError> {
        let uid = if obj.meta().uid.is_empty() {
            self.new_uid()
        } else {
            obj.meta().uid.clone()
        };
        {
            let now = self.now;
            let m = obj.meta_mut();
            m.uid = uid;
            m.creation = now;
            m.generation = 1;
        }
        if let Object::Service(svc) = &mut obj {
            self.allocate_service(svc, None)?;
        }
        let key = obj.key();
        self.write(obj);
        if key.kind == Kind::Service {
            self.emit_dns_registration(&key);
        }
        Ok(())
    }

    fn update(&mut self, current: Object, desired: Object) -> Result<(), ApiError> {
        let key = current.key();
        let mut merged = match (current, desired) {
            (Object::Service(cur), Object::Service(mut new)) => {
                new.meta = merge_meta(&cur.meta, new.meta);
                if let ClusterIp::Ip(ip) = new.spec.cluster_ip {
                    if cur.spec.cluster_ip != ClusterIp::Ip(ip) {
                        return Err(ApiError::Invalid {
                            kind: Kind::Service,
                            name: key.name.to_string(),
                            errors: vec![FieldError {
                                field: "spec.clusterIPs[0]".into(),
                                kind: FieldErrorKind::Invalid {
                                    // `validateUpgradeDowngradeClusterIPs` reports the whole `clusterIPs`.
                                    value: format!("[]string{{\"{ip}\"}}"),
                                    detail: "may not change once set".into(),
                                },
                            }],
                        });
                    }
                }
                new.load_balancer_ips = cur.load_balancer_ips.clone();
                self.allocate_service(&mut new, Some(&cur))?;
                Object::Service(new)
            }
            (Object::Deployment(cur), Object::Deployment(mut new)) => {
                new.meta = merge_meta(&cur.meta, new.meta);
                if new.template != cur.template || new.replicas != cur.replicas {
                    new.meta.generation = cur.meta.generation + 1;
                }
                new.status = cur.status.clone();
                new.collision_count = cur.collision_count;
                Object::Deployment(new)
            }
            (Object::ReplicaSet(cur), Object::ReplicaSet(mut new)) => {
                new.meta = merge_meta(&cur.meta, new.meta);
                new.status = cur.status.clone();
                Object::ReplicaSet(new)
            }
            (Object::Pod(cur), Object::Pod(new)) => {
                let mut spec = (*new.spec).clone();
                spec.node_name = cur.spec.node_name.clone();
                // Container images are the one field a learner's manifest may change in place.
                let mut same_but_images = spec.clone();
                if same_but_images.containers.len() == cur.spec.containers.len() {
                    for (c, old) in std::sync::Arc::make_mut(&mut same_but_images.containers)
                        .iter_mut()
                        .zip(cur.spec.containers.iter())
                    {
                        c.image = old.image.clone();
                    }
                }
                if same_but_images != *cur.spec {
                    return Err(ApiError::Invalid {
                        kind: Kind::Pod,
                        name: key.name.to_string(),
                        errors: vec![FieldError {
                            field: "spec".into(),
                            kind: FieldErrorKind::Forbidden("pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".into()),
                        }],
                    });
                }
                let mut p = cur.clone();
                p.meta = merge_meta(&cur.meta, new.meta);
                if spec != *cur.spec {
                    p.spec = spec.into();
                    let (ctl, mut ctx) = self.parts();
                    ctl.kubelet.restart_changed_containers(&mut ctx, &cur, &mut p);
                }
                Object::Pod(p)
            }
            (cur, mut new) => {
                let m = merge_meta(cur.meta(), new.meta().clone());
                *new.meta_mut() = m;
                new
            }
        };
        merged.meta_mut().resource_version = 0;
        self.write(merged);
        if key.kind == Kind::Service {
            self.emit_dns_registration(&key);
        }
        Ok(())
    }

    /// Registration step 3: ClusterIP (unless headless or ExternalName) and NodePorts, by
    /// the API server's allocators.
    fn allocate_service(&mut self, svc: &mut Service, current: Option<&Service>) -> Result<(), ApiError> {
        let got = self.api.allocate_service(svc, current)?;
        if let Some(ip) = got.cluster_ip {
            let key = ObjKey::new(Kind::Service, &svc.meta.namespace, &svc.meta.name);
            let to = Element::service(&key.namespace, &key.name);
            let service_cidr = self.api.service_cidr().into();
            self.record(
                What::ClusterIpAllocated {
                    service: key,
                    ip,
                    service_cidr,
                },
                Route::new(Element::ApiServer, to),
            );
        }
        Ok(())
    }

    /// Registration step 6, as CoreDNS's informer sees the Service.
    fn emit_dns_registration(&mut self, key: &ObjKey) {
        let Some(svc) = self.api.store().service(&key.namespace, &key.name).cloned() else {
            return;
        };
        let fqdn = format!("{}.{}.svc.{}.", svc.meta.name, svc.meta.namespace, self.domain());
        let record = match (&svc.spec.cluster_ip, svc.spec.type_) {
            (_, ServiceType::ExternalName) => ServiceRecord::Cname {
                target: svc.spec.external_name.clone().unwrap_or_default(),
            },
            (ClusterIp::Ip(ip), _) => ServiceRecord::A { ip: *ip },
            _ => ServiceRecord::Headless,
        };
        let srv: Vec<String> = svc
            .spec
            .ports
            .iter()
            .filter_map(|p| {
                p.name
                    .as_ref()
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("_{n}._{}.{fqdn}", p.protocol.as_str().to_lowercase()))
            })
            .collect();
        self.record(
            What::DnsRecords {
                service: key.clone(),
                fqdn,
                record,
                srv,
            },
            Route::new(Element::KubeDns, Element::service(&key.namespace, &key.name)),
        );
    }

    /// `kubectl delete`: Pods get a grace period, everything else goes at once (with cascading
    /// deletion of owned objects, as the garbage collector does).
    pub fn delete(&mut self, key: &ObjKey) -> Result<(), ApiError> {
        self.delete_with_grace(key, None)
    }

    /// [`Cluster::delete`] with a request's grace period (`DeleteOptions.gracePeriodSeconds`):
    /// a Pod terminates within it instead of its own `terminationGracePeriodSeconds` (0: it
    /// goes at once). Other kinds have no grace period.
    pub fn delete_with_grace(&mut self, key: &ObjKey, grace_secs: Option<u64>) -> Result<(), ApiError> {
        let Some(obj) = self.api.store().get(key).cloned() else {
            return Err(ApiError::NotFound {
                resource: plural(key.kind).into(),
                name: key.name.to_string(),
            });
        };
        match obj {
            Object::Pod(p) => {
                match grace_secs {
                    Some(g) => crate::controllers::terminate_pod_within(&mut self.ctx(), p, g),
                    None => crate::controllers::terminate_pod(&mut self.ctx(), p),
                }
                Ok(())
            }
            Object::Service(s) => {
                self.api.release_service(&s);
                self.erase(key);
                let ek = ObjKey::new(Kind::Endpoints, &key.namespace, &key.name);
                self.erase(&ek);
                self.delete_owned(Kind::EndpointSlice, &key.namespace, &s.meta.uid);
                Ok(())
            }
            Object::Namespace(ns) => {
                let name = ns.meta.name.clone();
                if matches!(name.as_str(), "default" | "kube-system" | "kube-public" | "kube-node-lease") {
                    return Err(ApiError::Forbidden(format!(
                        "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
                    )));
                }
                let keys: Vec<ObjKey> = self
                    .api
                    .store()
                    .iter()
                    .filter(|o| o.kind().namespaced() && o.meta().namespace == name)
                    .map(Object::key)
                    .collect();
                for k in keys {
                    if k.kind == Kind::Pod {
                        if let Some(Object::Pod(p)) = self.api.store().get(&k).cloned() {
                            self.ctl.kubelet.release_pod(&p);
                        }
                    }
                    if k.kind == Kind::Service {
                        if let Some(Object::Service(s)) = self.api.store().get(&k).cloned() {
                            self.api.release_service(&s);
                        }
                    }
                    self.erase(&k);
                }
                self.erase(key);
                Ok(())
            }
            other => {
                let uid = other.meta().uid.clone();
                self.erase(key);
                match other.kind() {
                    Kind::Deployment => self.delete_owned(Kind::ReplicaSet, &key.namespace, &uid),
                    Kind::ReplicaSet | Kind::DaemonSet => self.delete_owned(Kind::Pod, &key.namespace, &uid),
                    _ => {}
                }
                Ok(())
            }
        }
    }

    /// The garbage collector: delete what `owner_uid` owns of `kind` (from the owner index).
    pub(crate) fn delete_owned(&mut self, kind: Kind, ns: &str, owner_uid: &Uid) {
        let keys: Vec<ObjKey> = self
            .api
            .store()
            .owned_by(owner_uid)
            .filter(|o| o.kind() == kind && o.meta().namespace == ns)
            .map(Object::key)
            .collect();
        for k in keys {
            let _ = self.delete(&k);
        }
    }

    fn fire(&mut self, timer: Timer) {
        let (ctl, mut ctx) = self.parts();
        match timer {
            Timer::ContainerStarted { ns, name, uid } => ctl.kubelet.container_started(&mut ctx, &ns, &name, &uid),
            Timer::PodReady { ns, name, uid } => ctl.kubelet.pod_ready(&mut ctx, &ns, &name, &uid),
            Timer::PodGone { ns, name, uid } => ctl.kubelet.pod_gone(&mut ctx, &ns, &name, &uid),
            Timer::SandboxRetry { ns, name, uid } => ctl.kubelet.retry_sandbox(&mut ctx, &ns, &name, &uid),
            Timer::NodeCidrRetry { node } => ctl.node_ipam.retry(&mut ctx, &node),
            Timer::ProxySync { node } => {
                self.proxy_timers.remove(&(self.now, node.clone(), false));
                let now = self.now.0;
                let cleaned = self.proxy.periodic_sync(&node, now);
                self.emit_cleaned(&cleaned, SyncKind::Periodic);
            }
            Timer::GracefulCheck { node } => {
                self.proxy_timers.remove(&(self.now, node.clone(), true));
                let now = self.now.0;
                let (gone, more) = self.proxy.graceful_check(&node, now);
                for (vs, a, p) in gone {
                    self.record(
                        What::RealServerDeleted {
                            node: CompactString::new(&node),
                            virtual_server: vs,
                            real_server: Addr(a, p),
                        },
                        Route::new(Element::Controller(Controller::KubeProxy), Element::node(&node)),
                    );
                }
                if more {
                    self.schedule_graceful_check(&node);
                }
            }
        }
    }
}

impl Cluster {
    /// Registration step 5: kube-proxy's informers saw the Service or one of its slices
    /// change; every node's rules follow (one shared model, see [`crate::proxy`]).
    pub(crate) fn sync_proxy(&mut self, ns: &str, name: &str) {
        let (ctl, mut ctx) = self.parts();
        ctl.tunnel.patch(&mut ctx, ns, name);
        let now = self.now.0;
        let input = ServiceInput {
            service: self.api.store().service(ns, name),
            slices: self.api.store().slices_of(ns, name).collect(),
        };
        let existed = self.proxy.service_ports(ns, name).next().is_some();
        let exists = input.service.is_some();
        let report = self.proxy.sync_service(ns, name, input, now);
        let nodes = self.proxy.node_count();
        let key = ObjKey::new(Kind::Service, ns, name);
        let mode = self.proxy.default_mode();
        let svc_el = Element::service(ns, name);
        let proxy_el = Element::Controller(Controller::KubeProxy);
        if exists || existed {
            let change = match (exists, mode) {
                (true, ProxyMode::Ipvs) if report.virtual_servers.is_empty() => RulesChange::NoClusterIp,
                (true, ProxyMode::Ipvs) => RulesChange::Ipvs {
                    virtual_servers: report.virtual_servers.clone(),
                },
                (true, _) => RulesChange::Rewritten,
                (false, _) => RulesChange::Removed,
            };
            let differing = self
                .proxy
                .nodes_in_other_modes()
                .map(|(n, m)| (n.to_string(), m.to_string()))
                .collect();
            self.record(
                What::RulesProgrammed {
                    service: key.clone(),
                    mode,
                    nodes,
                    change,
                    differing,
                },
                Route::new(proxy_el.clone(), svc_el.clone()),
            );
        }
        let mut drain_nodes: BTreeSet<String> = BTreeSet::new();
        for (node, vs, a, p) in &report.draining {
            self.record(
                What::RealServerDraining {
                    service: key.clone(),
                    node: CompactString::new(node),
                    virtual_server: *vs,
                    real_server: Addr(*a, *p),
                },
                Route::new(Element::node(node), svc_el.clone()),
            );
            drain_nodes.insert(node.clone());
        }
        for n in drain_nodes {
            self.schedule_graceful_check(&n);
        }
        self.emit_cleaned(&report.cleaned, SyncKind::AfterChange);
    }

    /// The trace of hand-made IPVS state that a kube-proxy sync removed or restored.
    fn emit_cleaned(&mut self, cleaned: &[(String, Cleaned)], sync: SyncKind) {
        for (node, c) in cleaned {
            let cleanup = match c {
                Cleaned::VirtualServer(k) => Cleanup::DeletedVirtualServer { virtual_server: *k },
                Cleaned::Excluded(k) => Cleanup::KeptExcluded { virtual_server: *k },
                Cleaned::Address(a) => Cleanup::UnboundAddress { address: *a },
                Cleaned::Restored => Cleanup::Restored,
            };
            self.record(
                What::ProxyCleanup {
                    node: CompactString::new(node),
                    cleanup,
                    sync,
                },
                Route::new(Element::Controller(Controller::KubeProxy), Element::node(node)),
            );
        }
    }

    /// After a hand edit of a node's IPVS state: kube-proxy's next periodic sync will revert it.
    pub(crate) fn schedule_proxy_sync(&mut self, node: &str) {
        let at = SimTime(self.proxy.next_periodic_sync(self.now.0));
        if self.proxy_timers.insert((at, node.to_string(), false)) {
            self.schedule_timer(at, Timer::ProxySync { node: node.to_string() });
        }
    }

    fn schedule_graceful_check(&mut self, node: &str) {
        let period = crate::proxy::GRACEFUL_CHECK_MS;
        let at = SimTime((self.now.0 / period + 1) * period);
        if self.proxy_timers.insert((at, node.to_string(), true)) {
            self.schedule_timer(at, Timer::GracefulCheck { node: node.to_string() });
        }
    }

    /// Restart kube-proxy on `node` with another mode or scheduler: a full sync of every
    /// Service port on that node.
    pub fn restart_kube_proxy(&mut self, node: &str, mode: ProxyMode, sched: crate::proxy::ipvs::Sched) {
        self.proxy.restart_node(node, mode, sched);
        let ports = self.proxy.port_count();
        self.record(
            What::ProxyRestarted {
                node: CompactString::new(node),
                mode,
                scheduler: sched,
                ports,
            },
            Route::new(Element::Controller(Controller::KubeProxy), Element::node(node)),
        );
    }

    /// kube-proxy as it would have programmed every node from `store` (a past moment's
    /// objects, [`Store::state_at`]): the shared model synced from each Service that `synced`
    /// says kube-proxy had seen by then, with its EndpointSlices, every node in the mode it
    /// runs now. Hand-made IPVS state, connection counts and draining real servers are not
    /// replayed. Costs one sync per Service: for the page's details of a past event, not for
    /// every frame.
    pub fn proxy_as_of(&self, store: &Store, at: SimTime, synced: impl Fn(&str, &str) -> bool) -> KubeProxy {
        let mut p = KubeProxy::new(
            self.config.seed,
            self.proxy.default_mode(),
            self.proxy.default_sched(),
            self.config.ipvs_exclude_cidrs.clone(),
        );
        for n in store.nodes() {
            p.add_node(&n.meta.name, n.internal_ip);
            let (mode, sched) = (self.proxy.mode(&n.meta.name), self.proxy.scheduler(&n.meta.name));
            if (mode, sched) != (p.default_mode(), p.default_sched()) {
                p.restart_node(&n.meta.name, mode, sched);
            }
        }
        for svc in store.services(None).filter(|s| synced(&s.meta.namespace, &s.meta.name)) {
            let (ns, name) = (&svc.meta.namespace, &svc.meta.name);
            let input = ServiceInput {
                service: Some(svc),
                slices: store.slices_of(ns, name).collect(),
            };
            p.sync_service(ns, name, input, at.0);
        }
        p
    }

    /// Restart kube-proxy on every node in another mode (as editing its ConfigMap and
    /// restarting the DaemonSet would).
    pub fn set_proxy_mode(&mut self, mode: ProxyMode) {
        let sched = self.proxy.default_sched();
        self.proxy.restart_all(mode, sched);
    }
}

/// The dataplane's entry points: each borrows the cluster as a `Dataplane`.
impl Cluster {
    /// Open a TCP connection from `from` to `dst:port`, tracing every hop (one flow).
    pub fn connect(&mut self, from: &Origin, dst: Ipv4Addr, port: u16) -> Result<Connection, ConnError> {
        self.dataplane().connect(from, dst, port)
    }

    /// An ICMP echo request from a Pod or node to `dst` (see `Dataplane::icmp_echo`).
    pub fn icmp_echo(&mut self, from: &Origin, dst: Ipv4Addr) -> Echo {
        self.dataplane().icmp_echo(from, dst)
    }

    /// Send one query to `server` (see `Dataplane::dns_query`).
    pub fn dns_query(&mut self, server: Ipv4Addr, qname: &str, qtype: RType) -> Result<(Response, Option<String>), DnsFailure> {
        self.dataplane().dns_query(server, qname, qtype)
    }

    /// Send one query to `server` and trace it (see `Dataplane::dns_query_traced`).
    pub fn dns_query_traced(&mut self, server: Ipv4Addr, qname: &str, qtype: RType) -> Result<Response, DnsFailure> {
        self.dataplane().dns_query_traced(server, qname, qtype)
    }

    /// Resolve `name` as the Pod's stub resolver does (see `Dataplane::resolve_in_pod`).
    pub fn resolve_in_pod(&mut self, pod: &Pod, name: &str, musl: bool) -> Result<Resolution, DnsFailure> {
        self.dataplane().resolve_in_pod(pod, name, musl)
    }
}

fn merge_meta(cur: &ObjectMeta, new: ObjectMeta) -> ObjectMeta {
    ObjectMeta {
        uid: cur.uid.clone(),
        creation: cur.creation,
        generation: cur.generation,
        resource_version: cur.resource_version,
        owner: cur.owner.clone(),
        deletion: cur.deletion,
        ..new
    }
}
