//! The panic hook: a panic in the wasm (a bug in sdplay: no input is meant to reach one) would
//! otherwise leave a dead page. [`install`] sets a hook that logs the panic to the console (with
//! its JavaScript stack, as `console_error_panic_hook` does), saves the editor's text, and puts a
//! dialog over the page (`#sdplay-panic`) saying what happened, with the panic's message and a
//! Reload button.
//!
//! The hook touches nothing the panicking code may hold: not the session (its `RefCell` may be
//! borrowed, and with `panic = abort` it stays borrowed), only the DOM and localStorage. The
//! files the page saved last (`browser::FILES_KEY`, written on every tab change and 250 ms after
//! typing stops) get the editor's current text for the file it shows (`#editor`'s `data-file`),
//! so even the last keystrokes survive. An embedded page saves nothing, as it never does. The
//! stop is counted (`browser::note_crash`): if the page stops again before it has run 30 s, the
//! next start opens the default workspace and leaves the saved files alone, so a manifest that
//! itself stops the page cannot trap the learner in a reload loop.
//! The Reload button is handled by the JavaScript loader (`web/js/boot.js`), not by the wasm,
//! which has trapped; the loader also shows the dialog for a trap that never reached the hook
//! (an allocation failure aborts without a panic).
//!
//! The test hook [`sdplay_debug_arm_panic`] makes the next command run in the terminal panic
//! inside the session's borrow, as a core bug would. It is an export of the wasm module, so only
//! script running in the page can call it (a test's `page.evaluate`, the developer console);
//! the Content-Security-Policy admits no script but the page's own, and no URL, message or text
//! typed reaches it.

use std::cell::Cell;
use std::panic::PanicHookInfo;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;

/// The id of the dialog the hook shows.
pub const DIALOG_ID: &str = "sdplay-panic";

thread_local! {
    /// Save the editor's text on a panic (false in an embedded page, and before boot).
    static PERSIST: Cell<bool> = const { Cell::new(false) };
    /// The dialog is up already (a panic after the first adds nothing to it).
    static SHOWN: Cell<bool> = const { Cell::new(false) };
    /// [`sdplay_debug_arm_panic`] was called and the next command has not run yet.
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

/// Install the hook (once, at start). Through Yew, which otherwise replaces any hook with
/// `console_error_panic_hook` when the app is rendered.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(on_panic));
}

/// Whether the hook saves the editor's text (set once the page knows it is not embedded). Also
/// `data-sdplay-persist` on `<html>`, for the loader's fallback (`web/js/boot.js`), which shows
/// the same dialog when the wasm traps without a panic (an allocation failure aborts).
pub fn set_persist(persist: bool) {
    PERSIST.with(|p| p.set(persist));
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = if persist {
            root.set_attribute("data-sdplay-persist", "")
        } else {
            root.remove_attribute("data-sdplay-persist")
        };
    }
}

/// Test hook: the next command run in the terminal panics (inside the session's borrow).
#[wasm_bindgen]
pub fn sdplay_debug_arm_panic() {
    ARMED.with(|a| a.set(true));
}

/// Called by every command run: panics if [`sdplay_debug_arm_panic`] armed it.
pub fn debug_panic_if_armed() {
    if ARMED.with(|a| a.replace(false)) {
        panic!("debug panic requested by sdplay_debug_arm_panic (a test hook)");
    }
}

fn on_panic(info: &PanicHookInfo<'_>) {
    let message = panic_message(info);
    let stack = js_sys::Reflect::get(&js_sys::Error::new(""), &"stack".into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    web_sys::console::error_1(&format!("sdplay panicked: {message}\n\nStack:\n\n{stack}").into());
    if SHOWN.with(|s| s.replace(true)) {
        return;
    }
    let saved = if PERSIST.with(Cell::get) {
        browser::note_crash();
        save_editor()
    } else {
        Saved::NotHere
    };
    show(&message, &saved);
}

/// The panic's message and where it was raised, as the standard hook prints them.
pub fn panic_message(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    match info.location() {
        Some(l) => format!("{text} (at {}:{}:{})", l.file(), l.line(), l.column()),
        None => text,
    }
}

/// What became of the learner's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// In localStorage, the editor's current text included.
    Yes,
    /// Could not be written (the reason); the dialog shows the text to copy.
    Failed { reason: String, file: String, text: String },
    /// An embedded page keeps nothing.
    NotHere,
}

