//! Name resolution from inside a Pod, end to end: read the Pod's resolv.conf, expand the name
//! through the search list, send each query to the nameserver (through kube-proxy to a CoreDNS
//! Pod, like any Service), and collect the answers — every step traced as a discovery hop.

use std::net::Ipv4Addr;

use crate::api::Store;
use crate::cluster::Cluster;
use crate::dns::kubernetes::{Server, Source};
use crate::dns::querylog;
use crate::dns::{RType, Rcode, Response};
use crate::model::*;
use crate::netpath::Dataplane;
use crate::proxy::{Packet, Verdict};
use crate::resolver::{self, Flavor, Resolution, ResolvConf};
use crate::rng::NodeComponent;
use crate::time::SimTime;
use crate::trace::{Element, Route, What};

pub use crate::netpath::DnsFailure;

/// When a CoreDNS Pod read its Corefile: its container's start (its creation before that).
fn pod_start(p: &Pod) -> SimTime {
    p.status.started.unwrap_or(p.meta.creation)
}

/// The SOA serial at `t`: a Unix timestamp on the simulated clock.
fn dns_serial_at(t: SimTime) -> u32 {
    1_794_042_000u32.wrapping_add((t.0 / 1000) as u32)
}

/// The Corefile in `store`'s `coredns` ConfigMap (empty when it is gone).
fn corefile_of(store: &Store) -> String {
    match store.get(&ObjKey::new(Kind::ConfigMap, "kube-system", "coredns")) {
        Some(Object::ConfigMap(cm)) => cm.data.get("Corefile").cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The CoreDNS Pods in `store` (`k8s-app=kube-dns` in kube-system).
fn coredns_pods(store: &Store) -> impl Iterator<Item = &Pod> {
    store
        .pods(Some("kube-system"))
        .filter(|p| p.meta.labels.get("k8s-app") == Some("kube-dns"))
}

impl Cluster {
    /// The resolv.conf kubelet wrote for a Pod.
    pub fn resolv_conf(&self, pod: &Pod) -> ResolvConf {
        resolv_conf_of(self.api.store(), pod, &self.config.cluster_domain)
    }

    /// The SOA serial CoreDNS would report: a Unix timestamp on the simulated clock (which
    /// starts at 2026-11-07T09:00:00Z, as `SimTime::rfc3339`).
    pub fn dns_serial(&self) -> u32 {
        dns_serial_at(self.now)
    }

    /// Ask the cluster DNS directly (no network path), as CoreDNS would answer: with the
    /// Corefile settings the first ready CoreDNS Pod serves (the ConfigMap's when none is).
    pub fn dns_answer(&self, qname: &str, qtype: RType) -> (Response, Source) {
        self.dns_view().query(qname, qtype)
    }

    /// The cluster DNS as the first ready CoreDNS Pod serves it now (the ConfigMap's settings
    /// when none is ready): `zone_records()` / `records_for_service()` on it are the page's
    /// DNS view.
    pub fn dns_view(&self) -> Server<'_> {
        self.dns_view_of(self.api.store(), self.now)
    }

    /// [`Cluster::dns_view`] over `store` at time `at` (the store as it was then, e.g. rebuilt
    /// for a past timeline event): the first ready CoreDNS Pod of that store, with the Corefile
    /// it served at `at` (reloads included), the ConfigMap's when none was ready.
    pub fn dns_view_of<'a>(&'a self, store: &'a Store, at: SimTime) -> Server<'a> {
        let settings = match coredns_pods(store).find(|p| p.status.ready) {
            Some(p) => self.coredns.settings(pod_start(p), at),
            None => querylog::parse_corefile(&corefile_of(store)),
        };
        Server::new(store, &self.config.cluster_domain, dns_serial_at(at)).with_settings(settings.ttl, settings.pods)
    }

    /// The cluster DNS view with a Corefile's settings: `Server::zone_records` and
    /// `records_for_service` on it list the zone as CoreDNS serves it.
    pub fn dns_server(&self, settings: &querylog::Settings) -> Server<'_> {
        Server::new(self.api.store(), &self.config.cluster_domain, self.dns_serial()).with_settings(settings.ttl, settings.pods)
    }

    /// The Corefile in the `coredns` ConfigMap (empty when it is gone).
    pub fn corefile(&self) -> String {
        corefile_of(self.api.store())
    }

    /// `kubectl logs` of a CoreDNS Pod: the startup lines, then reloads and (with `log`) one
    /// line per query it answered, in time order.
    pub fn coredns_log(&self, pod: &Pod) -> String {
        let image = pod.spec.containers.first().map_or("", |c| c.image.as_str());
        self.coredns
            .pod_log(&pod.meta.name, &crate::apps::coredns_build(image), pod_start(pod), self.now)
    }
}

/// The resolv.conf kubelet writes for `pod`: the kube-dns Service's ClusterIP in `store` and
/// the cluster domain's search list.
fn resolv_conf_of(store: &Store, pod: &Pod, domain: &str) -> ResolvConf {
    let dns = store
        .service("kube-system", "kube-dns")
        .and_then(|s| s.cluster_ip())
        .unwrap_or(Ipv4Addr::new(10, 96, 0, 10));
    resolver::pod_resolv_conf(pod, dns, domain)
}

