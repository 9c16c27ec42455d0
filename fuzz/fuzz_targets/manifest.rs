//! Fuzz target: a manifest as the editor holds it and `kubectl apply -f` sends it: parsed
//! (`sdplay_core::manifest::parse`, the YAML tree, strict decoding), checked as the editor's
//! problems list does (`manifest::diagnostics`), then applied, created and listed in a fresh
//! cluster. Nothing may panic or hang (libFuzzer's `-timeout` turns a hang into a crash).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use sdplay_core::{manifest, Config, Playground};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = manifest::parse(text);
    let _ = manifest::diagnostics("f.yml", text);
    let files = BTreeMap::from([("f.yml".to_string(), text.to_string())]);
    let mut pg = Playground::new(Config::default());
    for line in [
        "kubectl apply -f f.yml",
        "kubectl create -f f.yml --dry-run=client -o yaml",
        "kubectl apply -f f.yml --dry-run=server",
        "sleep 5",
        "kubectl get all -A",
        "kubectl delete -f f.yml",
    ] {
        let _ = pg.run(line, &files);
    }
});
