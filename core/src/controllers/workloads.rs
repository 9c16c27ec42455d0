//! The Deployment and ReplicaSet controllers.
//!
//! A Deployment owns one ReplicaSet per Pod template, named `<deployment>-<pod-template-hash>`
//! where the hash is FNV-32a of the template, printed in decimal and passed through
//! `SafeEncodeString` (so it only uses `bcdf456789`). A ReplicaSet keeps `replicas` Pods named
//! `<replicaset>-<5 random chars>`; terminating Pods do not count, so a deleted Pod is replaced at
//! once. On a template change the Deployment rolls (rolling.go): the new ReplicaSet grows within
//! maxSurge, old ones shrink as new Pods become available within maxUnavailable (25% each), one
//! step per sync, so the rollout advances as Pods become Ready in simulated time.

use super::context::Ctx;
use crate::informers::Work;
use crate::model::*;
use crate::rng::{fnv32a, safe_encode_string};
use crate::trace::{Controller, Element, Route, ScaleReason, What};
use compact_str::ToCompactString;

/// `controller.ComputeHash`: FNV-32a over the template (and the collision count), encoded.
pub fn pod_template_hash(t: &PodTemplate, collision_count: u32) -> String {
    let mut text = format!("{t:?}");
    if collision_count > 0 {
        text.push_str(&collision_count.to_string());
    }
    safe_encode_string(&fnv32a(text.as_bytes()).to_string())
}

/// `EqualIgnoreHash`: two Pod templates are the same but for the `pod-template-hash` label.
pub fn equal_ignore_hash(a: &PodTemplate, b: &PodTemplate) -> bool {
    let without = |l: &Labels| l.iter().filter(|(k, _)| *k != POD_TEMPLATE_HASH).count();
    let same_labels = without(&a.labels) == without(&b.labels)
        && a.labels
            .iter()
            .filter(|(k, _)| *k != POD_TEMPLATE_HASH)
            .all(|(k, v)| b.labels.get(k) == Some(v));
    same_labels && a.annotations == b.annotations && a.spec == b.spec
}

/// The label a Deployment's ReplicaSets and Pods carry their template's hash in.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// Objects of `kind` owned by `uid`, through the store's owner index (no namespace scan).
fn owned_by<'a>(store: &'a crate::api::Store, kind: Kind, uid: &Uid) -> Vec<&'a Object> {
    store.owned_by(uid).filter(|o| o.kind() == kind).collect()
}

/// The Deployment controller (`pkg/controller/deployment`): each sync reads the Deployment and
/// the ReplicaSets it owns and takes one rolling-update step. Its only state is a memo of each
/// Deployment's pod-template-hash: upstream recomputes it every sync, which here (a Debug print
/// of the template, then FNV-32a) cost more than the rest of a status-only sync. The memo keeps
/// the template it hashed and is used only while the Deployment's is equal to it, so it can
/// never answer for a changed template; a Deployment that is gone drops its entry.
#[derive(Clone, Debug, Default)]
pub(crate) struct DeploymentController {
    /// (namespace, name) → the template hashed, its collision count, the hash.
    hashes: std::collections::HashMap<(String, String), Hashed, FixedHash>,
}

/// A memo entry: the template hashed (shared with the Deployment), its collision count, the hash.
type Hashed = (std::sync::Arc<PodTemplate>, u32, String);

/// What the Deployment controller needs of an owned ReplicaSet, read once from the store.
struct RsView {
    name: String,
    creation: crate::time::SimTime,
    replicas: i64,
    available: i64,
    revision: i64,
}

impl RsView {
    fn of(r: &ReplicaSet) -> RsView {
        RsView {
            name: r.meta.name.to_string(),
            creation: r.meta.creation,
            replicas: r.replicas,
            available: r.status.available,
            revision: revision(r),
        }
    }
}

impl DeploymentController {
    /// [`pod_template_hash`] of `dep`'s template, from the memo while the template is the one
    /// it hashed.
    fn hash_of(&mut self, dep: &Deployment) -> String {
        let key = (dep.meta.namespace.to_string(), dep.meta.name.to_string());
        if let Some((t, c, h)) = self.hashes.get(&key) {
            if *c == dep.collision_count && (std::sync::Arc::ptr_eq(t, &dep.template) || *t == dep.template) {
                return h.clone();
            }
        }
        let h = pod_template_hash(&dep.template, dep.collision_count);
        self.hashes.insert(key, (dep.template.clone(), dep.collision_count, h.clone()));
        h
    }

