//! The packet path: from a client to the Pod that answers, every hop traced.
//!
//! A Pod has a route for its own subnet and a default route via the node's bridge (`.1`). The
//! ClusterIP is on neither, so the SYN goes to the default gateway, i.e. into the node's kernel.
//! There kube-proxy's rules trap it: in IPVS mode the ClusterIP is local (bound to
//! `kube-ipvs0`) and the IPVS virtual server picks a real server with its scheduler; in
//! iptables/nftables mode a DNAT rule picks one at random. The packet is DNATed to the Pod IP and
//! routed (over the bridge, or to the other node's IP); conntrack un-DNATs the reply.

use std::net::Ipv4Addr;

use crate::cluster::Cluster;
use crate::model::*;
use crate::proxy::{Front, Packet, PortKey, ProxyMode, Verdict};
use crate::rng::NodeComponent;
use crate::trace::{Hop, Step};

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

impl Cluster {
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
    /// Returns the node (and its IP) the packet reaches, and the trace line saying why.
    fn host_route(&self, dst: Ipv4Addr) -> (Option<(String, Ipv4Addr)>, String, &'static str) {
        if let Some(n) = self.api.store().nodes().find(|n| n.internal_ip == dst) {
            return (
                Some((n.meta.name.clone(), n.internal_ip)),
                format!("your machine reaches {dst} directly on the minikube network"),
                "the nodes' addresses are on a network your machine is attached to",
            );
        }
        let on_service_net = self.api.in_service_cidr(dst) || self.proxy.is_service_address(dst);
        if on_service_net && self.tunnel_running() {
            if let Some(n) = self.api.store().nodes().next() {
                return (
                    Some((n.meta.name.clone(), n.internal_ip)),
                    format!(
                        "your machine routes {dst} via {} (node {}): minikube tunnel's route 10.96.0.0/12",
                        n.internal_ip, n.meta.name
                    ),
                    "minikube tunnel adds a host route for the service network through the minikube node",
                );
            }
        }
        (
            None,
            format!("your machine has no route to {dst}: the SYN leaves by its default route and is lost"),
            if on_service_net {
                "ClusterIPs are only reachable from outside while `minikube tunnel` runs"
            } else {
                "Pod IPs are not routed outside the cluster"
            },
        )
    }

    fn pod_by_ip(&self, ip: Ipv4Addr) -> Option<&Pod> {
        self.api
            .store()
            .pods_at(ip)
            .find(|p| !p.spec.host_network && p.status.phase == PodPhase::Running)
    }

