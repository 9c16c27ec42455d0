//! Browser tests of the page's hardening (wasm-bindgen-test in headless Chromium): hostile text
//! in every field the page shows stays text (nothing is injected, it shows literally); URL
//! parameters, share links and saved files that do not decode give a notice and the learner's
//! files, never a lost manifest; the panic hook's save and dialog; a save the browser refuses.

mod common;

use std::collections::BTreeMap;

use common::Page;
use sdplay_web::browser::{self, AtBoot, Stored};
use sdplay_web::url_state::{self, ShareError};
use sdplay_web::{panic, Boot};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Strings that would do something if the page ever parsed text as HTML or a template: markup
/// with an event handler, an attribute breakout, a template, an RTL override, a long unbroken
/// word, a NUL.
const HOSTILE: &[&str] = &[
    "<img src=x onerror=alert(1)>",
    "\"><script>alert(2)</script>",
    "{{constructor.constructor('alert(3)')()}}",
    "a\u{202e}lmth.exe",
    "&lt;b&gt;not bold&lt;/b&gt;",
];

fn long_word() -> String {
    "W".repeat(5_000)
}

/// Elements that only injected markup would create in the page, and attributes only it would set.
fn injected(page: &Page) -> Vec<String> {
    let mut found = Vec::new();
    for tag in ["img", "script", "iframe", "object", "embed", "svg", "style", "link", "a"] {
        let n = page.root.query_selector_all(tag).unwrap().length();
        if n > 0 {
            found.push(format!("{n} <{tag}>"));
        }
    }
    let all = page.root.query_selector_all("*").unwrap();
    for i in 0..all.length() {
        let el: Element = all.item(i).unwrap().dyn_into().unwrap();
        for name in el.get_attribute_names().iter() {
            let name = name.as_string().unwrap_or_default();
            if name.starts_with("on") || name == "src" {
                found.push(format!("<{} {name}>", el.tag_name().to_lowercase()));
            }
        }
    }
    found
}

/// `h` as one shell word.
fn sh_quote(h: &str) -> String {
    format!("'{}'", h.replace('\'', "'\\''"))
}

/// A manifest carrying `h` everywhere a manifest can: a label value and an annotation of a
/// ConfigMap, a data value, and an object name (which the API refuses, quoting it).
fn hostile_manifest(h: &str) -> String {
    let q = serde_json::to_string(h).unwrap();
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hostile\n  namespace: default\n  labels:\n    app: {q}\n  annotations:\n    note: {q}\ndata:\n  text: {q}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {q}\n"
    )
}

#[wasm_bindgen_test]
async fn hostile_text_shows_literally_and_injects_nothing() {
    let long = long_word();
    let mut strings: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    strings.push(long.clone());
    for h in &strings {
        let file = format!("{h}.yml");
        let mut boot = Boot::with_seed(3);
        boot.files = BTreeMap::from([(file.clone(), hostile_manifest(h))]);
        // A notice quotes URL parameters (a preset that does not exist).
        boot.notices = vec![format!("notice: {h}")];
        let page = Page::new(boot).await;
        // The file name is a tab; the manifest is the editor's text, as typed.
        assert!(page.text(".tabs").contains(&file), "tab for {h:?}");
        let editor: HtmlTextAreaElement = page.find("#editor").dyn_into().unwrap();
        assert_eq!(editor.value(), hostile_manifest(h));
        assert!(page.text("#notices").contains(h.as_str()));
        page.click("#apply").await;
        page.run(&format!("echo {}", sh_quote(h))).await;
        page.run("kubectl get cm hostile -o yaml").await;
        page.run("kubectl describe cm hostile").await;
        page.run(&format!("kubectl get cm {}", sh_quote(h))).await;
        let out = page.text("#terminal-output");
        assert!(out.contains(&format!("$ kubectl apply -f {file}")), "{out}");
        // echo prints it back; the ConfigMap's data (or the API's refusal) quotes it.
        assert!(out.matches(h.as_str()).count() >= 2, "{h:?} in {out}");
        // The timeline and the diagram show what the cluster holds (the ConfigMap's labels
        // reach no diagram element, but the rejected object's events do).
        let _ = page.text("#timeline");
        let found = injected(&page);
        assert!(found.is_empty(), "{h:?} injected {found:?}");
        // The whole page's text holds the string as typed (never an entity-decoded form).
        if h.contains("&lt;") {
            assert!(!page.root.text_content().unwrap_or_default().contains("<b>not bold"));
        }
    }
    // The check itself sees markup that was parsed as HTML (markup that runs nothing: this test
    // page has no Content-Security-Policy, and an alert would stop the test runner).
    let page = Page::new(Boot::with_seed(3)).await;
    page.find("#terminal-output").set_inner_html("<img alt=x><i onclick=x></i>");
    assert_eq!(injected(&page), ["1 <img>", "<i onclick>"]);
}

