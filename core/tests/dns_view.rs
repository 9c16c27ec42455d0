//! The DNS view (`Server::zone_records`, `records_for_service`): every listed record is exactly
//! what the server answers for its name and type, on a fixed cluster with every kind of record,
//! on hand-written EndpointSlices of selector-less Services, and on random clusters.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sdplay_core::dns::{RType, Rcode, Record};
use sdplay_core::{Config, Files, Playground};

struct Manifest(String);

impl Files for Manifest {
    fn read(&self, path: &str) -> Option<String> {
        (path == "m.yml").then(|| self.0.clone())
    }
}

fn deployment(ns: &str, name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n---\n"
    )
}

fn service(ns: &str, name: &str, app: &str, headless: bool, ports: &[(Option<&str>, u16, &str)]) -> String {
    let mut s =
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector:\n    app: {app}\n");
    if headless {
        s.push_str("  clusterIP: None\n");
    }
    s.push_str("  ports:\n");
    for (n, p, proto) in ports {
        s.push_str(&format!("  - port: {p}\n    targetPort: 80\n    protocol: {proto}\n"));
        if let Some(n) = n {
            s.push_str(&format!("    name: {n}\n"));
        }
    }
    s.push_str("---\n");
    s
}

fn cluster(manifest: String) -> Playground {
    let mut pg = Playground::new(Config::default());
    let files = Manifest(manifest);
    let r = pg.run("kubectl apply -f m.yml", &files);
    assert_eq!(r.status, 0, "{}", r.output);
    pg.run("sleep 30", &files);
    pg
}

fn key(r: &Record) -> String {
    format!("{} {} {}", r.name, r.data.rtype(), r.data)
}

/// Every (name, type) of the view answers NOERROR with exactly the view's records for it.
fn assert_consistent(pg: &Playground) {
    let view = pg.cluster.dns_view();
    let records = view.zone_records();
    assert!(!records.is_empty());
    let mut by: BTreeMap<(String, RType), Vec<String>> = BTreeMap::new();
    for r in &records {
        by.entry((r.name.clone(), r.data.rtype())).or_default().push(key(r));
    }
    for ((name, t), mut want) in by {
        let (resp, _) = view.query(&name, t);
        assert_eq!(resp.rcode, Rcode::NoError, "{name} {t}");
        let mut got: Vec<String> = resp.answers.iter().map(key).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name} {t}");
    }
}

#[test]
fn every_listed_record_is_what_coredns_answers() {
    let mut m = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n---\n".to_string();
    m.push_str(&deployment("dev", "ent", 2));
    m.push_str(&service(
        "dev",
        "ent",
        "ent",
        false,
        &[(Some("http"), 80, "TCP"), (Some("dns"), 53, "UDP")],
    ));
    m.push_str(&service("dev", "ent-h", "ent", true, &[(Some("http"), 80, "TCP")]));
    m.push_str(&service("dev", "nobody", "none", true, &[(None, 80, "TCP")]));
    m.push_str("apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\n  namespace: dev\nspec:\n  type: ExternalName\n  externalName: example.com\n");
    let pg = cluster(m);
    assert_consistent(&pg);
    let view = pg.cluster.dns_view();
    let keys: Vec<String> = view.records_for_service("dev", "ent").iter().map(key).collect();
    // A, two SRV (named ports), the ClusterIP's PTR and each endpoint's PTR (reverse.go).
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert!(keys[0].starts_with("ent.dev.svc.cluster.local. A 10."));
    assert!(keys
        .iter()
        .any(|k| k.starts_with("_http._tcp.ent.dev.svc.cluster.local. SRV 0 100 80 ent.dev.svc.cluster.local.")));
    assert!(keys
        .iter()
        .any(|k| k.starts_with("_dns._udp.ent.dev.svc.cluster.local. SRV 0 100 53 ")));
    assert!(keys.iter().any(|k| k.contains(".in-addr.arpa. PTR ent.dev.svc.cluster.local.")));
    let h: Vec<String> = view.records_for_service("dev", "ent-h").iter().map(key).collect();
    // Two endpoints: two A on the name, two endpoint A, two SRV, two PTR.
    assert_eq!(h.len(), 8, "{h:?}");
    assert!(view.records_for_service("dev", "nobody").is_empty());
    let e: Vec<String> = view.records_for_service("dev", "ext").iter().map(key).collect();
    assert_eq!(e, vec!["ext.dev.svc.cluster.local. CNAME example.com.".to_string()]);
    assert!(view.records_for_service("dev", "missing").is_empty());
    assert!(view
        .zone_records()
        .iter()
        .any(|r| key(r) == "dns-version.cluster.local. TXT \"1.1.0\""));
}

/// Hand-written EndpointSlices of selector-less Services (ready true, unset and false; a
/// hostname) list exactly what they answer too.
#[test]
fn hand_written_slices_list_what_they_answer() {
    let pg = cluster(include_str!("../../tests/transcripts/user-endpointslice.yml").to_string());
    assert_consistent(&pg);
    let view = pg.cluster.dns_view();
    let db: Vec<String> = view.records_for_service("ext", "db").iter().map(key).collect();
    // Two served addresses: two A on the name, two endpoint A, two SRV, two PTR.
    assert_eq!(db.len(), 8, "{db:?}");
    assert!(db.contains(&"primary.db.ext.svc.cluster.local. A 10.10.0.11".to_string()));
    assert!(!db.iter().any(|k| k.contains("10.10.0.13") || k.contains("10-10-0-13")));
    let api: Vec<String> = view.records_for_service("ext", "api").iter().map(key).collect();
    // A, SRV, the ClusterIP's PTR, the two served endpoints' PTRs.
    assert_eq!(api.len(), 5, "{api:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn random_clusters_list_what_they_answer(
        apps in proptest::collection::vec((1u32..4, any::<bool>(), any::<bool>(), any::<bool>()), 1..4)
    ) {
        let mut m = String::new();
        for (i, (replicas, headless, named, udp)) in apps.iter().enumerate() {
            let name = format!("app{i}");
            m.push_str(&deployment("default", &name, *replicas));
            let pname = if *named { Some("web") } else { None };
            let proto = if *udp { "UDP" } else { "TCP" };
            m.push_str(&service("default", &name, &name, *headless, &[(pname, 80, proto)]));
            // A second Service over the same Pods: endpoint IPs back two Services.
            m.push_str(&service("default", &format!("{name}-b"), &name, false, &[(Some("b"), 81, "TCP")]));
        }
        let pg = cluster(m);
        assert_consistent(&pg);
    }
}