/// A lookup's trip: the Pod's resolver, its queries through the client node's kube-proxy to a
/// CoreDNS Pod, and CoreDNS's answer (and query log), all on the dataplane's borrow.
impl Dataplane<'_> {
    /// CoreDNS Pod `pod` answers one query: with the settings of the Corefile it serves now,
    /// logged when that Corefile has `log`.
    fn coredns_answer(&mut self, pod: Option<&str>, qname: &str, qtype: RType, port: Option<u16>) -> Response {
        let start = pod.and_then(|p| self.api.store().pod("kube-system", p)).map(pod_start);
        let settings = match start {
            Some(s) => self.coredns.settings(s, self.now),
            None => self.coredns.settings_of(&corefile_of(self.api.store())),
        };
        let (r, src) = Server::new(self.api.store(), self.domain, dns_serial_at(self.now))
            .with_settings(settings.ttl, settings.pods)
            .query(qname, qtype);
        if let (Some(p), true) = (pod, settings.log) {
            let now = self.now;
            let q = querylog::Query { name: qname, qtype };
            self.coredns.record(p, now, q, &r, src == Source::Forward, port);
        }
        r
    }

    /// The ready CoreDNS Pod (`k8s-app: kube-dns`) at `ip`, by name.
    fn coredns_pod_at(&self, ip: Ipv4Addr) -> Option<String> {
        let is_coredns = |p: &Pod| p.meta.labels.get("k8s-app") == Some("kube-dns") && p.status.ready;
        self.api
            .store()
            .pods_at(ip)
            .find(|p| is_coredns(p))
            .map(|p| p.meta.name.to_string())
    }

    /// Send one query to `server` from a Pod or node: to a CoreDNS Pod directly, or to the
    /// Service at `server:53/UDP` (the kube-dns ClusterIP) through the client node's kube-proxy
    /// — IPVS picks a CoreDNS Pod with its scheduler and keeps the flow in its connection table
    /// for 5 minutes, as `ipvsadm -Lnc` shows — or straight upstream for the node's resolver.
    /// Outside a Pod (no client node) the replica is drawn from the resolver's stream.
    pub fn dns_query(&mut self, server: Ipv4Addr, qname: &str, qtype: RType) -> Result<(Response, Option<String>), DnsFailure> {
        // A CoreDNS Pod asked directly.
        if let Some(pod) = self.coredns_pod_at(server) {
            let r = self.coredns_answer(Some(&pod), qname, qtype, None);
            return Ok((r, Some(pod)));
        }
        // A Service address on port 53/UDP: kube-proxy's endpoints for it (EndpointSlices).
        let vs = crate::proxy::ipvs::VsKey {
            proto: Protocol::Udp,
            addr: server,
            port: 53,
        };
        if let Some((port, front)) = self.proxy.port_at(&vs) {
            // Outside a Pod there is no node to take the packet path from: any ready endpoint.
            let ready: Vec<Ipv4Addr> = match *self.dns_client {
                Some(_) => Vec::new(),
                None => port.endpoints_for(front, "").iter().map(|e| e.ip).collect(),
            };
            let (dest, client_port) = match self.dns_client.clone() {
                Some(client) => {
                    let now = self.now.0;
                    let query = crate::dns::name_wire(qname) as u64 + 16;
                    let (proxy, rng, store) = (&mut self.proxy, &mut self.rng, self.api.store());
                    let kernel = rng.node(NodeComponent::Kernel, &client.node);
                    let sport = match client.socket {
                        Some(p) => p,
                        None => 32768 + kernel.below(28_232) as u16,
                    };
                    let pkt = Packet {
                        proto: Protocol::Udp,
                        client: (client.ip, sport),
                        dst: server,
                        port: 53,
                        local_out: client.host_network,
                        payload: (query, 0),
                    };
                    let up = |d: (Ipv4Addr, u16)| store.pods_at(d.0).any(|p| p.status.phase == PodPhase::Running);
                    let dest = match proxy.lookup(&client.node, pkt, now, kernel, &up) {
                        Verdict::Ipvs(v) => v.pick.map(|(d, _)| d),
                        Verdict::Rule(r) => r.dest,
                        _ => None,
                    };
                    (dest, Some(sport))
                }
                None if ready.is_empty() => (None, None),
                None => {
                    let i = self.rng.dns_client.below(ready.len() as u64) as usize;
                    (Some((ready[i.min(ready.len() - 1)], 53)), None)
                }
            };
            let Some((ip, _)) = dest else {
                return Err(DnsFailure::Timeout);
            };
            let pod = self.coredns_pod_at(ip);
            if pod.is_none() && self.dns_client.is_some() {
                return Err(DnsFailure::Timeout);
            }
            let r = self.coredns_answer(pod.as_deref(), qname, qtype, client_port);
            if let (Some(client), Some(sport)) = (self.dns_client.clone(), client_port) {
                let bytes = crate::dns::response_size(qname, &r) as u64;
                self.proxy.account_reply(&client.node, vs, (client.ip, sport), bytes);
            }
            return Ok((r, pod));
        }
        if server == Ipv4Addr::new(192, 168, 49, 1) {
            return Ok((crate::dns::upstream::answer(qname, qtype), None));
        }
        if crate::dns::upstream::lookup_host(&server.to_string()).is_some() || server.octets()[0] == 8 || server.octets()[0] == 1 {
            return Ok((crate::dns::upstream::answer(qname, qtype), None));
        }
        Err(DnsFailure::Timeout)
    }

    /// Send one query to `server` and trace it: the query hop, then the answer (or the
    /// timeout), one flow from the querying Pod (or node) to kube-dns and back.
    pub fn dns_query_traced(&mut self, server: Ipv4Addr, qname: &str, qtype: RType) -> Result<Response, DnsFailure> {
        let client = match &*self.dns_client {
            Some(c) => crate::netpath::element_at(self.api.store(), c.ip),
            None => Element::Outside,
        };
        let flow = Some(self.trace.new_flow());
        let result = self.dns_query(server, qname, qtype);
        let dns = match &result {
            Ok((_, Some(_))) => Element::KubeDns,
            _ if self.api.store().services_at(server).next().is_some() => Element::KubeDns,
            _ => Element::Outside,
        };
        match result {
            Ok((r, by)) => {
                self.record(
                    What::QuerySent {
                        qname: qname.to_string(),
                        qtype,
                        server,
                        coredns_pod: by,
                    },
                    Route::new(client.clone(), dns.clone()).flow(flow),
                );
                self.record(
                    What::Answered {
                        qname: qname.to_string(),
                        qtype,
                        rcode: r.rcode,
                        answers: r.answers.iter().map(|a| a.data.to_string()).collect(),
                        authoritative: r.aa,
                    },
                    Route::new(dns, client).flow(flow),
                );
                Ok(r)
            }
            Err(e) => {
                self.record(
                    What::QueryTimedOut {
                        qname: qname.to_string(),
                        qtype,
                        server,
                    },
                    Route::new(client, dns).flow(flow),
                );
                Err(e)
            }
        }
    }

    /// Resolve `name` as the Pod's stub resolver does (getaddrinfo), tracing every hop.
    pub fn resolve_in_pod(&mut self, pod: &Pod, name: &str, musl: bool) -> Result<Resolution, DnsFailure> {
        let rc = resolv_conf_of(self.api.store(), pod, self.domain);
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        let flavor = if musl { Flavor::Musl } else { Flavor::Glibc };
        let me = Element::pod(&pod.meta.namespace, &pod.meta.name);
        self.record(
            What::ResolvConfRead {
                pod: key.clone(),
                nameservers: rc.nameservers.clone(),
                search: rc.search.clone(),
                ndots: rc.ndots(),
            },
            Route::new(me.clone(), me.clone()),
        );
        let candidates = resolver::candidates(name, &rc, flavor);
        self.record(
            What::SearchExpanded {
                pod: key.clone(),
                name: name.to_string(),
                candidates,
                dots: name.trim_end_matches('.').matches('.').count(),
                ndots: rc.ndots(),
                musl,
            },
            Route::new(me.clone(), me),
        );
        let Some(server) = rc.nameservers.first().and_then(|s| s.parse::<Ipv4Addr>().ok()) else {
            return Err(DnsFailure::Timeout);
        };
        let mut timed_out = false;
        let res = resolver::resolve(name, &rc, flavor, RType::A, |cand, qtype| {
            if timed_out {
                return Response::nxdomain(None);
            }
            // getaddrinfo(AF_UNSPEC) asks A and AAAA for each candidate (glibc and musl both
            // send the pair, from one socket: one source port, one IPVS connection entry); the
            // candidate resolves if either has an answer. The cluster is IPv4-only, so the A
            // answer decides, but the AAAA query is sent, traced and logged.
            let socket = self
                .dns_client
                .as_ref()
                .map(|c| c.node.clone())
                .map(|node| 32768 + self.rng.node(NodeComponent::Kernel, &node).below(28_232) as u16);
            if let Some(c) = self.dns_client.as_mut() {
                c.socket = socket;
            }
            let pair = self.dns_query_traced(server, cand, qtype).and_then(|a| {
                let aaaa = self.dns_query_traced(server, cand, RType::Aaaa)?;
                Ok(if a.answers.is_empty() && a.rcode == Rcode::NxDomain {
                    aaaa
                } else {
                    a
                })
            });
            if let Some(c) = self.dns_client.as_mut() {
                c.socket = None;
            }
            match pair {
                Ok(r) => r,
                Err(_) => {
                    timed_out = true;
                    Response {
                        rcode: Rcode::ServFail,
                        aa: false,
                        answers: vec![],
                        authority: vec![],
                        additional: vec![],
                    }
                }
            }
        });
        if timed_out {
            return Err(DnsFailure::Timeout);
        }
        Ok(res)
    }
}