#[wasm_bindgen_test]
async fn nul_and_control_characters_stay_text() {
    let text = "data:\n  a: \"nul \\0 here\"\n# raw nul: \u{0}\n";
    let mut boot = Boot::with_seed(3);
    boot.files = BTreeMap::from([("nul\u{0}name.yml".to_string(), text.to_string())]);
    let page = Page::new(boot).await;
    let editor: HtmlTextAreaElement = page.find("#editor").dyn_into().unwrap();
    assert_eq!(editor.value(), text);
    page.run("echo 'bell \u{7} nul'").await;
    page.click("#apply").await;
    assert!(injected(&page).is_empty());
    assert!(page.text("#terminal-output").contains("$ kubectl apply -f nul"));
}

#[wasm_bindgen_test]
async fn the_diagram_shows_a_hostile_label_value_as_text() {
    // A Pod label value the API (once it validates label values) refuses: the terminal quotes it,
    // else the diagram shows it. Either way it stays text.
    let h = HOSTILE[0];
    let manifest = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: {}\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
        serde_json::to_string(h).unwrap()
    );
    let mut boot = Boot::with_seed(3);
    boot.files = BTreeMap::from([("p.yml".to_string(), manifest)]);
    let page = Page::new(boot).await;
    page.click("#apply").await;
    let shown = format!("{}{}", page.text("#terminal-output"), page.text(".diagram"));
    assert!(shown.contains(h), "{shown}");
    assert!(injected(&page).is_empty(), "{:?}", injected(&page));
}

fn saved(files: &[(&str, &str)]) -> AtBoot {
    AtBoot {
        files: files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        notice: None,
        writable: true,
        snapshot: None,
    }
}

#[wasm_bindgen_test]
fn bad_url_parameters_give_notices_and_the_saved_files() {
    let mine = [("mine.yml", "kind: Pod # mine\n")];
    let boot = Boot::from_location("?seed=abc&nodes=0&proxy=ipvsx&preset=../../etc", "", saved(&mine), 77);
    assert_eq!(boot.settings.seed, 77, "a random seed");
    assert_eq!(boot.settings.nodes, 1);
    assert_eq!(boot.settings.proxy_mode, sdplay_core::ProxyMode::Ipvs);
    assert_eq!(boot.files, saved(&mine).files, "the learner's files, unchanged");
    let all = boot.notices.join("\n");
    assert!(all.contains("seed=abc in the address is not a number"), "{all}");
    assert!(all.contains("nodes=0 in the address is not a node count from 1 to 50"), "{all}");
    assert!(all.contains("proxy=ipvsx in the address is not a kube-proxy mode"), "{all}");
    assert!(
        all.contains("preset=../../etc in the address names no preset (there are sd-example.yml, headless.yml, named-ports.yml); your own saved manifests are shown."),
        "{all}"
    );
    assert_eq!(boot.notices.len(), 4, "{all}");
    // Nothing saved: the default workspace, said so.
    let boot = Boot::from_location("?preset=%3Cimg%20src%3Dx%3E", "", saved(&[]), 1);
    assert!(boot.files.is_empty());
    assert!(
        boot.notices[0].contains("preset=<img src=x> in the address names no preset"),
        "{:?}",
        boot.notices
    );
    assert!(boot.notices[0].ends_with("the default workspace is shown."));
    // Good parameters: no notice.
    let boot = Boot::from_location("?seed=5&nodes=3&proxy=nftables&preset=headless&utm_source=x", "", saved(&mine), 1);
    assert!(boot.notices.is_empty(), "{:?}", boot.notices);
    assert_eq!(boot.files.len(), 2, "the preset opens beside the saved file");
    // A quoted value is one line with control characters escaped, and short.
    let q = url_state::parse_query("?seed=%0Aa%E2%80%AEb%00");
    assert!(q.problems[0].starts_with("seed=\\u{a}a\\u{202e}b\\u{0} in"), "{:?}", q.problems);
    let q = url_state::parse_query(&format!("?nodes={}", "9".repeat(500)));
    assert!(q.problems[0].contains("…"), "{:?}", q.problems);
    let q = url_state::parse_query(&format!("?run={}", "x;".repeat(60)));
    assert_eq!(q.run.len(), url_state::MAX_RUN);
    assert!(
        q.problems[0].contains("holds 60 commands; only the first 50 run"),
        "{:?}",
        q.problems
    );
}

