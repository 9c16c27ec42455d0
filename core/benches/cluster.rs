//! Benchmarks: the chapter's flow; apply + settle at growing scale up to Kubernetes' envelope
//! (5,000 nodes, 150,000 Pods, 10,000 Services); one Pod change at 10,000 Services on 50 and on
//! 5,000 nodes; the scheduler alone; and memory per object. Report ratios (10× Services → time
//! ratio), never absolute times in tests.
//!
//! `cargo bench -p sdplay-core --bench cluster` runs the sizes that take seconds;
//! `SDPLAY_BENCH_FULL=1` adds the 10,000-Service ones (minutes each, gigabytes of memory).
//! The manifests are generated here: N Services, each selecting its own Deployment of R replicas
//! (nginx), in namespace `bench`. apply + settle runs each size on a fixed cluster of 50 nodes
//! (the measurement) and of 5,000 (the envelope's), so a ratio compares 10× more
//! Services in the same cluster; the cluster CIDR is wide enough for a /24 each (10.128.0.0/9).
//!
//! Proxy mode: IPVS (the default, the chapter's). kube-proxy's model is shared by every node
//! and a node holds kernel state only for what a packet touched, so neither mode's sync grows
//! with the nodes or the other Services.
//!
//! A counting global allocator prints live bytes after each setup: bytes per Pod and per Service.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use sdplay_core::model::{Node, ObjectMeta, Pod, PodSpec, PodStatus};
use sdplay_core::rng::Rng;
use sdplay_core::scheduler::Scheduler;
use sdplay_core::{Config, Playground, ProxyMode, SD_EXAMPLE};

#[path = "support/mod.rs"]
mod support;

use support::{apply_line, live, manifest_files, Counting};

#[global_allocator]
static ALLOC: Counting = Counting;

fn full() -> bool {
    std::env::var_os("SDPLAY_BENCH_FULL").is_some()
}

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

fn config(nodes: usize, mode: ProxyMode) -> Config {
    Config {
        nodes,
        proxy_mode: mode,
        cluster_cidr: (Ipv4Addr::new(10, 128, 0, 0), 9),
        ..Config::default()
    }
}

/// A cluster with the manifests applied and settled (containers started, Pods Ready). Fails
/// if the apply did not take every object (a limit would otherwise shrink the benchmark).
fn settled(cfg: Config, manifests: &[(String, String)]) -> (Playground, BTreeMap<String, String>) {
    let mut f = files();
    f.extend(manifests.iter().cloned());
    let mut pg = Playground::new(cfg);
    let r = pg.run(&apply_line(manifests), &f);
    assert_eq!(
        r.status,
        0,
        "the benchmark's apply failed: {}",
        r.output.lines().last().unwrap_or_default()
    );
    pg.advance_ms(30_000);
    (pg, f)
}

/// Live bytes a settled cluster holds beyond a freshly bootstrapped one of the same nodes.
fn bytes_for(cfg: &Config, manifests: &[(String, String)]) -> usize {
    let base = live();
    let empty = Playground::new(cfg.clone());
    let after_boot = live();
    drop(empty);
    let (pg, f) = settled(cfg.clone(), manifests);
    let used = live().saturating_sub(base);
    drop((pg, f));
    used.saturating_sub(after_boot.saturating_sub(base))
}

/// Memory per object: Services alone, then with Pods; the difference is the Pods' share.
fn memory_report(cfg: &Config, services: usize, replicas: usize) {
    let pods = services * replicas;
    let mode = cfg.proxy_mode;
    let svc_only = bytes_for(cfg, &manifest_files(services, 0, replicas));
    let with_pods = bytes_for(cfg, &manifest_files(services, services, replicas));
    let per_svc = svc_only / services.max(1);
    let per_pod = with_pods.saturating_sub(svc_only) / pods.max(1);
    eprintln!(
        "memory [{mode:?}, {} nodes]: {services} Services alone {svc_only} B ({per_svc} B/Service); with {pods} Pods {with_pods} B ({per_pod} B/Pod incl. its Deployment/ReplicaSet share, endpoints and proxy rules)",
        cfg.nodes
    );
}

