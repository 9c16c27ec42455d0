//! The API server: the object store, admission, and the verbs kubectl uses (apply, create,
//! delete, get). Errors are [`ApiError`] values that render exactly as kubectl prints them.
//!
//! Registration steps 1–3 happen here: the POST (step 1), authentication, authorization and
//! admission including validation (step 2), and ClusterIP/NodePort allocation (step 3).
//! Everything after that is a controller reacting to the stored object (see `controllers`).

pub mod defaults;
pub mod server;
mod small_set;
pub mod validation;

pub(crate) use small_set::SmallSet;

pub use server::ApiServer;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::net::Ipv4Addr;

use crate::model::*;
use validation::FieldError;

/// The object store: a hash map from key to object (a lookup costs the same at 100 objects
/// and at 200,000) beside the ordered names of each kind and namespace (`Order`), so listing
/// a kind in a namespace is a walk of one sorted set. The map is never iterated (only the
/// ordered names are), and its hasher has fixed keys, so nothing depends on hash order.
///
/// Every write is also recorded in an undo log (the previous value of the key), so the page can
/// show the cluster as it was at any trace event ([`Store::state_at`]) without snapshots. The
/// log keeps the last [`Store::LOG_CAP`] changes; older states are no longer available.
///
/// Beside the objects it keeps the indexes the controllers' informers keep (`Indexes`), so no
/// reader scans a namespace or the cluster to find what one change concerns.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Boxed: a slot is a key and a pointer (64 bytes, not 656), so the table's spare capacity
    /// and its rehashes cost little; the object itself is allocated once, at its size.
    objects: HashMap<ObjKey, Box<Object>, FixedHash>,
    /// The keys of `objects`, in order (kind, namespace, name).
    order: Order,
    resource_version: u64,
    log: std::collections::VecDeque<(ObjKey, Option<Box<Object>>)>,
    /// The version of `log[0]` (how many changes were dropped from the front).
    log_base: u64,
    idx: Indexes,
    /// The wall clock of the API server's timestamps (`creationTimestamp` as printed).
    epoch: crate::time::Epoch,
}

/// One change of a [`Store`], as [`Store::changes_since`] lists it.
#[derive(Clone, Copy, Debug)]
pub struct Change<'a> {
    pub key: &'a ObjKey,
    pub before: Option<&'a Object>,
    pub after: Option<&'a Object>,
}

/// The store's keys in order (kind, namespace, name), one set of names per kind and
/// namespace: a write walks only its own namespace's names (24-byte keys, where a set of whole
/// keys compared and stored kind, namespace and name for every object), and listing a kind in
/// a namespace is a walk of one set.
#[derive(Clone, Debug, Default)]
struct Order(BTreeMap<Kind, BTreeMap<CompactString, BTreeSet<CompactString>>>);

impl Order {
    fn insert(&mut self, key: &ObjKey) {
        let by_ns = self.0.entry(key.kind).or_default();
        let names = match by_ns.get_mut(key.namespace.as_str()) {
            Some(n) => n,
            None => by_ns.entry(key.namespace.clone()).or_default(),
        };
        names.insert(key.name.clone());
    }

    fn remove(&mut self, key: &ObjKey) {
        let Some(by_ns) = self.0.get_mut(&key.kind) else { return };
        if let Some(names) = by_ns.get_mut(key.namespace.as_str()) {
            names.remove(key.name.as_str());
            if names.is_empty() {
                by_ns.remove(key.namespace.as_str());
            }
        }
        if by_ns.is_empty() {
            self.0.remove(&key.kind);
        }
    }
}

/// Secondary indexes of a [`Store`], kept in step with every write.
#[derive(Clone, Debug, Default)]
struct Indexes {
    /// Owner uid → the objects it owns (the controllers' index by controller reference), so a
    /// ReplicaSet finds its Pods without scanning its namespace.
    owned: HashMap<Uid, SmallSet<ObjKey>, FixedHash>,
    /// Owner uid → (its Pods that are not terminating, the ready ones among them): what a
    /// ReplicaSet's sync counts, kept per write so a sync need not walk thousands of Pods.
    pod_counts: HashMap<Uid, (usize, usize), FixedHash>,
    /// (namespace, label key, value) → names of the endpoint candidates carrying that label
    /// (Pods with an IP that have not ended: [`endpoint_candidate`]), so a Service's selector
    /// is answered from its rarest pair instead of a namespace scan, and Pods still waiting for
    /// a node or a sandbox cost an endpoints sync nothing.
    /// Nested (namespace → key → value) so a lookup borrows its strings.
    pod_labels: LabelIndex,
    /// (namespace, `kubernetes.io/service-name`) → the EndpointSlices of that Service, as
    /// kube-proxy's and CoreDNS's informers group them.
    /// Nested (namespace → Service) so a lookup borrows its strings.
    slices: HMap<CompactString, HMap<CompactString, SmallSet<CompactString>>>,
    /// An address → the Services that use it as ClusterIP, external IP or load-balancer IP
    /// (reverse lookups, the packet path).
    service_ips: HMap<Ipv4Addr, SmallSet<(CompactString, CompactString)>>,
    /// A Pod IP → the Pods that carry it (hostNetwork Pods share their node's).
    pod_ips: HMap<Ipv4Addr, SmallSet<(CompactString, CompactString)>>,
    /// An endpoint address → the EndpointSlices listing it, whatever its conditions (reverse
    /// lookups, as CoreDNS's `epIPIndex`).
    slice_ips: HMap<Ipv4Addr, SmallSet<(CompactString, CompactString)>>,
}

/// Whether a Pod can be an endpoint: it has an IP and has not ended (`ShouldPodBeInEndpoints`
/// in k8s.io/endpointslice/utils, with `includeTerminating`: a terminating Pod stays, its
/// conditions say so).
pub fn endpoint_candidate(p: &Pod) -> bool {
    p.status.pod_ip.is_some() && !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed)
}

