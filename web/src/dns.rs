//! The DNS view of the Cluster pane: every record of the cluster zone (and its reverse zone)
//! as the serving CoreDNS answers it (`view::View::dns`: the Corefile its Pod loaded, so an
//! edited ConfigMap shows only from CoreDNS's reload on, as `dig` sees it), in dig's
//! presentation format (name, TTL, IN, type, data), grouped per namespace and Service as the
//! view groups them, filterable by a text box (`#dns-filter`). The selected Service's records
//! (`View::records_of`) are highlighted; clicking a Service's group selects it. With a timeline
//! event selected, the zone is listed as it was then (see [`crate::snapshot`]).

use sdplay_core::view::{RecordView, View};
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::session::SessionRef;
use crate::snapshot;

/// Records rendered at most (the count still says how many there are).
const MAX_RECORDS: usize = 3000;

/// A Service's group as drawn: its id, its name and the records that pass the filter.
type Shown<'a> = (&'a str, &'a str, Vec<&'a RecordView>);

#[derive(Properties, PartialEq)]
pub struct DnsViewProps {
    pub session: SessionRef,
    pub version: u64,
    pub cursor: Option<u64>,
    /// The selected element's id.
    pub selected: Option<String>,
    pub on_select: Callback<Option<String>>,
    pub on_cursor: Callback<Option<u64>>,
}

#[component]
pub fn DnsView(props: &DnsViewProps) -> Html {
    let filter = use_state(String::new);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(i.value());
            }
        })
    };
    // A click in a Service's group selects that Service (again: deselects).
    let onclick = {
        let on_select = props.on_select.clone();
        let selected = props.selected.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(target) = e.target_dyn_into::<Element>() else { return };
            let hit = target
                .closest(".dns-svc[data-id]")
                .ok()
                .flatten()
                .and_then(|el| el.get_attribute("data-id"));
            if hit.is_some() {
                on_select.emit(if hit == selected { None } else { hit });
            }
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let view = View::at(&s.pg, props.cursor);
    let dns = view.dns();
    let selected_records: Vec<RecordView> = props.selected.as_deref().map(|id| view.records_of(id)).unwrap_or_default();
    let start_ms = s.start_ms();
    drop(view);
    drop(s);
    let banner = snapshot::banner(&dns.when, start_ms, &props.on_cursor);
    let zone = dns.zone.clone();

    let needle = filter.trim().to_ascii_lowercase();
    let total = dns.total;
    // Filter (by the record's columns and its namespace/service) and cap what is drawn.
    let mut matched = 0usize;
    let mut keep = |r: &RecordView, owner: Option<(&str, &str)>| {
        let cols = r.columns().join(" ");
        let hay = match owner {
            Some((ns, name)) => format!("{cols} {ns}/{name}"),
            None => cols,
        };
        if !needle.is_empty() && !hay.to_ascii_lowercase().contains(&needle) {
            return false;
        }
        matched += 1;
        matched <= MAX_RECORDS
    };
    let zone_own: Vec<&RecordView> = dns.zone_records.iter().filter(|r| keep(r, None)).collect();
    let groups: Vec<(&str, Vec<Shown<'_>>)> = dns
        .namespaces
        .iter()
        .map(|ns| {
            let svcs = ns
                .services
                .iter()
                .map(|svc| {
                    let rs: Vec<&RecordView> = svc.records.iter().filter(|r| keep(r, Some((&svc.namespace, &svc.name)))).collect();
                    (svc.id.as_str(), svc.name.as_str(), rs)
                })
                .filter(|(_, _, rs)| !rs.is_empty())
                .collect::<Vec<_>>();
            (ns.name.as_str(), svcs)
        })
        .filter(|(_, svcs)| !svcs.is_empty())
        .collect();

    let row = |r: &&RecordView| {
        let lit = selected_records.contains(r);
        let [name, ttl, class, rtype, data] = r.columns();
        html! {
            <tr class={classes!("rr", lit.then_some("sel"))}>
                <td class="rr-name">{name}</td><td class="rr-ttl">{ttl}</td><td>{class}</td>
                <td class="rr-type">{rtype}</td><td class="rr-data">{data}</td>
            </tr>
        }
    };
    let selected = props.selected.clone();
    let ns_groups: Html = groups
        .iter()
        .map(|(ns, svcs)| {
            let svc_groups: Html = svcs
                .iter()
                .map(|(id, name, rs)| {
                    let is_sel = selected.as_deref() == Some(*id);
                    html! {
                        <div key={name.to_string()} class={classes!("dns-svc", is_sel.then_some("sel"))}
                            data-id={id.to_string()} data-ns={ns.to_string()} data-name={name.to_string()}>
                            <div class="title"><span class="kind">{"svc"}</span>{name.to_string()}</div>
                            <table class="records mono"><tbody>{ for rs.iter().map(row) }</tbody></table>
                        </div>
                    }
                })
                .collect();
            html! {
                <div key={ns.to_string()} class="dns-ns">
                    <div class="title"><span class="kind">{"namespace"}</span>{ns.to_string()}</div>
                    {svc_groups}
                </div>
            }
        })
        .collect();
    let count = if needle.is_empty() {
        format!("{total} records in {zone}")
    } else {
        format!("{matched} of {total} records")
    };

    html! {
        <div class="dns-view" {onclick}>
            {banner}
            <div class="dns-tools">
                <input id="dns-filter" type="search" value={(*filter).clone()} {oninput} autocomplete="off"
                    spellcheck="false" placeholder="filter: name, type, IP, namespace/service" aria-label="Filter DNS records" />
                <span class="dim">{count}</span>
            </div>
            if !zone_own.is_empty() {
                <div class="dns-ns zone">
                    <div class="title"><span class="kind">{"zone"}</span>{zone.clone()}</div>
                    <table class="records mono"><tbody>{ for zone_own.iter().map(row) }</tbody></table>
                </div>
            }
            {ns_groups}
            if matched == 0 {
                <p class="dim">{if needle.is_empty() { "no records" } else { "no record matches the filter" }}</p>
            }
            if matched > MAX_RECORDS {
                <p class="dim">{format!("{} more not shown; narrow the filter", matched - MAX_RECORDS)}</p>
            }
            <p class="legend dim">{"What CoreDNS's kubernetes plugin answers, as dig prints it. "}
                {"Click a Service to select it; its records are "}<span class="sel-sample">{"highlighted"}</span>{"."}</p>
        </div>
    }
}
