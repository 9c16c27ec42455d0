//! Controllers: what reacts to stored objects, each as `impl Cluster` methods driven by the
//! work queue in `cluster.rs`.
//!
//! - `workloads`: Deployment → ReplicaSet (pod-template-hash) → Pods (random suffix).
//! - `kubelet`: the scheduler's node pick, Pod IPs from the node's CIDR, container start,
//!   readiness, and termination with the grace period.
//! - `endpoints`: Endpoints and EndpointSlices from a Service's selector (registration step 4).
//! - `tunnel`: `minikube tunnel`'s load-balancer emulator (LoadBalancer ingress IPs).
//! - `mirroring`: EndpointSlices mirrored from the hand-written Endpoints of a Service without
//!   a selector.
//!
//! Each reconcile reads the store and writes only what differs, so running one twice is a no-op.

mod endpoints;
mod kubelet;
mod mirroring;
mod tunnel;
pub mod workloads;

pub use workloads::pod_template_hash;
