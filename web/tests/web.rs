//! Browser tests of the page (wasm-bindgen-test in headless Chromium): the app mounts, Apply
//! and the terminal run commands through the core, the timeline and diagram follow, and the
//! share state survives its URL round trip and replays to the same session.

mod common;

use std::collections::BTreeMap;

use common::{fire, press, press_ctrl, Page};
use sdplay_core::ProxyMode;
use sdplay_web::session::Session;
use sdplay_web::url_state::{self, Settings, ShareState, SharedCommand};
use sdplay_web::Boot;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn mounts_with_the_chapter_example() {
    let page = Page::new(Boot::with_seed(7)).await;
    let editor: HtmlTextAreaElement = page.find("#editor").dyn_into().unwrap();
    assert!(editor.value().contains("kind: Namespace"));
    assert!(page.text(".tabs").contains("sd-example.yml"));
    for id in [
        "#apply",
        "#terminal-input",
        "#terminal-output",
        "#advance",
        "#clock",
        "#timeline",
        "#step-back",
        "#step-forward",
        "#share",
    ] {
        page.find(id);
    }
    // The diagram shows the starting cluster: the node, kube-dns and kube-proxy's mode.
    let diagram = page.text(".diagram");
    assert!(diagram.contains("minikube"), "{diagram}");
    assert!(diagram.contains("kube-dns") && diagram.contains("10.96.0.10"), "{diagram}");
    assert!(diagram.contains("kube-proxy") && diagram.contains("ipvs"), "{diagram}");
    // The chapter's example has no problems.
    assert!(page.text(".diagnostics").contains("no problems"));
}

#[wasm_bindgen_test]
async fn apply_runs_kubectl_apply_in_the_terminal() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#apply").await;
    let out = page.text("#terminal-output");
    assert!(out.contains("$ kubectl apply -f sd-example.yml"), "{out}");
    assert!(out.contains("service/ent created"), "{out}");
    assert!(out.contains("pod/jump created"), "{out}");
    // The timeline shows the registration steps, the diagram the new namespaces.
    let timeline = page.text("#timeline");
    assert!(timeline.contains("registration step 3: ClusterIP allocated"), "{timeline}");
    assert!(page.text(".diagram").contains("dev"));
}

#[wasm_bindgen_test]
async fn enter_runs_the_typed_command() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.run("kubectl get ns").await;
    let out = page.text("#terminal-output");
    assert!(out.contains("$ kubectl get ns"), "{out}");
    assert!(out.contains("kube-system"), "{out}");
    let input: HtmlInputElement = page.find("#terminal-input").dyn_into().unwrap();
    assert_eq!(input.value(), "");
    // `clear` empties the screen.
    page.run("clear").await;
    assert_eq!(page.text("#terminal-output"), "");
}

#[wasm_bindgen_test]
async fn the_chapter_walkthrough_reaches_the_dev_pods() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#apply").await;
    page.click("#advance").await;
    page.click("#advance").await;
    assert_eq!(page.text("#clock"), "+20s");
    page.run("kubectl exec -it jump -n dev -- bash").await;
    assert_eq!(page.text(".input-line .prompt"), "root@jump:/# ");
    page.run("apt-get update").await;
    page.run("apt-get install -y curl").await;
    page.run("curl ent:8080").await;
    let out = page.text("#terminal-output");
    assert!(out.contains("root@jump:/# curl ent:8080"), "{out}");
    assert!(out.contains("Hello form the DEV Namespace!"), "{out}");
}

#[wasm_bindgen_test]
async fn step_controls_move_the_cursor_and_light_the_diagram() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#apply").await;
    page.click("#step-back").await;
    let current = page.find("#timeline li.current");
    let last = page.find("#timeline").last_element_child().unwrap();
    assert_eq!(current.get_attribute("data-seq"), last.get_attribute("data-seq"));
    page.click("#step-back").await;
    let prev = page.find("#timeline li.current");
    assert_ne!(prev.get_attribute("data-seq"), last.get_attribute("data-seq"));
    // The selected event's objects are lit in the diagram.
    assert!(page.root.query_selector(".diagram .hl").unwrap().is_some());
    page.click("#step-forward").await;
    assert_eq!(
        page.find("#timeline li.current").get_attribute("data-seq"),
        last.get_attribute("data-seq")
    );
}

#[wasm_bindgen_test]
async fn clicking_a_service_shows_its_details() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click(".svc[data-name=\"kube-dns\"]").await;
    let details = page.text(".details");
    assert!(details.contains("kube-dns.kube-system.svc.cluster.local."), "{details}");
    assert!(details.contains("10.96.0.10"), "{details}");
    assert!(page.root.query_selector(".svc.sel").unwrap().is_some());
}