/// A hash map with fixed keys: an index level that is only ever looked up, never iterated, so
/// its order cannot reach any output, and a lookup costs the same at 100 entries and at 10,000
/// (a `BTreeMap` of names compares ~log2(n) strings per lookup, and each costs more than a hash
/// once the index outgrows the caches).
type HMap<K, V> = HashMap<K, V, FixedHash>;

fn set_edit<K: std::hash::Hash + Eq, V: Ord>(map: &mut HMap<K, SmallSet<V>>, k: K, v: V, add: bool) {
    if add {
        map.entry(k).or_default().insert(v);
    } else if let Some(set) = map.get_mut(&k) {
        set.remove(&v);
        if set.is_empty() {
            map.remove(&k);
        }
    }
}

/// Add or remove `value` under `map[a][b]`, building the levels only when adding and pruning
/// empty ones when removing; lookups and removals allocate nothing.
fn nested_edit<V: Ord>(map: &mut HMap<CompactString, HMap<CompactString, SmallSet<V>>>, a: &str, b: &str, value: V, add: bool) {
    if add {
        let inner = match map.get_mut(a) {
            Some(m) => m,
            None => map.entry(CompactString::new(a)).or_default(),
        };
        nested_edit_one(inner, b, value, true);
    } else if let Some(inner) = map.get_mut(a) {
        nested_edit_one(inner, b, value, false);
        if inner.is_empty() {
            map.remove(a);
        }
    }
}

/// namespace → label key → value → names: which Pods carry a label (the store), which
/// Services select by it (the informers). Nested so that a lookup borrows its strings and
/// builds no key; empty levels are pruned.
#[derive(Clone, Debug, Default)]
pub(crate) struct LabelIndex(HMap<CompactString, HMap<CompactString, HMap<CompactString, SmallSet<CompactString>>>>);

impl LabelIndex {
    /// The names filed under (`ns`, `key`, `value`).
    pub(crate) fn get(&self, ns: &str, key: &str, value: &str) -> Option<&SmallSet<CompactString>> {
        self.0.get(ns)?.get(key)?.get(value)
    }

    /// File `name` under (`ns`, `key`, `value`) (`add`), or take it out.
    pub(crate) fn edit(&mut self, ns: &str, key: &str, value: &str, name: CompactString, add: bool) {
        if add {
            let by_key = match self.0.get_mut(ns) {
                Some(m) => m,
                None => self.0.entry(CompactString::new(ns)).or_default(),
            };
            match by_key.get_mut(key) {
                Some(by_value) => nested_edit_one(by_value, value, name, true),
                None => nested_edit_one(by_key.entry(CompactString::new(key)).or_default(), value, name, true),
            }
        } else if let Some(by_key) = self.0.get_mut(ns) {
            nested_edit(by_key, key, value, name, false);
            if by_key.is_empty() {
                self.0.remove(ns);
            }
        }
    }
}

/// Add or remove `value` under `map[a]`, building the set only when adding.
fn nested_edit_one<V: Ord>(map: &mut HMap<CompactString, SmallSet<V>>, a: &str, value: V, add: bool) {
    if add {
        match map.get_mut(a) {
            Some(set) => {
                set.insert(value);
            }
            None => {
                map.entry(CompactString::new(a)).or_default().insert(value);
            }
        }
    } else if let Some(set) = map.get_mut(a) {
        set.remove(&value);
        if set.is_empty() {
            map.remove(a);
        }
    }
}

/// Move `value` from the sets of the `old` keys to those of the `new` ones, when they differ.
fn move_entries<K: std::hash::Hash + Eq, V: Ord + Clone, I: IntoIterator<Item = K> + PartialEq>(
    map: &mut HMap<K, SmallSet<V>>,
    old: I,
    new: I,
    value: impl Fn() -> V,
) {
    if old == new {
        return;
    }
    // Built only when something moves: most writes (a status change) move nothing.
    let value = value();
    for k in old {
        set_edit(map, k, value.clone(), false);
    }
    for k in new {
        set_edit(map, k, value.clone(), true);
    }
}

fn as_pod(o: Option<&Object>) -> Option<&Pod> {
    match o {
        Some(Object::Pod(p)) => Some(p),
        _ => None,
    }
}

fn as_slice(o: Option<&Object>) -> Option<&EndpointSlice> {
    match o {
        Some(Object::EndpointSlice(s)) => Some(s),
        _ => None,
    }
}

impl Indexes {
    fn edit(&mut self, key: &ObjKey, obj: &Object, add: bool) {
        if add {
            self.reindex(key, None, Some(obj));
        } else {
            self.reindex(key, Some(obj), None);
        }
    }

