//! The Cluster pane: a diagram drawn as HTML boxes from the core's view
//! (`sdplay_core::view::View::cluster`). Nodes (name, IP, Pod CIDR, kube-proxy and its mode),
//! then each namespace as an address space: its Services (name, type, ClusterIP, ports →
//! endpoints as kube-proxy reads them), its workloads, and its Pods (IP, node, kubectl's
//! STATUS, labels). kube-dns (CoreDNS) sits in kube-system. Clicking a Service, Pod or node
//! selects it by its element id: it and what it is wired to are highlighted, and a details box
//! (`View::details`) shows its labels, IPs, DNS records (as the serving CoreDNS answers them)
//! and the rules of each node (a node's: as its proxy mode's tool prints them). The objects of
//! the timeline's selected event are highlighted too.
//!
//! With a timeline event selected, the diagram shows the cluster as it was right after that
//! event, under a banner leading back to live (see [`crate::snapshot`]); rules exist only for
//! now, so they are left out then.
//!
//! Read-only, and no cluster logic: everything shown is the view's data.

use std::collections::BTreeSet;

use sdplay_core::view::{self, Details, Limits, NodeView, PodView, ServiceDetails, ServiceView, View};
use sdplay_core::ProxyMode;
use web_sys::Element;
use yew::prelude::*;

use crate::session::SessionRef;
use crate::snapshot;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub session: SessionRef,
    pub version: u64,
    /// The timeline's selected event.
    pub cursor: Option<u64>,
    /// The selected element's id (`svc:dev/ent`, `pod:dev/jump`, `node:minikube`).
    pub selected: Option<String>,
    pub on_select: Callback<Option<String>>,
    /// Move the timeline cursor (the banner's "back to live" sends `None`).
    pub on_cursor: Callback<Option<u64>>,
}

/// Why a box is lit.
struct Marks {
    /// Ids lit by the selected timeline event.
    event: BTreeSet<String>,
    selected: Option<String>,
    /// What the selected element is wired to (a Service's endpoint Pods, a Pod's Services).
    related: BTreeSet<String>,
}

impl Marks {
    fn classes(&self, id: &str) -> Classes {
        classes!(
            self.event.contains(id).then_some("hl"),
            (self.selected.as_deref() == Some(id)).then_some("sel"),
            self.related.contains(id).then_some("rel"),
        )
    }
}

fn node_card(n: &NodeView, live: bool, m: &Marks) -> Html {
    let proxy_detail = match (&n.ipvs, n.proxy_mode) {
        _ if !live => "rules: see live".to_string(),
        (Some(ipvs), _) => format!(
            "{} virtual servers, {} addresses on kube-ipvs0",
            ipvs.virtual_servers, ipvs.kube_ipvs0_addrs
        ),
        (None, mode) => format!("{mode} rules"),
    };
    html! {
        <div class={classes!("node", m.classes(&n.id))} data-id={n.id.clone()} data-name={n.name.clone()}>
            <div class="title">
                <span class="kind">{"node"}</span>{&n.name}
                if n.control_plane { <span class="badge">{"control-plane"}</span> }
            </div>
            <div class="mono">{format!("{} · pods {}", n.ip, n.pod_cidr.clone().unwrap_or_else(|| "none (NotReady)".into()))}</div>
            <div class="proxy" title="kube-proxy runs on every node and programs the Service rules in its kernel">
                {"kube-proxy · "}<b>{n.proxy_mode.as_str()}</b>{" · "}{proxy_detail}
            </div>
        </div>
    }
}

