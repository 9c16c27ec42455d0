//! The page's view (`sdplay_core::view`): it lists what kubectl and the tools in the terminal
//! say, at the same moment — Pod STATUS as `kubectl get pods`, DNS records as `dig` (also while
//! CoreDNS has not reloaded an edited Corefile yet), a node's rules as `ipvsadm -Ln` /
//! `iptables-save -t nat` — and at a past event the state of that moment.

use std::collections::BTreeMap;

use sdplay_core::trace::{Reg, RulesChange, Step, What};
use sdplay_core::view::{self, id, Details, Limits, View, When};
use sdplay_core::{Config, Playground, ProxyMode, SD_EXAMPLE};

const COREDNS_CUSTOM: &str = include_str!("../../tests/transcripts/coredns-custom.yml");

fn files() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("sd-example.yml".to_string(), SD_EXAMPLE.to_string()),
        ("coredns-custom.yml".to_string(), COREDNS_CUSTOM.to_string()),
    ])
}

fn run(pg: &mut Playground, line: &str) -> String {
    let r = pg.run(line, &files());
    assert_eq!(r.status, 0, "{line}: {}", r.output);
    r.output
}

fn applied(config: Config) -> Playground {
    let mut pg = Playground::new(config);
    run(&mut pg, "kubectl apply -f sd-example.yml");
    run(&mut pg, "sleep 10");
    pg
}

/// (namespace, name) → STATUS from `kubectl get pods -A`.
fn kubectl_statuses(pg: &mut Playground) -> BTreeMap<(String, String), String> {
    let out = run(pg, "kubectl get pods -A");
    out.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            ((f[0].to_string(), f[1].to_string()), f[3].to_string())
        })
        .collect()
}

fn view_statuses(pg: &Playground) -> BTreeMap<(String, String), String> {
    let v = View::live(pg).cluster(&Limits::PAGE);
    v.namespaces
        .iter()
        .flat_map(|ns| ns.pods.iter())
        .map(|p| ((p.namespace.clone(), p.name.clone()), p.status.clone()))
        .collect()
}

#[test]
fn the_view_lists_the_pods_with_kubectls_status() {
    let mut pg = applied(Config::default());
    let v = View::live(&pg).cluster(&Limits::PAGE);
    assert_eq!(v.when, When::Live);
    let dev = v.namespaces.iter().find(|n| n.name == "dev").expect("dev");
    // The learner's namespaces come first.
    assert!(v.namespaces.iter().position(|n| n.name == "dev") < v.namespaces.iter().position(|n| n.name == "default"));
    assert!(dev.pods.iter().any(|p| p.name == "jump" && p.status == "Running"));
    assert!(dev
        .pods
        .iter()
        .filter(|p| p.name.starts_with("enterprise-"))
        .all(|p| p.status == "Running" && p.ready));
    assert_eq!(view_statuses(&pg), kubectl_statuses(&mut pg));

    // Pods still starting: the view says what kubectl says then too.
    let mut pg = Playground::new(Config::default());
    run(&mut pg, "kubectl apply -f sd-example.yml");
    let early = view_statuses(&pg);
    assert!(early.values().any(|s| s != "Running"), "{early:?}");
    assert_eq!(early, kubectl_statuses(&mut pg));
}

#[test]
fn a_service_shows_its_clusterip_ports_and_endpoint_pods() {
    let pg = applied(Config::default());
    let v = View::live(&pg).cluster(&Limits::PAGE);
    let dev = v.namespaces.iter().find(|n| n.name == "dev").expect("dev");
    let ent = dev.services.iter().find(|s| s.name == "ent").expect("svc ent");
    assert_eq!(ent.id, "svc:dev/ent");
    let ip = pg
        .cluster
        .store()
        .service("dev", "ent")
        .and_then(|s| s.cluster_ip())
        .expect("ClusterIP");
    assert_eq!(ent.cluster_ip, ip.to_string());
    assert!(!ent.endpoints.is_empty());
    assert!(ent.endpoints.iter().all(|e| e.ready && e.port.is_some()));
    for e in &ent.endpoints {
        let pod = e.pod.as_ref().expect("targetRef");
        assert!(ent.endpoint_pods.contains(pod));
        let p = dev.pods.iter().find(|p| &p.id == pod).expect("the endpoint's Pod is listed");
        assert_eq!(p.ip, Some(e.ip));
        assert!(p.services.contains(&ent.id));
    }
    let kube_dns = v
        .namespaces
        .iter()
        .flat_map(|n| n.services.iter())
        .find(|s| s.cluster_dns)
        .expect("kube-dns");
    assert_eq!(kube_dns.id, id::service("kube-system", "kube-dns"));
}

