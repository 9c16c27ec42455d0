//! One-shot scale probe (not a benchmark): apply N Services × R replicas on NODES nodes, settle,
//! then delete one Pod and settle again, printing wall times and live heap bytes. The criterion
//! benchmarks in `benches/cluster.rs` are the repeatable measurement; this is for a quick look
//! at sizes too slow to sample: `cargo run --release -p sdplay-core --example scale_probe -- N R NODES`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sdplay_core::{Config, Files, Playground};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}
#[global_allocator]
static ALLOC: Counting = Counting;

struct F(BTreeMap<String, String>);
impl Files for F {
    fn read(&self, p: &str) -> Option<String> {
        self.0.get(p).cloned()
    }
}

fn manifests(n: usize, replicas: usize) -> String {
    let mut yaml = String::from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n");
    for i in 0..n {
        yaml.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: bench\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\n  namespace: bench\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        ));
    }
    yaml
}

fn main() {
    let a: Vec<usize> = std::env::args().skip(1).filter_map(|s| s.parse().ok()).collect();
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
    let before = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    let mut pg = Playground::new(cfg);
    let boot = t.elapsed();
    let booted = LIVE.load(Ordering::Relaxed);
    let f = F([("big.yml".to_string(), manifests(n, r))].into_iter().collect());
    let t = Instant::now();
    pg.run("kubectl apply -f big.yml", &f);
    pg.advance_ms(30_000);
    let apply = t.elapsed();
    let settled = LIVE.load(Ordering::Relaxed);
    let pod = pg
        .cluster
        .store()
        .pods(Some("bench"))
        .find(|p| p.meta.labels.get("app").map(String::as_str) == Some("app0"))
        .map(|p| p.meta.name.clone())
        .unwrap_or_default();
    // SDPLAY_PROBE_REPEAT=K: also delete one Pod of each of app1..appK, timed as a whole (the
    // average is the cost of one change), e.g. for a profiler.
    let repeat: usize = std::env::var("SDPLAY_PROBE_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut victims: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in pg.cluster.store().pods(Some("bench")) {
        let app = p.meta.labels.get("app").cloned().unwrap_or_default();
        if app != "app0" && victims.len() < repeat && seen.insert(app) {
            victims.push(p.meta.name.clone());
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
        "services={n} replicas={r} nodes={nodes} boot={boot:?} apply+settle={apply:?} delete-one-pod={delete:?} grace+replacement={replace:?} pods={pods} heap: boot {} B, workload {} B ({} B per Pod+share)",
        booted.saturating_sub(before),
        settled.saturating_sub(booted),
        settled.saturating_sub(booted) / (n * r).max(1)
    );
}
