//! Events: what controllers and the kubelet report about objects, as `kubectl get events` and
//! the `Events:` section of `kubectl describe` show them.
//!
//! Reasons and messages are the upstream ones (kube-scheduler `Scheduled` and the Warning
//! `FailedScheduling`; kubelet `Pulling`, `Pulled`, `Created`, `Started`, `Killing` and the
//! Warning `FailedCreatePodSandBox`; the deployment controller's `ScalingReplicaSet`; the
//! ReplicaSet controller's `SuccessfulCreate` / `SuccessfulDelete`; the node-ipam controller's
//! `CIDRNotAvailable`). Events about cluster-scoped objects (Nodes) live in `default`. As client-go's
//! `EventCorrelator` does, a repeat of the same source, object, type, reason and message bumps
//! `count` and `lastTimestamp` instead of adding an event, and its `EventAggregator` folds the
//! tenth and later *different* messages of the same source, object, type and reason within ten
//! minutes into one event `(combined from similar events): <latest message>` (the kubelet's
//! sandbox retries, each naming a new sandbox ID). The API server drops events an hour
//! after their last update (`--event-ttl=1h`), so the log forgets them too.
//!
//! Event names are `<object>.<hex nanoseconds>` as client-go makes them; the server lists by
//! name, which is the order `kubectl get events` prints (grouped by object, not by time).

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{FixedHash, ObjKey, Uid};
use crate::time::{human_duration, SimTime};

/// client-go's `EventAggregator`: `maxEvents` distinct messages before combining, within
/// `maxIntervalInSeconds`, and the combined message's prefix.
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL_MS: u64 = 600_000;
const COMBINED: &str = "(combined from similar events): ";

/// The API server's default `--event-ttl`.
pub const EVENT_TTL_MS: u64 = 3_600_000;

/// One `core/v1` Event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The object it is about, shared by all of that object's events.
    pub involved: Arc<ObjKey>,
    /// `Normal` or `Warning`.
    pub type_: &'static str,
    /// A controller's reason word (`Scheduled`, `FailedCreate`…): from the code, never input.
    pub reason: &'static str,
    pub message: String,
    /// `source.component` (or the reporting controller).
    pub source: &'static str,
    pub first: SimTime,
    pub last: SimTime,
    pub count: u32,
}

impl Event {
    /// The Event's name as client-go's recorder makes it: the object's name, a dot, and the
    /// Unix time in nanoseconds of its first occurrence in hex. Derived, not stored: a
    /// 1,000-Service workload has 15,000 events, and their names were a string each.
    pub fn name(&self) -> String {
        let mut buf = [0u8; 16];
        format!("{}.{}", self.involved.name, self.hex_nanos(&mut buf))
    }

    /// `first` as the hex digits of the name (no leading zeros, as `%x` prints).
    fn hex_nanos<'b>(&self, buf: &'b mut [u8; 16]) -> &'b str {
        let mut n = crate::time::Epoch::DEFAULT.unix_nanos(self.first);
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b"0123456789abcdef"[(n & 0xf) as usize];
            n >>= 4;
            if n == 0 {
                break;
            }
        }
        std::str::from_utf8(&buf[i..]).unwrap_or_default()
    }

    /// Order by [`Event::name`] without building either name.
    pub fn cmp_name(&self, other: &Event) -> std::cmp::Ordering {
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        let left = self.involved.name.bytes().chain([b'.']).chain(self.hex_nanos(&mut a).bytes());
        let right = other.involved.name.bytes().chain([b'.']).chain(other.hex_nanos(&mut b).bytes());
        left.cmp(right)
    }

    /// The Event's own namespace: its object's, or `default` for cluster-scoped objects (Nodes),
    /// as client-go's recorder files them.
    pub fn namespace(&self) -> &str {
        if self.involved.namespace.is_empty() {
            "default"
        } else {
            &self.involved.namespace
        }
    }
}

