//! The limits of `sdplay_core::limits` whose inputs are too big to keep in tests/transcripts:
//! each input is generated here, and each answer is the exact text kubectl (or sdplay, for its
//! own limits) prints. The small limits (alias bomb, nesting) are transcripts
//! (tests/transcripts/limits-*.sh).

use std::collections::BTreeMap;

use sdplay_core::limits;
use sdplay_core::{Config, Playground};

type Files = BTreeMap<String, String>;

fn files(name: &str, text: String) -> Files {
    BTreeMap::from([(name.to_string(), text)])
}

/// Run one line in a fresh playground: (output, status).
fn run(line: &str, files: &Files) -> (String, i32) {
    let mut pg = Playground::new(Config::default());
    let r = pg.run(line, files);
    (r.output, r.status)
}

/// A ConfigMap whose JSON is about `bytes` long: one data value, and `labels` labels.
fn config_map(name: &str, bytes: usize, labels: usize) -> String {
    let mut s = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
    if labels > 0 {
        s.push_str("  labels:\n");
        for i in 0..labels {
            s.push_str(&format!("    l{i:05}: {}\n", "v".repeat(63)));
        }
    }
    s.push_str(&format!("data:\n  big: {}\n", "x".repeat(bytes)));
    s
}

#[test]
fn a_body_over_3_mib_is_refused_by_the_api_server() {
    let f = files("big.yml", config_map("big", limits::MAX_REQUEST_BODY_BYTES + 1, 0));
    assert_eq!(
        run("kubectl create -f big.yml", &f),
        (
            "Error from server (RequestEntityTooLarge): error when creating \"big.yml\": Request entity too large: limit is 3145728\n"
                .to_string(),
            1
        )
    );
    // apply sends the object twice (the last-applied-configuration annotation holds it again).
    let f = files("big.yml", config_map("big", 1_700_000, 0));
    let (out, status) = run("kubectl apply -f big.yml", &f);
    assert_eq!(
        out,
        "Error from server (RequestEntityTooLarge): error when creating \"big.yml\": Request entity too large: limit is 3145728\n"
    );
    assert_eq!(status, 1);
    // A client-side dry run sends nothing.
    let f = files("big.yml", config_map("big", limits::MAX_REQUEST_BODY_BYTES + 1, 0));
    assert_eq!(run("kubectl create -f big.yml --dry-run=client -o name", &f).0, "configmap/big\n");
}

#[test]
fn an_object_over_1_5_mib_is_refused_by_etcd() {
    // Under the ConfigMap's own 1 MiB of data, with labels making up the rest.
    let f = files("big.yml", config_map("big", 1_000_000, 8_000));
    assert_eq!(
        run("kubectl create -f big.yml", &f),
        (
            "Error from server: error when creating \"big.yml\": etcdserver: request is too large\n".to_string(),
            1
        )
    );
    // Nothing was stored.
    let mut pg = Playground::new(Config::default());
    pg.run("kubectl create -f big.yml", &f);
    assert!(pg.run("kubectl get cm big", &f).output.contains("NotFound"));
    // A server-side dry run never reaches etcd.
    assert_eq!(run("kubectl create -f big.yml --dry-run=server -o name", &f).0, "configmap/big\n");
}

#[test]
fn more_objects_in_a_file_than_sdplay_simulates() {
    // A List of aliases: small to write, 10,001 objects to apply.
    let n = limits::MAX_OBJECTS_PER_FILE + 1;
    let text = format!(
        "apiVersion: v1\nkind: List\nx: &ns {{apiVersion: v1, kind: Namespace, metadata: {{name: a}}}}\nitems: [{}]\n",
        vec!["*ns"; n].join(",")
    );
    assert_eq!(
        run("kubectl apply -f many.yml", &files("many.yml", text)),
        (
            "error: error parsing many.yml: sdplay: a file of more than 10000 objects is not simulated (this one has 10001)\n".to_string(),
            1
        )
    );
}

