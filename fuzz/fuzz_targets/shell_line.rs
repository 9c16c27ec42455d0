//! Fuzz target: what a learner types or pastes into the terminal (`Playground::run`): the shell
//! language, kubectl's flags, the tools, on the workstation and, after the input's own
//! `kubectl exec`/`minikube ssh`, in a Pod or on a node. Nothing may panic or hang.
//!
//! The input is up to [`LINES`] terminal lines, run one after another as Enter runs them: what
//! must not hang is a line, because the page runs a pasted block in tasks of 12 ms, at least a line
//! each (it repaints and takes Ctrl-C between them). More lines only repeat what a line can do, and would make
//! libFuzzer's per-input timeout measure the length of a paste instead of the cost of a line.
//! Several lines still reach what spans lines: an open `for` … `done`, a shell entered by
//! `kubectl exec` and the commands run in it.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use sdplay_core::{Config, Playground};

const PRESETS: [(&str, &str); 3] = [
    ("sd-example.yml", include_str!("../../static/presets/sd-example.yml")),
    ("headless.yml", include_str!("../../static/presets/headless.yml")),
    ("named-ports.yml", include_str!("../../static/presets/named-ports.yml")),
];

/// Lines of one input that run.
const LINES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The presets, by their file name and by their path in the repository (as transcripts
    // name them).
    let mut files = BTreeMap::new();
    for (name, text) in PRESETS {
        files.insert(name.to_string(), text.to_string());
        files.insert(format!("static/presets/{name}"), text.to_string());
    }
    let mut pg = Playground::new(Config::default());
    let mut last = "";
    for line in text.split('\n').take(LINES) {
        let _ = pg.run(line, &files);
        last = line;
    }
    let _ = pg.complete(last, &files);
    let _ = pg.eof(&files);
});
