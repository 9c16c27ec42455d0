//! The few browser services the page uses, each failing soft: localStorage (the editor's files
//! under `sdplay.files`), the URL (query and `#s=` fragment), the clipboard, the random seed,
//! the embed height message to the parent frame, and the embed scripting messages
//! (`sdplay:run` in, `sdplay:result` out). Nothing here panics when an API is missing
//! (private mode, sandboxed iframe, tests).

use std::collections::BTreeMap;

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsValue;

/// localStorage key holding the editor's files as a JSON object (file name → text).
pub const FILES_KEY: &str = "sdplay.files";

pub fn load_files() -> Option<BTreeMap<String, String>> {
    LocalStorage::get::<BTreeMap<String, String>>(FILES_KEY)
        .ok()
        .filter(|f| !f.is_empty())
}

pub fn save_files(files: &BTreeMap<String, String>) {
    // Quota errors and disabled storage are not worth bothering the learner with.
    let _ = LocalStorage::set(FILES_KEY, files);
}

/// `location.search` and `location.hash` ("" when unavailable).
pub fn location_parts() -> (String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    (loc.search().unwrap_or_default(), loc.hash().unwrap_or_default())
}

/// A fresh seed from the OS (`getrandom`), or from `Math.random` if that fails.
pub fn random_seed() -> u64 {
    let mut buf = [0u8; 8];
    match getrandom::fill(&mut buf) {
        Ok(()) => u64::from_le_bytes(buf) % 1_000_000_000,
        Err(_) => (js_sys::Math::random() * 1e9) as u64,
    }
}

/// Put `#s=<state>` into the address bar (without a reload or a history entry) and return the
/// full link.
pub fn set_share_fragment(encoded: &str) -> Option<String> {
    let window = web_sys::window()?;
    let loc = window.location();
    let base = format!("{}{}{}", loc.origin().ok()?, loc.pathname().ok()?, loc.search().ok()?);
    let url = format!("{base}#s={encoded}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
    Some(url)
}

/// Copy text to the clipboard (asynchronously; errors, e.g. no permission, are ignored).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The document's full height in CSS pixels.
pub fn document_height() -> i32 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height())
        .unwrap_or(0)
}

/// `window.parent.postMessage({type: "sdplay:height", height}, "*")`.
pub fn post_height(height: i32) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"sdplay:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from(height));
    let _ = parent.post_message(&msg, "*");
}

/// Listen for `{type: "sdplay:run", line, id}` from the embedding page (the parent frame only;
/// a top-level page has none): `f(line, id)`. Anything else is ignored. `None` when there is no
/// window or no parent.
pub fn on_run_message(f: impl Fn(String, JsValue) + 'static) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    let own: &JsValue = window.as_ref();
    if JsValue::from(parent.clone()) == *own {
        return None;
    }
    Some(gloo::events::EventListener::new(&window, "message", move |ev| {
        use wasm_bindgen::JsCast;
        let Some(ev) = ev.dyn_ref::<web_sys::MessageEvent>() else { return };
        let from_parent = ev.source().is_some_and(|s| JsValue::from(s) == JsValue::from(parent.clone()));
        if !from_parent {
            return;
        }
        let data = ev.data();
        let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        if field("type").as_string().as_deref() != Some("sdplay:run") {
            return;
        }
        if let Some(line) = field("line").as_string() {
            f(line, field("id"));
        }
    }))
}

/// Answer an `sdplay:run` to the parent: `{type: "sdplay:result", id, status, output, events}`,
/// `events` being the command's trace events as `--trace=json` prints them (parsed objects).
pub fn post_result(id: &JsValue, status: i32, output: &str, events: &[String]) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"sdplay:result".into());
    let _ = js_sys::Reflect::set(&msg, &"id".into(), id);
    let _ = js_sys::Reflect::set(&msg, &"status".into(), &JsValue::from(status));
    let _ = js_sys::Reflect::set(&msg, &"output".into(), &output.into());
    let list = js_sys::Array::new();
    for e in events {
        if let Ok(v) = js_sys::JSON::parse(e) {
            list.push(&v);
        }
    }
    let _ = js_sys::Reflect::set(&msg, &"events".into(), &list);
    let _ = parent.post_message(&msg, "*");
}

/// Wall-clock milliseconds (for feeding elapsed time to the simulated clock).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Reload the page.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The first file of a drop, read as text: `done(name, text)` once the browser has read it
/// (nothing happens for a drop without a file, or when reading fails).
pub fn read_dropped_file(e: &web_sys::DragEvent, done: impl FnOnce(String, String) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else {
        return;
    };
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let name = file.name();
    let r = reader.clone();
    let onload = Closure::once(move || {
        if let Some(text) = r.result().ok().and_then(|v| v.as_string()) {
            done(name, text);
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    // The reader holds the callback until it fires; it runs at most once.
    onload.forget();
    let _ = reader.read_as_text(&file);
}
