//! Share links of a session on an imported snapshot (wasm-bindgen-test): the link names the
//! snapshot (name, size, digest) but cannot carry it; the browser that keeps it re-imports it
//! and replays the commands to the same transcript; any other opens the default cluster with
//! the link's files, replays nothing, and says why. The stored copy's size limit.

use std::collections::BTreeMap;

use sdplay_core::ProxyMode;
use sdplay_web::browser::{self, AtBoot};
use sdplay_web::session::Session;
use sdplay_web::url_state::{self, plan_snapshot, Settings, ShareError, SnapshotPlan, SnapshotRef};
use sdplay_web::Boot;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const KIND: &str = include_str!("../../tests/transcripts/snapshots/kind.yaml");

fn settings() -> Settings {
    Settings {
        seed: 42,
        nodes: 1,
        proxy_mode: ProxyMode::Ipvs,
    }
}

/// A session on the kind snapshot with two commands run on it.
fn on_kind() -> Session {
    let mut s = Session::new(settings(), BTreeMap::new());
    assert!(s.load_snapshot("kind.yaml", KIND));
    s.run("kubectl get nodes");
    s.run("kubectl run probe --image=busybox:1.36 --restart=Never -- sleep 3600");
    s.advance(10_000);
    s.run("kubectl get pod probe -o wide");
    s
}

fn outputs(s: &Session) -> Vec<(String, String)> {
    s.entries.iter().map(|e| (e.command.clone(), e.output.clone())).collect()
}

#[wasm_bindgen_test]
fn the_plan_follows_what_this_browser_keeps() {
    let r = SnapshotRef::of("kind.yaml", KIND);
    assert_eq!(plan_snapshot(None, Some(("kind.yaml", KIND)), 3), SnapshotPlan::NoSnapshot);
    assert_eq!(
        plan_snapshot(Some(&r), Some(("kind.yaml", KIND)), 3),
        SnapshotPlan::Reimport {
            name: "kind.yaml".into(),
            text: KIND.into()
        }
    );
    let SnapshotPlan::DefaultCluster { notice } = plan_snapshot(Some(&r), None, 3) else {
        panic!("another browser must open the default cluster")
    };
    assert!(notice.contains("snapshot, kind.yaml (67.2 KB)"), "{notice}");
    assert!(notice.contains("does not keep it"), "{notice}");
    assert!(notice.contains("Its 3 commands are not replayed"), "{notice}");
    // The same name with other text (another cluster's snapshot loaded since) is not it.
    let SnapshotPlan::DefaultCluster { notice } = plan_snapshot(Some(&r), Some(("kind.yaml", "apiVersion: v1\n")), 1) else {
        panic!("a different snapshot must not be re-imported")
    };
    assert!(notice.contains("is not the one the link was made on"), "{notice}");
    assert!(notice.contains("Its 1 command is not replayed"), "{notice}");
    assert!(url_state::share_hint(Some(&r)).contains("does not carry it"));
    assert_eq!(url_state::share_hint(None), "link copied");
}

#[wasm_bindgen_test]
fn the_link_names_the_snapshot_and_survives_decoding() {
    let s = on_kind();
    let state = s.share_state();
    assert_eq!(state.snapshot, Some(SnapshotRef::of("kind.yaml", KIND)));
    let encoded = url_state::encode(&state);
    // The link stays small: the snapshot's text is not in it.
    assert!(encoded.len() < KIND.len() / 4, "{} bytes", encoded.len());
    assert_eq!(url_state::decode(&encoded), Some(state.clone()));
    // A digest past 2^53 survives (it travels as hex text).
    let big = url_state::ShareState {
        snapshot: Some(SnapshotRef {
            name: "x".into(),
            bytes: 1,
            digest: u64::MAX - 1,
        }),
        ..state.clone()
    };
    assert_eq!(url_state::decode(&url_state::encode(&big)), Some(big));
    let doc = r#"{"v":1,"seed":1,"nodes":1,"proxy":"ipvs","files":{},"cmds":[],"t":0,"snap":{"name":"k","bytes":3,"fnv":"zz"}}"#;
    assert_eq!(
        url_state::decode_checked(&url_state::base64url_encode(doc.as_bytes())).err(),
        Some(ShareError::Field("snap"))
    );
}

#[wasm_bindgen_test]
fn this_browser_replays_on_the_snapshot_others_open_the_default_cluster() {
    let s = on_kind();
    let state = s.share_state();
    let again = Session::from_share_on(&state, Some(("kind.yaml", KIND)));
    assert_eq!(outputs(&again), outputs(&s));
    assert_eq!(again.snapshot, state.snapshot);
    assert!(outputs(&again).iter().any(|(_, o)| o.contains("kind-worker")));

    let elsewhere = Session::from_share_on(&state, None);
    assert!(elsewhere.entries.is_empty(), "nothing replays on the default cluster");
    assert_eq!(elsewhere.snapshot, None);
    assert_eq!(elsewhere.share_state().commands.len(), 0);

    // The same decisions from the page's boot: the hash and what localStorage keeps.
    let hash = format!("#s={}", url_state::encode(&state));
    let kept = AtBoot {
        writable: true,
        snapshot: Some(("kind.yaml".into(), KIND.into())),
        ..AtBoot::default()
    };
    let boot = Boot::from_location("", &hash, kept, 1);
    assert_eq!(boot.share_snapshot.as_ref().map(|(n, _)| n.as_str()), Some("kind.yaml"));
    assert!(boot.notices.is_empty(), "{:?}", boot.notices);
    let boot = Boot::from_location("", &hash, AtBoot::default(), 1);
    assert_eq!(boot.share_snapshot, None);
    assert!(
        boot.notices
            .iter()
            .any(|n| n.contains("imported cluster snapshot") && n.contains("default minikube cluster")),
        "{:?}",
        boot.notices
    );
}

#[wasm_bindgen_test]
fn only_snapshots_within_the_limit_are_kept() {
    let value = browser::snapshot_to_store("kind.yaml", KIND).unwrap_or_default();
    assert_eq!(
        browser::parse_stored_snapshot(Some(&value)),
        Some(("kind.yaml".to_string(), KIND.to_string()))
    );
    let huge = "x".repeat(browser::MAX_STORED_SNAPSHOT + 1);
    let why = browser::snapshot_to_store("big.yaml", &huge).err().unwrap_or_default();
    assert!(why.contains("2.0 MB") && why.contains("over the 2.0 MB this page keeps"), "{why}");
    assert_eq!(browser::parse_stored_snapshot(None), None);
    assert_eq!(browser::parse_stored_snapshot(Some("not json")), None);
    assert_eq!(browser::parse_stored_snapshot(Some(r#"{"name":"a","text":3}"#)), None);
}
