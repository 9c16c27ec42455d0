//! The watch events' fan-out: each store write's (old, new) pair goes to the informers that
//! care — the controllers' work queue (through the Service selector index, only the Services a
//! Pod change can concern), kube-scheduler's cache, kube-proxy's node list, CoreDNS's Corefile
//! history. Owns the [`WorkQueue`]; the other informers are components borrowed for the
//! dispatch ([`Watchers`]). Nothing here runs a controller: [`crate::cluster::Cluster::settle`]
//! pops the work and calls them.

use std::collections::{BTreeSet, VecDeque};

use crate::api::{LabelIndex, Store};
use crate::dns::querylog::CoreDns;
use crate::model::*;
use crate::proxy::KubeProxy;
use crate::scheduler::Scheduler;
use crate::time::SimTime;

/// Work for the controllers, keyed so duplicates collapse: (namespace, name), shared strings,
/// so queueing a key (and its copy in the pending set) copies no text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Work {
    Deployment(Name, Name),
    ReplicaSet(Name, Name),
    Schedule(Name, Name),
    Endpoints(Name, Name),
    /// The EndpointSlice mirroring controller, for one Service.
    Mirror(Name, Name),
    Proxy(Name, Name),
}

/// A namespace or object name in a [`Work`] item (inline up to 24 bytes: queueing allocates
/// nothing for nearly every name).
pub(crate) type Name = CompactString;

/// The controllers' work queue: first in, first out, each item at most once (a duplicate
/// collapses into the pending one), and the selector index the Pod events are routed by.
#[derive(Clone, Debug, Default)]
pub(crate) struct WorkQueue {
    queue: VecDeque<Work>,
    queued: BTreeSet<Work>,
    /// namespace → label key → value → Services whose selector includes that pair (each Service
    /// is filed under its selector's first pair): which Services a Pod change can concern.
    /// Nested so that a Pod's labels are looked up by reference, building no key.
    selector_index: LabelIndex,
}

impl WorkQueue {
    /// Enqueue `w` unless it is pending already.
    pub(crate) fn push(&mut self, w: Work) {
        // A duplicate (the common case: every Pod write re-queues its ReplicaSet) costs no copy.
        if !self.queued.contains(&w) {
            self.queued.insert(w.clone());
            self.queue.push_back(w);
        }
    }

    /// The oldest pending work, no longer pending.
    pub(crate) fn pop(&mut self) -> Option<Work> {
        let w = self.queue.pop_front()?;
        self.queued.remove(&w);
        Some(w)
    }
}

/// The informers a watch event goes to: each a different field of the cluster, borrowed
/// beside the store that holds the event's two versions.
pub(crate) struct Watchers<'a> {
    pub(crate) queue: &'a mut WorkQueue,
    pub(crate) scheduler: &'a mut Scheduler,
    pub(crate) proxy: &'a mut KubeProxy,
    pub(crate) coredns: &'a mut CoreDns,
    pub(crate) now: SimTime,
}

