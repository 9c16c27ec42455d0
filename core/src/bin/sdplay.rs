//! `sdplay`: the page's terminal, natively. Reads command lines from SCRIPT (or stdin), runs
//! each as the page does, and prints the transcript: the prompt and the command, then its
//! output (and, with `--trace`, the trace events it caused; with `--trace=json`, JSON lines
//! instead: one per command and one per event, in the schema the README documents).
//!
//! ```text
//! sdplay [--seed N] [--nodes N] [--cluster-cidr CIDR] [--node-cidr-mask-size N]
//!        [--proxy-mode ipvs|iptables|nftables] [--ipvs-scheduler S]
//!        [--ipvs-exclude-cidrs CIDR,...] [--trace[=text|json]] [--snapshot FILE] [SCRIPT]
//! ```
//! `--snapshot FILE` loads a real cluster's `kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,
//! endpointslices,configmaps -A -o yaml` as the cluster (the cluster flags are then read from
//! the snapshot, `--seed` still applies) and prints the import's report before the transcript.
//! `--nodes` goes up to 5,000 (Kubernetes' scale envelope); `--cluster-cidr` (default
//! 10.244.0.0/16) and `--node-cidr-mask-size` (default 24) are kube-controller-manager's: each
//! node gets the next subnet, and nodes past the last one get none (`CIDRNotAvailable`).
//! `kubectl apply -f PATH` reads PATH from the filesystem: relative to the working directory,
//! else to the script's directory. `sleep N` advances the simulated clock. Blank lines and `#`
//! comments are skipped. The exit status is 0 unless the CLI itself could not run.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sdplay_core::{Config, Files, ProxyMode};

struct Disk {
    base: Option<PathBuf>,
}

impl Files for Disk {
    fn read(&self, path: &str) -> Option<String> {
        if let Ok(t) = std::fs::read_to_string(path) {
            return Some(t);
        }
        let p = Path::new(path);
        if p.is_relative() {
            if let Some(b) = &self.base {
                return std::fs::read_to_string(b.join(p)).ok();
            }
        }
        None
    }

    fn list(&self) -> Vec<String> {
        let dir = self.base.clone().unwrap_or_else(|| PathBuf::from("."));
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

const USAGE: &str = "usage: sdplay [--seed N] [--nodes N] [--cluster-cidr CIDR] [--node-cidr-mask-size N] [--proxy-mode ipvs|iptables|nftables] [--ipvs-scheduler S] [--ipvs-exclude-cidrs CIDR,...] [--trace[=text|json]] [--snapshot FILE] [SCRIPT]\n";

fn main() -> ExitCode {
    let mut config = Config::default();
    let mut trace = sdplay_core::TraceFormat::Off;
    let mut script: Option<String> = None;
    let mut snapshot: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "--seed" => match value().and_then(|v| v.parse().ok()) {
                Some(s) => config.seed = s,
                None => return usage("--seed needs a number"),
            },
            "--nodes" => match value()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| (1..=sdplay_core::cluster::MAX_NODES).contains(n))
            {
                Some(n) => config.nodes = n,
                None => return usage("--nodes needs a number from 1 to 5000"),
            },
            "--cluster-cidr" => match value().as_deref().and_then(sdplay_core::cluster::parse_cidr) {
                Some(c) => config.cluster_cidr = c,
                None => return usage("--cluster-cidr needs an IPv4 CIDR such as 10.244.0.0/16"),
            },
            "--node-cidr-mask-size" => match value().and_then(|v| v.parse::<u8>().ok()).filter(|m| *m <= 32) {
                Some(m) => config.node_cidr_mask_size = m,
                None => return usage("--node-cidr-mask-size needs a prefix length such as 24"),
            },
            "--proxy-mode" => match value().as_deref().and_then(ProxyMode::parse) {
                Some(m) => config.proxy_mode = m,
                None => return usage("--proxy-mode is ipvs, iptables or nftables"),
            },
            "--ipvs-scheduler" => match value().as_deref().and_then(sdplay_core::proxy::ipvs::Sched::parse) {
                Some(s) => config.ipvs_scheduler = s,
                None => return usage("--ipvs-scheduler is rr, wrr, lc, wlc, sed, nq, sh, dh or mh"),
            },
            "--ipvs-exclude-cidrs" => match value().as_deref().and_then(sdplay_core::proxy::parse_cidrs) {
                Some(c) => config.ipvs_exclude_cidrs = c,
                None => return usage("--ipvs-exclude-cidrs is a comma-separated list of A.B.C.D/N"),
            },
            "--snapshot" => {
                match value() {
                    Some(f) => snapshot = Some(f),
                    None => return usage(
                        "--snapshot needs a file (kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,endpointslices,configmaps -A -o yaml)",
                    ),
                }
            }
            "--trace" | "--trace=text" => trace = sdplay_core::TraceFormat::Text,
            "--trace=json" => trace = sdplay_core::TraceFormat::Json,
            s if s.starts_with("--trace=") => return usage("--trace is text or json"),
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') && s != "-" => return usage(&format!("unknown flag {s}")),
            _ => script = Some(a),
        }
    }
    if let Some(problem) = config.problem() {
        return usage(&problem);
    }
    let (text, base) = match script.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            if let Err(e) = io::stdin().read_to_string(&mut s) {
                eprintln!("sdplay: reading stdin: {e}");
                return ExitCode::from(2);
            }
            (s, None)
        }
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => (t, Path::new(path).parent().map(Path::to_path_buf)),
            Err(e) => {
                eprintln!("sdplay: {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let files = Disk { base };
    let text = match snapshot {
        None => sdplay_core::transcript(config, &text, &files, trace),
        Some(path) => {
            let snap = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("sdplay: {path}: {e}");
                    return ExitCode::from(2);
                }
            };
            match sdplay_core::snapshot_transcript(config, &path, &snap, &text, &files, trace) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("sdplay: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
fn usage(msg: &str) -> ExitCode {
    eprint!("sdplay: {msg}\n{USAGE}");
    ExitCode::from(2)
}