    /// Move `key`'s entries from what `old` put in the indexes to what `new` needs, touching
    /// only what differs (a status write of a Pod changes no label entry).
    fn reindex(&mut self, key: &ObjKey, old: Option<&Object>, new: Option<&Object>) {
        let entry = || (key.namespace.clone(), key.name.clone());
        let owner = |o: Option<&Object>| o.and_then(|o| o.meta().owner.as_ref()).map(|r| r.uid.clone());
        let (old_owner, new_owner) = (owner(old), owner(new));
        if old_owner != new_owner {
            if let Some(uid) = old_owner {
                if let Some(set) = self.owned.get_mut(&uid) {
                    set.remove(key);
                    if set.is_empty() {
                        self.owned.remove(&uid);
                    }
                }
            }
            if let Some(uid) = new_owner {
                self.owned.entry(uid).or_default().insert(key.clone());
            }
        }
        let (op, np) = (as_pod(old), as_pod(new));
        fn counted(p: Option<&Pod>) -> Option<(&Uid, bool)> {
            p.filter(|p| !p.is_terminating())
                .and_then(|p| Some((&p.meta.owner.as_ref()?.uid, p.status.ready)))
        }
        let (oc, nc) = (counted(op), counted(np));
        if oc != nc {
            if let Some((uid, ready)) = oc {
                if let Some(c) = self.pod_counts.get_mut(uid) {
                    c.0 = c.0.saturating_sub(1);
                    c.1 = c.1.saturating_sub(usize::from(ready));
                    if c.0 == 0 {
                        self.pod_counts.remove(uid);
                    }
                }
            }
            if let Some((uid, ready)) = nc {
                let c = self.pod_counts.entry(uid.into()).or_default();
                c.0 += 1;
                c.1 += usize::from(ready);
            }
        }
        if op.is_some() || np.is_some() {
            let empty = Labels::new();
            fn labels(p: Option<&Pod>) -> Option<&Labels> {
                p.filter(|p| endpoint_candidate(p)).map(|p| &*p.meta.labels)
            }
            let ol = labels(op).unwrap_or(&empty);
            let nl = labels(np).unwrap_or(&empty);
            // Labels move one pair at a time: a relabel touches only the pairs that changed.
            let ns = &key.namespace;
            for (k, v) in ol.iter().filter(|(k, v)| nl.get(k) != Some(*v)) {
                self.pod_labels.edit(ns, k, v, key.name.clone(), false);
            }
            for (k, v) in nl.iter().filter(|(k, v)| ol.get(k) != Some(*v)) {
                self.pod_labels.edit(ns, k, v, key.name.clone(), true);
            }
            let ip = |p: Option<&Pod>| p.and_then(|p| p.status.pod_ip);
            move_entries(&mut self.pod_ips, ip(op), ip(np), entry);
        }
        let (os, nsl) = (as_slice(old), as_slice(new));
        if os.is_some() || nsl.is_some() {
            let (old_svc, new_svc) = (os.and_then(|s| s.service_name()), nsl.and_then(|s| s.service_name()));
            if old_svc != new_svc {
                if let Some(svc) = old_svc {
                    nested_edit(&mut self.slices, &key.namespace, svc, key.name.clone(), false);
                }
                if let Some(svc) = new_svc {
                    nested_edit(&mut self.slices, &key.namespace, svc, key.name.clone(), true);
                }
            }
            let ips = |s: Option<&EndpointSlice>| -> Vec<Ipv4Addr> {
                s.map(|s| s.endpoints.iter().flat_map(|e| e.addresses.iter().copied()).collect())
                    .unwrap_or_default()
            };
            move_entries(&mut self.slice_ips, ips(os), ips(nsl), entry);
        }
        let svc_ips = |o: Option<&Object>| -> Vec<Ipv4Addr> {
            match o {
                Some(Object::Service(s)) => s
                    .cluster_ip()
                    .into_iter()
                    .chain(s.spec.external_ips.iter().copied())
                    .chain(s.load_balancer_ips.iter().copied())
                    .collect(),
                _ => Vec::new(),
            }
        };
        move_entries(&mut self.service_ips, svc_ips(old), svc_ips(new), entry);
    }

    fn build<'a>(objects: impl Iterator<Item = (&'a ObjKey, &'a Object)>) -> Indexes {
        let mut idx = Indexes::default();
        for (k, o) in objects {
            idx.edit(k, o, true);
        }
        idx
    }
}

impl Store {
    pub fn get(&self, key: &ObjKey) -> Option<&Object> {
        self.objects.get(key).map(|o| &**o)
    }

    /// [`Store::get`] by borrowed parts (no key built).
    pub fn get_ref(&self, key: &KeyView<'_>) -> Option<&Object> {
        self.objects.get(key as &dyn KeyParts).map(|o| &**o)
    }

    pub fn contains(&self, key: &ObjKey) -> bool {
        self.objects.contains_key(key)
    }

