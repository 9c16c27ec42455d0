//! The scheduling cycle, as wiring: a Pod without a node asks the [`crate::scheduler`]
//! component for a node (its own random stream breaks ties), then is bound and handed to the
//! kubelet — or stays Pending with `FailedScheduling` and waits for room.

use crate::cluster::{Cluster, Work};
use crate::model::{Kind, ObjKey, Object, PodPhase};
use crate::trace::Step;

impl Cluster {
    /// One scheduling cycle for a Pod: bind it to the node picked, or leave it Pending with
    /// `FailedScheduling` and keep it waiting for room.
    pub(crate) fn schedule_pod(&mut self, ns: &str, name: &str) {
        let Some(mut pod) = self.api.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.is_terminating() {
            return;
        }
        if pod.spec.node_name.is_some() {
            // Bound already (`spec.nodeName` in the manifest): the scheduler is bypassed and
            // that node's kubelet starts it, once.
            let fresh = pod.status.pod_ip.is_none() && pod.status.waiting_reason.is_none() && pod.status.started.is_none();
            if fresh && pod.status.phase == PodPhase::Pending {
                self.start_pod_sandbox(&mut pod);
                self.write(Object::Pod(pod));
            }
            return;
        }
        let key = ObjKey::new(Kind::Pod, ns, name);
        let Some(pick) = self.scheduler.pick(&mut self.rng.scheduler) else {
            let msg = self.scheduler.fit_error();
            self.scheduler.wait(ns, name);
            self.warning(&key, &pod.meta.uid, "FailedScheduling", msg.clone(), "default-scheduler");
            self.emit(
                Step::Controller(crate::trace::Controller::Scheduler),
                format!("pod {name} ({ns}) stays Pending: {msg}"),
                "no node passes the filters (a node holds at most 110 Pods; a NotReady node is tainted): the Pod waits in the scheduler's queue and is tried again when a Pod leaves a full node",
                vec![key],
            );
            return;
        };
        let node = pick.node;
        pod.spec.node_name = Some(node.clone());
        self.event(
            &key,
            &pod.meta.uid,
            "Scheduled",
            format!("Successfully assigned {ns}/{name} to {node}"),
            "default-scheduler",
        );
        self.emit(
            Step::Controller(crate::trace::Controller::Scheduler),
            format!("pod {name} ({ns}) scheduled to node {node}"),
            if pick.ties > 1 {
                "nodes with equal scores: kube-scheduler picks one at random"
            } else {
                "the least-loaded node that fits"
            },
            vec![key],
        );
        self.start_pod_sandbox(&mut pod);
        self.write(Object::Pod(pod));
    }

    /// A node can take a Pod again: every waiting Pod gets a new scheduling cycle, in the order
    /// they failed (those that still find no room record `FailedScheduling` once more).
    pub(crate) fn retry_unschedulable(&mut self) {
        let waiting: Vec<(String, String)> = self.scheduler.waiting().cloned().collect();
        for (ns, name) in waiting {
            self.enqueue(Work::Schedule(ns, name));
        }
    }
}
