//! The Endpoints and EndpointSlice controllers: registration step 4.
//!
//! For a Service with a selector, every Pod in its namespace whose labels match and that has an
//! IP becomes an address: ready Pods under `addresses`, the rest under `notReadyAddresses`
//! (all under `addresses` with `publishNotReadyAddresses`). Terminating Pods leave Endpoints
//! at once; EndpointSlices keep them with `ready: false, terminating: true`. Named targetPorts
//! are resolved per Pod, so Pods that name the port differently land in different subsets.
//! Addresses are sorted as strings, as `RepackSubsets` does. Services without a selector are
//! left alone: their Endpoints are the user's (and `mirroring` copies them into slices).
//!
//! Work per reconcile: the Pods the selector matches (from the store's label index), each read
//! once; the Service's own slices come from the owner index.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::context::Ctx;
use crate::model::*;
use crate::trace::{Addr, Controller, Element, Route, What};

/// Pod IPs per EndpointSlice, as the controller's `maxEndpointsPerSlice` default.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// Addresses an Endpoints object may hold (`maxCapacity`); beyond it the controller truncates
/// and says so in an annotation. EndpointSlices have no such cap.
pub const MAX_ENDPOINTS_CAPACITY: usize = 1000;
const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";

/// The endpoints controller's `truncateEndpoints`: when ready + not-ready addresses exceed
/// [`MAX_ENDPOINTS_CAPACITY`], keep ready ones first (dropping all not-ready ones if the ready
/// alone overflow), each subset keeping its proportional share, rounded up, within what is left.
fn truncate_endpoints(subsets: &mut [EndpointSubset]) -> bool {
    let total_ready: usize = subsets.iter().map(|s| s.addresses.len()).sum();
    let total_not_ready: usize = subsets.iter().map(|s| s.not_ready_addresses.len()).sum();
    if total_ready + total_not_ready <= MAX_ENDPOINTS_CAPACITY {
        return false;
    }
    let truncate_ready = total_ready > MAX_ENDPOINTS_CAPACITY;
    let (max, num_total) = if truncate_ready {
        (MAX_ENDPOINTS_CAPACITY, total_ready)
    } else {
        (MAX_ENDPOINTS_CAPACITY - total_ready, total_not_ready)
    };
    let mut can_be_added = max;
    let last = subsets.len().saturating_sub(1);
    for (i, s) in subsets.iter_mut().enumerate() {
        let in_subset = if truncate_ready {
            s.addresses.len()
        } else {
            s.not_ready_addresses.len()
        };
        let mut max_in_subset = (in_subset * max).div_ceil(num_total.max(1));
        if i == last {
            max_in_subset = can_be_added;
        }
        max_in_subset = max_in_subset.min(can_be_added);
        if truncate_ready {
            s.not_ready_addresses.clear();
            s.addresses.truncate(max_in_subset);
            can_be_added -= s.addresses.len();
        } else {
            s.not_ready_addresses.truncate(max_in_subset);
            can_be_added -= s.not_ready_addresses.len();
        }
    }
    true
}

fn resolve_port(pod: &Pod, target: &IntOrString, proto: Protocol) -> Option<i64> {
    match target {
        IntOrString::Int(i) => Some(*i),
        IntOrString::Str(name) => pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol == proto)
            .map(|p| p.container_port),
    }
}

/// The endpoint's hostname: the Pod's `hostname` when its `subdomain` is this Service.
fn hostname_for(pod: &Pod, svc: &Service) -> Option<String> {
    match (&pod.spec.hostname, &pod.spec.subdomain) {
        (Some(h), Some(sd)) if *sd == svc.meta.name => Some(h.clone()),
        _ => None,
    }
}

/// What the controllers need of one selected Pod, read once from the store (no Pod clones).
struct Selected {
    name: String,
    ip: Ipv4Addr,
    ready: bool,
    terminating: bool,
    node: Option<String>,
    hostname: Option<String>,
    /// The Service's ports resolved against this Pod: (port name, number, protocol).
    ports: Vec<(String, i64, Protocol)>,
}