    /// Insert or replace, bumping `resourceVersion`. Returns the previous object.
    /// The previous object moves into the undo log (no copy); [`Store::last_change`] shows
    /// both versions to whoever dispatches the watch event.
    pub fn put(&mut self, mut obj: Object) {
        self.resource_version += 1;
        obj.meta_mut().resource_version = self.resource_version;
        let key = obj.key();
        self.idx.reindex(&key, self.objects.get(&key).map(|o| &**o), Some(&obj));
        // An update swaps the value in place; only a new object's key is copied into the map.
        let obj = Box::new(obj);
        let old = match self.objects.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, obj)),
            None => {
                self.order.insert(&key);
                self.objects.insert(key.clone(), obj);
                None
            }
        };
        self.record(key, old);
    }

    /// The latest write or removal as a watch event: (previous, current) versions of its
    /// object, read from the undo log and the store without copying either.
    pub fn last_change(&self) -> Option<(Option<&Object>, Option<&Object>)> {
        let (key, old) = self.log.back()?;
        Some((old.as_deref(), self.get(key)))
    }

    /// The endpoint candidates in `ns` ([`endpoint_candidate`]: a Pod IP, not Succeeded or
    /// Failed) whose labels include every pair of `selector` (an empty selector selects none,
    /// as a Service's does), looked up from the selector's rarest pair: what the Endpoints and
    /// EndpointSlice controllers build from.
    pub fn endpoint_candidates(&self, ns: &str, selector: &Labels) -> Vec<&Pod> {
        let mut best: Option<&SmallSet<CompactString>> = None;
        for (k, v) in selector {
            match self.idx.pod_labels.get(ns, k, v) {
                None => return Vec::new(),
                Some(set) if best.is_none_or(|b| set.len() < b.len()) => best = Some(set),
                Some(_) => {}
            }
        }
        let Some(names) = best else { return Vec::new() };
        names
            .iter()
            .filter_map(|n| self.pod(ns, n))
            .filter(|p| selector_matches(selector, &p.meta.labels))
            .collect()
    }

    /// (Pods owned by `owner_uid` that are not terminating, the ready ones among them), from
    /// the index: what a ReplicaSet's sync counts, in O(1).
    pub fn pod_counts(&self, owner_uid: &Uid) -> (usize, usize) {
        self.idx.pod_counts.get(owner_uid).copied().unwrap_or((0, 0))
    }

    /// The objects whose owner reference has `owner_uid`, sorted by key.
    pub fn owned_by(&self, owner_uid: &Uid) -> impl Iterator<Item = &Object> {
        self.idx.owned.get(owner_uid).into_iter().flatten().filter_map(|k| self.get(k))
    }

    /// The EndpointSlices labelled `kubernetes.io/service-name: <service>` in `ns`, by name.
    pub fn slices_of(&self, ns: &str, service: &str) -> impl Iterator<Item = &EndpointSlice> {
        // The namespace as the index stores it, so the iterator borrows only `self`.
        let found = self.idx.slices.get_key_value(ns).and_then(|(ns, m)| Some((ns, m.get(service)?)));
        found
            .into_iter()
            .flat_map(|(ns, names)| names.iter().map(move |n| (ns, n)))
            .filter_map(move |(ns, n)| match self.get_ref(&KeyView(Kind::EndpointSlice, ns, n)) {
                Some(Object::EndpointSlice(s)) => Some(s),
                _ => None,
            })
    }

    /// The Services using `ip` as ClusterIP, external IP or load-balancer IP.
    pub fn services_at(&self, ip: Ipv4Addr) -> impl Iterator<Item = &Service> {
        self.idx
            .service_ips
            .get(&ip)
            .into_iter()
            .flatten()
            .filter_map(|(ns, n)| self.service(ns, n))
    }

    /// The EndpointSlices with an endpoint at `ip` (ready or not), by namespace and name.
    pub fn slices_at(&self, ip: Ipv4Addr) -> impl Iterator<Item = &EndpointSlice> {
        self.idx
            .slice_ips
            .get(&ip)
            .into_iter()
            .flatten()
            .filter_map(|(ns, n)| match self.get_ref(&KeyView(Kind::EndpointSlice, ns, n)) {
                Some(Object::EndpointSlice(s)) => Some(s),
                _ => None,
            })
    }

    /// The Pods whose `status.podIP` is `ip`.
    pub fn pods_at(&self, ip: Ipv4Addr) -> impl Iterator<Item = &Pod> {
        self.idx
            .pod_ips
            .get(&ip)
            .into_iter()
            .flatten()
            .filter_map(|(ns, n)| self.pod(ns, n))
    }

    /// Remove `key` (its object moves into the undo log); whether it was there.
    pub fn remove(&mut self, key: &ObjKey) -> bool {
        let Some(old) = self.objects.remove(key) else { return false };
        self.order.remove(key);
        self.idx.reindex(key, Some(&*old), None);
        self.record(key.clone(), Some(old));
        true
    }

    /// Changes kept for [`Store::state_at`].
    pub const LOG_CAP: usize = 8192;

    fn record(&mut self, key: ObjKey, old: Option<Box<Object>>) {
        if self.log.len() == self.log.capacity() {
            // Doubling, but never past the one extra slot a full log needs between the push and
            // the pop below: a full log holds LOG_CAP entries in LOG_CAP + 1 slots, not in a
            // doubled buffer of 2 × LOG_CAP (5 MB of entries never written, and one more
            // copy of the whole log).
            let want = (self.log.len() * 2).clamp(64, Self::LOG_CAP + 1);
            self.log.reserve_exact(want - self.log.len());
        }
        self.log.push_back((key, old));
        // One out for one in: every write costs the same, none pays for trimming a backlog.
        if self.log.len() > Self::LOG_CAP {
            self.log.pop_front();
            self.log_base += 1;
        }
    }

    /// The writes and removals after `version`, oldest first, as a watch delivers them: each
    /// change's key, its object before and after (`None` after: removed). `None` if `version`
    /// is older than the undo log (a watch's "too old resource version").
    pub fn changes_since(&self, version: u64) -> Option<Vec<Change<'_>>> {
        if version < self.log_base || version > self.version() {
            return None;
        }
        let skip = (version - self.log_base) as usize;
        // Walk back from now: a change's "after" is the next change's "before" of that key.
        let mut after: BTreeMap<&ObjKey, Option<&Object>> = BTreeMap::new();
        let mut out: Vec<Change<'_>> = Vec::new();
        for (key, old) in self.log.iter().skip(skip).rev() {
            let now = after.get(key).copied().unwrap_or_else(|| self.get(key));
            out.push(Change {
                key,
                before: old.as_deref(),
                after: now,
            });
            after.insert(key, old.as_deref());
        }
        out.reverse();
        Some(out)
    }

    /// How many changes the store has seen (a trace event records this when it is emitted).
    /// The wall-clock instant of `SimTime::ZERO` (how timestamps print).
    pub fn epoch(&self) -> crate::time::Epoch {
        self.epoch
    }

    pub(crate) fn set_epoch(&mut self, epoch: crate::time::Epoch) {
        self.epoch = epoch;
    }

    pub fn version(&self) -> u64 {
        self.log_base + self.log.len() as u64
    }

    /// The objects as they were at `version`, or `None` if that is older than the undo log.
    pub fn state_at(&self, version: u64) -> Option<Store> {
        if version < self.log_base || version > self.version() {
            return None;
        }
        let keep = (version - self.log_base) as usize;
        let mut objects = self.objects.clone();
        for (key, old) in self.log.iter().skip(keep).rev() {
            match old {
                Some(o) => {
                    objects.insert(key.clone(), o.clone());
                }
                None => {
                    objects.remove(key);
                }
            }
        }
        let mut order = Order::default();
        for k in objects.keys() {
            order.insert(k);
        }
        let idx = Indexes::build(objects.iter().map(|(k, o)| (k, &**o)));
        Some(Store {
            objects,
            order,
            resource_version: self.resource_version,
            log: Default::default(),
            log_base: version,
            idx,
            epoch: self.epoch,
        })
    }

    /// Objects of one kind, in one namespace (`None`: all namespaces), sorted by namespace, name.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &Object> {
        // The namespaces' sets, picked now (a handful), so the iterator borrows only `self`.
        let by_ns = self.order.0.get(&kind);
        let picked: Vec<(&CompactString, &BTreeSet<CompactString>)> = match namespace {
            // As a range over whole keys did: a cluster-scoped kind's objects are filed under
            // "", so a namespace other than "" lists none of them.
            Some(n) => by_ns.and_then(|m| m.get_key_value(n)).into_iter().collect(),
            None => by_ns.into_iter().flatten().collect(),
        };
        picked
            .into_iter()
            .flat_map(move |(ns, names)| names.iter().filter_map(move |n| self.get_ref(&KeyView(kind, ns, n))))
    }

    pub fn pods(&self, namespace: Option<&str>) -> impl Iterator<Item = &Pod> {
        self.list(Kind::Pod, namespace).filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
    }

    pub fn services(&self, namespace: Option<&str>) -> impl Iterator<Item = &Service> {
        self.list(Kind::Service, namespace).filter_map(|o| match o {
            Object::Service(s) => Some(s),
            _ => None,
        })
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.list(Kind::Node, None).filter_map(|o| match o {
            Object::Node(n) => Some(n),
            _ => None,
        })
    }

    pub fn pod(&self, ns: &str, name: &str) -> Option<&Pod> {
        match self.get_ref(&KeyView(Kind::Pod, ns, name)) {
            Some(Object::Pod(p)) => Some(p),
            _ => None,
        }
    }

    pub fn service(&self, ns: &str, name: &str) -> Option<&Service> {
        match self.get_ref(&KeyView(Kind::Service, ns, name)) {
            Some(Object::Service(s)) => Some(s),
            _ => None,
        }
    }

    pub fn endpoints(&self, ns: &str, name: &str) -> Option<&Endpoints> {
        match self.get_ref(&KeyView(Kind::Endpoints, ns, name)) {
            Some(Object::Endpoints(e)) => Some(e),
            _ => None,
        }
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        match self.get_ref(&KeyView(Kind::Node, "", name)) {
            Some(Object::Node(n)) => Some(n),
            _ => None,
        }
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.get_ref(&KeyView(Kind::Namespace, "", ns)).is_some()
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Every object, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Object> {
        self.order.0.iter().flat_map(move |(kind, by_ns)| {
            by_ns
                .iter()
                .flat_map(move |(ns, names)| names.iter().filter_map(move |n| self.get_ref(&KeyView(*kind, ns, n))))
        })
    }
}