/// The events of one object incarnation (its key and uid), with client-go's aggregation
/// records for it: (type, reason, source) → the distinct messages seen and when the last came.
/// A record is made only once the object has a second distinct message for a reason, so the
/// common case (one message per reason) costs nothing.
#[derive(Clone, Debug)]
struct ObjectEvents {
    /// The object's key, shared with its events.
    key: Arc<ObjKey>,
    uid: crate::model::Uid,
    events: Vec<Event>,
    similar: Vec<Aggregate>,
}

#[derive(Clone, Debug)]
struct Aggregate {
    type_: &'static str,
    reason: &'static str,
    source: &'static str,
    seen: std::collections::BTreeSet<String>,
    last: SimTime,
}

/// Every event the cluster recorded.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    /// Events per involved object, then per uid: recording one touches only its object's
    /// list and builds no key, so the cost does not grow with the cluster. Expired events are
    /// filtered when listed and pruned when the log has doubled since the last prune.
    events: HashMap<ObjKey, Vec<ObjectEvents>, FixedHash>,
    total: usize,
    pruned_at: usize,
    /// Nothing in the log expires before this (an event an hour after it last happened, an
    /// aggregate ten minutes after): a prune before it would walk every object and find
    /// nothing, so none runs. `None`: nothing recorded since the last prune.
    next_expiry: Option<SimTime>,
}

/// The earlier of `cur` and `at` (`None`: nothing yet).
fn earliest(cur: Option<SimTime>, at: SimTime) -> Option<SimTime> {
    Some(cur.map_or(at, |t| t.min(at)))
}

/// When an event that last happened at `last` has expired (`alive` is false from then on).
fn event_expiry(last: SimTime) -> SimTime {
    SimTime(last.0.saturating_add(EVENT_TTL_MS))
}

/// When an aggregate last touched at `last` is forgotten: ten minutes after, inclusive.
fn aggregate_expiry(last: SimTime) -> SimTime {
    SimTime(last.0.saturating_add(AGGREGATE_INTERVAL_MS).saturating_add(1))
}

fn alive(e: &Event, now: SimTime) -> bool {
    event_expiry(e.last) > now
}

/// The server's list order (namespace, then name); events of different objects that share a
/// name and a millisecond stay in object order, as they were filed.
fn list_order(a: &&Event, b: &&Event) -> std::cmp::Ordering {
    a.namespace()
        .cmp(b.namespace())
        .then_with(|| a.cmp_name(b))
        .then_with(|| a.involved.cmp(&b.involved))
}

impl EventLog {
    /// Events still alive at `now`, in the server's list order (namespace, then name).
    pub fn list(&self, namespace: Option<&str>, now: SimTime) -> Vec<&Event> {
        let mut v: Vec<&Event> = self
            .events
            .values()
            .flatten()
            .flat_map(|o| &o.events)
            .filter(|e| alive(e, now))
            .filter(|e| namespace.is_none_or(|n| e.namespace() == n))
            .collect();
        v.sort_by(list_order);
        v
    }

    /// The events `describe` shows for one object (matched by kind, namespace, name and uid),
    /// sorted by last timestamp as `event.SortableEvents` (a stable sort of the server's list).
    pub fn for_object(&self, key: &ObjKey, uid: &Uid, now: SimTime) -> Vec<&Event> {
        let mut v: Vec<&Event> = self
            .events
            .get(key)
            .into_iter()
            .flatten()
            .filter(|o| uid.is_empty() || o.uid == uid)
            .flat_map(|o| &o.events)
            .filter(|e| alive(e, now))
            .collect();
        v.sort_by(list_order);
        v.sort_by_key(|e| e.last.0 / 1000);
        v
    }

    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Forget every event that expired by `now`, as the API server has (`--event-ttl`): the
    /// bootstrap calls it once the cluster's uptime has passed, so a session does not start
    /// with the expired events of its nodes' first days in its log.
    pub(crate) fn prune(&mut self, now: SimTime) {
        let mut next: Option<SimTime> = None;
        for per_uid in self.events.values_mut() {
            for o in per_uid.iter_mut() {
                o.events.retain(|e| alive(e, now));
                o.similar.retain(|a| aggregate_expiry(a.last) > now);
                for e in &o.events {
                    next = earliest(next, event_expiry(e.last));
                }
                for a in &o.similar {
                    next = earliest(next, aggregate_expiry(a.last));
                }
            }
            per_uid.retain(|o| !o.events.is_empty() || !o.similar.is_empty());
        }
        self.events.retain(|_, per_uid| !per_uid.is_empty());
        self.total = self.events.values().flatten().map(|o| o.events.len()).sum();
        self.pruned_at = self.total;
        self.next_expiry = next;
    }