#[test]
fn a_completed_pod_shows_completed_and_a_failed_one_error() {
    let mut pg = Playground::new(Config::default());
    run(&mut pg, "kubectl run -it once --image=busybox --restart=Never");
    pg.run("exit", &files());
    run(&mut pg, "kubectl run -it fails --image=busybox --restart=Never");
    pg.run("exit 3", &files());
    let statuses = view_statuses(&pg);
    assert_eq!(
        statuses.get(&("default".into(), "once".into())).map(String::as_str),
        Some("Completed")
    );
    assert_eq!(statuses.get(&("default".into(), "fails".into())).map(String::as_str), Some("Error"));
    assert_eq!(statuses, kubectl_statuses(&mut pg));
}

/// The TTL `dig` (in a Pod, through kube-proxy to CoreDNS) gets for kube-dns's A record.
fn dig_ttl(pg: &mut Playground) -> u32 {
    let out = run(
        pg,
        "kubectl exec dnsutils -- dig +noall +answer kube-dns.kube-system.svc.cluster.local",
    );
    out.split_whitespace()
        .nth(1)
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{out}"))
}

fn view_ttl(pg: &Playground) -> u32 {
    let records = View::live(pg).records_of(&id::service("kube-system", "kube-dns"));
    let a = records.iter().find(|r| r.rtype == "A").expect("an A record");
    a.ttl
}

#[test]
fn a_corefile_edit_shows_in_the_view_when_dig_sees_it() {
    let mut pg = Playground::new(Config::default());
    run(
        &mut pg,
        "kubectl run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 -- sleep infinity",
    );
    run(&mut pg, "sleep 10");
    assert_eq!(dig_ttl(&mut pg), 30);
    assert_eq!(view_ttl(&pg), 30);
    run(&mut pg, "kubectl apply -f coredns-custom.yml");
    // The ConfigMap says 10 at once; CoreDNS serves it from its next reload check on.
    assert_eq!(view_ttl(&pg), 30, "the view must not read the ConfigMap");
    let mut changed_after = None;
    for s in 1..=40 {
        run(&mut pg, "sleep 1");
        let (dig, view) = (dig_ttl(&mut pg), view_ttl(&pg));
        assert_eq!(view, dig, "after {s} s");
        if dig == 10 && changed_after.is_none() {
            changed_after = Some(s);
        }
    }
    let s = changed_after.expect("CoreDNS reloaded within 40 s");
    assert!(s > 1, "reloaded only at a reload check, not on the write ({s} s)");
    // The DNS tab's listing agrees with the Service's records.
    let dns = View::live(&pg).dns();
    let kube_dns = dns
        .namespaces
        .iter()
        .flat_map(|n| n.services.iter())
        .find(|s| s.id == "svc:kube-system/kube-dns")
        .expect("kube-dns group");
    assert!(kube_dns.records.iter().any(|r| r.rtype == "A" && r.ttl == 10));
}

