//! Invariants of the API server and controllers under random sessions:
//!
//! - Endpoints: after any sequence of apply, scale, Pod deletion, relabelling and time passing,
//!   every selector Service's ready addresses are exactly the IPs of the Ready, non-terminating
//!   Pods in its namespace that match the selector (`pkg/controller/endpoint`).
//! - Apply is idempotent: the same manifest applied again is `unchanged` for every object, also
//!   after the cluster moved on (`kubectl scale` does not make it `configured`: the three-way
//!   merge only looks at fields the manifest sets).
//! - A seed reproduces a session: the same seed and commands give the same transcript.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use proptest::prelude::*;
use sdplay_core::model::{selector_matches, Kind, Object};
use sdplay_core::{Config, Playground, SD_EXAMPLE};

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
";

fn files() -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
    f.insert("web.yml".to_string(), WEB.to_string());
    f.insert("web2.yml".to_string(), WEB.replace("nginx:1.27", "nginx:1.28"));
    f
}

#[derive(Clone, Debug)]
enum Op {
    Apply(&'static str),
    Scale(&'static str, &'static str, u8),
    DeletePod(usize),
    Label(usize, &'static str),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        prop_oneof![Just("sd-example.yml"), Just("web.yml"), Just("web2.yml")].prop_map(Op::Apply),
        (
            prop_oneof![Just(("dev", "enterprise")), Just(("prod", "enterprise")), Just(("default", "web"))],
            0u8..6
        )
            .prop_map(|((ns, d), n)| Op::Scale(ns, d, n)),
        (0usize..64).prop_map(Op::DeletePod),
        (
            0usize..64,
            prop_oneof![
                Just("app=enterprise"),
                Just("app-"),
                Just("app=web"),
                Just("event=manchester"),
                Just("event-")
            ]
        )
            .prop_map(|(i, l)| Op::Label(i, l)),
        prop_oneof![0u64..1500, 1500u64..12_000].prop_map(Op::Advance),
    ]
}

/// The n-th Pod (mod the count) among user Pods, as `(namespace, name)`.
fn nth_pod(pg: &Playground, i: usize) -> Option<(String, String)> {
    let pods: Vec<(String, String)> = pg
        .cluster
        .store()
        .pods(None)
        .filter(|p| p.meta.namespace != "kube-system")
        .map(|p| (p.meta.namespace.to_string(), p.meta.name.to_string()))
        .collect();
    if pods.is_empty() {
        return None;
    }
    pods.get(i % pods.len()).cloned()
}

fn run_op(pg: &mut Playground, f: &BTreeMap<String, String>, op: &Op) -> String {
    let line = match op {
        Op::Apply(file) => format!("kubectl apply -f {file}"),
        Op::Scale(ns, d, n) => format!("kubectl scale deploy {d} --replicas={n} -n {ns}"),
        Op::DeletePod(i) => match nth_pod(pg, *i) {
            Some((ns, name)) => format!("kubectl delete pod {name} -n {ns}"),
            None => return String::new(),
        },
        Op::Label(i, l) => match nth_pod(pg, *i) {
            Some((ns, name)) => format!("kubectl label pod {name} {l} --overwrite -n {ns}"),
            None => return String::new(),
        },
        Op::Advance(ms) => {
            pg.advance_ms(*ms);
            return format!("(advance {ms}ms)\n");
        }
    };
    let r = pg.run(&line, f);
    format!("$ {line}\n{}", r.output)
}

/// Every selector Service's Endpoints against the Pods it should select.
fn check_endpoints(pg: &Playground) -> Result<(), String> {
    let store = pg.cluster.store();
    for svc in store.services(None) {
        let Some(sel) = svc.spec.selector.as_ref().filter(|s| !s.is_empty()) else {
            continue;
        };
        let ns = &svc.meta.namespace;
        let want: BTreeSet<Ipv4Addr> = store
            .pods(Some(ns))
            .filter(|p| selector_matches(sel, &p.meta.labels) && p.status.ready && !p.is_terminating())
            .filter_map(|p| p.status.pod_ip)
            .collect();
        let got: BTreeSet<Ipv4Addr> = match store.endpoints(ns, &svc.meta.name) {
            Some(ep) => ep.subsets.iter().flat_map(|s| s.addresses.iter().map(|a| a.ip)).collect(),
            None => BTreeSet::new(),
        };
        if want != got {
            return Err(format!("service {ns}/{}: ready Pods {want:?}, Endpoints {got:?}", svc.meta.name));
        }
    }
    // No Endpoints object outlives its Service.
    for o in store.list(Kind::Endpoints, None) {
        if let Object::Endpoints(e) = o {
            if store.service(&e.meta.namespace, &e.meta.name).is_none() {
                return Err(format!("endpoints {}/{} without a Service", e.meta.namespace, e.meta.name));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn endpoints_are_the_ready_selected_pods(seed in 0u64..10_000, ops in proptest::collection::vec(op(), 1..30)) {
        let f = files();
        let mut pg = Playground::new(Config { seed, ..Config::default() });
        pg.run("kubectl apply -f sd-example.yml", &f);
        for op in &ops {
            run_op(&mut pg, &f, op);
            if let Err(e) = check_endpoints(&pg) {
                return Err(TestCaseError::fail(format!("after {op:?}: {e}")));
            }
        }
        // And once everything has settled.
        pg.advance_ms(120_000);
        if let Err(e) = check_endpoints(&pg) {
            return Err(TestCaseError::fail(format!("settled: {e}")));
        }
    }

    #[test]
    fn applying_the_same_manifest_again_is_unchanged(seed in 0u64..10_000, ops in proptest::collection::vec(op(), 0..12)) {
        let f = files();
        let mut pg = Playground::new(Config { seed, ..Config::default() });
        pg.run("kubectl apply -f sd-example.yml", &f);
        for op in &ops {
            // Only what leaves the manifest's objects in place: scaling, time, and deleting Pods
            // a ReplicaSet owns (deleting the manifest's own Pod `jump` rightly makes the next
            // apply say `created` once it is gone).
            match op {
                Op::Scale(..) | Op::Advance(_) => {
                    run_op(&mut pg, &f, op);
                }
                Op::DeletePod(i) => {
                    let owned: Vec<(String, String)> = pg
                        .cluster
                        .store()
                        .pods(None)
                        .filter(|p| p.meta.namespace != "kube-system" && p.meta.owner.is_some())
                        .map(|p| (p.meta.namespace.to_string(), p.meta.name.to_string()))
                        .collect();
                    if let Some((ns, name)) = owned.get(i % owned.len().max(1)) {
                        pg.run(&format!("kubectl delete pod {name} -n {ns}"), &f);
                    }
                }
                _ => {}
            }
        }
        let r = pg.run("kubectl apply -f sd-example.yml", &f);
        prop_assert_eq!(r.status, 0);
        for line in r.output.lines() {
            prop_assert!(line.ends_with(" unchanged"), "{}", r.output);
        }
        prop_assert_eq!(r.output.lines().count(), 8);
    }

    #[test]
    fn a_seed_reproduces_a_session(seed in 0u64..10_000, ops in proptest::collection::vec(op(), 1..20)) {
        let f = files();
        let session = |seed: u64| {
            let mut pg = Playground::new(Config { seed, ..Config::default() });
            let mut out = pg.run("kubectl apply -f sd-example.yml", &f).output;
            for op in &ops {
                out.push_str(&run_op(&mut pg, &f, op));
            }
            out.push_str(&pg.run("kubectl get all,ep -A -o wide", &f).output);
            out.push_str(&pg.run("kubectl get events -A", &f).output);
            out
        };
        prop_assert_eq!(session(seed), session(seed));
    }
}

/// The ClusterIP of Service `web` and the names of its Pods, after `web.yml` is applied.
fn web_names_and_ip(pg: &Playground) -> (Option<Ipv4Addr>, BTreeSet<String>, BTreeSet<Option<Ipv4Addr>>) {
    let ip = pg.cluster.store().service("default", "web").and_then(|s| s.cluster_ip());
    let pods = pg.cluster.store().pods(Some("default")).filter(|p| p.meta.name.starts_with("web-"));
    let (names, ips) = pods.map(|p| (p.meta.name.to_string(), p.status.pod_ip)).unzip();
    (ip, names, ips)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Each component draws from its own stream: curls in a Pod (ephemeral ports, kube-proxy's
    /// picks, DNS ids) between two applies leave the names, ClusterIP and Pod IPs that the API
    /// server and kubelet give the second apply's objects unchanged.
    #[test]
    fn curls_between_applies_leave_later_names_and_ips_unchanged(
        seed in 0u64..10_000,
        curls in 1usize..6,
        mode in prop_oneof![Just("ipvs"), Just("iptables"), Just("nftables")],
    ) {
        let f = files();
        let session = |curls: usize| {
            let proxy_mode = sdplay_core::ProxyMode::parse(mode).unwrap();
            let mut pg = Playground::new(Config { seed, proxy_mode, ..Config::default() });
            pg.run("kubectl apply -f sd-example.yml", &f);
            pg.advance_ms(10_000);
            pg.run("kubectl exec -it jump -n dev -- bash", &f);
            pg.run("apt-get update", &f);
            pg.run("apt-get install -y curl", &f);
            for _ in 0..curls {
                let r = pg.run("curl ent:8080", &f);
                assert_eq!(r.status, 0, "{}", r.output);
                pg.run("dig ent.prod.svc.cluster.local", &f);
            }
            pg.run("exit", &f);
            pg.run("kubectl apply -f web.yml", &f);
            pg.advance_ms(10_000);
            web_names_and_ip(&pg)
        };
        let quiet = session(0);
        prop_assert!(quiet.0.is_some() && quiet.1.len() == 3);
        prop_assert_eq!(session(curls), quiet);
    }
}