    /// The record of `key`'s incarnation `uid`, made if new (`None` cannot happen: the key is
    /// inserted first; an `Option` keeps a panic path out of the page).
    fn object_mut(&mut self, key: &ObjKey, uid: &Uid) -> Option<&mut ObjectEvents> {
        if !self.events.contains_key(key) {
            self.events.insert(key.clone(), Vec::new());
        }
        let per_uid = self.events.get_mut(key)?;
        let i = match per_uid.iter().position(|o| o.uid == uid) {
            Some(i) => i,
            None => {
                per_uid.push(ObjectEvents {
                    key: Arc::new(key.clone()),
                    uid: uid.into(),
                    events: Vec::new(),
                    similar: Vec::new(),
                });
                per_uid.len() - 1
            }
        };
        per_uid.get_mut(i)
    }

    /// Record one event as client-go's recorder and correlator would.
    pub(crate) fn record(&mut self, now: SimTime, ev: NewEvent<'_>) {
        // Expired events are gone from the server; forget them here too.
        if self.total > 2 * self.pruned_at.max(512) && self.next_expiry.is_some_and(|t| now >= t) {
            self.prune(now);
        }
        let Some(obj) = self.object_mut(ev.key, ev.uid) else { return };
        let before = obj.events.len();
        obj.events.retain(|e| alive(e, now));
        let expired = before - obj.events.len();
        let list = &mut obj.events;
        let similar = |e: &Event| e.type_ == ev.type_ && e.reason == ev.reason && e.source == ev.source;
        let mut message = ev.message;
        let mut combined = false;
        let mut new_aggregate = false;
        let distinct = list.iter().any(|e| similar(e) && e.message != message);
        let agg_at = obj
            .similar
            .iter()
            .position(|a| a.type_ == ev.type_ && a.reason == ev.reason && a.source == ev.source);
        if distinct || agg_at.is_some() {
            let i = agg_at.unwrap_or_else(|| {
                let seen = list
                    .iter()
                    .filter(|e| similar(e) && !e.message.starts_with(COMBINED))
                    .filter(|e| e.last.0.saturating_add(AGGREGATE_INTERVAL_MS) >= now.0)
                    .map(|e| e.message.clone())
                    .collect();
                new_aggregate = true;
                obj.similar.push(Aggregate {
                    type_: ev.type_,
                    reason: ev.reason,
                    source: ev.source,
                    seen,
                    last: now,
                });
                obj.similar.len() - 1
            });
            let record = &mut obj.similar[i];
            if record.last.0.saturating_add(AGGREGATE_INTERVAL_MS) < now.0 {
                record.seen.clear();
            }
            record.seen.insert(message.clone());
            record.last = now;
            if record.seen.len() >= AGGREGATE_MAX_EVENTS {
                // `localKeys.PopAny()`: keep the set below the threshold.
                if let Some(other) = record.seen.iter().find(|m| **m != message).cloned() {
                    record.seen.remove(&other);
                }
                combined = true;
                message = format!("{COMBINED}{message}");
            }
        }
        let list = &mut obj.events;
        let done = if combined {
            match list.iter_mut().find(|e| similar(e) && e.message.starts_with(COMBINED)) {
                Some(e) => {
                    e.count += 1;
                    e.last = now;
                    e.message = message.clone();
                    true
                }
                None => false,
            }
        } else {
            match list.iter_mut().find(|e| similar(e) && e.message == message) {
                Some(e) => {
                    e.count += 1;
                    e.last = now;
                    true
                }
                None => false,
            }
        };
        if !done {
            if list.len() == list.capacity() && list.len() < 8 {
                // An object has a handful of events (a Pod five, a ReplicaSet one per Pod it
                // made): grow one at a time, not to 4 and then 8 slots of 208 bytes.
                list.reserve_exact(1);
            }
            obj.events.push(Event {
                involved: obj.key.clone(),
                type_: ev.type_,
                reason: ev.reason,
                message,
                source: ev.source,
                first: now,
                last: now,
                count: 1,
            });
        }
        self.total = self.total + usize::from(!done) - expired;
        if !done {
            self.next_expiry = earliest(self.next_expiry, event_expiry(now));
        }
        if new_aggregate {
            self.next_expiry = earliest(self.next_expiry, aggregate_expiry(now));
        }
    }
}

