//! kube-controller-manager's node-ipam controller (`--allocate-node-cidrs`, range allocator):
//! gives each new Node a Pod CIDR cut from `--cluster-cidr` (one `--node-cidr-mask-size` subnet
//! each, in order), and when none is left records `CIDRNotAvailable` on the Node — again at
//! every sync, which each kubelet status update (every 5 minutes) triggers. Such a node gets no
//! `spec.podCIDR`: the bridge CNI has no config to write, the runtime network is not ready, and
//! the node is NotReady and tainted `node.kubernetes.io/not-ready:NoSchedule`.
//!
//! The source is `cidrAllocator` and the event `Normal`, as v1.31's `RecordNodeStatusChange`
//! makes it (later releases make it a Warning).

use std::net::Ipv4Addr;

use super::context::{Ctx, Timer};
use crate::ipam::NodeCidrAllocator;
use crate::model::{CompactString, Kind, ObjKey};
use crate::time::SimTime;
use crate::trace::{Controller, Element, Route, What};

/// The kubelet's `nodeStatusReportFrequency`: each update makes the controller sync the node.
const NODE_STATUS_REPORT_MS: u64 = 300_000;

/// The node-ipam controller: its cut of the cluster CIDR and the settings it was started with.
#[derive(Clone, Debug)]
pub(crate) struct NodeIpamController {
    cidrs: NodeCidrAllocator,
    /// `--cluster-cidr`.
    cluster_cidr: (Ipv4Addr, u8),
    /// `--node-cidr-mask-size`.
    node_cidr_mask_size: u8,
    /// How long the cluster ran before the session (the retries already made by then).
    uptime_secs: u64,
}

impl NodeIpamController {
    pub(crate) fn new(cidrs: NodeCidrAllocator, cluster_cidr: (Ipv4Addr, u8), node_cidr_mask_size: u8, uptime_secs: u64) -> Self {
        NodeIpamController {
            cidrs,
            cluster_cidr,
            node_cidr_mask_size,
            uptime_secs,
        }
    }

    /// The next node's Pod CIDR, or `None` when the cluster CIDR is used up. Called before
    /// the Node is stored.
    pub(crate) fn allocate(&mut self) -> Option<(Ipv4Addr, u8)> {
        self.cidrs.allocate_next()
    }

    /// An imported Node already has `cidr` (`Occupy` at the range allocator's start).
    pub(crate) fn reserve(&mut self, cidr: (Ipv4Addr, u8)) -> bool {
        self.cidrs.reserve(cidr)
    }

    /// The stored Node `name` got no Pod CIDR: record it now and as the controller keeps
    /// retrying (through the cluster's uptime before the session, then every 5 minutes).
    pub(crate) fn cidr_not_available(&mut self, ctx: &mut Ctx, name: &str) {
        record_cidr_not_available(ctx, name);
        let key = ObjKey::new(Kind::Node, "", name);
        let uid = ctx.store().get(&key).map(|n| n.meta().uid.clone()).unwrap_or_default();
        let up_ms = self.uptime_secs.saturating_mul(1000);
        let repeats = up_ms / NODE_STATUS_REPORT_MS;
        if repeats > 0 {
            let last = SimTime(ctx.now().0.saturating_add(repeats * NODE_STATUS_REPORT_MS));
            let times = u32::try_from(repeats).unwrap_or(u32::MAX);
            ctx.repeated_event(&key, &uid, "CIDRNotAvailable", times, last);
        }
        let next = SimTime(ctx.now().0.saturating_add((repeats + 1) * NODE_STATUS_REPORT_MS));
        ctx.schedule(next, Timer::NodeCidrRetry { node: name.to_string() });
        ctx.record(
            What::NoPodCidr {
                node: CompactString::new(name),
                cluster_cidr: cidr_text(self.cluster_cidr),
                mask: self.node_cidr_mask_size,
            },
            Route::new(Element::Controller(Controller::NodeIpam), Element::node(name)),
        );
    }

    /// A sync of a node still without a Pod CIDR (nothing frees one: nodes are never removed).
    pub(crate) fn retry(&mut self, ctx: &mut Ctx, name: &str) {
        let Some(node) = ctx.store().node(name) else { return };
        if node.pod_cidr.is_some() {
            return;
        }
        record_cidr_not_available(ctx, name);
        let next = ctx.now().plus_ms(NODE_STATUS_REPORT_MS);
        ctx.schedule(next, Timer::NodeCidrRetry { node: name.to_string() });
    }
}

fn cidr_text((ip, prefix): (Ipv4Addr, u8)) -> String {
    format!("{ip}/{prefix}")
}

fn record_cidr_not_available(ctx: &mut Ctx, name: &str) {
    let key = ObjKey::new(Kind::Node, "", name);
    let uid = ctx.store().get(&key).map(|n| n.meta().uid.clone()).unwrap_or_default();
    ctx.event(
        &key,
        &uid,
        "CIDRNotAvailable",
        format!("Node {name} status is now: CIDRNotAvailable"),
        "cidrAllocator",
    );
}