fn service_card(svc: &ServiceView, m: &Marks) -> Html {
    let eps: Html = if svc.selector.is_none() && svc.endpoints.is_empty() {
        html! { <span class="dim">{"no selector: EndpointSlices (or Endpoints, mirrored) are written by hand"}</span> }
    } else if svc.endpoints.is_empty() {
        html! { <span class="warn">{"<none>: no ready Pod matches the selector"}</span> }
    } else {
        let more = svc.endpoint_count.saturating_sub(svc.endpoints.len());
        html! {
            <>
                { for svc.endpoints.iter().map(|e| html! {
                    <span class={classes!("addr", (!e.ready).then_some("not-ready"))}
                        title={if e.ready { "ready" } else { "not ready" }}>{e.addr()}</span>
                }) }
                if more > 0 { <span class="dim">{format!("+{more} more")}</span> }
            </>
        }
    };
    html! {
        <div key={svc.name.clone()} class={classes!("svc", m.classes(&svc.id))}
            data-id={svc.id.clone()} data-ns={svc.namespace.clone()} data-name={svc.name.clone()}>
            <div class="title">
                <span class="kind">{"svc"}</span>{&svc.name}
                <span class="badge">{&svc.type_}</span>
                if svc.cluster_dns { <span class="badge dns" title="the cluster DNS: CoreDNS Pods behind this Service">{"CoreDNS"}</span> }
            </div>
            <div class="mono">{&svc.cluster_ip}{"  "}<span class="dim">{&svc.ports_label}</span></div>
            <div class={classes!("eps", m.classes(&svc.endpoints_id))}><span class="kind">{"endpoints"}</span>{eps}</div>
        </div>
    }
}

fn pod_card(p: &PodView, m: &Marks) -> Html {
    let owner_lit = p.owner.as_ref().is_some_and(|o| m.event.contains(o));
    let ip = p.ip.map(|ip| ip.to_string()).unwrap_or_else(|| "<no IP yet>".into());
    let node = p.node.clone().unwrap_or_else(|| "<unscheduled>".into());
    html! {
        <div key={p.name.clone()} class={classes!("pod", m.classes(&p.id), owner_lit.then_some("hl"),
                (!p.ready).then_some("not-ready"), p.host_network.then_some("host-net"))}
            data-id={p.id.clone()} data-ns={p.namespace.clone()} data-name={p.name.clone()}>
            <div class="title"><span class="kind">{"pod"}</span>{&p.name}</div>
            <div class="mono">{ip}<span class="dim">{format!(" · {node} · ")}</span>
                <span class={classes!("phase", p.status.to_lowercase())}>{&p.status}</span></div>
            <div class="labels">
                { for p.labels.iter().filter(|(k, _)| k != "pod-template-hash").map(|(k, v)| html! {
                    <span class="label">{format!("{k}={v}")}</span>
                }) }
            </div>
        </div>
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
            let hit = target
                .closest("[data-id]")
                .ok()
                .flatten()
                .and_then(|el| el.get_attribute("data-id"));
            on_select.emit(if hit == selected { None } else { hit });
        })
    };

    let Some(s) = props.session.get() else { return html! {} };
    let view = View::at(&s.pg, props.cursor);
    let live = view.is_live();
    let cluster = view.cluster(&Limits::PAGE);
    let details = props.selected.as_deref().and_then(|id| view.details(id, &Limits::PAGE));
    let start_ms = s.start_ms();
    drop(view);
    drop(s);

    let related: BTreeSet<String> = match &details {
        Some(Details::Service(d)) => d.service.endpoint_pods.iter().cloned().collect(),
        Some(Details::Pod(p)) => p.services.iter().cloned().collect(),
        _ => BTreeSet::new(),
    };
    let m = Marks {
        event: cluster.lit.iter().cloned().collect(),
        selected: props.selected.clone(),
        related,
    };

    let nodes: Html = cluster.nodes.iter().map(|n| node_card(n, live, &m)).collect();
    let ns_boxes: Html = cluster
        .namespaces
        .iter()
        .map(|ns| {
            if ns.service_count == 0 && ns.pod_count == 0 {
                return html! {
                    <div key={ns.name.clone()} class={classes!("ns", "empty", m.classes(&ns.id))}>
                        <div class="title"><span class="kind">{"namespace"}</span>{&ns.name}<span class="dim">{" · empty"}</span></div>
                    </div>
                };
            }
            let more_pods = ns.pod_count.saturating_sub(ns.pods.len());
            html! {
                <div key={ns.name.clone()} class={classes!("ns", m.classes(&ns.id))}>
                    <div class="title"><span class="kind">{"namespace"}</span>{&ns.name}
                        <span class="dim">{format!(" · {} svc · {} pods", ns.service_count, ns.pod_count)}</span></div>
                    if !ns.workloads.is_empty() {
                        <div class="workloads">
                            { for ns.workloads.iter().map(|w| html! {
                                <span class={classes!("workload", m.classes(&w.id))}>
                                    {format!("{}/{} {}/{}", w.kind, w.name, w.ready, w.desired)}</span>
                            }) }
                        </div>
                    }
                    <div class="ns-body">
                        <div class="col services">{ for ns.services.iter().map(|svc| service_card(svc, &m)) }</div>
                        <div class="col pods">{ for ns.pods.iter().map(|p| pod_card(p, &m)) }
                            if more_pods > 0 { <div class="dim">{format!("+{more_pods} more Pods")}</div> }
                        </div>
                    </div>
                </div>
            }
        })
        .collect();

    let details = details.map(|d| details_box(&d, live)).unwrap_or_default();
    let path = path_box(&cluster.path);
    let banner = snapshot::banner(&cluster.when, start_ms, &props.on_cursor);

    html! {
        <div class={classes!("diagram", (!live).then_some("past"))} ref={root} {onclick}>
            {banner}
            <div class="nodes">{nodes}</div>
            {details}
            {path}
            <div class="namespaces">{ns_boxes}</div>
            <p class="legend dim">{"Click a Service, a Pod or a node for details. "}
                <span class="hl-sample">{"lit"}</span>{": objects of the selected timeline event."}</p>
        </div>
    }
}

