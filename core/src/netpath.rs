//! The packet path: from a client to the Pod that answers, every hop traced.
//!
//! A Pod has a route for its own subnet and a default route via the node's bridge (`.1`). The
//! ClusterIP is on neither, so the SYN goes to the default gateway, i.e. into the node's kernel.
//! There kube-proxy's rules trap it: in IPVS mode the ClusterIP is local (bound to
//! `kube-ipvs0`) and the IPVS virtual server picks a real server with its scheduler; in
//! iptables/nftables mode a DNAT rule picks one at random. The packet is DNATed to the Pod IP and
//! routed (over the bridge, or to the other node's IP); conntrack un-DNATs the reply.

use std::net::Ipv4Addr;

use crate::api::{ApiServer, Store};
use crate::model::*;
use crate::nodes::Nodes;
use crate::proxy::KubeProxy;
use crate::proxy::{Front, Packet, PortKey, ProxyMode, Verdict};
use crate::rng::NodeComponent;
use crate::rng::Streams;
use crate::time::SimTime;
use crate::trace::*;

/// Where a connection starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Pod {
        namespace: String,
        name: String,
    },
    Node(String),
    /// The learner's machine running minikube (docker driver on Linux): `192.168.49.1` on the
    /// minikube network. It reaches node IPs directly, the service network only over the route
    /// `minikube tunnel` adds, and Pod IPs not at all.
    Host,
}

/// The host's address on minikube's docker network.
pub const HOST_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 49, 1);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnError {
    /// RST: nothing listens (no endpoints, wrong targetPort, closed port).
    Refused,
    /// No route / nothing answers: the SYN is lost.
    Timeout,
}

/// An established connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub namespace: String,
    pub pod: String,
    pub pod_ip: Ipv4Addr,
    pub port: u16,
    /// The client address as the server sees it (`ip:port`).
    pub client: String,
}

/// The dataplane's part of the cluster, borrowed for one connection, echo or DNS lookup: the
/// API server's objects and service CIDR, kube-proxy (which the packets' lookups drive: IPVS
/// schedulers and connection tables are kernel state), each node's Pod range (routes), CoreDNS
/// (the Corefile it serves, its query log), who sends the DNS queries, the random streams of
/// the kernels and resolvers, and the timeline. It reaches into no other component.
pub(crate) struct Dataplane<'a> {
    pub(crate) api: &'a ApiServer,
    pub(crate) proxy: &'a mut KubeProxy,
    pub(crate) nodes: &'a Nodes,
    pub(crate) rng: &'a mut Streams,
    pub(crate) trace: &'a mut Trace,
    pub(crate) now: SimTime,
    pub(crate) command: u64,
    /// `minikube tunnel` runs: the host has a route to the service network.
    pub(crate) tunnel: bool,
    pub(crate) coredns: &'a mut crate::dns::querylog::CoreDns,
    pub(crate) dns_client: &'a mut Option<DnsClient>,
    pub(crate) domain: &'a str,
}

/// The sender of DNS queries: its node, its address, and whether it is the node's own network
/// namespace (hostNetwork: its packets enter IPVS at LOCAL_OUT).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsClient {
    pub node: String,
    pub ip: Ipv4Addr,
    pub host_network: bool,
    /// The resolver's socket for the queries being sent together (glibc and musl send a
    /// candidate's A and AAAA from one socket); `None`: each query its own port.
    pub socket: Option<u16>,
}

/// Why a query got no response at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsFailure {
    /// No CoreDNS Pod is ready (or the nameserver is unreachable): the client times out.
    Timeout,
}

/// A running Pod (not host-network) with `ip`.
fn pod_by_ip(store: &Store, ip: Ipv4Addr) -> Option<&Pod> {
    store
        .pods_at(ip)
        .find(|p| !p.spec.host_network && p.status.phase == PodPhase::Running)
}

/// The diagram's element for whatever has `ip`: a Pod, a Service's address, a node, or
/// something outside the cluster.
pub(crate) fn element_at(store: &Store, ip: Ipv4Addr) -> Element {
    if let Some(p) = pod_by_ip(store, ip) {
        return Element::pod(&p.meta.namespace, &p.meta.name);
    }
    if let Some(s) = store.services_at(ip).next() {
        return Element::service(&s.meta.namespace, &s.meta.name);
    }
    if let Some(n) = store.nodes().find(|n| n.internal_ip == ip) {
        return Element::node(&n.meta.name);
    }
    Element::Outside
}

