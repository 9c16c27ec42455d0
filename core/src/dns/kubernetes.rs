//! The cluster DNS server: CoreDNS (kubeadm's Corefile) with the `kubernetes` plugin answering
//! from the store, per the Kubernetes DNS-Based Service Discovery spec 1.1.0.
//!
//! Endpoints come from EndpointSlices, as the plugin's informer reads them
//! (`object.EndpointSliceToEndpoints`): a Service's slices are those labelled
//! `kubernetes.io/service-name` with its name ([`Store::slices_of`]), hand-written ones
//! included; an endpoint is served when `conditions.ready` is unset or true (`serving` and
//! `terminating` do not matter to DNS), with its hostname and its slice's ports; only IPv4
//! slices (the cluster is single-stack). See [`served`].
//!
//! Records served (zone `cluster.local.` by default, TTL 30, AA set):
//! - `<svc>.<ns>.svc.<zone>` A → the ClusterIP (even with no endpoints); headless → one A per
//!   served address (NXDOMAIN when none); ExternalName → CNAME.
//! - `<hostname-or-dashed-ip>.<svc>.<ns>.svc.<zone>` A for served addresses.
//! - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV for named ports (the Service's; a headless
//!   Service's slices'), weight ⌊100/n⌋, one record per (target, port).
//! - `<a-b-c-d>.<ns>.pod.<zone>` A (`pods insecure`), `dns-version.<zone>` TXT "1.1.0", and
//!   PTR records in `in-addr.arpa`: a ClusterIP's Service, else every slice's served endpoint
//!   at that address (found through the store's indexes, not by scanning Services).
//!
//! A name that exists without the asked type is NOERROR/NODATA with the SOA; an unknown name is
//! NXDOMAIN with the SOA. Names outside the zone go to `hosts`, then `forward` (the upstream).
//!
//! The served Corefile's `ttl` and `pods insecure|verified|disabled` apply
//! ([`Server::with_settings`]; `Cluster::dns_view` builds the server as the CoreDNS Pods serve).
//!
//! **The DNS view** (for the page): [`Server::zone_records`] lists every record of the zone as
//! this server answers it — `dns-version` TXT; per Service (sorted by namespace, name): A for a
//! ClusterIP, SRV `_<port>._<proto>` for each named port (weight 100 → the Service name), PTR of
//! the ClusterIP; headless: one A per served address on the Service name, A per endpoint name
//! (hostname or dashed IP), SRV per named slice port and endpoint name (weight 100/n, the
//! slice's port); ExternalName: CNAME; then PTR for every served address of every slice that
//! is no ClusterIP. [`Server::records_for_service`] is the subset belonging to one Service (its
//! names, and PTRs pointing at them). Pod records (`a-b-c-d.<ns>.pod`) are not listed: with
//! `pods insecure` any IP answers. For each listed (name, type), `query` answers exactly those
//! records (core/tests/dns_view.rs checks this on random clusters).

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use super::{fqdn, labels, reverse_name, upstream, RData, RType, Record, Response};
use crate::api::Store;
use crate::model::*;

/// The TTL kubeadm's Corefile sets (`ttl 30`); without a `ttl` line the plugin uses 5.
pub const TTL: u32 = 30;
/// The plugin's TTL when the Corefile's `kubernetes` block has no `ttl` line.
pub const DEFAULT_TTL: u32 = 5;

/// The `pods` option of the kubernetes plugin: whether `a-b-c-d.<ns>.pod.<zone>` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodsMode {
    /// No pod records (the plugin's default): NXDOMAIN.
    Disabled,
    /// Any well-formed IP answers in an existing namespace (kube-dns compatible; kubeadm's).
    Insecure,
    /// Only the IP of a Pod that exists in that namespace answers.
    Verified,
}

impl PodsMode {
    pub fn parse(s: &str) -> Option<PodsMode> {
        match s {
            "disabled" => Some(PodsMode::Disabled),
            "insecure" => Some(PodsMode::Insecure),
            "verified" => Some(PodsMode::Verified),
            _ => None,
        }
    }
}

/// Which plugin produced an answer (for the trace and `kubectl logs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Kubernetes,
    Hosts,
    Forward,
}

/// The view of the cluster CoreDNS serves from.
pub struct Server<'a> {
    pub store: &'a Store,
    pub zone: String,
    /// Serial for the SOA (CoreDNS uses the time of the last change).
    pub serial: u32,
    pub hosts: Vec<(String, Ipv4Addr)>,
    /// The `ttl` of the served Corefile's kubernetes block.
    pub ttl: u32,
    /// The `pods` option of the served Corefile's kubernetes block.
    pub pods: PodsMode,
}

impl<'a> Server<'a> {
    pub fn new(store: &'a Store, zone: &str, serial: u32) -> Self {
        Server {
            store,
            zone: fqdn(zone),
            serial,
            hosts: vec![("host.minikube.internal.".into(), Ipv4Addr::new(192, 168, 49, 1))],
            ttl: TTL,
            pods: PodsMode::Insecure,
        }
    }