    pub(crate) fn reconcile(&mut self, ctx: &mut Ctx, ns: &str, name: &str) {
        let Some(Object::Deployment(dep)) = ctx.store().get(&ObjKey::new(Kind::Deployment, ns, name)).cloned() else {
            self.hashes.remove(&(ns.to_string(), name.to_string()));
            return;
        };
        let hash = self.hash_of(&dep);
        let rs_name = format!("{name}-{hash}");
        // The ReplicaSets as summaries, old ones oldest first
        // (`controller.ReplicaSetsByCreationTimestamp`); one that is written is read again.
        // `FindNewReplicaSet` (deployment/util/deployment_util.go): the oldest owned ReplicaSet
        // whose template is the Deployment's, the pod-template-hash label aside
        // (`EqualIgnoreHash`). The one named by this controller's hash has that template; one
        // named by another hash function (an imported cluster's) is found by comparing, so it
        // is adopted rather than rolled away from.
        let owned: Vec<&ReplicaSet> = owned_by(ctx.store(), Kind::ReplicaSet, &dep.meta.uid)
            .into_iter()
            .filter_map(|o| match o {
                Object::ReplicaSet(r) => Some(r),
                _ => None,
            })
            .collect();
        let rs_name = if owned.iter().any(|r| r.meta.name == rs_name) {
            rs_name
        } else {
            owned
                .iter()
                .filter(|r| equal_ignore_hash(&r.template, &dep.template))
                .min_by(|a, b| (a.meta.creation, &a.meta.name).cmp(&(b.meta.creation, &b.meta.name)))
                .map_or(rs_name, |r| r.meta.name.to_string())
        };
        let mut olds: Vec<RsView> = Vec::new();
        let mut new_view: Option<RsView> = None;
        for r in owned {
            if r.meta.name == rs_name {
                new_view = Some(RsView::of(r));
            } else {
                olds.push(RsView::of(r));
            }
        }
        let rs_key = ObjKey::new(Kind::ReplicaSet, ns, &rs_name);
        // The new ReplicaSet as read before this pass wrote it (see the quirk below).
        let read_new = |ctx: &Ctx, stale: &mut Option<ReplicaSet>| match stale.take() {
            Some(rs) => Some(rs),
            None => match ctx.store().get(&rs_key) {
                Some(Object::ReplicaSet(r)) => Some(r.clone()),
                _ => None,
            },
        };
        olds.sort_by(|a, b| (a.creation, &a.name).cmp(&(b.creation, &b.name)));
        let old_total: i64 = olds.iter().map(|r| r.replicas).sum();
        let replicas = dep.replicas.max(0);
        let (max_surge, max_unavailable) = rolling_fenceposts(replicas);
        // `deployment.kubernetes.io/revision`: the new ReplicaSet's is one more than any old one's
        // (a rollback to an old template renumbers that ReplicaSet).
        let max_old_revision = olds.iter().map(|r| r.revision).max().unwrap_or(0);
        let mut new_revision = max_old_revision + 1;
        let mut stale: Option<ReplicaSet> = None;
        if let Some(view) = &new_view {
            if view.revision > max_old_revision {
                new_revision = view.revision;
            } else if let Some(before) = read_new(ctx, &mut None) {
                let mut rs = before.clone();
                std::sync::Arc::make_mut(&mut rs.meta.annotations).insert(REVISION.into(), new_revision.to_compact_string());
                ctx.put_quiet(Object::ReplicaSet(rs));
                stale = Some(before);
            }
        }
        match new_view {
            None => {
                // `NewRSNewReplicas` with no new ReplicaSet yet: as many as the surge allows.
                let max_total = replicas + max_surge;
                let count = if old_total >= max_total {
                    0
                } else {
                    (max_total - old_total).min(replicas)
                };
                create_replicaset(ctx, &dep, &rs_name, &hash, count, new_revision);
            }
            Some(new_view) => {
                // `reconcileNewReplicaSet`, then `reconcileOldReplicaSets` (rolling.go); each
                // write re-queues this Deployment, so one step per pass, as the controller.
                // Known quirk, kept so every transcript stays as it is: the new ReplicaSet a
                // scale writes is the version read before the revision annotation above was
                // renumbered (`stale`), so a scale in this same pass writes the old revision
                // back (the next pass renumbers it again).
                let (new_replicas, new_available) = (new_view.replicas, new_view.available);
                let scaled = if new_replicas > replicas {
                    read_new(ctx, &mut stale).is_some_and(|rs| scale_replicaset(ctx, &dep, rs, replicas, ScaleReason::ReplicasDown))
                } else if new_replicas < replicas {
                    let current = old_total + new_replicas;
                    let max_total = replicas + max_surge;
                    let count = if current >= max_total {
                        new_replicas
                    } else {
                        new_replicas + (max_total - current).min(replicas - new_replicas)
                    };
                    let why = if old_total > 0 {
                        ScaleReason::SurgeNew
                    } else {
                        ScaleReason::ReplicasUp
                    };
                    count != new_replicas && read_new(ctx, &mut stale).is_some_and(|rs| scale_replicaset(ctx, &dep, rs, count, why))
                } else {
                    false
                };
                if !scaled && old_total > 0 {
                    reconcile_old_replicasets(ctx, &dep, olds, (new_replicas, new_available), max_unavailable);
                }
            }
        }
        // Status: sums over every owned ReplicaSet.
        let mut st = WorkloadStatus::default();
        for o in owned_by(ctx.store(), Kind::ReplicaSet, &dep.meta.uid) {
            if let Object::ReplicaSet(r) = o {
                st.replicas += r.status.replicas;
                st.ready += r.status.ready;
                st.available += r.status.available;
                if r.meta.name == rs_name {
                    st.updated = r.status.replicas;
                }
            }
        }
        let rev = new_revision.to_string();
        if st != dep.status || dep.meta.annotations.get(REVISION) != Some(&rev) {
            let mut dep = dep;
            dep.status = st;
            std::sync::Arc::make_mut(&mut dep.meta.annotations).insert(REVISION.into(), rev.into());
            // Status writes do not re-trigger this controller's spec logic (same result).
            ctx.put_quiet(Object::Deployment(dep));
        }
    }
}