impl Dataplane<'_> {
    /// Record what happened, at the current time, caused by the current command.
    pub(crate) fn record(&mut self, what: What, route: Route) {
        let version = self.api.store().version();
        self.trace.push(self.now, self.command, what, route, version);
    }

    fn origin_addr(&self, from: &Origin) -> Option<(Ipv4Addr, String)> {
        match from {
            Origin::Pod { namespace, name } => {
                let p = self.api.store().pod(namespace, name)?;
                Some((p.status.pod_ip?, p.spec.node_name.clone()?))
            }
            Origin::Node(n) => Some((self.api.store().node(n)?.internal_ip, n.clone())),
            // The node whose kernel first sees the packet: the one dialled, or over the
            // tunnel's route the minikube node.
            Origin::Host => None,
        }
    }

    /// The host's routing table: the minikube network (node IPs) directly; the service
    /// network via the minikube node only while `minikube tunnel` runs; nothing else here.
    /// Returns the node (and its IP) the packet reaches, and the route as the trace shows it.
    fn host_route(&self, dst: Ipv4Addr) -> (Option<(String, Ipv4Addr)>, HostRoute) {
        if let Some(n) = self.api.store().nodes().find(|n| n.internal_ip == dst) {
            return (Some((n.meta.name.to_string(), n.internal_ip)), HostRoute::Direct);
        }
        let on_service_net = self.api.in_service_cidr(dst) || self.proxy.is_service_address(dst);
        if on_service_net && self.tunnel {
            if let Some(n) = self.api.store().nodes().next() {
                return (
                    Some((n.meta.name.to_string(), n.internal_ip)),
                    HostRoute::Tunnel {
                        via: n.internal_ip,
                        node: CompactString::new(&n.meta.name),
                    },
                );
            }
        }
        (
            None,
            HostRoute::None {
                service_network: on_service_net,
            },
        )
    }

    fn pod_by_ip(&self, ip: Ipv4Addr) -> Option<&Pod> {
        pod_by_ip(self.api.store(), ip)
    }

    fn element_at(&self, ip: Ipv4Addr) -> Element {
        element_at(self.api.store(), ip)
    }

    /// Open a TCP connection from `from` to `dst:port`, tracing every hop (one flow).
    pub fn connect(&mut self, from: &Origin, dst: Ipv4Addr, port: u16) -> Result<Connection, ConnError> {
        let host_route = matches!(from, Origin::Host).then(|| self.host_route(dst));
        let (src_ip, node) = match &host_route {
            Some((Some((node, _)), _)) => (HOST_IP, node.clone()),
            Some((None, _)) => (HOST_IP, String::new()),
            _ => match self.origin_addr(from) {
                Some(o) => o,
                None => return Err(ConnError::Timeout),
            },
        };
        let client_port = 40000 + self.rng.node(NodeComponent::Kernel, &node).below(20000) as u16;
        let (client_name, client) = match from {
            Origin::Pod { namespace, name } => (format!("pod {name}"), Element::pod(namespace, name)),
            Origin::Node(n) => (format!("node {n}"), Element::node(n)),
            Origin::Host => ("your machine".to_string(), Element::Workstation),
        };
        let flow = Some(self.trace.new_flow());
        let hops = Hops {
            client: client.clone(),
            flow,
        };
        let is_service_ip = self.api.in_service_cidr(dst) || self.proxy.is_service_address(dst);
        let node_ip = self.api.store().node(&node).map(|n| n.internal_ip);
        let local_out = matches!(from, Origin::Node(_));
        let gw = self.nodes.gateway(&node);
        let from_pod = matches!(from, Origin::Pod { .. });
        let destination = if is_service_ip && matches!(from, Origin::Host) {
            Destination::TunnelledService
        } else if is_service_ip {
            Destination::Service
        } else if Some(dst) == node_ip {
            Destination::NodeAddress
        } else {
            Destination::Direct
        };
        let to = self.element_at(dst);
        self.record(
            What::PacketSent {
                client: client_name,
                src: Addr(src_ip, client_port),
                dst: Addr(dst, port),
                destination,
            },
            Route::new(client.clone(), to).flow(flow),
        );
        if let Some((found, route)) = host_route {
            let to = found.as_ref().map_or(Element::Outside, |(n, _)| Element::node(n));
            self.record(What::HostRouted { dst, route }, Route::new(Element::Workstation, to).flow(flow));
            if found.is_none() {
                return Err(ConnError::Timeout);
            }
        }
        let mut target = (dst, port);
        if is_service_ip || Some(dst) == node_ip || self.proxy.intercepts(&node, dst, port, local_out) {
            if from_pod {
                if let Some(gateway) = gw {
                    self.record(
                        What::ToDefaultGateway {
                            dst,
                            gateway,
                            node: CompactString::new(&node),
                        },
                        Route::new(client.clone(), Element::node(&node)).flow(flow),
                    );
                }
            }
            target = self.trap(&node, (src_ip, client_port), dst, port, local_out, &hops)?;
        }
        let (tip, tport) = target;
        // Traffic from outside the cluster (externalTrafficPolicy: Cluster) is masqueraded:
        // the Pod sees the node's address on the way to it, not the host's.
        let src_ip = if matches!(from, Origin::Host) && (tip, tport) != (dst, port) {
            let masq = match self.pod_by_ip(tip).and_then(|p| p.spec.node_name.clone()) {
                Some(n) if n == node => gw.unwrap_or(src_ip),
                _ => node_ip.unwrap_or(src_ip),
            };
            self.record(
                What::Masqueraded { from: src_ip, to: masq },
                Route::new(Element::node(&node), Element::node(&node)).flow(flow),
            );
            masq
        } else {
            src_ip
        };
        let Some(pod) = self.pod_by_ip(tip).cloned() else {
            let host = self.api.store().pods_at(tip).find(|p| p.spec.host_network).cloned();
            if let Some(h) = host {
                return self.deliver(&h, tip, tport, src_ip, client_port, &node, (dst, port), &hops);
            }
            return Err(ConnError::Timeout);
        };
        self.deliver(&pod, tip, tport, src_ip, client_port, &node, (dst, port), &hops)
    }

    #[allow(clippy::too_many_arguments)]
    fn deliver(
        &mut self,
        pod: &Pod,
        ip: Ipv4Addr,
        port: u16,
        src_ip: Ipv4Addr,
        client_port: u16,
        from_node: &str,
        (orig, orig_port): (Ipv4Addr, u16),
        hops: &Hops,
    ) -> Result<Connection, ConnError> {
        let pod_node = pod.spec.node_name.clone().unwrap_or_default();
        let path = if pod_node == from_node {
            Path::SameNode {
                node: CompactString::new(&pod_node),
            }
        } else {
            let via = self
                .api
                .store()
                .node(&pod_node)
                .map(|n| n.internal_ip.to_string())
                .unwrap_or_default();
            let cidr = self
                .nodes
                .range(&pod_node)
                .map(|h| format!("{}/{}", h.subnet, h.prefix))
                .unwrap_or_default();
            Path::Routed {
                from_node: CompactString::new(from_node),
                cidr,
                via,
                to_node: CompactString::new(&pod_node),
            }
        };
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        let el = Element::pod(&pod.meta.namespace, &pod.meta.name);
        let at_node = if from_node.is_empty() {
            Element::Outside
        } else {
            Element::node(from_node)
        };
        if crate::apps::listener(pod, port).is_none() {
            self.record(
                What::Refused {
                    pod: key,
                    at: Addr(ip, port),
                },
                Route::new(at_node, el).flow(hops.flow),
            );
            return Err(ConnError::Refused);
        }
        self.record(
            What::Delivered {
                pod: key,
                at: Addr(ip, port),
                path,
                translated: orig != ip,
            },
            Route::new(at_node, el.clone()).flow(hops.flow),
        );
        if orig != ip {
            self.record(
                What::Replied {
                    from: Addr(ip, port),
                    as_from: Addr(orig, orig_port),
                },
                Route::new(el, hops.client.clone()).flow(hops.flow),
            );
        }
        Ok(Connection {
            namespace: pod.meta.namespace.to_string(),
            pod: pod.meta.name.to_string(),
            pod_ip: ip,
            port,
            client: format!("{src_ip}:{client_port}"),
        })
    }

    /// The node kernel: kube-proxy's rules decide where `dst:port` really goes. `local_out`: the
    /// client is a process on the node itself.
    fn trap(
        &mut self,
        node: &str,
        from: (Ipv4Addr, u16),
        dst: Ipv4Addr,
        port: u16,
        local_out: bool,
        hops: &Hops,
    ) -> Result<(Ipv4Addr, u16), ConnError> {
        let now = self.now.0;
        let mode = self.proxy.mode(node);
        let node_ip = self.proxy.node(node).map(|n| n.ip);
        let verdict = {
            let (proxy, rng, store) = (&mut self.proxy, &mut self.rng, self.api.store());
            let listening = |d: (Ipv4Addr, u16)| {
                store
                    .pods_at(d.0)
                    .any(|pod| pod.status.phase == PodPhase::Running && crate::apps::listener(pod, d.1).is_some())
            };
            let kernel = rng.node(NodeComponent::Kernel, node);
            let pkt = Packet {
                proto: Protocol::Tcp,
                client: from,
                dst,
                port,
                local_out,
                // curl's request and the app's short answer.
                payload: (78, 160),
            };
            proxy.lookup(node, pkt, now, kernel, &listening)
        };
        let client = from.0;
        let flow = hops.flow;
        let kernel = Element::node(node);
        let here = Addr(dst, port);
        let miss = |c: &mut Dataplane, miss: Miss| {
            c.record(
                What::NotTrapped {
                    node: CompactString::new(node),
                    dst: here,
                    mode,
                    miss,
                },
                Route::new(Element::node(node), Element::Outside).flow(flow),
            );
        };
        match (mode, verdict) {
            (ProxyMode::Ipvs, Verdict::NotTrapped) => {
                miss(self, Miss::NotLocal);
                Err(ConnError::Timeout)
            }
            (ProxyMode::Ipvs, Verdict::NoService) => {
                miss(self, Miss::NoVirtualServer);
                Err(ConnError::Refused)
            }
            (_, Verdict::Ipvs(v)) => {
                let services: Vec<ObjKey> = v.port.iter().map(PortKey::service_key).collect();
                let vs_el = services.first().map_or(kernel.clone(), |k| Element::service(&k.namespace, &k.name));
                let key = v.key;
                let entry = if v.local_out && !self.proxy.kube_ipvs0_addrs(node).contains(&dst) && node_ip != Some(dst) {
                    IpvsEntry::LocalOut
                } else if node_ip == Some(dst) {
                    IpvsEntry::NodePort
                } else if v.port.is_none() {
                    IpvsEntry::HandBuilt
                } else {
                    IpvsEntry::KubeIpvs0
                };
                self.record(
                    What::IpvsTrapped {
                        node: CompactString::new(node),
                        dst: here,
                        entry,
                        services: services.clone(),
                    },
                    Route::new(kernel.clone(), vs_el.clone()).flow(flow),
                );
                let Some(((ip, p), reason)) = v.pick else {
                    self.record(
                        What::NoRealServer {
                            virtual_server: key,
                            real_servers: v.real_servers,
                            services,
                        },
                        Route::new(vs_el, hops.client.clone()).flow(flow),
                    );
                    return Err(ConnError::Refused);
                };
                let to = self.element_at(ip);
                let candidates = v
                    .candidates
                    .iter()
                    .map(|d| Candidate {
                        addr: Addr(d.addr, d.port),
                        weight: d.weight,
                        active: d.active,
                        inactive: d.inactive,
                    })
                    .collect();
                self.record(
                    What::IpvsPicked {
                        node: CompactString::new(node),
                        virtual_server: key,
                        scheduler: v.sched,
                        picked: Addr(ip, p),
                        candidates,
                        reason,
                        services,
                    },
                    Route::new(vs_el, to.clone()).flow(flow),
                );
                self.record(
                    What::Dnat {
                        from: here,
                        to: Addr(ip, p),
                        ipvs: true,
                    },
                    Route::new(kernel, to).flow(flow),
                );
                Ok((ip, p))
            }
            (_, Verdict::NotTrapped) | (_, Verdict::NoService) if node_ip == Some(dst) || !self.proxy.is_service_address(dst) => {
                miss(self, Miss::NoRule);
                Err(if node_ip == Some(dst) {
                    ConnError::Refused
                } else {
                    ConnError::Timeout
                })
            }
            (ProxyMode::Nftables, no_port) if !matches!(no_port, Verdict::Rule(_)) => {
                miss(self, Miss::NftablesReject);
                Err(ConnError::Refused)
            }
            (mode, Verdict::Rule(r)) => {
                let service = r.port.service_key();
                let svc_el = Element::service(&service.namespace, &service.name);
                self.record(
                    What::RuleTrapped {
                        node: CompactString::new(node),
                        dst: here,
                        mode,
                        front: if r.front == Front::NodePort {
                            RuleFront::NodePort
                        } else {
                            RuleFront::ClusterIp
                        },
                        service: service.clone(),
                    },
                    Route::new(kernel.clone(), svc_el.clone()).flow(flow),
                );
                let Some((ip, p)) = r.dest else {
                    self.record(What::RuleRejected { service }, Route::new(svc_el, hops.client.clone()).flow(flow));
                    return Err(ConnError::Refused);
                };
                let to = self.element_at(ip);
                let picked = Addr(ip, p);
                let what = if r.affinity_hit == Some(true) {
                    What::AffinityKept {
                        client,
                        picked,
                        mode,
                        service,
                    }
                } else {
                    What::RandomPick {
                        picked,
                        endpoints: r.endpoints,
                        mode,
                        service,
                    }
                };
                self.record(what, Route::new(svc_el, to.clone()).flow(flow));
                self.record(
                    What::Dnat {
                        from: here,
                        to: picked,
                        ipvs: false,
                    },
                    Route::new(kernel, to).flow(flow),
                );
                Ok((ip, p))
            }
            (_, _) => {
                miss(self, Miss::PortNotExposed);
                Err(ConnError::Timeout)
            }
        }
    }
}

