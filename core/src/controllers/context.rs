//! What a controller gets for one reconcile: [`Ctx`], a bundle of disjoint borrows of the
//! cluster's parts — the API server (reads, and writes that dispatch their watch event to the
//! informers), the clock, the timeline, the Event log and the timer queue — and nothing else.
//! Also owns the [`Timer`] kinds and the [`Timers`] queue they wait in.
//!
//! A controller never sees the cluster: `Cluster::settle` and `Cluster::advance_to` split the
//! cluster into its controllers and a `Ctx` and call one controller with it.

use std::collections::BinaryHeap;

use crate::api::{ApiServer, Store};
use crate::events::{EventLog, NewEvent};
use crate::informers::{Watchers, Work};
use crate::model::{ObjKey, Object, Uid};
use crate::scheduler::Scheduler;
use crate::time::SimTime;
use crate::trace::{Route, Trace, What};

/// Something that happens later in simulated time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    /// Image pulled, sandbox up: containers start.
    ContainerStarted { ns: String, name: String, uid: Uid },
    /// Readiness probe first succeeds.
    PodReady { ns: String, name: String, uid: Uid },
    /// The grace period is over: the Pod object goes away.
    PodGone { ns: String, name: String, uid: Uid },
    /// kube-proxy's periodic sync on a node with hand-made IPVS state.
    ProxySync { node: String },
    /// kube-proxy's graceful-termination check on a node with draining real servers.
    GracefulCheck { node: String },
    /// The kubelet's pod worker tries the failed sandbox again (its back-off is over).
    SandboxRetry { ns: String, name: String, uid: Uid },
    /// The node-ipam controller syncs a node still without a Pod CIDR (every status update).
    NodeCidrRetry { node: String },
}

/// Pending timers in the order they fire: by time, then by when they were set. Each keeps the
/// command whose work set it: what it causes is traced as that command's doing. A binary heap
/// (one array; a timer is only ever scheduled or popped first) rather than a B-tree whose
/// nodes a workload of thousands of Pods scatters over the heap.
#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    pending: BinaryHeap<Pending>,
    seq: u64,
}

/// A pending timer, ordered so the heap's top is the earliest (time, then when it was set;
/// `seq` is unique, so no two compare equal).
#[derive(Clone, Debug)]
struct Pending {
    at: SimTime,
    seq: u64,
    timer: Timer,
    command: u64,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    /// Reversed: `BinaryHeap` is a max-heap, the earliest timer must be its top.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl Timers {
    pub(crate) fn schedule(&mut self, at: SimTime, t: Timer, command: u64) {
        self.seq += 1;
        self.pending.push(Pending {
            at,
            seq: self.seq,
            timer: t,
            command,
        });
    }

    /// When the earliest pending timer fires.
    pub(crate) fn next_at(&self) -> Option<SimTime> {
        self.pending.peek().map(|p| p.at)
    }

    /// The earliest timer due at or before `to`, removed, with the command that set it.
    pub(crate) fn pop_due(&mut self, to: SimTime) -> Option<(SimTime, Timer, u64)> {
        if self.pending.peek()?.at > to {
            return None;
        }
        self.pending.pop().map(|p| (p.at, p.timer, p.command))
    }
}

/// One reconcile's view of the cluster. Reads go to the store; a [`Ctx::write`] or
/// [`Ctx::erase`] dispatches its watch event to the informers at once (the work queue, the
/// scheduler's cache, kube-proxy's node list, CoreDNS), exactly as a write from the API verbs.
pub(crate) struct Ctx<'a> {
    now: SimTime,
    /// The command whose work this is (trace events and timers carry it).
    command: u64,
    api: &'a mut ApiServer,
    watchers: Watchers<'a>,
    trace: &'a mut Trace,
    events: &'a mut EventLog,
    timers: &'a mut Timers,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        now: SimTime,
        command: u64,
        api: &'a mut ApiServer,
        watchers: Watchers<'a>,
        trace: &'a mut Trace,
        events: &'a mut EventLog,
        timers: &'a mut Timers,
    ) -> Ctx<'a> {
        Ctx {
            now,
            command,
            api,
            watchers,
            trace,
            events,
            timers,
        }
    }

    /// Simulated time.
    pub(crate) fn now(&self) -> SimTime {
        self.now
    }

    /// The objects, as the controller's informers see them.
    pub(crate) fn store(&self) -> &Store {
        self.api.store()
    }

    /// Store an object (new or changed; moved, never copied) and dispatch its watch event.
    pub(crate) fn write(&mut self, obj: Object) {
        self.api.put(obj);
        self.watchers.dispatch_last_change(self.api.store());
    }

    /// Remove an object and dispatch its watch event. Whether it was there.
    pub(crate) fn erase(&mut self, key: &ObjKey) -> bool {
        if !self.api.remove(key) {
            return false;
        }
        self.watchers.dispatch_last_change(self.api.store());
        true
    }

    /// Store a status (or annotation) update whose watch event would only bring the writer
    /// back to the same result: no informer hears of it.
    pub(crate) fn put_quiet(&mut self, obj: Object) {
        self.api.put(obj);
    }

    /// Enqueue work for a controller.
    pub(crate) fn enqueue(&mut self, w: Work) {
        self.watchers.queue.push(w);
    }

    /// A new object UID (the API server's stream).
    pub(crate) fn new_uid(&mut self) -> Uid {
        self.api.new_uid()
    }

    /// `generateName`: `prefix` plus the API server's 5 random characters, unused in `ns`.
    pub(crate) fn generate_name(&mut self, kind: crate::model::Kind, ns: &str, prefix: &str) -> String {
        self.api.generate_name(kind, ns, prefix)
    }

    /// kube-scheduler's cache (fed by the Pod and Node watch events), for the scheduling cycle.
    pub(crate) fn scheduler(&mut self) -> &mut Scheduler {
        self.watchers.scheduler
    }

    /// Fire `t` at `at`.
    pub(crate) fn schedule(&mut self, at: SimTime, t: Timer) {
        self.timers.schedule(at, t, self.command);
    }

    /// Record what happened, at the current time, caused by the current command.
    pub(crate) fn record(&mut self, what: What, route: Route) {
        let version = self.api.store().version();
        self.trace.push(self.now, self.command, what, route, version);
    }

    /// Record a `Normal` event about an object (`kubectl get events`, describe's Events).
    pub(crate) fn event(&mut self, key: &ObjKey, uid: &Uid, reason: &'static str, message: String, source: &'static str) {
        self.record_event("Normal", key, uid, reason, message, source);
    }

    /// Record a `Warning` event about an object.
    pub(crate) fn warning(&mut self, key: &ObjKey, uid: &Uid, reason: &'static str, message: String, source: &'static str) {
        self.record_event("Warning", key, uid, reason, message, source);
    }

    /// The same event again, `times` times up to `last` (a retry loop that ran before the
    /// session started).
    pub(crate) fn repeated_event(&mut self, key: &ObjKey, uid: &Uid, reason: &str, times: u32, last: SimTime) {
        self.events.repeated(key, uid, reason, times, last);
    }

    fn record_event(&mut self, type_: &'static str, key: &ObjKey, uid: &Uid, reason: &'static str, message: String, source: &'static str) {
        self.events.record(
            self.now,
            NewEvent {
                key,
                uid,
                type_,
                reason,
                message,
                source,
            },
        );
    }
}
