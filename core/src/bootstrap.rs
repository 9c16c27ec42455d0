//! The starting cluster, as minikube (docker driver, Kubernetes v1.31) gives it: nodes
//! `minikube`, `minikube-m02`… at 192.168.49.2+ (see `cluster::node_ip` past 253 nodes), Pod
//! CIDRs cut in order from the cluster CIDR (10.244.N.0/24 by default; a node past the last one
//! gets none and `CIDRNotAvailable`), the four system
//! namespaces, Service `kubernetes` at the first IP of the range (→ the API server on the
//! control-plane node's IP:8443), Service `kube-dns` at `.10` (53/UDP, 53/TCP, 9153/TCP) in front
//! of Deployment `coredns`, kube-proxy as a DaemonSet, the control-plane static Pods, and the
//! `coredns` ConfigMap holding kubeadm's Corefile.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::cluster::{node_ip, node_name, Cluster, MAX_NODES};
use crate::model::*;

pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.11.1";
pub const KUBE_PROXY_IMAGE: &str = "registry.k8s.io/kube-proxy:v1.31.0";

/// kubeadm's default Corefile as minikube leaves it: minikube's addCoreDNSEntry
/// (pkg/minikube/node/start.go) inserts the `hosts` block for host.minikube.internal before
/// `forward` and `log` before `errors`, so every query is logged (`kubectl logs` shows it).
pub fn corefile(domain: &str, node_host_ip: Ipv4Addr) -> String {
    format!(
        ".:53 {{
    log
    errors
    health {{
       lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }}
    prometheus :9153
    hosts {{
       {node_host_ip} host.minikube.internal
       fallthrough
    }}
    forward . /etc/resolv.conf {{
       max_concurrent 1000
    }}
    cache 30
    loop
    reload
    loadbalance
}}
"
    )
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn meta(name: &str, ns: &str, l: Labels) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: ns.into(),
        labels: l.into(),
        ..Default::default()
    }
}

fn container(name: &str, image: &str, ports: &[(&str, i64, Protocol)]) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        ports: ports
            .iter()
            .map(|(n, p, pr)| ContainerPort {
                name: Some(n.to_string()),
                container_port: *p,
                protocol: *pr,
            })
            .collect(),
        command: Vec::new(),
        args: Vec::new(),
        tty: false,
        stdin: false,
        readiness_delay_seconds: None,
    }
}

fn must(c: &mut Cluster, obj: Object) {
    // The bootstrap objects are fixed and valid; an error here would be a bug in this file,
    // and is surfaced in the trace rather than by panicking.
    let key = obj.key();
    if let Err(e) = c.create(obj) {
        c.record(
            crate::trace::What::BootstrapFailed { key, error: e.to_string() },
            crate::trace::Route::default(),
        );
    }
}

/// A fresh minikube-like cluster, already running for `config.uptime_secs`.
pub fn minikube(config: crate::cluster::Config) -> Cluster {
    let mut c = Cluster::empty(config);
    bootstrap(&mut c);
    let up = c.now.plus_secs(c.config.uptime_secs);
    c.advance_to(up);
    let now = c.now;
    c.events.prune(now);
    c
}

