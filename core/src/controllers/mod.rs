//! Controllers: what reacts to stored objects, each as `impl Cluster` methods driven by the
//! work queue in `cluster.rs`.
//!
//! - `workloads`: Deployment → ReplicaSet (pod-template-hash) → Pods (random suffix).
//! - `scheduler`: kube-scheduler, a component with its own state (Pods per node, the queue of
//!   Pods waiting for room): the least-loaded node that fits, `FailedScheduling` when none does.
//! - `kubelet`: Pod IPs from the node's CIDR (sandbox failures retried), container start,
//!   readiness, and termination with the grace period.
//! - `nodeipam`: kube-controller-manager's node Pod CIDRs from the cluster CIDR.
//! - `endpoints`: Endpoints and EndpointSlices from a Service's selector (registration step 4).
//! - `tunnel`: `minikube tunnel`'s load-balancer emulator (LoadBalancer ingress IPs).
//! - `mirroring`: EndpointSlices mirrored from the hand-written Endpoints of a Service without
//!   a selector.
//!
//! Each reconcile reads the store and writes only what differs, so running one twice is a no-op.

mod endpoints;
mod kubelet;
mod mirroring;
mod nodeipam;
mod scheduling;
mod tunnel;
pub mod workloads;

pub use kubelet::NETWORK_NOT_READY;
pub use workloads::pod_template_hash;