/// The selected event's flow: a DNS query and its answer, or a connection hop by hop.
fn path_box(path: &[view::PathHop]) -> Html {
    if path.is_empty() {
        return Html::default();
    }
    html! {
        <div class="path">
            <div class="title"><span class="kind">{"path"}</span>{format!("{} hops", path.len())}</div>
            <ol>
                { for path.iter().map(|h| html! {
                    <li key={h.seq} class={classes!(h.current.then_some("current"))} data-seq={h.seq.to_string()}>
                        <span class="hop-ends">{format!("{} → {}", h.from.as_deref().unwrap_or("·"), h.to.as_deref().unwrap_or("·"))}</span>
                        {" "}<span class="dim">{&h.step}</span>
                        <div>{&h.summary}</div>
                    </li>
                }) }
            </ol>
        </div>
    }
}

fn pairs(l: &[(String, String)]) -> String {
    if l.is_empty() {
        "(none)".into()
    } else {
        l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
    }
}

/// The details box of the selected Service, Pod or node.
fn details_box(d: &Details, live: bool) -> Html {
    match d {
        Details::Service(d) => service_details(d),
        Details::Pod(p) => {
            let images = p.containers.iter().map(|(c, i)| format!("{c}: {i}")).collect::<Vec<_>>().join(", ");
            html! {
                <div class="details">
                    <div class="title"><span class="kind">{"pod"}</span>{format!("{}/{}", p.namespace, p.name)}</div>
                    <dl>
                        <dt>{"status"}</dt><dd>{&p.status}{if p.ready { " · ready" } else { " · not ready" }}</dd>
                        <dt>{"Pod IP"}</dt><dd class="mono">{p.ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into())}
                            if p.host_network { <span class="dim">{" (hostNetwork)"}</span> }</dd>
                        <dt>{"node"}</dt><dd class="mono">{format!("{} ({})", p.node.clone().unwrap_or_else(|| "-".into()),
                            p.host_ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()))}</dd>
                        <dt>{"labels"}</dt><dd class="mono">{pairs(&p.labels)}</dd>
                        <dt>{"owner"}</dt><dd class="mono">{p.owner_label.clone().unwrap_or_else(|| "(none)".into())}</dd>
                        <dt>{"containers"}</dt><dd class="mono">{images}</dd>
                        <dt>{"behind"}</dt><dd class="mono">{if p.service_names.is_empty() { "no Service".to_string() } else { p.service_names.join(", ") }}</dd>
                        <dt>{"DNS policy"}</dt><dd class="mono">{&p.dns_policy}</dd>
                    </dl>
                </div>
            }
        }
        Details::Node(n) => html! {
            <div class="details">
                <div class="title"><span class="kind">{"node"}</span>{&n.node.name}</div>
                <dl>
                    <dt>{"InternalIP"}</dt><dd class="mono">{n.node.ip.to_string()}</dd>
                    <dt>{"Pod CIDR"}</dt><dd class="mono">{n.node.pod_cidr.clone().unwrap_or_else(|| "none (NotReady)".into())}</dd>
                    <dt>{"kube-proxy"}</dt><dd class="mono">{n.node.proxy_mode.as_str()}</dd>
                    if let Some(r) = &n.rules {
                        <dt>{"rules"}</dt><dd class="mono"><div class="dim">{format!("# {}", r.command)}</div>
                            <pre class="rules">{&r.output}</pre></dd>
                    } else {
                        <dt>{"rules"}</dt><dd class="dim">{"rules exist only for now: see live"}</dd>
                    }
                </dl>
            </div>
        },
        Details::Gone { kind, name } => {
            let text = if live {
                format!("{kind}/{name} is gone")
            } else {
                format!("{kind}/{name} is not in the cluster at this step")
            };
            html! { <div class="details">{text}</div> }
        }
    }
}

