//! Tests of the snapshot import: the kind and minikube fixtures in `tests/transcripts/snapshots/`
//! load with their names, addresses and settings, the controllers write nothing over them, the
//! allocators hold what is in use, and what is not modelled is reported.

use super::*;
use crate::api::server::Reservation;
use crate::ipam::AllocError;

const KIND: &str = include_str!("../../../tests/transcripts/snapshots/kind.yaml");
const MINIKUBE: &str = include_str!("../../../tests/transcripts/snapshots/minikube.yaml");

fn load(text: &str) -> Imported {
    match import(text, &Config::default()) {
        Ok(i) => i,
        Err(e) => panic!("import failed: {e:?}"),
    }
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
}

#[test]
fn kind_keeps_names_addresses_and_settings() {
    let Imported { cluster: c, report } = load(KIND);
    let store = c.store();
    let web = store.service("shop", "web").cloned();
    assert_eq!(web.as_ref().and_then(Service::cluster_ip), Some(ip("10.96.141.27")));
    assert_eq!(web.as_ref().and_then(|s| s.spec.ports[0].node_port), Some(30080));
    assert_eq!(
        store.service("kube-system", "kube-dns").and_then(Service::cluster_ip),
        Some(ip("10.96.0.10"))
    );
    let pod = store.pod("shop", "web-5d9c8b7f4c-hx7rl");
    assert_eq!(pod.and_then(|p| p.status.pod_ip), Some(ip("10.244.1.2")));
    assert_eq!(pod.map(|p| p.meta.uid.as_str()), Some("c3e5a7b9-1d2f-4048-a16c-8e0a2c4d6f93"));
    assert_eq!(pod.map(|p| p.status.phase), Some(PodPhase::Running));
    assert_eq!(store.node("kind-worker").map(|n| n.internal_ip), Some(ip("172.18.0.3")));
    assert_eq!(report.service_cidr.0, (ip("10.96.0.0"), 16));
    assert_eq!(
        c.config().platform,
        Platform::Kind {
            provider: "docker".into(),
            cluster: "kind".into()
        }
    );
    assert_eq!(c.config().api_server, "https://172.18.0.2:6443");
    assert!(matches!(
        report.service_cidr.1,
        Source::Flag {
            flag: "--service-cluster-ip-range",
            ..
        }
    ));
    assert_eq!(report.cluster_cidr.0, (ip("10.244.0.0"), 16));
    assert_eq!(report.proxy.0, ProxyMode::Iptables);
    assert_eq!(c.proxy().default_mode(), ProxyMode::Iptables);
    assert_eq!(report.clock.as_deref(), Some("2025-03-10T09:41:37Z"));
    assert_eq!(store.epoch().rfc3339(c.now()), "2025-03-10T09:41:37Z");
    let created = pod.map(|p| store.epoch().rfc3339(p.meta.creation));
    assert_eq!(created.as_deref(), Some("2025-03-10T09:03:12Z"));
    // Every slice is the imported one, by name.
    let slices: Vec<&str> = store.list(Kind::EndpointSlice, None).map(|o| o.meta().name.as_str()).collect();
    assert_eq!(slices, ["kubernetes", "kube-dns-7vkxq", "web-r8mzt"]);
    assert_eq!(report.adopted.len(), 3);
}

#[test]
fn controllers_do_not_fight_the_imported_state() {
    for text in [KIND, MINIKUBE] {
        let Imported { cluster: c, .. } = load(text);
        for e in c.trace().events() {
            let fights = matches!(
                e.what,
                What::PodCreated { .. }
                    | What::PodDeleted { .. }
                    | What::ReplicaSetCreated { .. }
                    | What::ReplicaSetScaled { .. }
                    | What::PodIpAssigned { .. }
                    | What::SliceUpdated { .. }
                    | What::SliceDeleted { .. }
                    | What::EndpointsUpdated { .. }
                    | What::Scheduled { .. }
            );
            assert!(!fights, "a controller rewrote imported state: {:?}", e.what);
        }
        let last = c.trace().events().back().map(|e| &e.what);
        assert!(matches!(last, Some(What::SnapshotImported { .. })), "{last:?}");
    }
}

#[test]
fn allocators_hold_what_is_in_use() {
    let Imported { mut cluster, .. } = load(KIND);
    let web = cluster.store().service("shop", "web").cloned();
    let Some(web) = web else { panic!("no web Service") };
    // Reserving again finds both taken: the import reserved them.
    assert_eq!(
        cluster.api.reserve_service(&web),
        vec![
            Reservation::ClusterIp(ip("10.96.141.27"), AllocError::Taken),
            Reservation::NodePort(30080, AllocError::Taken)
        ]
    );
    // A new Pod on kind-worker gets the next free address, not an imported one.
    assert!(!cluster.adopt_pod_ip("kind-worker", ip("10.244.1.3"), "again"));
    assert!(cluster.adopt_pod_ip("kind-worker", ip("10.244.1.9"), "free"));
}

