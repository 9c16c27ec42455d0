//! Which cluster the Cluster and DNS views draw: the live one, or (when the timeline has an
//! event selected) the store as it was at that event, rebuilt by `Playground::store_at` from
//! the store's undo log: the cluster right after that event. A banner says which, naming the
//! event by its `seq` and its step (as the timeline's status does), with a button back to live;
//! an event too old for the undo log is said to be so, and the live cluster is drawn instead.

use sdplay_core::api::Store;
use sdplay_core::Playground;
use yew::prelude::*;

use crate::format::clock_label;
use crate::session::Session;

/// The cluster a view shows.
pub enum Shown {
    Live,
    /// The store as it was at trace event `seq`.
    At {
        seq: u64,
        when: String,
        step: String,
        summary: String,
        store: Box<Store>,
    },
    /// Event `seq` is selected but its state (or the event) is no longer retained.
    Gone {
        seq: u64,
        when: String,
    },
}

/// What to show for the timeline cursor.
pub fn shown(s: &Session, cursor: Option<u64>) -> Shown {
    let Some(seq) = cursor else { return Shown::Live };
    let event = s.pg.cluster.trace().get(seq);
    let when = event
        .map(|e| {
            if e.time.0 < s.start_ms() {
                "boot".to_string()
            } else {
                clock_label(e.time.0 - s.start_ms())
            }
        })
        .unwrap_or_else(|| "?".into());
    match (event, s.pg.store_at(seq)) {
        (Some(e), Some(store)) => Shown::At {
            seq,
            when,
            step: e.step().to_string(),
            summary: e.summary(),
            store: Box::new(store),
        },
        _ => Shown::Gone { seq, when },
    }
}

impl Shown {
    /// The store to draw: the rebuilt one, else the live one.
    pub fn store<'a>(&'a self, pg: &'a Playground) -> &'a Store {
        match self {
            Shown::At { store, .. } => store,
            _ => pg.cluster.store(),
        }
    }

    /// Whether the live cluster is drawn (so live-only state, e.g. proxy tables, applies).
    pub fn is_live(&self) -> bool {
        !matches!(self, Shown::At { .. })
    }

    /// The banner above a view (nothing when live).
    pub fn banner(&self, on_live: &Callback<Option<u64>>) -> Html {
        let back = {
            let on_live = on_live.clone();
            Callback::from(move |_: MouseEvent| on_live.emit(None))
        };
        let button = html! {
            <button class="back-to-live" onclick={back} title="Deselect the timeline event and show the cluster now">
                {"back to live"}</button>
        };
        match self {
            Shown::Live => html! {},
            Shown::At {
                seq, when, step, summary, ..
            } => html! {
                <div class="snapshot-banner" role="status" title={summary.clone()}>
                    {format!("showing the cluster right after event {seq} ({when}, {step}) — ")}{button}
                </div>
            },
            Shown::Gone { seq, when } => html! {
                <div class="snapshot-banner gone" role="status">
                    {format!("event {seq} ({when}) is too old to rebuild (only recent changes are kept); showing the live cluster — ")}
                    {button}
                </div>
            },
        }
    }
}