    /// The same view with a Corefile's `ttl` and `pods` settings.
    pub fn with_settings(mut self, ttl: u32, pods: PodsMode) -> Self {
        self.ttl = ttl;
        self.pods = pods;
        self
    }

    pub fn soa(&self) -> Record {
        Record {
            name: self.zone.clone(),
            // backend_lookup.go SOA: the header TTL is min(ttl, 300), MINIMUM the plugin's ttl.
            ttl: self.ttl.min(300),
            data: RData::Soa {
                mname: format!("ns.dns.{}", self.zone),
                rname: format!("hostmaster.{}", self.zone),
                serial: self.serial,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minimum: self.ttl,
            },
        }
    }

    /// Answer one question.
    pub fn query(&self, qname: &str, qtype: RType) -> (Response, Source) {
        let name = fqdn(qname);
        if let Some((_, ip)) = self.hosts.iter().find(|(h, _)| *h == name) {
            let r = match qtype {
                RType::A => Response::answer(vec![Record {
                    name: qname.into(),
                    ttl: 3600,
                    data: RData::A(*ip),
                }]),
                _ => Response::nodata(None),
            };
            return (r, Source::Hosts);
        }
        if name == self.zone || name.ends_with(&format!(".{}", self.zone)) {
            return (self.in_zone(qname, &name, qtype), Source::Kubernetes);
        }
        if name.ends_with(".in-addr.arpa.") {
            if let Some(r) = self.reverse(qname, &name, qtype) {
                return (r, Source::Kubernetes);
            }
        }
        (upstream::answer(qname, qtype), Source::Forward)
    }

    fn rec(&self, name: &str, data: RData) -> Record {
        Record {
            name: name.to_string(),
            ttl: self.ttl,
            data,
        }
    }

    fn in_zone(&self, qname: &str, name: &str, qtype: RType) -> Response {
        let rel = &name[..name.len() - self.zone.len()];
        let l = labels(rel);
        let nx = || Response::nxdomain(Some(self.soa()));
        let nodata = || Response::nodata(Some(self.soa()));
        match l.as_slice() {
            [] => match qtype {
                RType::Soa => Response::answer(vec![self.soa()]),
                RType::Ns => Response::answer(vec![self.rec(qname, RData::Ns(format!("ns.dns.{}", self.zone)))]),
                _ => nodata(),
            },
            ["dns-version"] => match qtype {
                RType::Txt => Response::answer(vec![self.rec(qname, RData::Txt("1.1.0".into()))]),
                _ => nodata(),
            },
            ["svc"] | ["pod"] => nodata(),
            [ns, "svc"] | [ns, "pod"] => {
                if self.store.namespace_exists(ns) {
                    nodata()
                } else {
                    nx()
                }
            }
            [svc, ns, "svc"] => self.service(qname, svc, ns, qtype),
            [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => {
                self.srv(qname, &port[1..], &proto[1..], svc, ns, qtype)
            }
            [ep, svc, ns, "svc"] => self.endpoint(qname, ep, svc, ns, qtype),
            [ip, ns, "pod"] => {
                let Ok(addr) = ip.replace('-', ".").parse::<Ipv4Addr>() else {
                    return nx();
                };
                if !self.store.namespace_exists(ns) {
                    return nx();
                }
                // findPods: disabled → errNoItems; verified → only an IP of a live Pod in ns.
                match self.pods {
                    PodsMode::Disabled => return nx(),
                    PodsMode::Verified => {
                        // PodIndex(ip): the Pods at that IP, in that namespace.
                        let exists = self.store.pods_at(addr).any(|p| p.meta.namespace == *ns && !p.is_terminating());
                        if !exists {
                            return nx();
                        }
                    }
                    PodsMode::Insecure => {}
                }
                match qtype {
                    RType::A => Response::answer(vec![self.rec(qname, RData::A(addr))]),
                    _ => nodata(),
                }
            }
            _ => nx(),
        }
    }

    fn service(&self, qname: &str, svc: &str, ns: &str, qtype: RType) -> Response {
        self.service_at(qname, svc, ns, qtype, 0)
    }

    fn service_at(&self, qname: &str, svc: &str, ns: &str, qtype: RType, depth: u8) -> Response {
        let Some(s) = self.store.service(ns, svc) else {
            return Response::nxdomain(Some(self.soa()));
        };
        if s.spec.type_ == ServiceType::ExternalName {
            // CNAME to the external name; for A/AAAA the target is chased (in the zone by the
            // plugin itself, outside it through the upstream), as spec 2.5's answer example shows.
            let target = fqdn(s.spec.external_name.as_deref().unwrap_or(""));
            let mut answers = vec![self.rec(qname, RData::Cname(target.clone()))];
            if matches!(qtype, RType::A | RType::Aaaa) && depth < 8 {
                let chased = if target.ends_with(&format!(".{}", self.zone)) {
                    let rel = &target[..target.len() - self.zone.len()];
                    match labels(rel).as_slice() {
                        [t, tns, "svc"] => self.service_at(&target, t, tns, qtype, depth + 1),
                        _ => Response::nxdomain(None),
                    }
                } else {
                    upstream::answer(&target, qtype)
                };
                if chased.rcode == super::Rcode::NoError {
                    answers.extend(chased.answers);
                }
            }
            return Response::answer(answers);
        }
        let found = self.find(s, None, None, None);
        if found.is_empty() {
            return Response::nxdomain(Some(self.soa()));
        }
        match qtype {
            RType::A | RType::Any => Response::answer(self.a_records(qname, &found)),
            // SRV on the bare name: one record per port (named or not), weight 100/n (CoreDNS
            // handler_test.go "svc1.testns.svc.cluster.local." SRV). Headless: one per endpoint
            // and port of its slice, targeting the endpoint's name (once per target and port:
            // endpoints sharing a hostname give one record), its A records in ADDITIONAL.
            RType::Srv => {
                let (answers, extra) = self.srv_records(qname, &found);
                if answers.is_empty() {
                    return Response::nodata(Some(self.soa()));
                }
                let mut r = Response::answer(answers);
                r.additional = extra;
                r
            }
            _ => Response::nodata(Some(self.soa())),
        }
    }

    /// The addresses CoreDNS serves for a Service: those of its EndpointSlices (grouped by the
    /// `kubernetes.io/service-name` label), in slice-name order, as [`served`] keeps them.
    pub fn addresses(&self, ns: &str, svc: &str) -> Vec<Served<'a>> {
        self.store.slices_of(ns, svc).flat_map(served).collect()
    }