#[test]
fn not_modelled_objects_are_reported() {
    let Imported { report, .. } = load(KIND);
    let owned: Vec<(&str, &str)> = report
        .not_imported
        .iter()
        .filter_map(|n| match &n.why {
            Why::OwnedBy { kind, name } => Some((kind.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        owned,
        [
            ("DaemonSet", "kindnet"),
            ("DaemonSet", "kindnet"),
            ("DaemonSet", "kube-proxy"),
            ("DaemonSet", "kube-proxy")
        ]
    );

    // A StatefulSet's Pod, a CRD's object, an IPv6 and a dual-stack Service, an FQDN slice.
    let extra = "apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: n1, creationTimestamp: \"2025-01-01T00:00:00Z\"}
  spec: {podCIDR: 10.244.0.0/24}
  status: {addresses: [{type: InternalIP, address: 10.0.0.5}]}
- apiVersion: v1
  kind: Pod
  metadata:
    name: db-0
    namespace: default
    ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: x, controller: true}]
  spec: {nodeName: n1, containers: [{name: db, image: postgres:16}]}
- apiVersion: cilium.io/v2
  kind: CiliumNetworkPolicy
  metadata: {name: deny, namespace: default}
- apiVersion: v1
  kind: Service
  metadata: {name: v6, namespace: default}
  spec: {clusterIP: 'fd00::10', ipFamilies: [IPv6], ports: [{port: 80}]}
- apiVersion: v1
  kind: Service
  metadata: {name: dual, namespace: default}
  spec: {clusterIP: 10.96.0.20, clusterIPs: [10.96.0.20, 'fd00::20'], ipFamilies: [IPv4, IPv6], ports: [{port: 80}]}
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  addressType: FQDN
  metadata: {name: ext-abcde, namespace: default}
";
    let Imported { cluster, report } = load(extra);
    let whys: Vec<(&str, &Why)> = report.not_imported.iter().map(|n| (n.name.as_str(), &n.why)).collect();
    assert!(whys.contains(&(
        "db-0",
        &Why::OwnedBy {
            kind: "StatefulSet".into(),
            name: "db".into()
        }
    )));
    assert!(whys.contains(&(
        "deny",
        &Why::KindNotModelled {
            api_version: "cilium.io/v2".into()
        }
    )));
    assert!(whys.contains(&("v6", &Why::Ipv6)));
    assert!(whys.contains(&("ext-abcde", &Why::AddressType("FQDN".into()))));
    assert!(report.notes.contains(&Note::DualStack {
        key: ObjKey::new(Kind::Service, "default", "dual")
    }));
    assert!(report.notes.contains(&Note::NamespaceAdded {
        namespace: "default".into()
    }));
    assert_eq!(
        cluster.store().service("default", "dual").and_then(Service::cluster_ip),
        Some(ip("10.96.0.20"))
    );
    let words = crate::explain::snapshot_report(&report, "extra.yaml");
    assert!(words.contains("Pod default/db-0: owned by StatefulSet db"), "{words}");
    // Neither kind's providerID nor minikube's label, no `kubernetes` endpoints: no node
    // shell, and the API server on the node's InternalIP at kubeadm's port.
    assert_eq!(report.platform, (Platform::Other, Source::Default));
    assert_eq!(report.api_server, ("https://10.0.0.5:6443".into(), Source::ControlPlaneNode));
    assert_eq!(cluster.config().api_server, "https://10.0.0.5:6443");
    assert!(words.contains("no node shell"), "{words}");
}

#[test]
fn bad_snapshots_are_errors_not_panics() {
    assert!(matches!(import("a: [", &Config::default()), Err(SnapshotError::Yaml(_))));
    assert_eq!(import("", &Config::default()).err(), Some(SnapshotError::NoObjects));
    assert_eq!(
        import(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n",
            &Config::default()
        )
        .err(),
        Some(SnapshotError::NoNodes)
    );
    // Every prefix of a real snapshot (a file cut short) loads or is refused, never panics.
    let mut cut = 0;
    while cut < KIND.len() {
        if KIND.is_char_boundary(cut) {
            let _ = import(&KIND[..cut], &Config::default());
        }
        cut += 1499;
    }
}

#[test]
fn last_applied_manifests_are_kept() {
    let Imported { cluster: c, .. } = load(KIND);
    let web = ObjKey::new(Kind::Deployment, "shop", "web");
    let Some(Object::Deployment(d)) = c.api.applied(&web) else {
        panic!("no last-applied manifest for {web}")
    };
    assert_eq!(d.template.spec.containers[0].image, "nginx:1.27");
    // Objects made without `kubectl apply` have none.
    assert!(c.api.applied(&ObjKey::new(Kind::Deployment, "kube-system", "coredns")).is_none());
}
