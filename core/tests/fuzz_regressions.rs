//! Inputs the fuzz targets (`fuzz/`) found crashing, replayed as the target runs them, so each
//! fix stays fixed. The inputs are kept verbatim in `fuzz/regressions/`.

use std::collections::BTreeMap;
use std::path::Path;

use sdplay_core::{Config, Playground};

/// As `fuzz/fuzz_targets/shell_line.rs` runs an input, one line after another, but every line
/// (the target runs the first 8; the inputs kept here were found when it ran them all).
fn shell_line(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/presets");
    let mut files = BTreeMap::new();
    for name in ["sd-example.yml", "headless.yml", "named-ports.yml"] {
        let t = std::fs::read_to_string(root.join(name)).expect("preset");
        files.insert(name.to_string(), t.clone());
        files.insert(format!("static/presets/{name}"), t);
    }
    let mut pg = Playground::new(Config::default());
    let mut last = "";
    for line in text.split('\n') {
        let _ = pg.run(line, &files);
        last = line;
    }
    let _ = pg.complete(last, &files);
    let _ = pg.eof(&files);
}

fn input(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(name)).expect("regression input")
}

#[test]
fn shell_line_frames_empty_stack() {
    shell_line(&input("shell_line-frames-empty-stack"));
}

/// The smallest form of it: `exit` inside `kubectl exec POD -- sh -c` left the Pod, and kubectl
/// then popped the workstation too.
#[test]
fn exit_in_an_exec_script_returns_to_the_workstation() {
    let files = BTreeMap::from([(
        "sd-example.yml".to_string(),
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/presets/sd-example.yml")).expect("preset"),
    )]);
    let mut pg = Playground::new(Config::default());
    pg.run("kubectl apply -f sd-example.yml", &files);
    pg.run("sleep 30", &files);
    let r = pg.run("kubectl exec jump -n dev -- sh -c 'exit 3'", &files);
    assert_eq!((r.output.as_str(), r.status), ("command terminated with exit code 3\n", 3));
    assert_eq!(pg.prompt(), "$ ");
    assert_eq!(pg.run("echo $?", &files).output, "3\n");
}