/// What `kubectl apply` did with one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyAction {
    Created,
    Configured,
    Unchanged,
}

impl ApplyAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyAction::Created => "created",
            ApplyAction::Configured => "configured",
            ApplyAction::Unchanged => "unchanged",
        }
    }
}

/// An error from the API server (or kubectl's client-side checks), worded as kubectl prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 422: validation failed (`The Service "Ent" is invalid: …`).
    Invalid { kind: Kind, name: String, errors: Vec<FieldError> },
    /// 400: could not decode (`Service in version "v1" cannot be handled as a Service: …`).
    BadRequest(String),
    /// 404: `namespaces "foo" not found`, `services "x" not found`.
    NotFound { resource: String, name: String },
    /// 409: `services "x" already exists`.
    AlreadyExists { resource: String, name: String },
    /// Client side: `no matches for kind "Foo" in version "v1"`.
    NoMatch {
        kind: String,
        version: String,
        name: String,
        namespace: String,
    },
    /// Client side: kind or apiVersion missing.
    NotSet(&'static str),
    /// Client side: `the namespace from the provided object "dev" does not match …`.
    NamespaceMismatch { object: String, flag: String },
    /// Client side: `kubectl apply` must GET the object first, and client-go refuses to
    /// build a request for an empty name, `.`, `..` or one with `/` or `%` in it
    /// (`Request.Name`, `IsValidPathSegmentName`).
    UnrequestableName { kind: Kind, name: String, namespace: String },
    /// Client side: `kubectl apply` of an object with only `generateName` (applyOneObject).
    GenerateNameWithApply(String),
    /// 403 with the full status message.
    Forbidden(String),
    /// 500: `Internal error occurred: failed to allocate a serviceIP: range is full`.
    InternalError(String),
    /// 413: the request body is over the API server's limit (`limitedReadBody` in
    /// k8s.io/apiserver/pkg/endpoints/handlers/rest.go): `Request entity too large: limit is N`.
    RequestEntityTooLarge(usize),
    /// 500 with no reason: a storage error the API server passes on as it is
    /// (`ErrorToAPIStatus`), such as etcd's `etcdserver: request is too large`; kubectl prints
    /// `Error from server: …`.
    Storage(String),
}

/// What client-go's `IsValidPathSegmentName` finds in a name that cannot be a URL path
/// segment: `may not be '.'` / `'..'`, else `may not contain '/'` and `'%'` (empty when fine).
pub fn path_segment_problems(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(*c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// Plural resource name as used in API error messages (`services`, `deployments.apps`).
pub fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Namespace => "namespaces",
        Kind::Node => "nodes",
        Kind::Pod => "pods",
        Kind::Service => "services",
        Kind::Endpoints => "endpoints",
        Kind::EndpointSlice => "endpointslices.discovery.k8s.io",
        Kind::ConfigMap => "configmaps",
        Kind::Secret => "secrets",
        Kind::Deployment => "deployments.apps",
        Kind::ReplicaSet => "replicasets.apps",
        Kind::DaemonSet => "daemonsets.apps",
    }
}

