//! The DNS view of the Cluster pane: every record of the cluster zone (and its reverse zone)
//! as CoreDNS's kubernetes plugin serves it (`Server::zone_records`), in dig's presentation
//! format (name, TTL, IN, type, data), grouped per namespace and Service, filterable by a text
//! box (`#dns-filter`). The selected Service's records (`Server::records_for_service`) are
//! highlighted; clicking a Service's group selects it. With a timeline event selected, the zone
//! is listed as it was then (see [`crate::snapshot`]).

use std::collections::BTreeMap;

use sdplay_core::api::Store;
use sdplay_core::dns::kubernetes::Server;
use sdplay_core::dns::{querylog, RData, Record};
use sdplay_core::model::{Kind, ObjKey, Object};
use sdplay_core::Playground;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::format::ns_rank;
use crate::session::SessionRef;
use crate::snapshot;

/// Records rendered at most (the count still says how many there are).
const MAX_RECORDS: usize = 3000;

/// The cluster DNS over `store` (the live one, or one rebuilt for a past event), with the TTL
/// and `pods` option of the Corefile in that store's `coredns` ConfigMap.
pub fn dns_server<'a>(pg: &'a Playground, store: &'a Store) -> Server<'a> {
    let corefile = match store.get(&ObjKey::new(Kind::ConfigMap, "kube-system", "coredns")) {
        Some(Object::ConfigMap(cm)) => cm.data.get("Corefile").map(String::as_str).unwrap_or(""),
        _ => "",
    };
    let settings = querylog::parse_corefile(corefile);
    Server::new(store, pg.cluster.domain(), pg.cluster.dns_serial()).with_settings(settings.ttl, settings.pods)
}

/// A record as dig prints it in the answer section.
fn columns(r: &Record) -> [String; 5] {
    [
        r.name.clone(),
        r.ttl.to_string(),
        "IN".into(),
        r.data.rtype().to_string(),
        r.data.to_string(),
    ]
}

/// The group a record belongs to: the Service whose name it is (or is under, or a PTR points
/// at); `None` for the zone's own records.
fn owner_of(r: &Record, services: &BTreeMap<String, (String, String)>) -> Option<(String, String)> {
    let mut name = match &r.data {
        RData::Ptr(t) => t.to_ascii_lowercase(),
        _ => r.name.to_ascii_lowercase(),
    };
    if !name.ends_with('.') {
        name.push('.');
    }
    let mut rest = name.as_str();
    loop {
        if let Some(o) = services.get(rest) {
            return Some(o.clone());
        }
        rest = rest.split_once('.')?.1;
        if rest.is_empty() {
            return None;
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DnsViewProps {
    pub session: SessionRef,
    pub version: u64,
    pub cursor: Option<u64>,
    pub selected: Option<ObjKey>,
    pub on_select: Callback<Option<ObjKey>>,
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
            let hit = target.closest(".dns-svc[data-name]").ok().flatten().and_then(|el| {
                Some(ObjKey::new(
                    Kind::Service,
                    &el.get_attribute("data-ns")?,
                    &el.get_attribute("data-name")?,
                ))
            });
            if hit.is_some() {
                on_select.emit(if hit == selected { None } else { hit });
            }
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let pg = &s.pg;
    let shown = snapshot::shown(&s, props.cursor);
    let store = shown.store(pg);
    let server = dns_server(pg, store);
    let zone = server.zone.clone();
    let records = server.zone_records();
    let selected_records: Vec<Record> = match &props.selected {
        Some(k) if k.kind == Kind::Service => server.records_for_service(&k.namespace, &k.name),
        _ => Vec::new(),
    };
    // Service FQDN (lower case, trailing dot) → (namespace, name).
    let services: BTreeMap<String, (String, String)> = store
        .services(None)
        .map(|svc| {
            (
                format!("{}.{}.svc.{zone}", svc.meta.name, svc.meta.namespace).to_ascii_lowercase(),
                (svc.meta.namespace.clone(), svc.meta.name.clone()),
            )
        })
        .collect();
    let banner = shown.banner(&props.on_cursor);
    drop(s);

    let needle = filter.trim().to_ascii_lowercase();
    let total = records.len();
    // namespace → Service → its records; the zone's own records apart.
    let mut zone_own: Vec<&Record> = Vec::new();
    let mut groups: BTreeMap<(u8, String), BTreeMap<String, Vec<&Record>>> = BTreeMap::new();
    let mut matched = 0usize;
    for r in &records {
        let owner = owner_of(r, &services);
        let cols = columns(r);
        let hay = match &owner {
            Some((ns, name)) => format!("{} {ns}/{name}", cols.join(" ")),
            None => cols.join(" "),
        };
        if !needle.is_empty() && !hay.to_ascii_lowercase().contains(&needle) {
            continue;
        }
        matched += 1;
        if matched > MAX_RECORDS {
            continue;
        }
        match owner {
            Some((ns, name)) => groups.entry(ns_rank(&ns)).or_default().entry(name).or_default().push(r),
            None => zone_own.push(r),
        }
    }

    let row = |r: &&Record| {
        let lit = selected_records.contains(r);
        let [name, ttl, class, rtype, data] = columns(r);
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
        .map(|((_, ns), svcs)| {
            let svc_groups: Html = svcs
                .iter()
                .map(|(name, rs)| {
                    let is_sel = selected
                        .as_ref()
                        .is_some_and(|k| k.kind == Kind::Service && k.namespace == *ns && k.name == *name);
                    html! {
                        <div key={name.clone()} class={classes!("dns-svc", is_sel.then_some("sel"))}
                            data-ns={ns.clone()} data-name={name.clone()}>
                            <div class="title"><span class="kind">{"svc"}</span>{name}</div>
                            <table class="records mono"><tbody>{ for rs.iter().map(row) }</tbody></table>
                        </div>
                    }
                })
                .collect();
            html! {
                <div key={ns.clone()} class="dns-ns">
                    <div class="title"><span class="kind">{"namespace"}</span>{ns}</div>
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