/// `reconcileOldReplicaSets`: scale old ReplicaSets down as far as maxUnavailable allows,
/// unhealthy replicas first (`cleanupUnhealthyReplicas`), then oldest first
/// (`scaleDownOldReplicaSetsForRollingUpdate`). `new_rs` is the new ReplicaSet's
/// (replicas, available).
fn reconcile_old_replicasets(ctx: &mut Ctx, dep: &Deployment, mut olds: Vec<RsView>, new_rs: (i64, i64), max_unavailable: i64) {
    let (new_replicas, new_available) = new_rs;
    let replicas = dep.replicas.max(0);
    let min_available = replicas - max_unavailable;
    let old_total: i64 = olds.iter().map(|r| r.replicas).sum();
    let all = old_total + new_replicas;
    let new_unavailable = new_replicas - new_available;
    let max_scaled_down = all - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return;
    }
    let mut cleaned = 0;
    for rs in olds.iter_mut() {
        if cleaned >= max_scaled_down {
            break;
        }
        if rs.replicas == 0 || rs.available >= rs.replicas {
            continue;
        }
        let n = (max_scaled_down - cleaned).min(rs.replicas - rs.available);
        let to = rs.replicas - n;
        scale_old(ctx, dep, &rs.name, to, ScaleReason::UnhealthyOld);
        rs.replicas = to;
        cleaned += n;
    }
    let available: i64 = olds.iter().map(|r| r.available).sum::<i64>() + new_available;
    if available <= min_available {
        return;
    }
    let total = available - min_available;
    let mut done = 0;
    for rs in olds {
        if done >= total {
            break;
        }
        if rs.replicas == 0 {
            continue;
        }
        let n = rs.replicas.min(total - done);
        let to = rs.replicas - n;
        scale_old(ctx, dep, &rs.name, to, ScaleReason::RetireOld);
        done += n;
    }
}

/// Scale the old ReplicaSet `name`, as the store has it now.
fn scale_old(ctx: &mut Ctx, dep: &Deployment, name: &str, to: i64, why: ScaleReason) {
    let key = ObjKey::new(Kind::ReplicaSet, &dep.meta.namespace, name);
    if let Some(Object::ReplicaSet(rs)) = ctx.store().get(&key).cloned() {
        scale_replicaset(ctx, dep, rs, to, why);
    }
}

/// `scaleReplicaSetAndRecordEvent`. Returns whether anything changed.
fn scale_replicaset(ctx: &mut Ctx, dep: &Deployment, mut rs: ReplicaSet, to: i64, why: ScaleReason) -> bool {
    if rs.replicas == to {
        return false;
    }
    let op = if to > rs.replicas { "up" } else { "down" };
    let msg = format!("Scaled {op} replica set {} to {to} from {}", rs.meta.name, rs.replicas);
    let rs_key = ObjKey::new(Kind::ReplicaSet, &rs.meta.namespace, &rs.meta.name);
    ctx.record(
        What::ReplicaSetScaled {
            deployment: dep.meta_key(),
            replicaset: rs_key,
            from: rs.replicas,
            to,
            reason: why,
        },
        Route::new(
            Element::Controller(Controller::Deployment),
            Element::Controller(Controller::ReplicaSet),
        ),
    );
    ctx.event(&dep.meta_key(), &dep.meta.uid, "ScalingReplicaSet", msg, "deployment-controller");
    rs.replicas = to;
    ctx.write(Object::ReplicaSet(rs));
    true
}

