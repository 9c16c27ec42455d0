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

use std::net::Ipv4Addr;

use super::{fqdn, labels, reverse_name, upstream, RData, RType, Record, Response};
use crate::api::Store;
use crate::model::*;

pub const TTL: u32 = 30;

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
}

impl<'a> Server<'a> {
    pub fn new(store: &'a Store, zone: &str, serial: u32) -> Self {
        Server {
            store,
            zone: fqdn(zone),
            serial,
            hosts: vec![("host.minikube.internal.".into(), Ipv4Addr::new(192, 168, 49, 1))],
        }
    }

    pub fn soa(&self) -> Record {
        Record {
            name: self.zone.clone(),
            ttl: TTL,
            data: RData::Soa {
                mname: format!("ns.dns.{}", self.zone),
                rname: format!("hostmaster.{}", self.zone),
                serial: self.serial,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minimum: TTL,
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
            ttl: TTL,
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
    fn ptr_for_cluster_ip() {
        let c = cluster();
        let s = Server::new(&c.store, "cluster.local", 1);
        let (r, _) = s.query("10.0.96.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(r.answers[0].data.to_string(), "kube-dns.kube-system.svc.cluster.local.");
    }
}