/// Put the editor's current text (`#editor`, the file in its `data-file`) into the saved files.
pub fn save_editor() -> Saved {
    let editor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("editor"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let Some(editor) = editor else { return Saved::Yes };
    let Some(file) = editor.get_attribute("data-file") else {
        return Saved::Yes;
    };
    let text = editor.value();
    let mut files = match browser::load_stored() {
        browser::Stored::Files(files) => files,
        // Set aside at boot already (browser::load_files_at_boot); nothing of the
        // learner's is left under the key to lose.
        browser::Stored::Nothing | browser::Stored::Unreadable { .. } => Default::default(),
    };
    files.insert(file.clone(), text.clone());
    match browser::save_files(&files) {
        Ok(()) => Saved::Yes,
        Err(reason) => Saved::Failed { reason, file, text },
    }
}

/// Put the dialog over the page.
pub fn show(message: &str, saved: &Saved) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let el = |tag: &str, class: &str, text: &str| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if !text.is_empty() {
            e.set_text_content(Some(text));
        }
        Some(e)
    };
    let Some(dialog) = el("div", "panic", "") else { return };
    dialog.set_id(DIALOG_ID);
    let _ = dialog.set_attribute("role", "alertdialog");
    let _ = dialog.set_attribute("aria-modal", "true");
    let _ = dialog.set_attribute("aria-labelledby", "sdplay-panic-title");
    let mut parts = Vec::new();
    if let Some(h) = el("h2", "", "sdplay stopped: it hit a bug") {
        h.set_id("sdplay-panic-title");
        parts.push(h);
    }
    parts.extend(el(
        "p",
        "",
        "The simulation panicked (an internal error in sdplay, not a mistake in your manifests or commands). \
         The page cannot go on; reloading starts a fresh cluster.",
    ));
    parts.extend(el("pre", "panic-message", message));
    match saved {
        Saved::Yes => parts.extend(el(
            "p",
            "",
            "Your manifests are saved in this browser, including what you typed last: they will be in the editor after the reload.",
        )),
        Saved::Failed { reason, file, text } => {
            parts.extend(el(
                "p",
                "warn",
                &format!("Your manifests could not be saved in this browser ({reason}). Copy {file} from here before reloading:"),
            ));
            if let Some(t) = el("textarea", "panic-text", "") {
                let _ = t.set_attribute("readonly", "");
                let _ = t.set_attribute("aria-label", &format!("The text of {file}"));
                if let Some(t) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    t.set_value(text);
                }
                parts.push(t);
            }
        }
        Saved::NotHere => parts.extend(el(
            "p",
            "",
            "This embedded page keeps nothing in the browser; the reload shows it as its link says.",
        )),
    }
    parts.extend(el(
        "p",
        "dim",
        "Reporting it helps: the message above, and what you did just before, are what is needed.",
    ));
    if let Some(b) = el("button", "primary", "Reload the page") {
        b.set_id("sdplay-panic-reload");
        let _ = b.set_attribute("data-sdplay-reload", "");
        let _ = b.set_attribute("type", "button");
        parts.push(b);
    }
    let Some(panel) = el("div", "panic-box", "") else { return };
    for p in &parts {
        let _ = panel.append_child(p);
    }
    let _ = dialog.append_child(&panel);
    let _ = body.append_child(&dialog);
    if let Some(b) = document
        .get_element_by_id("sdplay-panic-reload")
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = b.focus();
    }
}
