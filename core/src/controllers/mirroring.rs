//! The EndpointSlice mirroring controller (`pkg/controller/endpointslicemirroring`).
//!
//! A Service without a selector gets no endpoints from the controllers: the learner writes its
//! Endpoints by hand. Since the data path reads EndpointSlices, this controller mirrors such
//! Endpoints into slices: one slice per subset, named `<service>-<5 random characters>`
//! (`generateName`), labelled `kubernetes.io/service-name` and
//! `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`, owned by
//! the Endpoints object, with the Endpoints' own labels and annotations (but not
//! `kubectl.kubernetes.io/last-applied-configuration`). An address becomes an endpoint with
//! only `ready` set (`addressToEndpoint`): true for `addresses`, false for `notReadyAddresses`.
//!
//! Not mirrored, as upstream: Endpoints of a Service with a selector (the EndpointSlice
//! controller owns those), Endpoints without a Service, and Endpoints labelled
//! `endpointslice.kubernetes.io/skip-mirror: "true"`. At most 1000 addresses per subset are
//! mirrored (`maxEndpointsPerSubset`).

use super::context::Ctx;
use super::endpoints::new_slice_meta;
use crate::model::*;
use crate::trace::{Controller, Element, Route, What};

/// `endpointslice.kubernetes.io/skip-mirror`.
const SKIP_MIRROR: &str = "endpointslice.kubernetes.io/skip-mirror";

/// `maxEndpointsPerSubset` of the mirroring controller's default config.
const MAX_ENDPOINTS_PER_SUBSET: usize = 1000;

/// The mirroring controller, one sync per Service: no state of its own.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MirroringController;

impl MirroringController {
    /// Mirror the Endpoints `name` in `ns` into EndpointSlices, or remove mirrored slices
    /// that should no longer exist.
    pub(crate) fn reconcile(&mut self, ctx: &mut Ctx, ns: &str, name: &str) {
        let ep_key = ObjKey::new(Kind::Endpoints, ns, name);
        let svc = ctx.store().service(ns, name);
        let eps = match ctx.store().get(&ep_key) {
            Some(Object::Endpoints(e)) => Some(e),
            _ => None,
        };
        let wanted = match (svc, eps) {
            (Some(s), Some(e)) if s.spec.selector.is_none() && e.meta.labels.get(SKIP_MIRROR) != Some("true") => Some(e.clone()),
            _ => None,
        };
        // The mirrored slices of this Service, whoever they are owned by now.
        let mut existing: Vec<EndpointSlice> = ctx
            .store()
            .slices_of(ns, name)
            .filter(|s| s.meta.labels.get(MANAGED_BY_LABEL) == Some(MIRRORING_CONTROLLER))
            .cloned()
            .collect();
        existing.sort_by_key(|s| s.meta.creation);
        let Some(e) = wanted else {
            for s in existing {
                ctx.erase(&ObjKey::new(Kind::EndpointSlice, ns, &s.meta.name));
            }
            return;
        };
        let mut labels = e.meta.labels.as_ref().clone();
        labels.remove(SKIP_MIRROR);
        labels.insert(SERVICE_NAME_LABEL.into(), name.into());
        labels.insert(MANAGED_BY_LABEL.into(), MIRRORING_CONTROLLER.into());
        let mut annotations = e.meta.annotations.as_ref().clone();
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        annotations.remove("endpoints.kubernetes.io/last-change-trigger-time");
        // Shared by every slice of this Endpoints.
        let (labels, annotations) = (std::sync::Arc::new(labels), std::sync::Arc::new(annotations));
        let desired: Vec<(Vec<EndpointPort>, Vec<SliceEndpoint>)> = e
            .subsets
            .iter()
            .map(|sub| {
                let ports = sub
                    .ports
                    .iter()
                    .map(|p| EndpointPort {
                        name: Some(p.name.clone().unwrap_or_default()),
                        port: p.port,
                        protocol: p.protocol,
                    })
                    .collect();
                let endpoint = |a: &EndpointAddress, ready: bool| SliceEndpoint {
                    addresses: vec![a.ip],
                    conditions: EndpointConditions {
                        ready: Some(ready),
                        serving: None,
                        terminating: None,
                    },
                    hostname: a.hostname.clone().filter(|h| !h.is_empty()),
                    node_name: a.node_name.clone(),
                    zone: None,
                    target: a.target.clone(),
                };
                let mut list: Vec<SliceEndpoint> = sub.addresses.iter().map(|a| endpoint(a, true)).collect();
                list.extend(sub.not_ready_addresses.iter().map(|a| endpoint(a, false)));
                list.truncate(MAX_ENDPOINTS_PER_SUBSET);
                (ports, list)
            })
            .collect();
        let mut changed = 0usize;
        for (i, (ports, endpoints)) in desired.iter().enumerate() {
            match existing.get(i) {
                Some(s)
                    if &s.ports == ports && &s.endpoints == endpoints && s.meta.labels == labels && s.meta.annotations == annotations => {}
                Some(s) => {
                    let mut s = s.clone();
                    s.ports = ports.clone();
                    s.endpoints = endpoints.clone();
                    s.meta.labels = labels.clone();
                    s.meta.annotations = annotations.clone();
                    ctx.write(Object::EndpointSlice(s));
                    changed += 1;
                }
                None => {
                    let mut meta = new_slice_meta(ctx, ns, name, labels.clone(), Kind::Endpoints, name, &e.meta.uid);
                    meta.annotations = annotations.clone();
                    ctx.write(Object::EndpointSlice(EndpointSlice {
                        meta,
                        address_type: AddressType::IPv4,
                        ports: ports.clone(),
                        endpoints: endpoints.clone(),
                    }));
                    changed += 1;
                }
            }
        }
        for extra in existing.iter().skip(desired.len()) {
            ctx.erase(&ObjKey::new(Kind::EndpointSlice, ns, &extra.meta.name));
            changed += 1;
        }
        if changed > 0 {
            let n: usize = desired.iter().map(|(_, e)| e.len()).sum();
            ctx.record(
                What::Mirrored {
                    service: ObjKey::new(Kind::Service, ns, name),
                    endpoints: ep_key,
                    slices: desired.len(),
                    endpoint_count: n,
                },
                Route::new(Element::Controller(Controller::EndpointSliceMirroring), Element::service(ns, name)),
            );
        }
    }
}
