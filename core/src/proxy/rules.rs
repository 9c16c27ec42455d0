//! What kube-proxy writes into netfilter, rendered as `iptables-save -t nat` and
//! `nft list ruleset` print it on a node, for each proxy mode.
//!
//! iptables mode follows `pkg/proxy/iptables/proxier.go`: KUBE-SERVICES → `KUBE-SVC-<hash>` →
//! `KUBE-SEP-<hash>` with `portProtoHash` names, `--probability` 1/(n−i) over endpoints sorted as
//! strings (kube-proxy writes `%0.10f`; iptables stores it as a fraction of 2^31 and
//! `iptables-save` prints it back with `%.11f`, hence 0.33333333349), KUBE-NODEPORTS →
//! `KUBE-EXT-<hash>`, the masquerade mark 0x4000. In IPVS mode the nat table holds only the
//! ipset-matching rules. nftables mode follows `pkg/proxy/nftables/proxier.go`: one
//! `service-ips` verdict map and `numgen random mod N` per service.
//!
//! Rendered from kube-proxy's one model ([`KubeProxy`]): the same Service ports and endpoints
//! the packet path looks up.
//!
//! Simplified: rules are grouped per Service in name order (kube-proxy writes them in Go map
//! order), `Local` traffic policies are not given their own KUBE-SVL/KUBE-EXT chains (the
//! endpoints are the node's), and the node's own Docker chains are left out.

use std::net::Ipv4Addr;

use super::hash::{base32, ext_chain, sep_chain, sha256, svc_chain};
use super::{Front, KubeProxy};
use crate::model::*;
use crate::time::{Epoch, SimTime};

/// The cluster CIDR kube-proxy is started with on minikube (`--cluster-cidr`).
pub const CLUSTER_CIDR: &str = "10.244.0.0/16";

/// One Service port as the proxiers see it.
struct SvcPort {
    /// `ns/name` or `ns/name:port` (`ServicePortName.String()`).
    spn: String,
    ns: String,
    name: String,
    port_name: String,
    proto: &'static str,
    cluster_ip: Ipv4Addr,
    port: i64,
    node_port: Option<i64>,
    lb_ips: Vec<Ipv4Addr>,
    external_ips: Vec<Ipv4Addr>,
    affinity: Option<i64>,
    /// Ready endpoints as `ip:port`, sorted as strings.
    endpoints: Vec<String>,
}

/// The Service ports of the shared kube-proxy model, Services in name order and each
/// Service's ports in spec order, with the endpoints ClusterIP traffic on `node` may reach.
fn svc_ports(p: &KubeProxy, node: &str) -> Vec<SvcPort> {
    p.ports_in_service_order()
        .map(|sp| {
            let mut endpoints: Vec<String> = sp
                .endpoints_for(Front::ClusterIp, node)
                .iter()
                .map(|e| format!("{}:{}", e.ip, e.port))
                .collect();
            endpoints.sort();
            SvcPort {
                spn: sp.key.to_string(),
                ns: sp.key.namespace.to_string(),
                name: sp.key.service.to_string(),
                port_name: sp.key.port_name.to_string(),
                proto: match sp.key.protocol {
                    Protocol::Tcp => "tcp",
                    Protocol::Udp => "udp",
                    Protocol::Sctp => "sctp",
                },
                cluster_ip: sp.cluster_ip,
                port: sp.port as i64,
                node_port: sp.node_port.map(i64::from),
                lb_ips: sp.lb_ips.clone(),
                external_ips: sp.external_ips.clone(),
                affinity: sp.affinity.map(i64::from),
                endpoints,
            }
        })
        .collect()
}

/// kube-proxy's `%0.10f` of 1/n, read back as iptables stores it (a fraction of 2^31) and
/// printed as `iptables-save` prints it (`%.11f`).
pub fn iptables_probability(n: usize) -> String {
    let written = format!("{:.10}", 1.0 / n as f64);
    let p: f64 = written.parse().unwrap_or(0.0);
    let stored = (p * 2_147_483_648.0).round();
    format!("{:.11}", stored / 2_147_483_648.0)
}

