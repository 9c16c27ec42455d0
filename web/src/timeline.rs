//! The Timeline pane: the trace as an `<ol id="timeline">`, newest at the bottom, each event
//! with its step label (registration step N / discovery hop / controller), its summary and its
//! "why". A cursor (`#step-back` / `#step-forward`, or a click on an event) selects one event;
//! the diagram highlights that event's objects. Only the last [`MAX_SHOWN`] events are rendered.

use sdplay_core::{Step, TraceEvent};
use web_sys::{Element, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use crate::format::clock_label;
use crate::session::SessionRef;

/// Events rendered at most (older ones stay in the core's trace).
pub const MAX_SHOWN: usize = 500;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub session: SessionRef,
    pub version: u64,
    /// The selected event (`seq`), if any.
    pub cursor: Option<u64>,
    pub on_cursor: Callback<Option<u64>>,
}

/// The CSS class of an event's kind.
pub fn kind_class(step: &Step) -> &'static str {
    match step {
        Step::Registration(_) => "registration",
        Step::Discovery(_) => "discovery",
        Step::Controller(_) => "controller",
    }
}

/// Which kinds of event are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Filter {
    registration: bool,
    discovery: bool,
    controller: bool,
}

impl Filter {
    fn shows(self, e: &TraceEvent) -> bool {
        match e.step() {
            Step::Registration(_) => self.registration,
            Step::Discovery(_) => self.discovery,
            Step::Controller(_) => self.controller,
        }
    }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let list = use_node_ref();
    let filter = use_state(|| Filter {
        registration: true,
        discovery: true,
        controller: true,
    });

    // Whether the list follows new events: until the learner scrolls up to read.
    let follow = use_mut_ref(|| true);

    // Follow new events (when no event is selected), or bring the selected one into view.
    {
        let list = list.clone();
        let follow = follow.clone();
        use_effect_with((props.version, props.cursor, *filter), move |(_, cursor, _)| {
            let Some(ol) = list.cast::<Element>() else { return };
            match cursor {
                None if *follow.borrow() => ol.set_scroll_top(ol.scroll_height()),
                None => {}
                Some(seq) => {
                    if let Ok(Some(li)) = ol.query_selector(&format!("li[data-seq=\"{seq}\"]")) {
                        let opts = ScrollIntoViewOptions::new();
                        opts.set_block(ScrollLogicalPosition::Nearest);
                        li.scroll_into_view_with_scroll_into_view_options(&opts);
                    }
                }
            }
        });
    }
    let onscroll = {
        let follow = follow.clone();
        Callback::from(move |e: Event| {
            if let Some(ol) = e.target_dyn_into::<Element>() {
                *follow.borrow_mut() = ol.scroll_top() + ol.client_height() >= ol.scroll_height() - 24;
            }
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let start_ms = s.start_ms();
    let trace = s.pg.trace();
    let f = *filter;
    // The window: the last MAX_SHOWN events that pass the filter, oldest first.
    let mut shown: Vec<&TraceEvent> = trace.iter().rev().filter(|e| f.shows(e)).take(MAX_SHOWN).collect();
    shown.reverse();
    let hidden_before = trace.iter().filter(|e| f.shows(e)).count() - shown.len();
    let seqs: Vec<u64> = shown.iter().map(|e| e.seq).collect();
    let position = props.cursor.and_then(|c| seqs.iter().position(|&s| s == c));

    let items: Html = shown
        .iter()
        .map(|e| {
            let current = Some(e.seq) == props.cursor;
            let when = if e.time.0 < start_ms {
                "boot".to_string()
            } else {
                clock_label(e.time.0 - start_ms)
            };
            html! {
                <li key={e.seq} data-seq={e.seq.to_string()}
                    class={classes!("event", kind_class(&e.step()), current.then_some("current"))}
                    aria-current={current.then_some("step")}>
                    <div class="event-head">
                        <span class="event-time">{when}</span>
                        <span class="event-step">{e.step().to_string()}</span>
                    </div>
                    <div class="event-summary">{e.summary()}</div>
                    <div class="event-why">{e.why()}</div>
                    if let Some(c) = e.correction() {
                        <div class="event-correction" title="where the chapter differs from a real cluster">{c}</div>
                    }
                </li>
            }
        })
        .collect();
    drop(s);

    // One listener for the whole list: a click selects the event it landed in.
    let onclick = {
        let on_cursor = props.on_cursor.clone();
        let cursor = props.cursor;
        Callback::from(move |e: MouseEvent| {
            let li = e
                .target_dyn_into::<Element>()
                .and_then(|t| t.closest("li[data-seq]").ok().flatten());
            if let Some(seq) = li.and_then(|li| li.get_attribute("data-seq")).and_then(|s| s.parse::<u64>().ok()) {
                on_cursor.emit(if cursor == Some(seq) { None } else { Some(seq) });
            }
        })
    };
    let step = |delta: i64| {
        let on_cursor = props.on_cursor.clone();
        let seqs = seqs.clone();
        Callback::from(move |_: MouseEvent| {
            if seqs.is_empty() {
                return;
            }
            let last = seqs.len() - 1;
            let next = match position {
                // From "live", back goes to the newest event and forward to the oldest shown.
                None if delta < 0 => last,
                None => 0,
                Some(p) => (p as i64 + delta).clamp(0, last as i64) as usize,
            };
            on_cursor.emit(seqs.get(next).copied());
        })
    };
    let live = {
        let on_cursor = props.on_cursor.clone();
        let follow = follow.clone();
        Callback::from(move |_: MouseEvent| {
            *follow.borrow_mut() = true;
            on_cursor.emit(None);
        })
    };
    let toggle = |which: fn(&mut Filter) -> &mut bool| {
        let filter = filter.clone();
        Callback::from(move |_: Event| {
            let mut f = *filter;
            let b = which(&mut f);
            *b = !*b;
            filter.set(f);
        })
    };
    let status = match position {
        // An event is named by its seq, as the Cluster and DNS views' banner names it.
        Some(p) => format!("event {} · {} of {}", seqs.get(p).copied().unwrap_or(0), p + 1, seqs.len()),
        None => format!("{} events · live", seqs.len() + hidden_before),
    };

    html! {
        <div class="timeline">
            <h2>
                {"Timeline"}
                <span class="pane-tools">
                    <span class="timeline-status">{status}</span>
                    <button id="step-back" onclick={step(-1)} title="Previous event">{"◀"}</button>
                    <button id="step-forward" onclick={step(1)} title="Next event">{"▶"}</button>
                    <button class="quiet" onclick={live} title="Deselect and follow new events">{"live"}</button>
                </span>
            </h2>
            <div class="timeline-filters">
                <label class="registration"><input type="checkbox" checked={f.registration}
                    onchange={toggle(|f| &mut f.registration)} />{"registration"}</label>
                <label class="discovery"><input type="checkbox" checked={f.discovery}
                    onchange={toggle(|f| &mut f.discovery)} />{"discovery"}</label>
                <label class="controller"><input type="checkbox" checked={f.controller}
                    onchange={toggle(|f| &mut f.controller)} />{"controllers"}</label>
            </div>
            <ol id="timeline" ref={list} {onclick} {onscroll}>
                if hidden_before > 0 {
                    <li class="event elided">{format!("{hidden_before} earlier events not shown")}</li>
                }
                {items}
            </ol>
        </div>
    }
}