/// The Endpoints and EndpointSlice controllers, one sync per Service: no state of their own
/// (the store's indexes are their informer caches).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EndpointsController;

impl EndpointsController {
    pub(crate) fn reconcile(&mut self, ctx: &mut Ctx, ns: &str, name: &str) {
        let svc_key = ObjKey::new(Kind::Service, ns, name);
        let ep_key = ObjKey::new(Kind::Endpoints, ns, name);
        let Some(svc) = ctx.store().service(ns, name) else {
            if ctx.store().get(&ep_key).is_some_and(|o| o.meta().owner.is_some()) {
                ctx.erase(&ep_key);
            }
            return;
        };
        let Some(selector) = svc.spec.selector.clone().filter(|s| !s.is_empty()) else {
            return;
        };
        if svc.spec.type_ == ServiceType::ExternalName {
            return;
        }
        let mut pods: Vec<Selected> = ctx
            .store()
            .endpoint_candidates(ns, &selector)
            .into_iter()
            .filter_map(|p| {
                let ip = p.status.pod_ip?;
                Some(Selected {
                    name: p.meta.name.to_string(),
                    ip,
                    ready: p.status.ready,
                    terminating: p.is_terminating(),
                    node: p.spec.node_name.clone(),
                    hostname: hostname_for(p, svc),
                    ports: svc
                        .spec
                        .ports
                        .iter()
                        .filter_map(|sp| {
                            resolve_port(p, &sp.target_port, sp.protocol).map(|n| (sp.name.clone().unwrap_or_default(), n, sp.protocol))
                        })
                        .collect(),
                })
            })
            .collect();
        // `RepackSubsets` and the slice controller order addresses as IP strings.
        pods.sort_by(|a, b| crate::proxy::cmp_ip_strings(a.ip, b.ip));

        // Endpoints: group (address, ready) by resolved port set.
        let mut groups: BTreeMap<Vec<(String, i64, Protocol)>, EndpointSubset> = BTreeMap::new();
        for pod in &pods {
            if pod.terminating && !svc.spec.publish_not_ready_addresses {
                continue;
            }
            if pod.ports.is_empty() && !svc.spec.ports.is_empty() {
                continue;
            }
            if !groups.contains_key(&pod.ports) {
                groups.insert(pod.ports.clone(), EndpointSubset::default());
            }
            let Some(subset) = groups.get_mut(&pod.ports) else { continue };
            if subset.ports.is_empty() {
                subset.ports = pod
                    .ports
                    .iter()
                    .map(|(n, p, proto)| EndpointPort {
                        name: (!n.is_empty()).then(|| n.clone()),
                        port: *p,
                        protocol: *proto,
                    })
                    .collect();
            }
            let a = EndpointAddress {
                ip: pod.ip,
                hostname: pod.hostname.clone(),
                node_name: pod.node.clone(),
                target: Some(pod.name.clone()),
            };
            if pod.ready || svc.spec.publish_not_ready_addresses {
                subset.addresses.push(a);
            } else {
                subset.not_ready_addresses.push(a);
            }
        }
        let mut subsets: Vec<EndpointSubset> = groups.into_values().collect();
        let truncated = truncate_endpoints(&mut subsets);
        // What the slices need of the Service, taken now: the Service is read, never copied.
        let facts = SliceFacts {
            uid: svc.meta.uid.clone(),
            labels: slice_labels(svc, ENDPOINTSLICE_CONTROLLER).into(),
            publish_not_ready: svc.spec.publish_not_ready_addresses,
        };
        let mut labels = svc.meta.labels.as_ref().clone();
        if svc.is_headless() {
            labels.insert("service.kubernetes.io/headless".into(), "".into());
        }
        let existing = match ctx.store().get(&ep_key) {
            Some(Object::Endpoints(e)) => Some(e),
            _ => None,
        };
        let mut annotations = existing.map(|e| e.meta.annotations.as_ref().clone()).unwrap_or_default();
        if truncated {
            annotations.insert(OVER_CAPACITY.into(), "truncated".into());
        } else {
            annotations.remove(OVER_CAPACITY);
        }
        let changed =
            existing.is_none_or(|e| !same_subsets(&e.subsets, &subsets) || *e.meta.labels != labels || *e.meta.annotations != annotations);
        if changed {
            let meta = match existing {
                Some(e) => ObjectMeta {
                    labels: labels.into(),
                    annotations: annotations.into(),
                    ..e.meta.clone()
                },
                None => ObjectMeta {
                    name: name.into(),
                    namespace: ns.into(),
                    labels: labels.into(),
                    annotations: annotations.into(),
                    uid: ctx.new_uid(),
                    creation: ctx.now(),
                    owner: Some(OwnerRef {
                        kind: Kind::Service,
                        name: name.into(),
                        uid: facts.uid.clone(),
                    }),
                    ..Default::default()
                },
            };
            let ready: Vec<Addr> = subsets
                .iter()
                .flat_map(|s| {
                    s.addresses
                        .iter()
                        .flat_map(move |a| s.ports.iter().map(move |p| Addr(a.ip, u16::try_from(p.port).unwrap_or(0))))
                })
                .collect();
            let not_ready: usize = subsets.iter().map(|s| s.not_ready_addresses.len()).sum();
            let selector: Vec<CompactString> = selector.iter().map(|(k, v)| compact_str::format_compact!("{k}={v}")).collect();
            ctx.record(
                What::EndpointsUpdated {
                    service: svc_key.clone(),
                    endpoints: ep_key.clone(),
                    ready,
                    not_ready,
                    selector,
                },
                Route::new(Element::ApiServer, Element::service(ns, name)),
            );
            ctx.write(Object::Endpoints(Endpoints { meta, subsets }));
        }
        reconcile_slices(ctx, ns, name, &facts, &pods);
    }
}

