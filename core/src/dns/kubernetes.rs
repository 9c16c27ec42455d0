//! The cluster DNS server: CoreDNS (kubeadm's Corefile) with the `kubernetes` plugin answering
//! from the store, per the Kubernetes DNS-Based Service Discovery spec 1.1.0.
//!
//! Records served (zone `cluster.local.` by default, TTL 30, AA set):
//! - `<svc>.<ns>.svc.<zone>` A → the ClusterIP (even with no endpoints); headless → one A per
//!   ready endpoint (NXDOMAIN when none); ExternalName → CNAME.
//! - `<hostname-or-dashed-ip>.<svc>.<ns>.svc.<zone>` A for headless endpoints.
//! - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV for named ports.
//! - `<a-b-c-d>.<ns>.pod.<zone>` A (`pods insecure`), `dns-version.<zone>` TXT "1.1.0", and
//!   PTR records for ClusterIPs and endpoint IPs in `in-addr.arpa`.
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
//! the ClusterIP; headless: one A per ready endpoint on the Service name, A per endpoint name
//! (hostname or dashed IP), SRV per named port and endpoint (weight 100/n, the endpoint's port);
//! ExternalName: CNAME; then PTR for every ready endpoint IP of every Service.
//! [`Server::records_for_service`] is the subset belonging to one Service (its names, and PTRs
//! pointing at them). Pod records (`a-b-c-d.<ns>.pod`) are not listed: with `pods insecure`
//! any IP answers. For each listed (name, type), `query` answers exactly those records
//! (core/tests/dns_view.rs checks this on random clusters).

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
                        let exists = self
                            .store
                            .pods(Some(ns))
                            .any(|p| p.status.pod_ip == Some(addr) && !p.is_terminating());
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
        let addrs: Vec<Ipv4Addr> = match s.cluster_ip() {
            Some(ip) => vec![ip],
            None => {
                let ready = self.ready_endpoints(s);
                if ready.is_empty() {
                    return Response::nxdomain(Some(self.soa()));
                }
                ready.into_iter().map(|(ip, _)| ip).collect()
            }
        };
        match qtype {
            RType::A | RType::Any => Response::answer(addrs.into_iter().map(|ip| self.rec(qname, RData::A(ip))).collect()),
            // SRV on the bare name: one record per port (named or not), weight 100/n (CoreDNS
            // handler_test.go "svc1.testns.svc.cluster.local." SRV). Headless: one per endpoint
            // and port, targeting the endpoint's name, with its A record in ADDITIONAL.
            RType::Srv => {
                let mut answers = Vec::new();
                let mut extra = Vec::new();
                match s.cluster_ip() {
                    Some(ip) => {
                        let target = format!("{svc}.{ns}.svc.{}", self.zone);
                        let weight = (100 / s.spec.ports.len().max(1)) as u16;
                        for p in &s.spec.ports {
                            let rd = RData::Srv {
                                priority: 0,
                                weight,
                                port: p.port as u16,
                                target: target.clone(),
                            };
                            // backend_lookup.go drops duplicate (target, port) records after
                            // computing the weight (53/UDP and 53/TCP give one record).
                            if !answers.iter().any(|a: &Record| a.data == rd) {
                                answers.push(self.rec(qname, rd));
                            }
                        }
                        extra.push(self.rec(&target, RData::A(ip)));
                    }
                    None => {
                        let eps = self.ready_endpoints(s);
                        let n = (eps.len() * s.spec.ports.len()).max(1);
                        let weight = (100 / n) as u16;
                        for (ip, epname) in &eps {
                            let target = format!("{epname}.{svc}.{ns}.svc.{}", self.zone);
                            for p in &s.spec.ports {
                                // Headless SRV carries the endpoint's port (the targetPort).
                                let port = self.endpoint_port(s, p.name.as_deref()).unwrap_or(p.port) as u16;
                                let rd = RData::Srv {
                                    priority: 0,
                                    weight,
                                    port,
                                    target: target.clone(),
                                };
                                if !answers.iter().any(|a: &Record| a.data == rd) {
                                    answers.push(self.rec(qname, rd));
                                }
                            }
                            extra.push(self.rec(&target, RData::A(*ip)));
                        }
                    }
                }
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

    /// Ready endpoint addresses of a Service, with their DNS names (hostname or dashed IP).
    pub fn ready_endpoints(&self, s: &Service) -> Vec<(Ipv4Addr, String)> {
        let mut out: Vec<(Ipv4Addr, String)> = Vec::new();
        if let Some(e) = self.store.endpoints(&s.meta.namespace, &s.meta.name) {
            for sub in &e.subsets {
                let mut addrs: Vec<&EndpointAddress> = sub.addresses.iter().collect();
                if s.spec.publish_not_ready_addresses {
                    addrs.extend(sub.not_ready_addresses.iter());
                }
                for a in addrs {
                    if !out.iter().any(|(ip, _)| *ip == a.ip) {
                        let name = a.hostname.clone().unwrap_or_else(|| a.ip.to_string().replace('.', "-"));
                        out.push((a.ip, name));
                    }
                }
            }
        }
        out
    }

    fn endpoint(&self, qname: &str, ep: &str, svc: &str, ns: &str, qtype: RType) -> Response {
        let Some(s) = self.store.service(ns, svc) else {
            return Response::nxdomain(Some(self.soa()));
        };
        let hits: Vec<Ipv4Addr> = self
            .ready_endpoints(s)
            .into_iter()
            .filter(|(_, n)| n == ep)
            .map(|(ip, _)| ip)
            .collect();
        if hits.is_empty() {
            return Response::nxdomain(Some(self.soa()));
        }
        match qtype {
            RType::A | RType::Any => Response::answer(hits.into_iter().map(|ip| self.rec(qname, RData::A(ip))).collect()),
            _ => Response::nodata(Some(self.soa())),
        }
    }

    fn srv(&self, qname: &str, port: &str, proto: &str, svc: &str, ns: &str, qtype: RType) -> Response {
        let Some(s) = self.store.service(ns, svc) else {
            return Response::nxdomain(Some(self.soa()));
        };
        let Some(p) = s
            .spec
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(port) && p.protocol.as_str().eq_ignore_ascii_case(proto))
        else {
            return Response::nxdomain(Some(self.soa()));
        };
        if qtype != RType::Srv && qtype != RType::Any {
            return Response::nodata(Some(self.soa()));
        }
        let mut r;
        if let Some(ip) = s.cluster_ip() {
            let target = format!("{svc}.{ns}.svc.{}", self.zone);
            r = Response::answer(vec![self.rec(
                qname,
                RData::Srv {
                    priority: 0,
                    weight: 100,
                    port: p.port as u16,
                    target: target.clone(),
                },
            )]);
            r.additional.push(self.rec(&target, RData::A(ip)));
        } else {
            let eps = self.ready_endpoints(s);
            if eps.is_empty() {
                return Response::nxdomain(Some(self.soa()));
            }
            let weight = (100 / eps.len()) as u16;
            let mut answers = Vec::new();
            let mut extra = Vec::new();
            for (ip, n) in eps {
                let target = format!("{n}.{svc}.{ns}.svc.{}", self.zone);
                let port = self.endpoint_port(s, Some(port)).unwrap_or(p.port) as u16;
                answers.push(self.rec(
                    qname,
                    RData::Srv {
                        priority: 0,
                        weight,
                        port,
                        target: target.clone(),
                    },
                ));
                extra.push(self.rec(&target, RData::A(ip)));
            }
            r = Response::answer(answers);
            r.additional = extra;
        }
        r
    }

    fn endpoint_port(&self, s: &Service, name: Option<&str>) -> Option<i64> {
        let e = self.store.endpoints(&s.meta.namespace, &s.meta.name)?;
        e.subsets
            .iter()
            .flat_map(|s| s.ports.iter())
            .find(|p| p.name.as_deref() == name)
            .map(|p| p.port)
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
        // reverse.go serviceRecordForIP: a ClusterIP first; otherwise every ready endpoint
        // address of any Service (headless or not), one PTR per Service it backs.
        let mut targets: Vec<String> = Vec::new();
        if let Some(s) = self.store.services(None).find(|s| s.cluster_ip() == Some(ip)) {
            targets.push(format!("{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone));
        } else {
            for s in self.store.services(None) {
                for (_, n) in self.ready_endpoints(s).into_iter().filter(|(a, _)| *a == ip) {
                    targets.push(format!("{n}.{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone));
                }
            }
        }
        if targets.is_empty() {
            return None;
        }
        Some(match qtype {
            RType::Ptr | RType::Any => Response::answer(targets.into_iter().map(|t| self.rec(qname, RData::Ptr(t))).collect()),
            _ => Response::nodata(Some(self.soa())),
        })
    }
}

impl Server<'_> {
    /// Every record of the cluster zone (and the reverse zone) as this server answers it, for
    /// the page's DNS view. See the module doc for the list; each record is exactly what
    /// [`Server::query`] puts in the answer section for its name and type.
    pub fn zone_records(&self) -> Vec<Record> {
        let mut out = vec![self.rec(&format!("dns-version.{}", self.zone), RData::Txt("1.1.0".into()))];
        let mut svcs: Vec<&Service> = self.store.services(None).collect();
        svcs.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
        for s in &svcs {
            out.extend(self.service_records(s));
        }
        // Endpoint PTRs of every Service (reverse.go serviceRecordForIP), where the IP is no
        // ClusterIP.
        for s in &svcs {
            for (ip, n) in self.ready_endpoints(s) {
                if svcs.iter().any(|x| x.cluster_ip() == Some(ip)) {
                    continue;
                }
                let target = format!("{n}.{}.{}.svc.{}", s.meta.name, s.meta.namespace, self.zone);
                out.push(self.rec(&reverse_name(ip), RData::Ptr(target)));
            }
        }
        out
    }

    /// The records of one Service: its name, endpoint names, SRV for named ports and the PTR
    /// of its ClusterIP and endpoint IPs. Empty when the Service does not exist.
    pub fn records_for_service(&self, ns: &str, name: &str) -> Vec<Record> {
        let suffix = format!("{name}.{ns}.svc.{}", self.zone);
        let mine = |n: &str| n == suffix || n.ends_with(&format!(".{suffix}"));
        self.zone_records()
            .into_iter()
            .filter(|r| match &r.data {
                RData::Ptr(t) => mine(t),
                _ => mine(&r.name),
            })
            .collect()
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
        let named = s
            .spec
            .ports
            .iter()
            .filter_map(|p| p.name.as_deref().filter(|n| !n.is_empty()).map(|n| (n, p)));
        match s.cluster_ip() {
            Some(ip) => {
                out.push(self.rec(&name, RData::A(ip)));
                for (pn, p) in named {
                    let srv = format!("_{pn}._{}.{name}", p.protocol.as_str().to_ascii_lowercase());
                    out.push(self.rec(
                        &srv,
                        RData::Srv {
                            priority: 0,
                            weight: 100,
                            port: p.port as u16,
                            target: name.clone(),
                        },
                    ));
                }
                out.push(self.rec(&reverse_name(ip), RData::Ptr(name.clone())));
            }
            None => {
                let eps = self.ready_endpoints(s);
                if eps.is_empty() {
                    return out;
                }
                for (ip, _) in &eps {
                    out.push(self.rec(&name, RData::A(*ip)));
                }
                for (ip, n) in &eps {
                    out.push(self.rec(&format!("{n}.{name}"), RData::A(*ip)));
                }
                let weight = (100 / eps.len()) as u16;
                for (pn, p) in named {
                    let srv = format!("_{pn}._{}.{name}", p.protocol.as_str().to_ascii_lowercase());
                    let port = self.endpoint_port(s, Some(pn)).unwrap_or(p.port) as u16;
                    for (_, n) in &eps {
                        out.push(self.rec(
                            &srv,
                            RData::Srv {
                                priority: 0,
                                weight,
                                port,
                                target: format!("{n}.{name}"),
                            },
                        ));
                    }
                }
            }
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
        Cluster::new(Config::default())
    }

    #[test]
    fn kubernetes_service_a_record() {
        let c = cluster();
        let s = Server::new(&c.store, "cluster.local", 1);
        let (r, src) = s.query("kubernetes.default.svc.cluster.local.", RType::A);
        assert_eq!(src, Source::Kubernetes);
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 96, 0, 1)]);
        assert!(r.aa);
        assert_eq!(r.answers[0].ttl, 30);
    }

    #[test]
    fn case_insensitive_and_nodata_vs_nxdomain() {
        let c = cluster();
        let s = Server::new(&c.store, "cluster.local", 1);
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
        let s = Server::new(&c.store, "cluster.local", 1);
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
            .store
            .pods(Some("kube-system"))
            .find_map(|p| p.status.pod_ip.filter(|ip| ip.octets()[0] == 10));
        let ip = pod.expect("a CoreDNS Pod IP");
        let own = format!("{}.kube-system.pod.cluster.local.", ip.to_string().replace('.', "-"));
        let other = "10-244-9-9.kube-system.pod.cluster.local.";
        let s = Server::new(&c.store, "cluster.local", 1);
        assert_eq!(s.query(other, RType::A).0.addresses(), vec![Ipv4Addr::new(10, 244, 9, 9)]);
        let v = Server::new(&c.store, "cluster.local", 1).with_settings(5, PodsMode::Verified);
        assert_eq!(v.query(&own, RType::A).0.addresses(), vec![ip]);
        assert_eq!(v.query(&own, RType::A).0.answers[0].ttl, 5);
        assert_eq!(v.query(other, RType::A).0.rcode, Rcode::NxDomain);
        // The Pod exists, but not in `default`.
        let elsewhere = own.replace(".kube-system.", ".default.");
        assert_eq!(v.query(&elsewhere, RType::A).0.rcode, Rcode::NxDomain);
        let d = Server::new(&c.store, "cluster.local", 1).with_settings(30, PodsMode::Disabled);
        assert_eq!(d.query(&own, RType::A).0.rcode, Rcode::NxDomain);
        // SOA: header TTL min(ttl, 300), MINIMUM the ttl.
        let long = Server::new(&c.store, "cluster.local", 1).with_settings(600, PodsMode::Insecure);
        let soa = long.soa();
        assert_eq!(soa.ttl, 300);
        assert!(soa.data.to_string().ends_with(" 600"));
    }

    #[test]
    fn ptr_for_cluster_ip() {
        let c = cluster();
        let s = Server::new(&c.store, "cluster.local", 1);
        let (r, _) = s.query("10.0.96.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(r.answers[0].data.to_string(), "kube-dns.kube-system.svc.cluster.local.");
    }
}