#[wasm_bindgen_test]
fn url_state_round_trips() {
    let state = ShareState {
        settings: Settings {
            seed: u64::MAX - 3,
            nodes: 3,
            proxy_mode: ProxyMode::Nftables,
        },
        files: BTreeMap::from([
            ("sd-example.yml".to_string(), sdplay_core::SD_EXAMPLE.to_string()),
            ("ünïcode ✓.yml".to_string(), "a: \"quotes\" \\ and\nnewlines\t".to_string()),
        ]),
        commands: vec![
            SharedCommand {
                at_ms: 0,
                line: "kubectl apply -f sd-example.yml".into(),
                files: None,
            },
            SharedCommand {
                at_ms: 20_500,
                line: "curl 'ent:8080' && echo \"ok\"".into(),
                files: Some(BTreeMap::from([("a.yml".to_string(), "kind: Pod\n".to_string())])),
            },
        ],
        elapsed_ms: 31_000,
        snapshot: None,
    };
    let encoded = url_state::encode(&state);
    assert!(
        encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "URL-safe: {encoded}"
    );
    assert_eq!(url_state::decode(&encoded), Some(state.clone()));
    assert_eq!(url_state::from_fragment(&format!("#s={encoded}")), Some(state));
    // Garbage never panics and never decodes.
    for bad in ["", "#s=", "#s=!!!", "#s=e30", "#x=1", "#s=eyJ2IjoxfQ"] {
        assert_eq!(url_state::from_fragment(bad), None, "{bad}");
    }
}

#[wasm_bindgen_test]
fn base64url_matches_rfc4648() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(url_state::base64url_encode(plain.as_bytes()), encoded);
        assert_eq!(url_state::base64url_decode(encoded).as_deref(), Some(plain.as_bytes()));
    }
    assert_eq!(url_state::base64url_encode(&[0xfb, 0xff]), "-_8");
}

#[wasm_bindgen_test]
fn query_params() {
    let q = url_state::parse_query("?seed=42&embed&nodes=3&proxy=iptables");
    assert_eq!(
        (q.seed, q.nodes, q.proxy_mode, q.embed),
        (Some(42), Some(3), Some(ProxyMode::Iptables), true)
    );
    let q = url_state::parse_query("?seed=x&nodes=0&proxy=bogus");
    assert_eq!((q.seed, q.nodes, q.proxy_mode, q.embed), (None, None, None, false));
}

#[wasm_bindgen_test]
fn a_shared_session_replays_to_the_same_state() {
    let settings = Settings {
        seed: 99,
        nodes: 2,
        proxy_mode: ProxyMode::Ipvs,
    };
    let mut s = Session::new(settings, BTreeMap::new());
    s.run("kubectl apply -f sd-example.yml");
    s.advance(12_345);
    s.run("kubectl get pods -A -o wide");
    s.run("kubectl exec -it jump -n dev -- bash");
    s.advance(3_000);
    s.run("cat /etc/resolv.conf");
    s.advance(777);
    let state = s.share_state();
    let replayed = Session::from_share(&url_state::decode(&url_state::encode(&state)).unwrap());
    assert_eq!(replayed.entries, s.entries);
    assert_eq!(replayed.elapsed_ms(), s.elapsed_ms());
    assert_eq!(replayed.pg.trace(), s.pg.trace());
    assert_eq!(replayed.prompt(), "root@jump:/# ");
}

#[wasm_bindgen_test]
fn a_replay_applies_the_files_as_they_were() {
    let settings = Settings {
        seed: 5,
        nodes: 1,
        proxy_mode: ProxyMode::Ipvs,
    };
    let mut s = Session::new(settings, BTreeMap::new());
    s.run("kubectl apply -f sd-example.yml");
    s.advance(20_000);
    // Edited after applying: the replay must still apply the chapter's example first.
    s.set_active_text(sdplay_core::SD_EXAMPLE.replace("replicas: 2", "replicas: 3"));
    s.run("kubectl apply -f sd-example.yml");
    s.set_active_text("kind: Nonsense\n".into());
    s.advance(20_000);
    s.run("kubectl get pods -n dev");
    let state = s.share_state();
    assert!(
        state.commands[0].files.is_some(),
        "the first apply saw other files than the final ones"
    );
    assert!(state.commands[2].files.is_some());
    let replayed = Session::from_share(&url_state::decode(&url_state::encode(&state)).unwrap());
    assert_eq!(replayed.entries, s.entries);
    assert_eq!(replayed.active_text(), "kind: Nonsense\n");
    let out = &replayed.entries.back().unwrap().output;
    assert_eq!(out.matches("enterprise-").count(), 3, "{out}");
}