/// Whether two Endpoints' subsets are the same once packed: upstream compares them after
/// `RepackSubsets`, which puts ports and subsets in its own canonical order (`SortSubsets`,
/// by hash), so subsets that differ only in the order of their ports or of the subsets
/// themselves are equal and nothing is written (an imported Endpoints keeps the order the real
/// controller wrote).
fn same_subsets<'a>(a: &'a [EndpointSubset], b: &'a [EndpointSubset]) -> bool {
    // Each subset as (its ports sorted, its addresses), the subsets in order of their ports
    // (a stable sort): borrowed, nothing copied.
    type Canon<'a> = Vec<(
        Vec<(&'a Option<String>, i64, Protocol)>,
        &'a [EndpointAddress],
        &'a [EndpointAddress],
    )>;
    let canon = |s: &'a [EndpointSubset]| -> Canon<'a> {
        let mut v: Canon<'a> = s
            .iter()
            .map(|x| {
                let mut ports: Vec<_> = x.ports.iter().map(|p| (&p.name, p.port, p.protocol)).collect();
                ports.sort();
                (ports, x.addresses.as_slice(), x.not_ready_addresses.as_slice())
            })
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    a.len() == b.len() && (a == b || canon(a) == canon(b))
}

/// Whether two lists hold the same items in any order: the slice reconciler groups slices by
/// a key of their sorted ports (`NewPortMapKey`) and compares endpoints through a set
/// (`EndpointsEqualBeyondHash`), so order alone never makes it rewrite a slice.
fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && (a == b || a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x)))
}

/// What the EndpointSlice sync needs of its Service.
struct SliceFacts {
    uid: Uid,
    /// The Service's labels plus the slice controller's own, shared by the Service's slices.
    labels: std::sync::Arc<Labels>,
    publish_not_ready: bool,
}

