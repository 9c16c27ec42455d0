//! The Deployment and ReplicaSet controllers.
//!
//! A Deployment owns one ReplicaSet per Pod template, named `<deployment>-<pod-template-hash>`
//! where the hash is FNV-32a of the template, printed in decimal and passed through
//! `SafeEncodeString` (so it only uses `bcdf456789`). A ReplicaSet keeps `replicas` Pods named
//! `<replicaset>-<5 random chars>`; terminating Pods do not count, so a deleted Pod is replaced at
//! once. On a template change the new ReplicaSet is scaled up and old ones down to zero.

use crate::cluster::Cluster;
use crate::model::*;
use crate::rng::{fnv32a, safe_encode_string};
use crate::trace::Step;

/// `controller.ComputeHash`: FNV-32a over the template (and the collision count), encoded.
pub fn pod_template_hash(t: &PodTemplate, collision_count: u32) -> String {
    let mut text = format!("{t:?}");
    if collision_count > 0 {
        text.push_str(&collision_count.to_string());
    }
    safe_encode_string(&fnv32a(text.as_bytes()).to_string())
}

fn owned_by<'a>(it: impl Iterator<Item = &'a Object>, uid: &str) -> Vec<&'a Object> {
    it.filter(|o| o.meta().owner.as_ref().is_some_and(|r| r.uid == uid)).collect()
}

impl Cluster {
    pub(crate) fn reconcile_deployment(&mut self, ns: &str, name: &str) {
        let Some(Object::Deployment(dep)) = self.store.get(&ObjKey::new(Kind::Deployment, ns, name)).cloned() else {
            return;
        };
        let hash = pod_template_hash(&dep.template, dep.collision_count);
        let rs_name = format!("{name}-{hash}");
        let owned: Vec<ReplicaSet> = owned_by(self.store.list(Kind::ReplicaSet, Some(ns)), &dep.meta.uid)
            .into_iter()
            .filter_map(|o| match o {
                Object::ReplicaSet(r) => Some(r.clone()),
                _ => None,
            })
            .collect();
        let mut new_rs = owned.iter().find(|r| r.meta.name == rs_name).cloned();
        if new_rs.is_none() {
            let mut labels = dep.template.labels.clone();
            labels.insert("pod-template-hash".into(), hash.clone());
            let mut selector = dep.selector.clone();
            selector.match_labels.insert("pod-template-hash".into(), hash.clone());
            let mut template = dep.template.clone();
            template.labels = labels.clone();
            let uid = self.new_uid();
            let rs = ReplicaSet {
                meta: ObjectMeta {
                    name: rs_name.clone(),
                    namespace: ns.into(),
                    labels,
                    uid,
                    creation: self.now,
                    generation: 1,
                    owner: Some(OwnerRef {
                        kind: Kind::Deployment,
                        name: name.into(),
                        uid: dep.meta.uid.clone(),
                    }),
                    ..Default::default()
                },
                replicas: dep.replicas,
                selector,
                template,
                status: WorkloadStatus::default(),
            };
            self.emit(
                Step::Controller("deployment controller"),
                format!("deployment {name} creates replicaset {rs_name} with {} replicas", dep.replicas),
                format!("a ReplicaSet per Pod template; {hash} is the pod-template-hash (FNV-32a of the template)"),
                vec![dep.meta_key(), ObjKey::new(Kind::ReplicaSet, ns, &rs_name)],
            );
            self.write(Object::ReplicaSet(rs.clone()));
            if dep.replicas > 0 {
                self.event(
                    &dep.meta_key(),
                    &dep.meta.uid,
                    "ScalingReplicaSet",
                    format!("Scaled up replica set {rs_name} to {}", dep.replicas),
                    "deployment-controller",
                );
            }
            new_rs = Some(rs);
        } else if let Some(rs) = &new_rs {
            if rs.replicas != dep.replicas {
                let mut rs = rs.clone();
                self.emit(
                    Step::Controller("deployment controller"),
                    format!(
                        "deployment {name} scales replicaset {rs_name} from {} to {}",
                        rs.replicas, dep.replicas
                    ),
                    "the Deployment's replicas changed",
                    vec![dep.meta_key()],
                );
                self.event(
                    &dep.meta_key(),
                    &dep.meta.uid,
                    "ScalingReplicaSet",
                    format!(
                        "Scaled {} replica set {rs_name} to {} from {}",
                        if dep.replicas > rs.replicas { "up" } else { "down" },
                        dep.replicas,
                        rs.replicas
                    ),
                    "deployment-controller",
                );
                rs.replicas = dep.replicas;
                self.write(Object::ReplicaSet(rs.clone()));
                new_rs = Some(rs);
            }
        }
        for old in owned.iter().filter(|r| r.meta.name != rs_name && r.replicas != 0) {
            let mut old = old.clone();
            self.emit(
                Step::Controller("deployment controller"),
                format!("deployment {name} scales old replicaset {} to 0", old.meta.name),
                "the Pod template changed: the new ReplicaSet takes over",
                vec![dep.meta_key()],
            );
            self.event(
                &dep.meta_key(),
                &dep.meta.uid,
                "ScalingReplicaSet",
                format!("Scaled down replica set {} to 0 from {}", old.meta.name, old.replicas),
                "deployment-controller",
            );
            old.replicas = 0;
            self.write(Object::ReplicaSet(old));
        }
        // Status: sums over every owned ReplicaSet.
        let mut st = WorkloadStatus::default();
        for o in owned_by(self.store.list(Kind::ReplicaSet, Some(ns)), &dep.meta.uid) {
            if let Object::ReplicaSet(r) = o {
                st.replicas += r.status.replicas;
                st.ready += r.status.ready;
                st.available += r.status.available;
                if r.meta.name == rs_name {
                    st.updated = r.status.replicas;
                }
            }
        }
        let _ = new_rs;
        if st != dep.status {
            let mut dep = dep;
            dep.status = st;
            // Status writes do not re-trigger this controller's spec logic (same result).
            self.store.put(Object::Deployment(dep));
        }
    }

