//! A block pasted into the terminal (wasm-bindgen-test): its lines run in order, in browser
//! tasks of a bounded time each (not all in the paste's handler; tests set the slice to 0, one
//! line per task, to see each step), what is entered meanwhile waits behind them, and Ctrl+C
//! drops the lines not run yet; the session's queue beneath it (`Session::enter`,
//! `run_queued`, `interrupt`).

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{paste, press, press_ctrl, Page};
use sdplay_core::ProxyMode;
use sdplay_web::session::{Input, Session};
use sdplay_web::url_state::Settings;
use sdplay_web::Boot;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Let the microtasks queued so far, and those they queue, run (Yew renders in one, after a
/// hop or two through its scheduler) but no timer: still the same browser task as the paste.
async fn same_task() {
    for _ in 0..20 {
        js_sys::futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED))
            .await
            .unwrap();
    }
}

/// One browser task later (a zero timeout queued now fires after those queued before it).
async fn next_task() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// The command lines the terminal shows, oldest first.
fn commands(page: &Page) -> Vec<String> {
    let list = page.root.query_selector_all("#terminal-output .cmd").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

fn lines(lines: &[&str]) -> Vec<Input> {
    lines.iter().map(|l| Input::Line(l.to_string())).collect()
}

fn session() -> Session {
    let settings = Settings {
        seed: 7,
        nodes: 1,
        proxy_mode: ProxyMode::Ipvs,
    };
    Session::new(settings, BTreeMap::new())
}

/// A page whose waiting lines run one per browser task.
fn line_per_task() -> Boot {
    Boot {
        paste_slice_ms: 0.0,
        ..Boot::with_seed(7)
    }
}

#[wasm_bindgen_test]
async fn a_pasted_block_runs_in_order_after_the_paste() {
    let page = Page::new(Boot::with_seed(7)).await;
    let input = page.input();
    input.set_value("echo ");
    let block = "one\necho two\necho three\necho four\necho unfin";
    assert!(!paste(&input, block), "the page takes the paste over");
    // The unfinished last line stays typed; the text typed before the paste joins the first.
    assert_eq!(input.value(), "echo unfin");
    same_task().await;
    // Not all in the paste's own task (the session runs the first line at once, as Enter does;
    // the page may show it a task later, so this counts at most one).
    let shown = commands(&page);
    assert!(shown.len() <= 1, "the rest waits for later tasks: {shown:?}");
    // Typed while the block runs: it waits behind it.
    input.set_value("echo typed");
    press(&input, "Enter");
    // The page yields between lines: later tasks run the rest (how many lines a timer of the
    // test's sees run in between depends on the browser's timer clamping, so it is not counted).
    page.until("every line ran", |p| commands(p).len() == 5).await;
    assert_eq!(commands(&page), ["echo one", "echo two", "echo three", "echo four", "echo typed"]);
    let out = page.text("#terminal-output");
    assert!(
        out.ends_with("$ echo three\nthree\n$ echo four\nfour\n$ echo typed\ntyped\n"),
        "{out}"
    );
    // Each ran as typed lines do: in the history.
    input.set_value("");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "echo typed");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "echo four");
    // Nothing more runs.
    page.settle().await;
    assert_eq!(commands(&page).len(), 5);
}

#[wasm_bindgen_test]
async fn ctrl_c_drops_the_pasted_lines_not_run_yet() {
    let page = Page::new(line_per_task()).await;
    let input = page.input();
    let block: String = (0..50).map(|i| format!("echo {i}\n")).collect();
    paste(&input, &block);
    // One line per task: by the time the page shows some, most still wait.
    page.until("a line ran", |p| !commands(p).is_empty()).await;
    let ran = commands(&page);
    assert!((1..50).contains(&ran.len()), "{ran:?}");
    let last = ran.len() - 1;
    // Typed ahead behind the block: dropped with it.
    input.set_value("echo typed ahead");
    press_ctrl(&input, "c");
    page.settle().await;
    assert_eq!(input.value(), "");
    let out = page.text("#terminal-output");
    assert!(
        out.ends_with(&format!("$ echo {last}\n{last}\n^C\n")),
        "^C after the last output: {out}"
    );
    // Dropped, not delayed.
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(commands(&page), ran);
    // The terminal takes lines again, at once.
    page.run("echo after").await;
    let mut want = ran.clone();
    want.push("echo after".to_string());
    assert_eq!(commands(&page), want);
    assert!(page.text("#terminal-output").ends_with("$ echo after\nafter\n"));
}

