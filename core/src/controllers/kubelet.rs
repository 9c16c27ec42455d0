//! The kubelet, in simulated time, once the scheduler (`scheduler.rs`) has bound a Pod.
//!
//! The kubelet sets up the sandbox — the Pod gets the next address of the node's CIDR from
//! host-local IPAM through the bridge CNI (or the node's IP with `hostNetwork`) — pulls the image
//! (a few seconds the first time on a node, about one second after) and starts the containers.
//! A sandbox that fails (the node's range is used up, or the node has no Pod CIDR and so no
//! network) leaves the Pod ContainerCreating with a Warning event; the pod worker tries again
//! after its back-off (10 s, jittered up to 15 s), and never runs a Pod without an IP.
//! Readiness follows the probe's initial delay.
//! Deletion sets `deletionTimestamp`; the object goes after the grace period, because the
//! chapter's images run as PID 1 without a SIGTERM handler and so wait it out.

use std::net::Ipv4Addr;

use super::context::{Ctx, Timer};
use crate::events::{go_duration_ms, image_size, pulls_always};
use crate::ipam::HostLocal;
use crate::model::*;
use crate::nodes::Nodes;
use crate::rng::{NodeComponent, NodeStreams, Rng};
use crate::trace::{Element, Route, SandboxProblem, What};

/// The kubelet on every node: what each holds of its own ([`Nodes`]: Pod address ranges,
/// images, pulls in flight) and each node's kubelet random stream (pull and start times,
/// back-offs, sandbox IDs).
#[derive(Clone, Debug)]
pub(crate) struct Kubelet {
    nodes: Nodes,
    rng: NodeStreams,
}

impl Kubelet {
    pub(crate) fn new(seed: u64) -> Kubelet {
        Kubelet {
            nodes: Nodes::default(),
            rng: NodeStreams::new(seed, NodeComponent::Kubelet),
        }
    }

    /// Each node's ranges, images and pulls (the packet path asks for gateways, `ip route`
    /// for the ranges).
    pub(crate) fn nodes(&self) -> &Nodes {
        &self.nodes
    }

    /// The node got its Pod CIDR (`spec.podCIDR`): the bridge CNI's host-local range over it.
    pub(crate) fn pod_cidr_assigned(&mut self, node: &str, (ip, prefix): (Ipv4Addr, u8)) {
        self.nodes.set_range(node, HostLocal::new(ip, prefix));
    }

    /// An imported running Pod keeps its address: host-local marks it held. `false` when the
    /// node has no range or the address is not free in it.
    pub(crate) fn reserve_pod_ip(&mut self, node: &str, ip: Ipv4Addr, owner: &str) -> bool {
        self.nodes.range_mut(node).is_some_and(|r| r.reserve(ip, owner))
    }