#[wasm_bindgen_test]
async fn selecting_a_pod_marks_its_deployment_in_the_editor() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#apply").await;
    page.click(".pod[data-ns=\"prod\"]").await;
    let marked: Vec<String> = {
        let list = page.root.query_selector_all(".gutter .src").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.text_content())
            .map(|t| t.trim().to_string())
            .collect()
    };
    // The prod Deployment is the second one in sd-example.yml.
    let text = sdplay_core::SD_EXAMPLE;
    let line = |n: &str| n.parse::<usize>().unwrap();
    let first = line(&marked[0]);
    let last = line(marked.last().unwrap());
    let doc: Vec<&str> = text.lines().skip(first - 1).take(last - first + 1).collect();
    assert!(doc.iter().any(|l| l.contains("namespace: prod")), "{doc:?}");
    assert!(doc.iter().any(|l| l.contains("kind: Deployment")), "{doc:?}");
    assert!(!doc.iter().any(|l| l.trim() == "---"), "{doc:?}");
}

#[wasm_bindgen_test]
async fn history_and_ctrl_c() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.run("kubectl get svc").await;
    page.run("echo one").await;
    let input = page.input();
    press(&input, "ArrowUp");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get svc");
    press(&input, "ArrowDown");
    assert_eq!(input.value(), "echo one");
    input.set_value("kubectl delete ns dev");
    press_ctrl(&input, "c");
    page.settle().await;
    assert_eq!(input.value(), "");
    let out = page.text("#terminal-output");
    assert!(out.ends_with("$ kubectl delete ns dev^C\n"), "{out}");
}