/// `iptables-save -t nat` on `node` in iptables mode.
pub fn iptables_save_nat(p: &KubeProxy, node: &str, epoch: Epoch, now: SimTime) -> String {
    let mut chains: Vec<String> = vec![
        "KUBE-KUBELET-CANARY".into(),
        "KUBE-MARK-MASQ".into(),
        "KUBE-NODEPORTS".into(),
        "KUBE-POSTROUTING".into(),
        "KUBE-PROXY-CANARY".into(),
        "KUBE-SERVICES".into(),
    ];
    // Rules per chain, in the order kube-proxy writes them.
    let mut rules: Vec<(String, String)> = Vec::new();
    let mut services: Vec<String> = Vec::new();
    let mut nodeports: Vec<String> = Vec::new();
    for sp in svc_ports(p, node) {
        if sp.endpoints.is_empty() {
            continue; // REJECT rules live in the filter table
        }
        let svc = svc_chain(&sp.spn, sp.proto);
        let ext = ext_chain(&sp.spn, sp.proto);
        chains.push(svc.clone());
        services.push(format!(
            "-d {}/32 -p {p} -m comment --comment \"{} cluster IP\" -m {p} --dport {} -j {svc}",
            sp.cluster_ip,
            sp.spn,
            sp.port,
            p = sp.proto
        ));
        let has_ext = sp.node_port.is_some() || !sp.lb_ips.is_empty() || !sp.external_ips.is_empty();
        for ip in &sp.external_ips {
            services.push(format!(
                "-d {ip}/32 -p {p} -m comment --comment \"{} external IP\" -m {p} --dport {} -j {ext}",
                sp.spn,
                sp.port,
                p = sp.proto
            ));
        }
        for ip in &sp.lb_ips {
            services.push(format!(
                "-d {ip}/32 -p {p} -m comment --comment \"{} loadbalancer IP\" -m {p} --dport {} -j {ext}",
                sp.spn,
                sp.port,
                p = sp.proto
            ));
        }
        if let Some(np) = sp.node_port {
            nodeports.push(format!(
                "-p {p} -m comment --comment \"{}\" -m {p} --dport {np} -j {ext}",
                sp.spn,
                p = sp.proto
            ));
        }
        if has_ext {
            chains.push(ext.clone());
            rules.push((
                ext.clone(),
                format!(
                    "-m comment --comment \"masquerade traffic for {} external destinations\" -j KUBE-MARK-MASQ",
                    sp.spn
                ),
            ));
            rules.push((ext.clone(), format!("-j {svc}")));
        }
        rules.push((
            svc.clone(),
            format!(
                "! -s {CLUSTER_CIDR} -d {}/32 -p {p} -m comment --comment \"{} cluster IP\" -m {p} --dport {} -j KUBE-MARK-MASQ",
                sp.cluster_ip,
                sp.spn,
                sp.port,
                p = sp.proto
            ),
        ));
        let n = sp.endpoints.len();
        let seps: Vec<String> = sp.endpoints.iter().map(|e| sep_chain(&sp.spn, sp.proto, e)).collect();
        if let Some(t) = sp.affinity {
            for (e, sep) in sp.endpoints.iter().zip(&seps) {
                rules.push((
                    svc.clone(),
                    format!(
                        "-m comment --comment \"{} -> {e}\" -m recent --rcheck --seconds {t} --reap --name {sep} --mask 255.255.255.255 --rsource -j {sep}",
                        sp.spn
                    ),
                ));
            }
        }
        for (i, (e, sep)) in sp.endpoints.iter().zip(&seps).enumerate() {
            let prob = if i + 1 < n {
                format!(" -m statistic --mode random --probability {}", iptables_probability(n - i))
            } else {
                String::new()
            };
            rules.push((svc.clone(), format!("-m comment --comment \"{} -> {e}\"{prob} -j {sep}", sp.spn)));
            chains.push(sep.clone());
            let ip = e.split(':').next().unwrap_or("");
            rules.push((
                sep.clone(),
                format!("-s {ip}/32 -m comment --comment \"{}\" -j KUBE-MARK-MASQ", sp.spn),
            ));
            let recent = if sp.affinity.is_some() {
                format!(" -m recent --set --name {sep} --mask 255.255.255.255 --rsource")
            } else {
                String::new()
            };
            rules.push((
                sep.clone(),
                format!(
                    "-p {p} -m comment --comment \"{}\"{recent} -m {p} -j DNAT --to-destination {e}",
                    sp.spn,
                    p = sp.proto
                ),
            ));
        }
    }
    for r in services {
        rules.push(("KUBE-SERVICES".into(), r));
    }
    rules.push((
        "KUBE-SERVICES".into(),
        "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS".into(),
    ));
    for r in nodeports {
        rules.push(("KUBE-NODEPORTS".into(), r));
    }
    rules.push(("KUBE-MARK-MASQ".into(), "-j MARK --set-xmark 0x4000/0x4000".into()));
    postrouting(&mut rules);
    chains.sort();
    chains.dedup();
    render_nat(epoch, now, &chains, &rules)
}

fn postrouting(rules: &mut Vec<(String, String)>) {
    rules.push(("KUBE-POSTROUTING".into(), "-m mark ! --mark 0x4000/0x4000 -j RETURN".into()));
    rules.push(("KUBE-POSTROUTING".into(), "-j MARK --set-xmark 0x4000/0x0".into()));
    rules.push((
        "KUBE-POSTROUTING".into(),
        "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully".into(),
    ));
}