fn apply_settle(c: &mut Criterion) {
    let mut g = c.benchmark_group("apply_settle");
    g.sample_size(10);
    // (nodes, Services, replicas): 10× more Services in the same cluster, on the 50
    // nodes and on the envelope's 5,000. (50 nodes hold 5,500 Pods at max-pods 110, so the
    // 10,000-Service cases run on 5,000 nodes only.)
    let mut cases: Vec<(usize, usize, usize)> = vec![(50, 100, 3), (50, 1_000, 3), (5_000, 100, 3), (5_000, 1_000, 3)];
    if full() {
        cases.push((5_000, 10_000, 3));
        cases.push((5_000, 10_000, 15));
    }
    let mode = ProxyMode::Ipvs;
    for (nodes, n, replicas) in cases {
        let cfg = config(nodes, mode);
        let mut f = files();
        let big = manifest_files(n, n, replicas);
        let apply = apply_line(&big);
        f.extend(big);
        let id = BenchmarkId::new(format!("{mode:?}/{replicas}_replicas/{}_nodes", cfg.nodes), n);
        // Criterion calls the closure only for benchmarks its filter selects, and more than
        // once: the memory report runs once, for selected ones.
        let mut reported = false;
        g.bench_function(id, |b| {
            if !reported {
                memory_report(&cfg, n, replicas);
                reported = true;
            }
            b.iter_batched(
                || Playground::new(cfg.clone()),
                |mut pg| {
                    pg.run(&apply, &f);
                    pg.advance_ms(30_000);
                    pg
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// One Pod deleted (its grace period waited out, the ReplicaSet's replacement Running) in a
/// cluster of 10,000 Services — 2,000 of them with one Pod each — on 50 and on 5,000 nodes. A
/// change is incremental if its cost does not follow the Services; kube-proxy on every node
/// does see the change, so some growth with nodes is upstream's too.
fn one_pod_change(c: &mut Criterion) {
    let mut g = c.benchmark_group("one_pod_change");
    g.sample_size(10);
    let mut cases: Vec<(ProxyMode, usize, usize)> = vec![(ProxyMode::Ipvs, 1_000, 50), (ProxyMode::Iptables, 1_000, 50)];
    if full() {
        cases.push((ProxyMode::Ipvs, 10_000, 50));
        cases.push((ProxyMode::Ipvs, 10_000, 5_000));
    }
    for (mode, services, nodes) in cases {
        let id = BenchmarkId::new(format!("{mode:?}/{services}_services"), nodes);
        // Set up once, and only if the filter selects this benchmark.
        let mut state: Option<(Playground, BTreeMap<String, String>)> = None;
        g.bench_function(id, |b| {
            let (pg, f) = state.get_or_insert_with(|| settled(config(nodes, mode), &manifest_files(services, 2_000.min(services), 1)));
            b.iter(|| {
                // The one Pod of app0, whatever its current name.
                let out = pg.run("kubectl get pods -n bench -l app=app0", f);
                let name = out
                    .output
                    .lines()
                    .nth(1)
                    .and_then(|l| l.split_whitespace().next())
                    .map(str::to_string);
                if let Some(name) = name {
                    pg.run(&format!("kubectl delete pod {name} -n bench --wait=false"), f);
                }
                pg.advance_ms(40_000);
            })
        });
    }
    g.finish();
}

/// The scheduler alone: 150,000 Pods placed on 5,000 nodes (pick, then bind), against 50 nodes
/// with as many Pods as fit — per-Pod cost should grow with log(nodes) only.
fn scheduler(c: &mut Criterion) {
    let mut g = c.benchmark_group("scheduler_place_pods");
    g.sample_size(10);
    for (nodes, pods) in [(50usize, 5_000usize), (5_000, 150_000)] {
        g.bench_with_input(BenchmarkId::new(format!("{pods}_pods"), nodes), &nodes, |b, &nodes| {
            b.iter_batched(
                || {
                    let mut s = Scheduler::default();
                    for i in 0..nodes {
                        let n = Node {
                            meta: ObjectMeta {
                                name: sdplay_core::cluster::node_name(i).into(),
                                ..Default::default()
                            },
                            internal_ip: sdplay_core::cluster::node_ip(i),
                            pod_cidr: Some((Ipv4Addr::new(10, 128, 0, 0), 24)),
                            control_plane: i == 0,
                            system: Default::default(),
                        };
                        s.node_changed(None, Some(&n));
                    }
                    s
                },
                |mut s| {
                    let mut rng = Rng::new(1);
                    for i in 0..pods {
                        let Some(p) = s.pick(&mut rng) else { break };
                        let pod = Pod {
                            meta: ObjectMeta {
                                name: format!("p{i}").into(),
                                namespace: "bench".into(),
                                ..Default::default()
                            },
                            spec: PodSpec {
                                node_name: Some(p.node),
                                ..Default::default()
                            }
                            .into(),
                            status: PodStatus::default(),
                        };
                        s.pod_changed(None, Some(&pod));
                    }
                    s
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, chapter, scheduler, apply_settle, one_pod_change);
criterion_main!(benches);
