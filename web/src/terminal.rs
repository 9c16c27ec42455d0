//! The Terminal pane: the transcript (`<pre id="terminal-output">`, each command after its
//! prompt, then its output) and the input line (`<input id="terminal-input">` after the current
//! prompt). Enter runs the line, ArrowUp/ArrowDown walk the history, Ctrl+L clears the screen, Ctrl+C
//! abandons the line, Tab completes it (the core's `Playground::complete`): one candidate
//! replaces the line, several extend it to their common prefix and are listed below it. A pasted
//! block's complete lines go to the page together (it runs them one by one, see
//! `Session::enter`); an unfinished last line stays typed.
//! The transcript scrolls to the bottom whenever something is printed.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::session::SessionRef;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub session: SessionRef,
    pub version: u64,
    /// Run a command line (the page runs it in the session and re-renders).
    pub on_run: Callback<String>,
    /// A pasted block's complete lines, in order (the page runs them in short slices of tasks).
    pub on_paste: Callback<Vec<String>>,
    /// Ctrl+C: show the abandoned line, run nothing.
    pub on_interrupt: Callback<String>,
    /// Ctrl+D at an empty prompt: end of file for the shell.
    pub on_eof: Callback<()>,
    /// The session changed outside a command (completions listed): re-render the page.
    pub on_changed: Callback<()>,
}

/// Where ArrowUp/ArrowDown are in the history, and the line being typed before they moved.
#[derive(Default)]
struct HistoryWalk {
    pos: Option<usize>,
    draft: String,
}

#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let screen = use_node_ref();
    let input = use_node_ref();
    let walk: Rc<RefCell<HistoryWalk>> = use_mut_ref(HistoryWalk::default);

    // Follow the output: scroll to the bottom when something is printed (not when the cluster
    // merely changed, so reading back through the transcript is not interrupted).
    let printed = props.session.get().map(|s| (s.entries.len(), s.entries.back().map(|e| e.id)));
    {
        let screen = screen.clone();
        use_effect_with(printed, move |_| {
            if let Some(el) = screen.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let session = props.session.clone();
        let on_run = props.on_run.clone();
        let on_interrupt = props.on_interrupt.clone();
        let on_eof = props.on_eof.clone();
        let on_changed = props.on_changed.clone();
        let walk = walk.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let key = e.key();
            match key.as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = el.value();
                    el.set_value("");
                    *walk.borrow_mut() = HistoryWalk::default();
                    on_run.emit(line);
                }
                "Tab" if !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key() => {
                    // Keep the focus here, as a shell does.
                    e.prevent_default();
                    let line = el.value();
                    let Some(candidates) = session.get().map(|s| s.complete(&line)) else {
                        return;
                    };
                    let next = match candidates.as_slice() {
                        [] => return,
                        [one] => one.clone(),
                        many => {
                            let prefix = crate::session::common_prefix(many);
                            session.with_mut(|s| s.show_completions(&line, many));
                            on_changed.emit(());
                            prefix
                        }
                    };
                    if next.len() > line.len() || candidates.len() == 1 {
                        let len = next.encode_utf16().count() as u32;
                        el.set_value(&next);
                        let _ = el.set_selection_range(len, len);
                    }
                }
                "d" if e.ctrl_key() && el.value().is_empty() => {
                    e.prevent_default();
                    *walk.borrow_mut() = HistoryWalk::default();
                    on_eof.emit(());
                }
                "l" if e.ctrl_key() => {
                    e.prevent_default();
                    on_run.emit("clear".into());
                }
                "c" if e.ctrl_key() && el.selection_start().ok().flatten() == el.selection_end().ok().flatten() => {
                    // As in bash: the line is abandoned (shown with ^C), nothing runs.
                    e.prevent_default();
                    let line = el.value();
                    el.set_value("");
                    *walk.borrow_mut() = HistoryWalk::default();
                    on_interrupt.emit(line);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let Some(s) = session.get() else { return };
                    let history = &s.history;
                    let mut w = walk.borrow_mut();
                    let next = match (key.as_str(), w.pos) {
                        (_, _) if history.is_empty() => return,
                        ("ArrowUp", None) => {
                            w.draft = el.value();
                            Some(history.len() - 1)
                        }
                        ("ArrowUp", Some(p)) => Some(p.saturating_sub(1)),
                        (_, Some(p)) if p + 1 < history.len() => Some(p + 1),
                        (_, Some(_)) => None,
                        (_, None) => return,
                    };
                    w.pos = next;
                    let value = match next {
                        Some(p) => history.get(p).cloned().unwrap_or_default(),
                        None => std::mem::take(&mut w.draft),
                    };
                    let len = value.encode_utf16().count() as u32;
                    el.set_value(&value);
                    let _ = el.set_selection_range(len, len);
                }
                _ => {}
            }
        })
    };

    // A click on the screen (not a text selection) puts the cursor in the input line.
    let onclick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let prompt = s.prompt();
    let entries: Html = s
        .entries
        .iter()
        .map(|e| {
            let newline = if e.output.is_empty() || e.output.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            html! {
                <span key={e.id} class={classes!("entry", (e.status != 0).then_some("failed"))}>
                    <span class="prompt">{&e.prompt}</span>
                    <span class="cmd">{&e.command}</span>{"\n"}
                    <span class="out">{&e.output}{newline}</span>
                </span>
            }
        })
        .collect();
    drop(s);

    // A pasted block runs line by line, as in a terminal: every complete line (the text already
    // typed joins the first) runs in turn, not all in this handler (the page runs them in short
    // slices of tasks); an unfinished last line stays typed.
    let onpaste = {
        let on_paste = props.on_paste.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else { return };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            let Some(el) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            e.prevent_default();
            let text = format!("{}{}", el.value(), text.replace("\r\n", "\n"));
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            let rest = lines.pop().unwrap_or_default();
            el.set_value(&rest);
            on_paste.emit(lines);
        })
    };

    html! {
        <div class="terminal" ref={screen} {onclick}>
            <pre id="terminal-output" aria-live="polite">{entries}</pre>
            <div class="input-line">
                <label for="terminal-input" class="prompt">{prompt}</label>
                <input id="terminal-input" ref={input} type="text" autocomplete="off" autocapitalize="off"
                    spellcheck="false" aria-label="Command line"
                    placeholder="type a command, e.g. kubectl get svc -A (or help)" {onkeydown} {onpaste} />
            </div>
        </div>
    }
}
