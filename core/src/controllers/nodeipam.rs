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

use crate::cluster::{Cluster, Timer};
use crate::ipam::HostLocal;
use crate::model::{Kind, ObjKey};
use crate::time::SimTime;
use crate::trace::Step;

/// The kubelet's `nodeStatusReportFrequency`: each update makes the controller sync the node.
const NODE_STATUS_REPORT_MS: u64 = 300_000;

impl Cluster {
    /// The Pod CIDR for the node `name` (and its host-local range), or `None` when the cluster
    /// CIDR is used up. Called before the Node is stored.
    pub(crate) fn allocate_node_cidr(&mut self, name: &str) -> Option<(Ipv4Addr, u8)> {
        let cidr = self.node_cidrs.allocate_next()?;
        self.nodes.set_range(name, HostLocal::new(cidr.0, cidr.1));
        Some(cidr)
    }

    /// The stored Node `name` got no Pod CIDR: record it now and as the controller keeps
    /// retrying (through the cluster's uptime before the session, then every 5 minutes).
    pub(crate) fn node_cidr_not_available(&mut self, name: &str) {
        self.record_cidr_not_available(name);
        let key = ObjKey::new(Kind::Node, "", name);
        let uid = self.api.store().get(&key).map(|n| n.meta().uid.clone()).unwrap_or_default();
        let up_ms = self.config.uptime_secs.saturating_mul(1000);
        let repeats = up_ms / NODE_STATUS_REPORT_MS;
        if repeats > 0 {
            let last = SimTime(self.now.0.saturating_add(repeats * NODE_STATUS_REPORT_MS));
            let times = u32::try_from(repeats).unwrap_or(u32::MAX);
            self.events.repeated(&key, &uid, "CIDRNotAvailable", times, last);
        }
        let next = SimTime(self.now.0.saturating_add((repeats + 1) * NODE_STATUS_REPORT_MS));
        self.schedule_timer(next, Timer::NodeCidrRetry { node: name.to_string() });
        self.emit(
            Step::Controller(crate::trace::Controller::NodeIpam),
            format!("node {name} gets no Pod CIDR: {} has no /{} left", cidr_text(self.config.cluster_cidr), self.config.node_cidr_mask_size),
            "kube-controller-manager cuts one subnet of --cluster-cidr per node; without one the node's CNI has no range, so the node stays NotReady and only host-network Pods run there",
            vec![key],
        );
    }

    fn record_cidr_not_available(&mut self, name: &str) {
        let key = ObjKey::new(Kind::Node, "", name);
        let uid = self.api.store().get(&key).map(|n| n.meta().uid.clone()).unwrap_or_default();
        self.event(
            &key,
            &uid,
            "CIDRNotAvailable",
            format!("Node {name} status is now: CIDRNotAvailable"),
            "cidrAllocator",
        );
    }

    /// A sync of a node still without a Pod CIDR (nothing frees one: nodes are never removed).
    pub(crate) fn retry_node_cidr(&mut self, name: &str) {
        let Some(node) = self.api.store().node(name) else { return };
        if node.pod_cidr.is_some() {
            return;
        }
        self.record_cidr_not_available(name);
        let next = self.now.plus_ms(NODE_STATUS_REPORT_MS);
        self.schedule_timer(next, Timer::NodeCidrRetry { node: name.to_string() });
    }
}

fn cidr_text((ip, prefix): (Ipv4Addr, u8)) -> String {
    format!("{ip}/{prefix}")
}