#[wasm_bindgen_test]
async fn tab_completes_the_line() {
    let page = Page::new(Boot::with_seed(7)).await;
    let input: HtmlInputElement = page.find("#terminal-input").dyn_into().unwrap();
    input.set_value("kubectl ge");
    assert!(!press(&input, "Tab"), "Tab must not move the focus");
    page.settle().await;
    assert_eq!(input.value(), "kubectl get ");
    // Several candidates: the common prefix stays, the candidates are listed under the line.
    input.set_value("kubectl de");
    press(&input, "Tab");
    page.settle().await;
    assert!(input.value().starts_with("kubectl de"), "{}", input.value());
    let out = page.text("#terminal-output");
    assert!(out.contains("$ kubectl de\n"), "{out}");
    assert!(out.contains("delete") && out.contains("describe"), "{out}");
    // Nothing ran: no history entry.
    input.set_value("");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
fn completion_helpers() {
    use sdplay_web::session::{common_prefix, completion_columns};
    let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(common_prefix(&c(&["kubectl delete ", "kubectl describe "])), "kubectl de");
    assert_eq!(common_prefix(&c(&["ü1", "ü2"])), "ü");
    assert_eq!(common_prefix(&c(&["abc "])), "abc ");
    assert_eq!(common_prefix(&[]), "");
    assert_eq!(
        completion_columns(&c(&["kubectl delete ", "kubectl describe "])),
        "delete    describe\n"
    );
}

#[wasm_bindgen_test]
async fn an_early_timeline_event_shows_the_cluster_as_it_was() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#apply").await;
    assert!(page.root.query_selector(".diagram .svc[data-name=\"ent\"]").unwrap().is_some());
    // The apply's first event (the first one after the boot's).
    let items = page.root.query_selector_all("#timeline li[data-seq]").unwrap();
    let first = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .find(|li| {
            li.query_selector(".event-time")
                .ok()
                .flatten()
                .and_then(|t| t.text_content())
                .is_some_and(|t| t != "boot")
        })
        .expect("an event of the apply");
    first.dyn_into::<HtmlElement>().unwrap().click();
    page.settle().await;
    let banner = page.text(".snapshot-banner");
    assert!(banner.contains("showing the cluster right after event"), "{banner}");
    assert!(
        page.root.query_selector(".diagram .svc[data-name=\"ent\"]").unwrap().is_none(),
        "{}",
        page.text(".diagram")
    );
    // The starting cluster is still drawn.
    assert!(page.text(".diagram").contains("kube-dns"));
    page.click(".snapshot-banner .back-to-live").await;
    assert!(page.root.query_selector(".snapshot-banner").unwrap().is_none());
    assert!(page.root.query_selector(".diagram .svc[data-name=\"ent\"]").unwrap().is_some());
    assert!(page.root.query_selector("#timeline li.current").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_dns_tab_lists_the_zone() {
    let page = Page::new(Boot::with_seed(7)).await;
    page.click("#view-dns").await;
    let dns = page.text(".dns-view");
    assert!(dns.contains("kube-dns.kube-system.svc.cluster.local."), "{dns}");
    assert!(dns.contains("10.96.0.10"), "{dns}");
    assert!(dns.contains("dns-version.cluster.local."), "{dns}");
    // The A record as dig prints it: name, TTL, IN, type, data.
    let rows = page.root.query_selector_all(".dns-svc[data-name=\"kube-dns\"] tr").unwrap();
    let cells: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|r| {
            let tds = r.dyn_into::<Element>().unwrap().query_selector_all("td").unwrap();
            (0..tds.length())
                .filter_map(|i| tds.item(i))
                .filter_map(|t| t.text_content())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10"),
        "{cells:?}"
    );
    // Filtering.
    let filter: HtmlInputElement = page.find("#dns-filter").dyn_into().unwrap();
    filter.set_value("kubernetes.default");
    fire(&filter, "input");
    page.settle().await;
    let dns = page.text(".dns-view");
    assert!(dns.contains("kubernetes.default.svc.cluster.local."), "{dns}");
    assert!(!dns.contains("kube-dns.kube-system.svc.cluster.local."), "{dns}");
    filter.set_value("");
    fire(&filter, "input");
    page.settle().await;
    // Selecting a Service highlights its records (in both views).
    page.click(".dns-svc[data-name=\"kube-dns\"] .title").await;
    let lit = page.text(".dns-view tr.sel");
    assert!(lit.contains("kube-dns.kube-system.svc.cluster.local."), "{lit}");
    assert!(!page.text(".dns-svc[data-name=\"kubernetes\"]").is_empty());
    assert!(page
        .root
        .query_selector(".dns-svc[data-name=\"kubernetes\"] tr.sel")
        .unwrap()
        .is_none());
    page.click("#view-cluster").await;
    assert!(page
        .root
        .query_selector(".diagram .svc.sel[data-name=\"kube-dns\"]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
fn preset_and_run_query_params() {
    let q = url_state::parse_query("?preset=headless.yml&run=kubectl%20apply%20-f%20headless.yml%3B+kubectl+get+svc+-n+db;;");
    assert_eq!(q.preset.as_deref(), Some("headless.yml"));
    assert_eq!(q.run, vec!["kubectl apply -f headless.yml", "kubectl get svc -n db"]);
    let q = url_state::parse_query("?preset=&run=%ZZ%2");
    assert_eq!((q.preset, q.run), (None, vec!["%ZZ%2".to_string()]));
    assert_eq!(url_state::percent_decode("%E2%9C%93%20ok"), "✓ ok");
    assert_eq!(sdplay_web::presets::find("headless").map(|p| p.0), Some("headless.yml"));
    assert_eq!(sdplay_web::presets::find("named-ports.yml").map(|p| p.0), Some("named-ports.yml"));
    assert_eq!(sdplay_web::presets::find("../etc/passwd"), None);
    for (name, text, _) in sdplay_web::presets::PRESETS {
        let problems = sdplay_core::view::problems(name, text);
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
}

#[wasm_bindgen_test]
async fn a_preset_link_loads_and_runs() {
    let mut boot = Boot::with_seed(7);
    let (name, text) = sdplay_web::presets::find("headless").unwrap();
    boot.files = BTreeMap::from([(name.to_string(), text.to_string())]);
    boot.run = vec!["kubectl apply -f headless.yml".into()];
    let page = Page::new(boot).await;
    let editor: HtmlTextAreaElement = page.find("#editor").dyn_into().unwrap();
    assert!(editor.value().contains("clusterIP: None"));
    let out = page.text("#terminal-output");
    assert!(out.contains("$ kubectl apply -f headless.yml\n"), "{out}");
    assert!(out.contains("service/peers created"), "{out}");
    // The dropdown opens another preset in a tab of its own.
    let select: web_sys::HtmlSelectElement = page.find("#preset").dyn_into().unwrap();
    select.set_value("named-ports.yml");
    fire(&select, "change");
    page.settle().await;
    let editor: HtmlTextAreaElement = page.find("#editor").dyn_into().unwrap();
    assert!(editor.value().contains("targetPort: web"), "{}", editor.value());
    let tabs = page.text(".tabs");
    assert!(tabs.contains("headless.yml") && tabs.contains("named-ports.yml"), "{tabs}");
}

#[wasm_bindgen_test]
fn reset_puts_the_preset_of_the_tab_back() {
    let settings = Settings {
        seed: 1,
        nodes: 1,
        proxy_mode: ProxyMode::Ipvs,
    };
    let mut s = Session::new(settings, BTreeMap::new());
    assert!(s.load_preset("named-ports"));
    assert_eq!(s.active_file, "named-ports.yml");
    s.set_active_text("kind: Nonsense\n".into());
    s.reset_active_file();
    assert!(s.active_text().contains("targetPort: web"));
    assert!(!s.load_preset("nope"));
    assert_eq!(s.files.len(), 2);
}

#[wasm_bindgen_test]
fn opening_a_link_keeps_the_learners_saved_manifest() {
    use std::collections::BTreeMap;
    let mut files = BTreeMap::from([("sd-example.yml".to_string(), "preset".to_string())]);
    let saved = BTreeMap::from([
        ("sd-example.yml".to_string(), "my edits".to_string()),
        ("other.yml".to_string(), "x".to_string()),
    ]);
    sdplay_web::app::keep_saved(&mut files, saved);
    assert_eq!(files.get("sd-example.yml").map(String::as_str), Some("preset"));
    assert_eq!(files.get("sd-example.mine.yml").map(String::as_str), Some("my edits"));
    assert_eq!(files.get("other.yml").map(String::as_str), Some("x"));
}

/// The wasm figure beside criterion's native one (`cargo bench -p sdplay-core`): the chapter's
/// flow in the browser, reported (not asserted: timings are not test outcomes).
#[wasm_bindgen_test]
fn wasm_figure_chapter_flow() {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let mut files = BTreeMap::new();
    files.insert("sd-example.yml".to_string(), sdplay_core::SD_EXAMPLE.to_string());
    let runs = 20;
    let start = perf.now();
    let mut last = String::new();
    for _ in 0..runs {
        let mut pg = sdplay_core::Playground::new(sdplay_core::Config::default());
        pg.run("kubectl apply -f sd-example.yml", &files);
        pg.advance_ms(10_000);
        pg.run("kubectl exec -it jump -n dev -- bash", &files);
        pg.run("apt-get update", &files);
        pg.run("apt-get install -y curl", &files);
        last = pg.run("curl ent:8080", &files).output;
    }
    let per_run = (perf.now() - start) / f64::from(runs);
    assert!(last.contains("Hello form the DEV Namespace!"), "{last}");
    console_log!("wasm figure: apply_sd_example_and_curl {per_run:.2} ms per run (criterion's native figure: apply_sd_example_and_curl)");
}

#[path = "../../core/benches/support/manifests.rs"]
mod manifests;

/// The wasm figure of criterion's `apply_settle` on 50 nodes: 100 and 1,000 Services × 3 Pods
/// applied and settled in the browser, the fastest of 5 runs each (the sizes alternate, so
/// both run after the engine has optimized the hot code), and their ratio. Ignored: it means
/// something only in a release build — `wasm-pack test --release --headless --chrome web
/// --test web -- --nocapture --include-ignored wasm_figure_apply_settle`.
#[wasm_bindgen_test]
#[ignore]
fn wasm_figure_apply_settle() {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let sizes = [100usize, 1_000];
    let inputs: Vec<(String, BTreeMap<String, String>)> = sizes
        .iter()
        .map(|&n| {
            let files = manifests::manifest_files(n, n, 3);
            (manifests::apply_line(&files), files.into_iter().collect())
        })
        .collect();
    let cfg = sdplay_core::Config {
        nodes: 50,
        cluster_cidr: (std::net::Ipv4Addr::new(10, 128, 0, 0), 9),
        ..sdplay_core::Config::default()
    };
    let mut fastest = [f64::INFINITY; 2];
    for _ in 0..5 {
        for (i, n) in sizes.iter().enumerate() {
            let mut pg = sdplay_core::Playground::new(cfg.clone());
            let start = perf.now();
            let (apply, files) = &inputs[i];
            pg.run(apply, files);
            pg.advance_ms(30_000);
            fastest[i] = fastest[i].min(perf.now() - start);
            assert_eq!(pg.cluster.store().pods(Some("bench")).count(), n * 3);
        }
    }
    for (n, ms) in sizes.iter().zip(fastest) {
        console_log!("wasm figure: apply_settle/50_nodes/{n} {ms:.1} ms (fastest of 5)");
    }
    console_log!(
        "wasm figure: 10× Services on 50 nodes costs {:.1}× the time",
        fastest[1] / fastest[0]
    );
}