    /// `findServices`: what a name under a (non-ExternalName) Service stands for. A ClusterIP
    /// Service's own name (and its SRV names) is its ClusterIP × each port matching
    /// `port`/`proto`; a headless Service's name, and any endpoint name (`endpoint`), is each
    /// served address (of that name) × each port of its slice that matches. Empty: NXDOMAIN.
    fn find(&self, s: &Service, endpoint: Option<&str>, port: Option<&str>, proto: Option<&str>) -> Vec<Backend> {
        let matches = |name: &str, protocol: &str| {
            port.is_none_or(|p| p.eq_ignore_ascii_case(name)) && proto.is_none_or(|p| p.eq_ignore_ascii_case(protocol))
        };
        let mut out = Vec::new();
        if let (Some(ip), None) = (s.cluster_ip(), endpoint) {
            let target = format!("{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone);
            for p in &s.spec.ports {
                let (name, protocol) = (p.name.as_deref().unwrap_or(""), p.protocol.as_str());
                if matches(name, protocol) {
                    out.push(Backend {
                        target: target.clone(),
                        ip,
                        port: p.port,
                        port_name: name.to_string(),
                        protocol,
                    });
                }
            }
            return out;
        }
        for a in self.addresses(&s.meta.namespace, &s.meta.name) {
            let name = a.name();
            if endpoint.is_some_and(|e| !e.eq_ignore_ascii_case(&name)) {
                continue;
            }
            let target = format!("{name}.{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone);
            for (pname, port, protocol) in slice_ports(a.slice) {
                if matches(pname, protocol) {
                    out.push(Backend {
                        target: target.clone(),
                        ip: a.ip,
                        port,
                        port_name: pname.to_string(),
                        protocol,
                    });
                }
            }
        }
        out
    }

    /// backend_lookup.go `A`: one record per distinct address.
    fn a_records(&self, qname: &str, found: &[Backend]) -> Vec<Record> {
        let mut seen = BTreeSet::new();
        found
            .iter()
            .filter(|b| seen.insert(b.ip))
            .map(|b| self.rec(qname, RData::A(b.ip)))
            .collect()
    }

    /// backend_lookup.go `SRV`: weight ⌊100/n⌋ (at least 1) over all n found, including the
    /// port-less ones it then skips; a record per distinct (target, port), an ADDITIONAL A per
    /// distinct (target, address).
    fn srv_records(&self, qname: &str, found: &[Backend]) -> (Vec<Record>, Vec<Record>) {
        let weight = (100 / found.len().max(1)).max(1) as u16;
        let (mut answers, mut extra) = (Vec::new(), Vec::new());
        let (mut srvs, mut addrs) = (BTreeSet::new(), BTreeSet::new());
        for b in found {
            if b.port == NO_PORT {
                continue;
            }
            if srvs.insert((&b.target, b.port)) {
                answers.push(self.rec(
                    qname,
                    RData::Srv {
                        priority: 0,
                        weight,
                        port: b.port as u16,
                        target: b.target.clone(),
                    },
                ));
            }
            if addrs.insert((&b.target, b.ip)) {
                extra.push(self.rec(&b.target, RData::A(b.ip)));
            }
        }
        (answers, extra)
    }

    fn endpoint(&self, qname: &str, ep: &str, svc: &str, ns: &str, qtype: RType) -> Response {
        let Some(s) = self.store.service(ns, svc).filter(|s| s.spec.type_ != ServiceType::ExternalName) else {
            return Response::nxdomain(Some(self.soa()));
        };
        let found = self.find(s, Some(ep), None, None);
        if found.is_empty() {
            return Response::nxdomain(Some(self.soa()));
        }
        match qtype {
            RType::A | RType::Any => Response::answer(self.a_records(qname, &found)),
            _ => Response::nodata(Some(self.soa())),
        }
    }

    fn srv(&self, qname: &str, port: &str, proto: &str, svc: &str, ns: &str, qtype: RType) -> Response {
        let Some(s) = self.store.service(ns, svc).filter(|s| s.spec.type_ != ServiceType::ExternalName) else {
            return Response::nxdomain(Some(self.soa()));
        };
        let found = self.find(s, None, Some(port), Some(proto));
        if found.is_empty() {
            return Response::nxdomain(Some(self.soa()));
        }
        if qtype != RType::Srv && qtype != RType::Any {
            return Response::nodata(Some(self.soa()));
        }
        let (answers, extra) = self.srv_records(qname, &found);
        let mut r = Response::answer(answers);
        r.additional = extra;
        r
    }

    /// Whether `ip` is some Service's ClusterIP (`svcIPIndex`: ClusterIPs only).
    fn is_cluster_ip(&self, ip: Ipv4Addr) -> bool {
        self.store.services_at(ip).any(|s| s.cluster_ip() == Some(ip))
    }

    /// reverse.go `serviceRecordForIP`: the first Service with that ClusterIP; otherwise, for
    /// every slice listing the address (`epIPIndex`), `<endpoint name>.<service-name
    /// label>.<ns>.svc.<zone>` per served endpoint at it — the Service object itself is not
    /// consulted — without duplicates (backend_lookup.go `PTR`).
    fn ptr_targets(&self, ip: Ipv4Addr) -> Vec<String> {
        if let Some(s) = self.store.services_at(ip).find(|s| s.cluster_ip() == Some(ip)) {
            return vec![format!("{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone)];
        }
        let mut targets: Vec<String> = Vec::new();
        for slice in self.store.slices_at(ip) {
            let Some(svc) = slice.service_name() else { continue };
            for a in served(slice).filter(|a| a.ip == ip) {
                let t = format!("{}.{svc}.{}.svc.{}", a.name(), slice.meta.namespace, self.zone);
                if !targets.contains(&t) {
                    targets.push(t);
                }
            }
        }
        targets
    }

    fn reverse(&self, qname: &str, name: &str, qtype: RType) -> Option<Response> {
        let parts = labels(name);
        if parts.len() != 6 {
            return None;
        }
        let ip: Ipv4Addr = format!("{}.{}.{}.{}", parts[3], parts[2], parts[1], parts[0]).parse().ok()?;
        if reverse_name(ip) != fqdn(name) {
            return None;
        }
        let targets = self.ptr_targets(ip);
        if targets.is_empty() {
            return None;
        }
        Some(match qtype {
            RType::Ptr | RType::Any => Response::answer(targets.into_iter().map(|t| self.rec(qname, RData::Ptr(t))).collect()),
            _ => Response::nodata(Some(self.soa())),
        })
    }
}

/// The port of a slice without ports (CoreDNS's sentinel): its addresses answer A, not SRV.
const NO_PORT: i64 = -1;

/// One `msg.Service` of the plugin's answer: an address, the port (or [`NO_PORT`]) and the name
/// an SRV record targets (the Service's, or the endpoint's under it).
#[derive(Clone, Debug)]
struct Backend {
    target: String,
    ip: Ipv4Addr,
    port: i64,
    port_name: String,
    protocol: &'static str,
}

/// One address CoreDNS serves from an EndpointSlice, as `object.EndpointSliceToEndpoints`
/// keeps it: an address of an endpoint whose `conditions.ready` is unset or true
/// (`endpointsliceReady`); `serving` and `terminating` do not matter to DNS.
#[derive(Clone, Copy, Debug)]
pub struct Served<'a> {
    pub ip: Ipv4Addr,
    /// The endpoint it belongs to (its hostname, nodeName, targetRef and conditions).
    pub endpoint: &'a SliceEndpoint,
    /// The slice it is in: its ports are this address's ports.
    pub slice: &'a EndpointSlice,
}

impl Served<'_> {
    /// `endpointHostname`: the endpoint's hostname when set, otherwise the dashed IP.
    pub fn name(&self) -> String {
        match self.endpoint.hostname.as_deref() {
            Some(h) if !h.is_empty() => h.to_string(),
            _ => self.ip.to_string().replace('.', "-"),
        }
    }
}

/// The addresses CoreDNS serves from one slice: its ready (or unset) endpoints' addresses.
/// Only IPv4 slices: the simulated cluster is single-stack IPv4.
pub fn served(slice: &EndpointSlice) -> impl Iterator<Item = Served<'_>> {
    let v4 = slice.address_type == AddressType::IPv4;
    slice
        .endpoints
        .iter()
        .filter(move |e| v4 && e.conditions.is_ready())
        .flat_map(move |e| e.addresses.iter().map(move |&ip| Served { ip, endpoint: e, slice }))
}

/// A slice's ports as CoreDNS keeps them: (name, port, protocol), the sentinel [`NO_PORT`] alone
/// when it has none.
fn slice_ports(slice: &EndpointSlice) -> Vec<(&str, i64, &'static str)> {
    if slice.ports.is_empty() {
        return vec![("", NO_PORT, "")];
    }
    slice
        .ports
        .iter()
        .map(|p| (p.name.as_deref().unwrap_or(""), p.port, p.protocol.as_str()))
        .collect()
}

impl Server<'_> {
    /// Every record of the cluster zone (and the reverse zone) as this server answers it, for
    /// the page's DNS view. See the module doc for the list; each record is exactly what
    /// [`Server::query`] puts in the answer section for its name and type.
    pub fn zone_records(&self) -> Vec<Record> {
        let mut out = vec![self.rec(&format!("dns-version.{}", self.zone), RData::Txt("1.1.0".into()))];
        for s in self.store.services(None) {
            out.extend(self.service_records(s));
        }
        let slices = self.store.list(Kind::EndpointSlice, None).filter_map(|o| match o {
            Object::EndpointSlice(s) => Some(s),
            _ => None,
        });
        out.extend(self.endpoint_ptrs(slices));
        out
    }