impl ApiError {
    /// The reason kubectl prints in `Error from server (<Reason>)`.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::Invalid { .. } => "Invalid",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Forbidden(_) => "Forbidden",
            ApiError::InternalError(_) => "InternalError",
            ApiError::RequestEntityTooLarge(_) => "RequestEntityTooLarge",
            _ => "",
        }
    }

    /// The API status message (what `err.Error()` returns in Go).
    pub fn status_message(&self) -> String {
        match self {
            ApiError::Invalid { kind, name, errors } => {
                let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                let agg = if list.len() == 1 { list[0].clone() } else { format!("[{}]", list.join(", ")) };
                format!("{} \"{}\" is invalid: {}", kind.name(), name, agg)
            }
            ApiError::BadRequest(m) => m.clone(),
            ApiError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            ApiError::AlreadyExists { resource, name } => format!("{resource} \"{name}\" already exists"),
            ApiError::NoMatch { kind, version, .. } => format!("no matches for kind \"{kind}\" in version \"{version}\""),
            ApiError::NotSet(what) => format!("{what} not set"),
            ApiError::Forbidden(m) => m.clone(),
            ApiError::InternalError(m) => format!("Internal error occurred: {m}"),
            ApiError::RequestEntityTooLarge(limit) => format!("Request entity too large: limit is {limit}"),
            ApiError::Storage(m) => m.clone(),
            ApiError::GenerateNameWithApply(prefix) => format!("from {prefix}: cannot use generate name with apply"),
            ApiError::UnrequestableName { name, .. } => {
                if name.is_empty() {
                    "resource name may not be empty".into()
                } else {
                    let msgs = path_segment_problems(name);
                    format!("invalid resource name {}: [{}]", validation::quote(name), msgs.join(" "))
                }
            }
            ApiError::NamespaceMismatch { object, flag } => format!(
                "the namespace from the provided object \"{object}\" does not match the namespace \"{flag}\". You must pass '--namespace={object}' to perform this operation."
            ),
        }
    }

    /// Whether this is an API status error (`apierrors.APIStatus`): those print as
    /// `Error from server (<Reason>): …`; the others are client-side Go errors.
    pub fn is_status(&self) -> bool {
        !self.reason().is_empty() || matches!(self, ApiError::Storage(_))
    }

    /// `err.Error()` in Go after `cmdutil.AddSourceToErr(verb, file, err)` (status errors) or
    /// after the resource builder wrapped it (client-side errors).
    pub fn go_error(&self, source: Option<(&str, &str)>) -> String {
        match self {
            ApiError::NoMatch {
                kind,
                version,
                name,
                namespace,
            } => {
                let from = source.map(|(f, _)| f).unwrap_or("STDIN");
                format!(
                    "resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{from}\": no matches for kind \"{kind}\" in version \"{version}\"\nensure CRDs are installed first"
                )
            }
            ApiError::NotSet(what) => {
                let file = source.map(|(f, _)| f).unwrap_or("STDIN");
                format!("error validating \"{file}\": error validating data: {what} not set; if you choose to ignore these errors, turn validation off with --validate=false")
            }
            ApiError::NamespaceMismatch { .. } | ApiError::GenerateNameWithApply(_) => self.status_message(),
            // applyOneObject: AddSourceToErr("retrieving current configuration of:\n" +
            // info.String() + "\nfrom server for:", source, err).
            ApiError::UnrequestableName { kind, name, namespace } => {
                let (group, resource) = match plural(*kind).split_once('.') {
                    Some((r, _)) => (kind.api_version().rsplit_once('/').map_or("", |(g, _)| g), r),
                    None => ("", plural(*kind)),
                };
                let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
                let info = format!(
                    "Resource: \"{group}/{version}, Resource={resource}\", GroupVersionKind: \"{group}/{version}, Kind={}\"\nName: {}, Namespace: {}",
                    kind.name(),
                    validation::quote(name),
                    validation::quote(namespace)
                );
                let msg = format!("retrieving current configuration of:\n{info}\nfrom server for:");
                match source {
                    Some((file, _)) => format!("error when {msg} {}: {}", validation::quote(file), self.status_message()),
                    None => self.status_message(),
                }
            }
            _ => match source {
                Some((file, verb)) => format!("error when {verb} \"{file}\": {}", self.status_message()),
                None => self.status_message(),
            },
        }
    }

    /// How kubectl prints this error when it is the only one (`cmdutil.checkErr`): an Invalid
    /// status as `The Kind "name" is invalid: ` + `MultilineError` over its causes (duplicates
    /// dropped, as `statusCausesToAggrError` does), other statuses through
    /// `StandardErrorMessage`, anything else with an `error: ` prefix.
    pub fn kubectl_message(&self, source: Option<(&str, &str)>) -> String {
        match self {
            ApiError::Invalid { kind, name, errors } => {
                let prefix = format!("The {} \"{}\" is invalid: ", kind.name(), name);
                let mut causes: Vec<String> = Vec::new();
                for e in errors {
                    let m = e.to_string();
                    if !causes.contains(&m) {
                        causes.push(m);
                    }
                }
                if causes.len() == 1 {
                    format!("{prefix}{}", causes.join(""))
                } else {
                    let mut s = prefix;
                    for c in causes {
                        s.push_str(&format!("\n* {c}"));
                    }
                    s
                }
            }
            _ if self.is_status() => self.aggregate_line(source),
            _ => {
                let m = self.go_error(source);
                if m.starts_with("error: ") {
                    m
                } else {
                    format!("error: {m}")
                }
            }
        }
    }

    /// How kubectl prints this error as one line among several (`MultipleErrors` →
    /// `messageForError`): statuses through `StandardErrorMessage`, others bare.
    pub fn aggregate_line(&self, source: Option<(&str, &str)>) -> String {
        if self.is_status() && self.reason().is_empty() {
            // `StandardErrorMessage`: a status with no reason.
            format!("Error from server: {}", self.go_error(source))
        } else if self.is_status() {
            format!("Error from server ({}): {}", self.reason(), self.go_error(source))
        } else {
            self.go_error(source)
        }
    }
}