    /// Open a TCP connection from `from` to `dst:port`, tracing every hop.
    pub fn connect(&mut self, from: &Origin, dst: Ipv4Addr, port: u16) -> Result<Connection, ConnError> {
        let host_route = matches!(from, Origin::Host).then(|| self.host_route(dst));
        let (src_ip, node) = match &host_route {
            Some((Some((node, _)), _, _)) => (HOST_IP, node.clone()),
            Some((None, _, _)) => (HOST_IP, String::new()),
            _ => match self.origin_addr(from) {
                Some(o) => o,
                None => return Err(ConnError::Timeout),
            },
        };
        let client_port = 40000 + self.rng.node(NodeComponent::Kernel, &node).below(20000) as u16;
        let src_name = match from {
            Origin::Pod { name, .. } => format!("pod {name}"),
            Origin::Node(n) => format!("node {n}"),
            Origin::Host => "your machine".to_string(),
        };
        let is_service_ip = self.api.in_service_cidr(dst) || self.proxy.is_service_address(dst);
        let node_ip = self.api.store().node(&node).map(|n| n.internal_ip);
        let local_out = matches!(from, Origin::Node(_));
        let gw = self.nodes().gateway(&node);
        let from_pod = matches!(from, Origin::Pod { .. });
        self.emit(
            Step::Discovery(Hop::PacketToServiceIp),
            format!("{src_name} ({src_ip}) sends a TCP SYN to {dst}:{port}"),
            if is_service_ip && matches!(from, Origin::Host) {
                "the EXTERNAL-IP kubectl showed, which minikube tunnel made the Service's ClusterIP"
            } else if is_service_ip {
                "the app connects to the IP DNS gave it: a ClusterIP on the service network"
            } else if Some(dst) == node_ip {
                "a connection to the node's own address: a NodePort if kube-proxy opened one"
            } else {
                "a direct connection"
            },
            vec![],
        );
        if let Some((found, summary, why)) = host_route {
            self.emit(Step::Discovery(Hop::DefaultGateway), summary, why, vec![]);
            if found.is_none() {
                return Err(ConnError::Timeout);
            }
        }
        let mut target = (dst, port);
        if is_service_ip || Some(dst) == node_ip || self.proxy.intercepts(&node, dst, port, local_out) {
            if from_pod {
                if let Some(gw) = gw {
                    self.emit(
                        Step::Discovery(Hop::DefaultGateway),
                        format!("no route to {dst} in the Pod: out eth0 to the default gateway {gw} (node {node}'s bridge)"),
                        "the service network has no routes anywhere; the Pod only knows its own subnet and a default route",
                        vec![],
                    );
                }
            }
            target = self.trap(&node, (src_ip, client_port), dst, port, local_out)?;
        }
        let (tip, tport) = target;
        // Traffic from outside the cluster (externalTrafficPolicy: Cluster) is masqueraded:
        // the Pod sees the node's address on the way to it, not the host's.
        let src_ip = if matches!(from, Origin::Host) && (tip, tport) != (dst, port) {
            let masq = match self.pod_by_ip(tip).and_then(|p| p.spec.node_name.clone()) {
                Some(n) if n == node => gw.unwrap_or(src_ip),
                _ => node_ip.unwrap_or(src_ip),
            };
            self.emit(
                Step::Discovery(Hop::KernelTrap),
                format!("traffic from outside the cluster is masqueraded: source {src_ip} becomes {masq}"),
                "kube-proxy marks external traffic for SNAT so replies come back through this node",
                vec![],
            );
            masq
        } else {
            src_ip
        };
        let Some(pod) = self.pod_by_ip(tip).cloned() else {
            let host = self.api.store().pods_at(tip).find(|p| p.spec.host_network).cloned();
            if let Some(h) = host {
                return self.deliver(&h, tip, tport, src_ip, client_port, &node, dst, port);
            }
            return Err(ConnError::Timeout);
        };
        self.deliver(&pod, tip, tport, src_ip, client_port, &node, dst, port)
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
        orig: Ipv4Addr,
        orig_port: u16,
    ) -> Result<Connection, ConnError> {
        let pod_node = pod.spec.node_name.clone().unwrap_or_default();
        let how = if pod_node == from_node {
            format!("across node {pod_node}'s bridge")
        } else {
            let nip = self
                .api
                .store()
                .node(&pod_node)
                .map(|n| n.internal_ip.to_string())
                .unwrap_or_default();
            let cidr = self
                .nodes()
                .range(&pod_node)
                .map(|h| format!("{}/{}", h.subnet, h.prefix))
                .unwrap_or_default();
            format!("routed by {from_node}'s route {cidr} via {nip} to node {pod_node}, then its bridge")
        };
        let key = ObjKey::new(Kind::Pod, &pod.meta.namespace, &pod.meta.name);
        if crate::apps::listener(pod, port).is_none() {
            self.emit(
                Step::Discovery(Hop::DeliverToPod),
                format!("nothing listens on {ip}:{port} in pod {}: the kernel answers RST", pod.meta.name),
                "a Service's targetPort must be a port the container really listens on",
                vec![key],
            );
            return Err(ConnError::Refused);
        }
        self.emit(
            Step::Discovery(Hop::DeliverToPod),
            format!("delivered to pod {} ({ip}:{port}) {how}", pod.meta.name),
            if orig != ip {
                "after DNAT the packet is ordinary Pod-to-Pod traffic on the flat Pod network"
            } else {
                "Pod-to-Pod traffic on the flat Pod network: no translation on the way"
            },
            vec![key],
        );
        if orig != ip {
            self.emit(
                Step::Discovery(Hop::Reply),
                format!("the reply from {ip}:{port} is un-DNATed to come from {orig}:{orig_port}"),
                "conntrack remembers the translation, so the client only ever talks to the address it dialled",
                vec![],
            );
        }
        Ok(Connection {
            namespace: pod.meta.namespace.clone(),
            pod: pod.meta.name.clone(),
            pod_ip: ip,
            port,
            client: format!("{src_ip}:{client_port}"),
        })
    }

