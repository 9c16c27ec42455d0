//! Transcript tests: every `tests/transcripts/*.sh` script is run through the same function the
//! `sdplay` CLI uses, and its transcript must equal the `.out` file beside it byte for byte.
//!
//! A script's first line may carry CLI flags: `#! --seed 7 --nodes 2 --proxy-mode iptables --trace`
//! (or `--trace=json`: the `.out` is then the JSON-lines event stream, a snapshot of the schema)
//! (also `--cluster-cidr CIDR`, `--node-cidr-mask-size N` and `--ipvs-exclude-cidrs CIDR,...`).
//! Files named by `kubectl apply -f` are read relative to the script's directory (and the repo
//! root, for `static/presets/...`). To accept new output after reviewing it against the real
//! tools: `SDPLAY_BLESS=1 cargo test -p sdplay-core --test transcripts`.

use std::path::{Path, PathBuf};

use sdplay_core::{Config, Files, ProxyMode, TraceFormat};

struct Dir(Vec<PathBuf>);

impl Files for Dir {
    fn read(&self, path: &str) -> Option<String> {
        self.0.iter().find_map(|d| std::fs::read_to_string(d.join(path)).ok())
    }
}

fn parse_flags(script: &str) -> (Config, TraceFormat, Option<String>) {
    let mut cfg = Config::default();
    let mut trace = TraceFormat::Off;
    let mut snapshot = None;
    if let Some(flags) = script.lines().next().and_then(|l| l.strip_prefix("#!")) {
        let mut it = flags.split_whitespace();
        while let Some(f) = it.next() {
            match f {
                "--seed" => cfg.seed = it.next().and_then(|v| v.parse().ok()).expect("--seed N"),
                "--nodes" => cfg.nodes = it.next().and_then(|v| v.parse().ok()).expect("--nodes N"),
                "--cluster-cidr" => cfg.cluster_cidr = it.next().and_then(sdplay_core::cluster::parse_cidr).expect("--cluster-cidr CIDR"),
                "--node-cidr-mask-size" => {
                    cfg.node_cidr_mask_size = it.next().and_then(|v| v.parse().ok()).expect("--node-cidr-mask-size N")
                }
                "--proxy-mode" => cfg.proxy_mode = it.next().and_then(ProxyMode::parse).expect("--proxy-mode"),
                "--ipvs-scheduler" => {
                    cfg.ipvs_scheduler = it
                        .next()
                        .and_then(sdplay_core::proxy::ipvs::Sched::parse)
                        .expect("--ipvs-scheduler S")
                }
                "--ipvs-exclude-cidrs" => {
                    cfg.ipvs_exclude_cidrs = it
                        .next()
                        .and_then(sdplay_core::proxy::parse_cidrs)
                        .expect("--ipvs-exclude-cidrs CIDR,...")
                }
                "--snapshot" => snapshot = Some(it.next().expect("--snapshot FILE").to_string()),
                "--trace" => trace = TraceFormat::Text,
                "--trace=json" => trace = TraceFormat::Json,
                other => panic!("unknown flag {other} in transcript header"),
            }
        }
    }
    assert_eq!(cfg.problem(), None, "transcript header flags");
    (cfg, trace, snapshot)
}

/// The one check function.
fn check(script_path: &Path) -> Result<(), String> {
    let script = std::fs::read_to_string(script_path).map_err(|e| e.to_string())?;
    let (cfg, trace, snapshot) = parse_flags(&script);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = Dir(vec![script_path.parent().unwrap_or(Path::new(".")).to_path_buf(), root]);
    let got = match snapshot {
        None => sdplay_core::transcript(cfg, &script, &files, trace),
        Some(name) => {
            let text = files
                .read(&name)
                .ok_or_else(|| format!("{}: snapshot {name} not found", script_path.display()))?;
            sdplay_core::snapshot_transcript(cfg, &name, &text, &script, &files, trace)?
        }
    };
    let out_path = script_path.with_extension("out");
    if std::env::var_os("SDPLAY_BLESS").is_some() {
        std::fs::write(&out_path, &got).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let want = std::fs::read_to_string(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    if got == want {
        return Ok(());
    }
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let line = g.iter().zip(w.iter()).position(|(a, b)| a != b).unwrap_or(g.len().min(w.len()));
    Err(format!(
        "{}: first difference at line {}\n  want: {:?}\n  got:  {:?}",
        script_path.display(),
        line + 1,
        w.get(line),
        g.get(line)
    ))
}

#[test]
fn transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/transcripts");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "no transcripts found");
    let failures: Vec<String> = scripts.iter().filter_map(|s| check(s).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} transcripts differ:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
}

#[test]
fn same_seed_same_transcript() {
    let script = "kubectl apply -f static/presets/sd-example.yml\nsleep 10\nkubectl get all -A\n";
    let root = Dir(vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("..")]);
    let a = sdplay_core::transcript(
        Config {
            seed: 42,
            ..Config::default()
        },
        script,
        &root,
        TraceFormat::Text,
    );
    let b = sdplay_core::transcript(
        Config {
            seed: 42,
            ..Config::default()
        },
        script,
        &root,
        TraceFormat::Text,
    );
    let c = sdplay_core::transcript(
        Config {
            seed: 43,
            ..Config::default()
        },
        script,
        &root,
        TraceFormat::Text,
    );
    assert_eq!(a, b);
    assert_ne!(a, c, "a different seed must change names or IPs");
}
