//! The Cluster pane: a diagram drawn from the store as HTML boxes. Nodes (name, IP, Pod
//! CIDR, kube-proxy and its mode), then each namespace as an address space: its Services (name,
//! type, ClusterIP, ports → Endpoints addresses), its workloads, and its Pods (IP, node, phase,
//! labels). kube-dns (CoreDNS) sits in kube-system. Clicking a Service or Pod selects it: it
//! and what it is wired to are highlighted, and a details box shows its labels, IPs, DNS records
//! (as the core's CoreDNS answers them) and IPVS rules. The objects of the timeline's selected
//! event are highlighted too.
//!
//! With a timeline event selected, the diagram shows the cluster as it was at that event
//! (`Playground::store_at`, see [`crate::snapshot`]) under a banner leading back to live; proxy
//! tables exist only for now, so they are left out then.
//!
//! Read-only: everything shown comes from `pg.cluster` (store, proxy tables, DNS records).

use std::collections::BTreeSet;

use sdplay_core::api::Store;
use sdplay_core::model::{Kind, ObjKey, Object, Pod, Service};
use sdplay_core::{Playground, ProxyMode};
use web_sys::Element;
use yew::prelude::*;

use crate::format::ns_rank;
use crate::session::SessionRef;
use crate::snapshot;

/// Pods drawn per namespace at most.
const MAX_PODS: usize = 60;
/// Services drawn per namespace at most.
const MAX_SERVICES: usize = 60;
/// Endpoint addresses listed per Service at most.
const MAX_ADDRS: usize = 12;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub session: SessionRef,
    pub version: u64,
    /// The timeline's selected event.
    pub cursor: Option<u64>,
    pub selected: Option<ObjKey>,
    pub on_select: Callback<Option<ObjKey>>,
    /// Move the timeline cursor (the banner's "back to live" sends `None`).
    pub on_cursor: Callback<Option<u64>>,
}

/// Why a box is lit.
struct Marks {
    /// Objects of the selected timeline event (and the boxes that stand for them).
    event: BTreeSet<ObjKey>,
    selected: Option<ObjKey>,
    /// What the selected object is wired to (a Service's endpoint Pods, a Pod's Services).
    related: BTreeSet<ObjKey>,
}

impl Marks {
    fn classes(&self, key: &ObjKey) -> Classes {
        classes!(
            self.event.contains(key).then_some("hl"),
            (self.selected.as_ref() == Some(key)).then_some("sel"),
            self.related.contains(key).then_some("rel"),
        )
    }
}

fn key(kind: Kind, ns: &str, name: &str) -> ObjKey {
    ObjKey::new(kind, ns, name)
}

/// The Pods a Service's EndpointSlices point at (ready or not).
pub(crate) fn endpoint_pods(store: &Store, svc: &Service) -> Vec<ObjKey> {
    let ns = &svc.meta.namespace;
    store
        .slices_of(ns, &svc.meta.name)
        .flat_map(|s| s.endpoints.iter())
        .filter_map(|e| e.target.as_ref().map(|t| key(Kind::Pod, ns, t)))
        .collect()
}

fn marks(pg: &Playground, store: &Store, cursor: Option<u64>, selected: Option<&ObjKey>) -> Marks {
    let mut event = BTreeSet::new();
    if let Some(e) = cursor.and_then(|c| pg.cluster.trace().get(c)) {
        for k in &e.objects() {
            event.insert(k.clone());
            match k.kind {
                // The Endpoints (and slices) box is drawn inside its Service's box.
                Kind::Endpoints => {
                    event.insert(key(Kind::Service, &k.namespace, &k.name));
                }
                Kind::EndpointSlice => {
                    if let Some(svc) = store.get(k).and_then(|o| o.meta().labels.get("kubernetes.io/service-name")) {
                        event.insert(key(Kind::Service, &k.namespace, svc));
                        event.insert(key(Kind::Endpoints, &k.namespace, svc));
                    }
                }
                _ => {}
            }
        }
    }
    let mut related = BTreeSet::new();
    if let Some(sel) = selected {
        match sel.kind {
            Kind::Service => {
                if let Some(svc) = store.service(&sel.namespace, &sel.name) {
                    related.extend(endpoint_pods(store, svc));
                }
            }
            Kind::Pod => {
                for svc in store.services(Some(&sel.namespace)) {
                    if endpoint_pods(store, svc).contains(sel) {
                        related.insert(key(Kind::Service, &svc.meta.namespace, &svc.meta.name));
                    }
                }
            }
            _ => {}
        }
    }
    Marks {
        event,
        selected: selected.cloned(),
        related,
    }
}