    /// Kubelet: network sandbox (Pod IP), then an image pull timer; a sandbox that cannot get
    /// its network is retried later.
    pub(crate) fn start_pod_sandbox(&mut self, ctx: &mut Ctx, pod: &mut Pod) {
        let node = pod.spec.node_name.clone().unwrap_or_default();
        let node_ip = ctx.store().node(&node).map(|n| n.internal_ip);
        pod.status.host_ip = node_ip;
        pod.status.phase = PodPhase::Pending;
        pod.status.waiting_reason = Some("ContainerCreating".into());
        if pod.spec.host_network {
            pod.status.pod_ip = node_ip;
        } else {
            let owner = format!("{}/{}", pod.meta.namespace, pod.meta.name);
            let failure = match self.nodes.range_mut(&node) {
                None => Some(SandboxFailure::NetworkNotReady),
                Some(ipam) => match ipam.allocate(&owner) {
                    Some(ip) => {
                        pod.status.pod_ip = Some(ip);
                        None
                    }
                    None => Some(SandboxFailure::NoAddresses(ipam.range_set())),
                },
            };
            if let Some(f) = failure {
                self.sandbox_failed(ctx, pod, &node, f);
                return;
            }
        }
        let image = pod.spec.containers.first().map(|c| c.image.clone()).unwrap_or_default();
        let cached = self.nodes.has_image(&node, &image);
        let rng = self.rng.node(&node);
        let delay_ms = if cached { 600 + rng.below(800) } else { 2_000 + rng.below(4_000) };
        let in_flight = self.nodes.pull_done(&node, &image).is_some_and(|t| t > ctx.now());
        if !cached {
            let done = ctx.now().plus_ms(delay_ms);
            self.nodes.set_pull_done(&node, &image, done);
        }
        if pulls_always(&image) || !cached || in_flight {
            let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
            ctx.event(&key, &pod.meta.uid, "Pulling", format!("Pulling image \"{image}\""), "kubelet");
            let now = ctx.now();
            self.nodes.start_pull(&pod.meta.uid, now);
        }
        self.nodes.add_image(&node, &image);
        if let Some(ip) = pod.status.pod_ip {
            ctx.record(
                What::PodIpAssigned {
                    pod: ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name),
                    node: CompactString::new(&node),
                    ip,
                    host_network: pod.spec.host_network,
                },
                Route::new(Element::node(&node), Element::pod(&pod.meta.namespace, &pod.meta.name)),
            );
        }
        start_containers_after(ctx, pod, delay_ms);
    }

    /// The sandbox could not be set up: a Warning event, and the pod worker's retry after its
    /// back-off. The Pod stays Pending (ContainerCreating) with no IP.
    fn sandbox_failed(&mut self, ctx: &mut Ctx, pod: &Pod, node: &str, failure: SandboxFailure) {
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        let rng = self.rng.node(node);
        let (reason, message, problem) = match failure {
            SandboxFailure::NoAddresses(range) => {
                let id = sandbox_id(rng);
                let name = &pod.meta.name;
                (
                    "FailedCreatePodSandBox",
                    format!(
                        "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container \"{id}\" network for pod \"{name}\": networkPlugin cni failed to set up pod \"{name}_{}\" network: plugin type=\"bridge\" failed (add): failed to allocate for range 0: no IP addresses available in range set: {range}",
                        pod.meta.namespace
                    ),
                    SandboxProblem::NoAddresses { range },
                )
            }
            SandboxFailure::NetworkNotReady => (
                "NetworkNotReady",
                format!("network is not ready: {NETWORK_NOT_READY}"),
                SandboxProblem::NetworkNotReady,
            ),
        };
        let backoff_ms = 10_000 + rng.below(5_000);
        ctx.warning(&key, &pod.meta.uid, reason, message, "kubelet");
        ctx.record(
            What::SandboxFailed {
                pod: key,
                node: CompactString::new(node),
                problem,
            },
            Route::new(Element::node(node), Element::pod(&pod.meta.namespace, &pod.meta.name)),
        );
        let at = ctx.now().plus_ms(backoff_ms);
        ctx.schedule(
            at,
            Timer::SandboxRetry {
                ns: pod.meta.namespace.to_string(),
                name: pod.meta.name.to_string(),
                uid: pod.meta.uid.clone(),
            },
        );
    }

    /// The pod worker syncs a Pod whose sandbox failed: try again.
    pub(crate) fn retry_sandbox(&mut self, ctx: &mut Ctx, ns: &str, name: &str, uid: &Uid) {
        let Some(mut pod) = ctx.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.meta.uid != uid || pod.is_terminating() || pod.spec.node_name.is_none() || pod.status.pod_ip.is_some() {
            return;
        }
        self.start_pod_sandbox(ctx, &mut pod);
        if pod.status.pod_ip.is_some() {
            ctx.write(Object::Pod(pod));
        }
    }

    /// A Pod's container image changed (the one in-place Pod update): the kubelet kills the
    /// container ("definition changed, will be restarted"), pulls the new image and starts it
    /// again; RESTARTS counts it and the Pod is not Ready meanwhile. The Pod keeps its IP.
    pub(crate) fn restart_changed_containers(&mut self, ctx: &mut Ctx, old: &Pod, pod: &mut Pod) {
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        let node = pod.spec.node_name.clone().unwrap_or_default();
        let mut changed = 0;
        for (c, before) in pod.spec.containers.iter().zip(old.spec.containers.iter()) {
            if c.image != before.image {
                changed += 1;
                let msg = format!("Container {} definition changed, will be restarted", c.name);
                ctx.event(&key, &pod.meta.uid, "Killing", msg, "kubelet");
                if self.nodes.add_image(&node, &c.image) {
                    let image = c.image.clone();
                    ctx.event(&key, &pod.meta.uid, "Pulling", format!("Pulling image \"{image}\""), "kubelet");
                    let now = ctx.now();
                    self.nodes.start_pull(&pod.meta.uid, now);
                }
            }
        }
        if changed == 0 || pod.is_terminating() || pod.spec.node_name.is_none() {
            return;
        }
        pod.status.restarts += changed;
        pod.status.ready = false;
        let node = pod.spec.node_name.clone().unwrap_or_default();
        let delay_ms = 2_000 + self.rng.node(&node).below(4_000);
        start_containers_after(ctx, pod, delay_ms);
        ctx.record(
            What::ImageChanged {
                pod: key,
                containers: changed as usize,
            },
            Route::new(Element::node(&node), Element::pod(&pod.meta.namespace, &pod.meta.name)),
        );
    }

    /// The container's main process exited with `code` (the shell a `kubectl run -it` session
    /// was attached to). restartPolicy decides: Always (and OnFailure after a failure) restarts
    /// it at once — the first restart has no back-off — and counts a restart; otherwise the Pod
    /// is done: Succeeded (STATUS Completed) on 0, Failed (Error) otherwise, and leaves its
    /// Services' endpoints.
    pub(crate) fn main_process_exited(&mut self, ctx: &mut Ctx, ns: &str, name: &str, code: i32) {
        let Some(mut pod) = ctx.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.is_terminating() || pod.status.phase != PodPhase::Running {
            return;
        }
        let key = ObjKey::new(Kind::Pod, ns, name);
        let restart = match pod.spec.restart_policy.as_str() {
            "Never" => false,
            "OnFailure" => code != 0,
            _ => true,
        };
        if restart {
            // Not Ready until the kubelet has started it again (Pulled/Created/Started follow
            // from `container_started`, the image being on the node already).
            pod.status.restarts += 1;
            pod.status.ready = false;
            let node = pod.spec.node_name.clone().unwrap_or_default();
            let delay_ms = 600 + self.rng.node(&node).below(800);
            start_containers_after(ctx, &pod, delay_ms);
            ctx.record(
                What::MainProcessExited {
                    pod: key,
                    code,
                    restart_policy: pod.spec.restart_policy.to_string(),
                    restarted: true,
                },
                Route::new(Element::pod(ns, name), Element::node(&node)),
            );
        } else {
            pod.status.phase = if code == 0 { PodPhase::Succeeded } else { PodPhase::Failed };
            pod.status.ready = false;
            let node = pod.spec.node_name.clone().unwrap_or_default();
            ctx.record(
                What::MainProcessExited {
                    pod: key,
                    code,
                    restart_policy: pod.spec.restart_policy.to_string(),
                    restarted: false,
                },
                Route::new(Element::pod(ns, name), Element::node(&node)),
            );
        }
        ctx.write(Object::Pod(pod));
    }

    pub(crate) fn container_started(&mut self, ctx: &mut Ctx, ns: &str, name: &str, uid: &Uid) {
        let Some(mut pod) = ctx.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.meta.uid != uid || pod.is_terminating() {
            return;
        }
        self.container_events(ctx, &pod);
        pod.status.phase = PodPhase::Running;
        pod.status.waiting_reason = None;
        pod.status.started = Some(ctx.now());
        let probe_delay = pod.spec.containers.iter().filter_map(|c| c.readiness_delay_seconds).max();
        match probe_delay {
            None => pod.status.ready = true,
            Some(d) => {
                let at = ctx.now().plus_secs(d.max(0) as u64).plus_ms(100);
                ctx.schedule(
                    at,
                    Timer::PodReady {
                        ns: ns.into(),
                        name: name.into(),
                        uid: uid.into(),
                    },
                );
            }
        }
        let node = pod.spec.node_name.clone().unwrap_or_default();
        ctx.record(
            What::PodRunning {
                pod: ObjKey::new(Kind::Pod, ns, name),
                ready: pod.status.ready,
            },
            Route::new(Element::node(&node), Element::pod(ns, name)),
        );
        ctx.write(Object::Pod(pod));
    }

    /// The kubelet's events as each container starts: the image (pulled, or already present
    /// under `IfNotPresent`), then `Created` and `Started` (kuberuntime_container.go).
    fn container_events(&mut self, ctx: &mut Ctx, pod: &Pod) {
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        let uid = pod.meta.uid.clone();
        let pull_start = self.nodes.take_pull(&uid);
        for (i, c) in pod.spec.containers.iter().enumerate() {
            let image = c.image.clone();
            let pulled_ms = match (i, pull_start) {
                (0, Some(start)) => Some(ctx.now().0.saturating_sub(start.0)),
                (0, None) => None,
                _ if pulls_always(&image) => {
                    ctx.event(&key, &uid, "Pulling", format!("Pulling image \"{image}\""), "kubelet");
                    Some(400 + u64::from(crate::rng::fnv32a(image.as_bytes()) % 600))
                }
                _ => None,
            };
            let msg = match pulled_ms {
                Some(ms) => {
                    let d = go_duration_ms(ms);
                    format!(
                        "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
                        image_size(&image)
                    )
                }
                None => format!("Container image \"{image}\" already present on machine"),
            };
            ctx.event(&key, &uid, "Pulled", msg, "kubelet");
            ctx.event(&key, &uid, "Created", format!("Created container {}", c.name), "kubelet");
            ctx.event(&key, &uid, "Started", format!("Started container {}", c.name), "kubelet");
        }
    }

    pub(crate) fn pod_ready(&mut self, ctx: &mut Ctx, ns: &str, name: &str, uid: &Uid) {
        let Some(mut pod) = ctx.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.meta.uid != uid || pod.is_terminating() || pod.status.ready {
            return;
        }
        pod.status.ready = true;
        let node = pod.spec.node_name.clone().unwrap_or_default();
        ctx.record(
            What::PodReady {
                pod: ObjKey::new(Kind::Pod, ns, name),
            },
            Route::new(Element::node(&node), Element::pod(ns, name)),
        );
        ctx.write(Object::Pod(pod));
    }

    pub(crate) fn pod_gone(&mut self, ctx: &mut Ctx, ns: &str, name: &str, uid: &Uid) {
        let Some(pod) = ctx.store().pod(ns, name).cloned() else {
            return;
        };
        if pod.meta.uid != uid {
            return;
        }
        self.release_pod(&pod);
        ctx.erase(&ObjKey::new(Kind::Pod, ns, name));
    }

    pub(crate) fn release_pod(&mut self, pod: &Pod) {
        if pod.spec.host_network {
            return;
        }
        if let (Some(node), Some(ip)) = (&pod.spec.node_name, pod.status.pod_ip) {
            self.nodes.release(node, ip);
        }
    }
}

