//! kube-scheduler as a component: how many Pods each node holds, which nodes can take one more,
//! and the Pods waiting for room — kept up to date from the Pod and Node watch events the
//! cluster dispatches to it, never recounted from the store. The scheduling cycle that binds a
//! Pod (and records its events) is `controllers/scheduling.rs`.
//!
//! - **Filter** (as the default profile's TaintToleration and NodeResourcesFit): a node whose
//!   network is not ready carries the `node.kubernetes.io/not-ready:NoSchedule` taint; a node
//!   already holding `pods: 110` (assigned and not finished, Terminating ones included, as the
//!   scheduler's informer keeps every Pod but Succeeded and Failed ones) is `Too many pods`.
//! - **Score**: fewer non-terminating Pods is better (LeastAllocated with the scheduler's non-zero
//!   default requests, spreading ignoring terminating Pods); equal scores are broken uniformly at
//!   random, as `selectHost` samples among them, from the scheduler's own random stream — the k-th
//!   tied node in name order.
//! - **Unschedulable**: when no node fits, the Pod waits (kube-scheduler's unschedulable queue)
//!   and the caller records `FailedScheduling` with [`Scheduler::fit_error`]'s message; when a
//!   node that could not take a Pod can again (a Pod left it), every waiting Pod is tried again in
//!   the order it failed. kube-scheduler would first wait out the Pod's 1–10 s back-off and also
//!   retry every 5 minutes regardless; here the retry is immediate and only on such a change.
//!
//! Cost: a Pod change is O(log nodes) (a segment tree over the nodes in name order holding the
//! smallest score among nodes that fit and how many nodes have it); a pick is O(log nodes).

use std::collections::BTreeMap;

use crate::model::{Node, Pod, PodPhase, MAX_PODS_PER_NODE, TAINT_NOT_READY};
use crate::rng::Rng;

/// The score of a node that does not fit (filtered out).
const UNFIT: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
struct NodeInfo {
    /// Index among the nodes in name order (valid when the tree is not dirty).
    slot: usize,
    /// Pods assigned here and not finished, Terminating ones included: what `pods: 110` limits.
    pods: u32,
    /// Of those, the ones not terminating: the score (fewer is better).
    load: u32,
    ready: bool,
}

impl NodeInfo {
    fn key(&self) -> u32 {
        if !self.ready || self.pods >= MAX_PODS_PER_NODE {
            UNFIT
        } else {
            self.load
        }
    }
}

/// The node picked for a Pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    pub node: String,
    /// How many nodes shared the best score.
    pub ties: u32,
}

/// kube-scheduler's cache and queue of unschedulable Pods.
#[derive(Clone, Debug, Default)]
pub struct Scheduler {
    nodes: BTreeMap<String, NodeInfo>,
    /// Node names by slot, in name order.
    names: Vec<String>,
    /// Segment tree over slots: (best key in the subtree, how many leaves have it).
    tree: Vec<(u32, u32)>,
    leaves: usize,
    /// Nodes were added or removed: slots and tree are rebuilt before the next use.
    dirty: bool,
    /// Nodes whose network is not ready (tainted).
    not_ready: usize,
    /// Pods waiting for room, in the order they failed.
    waiting: BTreeMap<u64, (String, String)>,
    waiting_at: BTreeMap<(String, String), u64>,
    seq: u64,
}

/// What a Pod costs the node it is assigned to: (node, counts in the score).
fn footprint(p: &Pod) -> Option<(&str, bool)> {
    let node = p.spec.node_name.as_deref()?;
    if matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) {
        return None;
    }
    Some((node, !p.is_terminating()))
}

impl Scheduler {
    /// How many nodes the cache holds, ready or not.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// A Node was added, changed or removed.
    pub fn node_changed(&mut self, old: Option<&Node>, new: Option<&Node>) {
        match (old, new) {
            (_, Some(n)) => {
                let ready = n.network_ready();
                let before = self.nodes.get(n.meta.name.as_str()).map(|i| i.ready);
                if before == Some(false) {
                    self.not_ready -= 1;
                }
                if !ready {
                    self.not_ready += 1;
                }
                let info = self.nodes.entry(n.meta.name.to_string()).or_default();
                info.ready = ready;
                if before.is_none() {
                    self.dirty = true;
                } else {
                    let (slot, key) = (info.slot, info.key());
                    self.set_leaf(slot, key);
                }
            }
            (Some(n), None) => {
                if let Some(info) = self.nodes.remove(n.meta.name.as_str()) {
                    if !info.ready {
                        self.not_ready -= 1;
                    }
                    self.dirty = true;
                }
            }
            (None, None) => {}
        }
    }