/// Who a connection's hops are traced for.
struct Hops {
    /// The element the connection starts from (replies go back to it).
    client: Element,
    flow: Option<u64>,
}

/// What an ICMP echo request (`ping`) gets back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Echo {
    /// An echo reply with this TTL (64 from the same node, one less per routed hop).
    Reply { ttl: u8 },
    /// `Destination Port Unreachable` from `from` (a REJECT rule answered).
    PortUnreachable { from: Ipv4Addr },
    /// Nothing comes back.
    Lost,
}

impl Dataplane<'_> {
    /// An ICMP echo request from a Pod or node to `dst`, as the node's kernel and
    /// kube-proxy's rules (Kubernetes ≥ 1.27) treat it:
    /// - a Pod IP or node IP answers (TTL 64 on the same node, 63 across nodes);
    /// - IPVS: the ClusterIP is local (on `kube-ipvs0`), but `KUBE-IPVS-FILTER` REJECTs new
    ///   traffic to it that is not a service port (ICMP never is), so the node answers
    ///   port-unreachable from the ClusterIP itself (kubernetes/website#41002; before 1.27
    ///   the ClusterIP answered the echo, as older write-ups show);
    /// - iptables: no rule matches ICMP and the ClusterIP is nowhere local: lost;
    /// - nftables: `cluster-ips-check` rejects it on the forward path, so port-unreachable
    ///   comes from the node's address towards the Pod (its bridge).
    pub fn icmp_echo(&mut self, from: &Origin, dst: Ipv4Addr) -> Echo {
        let Some((src_ip, node)) = self.origin_addr(from) else {
            return Echo::Lost;
        };
        let is_service_ip = self.api.in_service_cidr(dst) || self.proxy.is_service_address(dst);
        let gw = self.nodes.gateway(&node);
        let (echo, outcome) = if let Some(n) = self.api.store().nodes().find(|n| n.internal_ip == dst) {
            let ttl = if n.meta.name == node { 64 } else { 63 };
            (
                Echo::Reply { ttl },
                EchoOutcome::NodeReplied {
                    node: CompactString::new(&n.meta.name),
                },
            )
        } else if let Some(p) = self.pod_by_ip(dst) {
            let same = p.spec.node_name.as_deref() == Some(node.as_str());
            (
                Echo::Reply {
                    ttl: if same { 64 } else { 63 },
                },
                EchoOutcome::PodReplied {
                    pod: p.meta.name.to_string(),
                },
            )
        } else if is_service_ip {
            match self.proxy.mode(&node) {
                ProxyMode::Ipvs => (
                    Echo::PortUnreachable { from: dst },
                    EchoOutcome::IpvsFilterRejected {
                        node: CompactString::new(&node),
                    },
                ),
                ProxyMode::Iptables => (
                    Echo::Lost,
                    EchoOutcome::IptablesLost {
                        node: CompactString::new(&node),
                    },
                ),
                ProxyMode::Nftables => (Echo::PortUnreachable { from: gw.unwrap_or(dst) }, EchoOutcome::NftablesRejected),
            }
        } else {
            (Echo::Lost, EchoOutcome::Nobody)
        };
        let client = match from {
            Origin::Pod { namespace, name } => Element::pod(namespace, name),
            Origin::Node(n) => Element::node(n),
            Origin::Host => Element::Workstation,
        };
        let to = self.element_at(dst);
        let flow = Some(self.trace.new_flow());
        self.record(What::Echo { src: src_ip, dst, outcome }, Route::new(client, to).flow(flow));
        echo
    }
}