/// With the page's own slice, cheap lines run many per task: 300 pasted `echo`s take far
/// fewer tasks than lines (a line would have to take 12 ms / 6 to need 50), and still in order.
#[wasm_bindgen_test]
async fn cheap_pasted_lines_run_many_per_task() {
    let page = Page::new(Boot::with_seed(7)).await;
    let input = page.input();
    let block: String = (0..300).map(|i| format!("echo {i}\n")).collect();
    paste(&input, &block);
    same_task().await;
    let mut tasks = 0;
    while commands(&page).len() < 300 && tasks < 300 {
        next_task().await;
        tasks += 1;
    }
    let ran = commands(&page);
    assert_eq!(ran.len(), 300, "every line ran");
    assert!(tasks <= 50, "{tasks} tasks for 300 lines");
    assert!(ran.iter().enumerate().all(|(i, c)| *c == format!("echo {i}")), "in order");
}

#[wasm_bindgen_test]
fn entered_input_waits_behind_what_is_waiting() {
    let mut s = session();
    assert!(s.enter(lines(&["echo 1", "echo 2", "echo 3"])), "lines wait");
    assert_eq!(s.entries.len(), 1, "the first runs at once");
    assert_eq!(s.queued(), 2);
    // Entered meanwhile (Enter, Apply, Ctrl+D): behind the block.
    assert!(s.enter(lines(&["echo typed"])));
    assert_eq!(s.entries.len(), 1);
    assert!(s.run_queued());
    assert!(s.run_queued());
    assert!(!s.run_queued(), "the last one");
    assert!(!s.run_queued(), "nothing left");
    let run: Vec<&str> = s.entries.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(run, ["echo 1", "echo 2", "echo 3", "echo typed"]);
    assert_eq!(s.history, ["echo 1", "echo 2", "echo 3", "echo typed"]);
    // Each is recorded for the share link when it runs.
    let shared: Vec<String> = s.share_state().commands.into_iter().map(|c| c.line).collect();
    assert_eq!(shared, ["echo 1", "echo 2", "echo 3", "echo typed"]);
    // With nothing waiting, a line runs at once.
    assert!(!s.enter(lines(&["echo now"])));
    assert_eq!(s.last_output(), "now\n");
}

#[wasm_bindgen_test]
fn ctrl_d_waits_its_turn_too() {
    let mut s = session();
    s.run("kubectl apply -f sd-example.yml");
    s.advance(20_000);
    assert!(s.enter(lines(&["kubectl exec -it jump -n dev -- bash", "echo inside"])));
    assert_eq!(s.prompt(), "root@jump:/# ");
    // Ctrl+D right after the paste: it leaves the Pod's shell after `echo inside`, not before.
    assert!(s.enter([Input::Eof]));
    assert!(s.run_queued());
    let last = s.entries.back().unwrap();
    assert_eq!((last.prompt.as_str(), last.command.as_str()), ("root@jump:/# ", "echo inside"));
    assert!(!s.run_queued());
    assert_eq!(s.prompt(), "$ ");
}

#[wasm_bindgen_test]
fn interrupt_drops_what_waits() {
    let mut s = session();
    s.enter(lines(&["echo 1", "echo 2", "echo 3"]));
    s.interrupt("typed ahead");
    assert_eq!(s.queued(), 0);
    assert!(!s.run_queued());
    let shown: Vec<(&str, &str)> = s.entries.iter().map(|e| (e.command.as_str(), e.output.as_str())).collect();
    assert_eq!(shown, [("echo 1", "1\n^C\n")]);
    assert_eq!(s.history, ["echo 1"]);
    assert_eq!(s.share_state().commands.len(), 1);
    // Nothing waiting: Ctrl+C abandons the typed line, as before.
    s.interrupt("typed");
    let last = s.entries.back().unwrap();
    assert_eq!((last.command.as_str(), last.status), ("typed^C", 130));
    // A block whose line that ran cleared the screen: `^C` at the prompt.
    s.enter(lines(&["clear", "echo 2"]));
    assert!(s.entries.is_empty());
    s.interrupt("");
    let shown: Vec<(&str, &str)> = s.entries.iter().map(|e| (e.command.as_str(), e.output.as_str())).collect();
    assert_eq!(shown, [("^C", "")]);
}