    /// A Pod was created, changed or removed. Returns true when a node that could not take a Pod
    /// now can: the waiting Pods should be tried again.
    pub fn pod_changed(&mut self, old: Option<&Pod>, new: Option<&Pod>) -> bool {
        let before = old.and_then(footprint);
        let after = new.and_then(footprint);
        if let Some(p) = new.filter(|p| p.spec.node_name.is_some() || p.is_terminating()) {
            self.forget(&p.meta.namespace, &p.meta.name);
        }
        if new.is_none() {
            if let Some(p) = old {
                self.forget(&p.meta.namespace, &p.meta.name);
            }
        }
        if before == after {
            return false;
        }
        let was_unfit = |s: &Self, n: Option<(&str, bool)>| n.and_then(|(n, _)| s.nodes.get(n)).map(|i| i.key() == UNFIT);
        let unfit_before = (was_unfit(self, before), was_unfit(self, after));
        if let Some((node, scored)) = before {
            self.adjust(node, -1, if scored { -1 } else { 0 });
        }
        if let Some((node, scored)) = after {
            self.adjust(node, 1, if scored { 1 } else { 0 });
        }
        let unfit_after = (was_unfit(self, before), was_unfit(self, after));
        let freed = |b: Option<bool>, a: Option<bool>| b == Some(true) && a == Some(false);
        freed(unfit_before.0, unfit_after.0) || freed(unfit_before.1, unfit_after.1)
    }

    /// Change a node's counts.
    fn adjust(&mut self, node: &str, pods: i64, load: i64) {
        let Some(info) = self.nodes.get_mut(node) else { return };
        info.pods = u32::try_from((i64::from(info.pods) + pods).max(0)).unwrap_or(0);
        info.load = u32::try_from((i64::from(info.load) + load).max(0)).unwrap_or(0);
        let (slot, key) = (info.slot, info.key());
        self.set_leaf(slot, key);
    }

    fn set_leaf(&mut self, slot: usize, key: u32) {
        if self.dirty || slot >= self.leaves {
            return;
        }
        let mut i = self.leaves + slot;
        self.tree[i] = (key, 1);
        while i > 1 {
            i /= 2;
            self.tree[i] = merge(self.tree[2 * i], self.tree[2 * i + 1]);
        }
    }

    fn rebuild(&mut self) {
        self.names = self.nodes.keys().cloned().collect();
        self.leaves = self.names.len().next_power_of_two().max(1);
        self.tree = vec![(UNFIT, 0); 2 * self.leaves];
        for (slot, info) in self.nodes.values_mut().enumerate() {
            info.slot = slot;
            self.tree[self.leaves + slot] = (info.key(), 1);
        }
        for i in (1..self.leaves).rev() {
            self.tree[i] = merge(self.tree[2 * i], self.tree[2 * i + 1]);
        }
        self.dirty = false;
    }

    /// The least-loaded node that fits, ties broken by `rng`; `None` if no node fits.
    pub fn pick(&mut self, rng: &mut Rng) -> Option<Pick> {
        if self.dirty {
            self.rebuild();
        }
        let (best, ties) = *self.tree.get(1)?;
        if best == UNFIT || ties == 0 {
            return None;
        }
        let mut k = u32::try_from(rng.below(u64::from(ties))).unwrap_or(0);
        let mut i = 1;
        while i < self.leaves {
            let (lk, lc) = self.tree[2 * i];
            if lk == best && k < lc {
                i *= 2;
            } else {
                if lk == best {
                    k -= lc;
                }
                i = 2 * i + 1;
            }
        }
        let node = self.names.get(i - self.leaves)?.clone();
        Some(Pick { node, ties })
    }

    /// kube-scheduler's `FitError` when no node fits (v1.32 `FitError.Error()`: the filter
    /// reasons' histogram, then the default preemption's own — every Pod here has priority 0, so
    /// a full node has no victims and a tainted one is not worth preempting on).
    pub fn fit_error(&self) -> String {
        let total = self.nodes.len();
        let tainted = self.not_ready;
        let full = total.saturating_sub(tainted);
        let mut filter = Vec::new();
        let mut preemption = Vec::new();
        if full > 0 {
            filter.push(format!("{full} Too many pods"));
            preemption.push(format!("{full} No preemption victims found for incoming pod"));
        }
        if tainted > 0 {
            filter.push(format!("{tainted} node(s) had untolerated taint {{{TAINT_NOT_READY}: }}"));
            preemption.push(format!("{tainted} Preemption is not helpful for scheduling"));
        }
        filter.sort();
        preemption.sort();
        format!(
            "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
            filter.join(", "),
            preemption.join(", ")
        )
    }

    /// A Pod found no node: it waits for room (kept in the order it first failed).
    pub fn wait(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        if self.waiting_at.contains_key(&key) {
            return;
        }
        self.seq += 1;
        self.waiting.insert(self.seq, key.clone());
        self.waiting_at.insert(key, self.seq);
    }