    /// The records of one Service: its name, endpoint names, SRV for named ports and the PTR
    /// of its ClusterIP and endpoint IPs. Empty when the Service does not exist.
    pub fn records_for_service(&self, ns: &str, name: &str) -> Vec<Record> {
        let Some(s) = self.store.service(ns, name) else {
            return Vec::new();
        };
        let mut out = self.service_records(s);
        out.extend(self.endpoint_ptrs(self.store.slices_of(ns, name)));
        out
    }

    /// The PTR records of the served addresses of `slices` (reverse.go): for addresses that
    /// are no ClusterIP, one per distinct target.
    fn endpoint_ptrs<'s>(&self, slices: impl Iterator<Item = &'s EndpointSlice>) -> Vec<Record> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for slice in slices {
            let Some(svc) = slice.service_name() else { continue };
            for a in served(slice) {
                if self.is_cluster_ip(a.ip) {
                    continue;
                }
                let target = format!("{}.{svc}.{}.svc.{}", a.name(), slice.meta.namespace, self.zone);
                if seen.insert((a.ip, target.clone())) {
                    out.push(self.rec(&reverse_name(a.ip), RData::Ptr(target)));
                }
            }
        }
        out
    }

    fn service_records(&self, s: &Service) -> Vec<Record> {
        let (svc, ns) = (&s.meta.name, &s.meta.namespace);
        let name = format!("{svc}.{ns}.svc.{}", self.zone);
        let mut out = Vec::new();
        if s.spec.type_ == ServiceType::ExternalName {
            let target = fqdn(s.spec.external_name.as_deref().unwrap_or(""));
            out.push(self.rec(&name, RData::Cname(target)));
            return out;
        }
        let all = self.find(s, None, None, None);
        if all.is_empty() {
            return out;
        }
        out.extend(self.a_records(&name, &all));
        // The named ports `_<port>._<proto>` answer for: the Service's (ClusterIP), its slices'
        // (headless), in order.
        let mut named: Vec<(&str, &str)> = Vec::new();
        match s.cluster_ip() {
            Some(_) => {
                for p in &s.spec.ports {
                    if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
                        named.push((n, p.protocol.as_str()));
                    }
                }
            }
            None => {
                let mut seen = BTreeSet::new();
                for b in &all {
                    if seen.insert((&b.target, b.ip)) {
                        out.push(self.rec(&b.target, RData::A(b.ip)));
                    }
                }
                for b in &all {
                    if !b.port_name.is_empty() && !named.contains(&(b.port_name.as_str(), b.protocol)) {
                        named.push((&b.port_name, b.protocol));
                    }
                }
            }
        }
        for (pn, proto) in named {
            let srv = format!("_{pn}._{}.{name}", proto.to_ascii_lowercase());
            let (answers, _) = self.srv_records(&srv, &self.find(s, None, Some(pn), Some(proto)));
            out.extend(answers);
        }
        if let Some(ip) = s.cluster_ip() {
            out.push(self.rec(&reverse_name(ip), RData::Ptr(name.clone())));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, Config};
    use crate::dns::Rcode;

    fn cluster() -> Cluster {
        crate::bootstrap::minikube(Config::default())
    }

    #[test]
    fn kubernetes_service_a_record() {
        let c = cluster();
        let s = Server::new(c.api.store(), "cluster.local", 1);
        let (r, src) = s.query("kubernetes.default.svc.cluster.local.", RType::A);
        assert_eq!(src, Source::Kubernetes);
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 96, 0, 1)]);
        assert!(r.aa);
        assert_eq!(r.answers[0].ttl, 30);
    }

    #[test]
    fn case_insensitive_and_nodata_vs_nxdomain() {
        let c = cluster();
        let s = Server::new(c.api.store(), "cluster.local", 1);
        let (r, _) = s.query("KUBE-DNS.kube-system.SVC.cluster.local.", RType::A);
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 96, 0, 10)]);
        let (r, _) = s.query("kube-dns.kube-system.svc.cluster.local.", RType::Aaaa);
        assert_eq!(r.rcode, Rcode::NoError);
        assert!(r.answers.is_empty());
        assert_eq!(r.authority[0].data.rtype(), RType::Soa);
        let (r, _) = s.query("nope.default.svc.cluster.local.", RType::A);
        assert_eq!(r.rcode, Rcode::NxDomain);
        let (r, _) = s.query("kube-dns.nons.svc.cluster.local.", RType::A);
        assert_eq!(r.rcode, Rcode::NxDomain);
    }

    #[test]
    fn srv_for_named_ports_and_dns_version() {
        let c = cluster();
        let s = Server::new(c.api.store(), "cluster.local", 1);
        let (r, _) = s.query("_dns._udp.kube-dns.kube-system.svc.cluster.local.", RType::Srv);
        assert_eq!(r.answers.len(), 1);
        assert_eq!(r.answers[0].data.to_string(), "0 100 53 kube-dns.kube-system.svc.cluster.local.");
        let (r, _) = s.query("dns-version.cluster.local.", RType::Txt);
        assert_eq!(r.answers[0].data.to_string(), "\"1.1.0\"");
    }

    #[test]
    fn pods_modes_and_ttl() {
        let c = cluster();
        let pod = c
            .store()
            .pods(Some("kube-system"))
            .find_map(|p| p.status.pod_ip.filter(|ip| ip.octets()[0] == 10));
        let ip = pod.expect("a CoreDNS Pod IP");
        let own = format!("{}.kube-system.pod.cluster.local.", ip.to_string().replace('.', "-"));
        let other = "10-244-9-9.kube-system.pod.cluster.local.";
        let s = Server::new(c.api.store(), "cluster.local", 1);
        assert_eq!(s.query(other, RType::A).0.addresses(), vec![Ipv4Addr::new(10, 244, 9, 9)]);
        let v = Server::new(c.api.store(), "cluster.local", 1).with_settings(5, PodsMode::Verified);
        assert_eq!(v.query(&own, RType::A).0.addresses(), vec![ip]);
        assert_eq!(v.query(&own, RType::A).0.answers[0].ttl, 5);
        assert_eq!(v.query(other, RType::A).0.rcode, Rcode::NxDomain);
        // The Pod exists, but not in `default`.
        let elsewhere = own.replace(".kube-system.", ".default.");
        assert_eq!(v.query(&elsewhere, RType::A).0.rcode, Rcode::NxDomain);
        let d = Server::new(c.api.store(), "cluster.local", 1).with_settings(30, PodsMode::Disabled);
        assert_eq!(d.query(&own, RType::A).0.rcode, Rcode::NxDomain);
        // SOA: header TTL min(ttl, 300), MINIMUM the ttl.
        let long = Server::new(c.api.store(), "cluster.local", 1).with_settings(600, PodsMode::Insecure);
        let soa = long.soa();
        assert_eq!(soa.ttl, 300);
        assert!(soa.data.to_string().ends_with(" 600"));
    }

    #[test]
    fn ptr_for_cluster_ip() {
        let c = cluster();
        let s = Server::new(c.api.store(), "cluster.local", 1);
        let (r, _) = s.query("10.0.96.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(r.answers[0].data.to_string(), "kube-dns.kube-system.svc.cluster.local.");
    }

    // ---- answers from hand-written EndpointSlices, on a bare store ----

    fn meta(ns: &str, name: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: ns.into(),
            ..Default::default()
        }
    }

    fn service(name: &str, ip: ClusterIp, ports: &[(&str, i64)]) -> Object {
        let ports = ports
            .iter()
            .map(|(n, p)| ServicePort {
                name: (!n.is_empty()).then(|| n.to_string()),
                protocol: Protocol::Tcp,
                port: *p,
                target_port: IntOrString::Int(*p),
                node_port: None,
            })
            .collect();
        let mut spec = ServiceSpec::new(ServiceType::ClusterIP, None, ports);
        spec.cluster_ip = ip;
        Object::Service(Service {
            meta: meta("db", name),
            spec,
            load_balancer_ips: Vec::new(),
        })
    }

    fn endpoint(ip: [u8; 4], ready: Option<bool>, hostname: Option<&str>) -> SliceEndpoint {
        SliceEndpoint {
            addresses: vec![Ipv4Addr::from(ip)],
            conditions: EndpointConditions {
                ready,
                serving: None,
                terminating: None,
            },
            hostname: hostname.map(str::to_string),
            node_name: Some("minikube".into()),
            zone: None,
            target: None,
        }
    }

    fn slice(name: &str, svc: &str, ports: &[(&str, i64)], endpoints: Vec<SliceEndpoint>) -> Object {
        let mut m = meta("db", name);
        std::sync::Arc::make_mut(&mut m.labels).insert(SERVICE_NAME_LABEL.into(), svc.into());
        Object::EndpointSlice(EndpointSlice {
            meta: m,
            address_type: AddressType::IPv4,
            ports: ports
                .iter()
                .map(|(n, p)| EndpointPort {
                    name: Some(n.to_string()),
                    port: *p,
                    protocol: Protocol::Tcp,
                })
                .collect(),
            endpoints,
        })
    }

    /// Namespace `db`; headless `hl` (Service port `http` 80) and ClusterIP `vip` 10.96.5.5,
    /// both selector-less, with hand-written slices.
    fn store() -> Store {
        let mut st = Store::default();
        st.put(Object::Namespace(Namespace { meta: meta("", "db") }));
        st.put(service("hl", ClusterIp::None, &[("http", 80)]));
        st.put(service("vip", ClusterIp::Ip(Ipv4Addr::new(10, 96, 5, 5)), &[("http", 80)]));
        let terminating = SliceEndpoint {
            conditions: EndpointConditions::set(true, false, true),
            ..endpoint([10, 1, 0, 4], None, None)
        };
        st.put(slice(
            "hl-1",
            "hl",
            // The slice's port is what headless SRV carries, not the Service's 80.
            &[("http", 8080)],
            vec![
                endpoint([10, 1, 0, 1], Some(true), Some("primary")),
                endpoint([10, 1, 0, 2], None, None),
                endpoint([10, 1, 0, 3], Some(false), Some("down")),
                terminating,
            ],
        ));
        st.put(slice(
            "vip-1",
            "vip",
            &[("http", 8080)],
            vec![endpoint([10, 1, 0, 9], None, Some("back"))],
        ));
        st
    }

    fn ask(st: &Store, name: &str, t: RType) -> Response {
        Server::new(st, "cluster.local", 1).query(name, t).0
    }

    fn data(r: &Response) -> Vec<String> {
        r.answers.iter().map(|a| a.data.to_string()).collect()
    }

    #[test]
    fn headless_a_per_ready_or_unset_endpoint() {
        let st = store();
        let r = ask(&st, "hl.db.svc.cluster.local.", RType::A);
        // ready:true, ready unset, and a ready terminating one (serving:false): served;
        // ready:false is not.
        assert_eq!(data(&r), ["10.1.0.1", "10.1.0.2", "10.1.0.4"]);
        let r = ask(&st, "down.hl.db.svc.cluster.local.", RType::A);
        assert_eq!(r.rcode, Rcode::NxDomain);
        let r = ask(&st, "10-1-0-3.hl.db.svc.cluster.local.", RType::A);
        assert_eq!(r.rcode, Rcode::NxDomain);
    }

    #[test]
    fn hostname_and_dashed_ip_records() {
        let st = store();
        assert_eq!(data(&ask(&st, "primary.hl.db.svc.cluster.local.", RType::A)), ["10.1.0.1"]);
        assert_eq!(data(&ask(&st, "10-1-0-2.hl.db.svc.cluster.local.", RType::A)), ["10.1.0.2"]);
        // An endpoint with a hostname is not also named by its dashed IP.
        assert_eq!(ask(&st, "10-1-0-1.hl.db.svc.cluster.local.", RType::A).rcode, Rcode::NxDomain);
        // Endpoint names of a ClusterIP Service answer too (findServices: r.endpoint != "").
        assert_eq!(data(&ask(&st, "back.vip.db.svc.cluster.local.", RType::A)), ["10.1.0.9"]);
        // The ClusterIP Service's own name is its ClusterIP, not its endpoints.
        assert_eq!(data(&ask(&st, "vip.db.svc.cluster.local.", RType::A)), ["10.96.5.5"]);
    }

    #[test]
    fn srv_port_comes_from_the_slice() {
        let st = store();
        let r = ask(&st, "_http._tcp.hl.db.svc.cluster.local.", RType::Srv);
        assert_eq!(
            data(&r),
            [
                "0 33 8080 primary.hl.db.svc.cluster.local.",
                "0 33 8080 10-1-0-2.hl.db.svc.cluster.local.",
                "0 33 8080 10-1-0-4.hl.db.svc.cluster.local.",
            ]
        );
        assert_eq!(r.additional.len(), 3);
        assert_eq!(r.additional[0].name, "primary.hl.db.svc.cluster.local.");
        // A ClusterIP Service's SRV is the Service's port on the Service's name.
        let r = ask(&st, "_http._tcp.vip.db.svc.cluster.local.", RType::Srv);
        assert_eq!(data(&r), ["0 100 80 vip.db.svc.cluster.local."]);
        // A port name no slice has: NXDOMAIN.
        let r = ask(&st, "_grpc._tcp.hl.db.svc.cluster.local.", RType::Srv);
        assert_eq!(r.rcode, Rcode::NxDomain);
    }

    #[test]
    fn ptr_of_endpoint_ips() {
        let st = store();
        let r = ask(&st, "1.0.1.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(data(&r), ["primary.hl.db.svc.cluster.local."]);
        let r = ask(&st, "9.0.1.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(data(&r), ["back.vip.db.svc.cluster.local."]);
        assert_eq!(
            data(&ask(&st, "5.5.96.10.in-addr.arpa.", RType::Ptr)),
            ["vip.db.svc.cluster.local."]
        );
        // ready:false has no PTR: the upstream answers NXDOMAIN.
        let (r, src) = Server::new(&st, "cluster.local", 1).query("3.0.1.10.in-addr.arpa.", RType::Ptr);
        assert_eq!((r.rcode, src), (Rcode::NxDomain, Source::Forward));
    }

    #[test]
    fn duplicate_hostnames_portless_slices_and_other_families() {
        let mut st = store();
        // handler_test.go "dup-name": two endpoints with one hostname are one SRV record,
        // weight over both, and both addresses in ADDITIONAL.
        st.put(slice(
            "hl-2",
            "hl",
            &[("http", 8080)],
            vec![
                endpoint([10, 1, 1, 1], None, Some("dup")),
                endpoint([10, 1, 1, 2], None, Some("dup")),
            ],
        ));
        let r = ask(&st, "_http._tcp.hl.db.svc.cluster.local.", RType::Srv);
        assert_eq!(r.answers.len(), 4);
        assert!(data(&r).iter().all(|d| d.starts_with("0 20 8080 ")));
        assert_eq!(data(&r)[3], "0 20 8080 dup.hl.db.svc.cluster.local.");
        assert_eq!(r.additional.len(), 5);
        assert_eq!(data(&ask(&st, "dup.hl.db.svc.cluster.local.", RType::A)), ["10.1.1.1", "10.1.1.2"]);
        // A slice without ports: its addresses answer A (the -1 sentinel), never SRV.
        st.put(service("bare", ClusterIp::None, &[]));
        st.put(slice("bare-1", "bare", &[], vec![endpoint([10, 1, 2, 1], None, None)]));
        assert_eq!(data(&ask(&st, "bare.db.svc.cluster.local.", RType::A)), ["10.1.2.1"]);
        let r = ask(&st, "bare.db.svc.cluster.local.", RType::Srv);
        assert!(r.is_nodata(), "{r:?}");
        // Only IPv4 slices are read.
        let Object::EndpointSlice(mut v6) = slice("bare-2", "bare", &[], vec![endpoint([10, 1, 2, 2], None, None)]) else {
            unreachable!()
        };
        v6.address_type = AddressType::IPv6;
        st.put(Object::EndpointSlice(v6));
        assert_eq!(data(&ask(&st, "bare.db.svc.cluster.local.", RType::A)), ["10.1.2.1"]);
        // reverse.go names the slice's service-name label: no Service object is consulted.
        st.put(slice("ghost-1", "ghost", &[], vec![endpoint([10, 1, 3, 1], None, None)]));
        assert_eq!(
            data(&ask(&st, "1.3.1.10.in-addr.arpa.", RType::Ptr)),
            ["10-1-3-1.ghost.db.svc.cluster.local."]
        );
        assert_eq!(ask(&st, "ghost.db.svc.cluster.local.", RType::A).rcode, Rcode::NxDomain);
    }

    #[test]
    fn view_lists_slice_records() {
        let st = store();
        let s = Server::new(&st, "cluster.local", 1);
        let keys: Vec<String> = s
            .records_for_service("db", "hl")
            .iter()
            .map(|r| format!("{} {} {}", r.name, r.data.rtype(), r.data))
            .collect();
        assert_eq!(
            keys,
            [
                "hl.db.svc.cluster.local. A 10.1.0.1",
                "hl.db.svc.cluster.local. A 10.1.0.2",
                "hl.db.svc.cluster.local. A 10.1.0.4",
                "primary.hl.db.svc.cluster.local. A 10.1.0.1",
                "10-1-0-2.hl.db.svc.cluster.local. A 10.1.0.2",
                "10-1-0-4.hl.db.svc.cluster.local. A 10.1.0.4",
                "_http._tcp.hl.db.svc.cluster.local. SRV 0 33 8080 primary.hl.db.svc.cluster.local.",
                "_http._tcp.hl.db.svc.cluster.local. SRV 0 33 8080 10-1-0-2.hl.db.svc.cluster.local.",
                "_http._tcp.hl.db.svc.cluster.local. SRV 0 33 8080 10-1-0-4.hl.db.svc.cluster.local.",
                "1.0.1.10.in-addr.arpa. PTR primary.hl.db.svc.cluster.local.",
                "2.0.1.10.in-addr.arpa. PTR 10-1-0-2.hl.db.svc.cluster.local.",
                "4.0.1.10.in-addr.arpa. PTR 10-1-0-4.hl.db.svc.cluster.local.",
            ]
        );
        let vip = s.records_for_service("db", "vip");
        assert_eq!(vip.len(), 4, "{vip:?}"); // A, SRV, the ClusterIP's PTR, the endpoint's PTR
        let zone = s.zone_records();
        for r in &zone {
            let got = s.query(&r.name, r.data.rtype()).0;
            assert!(got.answers.contains(r), "{r:?} not in {got:?}");
        }
    }
}
