//! The scale envelope's addressing: node IPs past minikube's 253, Pod CIDRs from the cluster
//! CIDR until it runs out (then `CIDRNotAvailable` and NotReady), and the settings refused as
//! kube-controller-manager refuses them. No timing here: the benches measure.

use std::net::Ipv4Addr;

use sdplay_core::cluster::{node_ip, node_ip_checked, parse_cidr, MAX_NODES};
use sdplay_core::{Config, Playground};

#[test]
fn node_ips_continue_past_minikubes_network() {
    assert_eq!(node_ip(0), Ipv4Addr::new(192, 168, 49, 2));
    assert_eq!(node_ip(252), Ipv4Addr::new(192, 168, 49, 254));
    assert_eq!(node_ip(253), Ipv4Addr::new(192, 168, 50, 1));
    assert_eq!(node_ip(506), Ipv4Addr::new(192, 168, 50, 254));
    assert_eq!(node_ip(507), Ipv4Addr::new(192, 168, 51, 1));
    assert_eq!(node_ip(MAX_NODES - 1), Ipv4Addr::new(192, 168, 68, 175));
    let all: std::collections::BTreeSet<Ipv4Addr> = (0..MAX_NODES).map(node_ip).collect();
    assert_eq!(all.len(), MAX_NODES, "every node has its own address");
    assert_eq!(node_ip_checked(usize::MAX), None);
}

#[test]
fn pod_cidrs_run_out_after_256_nodes_of_a_slash_16() {
    let pg = Playground::new(Config {
        nodes: 300,
        ..Config::default()
    });
    let c = &pg.cluster;
    let nodes: Vec<_> = c.store().nodes().collect();
    assert_eq!(nodes.len(), 300);
    let with: Vec<_> = nodes.iter().filter(|n| n.pod_cidr.is_some()).collect();
    assert_eq!(with.len(), 256);
    let last = c.store().node("minikube-m256").and_then(|n| n.pod_cidr);
    assert_eq!(last, Some((Ipv4Addr::new(10, 244, 255, 0), 24)));
    let past = c.store().node("minikube-m257").expect("node 257");
    assert!(past.pod_cidr.is_none() && !past.network_ready());
    let events = c.events().list(Some("default"), c.now());
    let cidr = events.iter().filter(|e| e.reason == "CIDRNotAvailable").count();
    assert_eq!(cidr, 44);
}

#[test]
fn settings_kube_controller_manager_refuses() {
    let ok = Config::default();
    assert_eq!(ok.problem(), None);
    let cidr = |s: &str| parse_cidr(s).expect("cidr");
    for (cluster, mask) in [
        ("10.244.0.0/16", 12),
        ("10.0.0.0/7", 24),
        ("10.244.0.0/16", 31),
        ("10.244.1.0/16", 24),
    ] {
        let cfg = Config {
            cluster_cidr: cidr(cluster),
            node_cidr_mask_size: mask,
            ..Config::default()
        };
        assert!(cfg.problem().is_some(), "{cluster} /{mask}");
    }
    let too_many = Config {
        nodes: MAX_NODES + 1,
        ..Config::default()
    };
    assert!(too_many.problem().is_some());
    assert_eq!(parse_cidr("10.244.0.0"), None);
    assert_eq!(parse_cidr("10.244.0.0/33"), None);
}
