//! ICMP echo to Service addresses per kube-proxy mode (netpath's `Cluster::icmp_echo`), and
//! LoadBalancer ingress through `minikube tunnel`.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use sdplay_core::netpath::{Echo, Origin};
use sdplay_core::{Config, Playground, ProxyMode, SD_EXAMPLE};

fn cluster() -> Playground {
    let mut pg = Playground::new(Config::default());
    let files: BTreeMap<String, String> = [("sd.yml".to_string(), SD_EXAMPLE.to_string())].into();
    pg.run("kubectl apply -f sd.yml", &files);
    pg.run("sleep 10", &files);
    pg
}

fn jump() -> Origin {
    Origin::Pod {
        namespace: "dev".into(),
        name: "jump".into(),
    }
}

#[test]
fn ping_a_cluster_ip_in_each_mode() {
    let mut pg = cluster();
    let c = &mut pg.cluster;
    let dns = Ipv4Addr::new(10, 96, 0, 10);
    c.set_proxy_mode(ProxyMode::Ipvs);
    assert_eq!(c.icmp_echo(&jump(), dns), Echo::PortUnreachable { from: dns });
    c.set_proxy_mode(ProxyMode::Iptables);
    assert_eq!(c.icmp_echo(&jump(), dns), Echo::Lost);
    c.set_proxy_mode(ProxyMode::Nftables);
    assert!(matches!(c.icmp_echo(&jump(), dns), Echo::PortUnreachable { from } if from != dns));
    // Pods and nodes answer in every mode.
    let coredns = c
        .store()
        .pods(Some("kube-system"))
        .find(|p| p.meta.name.starts_with("coredns"))
        .and_then(|p| p.status.pod_ip)
        .expect("coredns has an IP");
    assert_eq!(c.icmp_echo(&jump(), coredns), Echo::Reply { ttl: 64 });
    assert_eq!(c.icmp_echo(&jump(), Ipv4Addr::new(192, 168, 49, 2)), Echo::Reply { ttl: 64 });
}

#[test]
fn tunnel_gives_load_balancers_their_cluster_ip() {
    let mut pg = cluster();
    let files: BTreeMap<String, String> = BTreeMap::new();
    let svc = |pg: &Playground| pg.cluster.store().service("dev", "manchester").cloned().expect("manchester");
    assert!(svc(&pg).load_balancer_ips.is_empty(), "pending until the tunnel runs");
    let r = pg.run("minikube tunnel", &files);
    assert!(r.output.starts_with("Status:\t\n\tmachine: minikube\n"), "{}", r.output);
    let s = svc(&pg);
    assert_eq!(s.load_balancer_ips, vec![s.cluster_ip().expect("a ClusterIP")]);
    // A LoadBalancer created later is patched too.
    pg.run(
        "kubectl expose deployment enterprise -n dev --name=lb2 --type=LoadBalancer --port=80 --target-port=8080",
        &files,
    );
    let lb2 = pg.cluster.store().service("dev", "lb2").cloned().expect("lb2 created");
    assert_eq!(lb2.load_balancer_ips, vec![lb2.cluster_ip().expect("a ClusterIP")]);
}