impl EventLog {
    /// The last event about `key` with `reason` happened `times` more times, the last at `at`:
    /// for a controller that repeats an event on a schedule while the cluster was up before the
    /// session (the node-ipam controller's `CIDRNotAvailable` every 5 minutes for 18 days).
    pub(crate) fn repeated(&mut self, key: &ObjKey, uid: &Uid, reason: &str, times: u32, at: SimTime) {
        if let Some(e) = self
            .events
            .get_mut(key)
            .and_then(|v| v.iter_mut().find(|o| o.uid == uid))
            .and_then(|o| o.events.iter_mut().rev().find(|e| e.reason == reason))
        {
            e.count = e.count.saturating_add(times);
            e.last = e.last.max(at);
        }
    }
}

/// What a recorder reports (client-go's `EventRecorder.Event` arguments).
pub(crate) struct NewEvent<'a> {
    pub key: &'a ObjKey,
    pub uid: &'a Uid,
    pub type_: &'static str,
    pub reason: &'static str,
    pub message: String,
    pub source: &'static str,
}

/// Go's `time.Duration.String()` for a whole number of milliseconds (`812ms`, `2.1s`, `1m5.25s`).
pub fn go_duration_ms(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let frac = |rem_ms: u64| -> String {
        if rem_ms == 0 {
            String::new()
        } else {
            format!(".{rem_ms:03}").trim_end_matches('0').to_string()
        }
    };
    let (h, m, s, rem) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let secs = format!("{s}{}s", frac(rem));
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// The kubelet's pull policy default: `Always` for `:latest` or no tag, else `IfNotPresent`.
pub fn pulls_always(image: &str) -> bool {
    if image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => true,
        Some((_, tag)) => tag == "latest",
    }
}

/// A plausible compressed size for an image, stable per name (the registry is not simulated).
pub fn image_size(image: &str) -> u64 {
    let base = match crate::apps::image_name(image) {
        "ubuntu" => 29_754_422,
        "nginx" => 72_099_410,
        "busybox" => 2_155_502,
        "alpine" => 3_623_807,
        _ => 20_000_000,
    };
    base + u64::from(crate::rng::fnv32a(image.as_bytes()) % 4096)
}

/// `kubectl get events`: rows for the table printer (with `NAMESPACE` first under `-A`).
pub fn table_rows(events: &[&Event], now: SimTime, all_namespaces: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut header: Vec<String> = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if all_namespaces {
        header.insert(0, "NAMESPACE".into());
    }
    rows.push(header);
    for e in events {
        let mut r = vec![
            human_duration(now.secs_since(e.last) as i64),
            e.type_.to_string(),
            e.reason.to_string(),
            format!("{}/{}", e.involved.kind.name().to_lowercase(), e.involved.name),
            e.message.trim().to_string(),
        ];
        if all_namespaces {
            r.insert(0, e.namespace().to_string());
        }
        rows.push(r);
    }
    rows
}

