//! kube-proxy on every node: registration step 5.
//!
//! In IPVS mode (the chapter's), each node holds a kernel IPVS table ([`ipvs::Table`]): one
//! virtual server per ClusterIP:port (and per NodePort on the node's IP, and per LoadBalancer or
//! external IP), whose real servers are the Service's ready endpoints with weight 1. The
//! ClusterIPs are bound to the `kube-ipvs0` dummy interface so the kernel accepts packets for
//! them. A Service without endpoints keeps its virtual server with no real servers, so
//! connections are refused rather than hanging.
//!
//! Sync is per Service: a change touches only that Service's virtual servers on each node.
//! kube-proxy adds new destinations in Go map order (random), and the kernel puts each new
//! destination at the head of its list; both are reproduced (the order comes from the seed).

pub mod hash;
pub mod ipvs;
pub mod mh;
pub mod rules;
pub mod tunnel;

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use crate::cluster::Cluster;
use crate::model::*;
use crate::trace::{Reg, Step};
use ipvs::{Dest, Sched, Table, VirtualService, VsKey};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyMode {
    #[default]
    Ipvs,
    Iptables,
    Nftables,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Ipvs => "ipvs",
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
        }
    }

    pub fn parse(s: &str) -> Option<ProxyMode> {
        match s {
            "ipvs" => Some(ProxyMode::Ipvs),
            "iptables" => Some(ProxyMode::Iptables),
            "nftables" => Some(ProxyMode::Nftables),
            _ => None,
        }
    }
}

impl fmt::Display for ProxyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The proxy state of every node.
#[derive(Clone, Debug)]
pub struct Proxy {
    pub mode: ProxyMode,
    /// `--ipvs-scheduler` (kube-proxy's default is rr).
    pub scheduler: Sched,
    pub nodes: BTreeMap<String, NodeProxy>,
    /// `minikube tunnel` is running: LoadBalancer Services get their ClusterIP as ingress.
    pub tunnel: bool,
}

/// What kube-proxy programmed on one node.
#[derive(Clone, Debug, Default)]
pub struct NodeProxy {
    pub node_ip: Option<Ipv4Addr>,
    pub ipvs: Table,
    /// iptables/nftables sessionAffinity: the `-m recent` lists (nftables: the affinity sets),
    /// (client IP, service port name) → (endpoint, last seen ms).
    pub recent: BTreeMap<(Ipv4Addr, String), ((Ipv4Addr, u16), u64)>,
}

impl Proxy {
    pub fn new(mode: ProxyMode) -> Proxy {
        Proxy {
            mode,
            scheduler: Sched::Rr,
            nodes: BTreeMap::new(),
            tunnel: false,
        }
    }