    /// The node kernel: kube-proxy's rules decide where `dst:port` really goes. `local_out`: the
    /// client is a process on the node itself.
    fn trap(&mut self, node: &str, from: (Ipv4Addr, u16), dst: Ipv4Addr, port: u16, local_out: bool) -> Result<(Ipv4Addr, u16), ConnError> {
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
        match (mode, verdict) {
            (ProxyMode::Ipvs, Verdict::NotTrapped) => {
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    format!("{dst} is not a local address on {node}: no rule traps it"),
                    "only addresses kube-proxy binds are trapped",
                    vec![],
                );
                Err(ConnError::Timeout)
            }
            (ProxyMode::Ipvs, Verdict::NoService) => {
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    format!("{dst} is local on {node} but no IPVS virtual server has port {port} and nothing listens: RST"),
                    "the address is local to the node (on kube-ipvs0 or eth0), but no Service exposes that port on it",
                    vec![],
                );
                Err(ConnError::Refused)
            }
            (_, Verdict::Ipvs(v)) => {
                let svc: Vec<ObjKey> = v.port.iter().map(PortKey::service_key).collect();
                let key = v.key;
                let (summary, why) = if v.local_out && !self.proxy.kube_ipvs0_addrs(node).contains(&dst) && node_ip != Some(dst) {
                    (
                        format!("node {node}'s kernel: a local process connects to {dst}:{port}; IPVS sees it at LOCAL_OUT and has a virtual server for it"),
                        "packets a node sends itself enter IPVS on the way out (ip_vs_local_request4), so a virtual server matches even if its address is on no interface",
                    )
                } else if node_ip == Some(dst) {
                    (
                        format!("node {node}'s kernel: {dst} is the node's own address and IPVS has a virtual server for TCP {dst}:{port} (a NodePort)"),
                        "kube-proxy made a virtual server for every NodePort on each node address",
                    )
                } else if v.port.is_none() {
                    (
                        format!("node {node}'s kernel: {dst} is bound to kube-ipvs0, so IPVS intercepts TCP {dst}:{port}"),
                        "a virtual server built by hand: IPVS takes packets for it once its address is local",
                    )
                } else {
                    (
                        format!("node {node}'s kernel: {dst} is bound to kube-ipvs0, so IPVS intercepts TCP {dst}:{port}"),
                        "kube-proxy put every ClusterIP on the kube-ipvs0 dummy interface and made a virtual server for each port",
                    )
                };
                self.emit(Step::Discovery(Hop::KernelTrap), summary, why, svc.clone());
                let Some(((ip, p), why)) = v.pick else {
                    let n = v.real_servers;
                    self.emit(
                        Step::Discovery(Hop::SchedulerPick),
                        format!(
                            "virtual server {key} has {n} real server{}, none with weight > 0: nothing to pick, the node answers RST",
                            if n == 1 { "" } else { "s" }
                        ),
                        "a Service with no ready endpoints keeps its virtual server but has no real servers",
                        svc,
                    );
                    return Err(ConnError::Refused);
                };
                self.emit(
                    Step::Discovery(Hop::SchedulerPick),
                    format!("IPVS ({}) picks {ip}:{p}", v.sched.as_str()),
                    why,
                    svc,
                );
                self.emit(
                    Step::Discovery(Hop::Dnat),
                    format!("destination rewritten {dst}:{port} → {ip}:{p} (masquerade forwarding)"),
                    "IPVS NAT mode rewrites the destination to the chosen Pod",
                    vec![],
                );
                Ok((ip, p))
            }
            (mode, Verdict::NotTrapped) | (mode, Verdict::NoService) if node_ip == Some(dst) || !self.proxy.is_service_address(dst) => {
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    format!("no {mode} rule matches {dst}:{port} on node {node}"),
                    "nothing listens there and no kube-proxy rule traps it",
                    vec![],
                );
                Err(if node_ip == Some(dst) {
                    ConnError::Refused
                } else {
                    ConnError::Timeout
                })
            }
            (ProxyMode::Nftables, _no_port) if !matches!(_no_port, Verdict::Rule(_)) => {
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    format!("no nftables rule matches {dst}:{port}: kube-proxy's cluster-ips-check rejects it"),
                    "nftables mode rejects traffic to a ClusterIP on a port the Service does not expose",
                    vec![],
                );
                Err(ConnError::Refused)
            }
            (mode, Verdict::Rule(r)) => {
                let skey = r.port.service_key();
                let svc_name = r.port.service.clone();
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    match (mode, r.front == Front::NodePort) {
                        (ProxyMode::Nftables, false) => {
                            format!("node {node}'s kernel: nftables map @service-ips matches {dst} . tcp . {port} for service {svc_name}")
                        }
                        (ProxyMode::Nftables, true) => {
                            format!("node {node}'s kernel: nftables map @service-nodeports matches tcp . {port} for service {svc_name}")
                        }
                        (_, true) => format!("node {node}'s kernel: iptables KUBE-NODEPORTS matches {dst}:{port} for service {svc_name}"),
                        _ => format!("node {node}'s kernel: iptables KUBE-SERVICES matches {dst}:{port} for service {svc_name}"),
                    },
                    "kube-proxy's rules in the nat table's prerouting/output hooks catch Service traffic",
                    vec![skey.clone()],
                );
                let Some((ip, p)) = r.dest else {
                    self.emit(
                        Step::Discovery(Hop::SchedulerPick),
                        "no endpoints: the REJECT rule answers ICMP port unreachable".into(),
                        "a Service without endpoints is rejected in iptables/nftables mode",
                        vec![skey],
                    );
                    return Err(ConnError::Refused);
                };
                if r.affinity_hit == Some(true) {
                    self.emit(
                        Step::Discovery(Hop::SchedulerPick),
                        format!("{client} was seen recently: affinity keeps {ip}:{p}"),
                        if mode == ProxyMode::Iptables {
                            "sessionAffinity ClientIP: the KUBE-SVC chain's `-m recent --rcheck` rule for this endpoint matches first"
                        } else {
                            "sessionAffinity ClientIP: the client is in the endpoint's affinity set"
                        },
                        vec![skey],
                    );
                } else {
                    self.emit(
                        Step::Discovery(Hop::SchedulerPick),
                        format!("random pick {ip}:{p} (1 of {})", r.endpoints),
                        if mode == ProxyMode::Iptables {
                            "each KUBE-SEP rule matches with probability 1/(n−i): a uniform random choice"
                        } else {
                            "numgen random mod N indexes the endpoint map"
                        },
                        vec![skey],
                    );
                }
                self.emit(
                    Step::Discovery(Hop::Dnat),
                    format!("DNAT {dst}:{port} → {ip}:{p}"),
                    "the KUBE-SEP chain rewrites the destination",
                    vec![],
                );
                Ok((ip, p))
            }
            (mode, _) => {
                self.emit(
                    Step::Discovery(Hop::KernelTrap),
                    format!("no {mode} rule matches {dst}:{port}"),
                    "the Service does not expose that port; the packet is dropped",
                    vec![],
                );
                Err(ConnError::Timeout)
            }
        }
    }
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