#[test]
fn a_manifest_over_16_mib_is_not_read() {
    let text = format!("# {}\n", "x".repeat(limits::MAX_MANIFEST_BYTES));
    let (out, status) = run("kubectl apply -f huge.yml", &files("huge.yml", text));
    assert_eq!(
        out,
        "error: error parsing huge.yml: sdplay: a manifest over 16 MiB is not read (this one has 16777219 bytes)\n"
    );
    assert_eq!(status, 1);
}

#[test]
fn a_line_over_1_mib_is_not_run_nor_kept() {
    let mut pg = Playground::new(Config::default());
    let f = Files::new();
    let line = format!("echo {}", "x".repeat(limits::MAX_LINE_BYTES));
    let r = pg.run(&line, &f);
    assert_eq!(r.output, "sdplay: a line over 1 MiB is not run (this one has 1048581 bytes)\n");
    assert_eq!(r.status, 1);
    assert!(pg.shell.history.is_empty());
    assert_eq!(pg.run("echo $?", &f).output, "1\n");
    // A line at the limit runs.
    let line = format!("echo {}", "x".repeat(limits::MAX_LINE_BYTES - 5));
    assert_eq!(pg.run(&line, &f).output.len(), limits::MAX_LINE_BYTES - 4);
}

#[test]
fn history_keeps_the_last_1000_lines() {
    let mut pg = Playground::new(Config::default());
    let f = Files::new();
    for i in 0..limits::MAX_HISTORY + 5 {
        pg.run(&format!("echo {i}"), &f);
    }
    assert_eq!(pg.shell.history.len(), limits::MAX_HISTORY);
    assert_eq!(pg.shell.history.first().map(String::as_str), Some("echo 5"));
    assert_eq!(pg.shell.history.last().map(String::as_str), Some("echo 1004"));
}

/// A 10 MB paste into the terminal (a manifest pasted at the prompt by mistake) is answered
/// line by line and ends; how fast is measured by hand (README, Limits), not asserted here.
#[test]
fn a_10_mb_paste_ends() {
    let mut text = String::new();
    while text.len() < 10_000_000 {
        text.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n");
    }
    let mut pg = Playground::new(Config::default());
    let results = pg.run_lines(&text, &Files::new());
    assert_eq!(results.len(), text.lines().count());
    assert_eq!(results[0].output, "bash: apiVersion:: command not found\n");
}

/// `kubectl scale --replicas=99999999` on the 1-node default cluster: the ReplicaSet stops
/// creating at the store's bound for one node, and says why in a `FailedCreate` event.
#[test]
fn the_store_holds_at_most_its_bound_of_objects() {
    let sd = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/presets/sd-example.yml")).expect("preset");
    let f = files("sd-example.yml", sd);
    let mut pg = Playground::new(Config::default());
    pg.run("kubectl apply -f sd-example.yml", &f);
    let bound = limits::max_store_objects(1);
    assert_eq!(bound, limits::MIN_STORE_OBJECTS);
    let r = pg.run("kubectl scale deploy enterprise -n prod --replicas=99999999", &f);
    assert_eq!(r.output, "deployment.apps/enterprise scaled\n");
    assert_eq!(pg.cluster.store().len(), bound);
    let describe = pg.run("kubectl describe rs -n prod", &f).output;
    let failed = describe.lines().find(|l| l.contains("FailedCreate")).unwrap_or_default();
    assert!(
        failed.ends_with(
            "replicaset-controller  Error creating: pods \"enterprise-d9b5fcb9f-\" is forbidden: sdplay holds at most 50000 objects with 1 node (twice the Pods the nodes can run, from 50000 to 250000)"
        ),
        "{failed}"
    );
    // It answers the next command, and scaling down frees the room.
    let r = pg.run("kubectl scale deploy enterprise -n prod --replicas=2", &f);
    assert_eq!(r.output, "deployment.apps/enterprise scaled\n");
    pg.advance_ms(60_000);
    assert_eq!(pg.cluster.store().pods(Some("prod")).count(), 2);
}