#[test]
fn the_view_at_a_past_event_shows_that_moment() {
    let pg = applied(Config::default());
    let trace = pg.trace();
    let ip_event = trace
        .iter()
        .find(|e| e.step() == Step::Registration(Reg::ClusterIp) && e.summary().starts_with("service/ent "))
        .expect("ent's ClusterIP event");
    let v = View::at(&pg, Some(ip_event.seq));
    assert!(!v.is_live());
    let c = v.cluster(&Limits::PAGE);
    match &c.when {
        When::At(m) => assert_eq!(m.seq, ip_event.seq),
        other => panic!("{other:?}"),
    }
    assert!(c.lit.contains(&"svc:dev/ent".to_string()), "{:?}", c.lit);
    let dev = c.namespaces.iter().find(|n| n.name == "dev").expect("dev then");
    let ent = dev.services.iter().find(|s| s.name == "ent").expect("ent then");
    assert_eq!(ent.cluster_ip, ip_event.summary().rsplit(' ').next().unwrap());
    // No Pod of ent was Running yet, and no endpoint; live has both.
    assert!(!dev.pods.iter().any(|p| p.name.starts_with("enterprise-") && p.status == "Running"));
    assert!(ent.endpoints.is_empty());
    // The diagram's per-node IPVS summary is for now only (details rebuild the past rules).
    assert!(c.nodes.iter().all(|n| n.ipvs.is_none()));
    let Some(Details::Service(d)) = v.details("svc:dev/ent", &Limits::PAGE) else {
        panic!("details")
    };
    // kube-proxy had not programmed ent yet: every node listed, none with ent's virtual server.
    assert!(!d.rules.is_empty());
    assert!(d.rules.iter().all(|r| r.virtual_servers.is_empty()), "{:?}", d.rules);
    // At each of ent's step-5 events the rules are those the event reports.
    let mut checked = 0;
    for e in trace.iter() {
        let What::RulesProgrammed {
            service,
            change: RulesChange::Ipvs { virtual_servers },
            ..
        } = &e.what
        else {
            continue;
        };
        if (service.namespace.as_str(), service.name.as_str()) != ("dev", "ent") {
            continue;
        }
        let Some(Details::Service(then)) = View::at(&pg, Some(e.seq)).details("svc:dev/ent", &Limits::PAGE) else {
            panic!("details at {}", e.seq)
        };
        let got: Vec<(String, usize)> = then.rules[0]
            .virtual_servers
            .iter()
            .map(|v| (v.key.clone(), v.real_server_count))
            .collect();
        let want: Vec<(String, usize)> = virtual_servers.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        assert_eq!(got, want, "rules right after event {}", e.seq);
        checked += 1;
    }
    assert!(checked >= 2, "ent is programmed with no endpoints first, then with its Pods");
    // A node's whole table then is smaller than now.
    let then = v.node_rules("minikube").expect("node then").output;
    let now = View::live(&pg).node_rules("minikube").expect("node now").output;
    assert!(then.lines().count() < now.lines().count(), "{then}\n---\n{now}");
    // Its DNS records then: the name with its ClusterIP.
    assert!(d.records.iter().any(|r| r.rtype == "A" && r.data == ent.cluster_ip));

    let live = View::live(&pg).cluster(&Limits::PAGE);
    let dev = live.namespaces.iter().find(|n| n.name == "dev").expect("dev");
    assert!(dev.pods.iter().any(|p| p.name.starts_with("enterprise-") && p.status == "Running"));
    assert!(live.nodes.iter().all(|n| n.ipvs.is_some()));

    // Before the POST of ent: neither the Service nor its records.
    let post = trace
        .iter()
        .find(|e| e.step() == Step::Registration(Reg::Post) && e.summary().contains("service/ent in dev"))
        .expect("ent's POST");
    let v = View::at(&pg, Some(post.seq));
    assert!(v.records_of("svc:dev/ent").is_empty());
    assert!(matches!(v.details("svc:dev/ent", &Limits::PAGE), Some(Details::Gone { .. })));
    assert!(!v.dns().namespaces.iter().any(|n| n.services.iter().any(|s| s.id == "svc:dev/ent")));

    // An event that never was: live, said so.
    let v = View::at(&pg, Some(u64::MAX));
    assert!(v.is_live());
    assert!(matches!(v.when(), When::Gone { .. }));
}

fn node_tool(pg: &mut Playground, cmd: &str) -> String {
    run(pg, "minikube ssh");
    let out = run(pg, cmd);
    run(pg, "exit");
    out
}