/// Start graceful deletion (`deletionTimestamp`), or remove at once if never started: the API
/// server's part (the timestamp, the Pod out of its Services' endpoints) and the kubelet's
/// (SIGTERM, the Pod object gone once the containers exit), done in one step because the Pod
/// is written once. Needs none of the kubelet's own state, so the ReplicaSet controller and
/// `kubectl delete` call it without a kubelet.
pub(crate) fn terminate_pod(ctx: &mut Ctx, pod: Pod) {
    let grace = pod.spec.termination_grace_period_seconds.max(0) as u64;
    terminate_pod_within(ctx, pod, grace);
}

/// [`terminate_pod`] with the grace period a delete request gave (`DeleteOptions.
/// gracePeriodSeconds`, `kubectl delete --grace-period`), instead of the Pod's own.
pub(crate) fn terminate_pod_within(ctx: &mut Ctx, mut pod: Pod, grace: u64) {
    if pod.is_terminating() {
        return;
    }
    let ns = pod.meta.namespace.clone();
    let name = pod.meta.name.clone();
    if pod.spec.node_name.is_none() {
        ctx.erase(&ObjKey::new(Kind::Pod, &ns, &name));
        return;
    }
    if pod.status.phase == PodPhase::Running {
        let key = ObjKey::new(Kind::Pod, &ns, &name);
        for c in pod.spec.containers.iter() {
            ctx.event(&key, &pod.meta.uid, "Killing", format!("Stopping container {}", c.name), "kubelet");
        }
    }
    pod.meta.deletion = Some(ctx.now().plus_secs(grace));
    pod.status.ready = false;
    // The containers exit when their process handles SIGTERM (CoreDNS after its 5 s
    // lameduck, nginx at once); a PID 1 without a handler waits out the grace period.
    let exits_after = pod
        .spec
        .containers
        .iter()
        .map(|c| crate::apps::sigterm_exit_secs(&c.image).unwrap_or(grace))
        .max()
        .unwrap_or(0)
        .min(grace);
    // A finished Pod has no process left to stop.
    let exits_after = if matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed) {
        0
    } else {
        exits_after
    };
    let at = ctx.now().plus_secs(exits_after);
    ctx.schedule(
        at,
        Timer::PodGone {
            ns: ns.to_string(),
            name: name.to_string(),
            uid: pod.meta.uid.clone(),
        },
    );
    ctx.record(
        What::PodTerminating {
            pod: ObjKey::new(Kind::Pod, &ns, &name),
            grace_seconds: grace,
            exits_after_seconds: exits_after,
        },
        Route::new(Element::ApiServer, Element::pod(&ns, &name)),
    );
    ctx.write(Object::Pod(pod));
}

/// Containers of `pod` start after `delay_ms` (image pull and container start).
fn start_containers_after(ctx: &mut Ctx, pod: &Pod, delay_ms: u64) {
    let at = ctx.now().plus_ms(delay_ms);
    ctx.schedule(
        at,
        Timer::ContainerStarted {
            ns: pod.meta.namespace.to_string(),
            name: pod.meta.name.to_string(),
            uid: pod.meta.uid.clone(),
        },
    );
}

/// Why a sandbox's network could not be set up.
enum SandboxFailure {
    /// host-local's range set is used up (its text, `10.244.0.1-10.244.0.254`).
    NoAddresses(String),
    /// The node has no Pod CIDR, so the CNI has no config: only host-network Pods start.
    NetworkNotReady,
}

/// The runtime's network status on a node without CNI config (cri-dockerd), as the kubelet
/// reports it in the Node's Ready condition and in `NetworkNotReady` events.
pub const NETWORK_NOT_READY: &str = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized";

/// A sandbox container's ID: 64 hex digits.
fn sandbox_id(rng: &mut Rng) -> String {
    (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
}