fn render_nat(epoch: Epoch, now: SimTime, chains: &[String], rules: &[(String, String)]) -> String {
    let when = epoch.ctime(now);
    let mut out = format!("# Generated by iptables-save v1.8.9 on {when}\n*nat\n");
    for b in ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"] {
        out.push_str(&format!(":{b} ACCEPT [0:0]\n"));
    }
    for ch in chains {
        out.push_str(&format!(":{ch} - [0:0]\n"));
    }
    out.push_str("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
    out.push_str("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
    out.push_str("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n");
    for ch in chains {
        for (c2, r) in rules {
            if c2 == ch {
                out.push_str(&format!("-A {ch} {r}\n"));
            }
        }
    }
    out.push_str(&format!("COMMIT\n# Completed on {when}\n"));
    out
}

/// `iptables-save -t nat` on `node` in IPVS mode: kube-proxy matches ipsets instead of
/// writing a chain per Service.
pub fn iptables_save_nat_ipvs(p: &KubeProxy, node: &str, epoch: Epoch, now: SimTime) -> String {
    let ports = svc_ports(p, node);
    let chains: Vec<String> = [
        "KUBE-KUBELET-CANARY",
        "KUBE-LOAD-BALANCER",
        "KUBE-MARK-MASQ",
        "KUBE-NODE-PORT",
        "KUBE-POSTROUTING",
        "KUBE-SERVICES",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rules: Vec<(String, String)> = vec![("KUBE-LOAD-BALANCER".into(), "-j KUBE-MARK-MASQ".into())];
    rules.push(("KUBE-MARK-MASQ".into(), "-j MARK --set-xmark 0x4000/0x4000".into()));
    if ports.iter().any(|p| p.node_port.is_some() && p.proto == "tcp") {
        rules.push((
            "KUBE-NODE-PORT".into(),
            "-p tcp -m comment --comment \"Kubernetes nodeport TCP port for masquerade purpose\" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ".into(),
        ));
    }
    rules.push((
        "KUBE-POSTROUTING".into(),
        "-m comment --comment \"Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose\" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE".into(),
    ));
    postrouting(&mut rules);
    rules.push((
        "KUBE-SERVICES".into(),
        format!("! -s {CLUSTER_CIDR} -m comment --comment \"Kubernetes service cluster ip + port for masquerade purpose\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ"),
    ));
    rules.push(("KUBE-SERVICES".into(), "-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT".into()));
    rules.push((
        "KUBE-SERVICES".into(),
        "-m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT".into(),
    ));
    render_nat(epoch, now, &chains, &rules)
}

/// The nftables proxier's `hashAndTruncate`: 8 base32 characters of the SHA-256, a dash, the
/// name (chains longer than 63 characters are cut and end in `...`).
pub fn hash_and_truncate(name: &str) -> String {
    let h: String = base32(&sha256(name.as_bytes())).chars().take(8).collect();
    let full = format!("{h}-{name}");
    if full.len() > 63 {
        let cut: String = full.chars().take(60).collect();
        format!("{cut}...")
    } else {
        full
    }
}

/// `nft list ruleset` on a node in nftables mode (the kube-proxy table only).
pub fn nft_ruleset(p: &KubeProxy, node: &str) -> String {
    let ports = svc_ports(p, node);
    let node_ip = p.node(node).map(|n| n.ip.to_string()).unwrap_or_default();
    let base = |sp: &SvcPort| format!("{}/{}/{}/{}", sp.ns, sp.name, sp.proto, sp.port_name);
    let mut out = String::from("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n");
    let mut cips: Vec<Ipv4Addr> = ports.iter().map(|p| p.cluster_ip).collect();
    cips.sort();
    cips.dedup();
    let join = |v: Vec<String>| v.join(",\n\t\t\t     ");
    out.push_str("\tset cluster-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"Active ClusterIPs\"\n");
    if !cips.is_empty() {
        out.push_str(&format!(
            "\t\telements = {{ {} }}\n",
            join(cips.iter().map(|i| i.to_string()).collect())
        ));
    }
    out.push_str("\t}\n\n");
    out.push_str(&format!(
        "\tset nodeport-ips {{\n\t\ttype ipv4_addr\n\t\tcomment \"IPs that accept NodePort traffic\"\n\t\telements = {{ {node_ip} }}\n\t}}\n\n"
    ));
    let no_ep: Vec<String> = ports
        .iter()
        .filter(|p| p.endpoints.is_empty())
        .map(|p| {
            format!(
                "{} . {} . {} comment \"{}\" : goto reject-chain",
                p.cluster_ip, p.proto, p.port, p.spn
            )
        })
        .collect();
    out.push_str("\tmap no-endpoint-services {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n\t\tcomment \"vmap to drop or reject packets to services with no endpoints\"\n");
    if !no_ep.is_empty() {
        out.push_str(&format!("\t\telements = {{ {} }}\n", join(no_ep)));
    }
    out.push_str("\t}\n\n");
    let svc_ips: Vec<String> = ports
        .iter()
        .filter(|p| !p.endpoints.is_empty())
        .map(|p| {
            format!(
                "{} . {} . {} comment \"{}\" : goto service-{}",
                p.cluster_ip,
                p.proto,
                p.port,
                p.spn,
                hash_and_truncate(&base(p))
            )
        })
        .collect();
    out.push_str("\tmap service-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n\t\tcomment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"\n");
    if !svc_ips.is_empty() {
        out.push_str(&format!("\t\telements = {{ {} }}\n", join(svc_ips)));
    }
    out.push_str("\t}\n\n");
    let nps: Vec<String> = ports
        .iter()
        .filter(|p| !p.endpoints.is_empty())
        .filter_map(|p| {
            p.node_port.map(|np| {
                format!(
                    "{} . {np} comment \"{}\" : goto external-{}",
                    p.proto,
                    p.spn,
                    hash_and_truncate(&base(p))
                )
            })
        })
        .collect();
    out.push_str("\tmap service-nodeports {\n\t\ttype inet_proto . inet_service : verdict\n\t\tcomment \"NodePort traffic\"\n");
    if !nps.is_empty() {
        out.push_str(&format!("\t\telements = {{ {} }}\n", join(nps)));
    }
    out.push_str("\t}\n\n");
    out.push_str("\tchain nat-prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tjump services\n\t}\n\n");
    out.push_str("\tchain nat-output {\n\t\ttype nat hook output priority dstnat; policy accept;\n\t\tjump services\n\t}\n\n");
    out.push_str(
        "\tchain nat-postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tjump masquerading\n\t}\n\n",
    );
    out.push_str("\tchain mark-for-masquerade {\n\t\tmeta mark set meta mark | 0x00004000\n\t}\n\n");
    out.push_str("\tchain masquerading {\n\t\tmeta mark & 0x00004000 == 0x00000000 return\n\t\tmeta mark set meta mark ^ 0x00004000\n\t\tmasquerade fully-random\n\t}\n\n");
    out.push_str("\tchain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n\t}\n\n");
    out.push_str("\tchain reject-chain {\n\t\tcomment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"\n\t\treject\n\t}\n");
    for p in ports.iter().filter(|p| !p.endpoints.is_empty()) {
        let b = base(p);
        let eps: Vec<String> = p
            .endpoints
            .iter()
            .map(|e| format!("endpoint-{}", hash_and_truncate(&format!("{b}__{}", e.replace(':', "/")))))
            .collect();
        out.push_str(&format!(
            "\n\tchain service-{} {{\n\t\tip daddr {} {} dport {} ip saddr != {CLUSTER_CIDR} jump mark-for-masquerade\n",
            hash_and_truncate(&b),
            p.cluster_ip,
            p.proto,
            p.port
        ));
        let vm: Vec<String> = eps.iter().enumerate().map(|(i, e)| format!("{i} : goto {e}")).collect();
        out.push_str(&format!("\t\tnumgen random mod {} vmap {{ {} }}\n\t}}\n", eps.len(), vm.join(", ")));
        if p.node_port.is_some() {
            out.push_str(&format!(
                "\n\tchain external-{} {{\n\t\tjump mark-for-masquerade\n\t\tgoto service-{}\n\t}}\n",
                hash_and_truncate(&b),
                hash_and_truncate(&b)
            ));
        }
        for (e, chain) in p.endpoints.iter().zip(&eps) {
            let ip = e.split(':').next().unwrap_or("");
            out.push_str(&format!(
                "\n\tchain {chain} {{\n\t\tip saddr {ip} jump mark-for-masquerade\n\t\tmeta l4proto {} dnat to {e}\n\t}}\n",
                p.proto
            ));
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_as_iptables_save_prints_them() {
        assert_eq!(iptables_probability(2), "0.50000000000");
        assert_eq!(iptables_probability(3), "0.33333333349");
        assert_eq!(iptables_probability(4), "0.25000000000");
        assert_eq!(iptables_probability(5), "0.20000000019");
    }

    /// Names from kube-proxy's nftables proxier tests.
    #[test]
    fn nftables_chain_names() {
        assert_eq!(hash_and_truncate("ns1/svc1/tcp/p80"), "ULMVA6XW-ns1/svc1/tcp/p80");
        assert_eq!(
            hash_and_truncate("ns1/svc1/tcp/p80__10.180.0.1/80"),
            "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
        );
    }
}
