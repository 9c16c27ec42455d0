//! The few browser services the page uses, each failing soft: localStorage (the editor's files
//! under `sdplay.files`, the last imported snapshot under `sdplay.snapshot`), the URL (query and `#s=` fragment), the clipboard, the random seed,
//! the embed height message to the parent frame, and the embed scripting messages
//! (`sdplay:run` in, `sdplay:result` out). Nothing here panics when an API is missing
//! (private mode, sandboxed iframe, tests).

use std::collections::BTreeMap;

use wasm_bindgen::JsValue;

/// localStorage key holding the editor's files as a JSON object (file name → text).
pub const FILES_KEY: &str = "sdplay.files";
/// Where a stored value that does not decode is set aside (with the time, so none is lost).
pub const UNREADABLE_PREFIX: &str = "sdplay.files.unreadable-";

/// What localStorage holds under [`FILES_KEY`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Nothing (or an empty object).
    Nothing,
    Files(BTreeMap<String, String>),
    /// Not an object of file names and texts: the raw value, why, and the entries that are
    /// (file name → text) all the same.
    Unreadable {
        raw: String,
        reason: String,
        salvaged: BTreeMap<String, String>,
    },
}

/// Decode the stored value (pure: the tests feed it strings).
pub fn parse_stored(raw: Option<&str>) -> Stored {
    let Some(raw) = raw else { return Stored::Nothing };
    let unreadable = |reason: String, salvaged| Stored::Unreadable {
        raw: raw.to_string(),
        reason,
        salvaged,
    };
    let value: serde_json::Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => return unreadable(format!("not JSON: {e}"), BTreeMap::new()),
    };
    let Some(object) = value.as_object() else {
        let kind = match value {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        };
        return unreadable(format!("{kind}, not an object of file names and texts"), BTreeMap::new());
    };
    let files: BTreeMap<String, String> = object
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    match object.len() - files.len() {
        0 if files.is_empty() => Stored::Nothing,
        0 => Stored::Files(files),
        1 => unreadable("1 entry is not text".into(), files),
        n => unreadable(format!("{n} entries are not text"), files),
    }
}

/// localStorage key holding the last imported cluster snapshot, `{"name": …, "text": …}`, so a
/// share link made on it reopens it in this browser.
pub const SNAPSHOT_KEY: &str = "sdplay.snapshot";
/// The largest snapshot kept, in bytes of text: localStorage holds about 5 MB per site (the
/// editor's files share it), so a bigger snapshot is not kept and its share links open the
/// default cluster (saying so).
pub const MAX_STORED_SNAPSHOT: usize = 2_000_000;

/// The value stored under [`SNAPSHOT_KEY`] for this snapshot, or why it is not kept.
pub fn snapshot_to_store(name: &str, text: &str) -> Result<String, String> {
    if text.len() > MAX_STORED_SNAPSHOT {
        return Err(format!(
            "it is {}, over the {} this page keeps",
            crate::url_state::size_words(text.len() as u64),
            crate::url_state::size_words(MAX_STORED_SNAPSHOT as u64)
        ));
    }
    serde_json::to_string(&serde_json::json!({"name": name, "text": text})).map_err(|e| e.to_string())
}

/// The snapshot a stored value holds (file name, text); `None` for nothing or anything else.
pub fn parse_stored_snapshot(raw: Option<&str>) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(raw?).ok()?;
    let name = v.get("name")?.as_str()?;
    let text = v.get("text")?.as_str()?;
    (text.len() <= MAX_STORED_SNAPSHOT).then(|| (name.to_string(), text.to_string()))
}

/// Keep `text` as the last imported snapshot; the error says why not (too big, storage full or
/// disabled). A snapshot that is not kept removes the older one, so no link reopens the wrong
/// cluster.
pub fn save_snapshot(name: &str, text: &str) -> Result<(), String> {
    let storage = storage().ok_or("localStorage is not available here")?;
    let value = match snapshot_to_store(name, text) {
        Ok(v) => v,
        Err(why) => {
            let _ = storage.remove_item(SNAPSHOT_KEY);
            return Err(why);
        }
    };
    storage.set_item(SNAPSHOT_KEY, &value).map_err(|e| {
        let _ = storage.remove_item(SNAPSHOT_KEY);
        let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string());
        match name.as_deref() {
            Some("QuotaExceededError") => "the browser's storage is full".to_string(),
            Some(other) => format!("localStorage refused it: {other}"),
            None => "localStorage refused it".to_string(),
        }
    })
}

/// The snapshot kept in this browser, if any.
pub fn load_snapshot_stored() -> Option<(String, String)> {
    parse_stored_snapshot(storage().and_then(|s| s.get_item(SNAPSHOT_KEY).ok().flatten()).as_deref())
}