impl Watchers<'_> {
    fn enqueue(&mut self, w: Work) {
        self.queue.push(w);
    }

    /// The latest change in `store` (the watch event of the write just made), to every
    /// informer; a Pod leaving a node gives the Pods waiting for room a new scheduling cycle,
    /// in the order they failed.
    pub(crate) fn dispatch_last_change(&mut self, store: &Store) {
        let Some((old, new)) = store.last_change() else { return };
        if self.dispatch(store, old, new) {
            for (ns, name) in self.scheduler.waiting() {
                self.queue.push(Work::Schedule(ns.as_str().into(), name.as_str().into()));
            }
        }
    }

    /// Enqueue what depends on the change from `old` to `new`. Returns whether the scheduler
    /// has room again for the Pods waiting for it.
    fn dispatch(&mut self, store: &Store, old: Option<&Object>, new: Option<&Object>) -> bool {
        let Some(any) = new.or(old) else { return false };
        let ns: Name = any.meta().namespace.as_str().into();
        let name: Name = any.meta().name.as_str().into();
        let mut retry = false;
        match any {
            Object::Deployment(_) => self.enqueue(Work::Deployment(ns, name)),
            Object::ReplicaSet(rs) => {
                self.enqueue(Work::ReplicaSet(ns.clone(), name));
                if let Some(o) = &rs.meta.owner {
                    self.enqueue(Work::Deployment(ns, o.name.as_str().into()));
                }
            }
            Object::Node(n) => {
                self.scheduler.node_changed(as_node(old), as_node(new));
                if new.is_some() {
                    self.proxy.add_node(&n.meta.name, n.internal_ip);
                }
            }
            Object::Pod(_) => {
                // kube-scheduler's cache: binds, Terminating, finished and deleted Pods.
                retry = self.scheduler.pod_changed(as_pod(old), as_pod(new));
                // The owning ReplicaSet, unless the change is one its sync does not read: it
                // counts its Pods that are not terminating and the ready ones, so a Pod's bind,
                // IP, or a failed scheduling attempt is no work for it (otherwise every write of
                // a ReplicaSet's thousands of Pending Pods re-counts all of them).
                let rs_reads = |a: &Pod, b: &Pod| {
                    a.meta.owner != b.meta.owner || a.meta.deletion != b.meta.deletion || a.status.ready != b.status.ready
                };
                if as_pod(old).zip(as_pod(new)).is_none_or(|(a, b)| rs_reads(a, b)) {
                    for p in [old, new].into_iter().filter_map(as_pod) {
                        if let Some(o) = p.meta.owner.as_ref().filter(|o| o.kind == Kind::ReplicaSet) {
                            self.enqueue(Work::ReplicaSet(ns.clone(), o.name.as_str().into()));
                        }
                    }
                }
                if let Some(p) = as_pod(new) {
                    let unbound = p.spec.node_name.is_none();
                    // A Pod written with its node already set still needs its kubelet to start it.
                    let bound_new = old.is_none() && !unbound && p.status.waiting_reason.is_none() && p.status.pod_ip.is_none();
                    if (unbound || bound_new) && !p.is_terminating() {
                        self.enqueue(Work::Schedule(ns.clone(), name.clone()));
                    }
                }
                // Only Services whose selector matches the old or the new labels, found through
                // the selector index (a Service is filed under one of its selector's pairs, so
                // only Services sharing a label with the Pod are even looked at).
                let (op, np) = (as_pod(old), as_pod(new));
                let labels_same = op.zip(np).is_some_and(|(a, b)| a.meta.labels == b.meta.labels);
                // As the endpoints and EndpointSlice controllers' `updatePod`: an update that
                // changes nothing an endpoint shows (labels, IP, node, readiness, deletion,
                // phase, hostname) concerns no Service (`podutil.PodChanged`).
                if labels_same && !op.zip(np).is_some_and(|(a, b)| endpoint_changed(a, b)) {
                    return retry;
                }
                let mut candidates: BTreeSet<&CompactString> = BTreeSet::new();
                for p in [op, np].into_iter().flatten().take(if labels_same { 1 } else { 2 }) {
                    for (k, v) in p.meta.labels.iter() {
                        if let Some(names) = self.queue.selector_index.get(&ns, k, v) {
                            candidates.extend(names.iter());
                        }
                    }
                }
                let mut hits = Vec::new();
                for s in candidates {
                    if let Some(sel) = store.service(&ns, s).and_then(|svc| svc.spec.selector.as_ref()) {
                        let matches = |p: Option<&Pod>| p.is_some_and(|p| selector_matches(sel, &p.meta.labels));
                        if matches(op) || matches(np) {
                            hits.push(s.clone());
                        }
                    }
                }
                for s in hits {
                    self.enqueue(Work::Endpoints(ns.clone(), s.as_str().into()));
                }
            }
            Object::Service(_) => {
                for (obj, add) in [(old, false), (new, true)] {
                    let Some(Object::Service(s)) = obj else { continue };
                    let Some((k, v)) = s.spec.selector.as_ref().and_then(|sel| sel.iter().next()) else {
                        continue;
                    };
                    self.queue.selector_index.edit(&ns, k, v, CompactString::new(&name), add);
                }
                self.enqueue(Work::Endpoints(ns.clone(), name.clone()));
                self.enqueue(Work::Mirror(ns.clone(), name.clone()));
                self.enqueue(Work::Proxy(ns, name));
            }
            Object::Endpoints(_) => self.enqueue(Work::Mirror(ns, name)),
            Object::EndpointSlice(_) => {
                // kube-proxy's and CoreDNS's informers group slices by their Service label.
                for obj in [old, new].into_iter().flatten() {
                    if let Object::EndpointSlice(s) = obj {
                        if let Some(svc) = s.service_name() {
                            self.enqueue(Work::Proxy(ns.clone(), svc.into()));
                        }
                    }
                }
                if let Some(Object::EndpointSlice(s)) = old.or(new) {
                    if s.meta.labels.get(MANAGED_BY_LABEL) == Some(MIRRORING_CONTROLLER) {
                        if let Some(svc) = s.service_name() {
                            self.enqueue(Work::Mirror(ns.clone(), svc.into()));
                        }
                    }
                }
            }
            Object::ConfigMap(cm) if &*ns == "kube-system" && &*name == "coredns" => {
                if let (Some(Object::ConfigMap(_)), Some(text)) = (new, cm.data.get("Corefile")) {
                    self.coredns.corefile_changed(self.now, text);
                }
            }
            _ => {}
        }
        retry
    }
}

/// Whether an update of a Pod changes what its endpoint would be (the controllers'
/// `podEndpointsChanged`: deletion, IP, node, readiness, hostname and subdomain; and the phase,
/// since a finished Pod leaves its Services).
fn endpoint_changed(a: &Pod, b: &Pod) -> bool {
    a.meta.deletion != b.meta.deletion
        || a.status.pod_ip != b.status.pod_ip
        || a.spec.node_name != b.spec.node_name
        || a.status.ready != b.status.ready
        || a.status.phase != b.status.phase
        || a.spec.hostname != b.spec.hostname
        || a.spec.subdomain != b.spec.subdomain
}

fn as_pod(o: Option<&Object>) -> Option<&Pod> {
    match o {
        Some(Object::Pod(p)) => Some(p),
        _ => None,
    }
}

fn as_node(o: Option<&Object>) -> Option<&Node> {
    match o {
        Some(Object::Node(n)) => Some(n),
        _ => None,
    }
}