    pub(crate) fn reconcile_replicaset(&mut self, ns: &str, name: &str) {
        let Some(Object::ReplicaSet(rs)) = self.store.get(&ObjKey::new(Kind::ReplicaSet, ns, name)).cloned() else {
            return;
        };
        let pods: Vec<Pod> = owned_by(self.store.list(Kind::Pod, Some(ns)), &rs.meta.uid)
            .into_iter()
            .filter_map(|o| match o {
                Object::Pod(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        let active: Vec<&Pod> = pods.iter().filter(|p| !p.is_terminating()).collect();
        let want = rs.replicas.max(0) as usize;
        if active.len() < want {
            for _ in active.len()..want {
                self.create_pod_for(&rs);
            }
        } else if active.len() > want {
            // kubectl's ranking: unscheduled, then not ready, then the newest go first.
            let mut victims: Vec<&Pod> = active.clone();
            victims.sort_by_key(|p| (p.spec.node_name.is_some(), p.status.ready, std::cmp::Reverse(p.meta.creation)));
            let names: Vec<String> = victims.iter().take(active.len() - want).map(|p| p.meta.name.clone()).collect();
            for n in names {
                if let Some(p) = self.store.pod(ns, &n).cloned() {
                    self.emit(
                        Step::Controller("replicaset controller"),
                        format!("replicaset {name} deletes pod {n}"),
                        format!("it has more Pods than the {want} it wants"),
                        vec![ObjKey::new(Kind::Pod, ns, &n)],
                    );
                    self.event(
                        &ObjKey::new(Kind::ReplicaSet, ns, name),
                        &rs.meta.uid,
                        "SuccessfulDelete",
                        format!("Deleted pod: {n}"),
                        "replicaset-controller",
                    );
                    self.terminate_pod(p);
                }
            }
        }
        let pods: Vec<Pod> = owned_by(self.store.list(Kind::Pod, Some(ns)), &rs.meta.uid)
            .into_iter()
            .filter_map(|o| match o {
                Object::Pod(p) if !p.is_terminating() => Some(p.clone()),
                _ => None,
            })
            .collect();
        let ready = pods.iter().filter(|p| p.status.ready).count() as i64;
        let st = WorkloadStatus {
            replicas: pods.len() as i64,
            ready,
            available: ready,
            updated: pods.len() as i64,
        };
        if st != rs.status {
            let mut rs = rs;
            rs.status = st;
            let owner = rs.meta.owner.clone();
            self.store.put(Object::ReplicaSet(rs));
            if let Some(o) = owner {
                self.enqueue(crate::cluster::Work::Deployment(ns.into(), o.name));
            }
        }
    }

    fn create_pod_for(&mut self, rs: &ReplicaSet) {
        let ns = rs.meta.namespace.clone();
        let mut name;
        loop {
            name = format!("{}-{}", rs.meta.name, self.rng.string(5));
            if !self.store.contains(&ObjKey::new(Kind::Pod, &ns, &name)) {
                break;
            }
        }
        let uid = self.new_uid();
        let pod = Pod {
            meta: ObjectMeta {
                name: name.clone(),
                namespace: ns.clone(),
                labels: rs.template.labels.clone(),
                annotations: rs.template.annotations.clone(),
                uid,
                creation: self.now,
                owner: Some(OwnerRef {
                    kind: Kind::ReplicaSet,
                    name: rs.meta.name.clone(),
                    uid: rs.meta.uid.clone(),
                }),
                ..Default::default()
            },
            spec: rs.template.spec.clone(),
            status: PodStatus::default(),
        };
        self.emit(
            Step::Controller("replicaset controller"),
            format!("replicaset {} creates pod {name}", rs.meta.name),
            "Pod names are the ReplicaSet's name plus 5 random characters (generateName)",
            vec![ObjKey::new(Kind::Pod, &ns, &name)],
        );
        self.write(Object::Pod(pod));
        self.event(
            &ObjKey::new(Kind::ReplicaSet, &ns, &rs.meta.name),
            &rs.meta.uid,
            "SuccessfulCreate",
            format!("Created pod: {name}"),
            "replicaset-controller",
        );
    }
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
