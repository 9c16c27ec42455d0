//! Controllers: what reacts to stored objects, each a component that owns its own state (if
//! any) and gets a narrow `context::Ctx` per reconcile — never the cluster. `cluster.rs`
//! holds them in `Controllers` and calls them from the work queue and the timers.
//!
//! - `context`: `context::Ctx` (the store, writes that dispatch their watch event, the
//!   clock, the timeline, the Event log, timers) and the timer kinds.
//! - `workloads`: Deployment → ReplicaSet (pod-template-hash) → Pods (random suffix).
//! - `scheduling`: kube-scheduler's cycle: the [`crate::scheduler`] cache's least-loaded node
//!   that fits, `FailedScheduling` when none does; the bound Pod goes to the kubelet.
//! - `kubelet`: Pod IPs from the node's CIDR (sandbox failures retried), container start,
//!   readiness, and termination with the grace period; owns [`crate::nodes::Nodes`].
//! - `nodeipam`: kube-controller-manager's node Pod CIDRs from the cluster CIDR.
//! - `endpoints`: Endpoints and EndpointSlices from a Service's selector (registration step 4).
//! - `tunnel`: `minikube tunnel`'s load-balancer emulator (LoadBalancer ingress IPs).
//! - `mirroring`: EndpointSlices mirrored from the hand-written Endpoints of a Service without
//!   a selector.
//!
//! Dependencies among them run one way: `scheduling` hands a bound Pod to the `kubelet`;
//! `workloads` deletes Pods through `kubelet::terminate_pod` (which needs no kubelet state);
//! `mirroring` names its slices as `endpoints` does. Each reconcile reads the store and writes
//! only what differs, so running one twice is a no-op.

pub(crate) mod context;
mod endpoints;
mod kubelet;
mod mirroring;
mod nodeipam;
mod scheduling;
mod tunnel;
pub mod workloads;

pub(crate) use endpoints::EndpointsController;
pub use kubelet::NETWORK_NOT_READY;
pub(crate) use kubelet::{terminate_pod, terminate_pod_within, Kubelet};
pub(crate) use mirroring::MirroringController;
pub(crate) use nodeipam::NodeIpamController;
pub(crate) use scheduling::SchedulingCycle;
pub(crate) use tunnel::Tunnel;
pub use workloads::pod_template_hash;
pub(crate) use workloads::{DeploymentController, ReplicaSetController};

/// Every controller of the cluster, each with its own state (the zero-sized ones have none).
#[derive(Clone, Debug)]
pub(crate) struct Controllers {
    pub(crate) deployment: DeploymentController,
    pub(crate) replicaset: ReplicaSetController,
    pub(crate) scheduling: SchedulingCycle,
    pub(crate) kubelet: Kubelet,
    pub(crate) node_ipam: NodeIpamController,
    pub(crate) endpoints: EndpointsController,
    pub(crate) mirroring: MirroringController,
    pub(crate) tunnel: Tunnel,
}