#[wasm_bindgen_test]
fn a_broken_share_link_keeps_the_saved_files() {
    let mine = [("sd-example.yml", "# my own edits\n")];
    for (hash, why) in [
        ("#s=!!!", "it is not base64url text"),
        ("#s=eyJ2Ijox", "it does not decode to a share document"),
        ("#s=eyJ2Ijo5fQ", "it is in format version 9, and this page reads version 1"),
        ("#s=e30", "it carries no format version"),
        ("#s=eyJ2IjoxfQ", "its seed field is missing or malformed"),
    ] {
        let boot = Boot::from_location("", hash, saved(&mine), 1);
        assert_eq!(boot.share, None, "{hash}");
        assert_eq!(boot.files, saved(&mine).files, "{hash}: the saved files");
        assert!(boot.persist, "{hash}: saving goes on (over the same files)");
        assert_eq!(boot.notices.len(), 1, "{hash}: {:?}", boot.notices);
        let n = &boot.notices[0];
        assert!(n.starts_with("The share link in the address could not be opened: "), "{n}");
        assert!(n.contains(why), "{hash}: {n}");
        assert!(n.ends_with("Your own saved manifests are shown, unchanged."), "{n}");
    }
    assert_eq!(url_state::decode_checked("!").unwrap_err(), ShareError::NotBase64);
    // A share link over the limits opens, saying what it left out.
    let files: serde_json::Map<String, serde_json::Value> = (0..20).map(|i| (format!("f{i:02}.yml"), "x: 1\n".into())).collect();
    let doc = serde_json::json!({"v": 1, "seed": 4, "nodes": 900, "proxy": "userspace", "files": files, "cmds": []});
    let encoded = url_state::base64url_encode(doc.to_string().as_bytes());
    let boot = Boot::from_location("", &format!("#s={encoded}"), saved(&mine), 1);
    let share = boot.share.as_ref().expect("decodes");
    assert_eq!((share.settings.nodes, share.files.len()), (50, 16));
    let all = boot.notices.join("\n");
    assert!(all.contains("asks for 900 nodes"), "{all}");
    assert!(all.contains("kube-proxy mode userspace is unknown"), "{all}");
    assert!(all.contains("holds 20 files; the page opens the first 16"), "{all}");
}