fn bootstrap(c: &mut Cluster) {
    let domain = c.config.cluster_domain.clone();
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let mut l = Labels::new();
        l.insert("kubernetes.io/metadata.name".into(), ns.into());
        must(c, Object::Namespace(Namespace { meta: meta(ns, "", l) }));
    }
    let n = c.config.nodes.clamp(1, MAX_NODES);
    for i in 0..n {
        let name = node_name(i);
        let mut l = labels(&[
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", &name),
            ("kubernetes.io/os", "linux"),
            ("minikube.k8s.io/name", "minikube"),
        ]);
        if i == 0 {
            l.insert("node-role.kubernetes.io/control-plane".into(), "".into());
            l.insert("minikube.k8s.io/primary".into(), "true".into());
        }
        let pod_cidr = c.allocate_node_cidr(&name);
        must(
            c,
            Object::Node(Node {
                meta: meta(&name, "", l),
                internal_ip: node_ip(i),
                pod_cidr,
                control_plane: i == 0,
                system: NodeSystem::default(),
            }),
        );
        if pod_cidr.is_none() {
            c.node_cidr_not_available(&name);
        }
    }
    let cp_ip = node_ip(0);

    // Control-plane static Pods and storage-provisioner use the host network.
    for (name, image, comp) in [
        ("etcd-minikube", "registry.k8s.io/etcd:3.5.15-0", "etcd"),
        (
            "kube-apiserver-minikube",
            "registry.k8s.io/kube-apiserver:v1.31.0",
            "kube-apiserver",
        ),
        (
            "kube-controller-manager-minikube",
            "registry.k8s.io/kube-controller-manager:v1.31.0",
            "kube-controller-manager",
        ),
        (
            "kube-scheduler-minikube",
            "registry.k8s.io/kube-scheduler:v1.31.0",
            "kube-scheduler",
        ),
        ("storage-provisioner", "gcr.io/k8s-minikube/storage-provisioner:v5", ""),
    ] {
        let l = if comp.is_empty() {
            labels(&[
                ("addonmanager.kubernetes.io/mode", "Reconcile"),
                ("integration-test", "storage-provisioner"),
            ])
        } else {
            labels(&[("component", comp), ("tier", "control-plane")])
        };
        let spec = PodSpec {
            containers: vec![container(
                comp.trim_start_matches("kube-").split('-').next().unwrap_or(name),
                image,
                &[],
            )]
            .into(),
            node_name: Some("minikube".into()),
            host_network: true,
            ..Default::default()
        };
        let mut pod = Pod {
            meta: meta(name, "kube-system", l),
            spec: spec.into(),
            status: PodStatus::default(),
        };
        pod.meta.uid = c.new_uid();
        c.start_pod_sandbox(&mut pod);
        must(c, Object::Pod(pod));
    }

    // Service `kubernetes` → the API server; its Endpoints are written by the API server itself.
    let kubernetes_ip = c.api.nth_service_ip(1);
    let svc = Service {
        meta: meta(
            "kubernetes",
            "default",
            labels(&[("component", "apiserver"), ("provider", "kubernetes")]),
        ),
        spec: ServiceSpec {
            cluster_ip: ClusterIp::Ip(kubernetes_ip),
            ..ServiceSpec::new(
                ServiceType::ClusterIP,
                None,
                vec![ServicePort {
                    name: Some("https".into()),
                    protocol: Protocol::Tcp,
                    port: 443,
                    target_port: IntOrString::Int(8443),
                    node_port: None,
                }],
            )
        },
        load_balancer_ips: Vec::new(),
    };
    must(c, Object::Service(svc));
    let ep = Endpoints {
        meta: meta(
            "kubernetes",
            "default",
            labels(&[("endpointslice.kubernetes.io/skip-mirror", "true")]),
        ),
        subsets: vec![EndpointSubset {
            addresses: vec![EndpointAddress {
                ip: cp_ip,
                hostname: None,
                node_name: None,
                target: None,
            }],
            not_ready_addresses: Vec::new(),
            ports: vec![EndpointPort {
                name: Some("https".into()),
                port: 8443,
                protocol: Protocol::Tcp,
            }],
        }],
    };
    must(c, Object::Endpoints(ep));
    let slice = EndpointSlice {
        meta: meta("kubernetes", "default", labels(&[("kubernetes.io/service-name", "kubernetes")])),
        address_type: AddressType::IPv4,
        ports: vec![EndpointPort {
            name: Some("https".into()),
            port: 8443,
            protocol: Protocol::Tcp,
        }],
        endpoints: vec![SliceEndpoint {
            addresses: vec![cp_ip],
            conditions: EndpointConditions::set(true, true, false),
            hostname: None,
            node_name: None,
            zone: None,
            target: None,
        }],
    };
    must(c, Object::EndpointSlice(slice));

    // CoreDNS: ConfigMap, Deployment, Service kube-dns at .10.
    let mut data = BTreeMap::new();
    data.insert("Corefile".to_string(), corefile(&domain, Ipv4Addr::new(192, 168, 49, 1)));
    must(
        c,
        Object::ConfigMap(ConfigMap {
            meta: meta("coredns", "kube-system", Labels::new()),
            data,
        }),
    );
    let dns_labels = labels(&[("k8s-app", "kube-dns")]);
    let mut dns_container = container(
        "coredns",
        COREDNS_IMAGE,
        &[
            ("dns", 53, Protocol::Udp),
            ("dns-tcp", 53, Protocol::Tcp),
            ("metrics", 9153, Protocol::Tcp),
        ],
    );
    dns_container.args = vec!["-conf".into(), "/etc/coredns/Corefile".into()];
    dns_container.readiness_delay_seconds = Some(0);
    let template = PodTemplate {
        labels: dns_labels.clone(),
        annotations: Labels::new(),
        spec: PodSpec {
            containers: vec![dns_container].into(),
            dns_policy: DnsPolicy::Default,
            termination_grace_period_seconds: 30,
            ..Default::default()
        },
    };
    must(
        c,
        Object::Deployment(Deployment {
            meta: meta("coredns", "kube-system", dns_labels.clone()),
            replicas: 1,
            selector: std::sync::Arc::new(LabelSelector {
                match_labels: dns_labels.clone(),
                match_expressions: Vec::new(),
            }),
            template: std::sync::Arc::new(template),
            status: WorkloadStatus::default(),
            collision_count: 0,
        }),
    );
    let port = |name: &str, p: i64, proto: Protocol, target: &str| ServicePort {
        name: Some(name.into()),
        protocol: proto,
        port: p,
        target_port: IntOrString::Str(target.into()),
        node_port: None,
    };
    let dns_ip = c.api.nth_service_ip(10);
    let mut svc_labels = dns_labels.clone();
    svc_labels.insert("kubernetes.io/cluster-service".into(), "true".into());
    svc_labels.insert("kubernetes.io/name".into(), "CoreDNS".into());
    must(
        c,
        Object::Service(Service {
            meta: meta("kube-dns", "kube-system", svc_labels),
            spec: ServiceSpec {
                cluster_ip: ClusterIp::Ip(dns_ip),
                ..ServiceSpec::new(
                    ServiceType::ClusterIP,
                    Some(dns_labels),
                    vec![
                        port("dns", 53, Protocol::Udp, "dns"),
                        port("dns-tcp", 53, Protocol::Tcp, "dns-tcp"),
                        port("metrics", 9153, Protocol::Tcp, "metrics"),
                    ],
                )
            },
            load_balancer_ips: Vec::new(),
        }),
    );

    // kube-proxy: a DaemonSet with one host-network Pod per node.
    let kp_labels = labels(&[("k8s-app", "kube-proxy")]);
    let kp_template = PodTemplate {
        labels: kp_labels.clone(),
        annotations: Labels::new(),
        spec: PodSpec {
            containers: vec![container("kube-proxy", KUBE_PROXY_IMAGE, &[])].into(),
            host_network: true,
            ..Default::default()
        },
    };
    let ds_uid = c.new_uid();
    let mut ds_meta = meta("kube-proxy", "kube-system", kp_labels.clone());
    ds_meta.uid = ds_uid.clone();
    c.api.put(Object::DaemonSet(DaemonSet {
        meta: ds_meta,
        selector: std::sync::Arc::new(LabelSelector {
            match_labels: kp_labels.clone(),
            match_expressions: Vec::new(),
        }),
        template: std::sync::Arc::new(kp_template.clone()),
        status: WorkloadStatus {
            replicas: n as i64,
            ready: n as i64,
            available: n as i64,
            updated: n as i64,
        },
    }));
    for i in 0..n {
        let name = c.api.generate_name(Kind::Pod, "kube-system", "kube-proxy-");
        let mut m = meta(&name, "kube-system", kp_labels.clone());
        m.owner = Some(OwnerRef {
            kind: Kind::DaemonSet,
            name: "kube-proxy".into(),
            uid: ds_uid.clone(),
        });
        let mut spec = kp_template.spec.clone();
        spec.node_name = Some(node_name(i));
        let mut pod = Pod {
            meta: m,
            spec: spec.into(),
            status: PodStatus::default(),
        };
        pod.meta.uid = c.new_uid();
        c.start_pod_sandbox(&mut pod);
        must(c, Object::Pod(pod));
    }
    c.settle();
}