fn reconcile_slices(ctx: &mut Ctx, ns: &str, svc_name: &str, svc: &SliceFacts, pods: &[Selected]) {
    let ns = ns.to_string();
    let mut by_ports: BTreeMap<Vec<(String, i64, Protocol)>, Vec<SliceEndpoint>> = BTreeMap::new();
    for pod in pods {
        if !by_ports.contains_key(&pod.ports) {
            by_ports.insert(pod.ports.clone(), Vec::new());
        }
        let Some(group) = by_ports.get_mut(&pod.ports) else { continue };
        group.push(SliceEndpoint {
            addresses: vec![pod.ip],
            conditions: EndpointConditions::set(pod.ready && !pod.terminating || svc.publish_not_ready, pod.ready, pod.terminating),
            hostname: pod.hostname.clone(),
            node_name: pod.node.clone(),
            zone: None,
            target: Some(pod.name.clone()),
        });
    }
    if by_ports.is_empty() {
        by_ports.insert(Vec::new(), Vec::new());
    }
    let mut desired: Vec<(Vec<EndpointPort>, Vec<SliceEndpoint>)> = Vec::new();
    for (ports, eps) in by_ports {
        let ports: Vec<EndpointPort> = if eps.is_empty() && ports.is_empty() {
            Vec::new()
        } else {
            ports
                .iter()
                .map(|(n, p, pr)| EndpointPort {
                    name: Some(n.clone()),
                    port: *p,
                    protocol: *pr,
                })
                .collect()
        };
        if eps.is_empty() {
            desired.push((ports.clone(), Vec::new()));
        }
        let mut eps = eps.into_iter().peekable();
        while eps.peek().is_some() {
            desired.push((ports.clone(), eps.by_ref().take(MAX_ENDPOINTS_PER_SLICE).collect()));
        }
    }
    // The slices this Service owns, from the owner index (not a namespace scan).
    let mut existing: Vec<&EndpointSlice> = ctx
        .store()
        .owned_by(&svc.uid)
        .filter_map(|o| match o {
            Object::EndpointSlice(s) => Some(s),
            _ => None,
        })
        .collect();
    existing.sort_by_key(|s| s.meta.creation);
    let labels = &svc.labels;
    let existing: Vec<(String, bool)> = existing
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let same = desired
                .get(i)
                .is_some_and(|(p, e)| same_set(&s.ports, p) && same_set(&s.endpoints, e) && s.meta.labels == *labels);
            (s.meta.name.to_string(), same)
        })
        .collect();
    let wanted = desired.len();
    for (i, (ports, eps)) in desired.into_iter().enumerate() {
        match existing.get(i) {
            Some((_, true)) => {}
            Some((name, false)) => {
                let Some(Object::EndpointSlice(s)) = ctx.store().get(&ObjKey::new(Kind::EndpointSlice, &ns, name)) else {
                    continue;
                };
                // Only the metadata carries over; ports and endpoints are the new ones.
                let mut s = EndpointSlice {
                    meta: s.meta.clone(),
                    address_type: s.address_type.clone(),
                    ports,
                    endpoints: eps,
                };
                s.meta.labels = labels.clone();
                record_slice(ctx, &ns, svc_name, &s, false);
                ctx.write(Object::EndpointSlice(s));
            }
            None => {
                let meta = new_slice_meta(ctx, &ns, svc_name, labels.clone(), Kind::Service, svc_name, &svc.uid);
                let slice = EndpointSlice {
                    meta,
                    address_type: AddressType::IPv4,
                    ports,
                    endpoints: eps,
                };
                record_slice(ctx, &ns, svc_name, &slice, true);
                ctx.write(Object::EndpointSlice(slice));
            }
        }
    }
    for (extra, _) in existing.iter().skip(wanted) {
        let slice = ObjKey::new(Kind::EndpointSlice, &ns, extra);
        ctx.record(
            What::SliceDeleted {
                service: ObjKey::new(Kind::Service, &ns, svc_name),
                slice: slice.clone(),
            },
            Route::new(Element::Controller(Controller::EndpointSlice), Element::service(&ns, svc_name)),
        );
        ctx.erase(&slice);
    }
}

