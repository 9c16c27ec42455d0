//! ClusterIP exhaustion with a small service CIDR (no CLI flag sets one, so this is not a
//! transcript): the API server answers 500 `failed to allocate a serviceIP: range is full`
//! (`pkg/registry/core/service/storage/alloc.go`), which kubectl prints through
//! `StandardErrorMessage` after `AddSourceToErr`.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use sdplay_core::{Config, Playground};

fn svc(name: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n")
}

#[test]
fn a_full_service_range_is_an_internal_error() {
    // 10.96.0.0/28: 14 usable addresses, `kubernetes` (.1) and `kube-dns` (.10) already taken.
    let mut pg = Playground::new(Config {
        service_cidr: (Ipv4Addr::new(10, 96, 0, 0), 28),
        ..Config::default()
    });
    let mut files = BTreeMap::new();
    let docs: Vec<String> = (0..13).map(|i| svc(&format!("s{i:02}"))).collect();
    files.insert("many.yml".to_string(), docs.join("---\n"));
    let r = pg.run("kubectl apply -f many.yml", &files);
    let lines: Vec<&str> = r.output.lines().collect();
    assert_eq!(lines.len(), 13, "{}", r.output);
    for (i, l) in lines.iter().take(12).enumerate() {
        assert_eq!(*l, format!("service/s{i:02} created"));
    }
    assert_eq!(
        lines[12],
        "Error from server (InternalError): error when creating \"many.yml\": Internal error occurred: failed to allocate a serviceIP: range is full"
    );
    assert_eq!(r.status, 1);
    // Deleting one frees its address for the next.
    let r = pg.run("kubectl delete svc s00", &files);
    assert_eq!(r.output, "service \"s00\" deleted\n");
    let r = pg.run("kubectl apply -f many.yml", &files);
    assert!(r.output.contains("service/s00 created"), "{}", r.output);
    assert!(r.output.contains("service/s01 unchanged"), "{}", r.output);
    assert!(
        r.output.ends_with("failed to allocate a serviceIP: range is full\n"),
        "{}",
        r.output
    );
}
