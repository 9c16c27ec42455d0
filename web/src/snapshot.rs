//! The banner over the Cluster and DNS views saying which cluster they draw. The core's
//! `view::View::at` decides that (the live cluster, the cluster right after the timeline's
//! selected event, or live because that event is too old for the store's undo log); this
//! module only names the moment, by the event's `seq`, its time since the session began and
//! its step (as the timeline's status does), with a button back to live.

use sdplay_core::view::When;
use yew::prelude::*;

use crate::format::clock_label;

/// A trace time as the page shows it: since the session began (`boot` before).
fn when_label(time_ms: Option<u64>, start_ms: u64) -> String {
    match time_ms {
        Some(t) if t < start_ms => "boot".to_string(),
        Some(t) => clock_label(t - start_ms),
        None => "?".into(),
    }
}

/// The banner above a view (nothing when live).
pub fn banner(when: &When, start_ms: u64, on_live: &Callback<Option<u64>>) -> Html {
    let back = {
        let on_live = on_live.clone();
        Callback::from(move |_: MouseEvent| on_live.emit(None))
    };
    let button = html! {
        <button class="back-to-live" onclick={back} title="Deselect the timeline event and show the cluster now">
            {"back to live"}</button>
    };
    match when {
        When::Live => html! {},
        When::At(m) => html! {
            <div class="snapshot-banner" role="status" title={m.summary.clone()}>
                {format!("showing the cluster right after event {} ({}, {}) — ", m.seq, when_label(Some(m.time_ms), start_ms), m.step)}
                {button}
            </div>
        },
        When::Gone { seq, time_ms } => html! {
            <div class="snapshot-banner gone" role="status">
                {format!("event {seq} ({}) is too old to rebuild (only recent changes are kept); showing the live cluster — ",
                    when_label(*time_ms, start_ms))}
                {button}
            </div>
        },
    }
}