/// localStorage, if this page may use it (not in a sandboxed iframe, not when disabled).
/// (Not gloo's `LocalStorage::raw`, which throws when it is missing.)
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What localStorage holds under [`FILES_KEY`] now.
pub fn load_stored() -> Stored {
    parse_stored(storage().and_then(|s| s.get_item(FILES_KEY).ok().flatten()).as_deref())
}

/// localStorage key counting the page's stops (panics and traps) since it last ran for
/// [`CRASH_FORGIVEN_MS`]: at two in a row the page starts without opening the saved files, in case
/// one of them is what stops it (never a reload loop, never a lost manifest).
pub const CRASH_KEY: &str = "sdplay.crashes";
/// How long the page must run for its earlier stops to be forgotten.
pub const CRASH_FORGIVEN_MS: u32 = 30_000;

/// Stops in a row so far.
pub fn crashes() -> u32 {
    storage()
        .and_then(|s| s.get_item(CRASH_KEY).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Count one more stop (the panic hook).
pub fn note_crash() {
    if let Some(s) = storage() {
        let _ = s.set_item(CRASH_KEY, &(crashes().saturating_add(1)).to_string());
    }
}

/// Forget the stops (the page ran long enough, or started without the saved files).
pub fn clear_crashes() {
    if let Some(s) = storage() {
        let _ = s.remove_item(CRASH_KEY);
    }
}

/// The saved files as the page starts with them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AtBoot {
    pub files: BTreeMap<String, String>,
    /// What the learner should know (the stored value did not decode).
    pub notice: Option<String>,
    /// Whether the page may write [`FILES_KEY`] (false when an unreadable value could not be
    /// set aside: overwriting it would lose it).
    pub writable: bool,
    /// The last imported snapshot kept here ([`SNAPSHOT_KEY`]): file name and text.
    pub snapshot: Option<(String, String)>,
}

/// Read the saved files at boot. A value that does not decode is copied to
/// `sdplay.files.unreadable-<ms>` first (so saving over it loses nothing), and its readable
/// entries are opened.
pub fn load_files_at_boot() -> AtBoot {
    if crashes() >= 2 {
        clear_crashes();
        return AtBoot {
            files: BTreeMap::new(),
            notice: Some(
                "sdplay stopped twice in a row, so this time it starts without opening your saved manifests \
                 (one of them may be what stops it): the default workspace is shown, and nothing is saved over \
                 them. Reload to open them again."
                    .into(),
            ),
            writable: false,
            snapshot: None,
        };
    }
    let snapshot = load_snapshot_stored();
    match load_stored() {
        Stored::Nothing => AtBoot {
            writable: true,
            snapshot,
            ..AtBoot::default()
        },
        Stored::Files(files) => AtBoot {
            files,
            notice: None,
            writable: true,
            snapshot,
        },
        Stored::Unreadable { raw, reason, salvaged } => {
            let key = format!("{UNREADABLE_PREFIX}{}", now_ms() as u64);
            let kept = storage().is_some_and(|s| s.set_item(&key, &raw).is_ok());
            AtBoot {
                notice: Some(unreadable_notice(&reason, &salvaged, kept.then_some(key.as_str()))),
                files: salvaged,
                writable: kept,
                snapshot,
            }
        }
    }
}

/// The message for saved files that did not decode.
pub fn unreadable_notice(reason: &str, salvaged: &BTreeMap<String, String>, kept_as: Option<&str>) -> String {
    let opened = match salvaged.len() {
        0 => "the default workspace is shown".to_string(),
        1 => "the 1 readable file is shown".to_string(),
        n => format!("the {n} readable files are shown"),
    };
    match kept_as {
        Some(key) => format!(
            "The manifests saved in this browser could not be read ({reason}); {opened}. \
             The saved value is kept as it was under the localStorage key {key}."
        ),
        None => format!(
            "The manifests saved in this browser could not be read ({reason}) nor set aside; {opened}. \
             This session saves nothing, so the saved value stays as it was."
        ),
    }
}

/// Save the editor's files; the error says why not (storage full or disabled).
pub fn save_files(files: &BTreeMap<String, String>) -> Result<(), String> {
    let json = serde_json::to_string(files).map_err(|e| e.to_string())?;
    let storage = storage().ok_or("localStorage is not available here")?;
    storage.set_item(FILES_KEY, &json).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string());
        match name.as_deref() {
            Some("QuotaExceededError") => {
                format!("the browser's storage is full: {:.1} MB of manifests", json.len() as f64 / 1e6)
            }
            Some(other) => format!("localStorage refused it: {other}"),
            None => "localStorage refused it".to_string(),
        }
    })
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
