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

/// mimalloc, not glibc's malloc: a large workload (thousands of Services) frees and reuses
/// chunks all over a heap bigger than the caches, where glibc's free lists and coalescing
/// touch cold memory on every call (see `core/Cargo.toml`, ARCHITECTURE.md "Scale").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// The command line, parsed: the cluster's settings, the trace format, where the script and
/// the snapshot come from.
struct Cli {
    config: Config,
    trace: sdplay_core::TraceFormat,
    /// `None` or `-`: standard input.
    script: Option<String>,
    snapshot: Option<String>,
    help: bool,
}

/// Parse the arguments (GNU style, by `lexopt`: `--seed 7`, `--seed=7`, `--trace` alone or
/// `--trace=json`); the error says which flag wants what.
fn parse_cli(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, String> {
    use lexopt::prelude::*;
    let mut cli = Cli {
        config: Config::default(),
        trace: sdplay_core::TraceFormat::Off,
        script: None,
        snapshot: None,
        help: false,
    };
    let mut p = lexopt::Parser::from_args(args);
    // A flag's value as text, or `need` as the error.
    fn text(p: &mut lexopt::Parser, need: &str) -> Result<String, String> {
        p.value().ok().and_then(|v| v.into_string().ok()).ok_or_else(|| need.to_string())
    }
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        let c = &mut cli.config;
        match arg {
            Long("seed") => {
                const NEED: &str = "--seed needs a number";
                c.seed = text(&mut p, NEED)?.parse().map_err(|_| NEED)?;
            }
            Long("nodes") => {
                const NEED: &str = "--nodes needs a number from 1 to 5000";
                c.nodes = text(&mut p, NEED)?
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=sdplay_core::cluster::MAX_NODES).contains(n))
                    .ok_or(NEED)?;
            }
            Long("cluster-cidr") => {
                const NEED: &str = "--cluster-cidr needs an IPv4 CIDR such as 10.244.0.0/16";
                c.cluster_cidr = sdplay_core::cluster::parse_cidr(&text(&mut p, NEED)?).ok_or(NEED)?;
            }
            Long("node-cidr-mask-size") => {
                const NEED: &str = "--node-cidr-mask-size needs a prefix length such as 24";
                c.node_cidr_mask_size = text(&mut p, NEED)?.parse::<u8>().ok().filter(|m| *m <= 32).ok_or(NEED)?;
            }
            Long("proxy-mode") => {
                const NEED: &str = "--proxy-mode is ipvs, iptables or nftables";
                c.proxy_mode = ProxyMode::parse(&text(&mut p, NEED)?).ok_or(NEED)?;
            }
            Long("ipvs-scheduler") => {
                const NEED: &str = "--ipvs-scheduler is rr, wrr, lc, wlc, sed, nq, sh, dh or mh";
                c.ipvs_scheduler = sdplay_core::proxy::ipvs::Sched::parse(&text(&mut p, NEED)?).ok_or(NEED)?;
            }
            Long("ipvs-exclude-cidrs") => {
                const NEED: &str = "--ipvs-exclude-cidrs is a comma-separated list of A.B.C.D/N";
                c.ipvs_exclude_cidrs = sdplay_core::proxy::parse_cidrs(&text(&mut p, NEED)?).ok_or(NEED)?;
            }
            Long("snapshot") => {
                cli.snapshot = Some(text(
                    &mut p,
                    "--snapshot needs a file (kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,endpointslices,configmaps -A -o yaml)",
                )?)
            }
            Long("trace") => {
                cli.trace = match p.optional_value().map(|v| v.into_string()) {
                    None => sdplay_core::TraceFormat::Text,
                    Some(Ok(v)) if v == "text" => sdplay_core::TraceFormat::Text,
                    Some(Ok(v)) if v == "json" => sdplay_core::TraceFormat::Json,
                    Some(_) => return Err("--trace is text or json".into()),
                }
            }
            Short('h') | Long("help") => cli.help = true,
            Value(v) if cli.script.is_none() => cli.script = Some(v.into_string().map_err(|_| "the script's name is not UTF-8")?),
            Value(v) => return Err(format!("one script only (also given: {})", v.to_string_lossy())),
            Short(f) => return Err(format!("unknown flag -{f}")),
            Long(f) => return Err(format!("unknown flag --{f}")),
        }
    }
    Ok(cli)
}

fn main() -> ExitCode {
    let cli = match parse_cli(std::env::args_os().skip(1)) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    if cli.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let Cli {
        config,
        trace,
        script,
        snapshot,
        ..
    } = cli;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &str) -> Result<Cli, String> {
        parse_cli(args.split_whitespace().map(std::ffi::OsString::from))
    }

    #[test]
    fn flags_as_typed() {
        let cli = parse("--seed 7 --nodes=3 --proxy-mode iptables --trace=json s.sh").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((cli.config.seed, cli.config.nodes), (7, 3));
        assert_eq!(cli.config.proxy_mode, ProxyMode::Iptables);
        assert_eq!(cli.trace, sdplay_core::TraceFormat::Json);
        assert_eq!(cli.script.as_deref(), Some("s.sh"));
        assert_eq!(parse("--trace").map(|c| c.trace).ok(), Some(sdplay_core::TraceFormat::Text));
        assert_eq!(parse("-").ok().and_then(|c| c.script), Some("-".into()));
    }

    #[test]
    fn errors_name_the_flag() {
        assert_eq!(parse("--trace=bogus").err().as_deref(), Some("--trace is text or json"));
        assert_eq!(parse("--seed").err().as_deref(), Some("--seed needs a number"));
        assert_eq!(parse("--nodes 0").err().as_deref(), Some("--nodes needs a number from 1 to 5000"));
        assert_eq!(parse("--bogus").err().as_deref(), Some("unknown flag --bogus"));
        assert_eq!(parse("a b").err().as_deref(), Some("one script only (also given: b)"));
    }
}
