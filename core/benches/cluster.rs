//! Benchmarks: the chapter's flow, and incrementality — the cost of one Pod change must not
//! grow with the number of unrelated Services. Report ratios, never absolute times in tests.
//!
//! `cargo bench -p sdplay-core` (criterion). The figure that matters is
//! `one_pod_change/1000` ÷ `one_pod_change/10`: close to 1 means the change touched only
//! what depends on it. Measured on the development machine: 10x before the store's owner and
//! label indexes and the Service selector index, 1.8x after (160 µs → 300 µs); what remains is
//! the scheduler's per-node Pod count and kube-proxy's per-node stale-rule check.

use std::collections::BTreeMap;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use sdplay_core::{Config, Playground, SD_EXAMPLE};

fn files() -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
    f
}

fn chapter(c: &mut Criterion) {
    let f = files();
    c.bench_function("apply_sd_example_and_curl", |b| {
        b.iter(|| {
            let mut pg = Playground::new(Config::default());
            pg.run("kubectl apply -f sd-example.yml", &f);
            pg.advance_ms(10_000);
            pg.run("kubectl exec -it jump -n dev -- bash", &f);
            pg.run("apt-get update", &f);
            pg.run("apt-get install -y curl", &f);
            pg.run("curl ent:8080", &f)
        })
    });
}

/// `n` Services, each with a one-replica Deployment, in namespace `bench`.
fn big_cluster(n: usize) -> (Playground, BTreeMap<String, String>) {
    let mut yaml = String::from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n");
    for i in 0..n {
        yaml.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: bench\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\n  namespace: bench\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        ));
    }
    let mut f = files();
    f.insert("big.yml".to_string(), yaml);
    let mut pg = Playground::new(Config {
        nodes: 3,
        ..Config::default()
    });
    pg.run("kubectl apply -f big.yml", &f);
    pg.advance_ms(30_000);
    (pg, f)
}

fn incremental(c: &mut Criterion) {
    let mut g = c.benchmark_group("one_pod_change");
    g.sample_size(20);
    for n in [10usize, 100, 1000] {
        let (mut pg, f) = big_cluster(n);
        let mut replicas = 1;
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                replicas = 3 - replicas; // 1 ↔ 2: one Pod added or removed
                pg.run(&format!("kubectl scale deploy app0 -n bench --replicas={replicas}"), &f);
                pg.advance_ms(40_000);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, chapter, incremental);
criterion_main!(benches);