fn service_details(d: &ServiceDetails) -> Html {
    let svc = &d.service;
    let selector = svc.selector.as_deref().map(pairs).unwrap_or_else(|| "(none)".into());
    let records: Vec<String> = d.records.iter().map(|r| format!("{} {} {}", r.name, r.rtype, r.data)).collect();
    let mut ipvs: Vec<String> = Vec::new();
    let mut rules: Vec<String> = Vec::new();
    for n in &d.rules {
        if n.mode == ProxyMode::Ipvs {
            for vs in &n.virtual_servers {
                let dests = if vs.real_server_count == 0 {
                    "no real servers (connections refused)".to_string()
                } else {
                    match vs.real_server_count.saturating_sub(vs.real_servers.len()) {
                        0 => vs.real_servers.join(", "),
                        more => format!("{} +{more} more", vs.real_servers.join(", ")),
                    }
                };
                ipvs.push(format!("{}: {} {} → {dests}", n.node, vs.key, vs.scheduler));
            }
        } else {
            rules.extend(n.lines.iter().map(|l| format!("{}: {l}", n.node)));
        }
    }
    let more_nodes = d.rule_node_count.saturating_sub(d.rules.len());
    html! {
        <div class="details">
            <div class="title"><span class="kind">{"service"}</span>{format!("{}/{}", svc.namespace, svc.name)}</div>
            <dl>
                <dt>{"type"}</dt><dd>{&svc.type_}</dd>
                <dt>{"ClusterIP"}</dt><dd class="mono">{&svc.cluster_ip}</dd>
                <dt>{"ports"}</dt><dd class="mono">{&svc.ports_label}</dd>
                <dt>{"selector"}</dt><dd class="mono">{selector}</dd>
                <dt>{"labels"}</dt><dd class="mono">{pairs(&svc.labels)}</dd>
                <dt>{"DNS"}</dt><dd class="mono">
                    if records.is_empty() { {format!("{} (no records)", d.fqdn)} }
                    { for records.iter().map(|r| html! { <div>{r}</div> }) }
                </dd>
                if !ipvs.is_empty() {
                    <dt>{"IPVS"}</dt><dd class="mono">{ for ipvs.iter().map(|r| html! { <div>{r}</div> }) }</dd>
                }
                if !rules.is_empty() {
                    <dt>{"rules"}</dt><dd class="mono">{ for rules.iter().map(|r| html! { <div>{r}</div> }) }</dd>
                }
                if more_nodes > 0 && !d.rules.is_empty() {
                    <dt></dt><dd class="dim">{format!("+{more_nodes} more nodes")}</dd>
                }
            </dl>
        </div>
    }
}