    fn forget(&mut self, ns: &str, name: &str) {
        if self.waiting.is_empty() {
            return;
        }
        if let Some(seq) = self.waiting_at.remove(&(ns.to_string(), name.to_string())) {
            self.waiting.remove(&seq);
        }
    }

    /// The Pods waiting for room, in the order they failed.
    pub fn waiting(&self) -> impl Iterator<Item = &(String, String)> {
        self.waiting.values()
    }

    /// How many Pods wait for room.
    pub fn waiting_len(&self) -> usize {
        self.waiting.len()
    }

    /// Pods the scheduler counts on `node` (assigned, not finished), if it knows the node.
    pub fn pods_on(&self, node: &str) -> Option<u32> {
        self.nodes.get(node).map(|n| n.pods)
    }
}

fn merge(a: (u32, u32), b: (u32, u32)) -> (u32, u32) {
    match a.0.cmp(&b.0) {
        std::cmp::Ordering::Less => a,
        std::cmp::Ordering::Greater => b,
        std::cmp::Ordering::Equal => (a.0, a.1 + b.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectMeta, PodSpec, PodStatus};
    use std::net::Ipv4Addr;

    fn node(name: &str, ready: bool) -> Node {
        Node {
            meta: ObjectMeta {
                name: name.into(),
                ..Default::default()
            },
            internal_ip: Ipv4Addr::LOCALHOST,
            pod_cidr: ready.then_some((Ipv4Addr::new(10, 244, 0, 0), 24)),
            control_plane: false,
            system: Default::default(),
        }
    }

    fn pod(name: &str, node: Option<&str>) -> Pod {
        Pod {
            meta: ObjectMeta {
                name: name.into(),
                namespace: "d".into(),
                ..Default::default()
            },
            spec: PodSpec {
                node_name: node.map(str::to_string),
                ..Default::default()
            }
            .into(),
            status: PodStatus::default(),
        }
    }

    /// The reference: the old O(pods × nodes) count, least loaded, k-th tie in name order.
    fn reference(load: &BTreeMap<String, u32>, rng: &mut Rng) -> Option<String> {
        let min = load.values().min()?;
        let ties: Vec<&String> = load.iter().filter(|(_, c)| *c == min).map(|(n, _)| n).collect();
        Some(ties[rng.below(ties.len() as u64) as usize].clone())
    }

    #[test]
    fn picks_as_the_full_recount_did() {
        let mut s = Scheduler::default();
        let names: Vec<String> = (0..37).map(crate::cluster::node_name).collect();
        for n in &names {
            s.node_changed(None, Some(&node(n, true)));
        }
        let mut load: BTreeMap<String, u32> = names.iter().map(|n| (n.clone(), 0)).collect();
        let (mut a, mut b) = (Rng::new(9), Rng::new(9));
        let mut mix = Rng::new(3);
        let mut placed: Vec<(String, String)> = Vec::new();
        for i in 0..2_000 {
            if !placed.is_empty() && mix.below(3) == 0 {
                let (p, n) = placed.swap_remove(mix.below(placed.len() as u64) as usize);
                s.pod_changed(Some(&pod(&p, Some(&n))), None);
                *load.get_mut(&n).unwrap() -= 1;
                continue;
            }
            let got = s.pick(&mut a).map(|p| p.node);
            let want = reference(&load, &mut b);
            assert_eq!(got, want);
            let n = got.unwrap();
            let name = format!("p{i}");
            s.pod_changed(Some(&pod(&name, None)), Some(&pod(&name, Some(&n))));
            *load.get_mut(&n).unwrap() += 1;
            placed.push((name, n));
        }
    }

    #[test]
    fn full_and_tainted_nodes_are_filtered_with_upstream_words() {
        let mut s = Scheduler::default();
        s.node_changed(None, Some(&node("a", true)));
        s.node_changed(None, Some(&node("b", false)));
        let mut rng = Rng::new(1);
        for i in 0..MAX_PODS_PER_NODE {
            let p = s.pick(&mut rng).expect("room on a");
            assert_eq!(p.node, "a");
            s.pod_changed(None, Some(&pod(&i.to_string(), Some("a"))));
        }
        assert_eq!(s.pick(&mut rng), None);
        assert_eq!(
            s.fit_error(),
            "0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
        );
        s.wait("d", "late");
        // A Terminating Pod still holds its place; only its removal frees it.
        let mut t = pod("0", Some("a"));
        t.meta.deletion = Some(crate::time::SimTime(1));
        assert!(!s.pod_changed(Some(&pod("0", Some("a"))), Some(&t)));
        assert_eq!(s.pick(&mut rng), None);
        assert!(s.pod_changed(Some(&t), None));
        assert_eq!(s.waiting().count(), 1);
        assert_eq!(s.pick(&mut rng).map(|p| p.node).as_deref(), Some("a"));
        s.pod_changed(Some(&pod("late", None)), Some(&pod("late", Some("a"))));
        assert_eq!(s.waiting_len(), 0);
    }
}
