//! The scheduling cycle: a Pod without a node asks the [`crate::scheduler`] component (the
//! informer-fed cache the cycle reads through its [`Ctx`]) for a node — the cycle's own random
//! stream breaks ties — then is bound and handed to the kubelet, or stays Pending with
//! `FailedScheduling` and waits for room (the watch events re-queue it when a Pod leaves a
//! full node, see [`crate::informers`]).

use super::context::Ctx;
use super::kubelet::Kubelet;
use crate::model::{CompactString, Kind, ObjKey, Object, PodPhase};
use crate::rng::Rng;
use crate::trace::{Controller, Element, Route, What};

/// kube-scheduler's scheduling cycle: its random stream (the pick among equally scored nodes).
#[derive(Clone, Debug)]
pub(crate) struct SchedulingCycle {
    rng: Rng,
}

impl SchedulingCycle {
    pub(crate) fn new(seed: u64) -> SchedulingCycle {
        SchedulingCycle {
            rng: Rng::stream(seed, "scheduler"),
        }
    }

    /// One scheduling cycle for a Pod: bind it to the node picked, or leave it Pending with
    /// `FailedScheduling` and keep it waiting for room. The bound Pod's kubelet sets up its
    /// sandbox before the Pod is written, so the binding and the sandbox are one write.
    pub(crate) fn schedule_pod(&mut self, ctx: &mut Ctx, kubelet: &mut Kubelet, ns: &str, name: &str) {
        let Some(mut pod) = ctx.store().pod(ns, name).cloned() else {
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
                kubelet.start_pod_sandbox(ctx, &mut pod);
                ctx.write(Object::Pod(pod));
            }
            return;
        }
        let key = ObjKey::new(Kind::Pod, ns, name);
        let Some(pick) = ctx.scheduler().pick(&mut self.rng) else {
            let msg = ctx.scheduler().fit_error();
            ctx.scheduler().wait(ns, name);
            ctx.warning(&key, &pod.meta.uid, "FailedScheduling", msg.clone(), "default-scheduler");
            ctx.record(
                What::Unschedulable { pod: key, message: msg },
                Route::new(Element::Controller(Controller::Scheduler), Element::pod(ns, name)),
            );
            return;
        };
        let node = pick.node;
        std::sync::Arc::make_mut(&mut pod.spec).node_name = Some(node.clone());
        ctx.event(
            &key,
            &pod.meta.uid,
            "Scheduled",
            format!("Successfully assigned {ns}/{name} to {node}"),
            "default-scheduler",
        );
        ctx.record(
            What::Scheduled {
                pod: key,
                node: CompactString::new(&node),
                ties: pick.ties,
            },
            Route::new(Element::pod(ns, name), Element::node(&node)),
        );
        kubelet.start_pod_sandbox(ctx, &mut pod);
        ctx.write(Object::Pod(pod));
    }
}
