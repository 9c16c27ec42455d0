//! The Manifests pane: one tab per file, a preset dropdown (`#preset`, opening a preset from
//! [`crate::presets`] in a tab of its own), a `<textarea id="editor">` with a line-number gutter
//! that marks the lines with problems and the source of the object selected elsewhere (diagram
//! or timeline, found by `view::source_lines`), the live problems from `view::problems` (with
//! file, line and column, each with its hint; recomputed shortly after typing stops), and the Apply button (`#apply`), which runs `kubectl apply -f <file>` through
//! the terminal.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use sdplay_core::view::{self, Problem};
use web_sys::{HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::presets::PRESETS;
use crate::session::SessionRef;

/// Quiet time after the last keystroke before diagnostics are recomputed and files saved.
const DEBOUNCE_MS: u32 = 250;
/// Diagnostics listed at most (the gutter still marks every line).
const MAX_LISTED: usize = 50;

/// Lines in the text as the gutter numbers them (a trailing newline starts a new line).
fn line_count(text: &str) -> usize {
    text.lines().count().max(1) + usize::from(text.ends_with('\n'))
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub session: SessionRef,
    /// Changes when the files were replaced or another tab was chosen.
    pub files_generation: u64,
    /// The element id whose source lines to mark (selected in the diagram or the timeline).
    pub source_of: Option<String>,
    /// Changes when the cluster changed (an object may now have an owner to follow).
    pub version: u64,
    pub on_apply: Callback<()>,
    /// The files changed: `true` when tabs changed (the page re-renders), `false` for typing.
    pub on_change: Callback<bool>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let diags = use_state(Vec::<Problem>::new);
    let lines = use_state(|| 1usize);
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    // Parsed again only when the text, the element or the cluster (its owners) changed.
    let text_now = props.session.get().map(|s| s.active_text().to_string()).unwrap_or_default();
    let source = {
        let session = props.session.clone();
        *use_memo((text_now, props.source_of.clone(), props.version), move |(text, id, _)| {
            let id = id.as_deref()?;
            session.get().and_then(|s| view::source_lines(&s.pg, text, id))
        })
    };

    // Bring the marked source into view (without taking the focus).
    {
        let textarea = textarea.clone();
        use_effect_with(source, move |source| {
            let (Some((first, _)), Some(ta)) = (source, textarea.cast::<HtmlTextAreaElement>()) else {
                return;
            };
            let total = line_count(&ta.value()) as i32;
            let line_px = ta.scroll_height() / total.max(1);
            let top = (*first as i32 - 1) * line_px;
            if top < ta.scroll_top() || top > ta.scroll_top() + ta.client_height() - 2 * line_px {
                ta.set_scroll_top((top - 3 * line_px).max(0));
            }
        });
    }

    // Recompute when the file shown changes (load, tab switch, reset).
    {
        let session = props.session.clone();
        let diags = diags.clone();
        let lines = lines.clone();
        use_effect_with(props.files_generation, move |_| {
            if let Some(s) = session.get() {
                diags.set(view::problems(&s.active_file, s.active_text()));
                lines.set(line_count(s.active_text()));
            }
        });
    }

    let oninput = {
        let session = props.session.clone();
        let diags = diags.clone();
        let lines = lines.clone();
        let on_change = props.on_change.clone();
        let pending = pending.clone();
        Callback::from(move |e: InputEvent| {
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let text = ta.value();
            let n = line_count(&text);
            if n != *lines {
                lines.set(n);
            }
            session.with_mut(|s| s.set_active_text(text));
            let session = session.clone();
            let diags = diags.clone();
            let on_change = on_change.clone();
            // Replacing the timeout cancels the previous one.
            *pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                if let Some(s) = session.get() {
                    diags.set(view::problems(&s.active_file, s.active_text()));
                }
                on_change.emit(false);
            }));
        })
    };

    // Keep the gutter scrolled with the text.
    let onscroll = {
        let gutter = gutter.clone();
        let textarea = textarea.clone();
        Callback::from(move |_: Event| {
            if let (Some(g), Some(t)) = (gutter.cast::<HtmlElement>(), textarea.cast::<HtmlElement>()) {
                g.set_scroll_top(t.scroll_top());
            }
        })
    };

    // Tab inserts two spaces instead of leaving the editor.
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Tab" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key() {
            if let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() {
                e.prevent_default();
                let start = ta.selection_start().ok().flatten().unwrap_or(0);
                let end = ta.selection_end().ok().flatten().unwrap_or(start);
                let _ = ta.set_range_text_with_start_and_end_and_mode("  ", start, end, "end");
                // set_range_text does not fire `input`; tell the editor ourselves.
                if let Ok(ev) = web_sys::InputEvent::new("input") {
                    let _ = ta.dispatch_event(&ev);
                }
            }
        }
    });

    let jump_to = {
        let textarea = textarea.clone();
        move |line: usize| {
            let textarea = textarea.clone();
            Callback::from(move |_: MouseEvent| {
                let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else { return };
                let text = ta.value();
                let start: usize = text
                    .split_inclusive('\n')
                    .take(line.saturating_sub(1))
                    .map(|l| l.encode_utf16().count())
                    .sum();
                let len = text
                    .split('\n')
                    .nth(line.saturating_sub(1))
                    .map(|l| l.encode_utf16().count())
                    .unwrap_or(0);
                let _ = ta.focus();
                let _ = ta.set_selection_range(start as u32, (start + len) as u32);
                let total = text.lines().count().max(1) as i32;
                let line_px = ta.scroll_height() / total;
                ta.set_scroll_top((line as i32 - 4).max(0) * line_px);
            })
        }
    };

    let Some(s) = props.session.get() else { return html! {} };
    let active = s.active_file.clone();
    let text = s.active_text().to_string();
    let names: Vec<String> = s.files.keys().cloned().collect();
    drop(s);

    let tab = |name: &String| {
        let session = props.session.clone();
        let on_change = props.on_change.clone();
        let n = name.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            session.with_mut(|s| s.select_file(&n));
            on_change.emit(true);
        });
        let current = *name == active;
        html! {
            <button key={name.clone()} class={classes!("tab", current.then_some("current"))} role="tab"
                aria-selected={current.to_string()} {onclick}>{name}</button>
        }
    };
    let structural = |f: fn(&mut crate::session::Session)| {
        let session = props.session.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            session.with_mut(f);
            on_change.emit(true);
        })
    };
    let on_preset = {
        let session = props.session.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let name = sel.value();
            // Back to the placeholder, so choosing the same preset again reloads it.
            sel.set_value("");
            if session.with_mut(|s| s.load_preset(&name)) == Some(true) {
                on_change.emit(true);
            }
        })
    };
    let bad_lines: BTreeSet<usize> = diags.iter().map(|d| d.line).collect();
    // Runs of unmarked line numbers are one text node each, so a pasted file of 100,000 lines
    // costs a few nodes, not one per line.
    let mut gutter_text: Vec<Html> = Vec::new();
    let mut plain = String::new();
    for n in 1..=*lines {
        let src = source.is_some_and(|(a, b)| (a..=b).contains(&n));
        let class = match (bad_lines.contains(&n), src) {
            (true, _) => "bad",
            (false, true) => "src",
            (false, false) => {
                plain.push_str(&format!("{n}\n"));
                continue;
            }
        };
        if !plain.is_empty() {
            gutter_text.push(html! { {std::mem::take(&mut plain)} });
        }
        gutter_text.push(html! { <span {class}>{n}{"\n"}</span> });
    }
    if !plain.is_empty() {
        gutter_text.push(html! { {plain} });
    }
    let apply = props.on_apply.reform(|_: MouseEvent| ());

    html! {
        <div class="editor">
            <div class="tabs" role="tablist">
                { for names.iter().map(tab) }
                <button class="tab tab-tool" title="New file" onclick={structural(|s| s.new_file())}>{"+"}</button>
                <span class="spacer" />
                <select id="preset" class="preset" onchange={on_preset} aria-label="Open a preset"
                    title="Open a preset manifest in a tab of its own (replacing that tab's text)">
                    <option value="" selected=true>{"Presets…"}</option>
                    { for PRESETS.iter().map(|(file, _, about)| html! {
                        <option value={*file}>{format!("{file} — {about}")}</option>
                    }) }
                </select>
            </div>
            <div class="code">
                <pre class="gutter" ref={gutter} aria-hidden="true">{for gutter_text}</pre>
                <textarea id="editor" ref={textarea} spellcheck="false" wrap="off" autocapitalize="off"
                    autocomplete="off" aria-label={format!("Manifest {active}")} data-file={active.clone()}
                    value={text} {oninput} {onscroll} {onkeydown} />
            </div>
            <div class="editor-actions">
                <button id="apply" class="primary" onclick={apply} title={format!("Runs kubectl apply -f {active} in the terminal")}>
                    {"Apply"}
                </button>
                <span class="hint">{format!("kubectl apply -f {active}")}</span>
                <span class="spacer" />
                <button class="quiet" title={if crate::presets::find(&active).is_some() {
                        format!("Put the preset {active} back into this file")
                    } else {
                        "Put the chapter's sd-example.yml back into this file".to_string()
                    }}
                    onclick={structural(|s| s.reset_active_file())}>{"Reset"}</button>
                if names.len() > 1 {
                    <button class="quiet" title="Close this file" onclick={structural(|s| s.close_active_file())}>{"Close file"}</button>
                }
            </div>
            <ul class={classes!("diagnostics", diags.is_empty().then_some("ok"))} aria-live="polite">
                if diags.is_empty() {
                    <li class="ok">{"✓ no problems found"}</li>
                }
                { for diags.iter().take(MAX_LISTED).map(|d| html! {
                    // A hint (the likely cause, beyond kubectl's words) under its problem; a
                    // problem that is only a hint is marked as such.
                    <li class={classes!((d.severity == view::Severity::Hint).then_some("only-hint"))}
                        onclick={jump_to(d.line)} title="Show this line">
                        {&d.text}
                        if let Some(h) = &d.hint {
                            <div class="problem-hint">{h}</div>
                        }
                    </li>
                }) }
                if diags.len() > MAX_LISTED {
                    <li>{format!("… and {} more", diags.len() - MAX_LISTED)}</li>
                }
            </ul>
        </div>
    }
}