/// Registration step 4 as the data path sees it: one slice's endpoints by condition.
fn record_slice(ctx: &mut Ctx, ns: &str, name: &str, slice: &EndpointSlice, created: bool) {
    let mut ready = Vec::new();
    let mut serving_terminating = Vec::new();
    let mut not_ready = 0;
    for e in &slice.endpoints {
        let c = &e.conditions;
        if c.ready != Some(false) {
            ready.extend(e.addresses.iter().copied());
        } else if c.serving == Some(true) && c.terminating == Some(true) {
            serving_terminating.extend(e.addresses.iter().copied());
        } else {
            not_ready += e.addresses.len();
        }
    }
    let ports = slice
        .ports
        .iter()
        .map(|p| match p.name.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => compact_str::format_compact!("{n} {}/{}", p.port, p.protocol.as_str()),
            None => compact_str::format_compact!("{}/{}", p.port, p.protocol.as_str()),
        })
        .collect();
    ctx.record(
        What::SliceUpdated {
            service: ObjKey::new(Kind::Service, ns, name),
            slice: ObjKey::new(Kind::EndpointSlice, ns, &slice.meta.name),
            created,
            ports,
            ready,
            serving_terminating,
            not_ready,
        },
        Route::new(Element::Controller(Controller::EndpointSlice), Element::service(ns, name)),
    );
}

/// A new slice's metadata: `generateName: <service>-` (the API server's 5 random
/// characters), owned by `owner`.
pub(super) fn new_slice_meta(
    ctx: &mut Ctx,
    ns: &str,
    service: &str,
    labels: std::sync::Arc<Labels>,
    owner_kind: Kind,
    owner: &str,
    owner_uid: &Uid,
) -> ObjectMeta {
    let name = ctx.generate_name(Kind::EndpointSlice, ns, &format!("{service}-"));
    ObjectMeta {
        name: name.into(),
        namespace: ns.into(),
        labels,
        uid: ctx.new_uid(),
        creation: ctx.now(),
        owner: Some(OwnerRef {
            kind: owner_kind,
            name: owner.into(),
            uid: owner_uid.into(),
        }),
        ..Default::default()
    }
}

/// A slice's labels: the Service's own, the Service name, and who manages it.
fn slice_labels(svc: &Service, managed_by: &str) -> Labels {
    let mut labels = svc.meta.labels.as_ref().clone();
    labels.insert(SERVICE_NAME_LABEL.into(), svc.meta.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), managed_by.into());
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subset(ready: usize, not_ready: usize, base: u8) -> EndpointSubset {
        let addr = |i: usize| EndpointAddress {
            ip: Ipv4Addr::new(10, base, (i / 256) as u8, (i % 256) as u8),
            hostname: None,
            node_name: None,
            target: None,
        };
        EndpointSubset {
            addresses: (0..ready).map(addr).collect(),
            not_ready_addresses: (ready..ready + not_ready).map(addr).collect(),
            ports: Vec::new(),
        }
    }

    #[test]
    fn truncation_keeps_ready_first_and_proportional() {
        let mut s = vec![subset(600, 0, 1), subset(300, 200, 2)];
        assert!(truncate_endpoints(&mut s));
        let ready: usize = s.iter().map(|x| x.addresses.len()).sum();
        let not_ready: usize = s.iter().map(|x| x.not_ready_addresses.len()).sum();
        assert_eq!((ready, not_ready), (900, 100));

        let mut s = vec![subset(900, 10, 1), subset(300, 0, 2)];
        assert!(truncate_endpoints(&mut s));
        assert_eq!(s[0].addresses.len(), 750); // ceil(900/1200 * 1000)
        assert_eq!(s[1].addresses.len(), 250); // what is left
        assert!(s[0].not_ready_addresses.is_empty());

        let mut s = vec![subset(1000, 0, 1)];
        assert!(!truncate_endpoints(&mut s));
    }
}