fn create_replicaset(ctx: &mut Ctx, dep: &Deployment, rs_name: &str, hash: &str, count: i64, rev: i64) {
    let ns = dep.meta.namespace.clone();
    let name = dep.meta.name.clone();
    let mut labels = dep.template.labels.clone();
    labels.insert("pod-template-hash".into(), hash.to_compact_string());
    let mut selector = dep.selector.clone();
    std::sync::Arc::make_mut(&mut selector)
        .match_labels
        .insert("pod-template-hash".into(), hash.to_compact_string());
    let mut template = dep.template.clone();
    std::sync::Arc::make_mut(&mut template).labels = labels.clone();
    let uid = ctx.new_uid();
    let rs = ReplicaSet {
        meta: ObjectMeta {
            name: rs_name.into(),
            namespace: ns.clone(),
            labels: labels.into(),
            annotations: [(REVISION.to_string(), rev.to_string())].into_iter().collect::<Labels>().into(),
            uid,
            creation: ctx.now(),
            generation: 1,
            owner: Some(OwnerRef {
                kind: Kind::Deployment,
                name,
                uid: dep.meta.uid.clone(),
            }),
            ..Default::default()
        },
        replicas: count,
        selector,
        template,
        status: WorkloadStatus::default(),
    };
    ctx.record(
        What::ReplicaSetCreated {
            deployment: dep.meta_key(),
            replicaset: ObjKey::new(Kind::ReplicaSet, &ns, rs_name),
            replicas: count,
            pod_template_hash: CompactString::new(hash),
        },
        Route::new(Element::Controller(Controller::Deployment), Element::ApiServer),
    );
    ctx.write(Object::ReplicaSet(rs));
    if count > 0 {
        ctx.event(
            &dep.meta_key(),
            &dep.meta.uid,
            "ScalingReplicaSet",
            format!("Scaled up replica set {rs_name} to {count}"),
            "deployment-controller",
        );
    }
}

/// The ReplicaSet controller (`pkg/controller/replicaset`): no state of its own; each sync
/// counts the ReplicaSet's Pods and creates or deletes the difference.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ReplicaSetController;

impl ReplicaSetController {
    pub(crate) fn reconcile(&mut self, ctx: &mut Ctx, ns: &str, name: &str) {
        let Some(Object::ReplicaSet(rs)) = ctx.store().get(&ObjKey::new(Kind::ReplicaSet, ns, name)).cloned() else {
            return;
        };
        let want = rs.replicas.max(0) as usize;
        // Counted by the store's index as Pods are written: a sync that creates the next burst
        // of a big ReplicaSet does not walk the ones it made before.
        let have = ctx.store().pod_counts(&rs.meta.uid).0;
        if have < want {
            // `burstReplicas`: the rest in the next sync.
            let n = (want - have).min(crate::limits::BURST_REPLICAS);
            let nodes = ctx.scheduler().node_count();
            let bound = crate::limits::max_store_objects(nodes);
            for _ in 0..n {
                if ctx.store().len() >= bound {
                    let pod = format!("{}-", rs.meta.name);
                    let s = if nodes == 1 { "" } else { "s" };
                    ctx.warning(
                        &ObjKey::new(Kind::ReplicaSet, ns, name),
                        &rs.meta.uid,
                        "FailedCreate",
                        format!(
                            "Error creating: pods \"{pod}\" is forbidden: sdplay holds at most {bound} objects with {nodes} node{s} (twice the Pods the nodes can run, from {} to {})",
                            crate::limits::MIN_STORE_OBJECTS,
                            crate::limits::MAX_STORE_OBJECTS
                        ),
                        "replicaset-controller",
                    );
                    return;
                }
                create_pod_for(ctx, &rs);
            }
            if want - have > n {
                ctx.enqueue(Work::ReplicaSet(ns.into(), name.into()));
            }
        } else if have > want {
            // The active Pods, as kubectl's deletion ranking sees them: unscheduled, then not
            // ready, then the newest go first (only the names are kept, no Pod is copied).
            let mut active: Vec<(bool, bool, std::cmp::Reverse<crate::time::SimTime>, &str)> =
                owned_by(ctx.store(), Kind::Pod, &rs.meta.uid)
                    .into_iter()
                    .filter_map(|o| match o {
                        Object::Pod(p) if !p.is_terminating() => Some((
                            p.spec.node_name.is_some(),
                            p.status.ready,
                            std::cmp::Reverse(p.meta.creation),
                            p.meta.name.as_str(),
                        )),
                        _ => None,
                    })
                    .collect();
            active.sort_by_key(|(scheduled, ready, newest, _)| (*scheduled, *ready, *newest));
            let names: Vec<String> = active.iter().take(have - want).map(|(.., n)| n.to_string()).collect();
            for n in names {
                if let Some(p) = ctx.store().pod(ns, &n).cloned() {
                    ctx.record(
                        What::PodDeleted {
                            replicaset: ObjKey::new(Kind::ReplicaSet, ns, name),
                            pod: ObjKey::new(Kind::Pod, ns, &n),
                            wanted: want,
                        },
                        Route::new(Element::Controller(Controller::ReplicaSet), Element::pod(ns, &n)),
                    );
                    ctx.event(
                        &ObjKey::new(Kind::ReplicaSet, ns, name),
                        &rs.meta.uid,
                        "SuccessfulDelete",
                        format!("Deleted pod: {n}"),
                        "replicaset-controller",
                    );
                    super::kubelet::terminate_pod(ctx, p);
                }
            }
        }
        let (count, ready) = ctx.store().pod_counts(&rs.meta.uid);
        let (count, ready) = (count as i64, ready as i64);
        let st = WorkloadStatus {
            replicas: count,
            ready,
            available: ready,
            updated: count,
        };
        if st != rs.status {
            let mut rs = rs;
            rs.status = st;
            let owner = rs.meta.owner.as_ref().map(|o| o.name.clone());
            ctx.put_quiet(Object::ReplicaSet(rs));
            if let Some(o) = owner {
                ctx.enqueue(Work::Deployment(ns.into(), o));
            }
        }
    }
}