#[wasm_bindgen_test]
fn saved_files_that_do_not_decode_are_set_aside() {
    assert_eq!(browser::parse_stored(None), Stored::Nothing);
    assert_eq!(browser::parse_stored(Some("{}")), Stored::Nothing);
    assert_eq!(
        browser::parse_stored(Some(r#"{"a.yml":"x"}"#)),
        Stored::Files(BTreeMap::from([("a.yml".to_string(), "x".to_string())]))
    );
    let Stored::Unreadable { raw, reason, salvaged } = browser::parse_stored(Some("{\"a.yml\": \"x")) else {
        panic!("cut JSON is unreadable")
    };
    assert_eq!(raw, "{\"a.yml\": \"x");
    assert!(reason.starts_with("not JSON: "), "{reason}");
    assert!(salvaged.is_empty());
    let Stored::Unreadable { reason, salvaged, .. } = browser::parse_stored(Some(r#"{"a.yml":"x","b.yml":3,"c":null}"#)) else {
        panic!()
    };
    assert_eq!(reason, "2 entries are not text");
    assert_eq!(salvaged.keys().collect::<Vec<_>>(), ["a.yml"]);
    let Stored::Unreadable { reason, .. } = browser::parse_stored(Some("[1]")) else {
        panic!()
    };
    assert_eq!(reason, "an array, not an object of file names and texts");
    let n = browser::unreadable_notice("not JSON: x", &salvaged, Some("sdplay.files.unreadable-5"));
    assert_eq!(
        n,
        "The manifests saved in this browser could not be read (not JSON: x); the 1 readable file is shown. \
         The saved value is kept as it was under the localStorage key sdplay.files.unreadable-5."
    );
    // Set aside for real: the raw value is copied before anything can overwrite it.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let before = storage.get_item(browser::FILES_KEY).unwrap();
    storage.set_item(browser::FILES_KEY, "not json {").unwrap();
    let at = browser::load_files_at_boot();
    assert!(at.writable && at.files.is_empty());
    let notice = at.notice.expect("a notice");
    let key = notice.rsplit(' ').next().unwrap().trim_end_matches('.').to_string();
    assert!(key.starts_with(browser::UNREADABLE_PREFIX), "{notice}");
    assert_eq!(storage.get_item(&key).unwrap().as_deref(), Some("not json {"));
    storage.remove_item(&key).unwrap();
    restore(&storage, before);
}

fn restore(storage: &web_sys::Storage, before: Option<String>) {
    match before {
        Some(v) => storage.set_item(browser::FILES_KEY, &v).unwrap(),
        None => storage.remove_item(browser::FILES_KEY).unwrap(),
    }
}

#[wasm_bindgen_test]
fn a_save_the_browser_refuses_says_why() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let before = storage.get_item(browser::FILES_KEY).unwrap();
    // 12 MB: over Chromium's localStorage quota (10 MiB of UTF-16 per origin).
    let big = BTreeMap::from([("big.yml".to_string(), "x".repeat(12_000_000))]);
    let err = browser::save_files(&big).unwrap_err();
    assert!(err.starts_with("the browser's storage is full: 12.0 MB of manifests"), "{err}");
    // The previous value is still there.
    assert_eq!(storage.get_item(browser::FILES_KEY).unwrap(), before);
    restore(&storage, before);
}

#[wasm_bindgen_test]
async fn a_failed_save_is_shown() {
    let mut boot = Boot::with_seed(3);
    boot.persist = true;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let before = storage.get_item(browser::FILES_KEY).unwrap();
    boot.files = BTreeMap::from([("big.yml".to_string(), format!("# {}\n", "x".repeat(12_000_000)))]);
    let page = Page::new(boot).await;
    // A new tab saves at once.
    page.click(".tab-tool").await;
    let n = page.text("#notices");
    assert!(
        n.contains("Your manifests could not be saved in this browser (the browser's storage is full"),
        "{n}"
    );
    page.click("#notices button").await;
    assert!(page.root.query_selector("#notices").unwrap().is_none());
    restore(&storage, before);
}

#[wasm_bindgen_test]
fn the_panic_hook_saves_the_editor_and_shows_the_message() {
    let document = web_sys::window().unwrap().document().unwrap();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let before = storage.get_item(browser::FILES_KEY).unwrap();
    storage
        .set_item(browser::FILES_KEY, r#"{"a.yml":"saved before","b.yml":"typed before"}"#)
        .unwrap();
    // The editor holds text typed after the last save.
    let editor: HtmlTextAreaElement = document.create_element("textarea").unwrap().dyn_into().unwrap();
    editor.set_id("editor");
    editor.set_attribute("data-file", "b.yml").unwrap();
    editor.set_value("typed just now");
    document.body().unwrap().append_child(&editor).unwrap();
    assert_eq!(panic::save_editor(), panic::Saved::Yes);
    editor.remove();
    assert_eq!(
        browser::load_stored(),
        Stored::Files(BTreeMap::from([
            ("a.yml".to_string(), "saved before".to_string()),
            ("b.yml".to_string(), "typed just now".to_string()),
        ]))
    );
    restore(&storage, before);

    let message = "index out of bounds <img src=x onerror=alert(1)> (at core/src/x.rs:1:2)";
    panic::show(message, &panic::Saved::Yes);
    let dialog = document.get_element_by_id(panic::DIALOG_ID).expect("the dialog");
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    let text = dialog.text_content().unwrap();
    assert!(text.contains("sdplay stopped: it hit a bug"), "{text}");
    assert!(text.contains(message), "{text}");
    assert!(text.contains("Your manifests are saved in this browser"), "{text}");
    assert_eq!(dialog.query_selector_all("img").unwrap().length(), 0);
    let reload = dialog
        .query_selector("button[data-sdplay-reload]")
        .unwrap()
        .expect("a reload button");
    assert_eq!(reload.text_content().as_deref(), Some("Reload the page"));
    assert_eq!(document.active_element().map(|e| e.id()), Some("sdplay-panic-reload".to_string()));
    dialog.remove();

    // When the save failed, the text is there to copy.
    panic::show(
        "boom",
        &panic::Saved::Failed {
            reason: "the browser's storage is full: 9.9 MB of manifests".into(),
            file: "big.yml".into(),
            text: "kind: Pod\n".into(),
        },
    );
    let dialog = document.get_element_by_id(panic::DIALOG_ID).unwrap();
    let copy: HtmlTextAreaElement = dialog.query_selector("textarea").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(copy.value(), "kind: Pod\n");
    assert!(dialog.text_content().unwrap().contains("Copy big.yml from here before reloading"));
    dialog.remove();
}

#[wasm_bindgen_test]
fn two_stops_in_a_row_start_without_the_saved_files() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let before = storage.get_item(browser::FILES_KEY).unwrap();
    storage.set_item(browser::FILES_KEY, r#"{"bomb.yml":"stops the page"}"#).unwrap();
    browser::clear_crashes();
    browser::note_crash();
    // One stop: the next start opens the files (most panics are not the text's fault).
    let at = browser::load_files_at_boot();
    assert_eq!((at.files.len(), at.writable, at.notice), (1, true, None));
    browser::note_crash();
    assert_eq!(browser::crashes(), 2);
    let at = browser::load_files_at_boot();
    assert!(at.files.is_empty() && !at.writable, "{at:?}");
    assert!(at.notice.unwrap().starts_with("sdplay stopped twice in a row"));
    assert_eq!(browser::crashes(), 0, "the reload after that opens them again");
    assert_eq!(
        storage.get_item(browser::FILES_KEY).unwrap().as_deref(),
        Some(r#"{"bomb.yml":"stops the page"}"#),
        "kept"
    );
    restore(&storage, before);
}
