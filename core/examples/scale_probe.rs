//! One-shot scale probe (not a benchmark): apply N Services × R replicas on NODES nodes, settle,
//! then delete one Pod and settle again, printing wall times and live heap bytes. The criterion
//! benchmarks in `benches/cluster.rs` are the repeatable measurement; this is for a quick look
//! at sizes too slow to sample: `cargo run --release -p sdplay-core --example scale_probe -- N R NODES`;
//! `-- --ratio SMALL LARGE R NODES RUNS` the fastest of RUNS alternating runs of two sizes.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Instant;

use sdplay_core::{Config, Files, Playground};

#[path = "../benches/support/mod.rs"]
mod support;

use support::{allocations, apply_line, live, manifest_files, Counting};

#[global_allocator]
static ALLOC: Counting = Counting;

struct F(BTreeMap<String, String>);
impl Files for F {
    fn read(&self, p: &str) -> Option<String> {
        self.0.get(p).cloned()
    }
}

/// Nanoseconds this process has run on a CPU (`/proc/self/schedstat`, Linux): unlike wall time,
/// it does not count the time other processes had the cores. `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Minor page faults so far (`/proc/self/stat` field 10, Linux): each first touch of a heap
/// page costs a trip into the kernel, which CPU time counts and an instruction count does not.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    stat.rsplit_once(')')?.1.split_whitespace().nth(7)?.parse().ok()
}

/// `--ratio SMALL LARGE R NODES RUNS`: apply + settle of SMALL and of LARGE Services (R
/// replicas, NODES nodes), alternating, RUNS times each; prints the fastest of each and their
/// ratio. On a shared host the large case's time moves with the neighbours' use of the memory
/// hierarchy (the same binary measured 13x and 15.7x a quarter of an hour apart); the fastest
/// run is the least disturbed one, as in the browser's wasm figure (`web/tests/web.rs`).
fn ratio(a: &[usize]) {
    let (small, large, r, nodes, runs) = (a[0], a[1], a[2], a[3], a[4].max(1));
    let cfg = Config {
        nodes,
        cluster_cidr: (Ipv4Addr::new(10, 128, 0, 0), 9),
        ..Config::default()
    };
    let inputs: Vec<(String, F)> = [small, large]
        .iter()
        .map(|&n| {
            let m = manifest_files(n, n, r);
            (apply_line(&m), F(m.into_iter().collect()))
        })
        .collect();
    let mut fastest = [f64::INFINITY; 2];
    for _ in 0..runs {
        for (i, (apply, f)) in inputs.iter().enumerate() {
            let mut pg = Playground::new(cfg.clone());
            let t = Instant::now();
            pg.run(apply, f);
            pg.advance_ms(30_000);
            fastest[i] = fastest[i].min(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    println!(
        "apply+settle on {nodes} nodes, {r} replicas, fastest of {runs}: {small} Services {:.2} ms, {large} Services {:.2} ms, ratio {:.1}",
        fastest[0],
        fastest[1],
        fastest[1] / fastest[0]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--ratio") {
        let a: Vec<usize> = args.iter().skip(1).filter_map(|s| s.parse().ok()).collect();
        let d = [100, 1_000, 3, 50, 10];
        let a: Vec<usize> = (0..5).map(|i| a.get(i).copied().unwrap_or(d[i])).collect();
        return ratio(&a);
    }
    let a: Vec<usize> = args.iter().filter_map(|s| s.parse().ok()).collect();
    let (n, r, nodes) = (
        a.first().copied().unwrap_or(100),
        a.get(1).copied().unwrap_or(3),
        a.get(2).copied().unwrap_or(50),
    );
    let cfg = Config {
        nodes,
        cluster_cidr: (Ipv4Addr::new(10, 128, 0, 0), 9),
        ..Config::default()
    };
    let big = manifest_files(n, n, r);
    let apply = apply_line(&big);
    let f = F(big.into_iter().collect());
    // SDPLAY_PROBE_DIRTY=K: first apply, settle and drop the same workload K times (1 if not a
    // number) in other clusters, so the measured run starts on a used heap, as each criterion
    // sample after the first does (criterion's 1,000-Service case runs 20 before it measures).
    let dirty = std::env::var("SDPLAY_PROBE_DIRTY")
        .ok()
        .map(|v| v.parse::<usize>().unwrap_or(1))
        .unwrap_or(0);
    for _ in 0..dirty {
        let mut warm = Playground::new(cfg.clone());
        warm.run(&apply, &f);
        warm.advance_ms(30_000);
    }
    // Booted after the warm-ups, as criterion's setup boots each sample's cluster on the heap
    // the previous sample left.
    let before = live();
    let t = Instant::now();
    let mut pg = Playground::new(cfg.clone());
    let boot = t.elapsed();
    let booted = live();
    let t = Instant::now();
    let cpu0 = cpu_ns();
    let faults0 = minor_faults();
    let calls = allocations();
    let applied = pg.run(&apply, &f);
    assert_eq!(
        applied.status,
        0,
        "the apply failed: {}",
        applied.output.lines().last().unwrap_or_default()
    );
    let applied_cpu_ms = cpu_ns().zip(cpu0).map(|(b, a)| (b - a) as f64 / 1e6).unwrap_or(f64::NAN);
    pg.advance_ms(30_000);
    let apply = t.elapsed();
    let apply_cpu_ms = cpu_ns().zip(cpu0).map(|(b, a)| (b - a) as f64 / 1e6).unwrap_or(f64::NAN);
    let apply_allocs = allocations() - calls;
    let apply_faults = minor_faults().zip(faults0).map(|(b, a)| b - a).unwrap_or(0);
    let settled = live();
    let pod = pg
        .cluster
        .store()
        .pods(Some("bench"))
        .find(|p| p.meta.labels.get("app") == Some("app0"))
        .map(|p| p.meta.name.clone())
        .unwrap_or_default();
    // SDPLAY_PROBE_REPEAT=K: also delete one Pod of each of app1..appK, timed as a whole (the
    // average is the cost of one change), e.g. for a profiler.
    let repeat: usize = std::env::var("SDPLAY_PROBE_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut victims: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in pg.cluster.store().pods(Some("bench")) {
        let app = p.meta.labels.get("app").unwrap_or_default().to_string();
        if app != "app0" && victims.len() < repeat && seen.insert(app) {
            victims.push(p.meta.name.to_string());
        }
    }
    let t = Instant::now();
    for v in &victims {
        pg.run(&format!("kubectl delete pod {v} -n bench --wait=false"), &f);
    }
    if !victims.is_empty() {
        println!("{} more deletes: {:?} each", victims.len(), t.elapsed() / victims.len() as u32);
    }
    let t = Instant::now();
    pg.run(&format!("kubectl delete pod {pod} -n bench --wait=false"), &f);
    let delete = t.elapsed();
    let t = Instant::now();
    pg.advance_ms(40_000);
    let replace = t.elapsed();
    let pods = pg.cluster.store().pods(Some("bench")).count();
    println!(
        "services={n} replicas={r} nodes={nodes} boot={boot:?} apply+settle={apply:?} (cpu {apply_cpu_ms:.1} ms, of which apply {applied_cpu_ms:.1} ms; {apply_faults} page faults) delete-one-pod={delete:?} grace+replacement={replace:?} pods={pods} allocations {apply_allocs} ({} per Pod) heap: boot {} B, workload {} B ({} B per Pod+share)",
        apply_allocs / (n * r).max(1),
        booted.saturating_sub(before),
        settled.saturating_sub(booted),
        settled.saturating_sub(booted) / (n * r).max(1)
    );
}