fn create_pod_for(ctx: &mut Ctx, rs: &ReplicaSet) {
    let ns = rs.meta.namespace.clone();
    let name = ctx.generate_name(Kind::Pod, &ns, &format!("{}-", rs.meta.name));
    let uid = ctx.new_uid();
    let pod = Pod {
        meta: ObjectMeta {
            name: CompactString::new(&name),
            namespace: ns.clone(),
            labels: rs.template.labels.clone().into(),
            annotations: rs.template.annotations.clone().into(),
            uid,
            creation: ctx.now(),
            owner: Some(OwnerRef {
                kind: Kind::ReplicaSet,
                name: rs.meta.name.clone(),
                uid: rs.meta.uid.clone(),
            }),
            ..Default::default()
        },
        spec: rs.template.spec.clone().into(),
        status: PodStatus::default(),
    };
    ctx.record(
        What::PodCreated {
            replicaset: ObjKey::new(Kind::ReplicaSet, &ns, &rs.meta.name),
            pod: ObjKey::new(Kind::Pod, &ns, &name),
        },
        Route::new(Element::Controller(Controller::ReplicaSet), Element::pod(&ns, &name)),
    );
    ctx.write(Object::Pod(pod));
    ctx.event(
        &ObjKey::new(Kind::ReplicaSet, &ns, &rs.meta.name),
        &rs.meta.uid,
        "SuccessfulCreate",
        format!("Created pod: {name}"),
        "replicaset-controller",
    );
}

const REVISION: &str = "deployment.kubernetes.io/revision";

fn revision(rs: &ReplicaSet) -> i64 {
    rs.meta.annotations.get(REVISION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// `ResolveFenceposts` for the default 25% / 25%: surge rounds up, unavailable down, and both
/// zero becomes one unavailable. Unavailable never exceeds replicas (`MaxUnavailable`).
pub fn rolling_fenceposts(replicas: i64) -> (i64, i64) {
    let surge = (replicas * 25 + 99) / 100;
    let mut unavailable = replicas * 25 / 100;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable.min(replicas.max(0)))
}

trait MetaKey {
    fn meta_key(&self) -> ObjKey;
}

impl MetaKey for Deployment {
    fn meta_key(&self) -> ObjKey {
        ObjKey::new(Kind::Deployment, &self.meta.namespace, &self.meta.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_uses_safe_alphabet() {
        let t = PodTemplate {
            labels: Labels::new(),
            annotations: Labels::new(),
            spec: PodSpec::default(),
        };
        let h = pod_template_hash(&t, 0);
        assert!(!h.is_empty() && h.len() <= 10);
        assert!(h.chars().all(|c| "bcdf456789".contains(c)), "{h}");
        assert_ne!(h, pod_template_hash(&t, 1));
    }
}