/// What `kubectl apply -f` / `create -f` print for the errors they collected, as
/// `cmdutil.checkErr` prints the error `Run` returned. `builder` are the resource builder's
/// errors (decoding, mapping; in Go one error, an aggregate when several), `objects` those of
/// the per-object requests, each with its file. Apply returns the builder's error first, then
/// the objects' (`ApplyOptions.Run`); one error alone is unwrapped.
pub fn render_errors(builder: &[(ApiError, String)], objects: &[(ApiError, String)], verb: &str) -> String {
    let mut out = String::new();
    let total = usize::from(!builder.is_empty()) + objects.len();
    let line = |e: &ApiError, f: &String| e.aggregate_line(Some((f.as_str(), verb)));
    if total == 1 && builder.len() <= 1 {
        if let Some((e, f)) = builder.first().or(objects.first()) {
            out.push_str(&e.kubectl_message(Some((f.as_str(), verb))));
            out.push('\n');
        }
        return out;
    }
    if objects.is_empty() {
        // The builder's aggregate alone: one line per error.
        for (e, f) in builder {
            out.push_str(&line(e, f));
            out.push('\n');
        }
        return out;
    }
    match builder.len() {
        0 => {}
        1 => {
            out.push_str(&line(&builder[0].0, &builder[0].1));
            out.push('\n');
        }
        _ => {
            // An aggregate inside the aggregate prints as its Error(): `[a, b]`, duplicates dropped.
            let mut msgs: Vec<String> = Vec::new();
            for (e, f) in builder {
                let m = line(e, f);
                if !msgs.contains(&m) {
                    msgs.push(m);
                }
            }
            if msgs.len() == 1 {
                out.push_str(&msgs.join(""));
            } else {
                out.push_str(&format!("[{}]", msgs.join(", ")));
            }
            out.push('\n');
        }
    }
    for (e, f) in objects {
        out.push_str(&line(e, f));
        out.push('\n');
    }
    out
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.status_message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validation::{FieldError, FieldErrorKind};

    fn fe(field: &str) -> FieldError {
        FieldError {
            field: field.into(),
            kind: FieldErrorKind::Required(None),
        }
    }

    #[test]
    fn invalid_one_and_many() {
        let one = ApiError::Invalid {
            kind: Kind::Service,
            name: "ent".into(),
            errors: vec![fe("spec.ports")],
        };
        assert_eq!(
            one.kubectl_message(None),
            "The Service \"ent\" is invalid: spec.ports: Required value"
        );
        let two = ApiError::Invalid {
            kind: Kind::Service,
            name: "ent".into(),
            errors: vec![fe("a"), fe("b")],
        };
        assert_eq!(
            two.kubectl_message(None),
            "The Service \"ent\" is invalid: \n* a: Required value\n* b: Required value"
        );
        assert_eq!(
            two.aggregate_line(Some(("x.yml", "creating"))),
            "Error from server (Invalid): error when creating \"x.yml\": Service \"ent\" is invalid: [a: Required value, b: Required value]"
        );
    }
}

#[cfg(test)]
mod undo_tests {
    use super::*;

    fn ns(name: &str) -> Object {
        Object::Namespace(Namespace {
            meta: ObjectMeta {
                name: name.into(),
                ..Default::default()
            },
        })
    }

    #[test]
    fn state_at_undoes_later_changes() {
        let mut s = Store::default();
        s.put(ns("a"));
        let v1 = s.version();
        s.put(ns("b"));
        s.remove(&ObjKey::new(Kind::Namespace, "", "a"));
        let then = s.state_at(v1).expect("retained");
        assert!(then.namespace_exists("a"));
        assert!(!then.namespace_exists("b"));
        let now = s.state_at(s.version()).expect("current");
        assert!(!now.namespace_exists("a") && now.namespace_exists("b"));
        assert!(s.state_at(s.version() + 1).is_none());
    }

    #[test]
    fn changes_since_gives_each_change_before_and_after() {
        let mut s = Store::default();
        s.put(ns("a"));
        let v = s.version();
        let mut b = ns("b");
        s.put(b.clone());
        std::sync::Arc::make_mut(&mut b.meta_mut().labels).insert("x".into(), "1".into());
        s.put(b);
        s.remove(&ObjKey::new(Kind::Namespace, "", "b"));
        let ch = s.changes_since(v).expect("retained");
        let rv = |o: Option<&Object>| o.map(|o| o.meta().resource_version);
        let got: Vec<_> = ch.iter().map(|c| (c.key.name.as_str(), rv(c.before), rv(c.after))).collect();
        assert_eq!(got, [("b", None, Some(2)), ("b", Some(2), Some(3)), ("b", Some(3), None)]);
        assert!(s.changes_since(s.version()).is_some_and(|c| c.is_empty()));
    }

    fn cm(namespace: &str, name: &str) -> Object {
        Object::ConfigMap(ConfigMap {
            meta: ObjectMeta {
                name: name.into(),
                namespace: namespace.into(),
                ..Default::default()
            },
            data: BTreeMap::new(),
        })
    }