    /// Addresses on `kube-ipvs0` of a node: every ClusterIP, external and LB IP in use.
    pub fn kube_ipvs0_addrs(&self, node: &str) -> Vec<Ipv4Addr> {
        let mut v: Vec<Ipv4Addr> = self
            .nodes
            .get(node)
            .map(|n| {
                n.ipvs
                    .services
                    .values()
                    .filter(|vs| vs.bound_to_dummy)
                    .map(|vs| vs.key.addr)
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v.dedup();
        v
    }
}

/// One wanted virtual server and its wanted destinations.
struct Want {
    key: VsKey,
    dests: Vec<(Ipv4Addr, u16)>,
    on_dummy: bool,
    persistent: Option<u32>,
}

impl Cluster {
    /// Restart kube-proxy in another mode (as editing its ConfigMap and restarting the
    /// DaemonSet would): every node's rules are rebuilt for every Service.
    pub fn set_proxy_mode(&mut self, mode: ProxyMode) {
        self.proxy.mode = mode;
        for np in self.proxy.nodes.values_mut() {
            np.ipvs = Table::default();
        }
        let svcs: Vec<(String, String)> = self
            .store
            .services(None)
            .map(|s| (s.meta.namespace.clone(), s.meta.name.clone()))
            .collect();
        for (ns, name) in svcs {
            self.sync_proxy(&ns, &name);
        }
    }

    /// Bring every node's rules for one Service in line with the store.
    pub(crate) fn sync_proxy(&mut self, ns: &str, name: &str) {
        self.tunnel_patch(ns, name);
        let svc = self.store.service(ns, name).cloned();
        let eps = self.store.endpoints(ns, name).cloned();
        let owner = (ns.to_string(), name.to_string());
        let nodes: Vec<(String, Ipv4Addr)> = self.store.nodes().map(|n| (n.meta.name.clone(), n.internal_ip)).collect();
        let mut changes = Vec::new();
        for (node, node_ip) in &nodes {
            let wants = svc.as_ref().map(|s| wanted(s, eps.as_ref(), *node_ip)).unwrap_or_default();
            let sched = self.proxy.scheduler;
            let mode = self.proxy.mode;
            let np = self.proxy.nodes.entry(node.clone()).or_default();
            np.node_ip = Some(*node_ip);
            if mode != ProxyMode::Ipvs {
                // kube-proxy in iptables or nftables mode cleans up IPVS (and kube-ipvs0).
                np.ipvs = Table::default();
                continue;
            }
            // Drop virtual servers of this Service that are no longer wanted.
            let stale: Vec<VsKey> = np
                .ipvs
                .services
                .values()
                .filter(|vs| vs.owner.as_ref() == Some(&owner) && !wants.iter().any(|w| w.key == vs.key))
                .map(|vs| vs.key)
                .collect();
            for k in stale {
                np.ipvs.remove_service(&k);
                changes.push(format!("{node}: -{k}"));
            }
            for w in wants {
                let vs = np.ipvs.services.entry(w.key).or_insert_with(|| {
                    changes.push(format!("{node}: +{}", w.key));
                    VirtualService::new(w.key, sched)
                });
                vs.owner = Some(owner.clone());
                vs.bound_to_dummy = w.on_dummy;
                vs.persistent = w.persistent;
                // Remove destinations that went away.
                let gone: Vec<(Ipv4Addr, u16)> = vs.dests.iter().map(|d| (d.addr, d.port)).filter(|d| !w.dests.contains(d)).collect();
                for (a, p) in gone {
                    np.ipvs.remove_dest(&w.key, a, p);
                }
                let Some(vs) = np.ipvs.services.get_mut(&w.key) else { continue };
                // Add new ones in Go map order (random).
                let mut new: Vec<(Ipv4Addr, u16)> = w.dests.iter().copied().filter(|(a, p)| !vs.has_dest(*a, *p)).collect();
                self.rng.node(crate::rng::NodeComponent::KubeProxy, node).shuffle(&mut new);
                for (a, p) in new {
                    vs.add_dest(Dest::new(a, p, 1));
                }
            }
        }
        if svc.is_some() || !changes.is_empty() {
            let key = ObjKey::new(Kind::Service, ns, name);
            let summary = match (&svc, self.proxy.mode) {
                (Some(s), ProxyMode::Ipvs) => {
                    let first = nodes.first().and_then(|(n, _)| self.proxy.nodes.get(n));
                    let vs: Vec<String> = first
                        .map(|n| {
                            n.ipvs
                                .services
                                .values()
                                .filter(|v| v.owner.as_ref() == Some(&owner))
                                .map(|v| {
                                    format!(
                                        "{} → {} real server{}",
                                        v.key,
                                        v.dests.len(),
                                        if v.dests.len() == 1 { "" } else { "s" }
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if vs.is_empty() {
                        format!(
                            "kube-proxy on {} node(s): no virtual server for service/{} (no ClusterIP)",
                            nodes.len(),
                            s.meta.name
                        )
                    } else {
                        format!("kube-proxy on {} node(s) programs IPVS: {}", nodes.len(), vs.join("; "))
                    }
                }
                (Some(s), mode) => format!(
                    "kube-proxy on {} node(s) rewrites {mode} rules for service/{}",
                    nodes.len(),
                    s.meta.name
                ),
                (None, _) => format!("kube-proxy on {} node(s) removes the rules of service/{name}", nodes.len()),
            };
            let why = match self.proxy.mode {
                ProxyMode::Ipvs => "every node must trap traffic to the ClusterIP: the IP goes on kube-ipvs0 and an IPVS virtual server balances over the ready endpoints",
                ProxyMode::Iptables => "every node must trap traffic to the ClusterIP: KUBE-SERVICES jumps to a KUBE-SVC chain that DNATs to a random KUBE-SEP",
                ProxyMode::Nftables => "every node must trap traffic to the ClusterIP: a verdict map sends it to a chain that DNATs with numgen random",
            };
            self.emit(Step::Registration(Reg::ProxyRules), summary, why, vec![key]);
        }
    }
}

fn wanted(svc: &Service, eps: Option<&Endpoints>, node_ip: Ipv4Addr) -> Vec<Want> {
    let mut out = Vec::new();
    if svc.spec.type_ == ServiceType::ExternalName {
        return out;
    }
    let Some(cip) = svc.cluster_ip() else { return out };
    let persistent = (svc.spec.session_affinity == SessionAffinity::ClientIP).then_some(svc.spec.affinity_timeout_seconds.max(0) as u32);
    for sp in &svc.spec.ports {
        let proto = sp.protocol;
        let port_name = sp.name.clone().unwrap_or_default();
        let mut dests: Vec<(Ipv4Addr, u16)> = Vec::new();
        if let Some(e) = eps {
            for s in &e.subsets {
                let Some(ep) = s
                    .ports
                    .iter()
                    .find(|p| p.name.clone().unwrap_or_default() == port_name && p.protocol == proto)
                else {
                    continue;
                };
                for a in &s.addresses {
                    let d = (a.ip, ep.port as u16);
                    if !dests.contains(&d) {
                        dests.push(d);
                    }
                }
            }
        }
        let mut add = |addr: Ipv4Addr, port: i64, on_dummy: bool| {
            out.push(Want {
                key: VsKey {
                    proto,
                    addr,
                    port: port as u16,
                },
                dests: dests.clone(),
                on_dummy,
                persistent,
            });
        };
        add(cip, sp.port, true);
        for ip in &svc.spec.external_ips {
            add(*ip, sp.port, true);
        }
        for ip in &svc.load_balancer_ips {
            add(*ip, sp.port, true);
        }
        if let Some(np) = sp.node_port {
            add(node_ip, np, false);
        }
    }
    out
}