fn pod_status(p: &Pod) -> String {
    if p.is_terminating() {
        "Terminating".into()
    } else if let Some(r) = &p.status.waiting_reason {
        r.clone()
    } else {
        p.status.phase.as_str().into()
    }
}

fn service_ports(svc: &Service) -> String {
    svc.spec
        .ports
        .iter()
        .map(|p| {
            let node = p.node_port.map(|n| format!(":{n}")).unwrap_or_default();
            let target = p.target_port.to_string();
            let arrow = if target == p.port.to_string() {
                String::new()
            } else {
                format!("→{target}")
            };
            format!("{}{node}/{}{arrow}", p.port, p.protocol.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn cluster_ip(svc: &Service) -> String {
    match (&svc.spec.external_name, svc.cluster_ip()) {
        (Some(n), _) => format!("→ {n}"),
        (None, Some(ip)) => ip.to_string(),
        (None, None) if svc.is_headless() => "None (headless)".into(),
        _ => "<pending>".into(),
    }
}

#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let root = use_node_ref();

    // One listener for the whole diagram: a click selects the box it landed in (or clears).
    let onclick = {
        let on_select = props.on_select.clone();
        let selected = props.selected.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(target) = e.target_dyn_into::<Element>() else { return };
            if target.closest(".details").ok().flatten().is_some() {
                return;
            }
            let hit = target.closest("[data-kind]").ok().flatten().and_then(|el| {
                let kind = match el.get_attribute("data-kind")?.as_str() {
                    "Service" => Kind::Service,
                    "Pod" => Kind::Pod,
                    _ => return None,
                };
                Some(key(kind, &el.get_attribute("data-ns")?, &el.get_attribute("data-name")?))
            });
            on_select.emit(if hit == selected { None } else { hit });
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let pg = &s.pg;
    let shown = snapshot::shown(&s, props.cursor);
    let store = shown.store(pg);
    let live = shown.is_live();
    let m = marks(pg, store, props.cursor, props.selected.as_ref());

    let nodes: Html = store
        .nodes()
        .map(|n| {
            let k = key(Kind::Node, "", &n.meta.name);
            let vs = pg.cluster.proxy().virtual_server_count(&n.meta.name);
            let mode = pg.cluster.proxy().mode(&n.meta.name);
            let proxy_detail = match mode {
                _ if !live => "rules: see live".to_string(),
                ProxyMode::Ipvs => format!(
                    "{vs} virtual servers, {} addresses on kube-ipvs0",
                    pg.cluster.proxy().kube_ipvs0_addrs(&n.meta.name).len()
                ),
                other => format!("{other} rules"),
            };
            html! {
                <div class={classes!("node", m.classes(&k))}>
                    <div class="title">
                        <span class="kind">{"node"}</span>{&n.meta.name}
                        if n.control_plane { <span class="badge">{"control-plane"}</span> }
                    </div>
                    <div class="mono">{format!("{} · pods {}", n.internal_ip, n.pod_cidr_string().unwrap_or_else(|| "none (NotReady)".into()))}</div>
                    <div class="proxy" title="kube-proxy runs on every node and programs the Service rules in its kernel">
                        {"kube-proxy · "}<b>{mode.as_str()}</b>{" · "}{proxy_detail}
                    </div>
                </div>
            }
        })
        .collect();

    let mut namespaces: Vec<String> = store.list(Kind::Namespace, None).map(|o| o.meta().name.clone()).collect();
    namespaces.sort_by_key(|n| ns_rank(n));

    let ns_boxes: Html = namespaces
        .iter()
        .map(|ns| {
            let nk = key(Kind::Namespace, "", ns);
            let services: Vec<&Service> = store.services(Some(ns)).collect();
            let pods: Vec<&Pod> = store.pods(Some(ns)).collect();
            let workloads: Vec<(ObjKey, String)> = store
                .list(Kind::Deployment, Some(ns))
                .chain(store.list(Kind::DaemonSet, Some(ns)))
                .map(|o| {
                    let (label, ready, want) = match o {
                        Object::Deployment(d) => ("deploy", d.status.ready, d.replicas),
                        Object::DaemonSet(d) => ("ds", d.status.ready, d.status.replicas),
                        _ => ("", 0, 0),
                    };
                    (o.key(), format!("{label}/{} {ready}/{want}", o.meta().name))
                })
                .collect();
            if services.is_empty() && pods.is_empty() {
                return html! {
                    <div key={ns.clone()} class={classes!("ns", "empty", m.classes(&nk))}>
                        <div class="title"><span class="kind">{"namespace"}</span>{ns}<span class="dim">{" · empty"}</span></div>
                    </div>
                };
            }
            let svc_cards: Html = services
                .iter()
                .take(MAX_SERVICES)
                .map(|svc| {
                    let k = key(Kind::Service, ns, &svc.meta.name);
                    let ek = key(Kind::Endpoints, ns, &svc.meta.name);
                    // What kube-proxy and CoreDNS read: the Service's EndpointSlices.
                    let addrs: Vec<(String, bool)> = store
                        .slices_of(ns, &svc.meta.name)
                        .flat_map(|sl| {
                            let port = sl.ports.first().map(|p| format!(":{}", p.port)).unwrap_or_default();
                            sl.endpoints.iter().filter_map(move |e| {
                                let ip = e.addresses.first()?;
                                Some((format!("{ip}{port}"), e.conditions.is_ready()))
                            })
                        })
                        .collect();
                    let dns = ns == "kube-system" && svc.meta.name == "kube-dns";
                    let eps: Html = if svc.spec.selector.is_none() && addrs.is_empty() {
                        html! { <span class="dim">{"no selector: EndpointSlices (or Endpoints, mirrored) are written by hand"}</span> }
                    } else if addrs.is_empty() {
                        html! { <span class="warn">{"<none>: no ready Pod matches the selector"}</span> }
                    } else {
                        let more = addrs.len().saturating_sub(MAX_ADDRS);
                        html! {
                            <>
                                { for addrs.iter().take(MAX_ADDRS).map(|(a, ready)| html! {
                                    <span class={classes!("addr", (!ready).then_some("not-ready"))}
                                        title={if *ready { "ready" } else { "not ready" }}>{a}</span>
                                }) }
                                if more > 0 { <span class="dim">{format!("+{more} more")}</span> }
                            </>
                        }
                    };
                    html! {
                        <div key={svc.meta.name.clone()} class={classes!("svc", m.classes(&k))}
                            data-kind="Service" data-ns={ns.clone()} data-name={svc.meta.name.clone()}>
                            <div class="title">
                                <span class="kind">{"svc"}</span>{&svc.meta.name}
                                <span class="badge">{svc.spec.type_.as_str()}</span>
                                if dns { <span class="badge dns" title="the cluster DNS: CoreDNS Pods behind this Service">{"CoreDNS"}</span> }
                            </div>
                            <div class="mono">{cluster_ip(svc)}{"  "}<span class="dim">{service_ports(svc)}</span></div>
                            <div class={classes!("eps", m.classes(&ek))}><span class="kind">{"endpoints"}</span>{eps}</div>
                        </div>
                    }
                })
                .collect();
            let pod_cards: Html = pods
                .iter()
                .take(MAX_PODS)
                .map(|p| {
                    let k = key(Kind::Pod, ns, &p.meta.name);
                    let owner_lit = p.meta.owner.as_ref().is_some_and(|o| m.event.contains(&key(o.kind, ns, &o.name)));
                    let ip = p.status.pod_ip.map(|ip| ip.to_string()).unwrap_or_else(|| "<no IP yet>".into());
                    let node = p.spec.node_name.clone().unwrap_or_else(|| "<unscheduled>".into());
                    let status = pod_status(p);
                    let ready = p.status.ready;
                    html! {
                        <div key={p.meta.name.clone()} class={classes!("pod", m.classes(&k), owner_lit.then_some("hl"),
                                (!ready).then_some("not-ready"), p.spec.host_network.then_some("host-net"))}
                            data-kind="Pod" data-ns={ns.clone()} data-name={p.meta.name.clone()}>
                            <div class="title"><span class="kind">{"pod"}</span>{&p.meta.name}</div>
                            <div class="mono">{ip}<span class="dim">{format!(" · {node} · ")}</span>
                                <span class={classes!("phase", status.to_lowercase())}>{status}</span></div>
                            <div class="labels">
                                { for p.meta.labels.iter().filter(|(k, _)| *k != "pod-template-hash").map(|(k, v)| html! {
                                    <span class="label">{format!("{k}={v}")}</span>
                                }) }
                            </div>
                        </div>
                    }
                })
                .collect();
            let more_pods = pods.len().saturating_sub(MAX_PODS);
            html! {
                <div key={ns.clone()} class={classes!("ns", m.classes(&nk))}>
                    <div class="title"><span class="kind">{"namespace"}</span>{ns}
                        <span class="dim">{format!(" · {} svc · {} pods", services.len(), pods.len())}</span></div>
                    if !workloads.is_empty() {
                        <div class="workloads">
                            { for workloads.iter().map(|(k, label)| html! {
                                <span class={classes!("workload", m.classes(k))}>{label}</span>
                            }) }
                        </div>
                    }
                    <div class="ns-body">
                        <div class="col services">{svc_cards}</div>
                        <div class="col pods">{pod_cards}
                            if more_pods > 0 { <div class="dim">{format!("+{more_pods} more Pods")}</div> }
                        </div>
                    </div>
                </div>
            }
        })
        .collect();

    let details = props.selected.as_ref().map(|k| details(pg, store, live, k)).unwrap_or_default();
    let banner = shown.banner(&props.on_cursor);
    drop(s);

    html! {
        <div class={classes!("diagram", (!live).then_some("past"))} ref={root} {onclick}>
            {banner}
            <div class="nodes">{nodes}</div>
            {details}
            <div class="namespaces">{ns_boxes}</div>
            <p class="legend dim">{"Click a Service or a Pod for details. "}
                <span class="hl-sample">{"lit"}</span>{": objects of the selected timeline event."}</p>
        </div>
    }
}

/// The details box of the selected Service or Pod.
fn details(pg: &Playground, store: &Store, live: bool, k: &ObjKey) -> Html {
    let domain = pg.cluster.domain();
    match k.kind {
        Kind::Service => {
            let Some(svc) = store.service(&k.namespace, &k.name) else {
                return html! { <div class="details">{gone("service", &k.name, live)}</div> };
            };
            let fqdn = format!("{}.{}.svc.{domain}.", svc.meta.name, svc.meta.namespace);
            let records: Vec<String> = crate::dns::dns_server(pg, store)
                .records_for_service(&k.namespace, &k.name)
                .iter()
                .map(|r| format!("{} {} {}", r.name, r.data.rtype(), r.data))
                .collect();
            let mut ipvs: Vec<String> = Vec::new();
            if live {
                for np in pg.cluster.proxy().nodes() {
                    let node = &np.name;
                    for vs in pg.cluster.proxy().service_virtual_servers(node, &k.namespace, &k.name) {
                        {
                            let dests = if vs.dests.is_empty() {
                                "no real servers (connections refused)".to_string()
                            } else {
                                let shown: Vec<String> =
                                    vs.dests.iter().take(MAX_ADDRS).map(|d| format!("{}:{}", d.addr, d.port)).collect();
                                match vs.dests.len().saturating_sub(MAX_ADDRS) {
                                    0 => shown.join(", "),
                                    more => format!("{} +{more} more", shown.join(", ")),
                                }
                            };
                            ipvs.push(format!("{node}: {} {} → {dests}", vs.key, vs.sched.as_str()));
                        }
                    }
                }
            }
            let selector = svc
                .spec
                .selector
                .as_ref()
                .map(|s| s.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| "(none)".into());
            html! {
                <div class="details">
                    <div class="title"><span class="kind">{"service"}</span>{format!("{}/{}", svc.meta.namespace, svc.meta.name)}</div>
                    <dl>
                        <dt>{"type"}</dt><dd>{svc.spec.type_.as_str()}</dd>
                        <dt>{"ClusterIP"}</dt><dd class="mono">{cluster_ip(svc)}</dd>
                        <dt>{"ports"}</dt><dd class="mono">{service_ports(svc)}</dd>
                        <dt>{"selector"}</dt><dd class="mono">{selector}</dd>
                        <dt>{"labels"}</dt><dd class="mono">{labels(&svc.meta.labels)}</dd>
                        <dt>{"DNS"}</dt><dd class="mono">
                            if records.is_empty() { {format!("{fqdn} (no records)")} }
                            { for records.iter().map(|r| html! { <div>{r}</div> }) }
                        </dd>
                        if !ipvs.is_empty() {
                            <dt>{"IPVS"}</dt><dd class="mono">{ for ipvs.iter().map(|r| html! { <div>{r}</div> }) }</dd>
                        }
                    </dl>
                </div>
            }
        }
        Kind::Pod => {
            let Some(p) = store.pod(&k.namespace, &k.name) else {
                return html! { <div class="details">{gone("pod", &k.name, live)}</div> };
            };
            let images = p
                .spec
                .containers
                .iter()
                .map(|c| format!("{}: {}", c.name, c.image))
                .collect::<Vec<_>>()
                .join(", ");
            let owner = p
                .meta
                .owner
                .as_ref()
                .map(|o| format!("{}/{}", o.kind.resource(), o.name))
                .unwrap_or_else(|| "(none)".into());
            let services: Vec<String> = store
                .services(Some(&k.namespace))
                .filter(|svc| endpoint_pods(store, svc).contains(k))
                .map(|svc| svc.meta.name.clone())
                .collect();
            html! {
                <div class="details">
                    <div class="title"><span class="kind">{"pod"}</span>{format!("{}/{}", p.meta.namespace, p.meta.name)}</div>
                    <dl>
                        <dt>{"status"}</dt><dd>{pod_status(p)}{if p.status.ready { " · ready" } else { " · not ready" }}</dd>
                        <dt>{"Pod IP"}</dt><dd class="mono">{p.status.pod_ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into())}
                            if p.spec.host_network { <span class="dim">{" (hostNetwork)"}</span> }</dd>
                        <dt>{"node"}</dt><dd class="mono">{format!("{} ({})", p.spec.node_name.clone().unwrap_or_else(|| "-".into()),
                            p.status.host_ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()))}</dd>
                        <dt>{"labels"}</dt><dd class="mono">{labels(&p.meta.labels)}</dd>
                        <dt>{"owner"}</dt><dd class="mono">{owner}</dd>
                        <dt>{"containers"}</dt><dd class="mono">{images}</dd>
                        <dt>{"behind"}</dt><dd class="mono">{if services.is_empty() { "no Service".to_string() } else { services.join(", ") }}</dd>
                        <dt>{"DNS policy"}</dt><dd class="mono">{p.spec.dns_policy.as_str()}</dd>
                    </dl>
                </div>
            }
        }
        _ => html! {},
    }
}

/// What the details box says when the selected object is not in the cluster shown.
fn gone(kind: &str, name: &str, live: bool) -> String {
    if live {
        format!("{kind}/{name} is gone")
    } else {
        format!("{kind}/{name} is not in the cluster at this step")
    }
}

fn labels(l: &sdplay_core::model::Labels) -> String {
    if l.is_empty() {
        "(none)".into()
    } else {
        l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
    }
}