    #[test]
    fn listings_are_in_key_order_whatever_the_write_order() {
        let mut s = Store::default();
        for (n, name) in [("b", "y"), ("a", "z"), ("b", "x"), ("a", "a"), ("c", "m")] {
            s.put(cm(n, name));
        }
        s.put(ns("zz"));
        s.put(ns("aa"));
        s.remove(&ObjKey::new(Kind::ConfigMap, "c", "m"));
        let names = |it: Box<dyn Iterator<Item = &Object> + '_>| -> Vec<String> {
            it.map(|o| format!("{}/{}", o.meta().namespace, o.meta().name)).collect()
        };
        assert_eq!(names(Box::new(s.list(Kind::ConfigMap, None))), ["a/a", "a/z", "b/x", "b/y"]);
        assert_eq!(names(Box::new(s.list(Kind::ConfigMap, Some("b")))), ["b/x", "b/y"]);
        assert!(s.list(Kind::ConfigMap, Some("c")).next().is_none());
        // Cluster-scoped objects are filed under "": a namespace lists none of them.
        assert_eq!(names(Box::new(s.list(Kind::Namespace, None))), ["/aa", "/zz"]);
        assert!(s.list(Kind::Namespace, Some("default")).next().is_none());
        // Every object: by kind, then namespace, then name.
        let kinds: Vec<Kind> = s.iter().map(Object::kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
        assert_eq!(s.iter().count(), 6);
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;

    fn pod(name: &str, labels: &[(&str, &str)]) -> Object {
        let labels = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Labels>();
        Object::Pod(Pod {
            meta: ObjectMeta {
                name: name.into(),
                namespace: "dev".into(),
                labels: labels.into(),
                ..Default::default()
            },
            spec: Default::default(),
            status: PodStatus {
                pod_ip: Some(Ipv4Addr::new(10, 244, 0, 9)),
                ..PodStatus::default()
            },
        })
    }

    fn names(s: &Store, sel: &[(&str, &str)]) -> Vec<String> {
        let sel: Labels = sel.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        s.endpoint_candidates("dev", &sel)
            .into_iter()
            .map(|p| p.meta.name.to_string())
            .collect()
    }

    #[test]
    fn label_index_follows_relabels_and_deletes() {
        let mut s = Store::default();
        s.put(pod("a", &[("app", "web"), ("tier", "fe")]));
        s.put(pod("b", &[("app", "web")]));
        assert_eq!(names(&s, &[("app", "web")]), ["a", "b"]);
        assert_eq!(names(&s, &[("app", "web"), ("tier", "fe")]), ["a"]);
        s.put(pod("a", &[("app", "db")]));
        assert_eq!(names(&s, &[("app", "web")]), ["b"]);
        assert_eq!(names(&s, &[("app", "db")]), ["a"]);
        s.remove(&ObjKey::new(Kind::Pod, "dev", "b"));
        assert!(names(&s, &[("app", "web")]).is_empty());
        assert!(names(&s, &[]).is_empty(), "an empty selector selects nothing");
        let then = s.state_at(2).expect("retained");
        assert_eq!(names(&then, &[("app", "web")]), ["a", "b"]);
    }

    #[test]
    fn only_pods_with_an_ip_that_have_not_ended_are_candidates() {
        let mut s = Store::default();
        let with = |name: &str, ip: bool, phase: PodPhase| {
            let Object::Pod(mut p) = pod(name, &[("app", "web")]) else {
                unreachable!()
            };
            p.status.pod_ip = ip.then(|| Ipv4Addr::new(10, 244, 0, 9));
            p.status.phase = phase;
            Object::Pod(p)
        };
        s.put(with("waiting", false, PodPhase::Pending));
        s.put(with("running", true, PodPhase::Running));
        s.put(with("done", true, PodPhase::Succeeded));
        s.put(with("failed", true, PodPhase::Failed));
        assert_eq!(names(&s, &[("app", "web")]), ["running"]);
        // The sandbox gives the waiting Pod its IP: it joins; the running one ends: it leaves.
        s.put(with("waiting", true, PodPhase::Pending));
        s.put(with("running", true, PodPhase::Failed));
        assert_eq!(names(&s, &[("app", "web")]), ["waiting"]);
    }
}

#[cfg(test)]
mod slice_index_tests {
    use super::*;

    fn slice(name: &str, ips: &[[u8; 4]]) -> Object {
        let mut labels = Labels::new();
        labels.insert(SERVICE_NAME_LABEL.into(), "db".into());
        Object::EndpointSlice(EndpointSlice {
            meta: ObjectMeta {
                name: name.into(),
                namespace: "dev".into(),
                labels: labels.into(),
                ..Default::default()
            },
            address_type: AddressType::IPv4,
            ports: Vec::new(),
            endpoints: ips
                .iter()
                .map(|o| SliceEndpoint {
                    addresses: vec![Ipv4Addr::from(*o)],
                    conditions: EndpointConditions::default(),
                    hostname: None,
                    node_name: None,
                    zone: None,
                    target: None,
                })
                .collect(),
        })
    }

    fn at(s: &Store, o: [u8; 4]) -> Vec<String> {
        s.slices_at(Ipv4Addr::from(o)).map(|x| x.meta.name.to_string()).collect()
    }

    #[test]
    fn endpoint_ip_index_follows_updates_and_deletes() {
        let mut s = Store::default();
        s.put(slice("db-a", &[[10, 0, 0, 1], [10, 0, 0, 2]]));
        s.put(slice("db-b", &[[10, 0, 0, 2]]));
        assert_eq!(at(&s, [10, 0, 0, 1]), ["db-a"]);
        assert_eq!(at(&s, [10, 0, 0, 2]), ["db-a", "db-b"]);
        let v = s.version();
        s.put(slice("db-a", &[[10, 0, 0, 3]]));
        assert!(at(&s, [10, 0, 0, 1]).is_empty());
        assert_eq!(at(&s, [10, 0, 0, 2]), ["db-b"]);
        s.remove(&ObjKey::new(Kind::EndpointSlice, "dev", "db-b"));
        assert!(at(&s, [10, 0, 0, 2]).is_empty());
        assert_eq!(at(&s, [10, 0, 0, 3]), ["db-a"]);
        let then = s.state_at(v).expect("retained");
        assert_eq!(at(&then, [10, 0, 0, 2]), ["db-a", "db-b"]);
        assert!(at(&then, [10, 0, 0, 3]).is_empty());
    }
}