#[test]
fn a_nodes_rules_are_what_its_proxy_modes_tool_prints() {
    let mut pg = applied(Config::default());
    let rules = view::node_rules(&pg, "minikube").expect("node");
    assert_eq!(rules.mode, ProxyMode::Ipvs);
    assert_eq!(rules.command, "ipvsadm -Ln");
    assert_eq!(rules.output, node_tool(&mut pg, "sudo ipvsadm -Ln"));
    let Some(Details::Service(d)) = View::live(&pg).details("svc:dev/ent", &Limits::PAGE) else {
        panic!()
    };
    let vs = &d.rules[0].virtual_servers;
    assert!(!vs.is_empty() && vs.iter().all(|v| rules.output.contains(&v.key.replace(' ', "  "))));

    let mut pg = applied(Config {
        proxy_mode: ProxyMode::Iptables,
        ..Config::default()
    });
    let rules = view::node_rules(&pg, "minikube").expect("node");
    assert_eq!(rules.command, "iptables-save -t nat");
    assert_eq!(rules.output, node_tool(&mut pg, "sudo iptables-save -t nat"));
    let Some(Details::Service(d)) = View::live(&pg).details("svc:dev/ent", &Limits::PAGE) else {
        panic!()
    };
    assert!(!d.rules[0].lines.is_empty());
    assert!(d.rules[0].lines.iter().all(|l| l.contains("\"dev/ent")));
    assert!(view::node_rules(&pg, "no-such-node").is_none());
}

#[test]
fn ids_name_objects_in_one_scheme() {
    let pg = applied(Config::default());
    assert_eq!(id::node("minikube"), "node:minikube");
    assert_eq!(id::pod("dev", "jump"), "pod:dev/jump");
    let k = id::parse("pod:dev/jump").expect("parses");
    assert_eq!(id::of(&k), "pod:dev/jump");
    assert!(id::parse(id::KUBE_DNS).is_none());
    let Some(Details::Pod(p)) = View::live(&pg).details("pod:dev/jump", &Limits::PAGE) else {
        panic!()
    };
    assert_eq!(p.status, "Running");
    let Some(Details::Node(n)) = View::live(&pg).details("node:minikube", &Limits::PAGE) else {
        panic!()
    };
    assert!(n.rules.is_some());
    // An event's objects, as ids.
    let e = pg.trace().iter().find(|e| !e.objects().is_empty()).expect("an event with objects");
    assert_eq!(view::event_objects(&pg, e.seq), e.objects().iter().map(id::of).collect::<Vec<_>>());
}

/// The chapter's snippet (nothing indented under `metadata:` and `spec:`): the problems list
/// keeps the strict decoder's words, each with the indentation it needs; a selector that nearly
/// matches the file's Pods is a hint of its own. The terminal's words are kubectl's alone.
#[test]
fn problems_carry_hints_and_the_terminal_keeps_kubectls_words() {
    use sdplay_core::view::Severity;
    let snippet = "apiVersion: v1\nkind: Service\nmetadata:\nname: ent\nspec:\nselector:\napp: web\nports:\n- port: 8080\n";
    let p = view::problems("snippet.yml", snippet);
    let got: Vec<(&str, Option<&str>)> = p.iter().map(|d| (d.message.as_str(), d.hint.as_deref())).collect();
    assert_eq!(got.len(), 4, "{got:#?}");
    assert_eq!(got[0].0, "unknown field \"name\"");
    assert_eq!(
        got[0].1,
        Some("hint: `name:` (line 4) belongs under `metadata:` (line 3, field metadata); indent it further than `metadata:`. YAML nests a key only when it is indented more than the one above it, so here `name` is read as a field of the object around `metadata`, which does not have it")
    );
    assert!(got[2]
        .1
        .unwrap()
        .starts_with("hint: `app:` (line 7) belongs under `selector:` (line 6, field spec.selector)"));
    assert!(got[3]
        .1
        .unwrap()
        .starts_with("hint: `ports:` (line 8) belongs under `spec:` (line 5, field spec)"));
    assert!(p.iter().all(|d| d.severity == Severity::Error));

    let mut pg = Playground::new(Config::default());
    let files = BTreeMap::from([("snippet.yml".to_string(), snippet.to_string())]);
    // `apply` GETs by name first (empty here); `create` gets the strict decoding error.
    let out = pg.run("kubectl apply -f snippet.yml", &files).output;
    assert!(!out.contains("hint"), "{out}");
    assert!(
        out.ends_with("from server for: \"snippet.yml\": resource name may not be empty\n"),
        "{out}"
    );
    let out = pg.run("kubectl create -f snippet.yml", &files).output;
    assert!(!out.contains("hint"), "{out}");
    assert!(
        out.contains("strict decoding error: unknown field \"app\", unknown field \"name\""),
        "{out}"
    );

    let wrong = SD_EXAMPLE.replacen("  selector:\n    app: enterprise\n---", "  selector:\n    app: enterprize\n---", 1);
    assert_ne!(wrong, SD_EXAMPLE, "the example's Service selector");
    let p = view::problems("sd-example.yml", &wrong);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].severity, Severity::Hint);
    assert!(p[0].message.starts_with("hint: Service ent selects app=enterprize, but the Pods in this file with those label keys have other values: deployment.apps/enterprise (app=enterprise). Its endpoints stay empty"), "{}", p[0].message);
}

