//! What each node's kubelet and CNI plugin hold of their own: the host-local IPAM range of the
//! node's Pod CIDR, the images already on the node, and the image pulls in flight. A component
//! with private fields, held by the kubelet controller (`controllers/kubelet.rs`); the packet
//! path and `ip route` read it through `Cluster::nodes`, nothing reaches into it.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::ipam::HostLocal;
use crate::model::Uid;
use crate::time::SimTime;

#[derive(Clone, Debug, Default)]
pub struct Nodes {
    /// Node name → host-local over its Pod CIDR (none until the node-ipam controller gives one).
    ranges: BTreeMap<String, HostLocal>,
    /// (node, image) pulled there (a second Pod with the same image starts faster).
    images: BTreeSet<(String, String)>,
    /// Pod uid → when the kubelet started pulling its first image.
    pulls: BTreeMap<Uid, SimTime>,
    /// (node, image) → when that node's first pull of the image completes: a Pod that asks for
    /// the image before then waits on the same pull, so it reports `Pulling` / `Pulled` too.
    pull_done: BTreeMap<(String, String), SimTime>,
}

impl Nodes {
    /// The node got its Pod CIDR: the CNI's host-local range over it.
    pub fn set_range(&mut self, node: &str, range: HostLocal) {
        self.ranges.insert(node.to_string(), range);
    }

    pub fn range(&self, node: &str) -> Option<&HostLocal> {
        self.ranges.get(node)
    }

    pub fn range_mut(&mut self, node: &str) -> Option<&mut HostLocal> {
        self.ranges.get_mut(node)
    }

    /// Every node with a range, by name (`ip route` on a node lists them all).
    pub fn ranges(&self) -> impl Iterator<Item = (&String, &HostLocal)> {
        self.ranges.iter()
    }

    /// The node's bridge address (the Pods' default gateway), if it has a range.
    pub fn gateway(&self, node: &str) -> Option<Ipv4Addr> {
        self.ranges.get(node).map(HostLocal::gateway)
    }

    /// Give a Pod's address back to its node's range.
    pub fn release(&mut self, node: &str, ip: Ipv4Addr) {
        if let Some(r) = self.ranges.get_mut(node) {
            r.release(ip);
        }
    }

    pub fn has_image(&self, node: &str, image: &str) -> bool {
        self.images.contains(&(node.to_string(), image.to_string()))
    }

    /// The image is on the node now; whether it was not before.
    pub fn add_image(&mut self, node: &str, image: &str) -> bool {
        self.images.insert((node.to_string(), image.to_string()))
    }

    /// When the node's first pull of `image` completes (if one was started).
    pub fn pull_done(&self, node: &str, image: &str) -> Option<SimTime> {
        self.pull_done.get(&(node.to_string(), image.to_string())).copied()
    }

    pub fn set_pull_done(&mut self, node: &str, image: &str, at: SimTime) {
        self.pull_done.insert((node.to_string(), image.to_string()), at);
    }

    /// A Pod's kubelet started pulling its image at `at`.
    pub fn start_pull(&mut self, pod_uid: &Uid, at: SimTime) {
        self.pulls.insert(pod_uid.into(), at);
    }

    /// The start of the Pod's pull, forgotten once read (its containers started).
    pub fn take_pull(&mut self, pod_uid: &Uid) -> Option<SimTime> {
        self.pulls.remove(pod_uid)
    }
}