impl Cluster {
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
        let gw = self.nodes().gateway(&node);
        let (echo, summary, why) = if let Some(n) = self.api.store().nodes().find(|n| n.internal_ip == dst) {
            let ttl = if n.meta.name == node { 64 } else { 63 };
            (
                Echo::Reply { ttl },
                format!("node {} answers the echo request from {src_ip}", n.meta.name),
                "a node's own address answers ICMP like any host",
            )
        } else if let Some(p) = self.pod_by_ip(dst) {
            let same = p.spec.node_name.as_deref() == Some(node.as_str());
            (
                Echo::Reply {
                    ttl: if same { 64 } else { 63 },
                },
                format!("pod {} answers the echo request from {src_ip}", p.meta.name),
                "Pod IPs are real interfaces on the flat Pod network",
            )
        } else if is_service_ip {
            match self.proxy.mode(&node) {
                ProxyMode::Ipvs => (
                    Echo::PortUnreachable { from: dst },
                    format!("{dst} is local on {node} (kube-ipvs0), but KUBE-IPVS-FILTER rejects the echo: port unreachable"),
                    "IPVS only load-balances service ports; kube-proxy (since 1.27) REJECTs any other new traffic to its addresses",
                ),
                ProxyMode::Iptables => (
                    Echo::Lost,
                    format!("no rule matches ICMP to {dst}: {node} forwards it by its default route and it is lost"),
                    "a ClusterIP is only a DNAT rule for its TCP/UDP ports; nothing owns the address",
                ),
                ProxyMode::Nftables => (
                    Echo::PortUnreachable { from: gw.unwrap_or(dst) },
                    format!("kube-proxy's cluster-ips-check rejects the echo to {dst}: port unreachable"),
                    "nftables mode rejects traffic to a ClusterIP that matches no service port",
                ),
            }
        } else {
            (
                Echo::Lost,
                format!("nothing in the cluster has {dst}: the echo request leaves by the default route"),
                "sdplay simulates no hosts outside the cluster",
            )
        };
        self.emit(Step::Discovery(Hop::KernelTrap), summary, why, vec![]);
        echo
    }
}