/// The AGE cell of describe's events table: `5s`, or `3s (x4 over 2m)` for a repeated event.
pub fn describe_age(e: &Event, now: SimTime) -> String {
    let first = human_duration(now.secs_since(e.first) as i64);
    if e.count > 1 {
        format!("{} (x{} over {first})", human_duration(now.secs_since(e.last) as i64), e.count)
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration_ms(812), "812ms");
        assert_eq!(go_duration_ms(2100), "2.1s");
        assert_eq!(go_duration_ms(2000), "2s");
        assert_eq!(go_duration_ms(2134), "2.134s");
        assert_eq!(go_duration_ms(65_250), "1m5.25s");
    }

    #[test]
    fn pull_policy_default() {
        assert!(pulls_always("ubuntu"));
        assert!(pulls_always("nginx:latest"));
        assert!(pulls_always("localhost:5000/app"));
        assert!(!pulls_always("nigelpoulton/k8sbook:text-dev"));
    }

    #[test]
    fn names_are_client_gos_and_order_as_strings() {
        let ev = |name: &str, first: u64| Event {
            involved: Arc::new(ObjKey::new(Kind::Pod, "d", name)),
            type_: "Normal",
            reason: "Pulled",
            message: String::new(),
            source: "kubelet",
            first: SimTime(first),
            last: SimTime(first),
            count: 1,
        };
        let nanos = |t: u64| crate::time::Epoch::DEFAULT.unix_nanos(SimTime(t));
        assert_eq!(ev("web", 0).name(), format!("web.{:x}", nanos(0)));
        assert_eq!(ev("web", 1234).name(), format!("web.{:x}", nanos(1234)));
        // As the strings compare: "app1." sorts before "app10." ('.' < '0'), then by time.
        let all = [ev("app10", 5), ev("app1", 7), ev("app1", 3), ev("app", 9), ev("b", 0)];
        for a in &all {
            for b in &all {
                assert_eq!(a.cmp_name(b), a.name().cmp(&b.name()), "{} vs {}", a.name(), b.name());
            }
        }
    }

    #[test]
    fn the_tenth_distinct_message_is_combined() {
        let mut log = EventLog::default();
        let key = ObjKey::new(Kind::Pod, "d", "p");
        let uid = Uid::new("u");
        for i in 0..12u64 {
            log.record(
                SimTime(i * 10_000),
                NewEvent {
                    key: &key,
                    uid: &uid,
                    type_: "Warning",
                    reason: "FailedCreatePodSandBox",
                    message: format!("sandbox {i}"),
                    source: "kubelet",
                },
            );
        }
        let l = log.list(Some("d"), SimTime(120_000));
        assert_eq!(l.len(), 10);
        let c = l.iter().find(|e| e.message.starts_with(COMBINED)).unwrap();
        assert_eq!((c.count, c.message.as_str()), (3, "(combined from similar events): sandbox 11"));
    }

    #[test]
    fn repeats_aggregate_and_expire() {
        let mut log = EventLog::default();
        let key = ObjKey::new(Kind::Pod, "dev", "jump");
        let uid = Uid::new("u");
        let ev = |m: &str| NewEvent {
            key: &key,
            uid: &uid,
            type_: "Normal",
            reason: "Pulled",
            message: m.to_string(),
            source: "kubelet",
        };
        log.record(SimTime(1000), ev("a"));
        log.record(SimTime(5000), ev("a"));
        log.record(SimTime(6000), ev("b"));
        let l = log.list(Some("dev"), SimTime(7000));
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].count, 2);
        assert_eq!(describe_age(l[0], SimTime(7000)), "2s (x2 over 6s)");
        assert!(log.list(None, SimTime(6000 + EVENT_TTL_MS)).is_empty());
    }
}