#[test]
fn a_manifests_problems_carry_positions_and_sources_follow_owners() {
    let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  ports:\n  - port: 80\n";
    let p = view::problems("bad.yml", bad);
    assert!(!p.is_empty());
    assert!(p.iter().all(|d| d.file == "bad.yml" && d.line > 0 && d.col > 0));
    assert!(
        p[0].text.starts_with(&format!("bad.yml:{}:{}", p[0].line, p[0].col)),
        "{}",
        p[0].text
    );
    assert!(view::problems("ok.yml", SD_EXAMPLE).is_empty());

    let pg = applied(Config::default());
    let pod = pg
        .cluster
        .store()
        .pods(Some("dev"))
        .find(|p| p.meta.name.starts_with("enterprise-"))
        .expect("an enterprise Pod");
    let (first, last) = view::source_lines(&pg, SD_EXAMPLE, &id::pod("dev", &pod.meta.name)).expect("its Deployment");
    let lines: Vec<&str> = SD_EXAMPLE.lines().collect();
    assert!(lines[first - 1..last].iter().any(|l| l.contains("kind: Deployment")));
}

#[test]
fn a_curls_path_is_drawn_hop_by_hop_and_its_ends_are_lit() {
    let mut pg = applied(Config::default());
    run(&mut pg, "kubectl exec -it jump --namespace dev -- bash");
    run(&mut pg, "apt-get update");
    run(&mut pg, "apt-get install -y curl");
    let r = pg.run("curl ent:8080", &files());
    let dnat = r
        .trace
        .iter()
        .find(|e| matches!(e.what, What::Dnat { .. }))
        .expect("the curl's DNAT");
    let c = View::at(&pg, Some(dnat.seq)).cluster(&Limits::PAGE);
    let steps: Vec<&str> = c.path.iter().map(|h| h.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "discovery: packet to the ClusterIP",
            "discovery: default gateway",
            "discovery: node kernel trap",
            "discovery: load-balancer pick",
            "discovery: DNAT",
            "discovery: delivered to the Pod",
            "discovery: reply",
        ]
    );
    assert_eq!(c.path.iter().filter(|h| h.current).map(|h| h.seq).collect::<Vec<_>>(), [dnat.seq]);
    assert_eq!(c.path[0].from.as_deref(), Some("pod:dev/jump"));
    assert_eq!(c.path[0].to.as_deref(), Some("svc:dev/ent"));
    let to = dnat.to.as_ref().expect("DNAT goes to the Pod").id();
    assert!(to.starts_with("pod:dev/enterprise-"), "{to}");
    assert!(c.lit.contains(&to) && c.lit.contains(&"node:minikube".to_string()), "{:?}", c.lit);
    // A DNS query's path is the query and its answer.
    let q = r.trace.iter().find(|e| matches!(e.what, What::QuerySent { .. })).expect("a query");
    let p = View::at(&pg, Some(q.seq)).cluster(&Limits::PAGE).path;
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].from.as_deref(), p[0].to.as_deref()), (Some("pod:dev/jump"), Some("kube-dns")));
    assert_eq!((p[1].from.as_deref(), p[1].to.as_deref()), (Some("kube-dns"), Some("pod:dev/jump")));
    // Live: no path.
    assert!(View::live(&pg).cluster(&Limits::PAGE).path.is_empty());
}
