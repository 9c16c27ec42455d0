//! `kubectl get -w`: a watch the shell keeps while simulated time passes, printing as
//! kubectl's `GetOptions.watch` (k8s.io/kubectl/pkg/cmd/get/get.go) does: the current list
//! (or the one object) in one flush, then one line per watch event, the table's header only
//! once (`HumanReadablePrinter` prints it the first time it has rows) and columns as wide as
//! they have been since the watch began (liggitt/tabwriter's `RememberWidths`). A watch ends
//! with Ctrl-C ([`crate::Playground::interrupt`]), when the next command line comes, or after
//! `--request-timeout` (then the command itself lets that much simulated time pass).

use crate::cluster::Cluster;
use crate::model::*;
use crate::printers::kubectl::{self as pk, Opts};
use crate::printers::{goyaml, jsonpath, object, table};

use super::error::{Error, Res};
use super::{kind_of, parse_selector, Args, Output};
use crate::shell::{Outcome, Shell};

/// A running `kubectl get -w`.
#[derive(Clone, Debug)]
pub(crate) struct Watch {
    kind: Kind,
    /// The namespace watched (`None`: all namespaces, or a cluster-scoped kind).
    scope: Option<String>,
    /// Only these names (`kubectl get pod web -w`); empty: the whole collection.
    names: Vec<String>,
    selector: Option<Vec<Requirement>>,
    opts: Opts,
    /// `-A`: the NAMESPACE column.
    namespace_column: bool,
    out: Output,
    /// The store version the watch has printed up to.
    version: u64,
    /// The tabwriter's remembered column widths.
    widths: Vec<usize>,
    header_printed: bool,
    /// Objects printed so far (the YAML printer's `---` between documents).
    printed: usize,
}

/// Start `kubectl get … -w`: print the current state; the watch then runs in the shell
/// (`sh.watch`) until it is ended, or, with `--request-timeout`, for that long right here.
pub(super) fn start(sh: &mut Shell, c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let timeout = args.request_timeout;
    let Some(first) = args.pos.first() else {
        // The missing-resource error is get's own.
        return super::get(c, args, ns);
    };
    if matches!(first.as_str(), "ev" | "event" | "events" | "events.events.k8s.io") {
        return Err(Error::NotSimulated("`kubectl get events --watch` is not simulated yet".into()));
    }
    // `SingleResourceType()`: one resource type, by name or as TYPE/NAME arguments.
    let mut kind: Option<Kind> = None;
    let mut names: Vec<String> = Vec::new();
    for (i, a) in args.pos.iter().enumerate() {
        let (k, name) = match a.split_once('/') {
            Some((r, n)) => (kind_of(r).ok_or_else(|| Error::NoResourceType(r.to_string()))?, Some(n.to_string())),
            None if i == 0 => {
                if a.contains(',') {
                    return Err(Error::other("you may only specify a single resource type"));
                }
                if a == "all" {
                    return Err(Error::other(
                        "watch is only supported on individual resources and resource collections - more than 1 resource was found",
                    ));
                }
                (kind_of(a).ok_or_else(|| Error::NoResourceType(a.to_string()))?, None)
            }
            None => match kind {
                Some(k) => (k, Some(a.clone())),
                None => return Err(Error::other("you may only specify a single resource type")),
            },
        };
        if kind.is_some_and(|have| have != k) {
            return Err(Error::other("you may only specify a single resource type"));
        }
        kind = Some(k);
        names.extend(name);
    }
    let Some(kind) = kind else {
        return super::get(c, args, ns);
    };
    let selector = args.selector.as_deref().map(parse_selector).transpose()?;
    let scope = (kind.namespaced() && !args.all_namespaces).then(|| ns.to_string());
    let mut w = Watch {
        kind,
        scope,
        names,
        selector,
        opts: Opts {
            wide: args.out == Output::Wide,
            show_labels: args.show_labels,
            no_headers: args.no_headers,
        },
        namespace_column: args.all_namespaces && kind.namespaced(),
        out: args.out.clone(),
        version: c.api.store().version(),
        widths: Vec::new(),
        header_printed: false,
        printed: 0,
    };
    // The current list, or the named objects (a name not there is get's NotFound).
    let store = c.api.store();
    let objs: Vec<&Object> = if w.names.is_empty() {
        store.list(kind, w.scope.as_deref()).filter(|o| w.selects(Some(o))).collect()
    } else {
        let mut v = Vec::new();
        for n in &w.names {
            match store.get(&ObjKey::new(kind, w.scope.as_deref().unwrap_or(""), n)) {
                Some(o) => v.push(o),
                None => return Err(Error::not_found(kind, n)),
            }
        }
        v
    };
    let mut output = if args.watch_only { String::new() } else { w.print(c, &objs) };
    match timeout {
        Some(ms) => {
            // The request ends after `--request-timeout`: that much simulated time passes.
            let until = c.now.plus_ms(ms);
            while c.now < until {
                let step = (until.0 - c.now.0).min(1000);
                c.advance_ms(step);
                output.push_str(&w.poll(c));
            }
        }
        None => sh.watch = Some(w),
    }
    Ok(Outcome::ok(output))
}

impl Watch {
    /// Whether `o` is in the watched collection (namespace, name, selector).
    fn selects(&self, o: Option<&Object>) -> bool {
        let Some(o) = o else { return false };
        let m = o.meta();
        o.kind() == self.kind
            && self.scope.as_deref().is_none_or(|ns| m.namespace == ns)
            && (self.names.is_empty() || self.names.iter().any(|n| *n == m.name))
            && self.selector.as_ref().is_none_or(|s| s.iter().all(|r| r.matches(&m.labels)))
    }

    /// The watch events since the last poll, printed: each write of a watched object
    /// (ADDED, MODIFIED) as the object now is, each removal (DELETED) as it last was. An
    /// object that stops matching the selector is DELETED and one that starts matching
    /// ADDED, as the API server's watch cache sends them.
    pub(crate) fn poll(&mut self, c: &Cluster) -> String {
        let store = c.api.store();
        let Some(changes) = store.changes_since(self.version) else {
            // Older than the store's log ("too old resource version"): resume from now.
            self.version = store.version();
            return String::new();
        };
        self.version = store.version();
        let mut out = String::new();
        for ch in changes {
            if ch.key.kind != self.kind {
                continue;
            }
            let obj = match (self.selects(ch.before), self.selects(ch.after)) {
                (_, true) => ch.after,
                (true, false) => ch.before,
                (false, false) => None,
            };
            if let Some(o) = obj {
                out.push_str(&self.print(c, &[o]));
            }
        }
        out
    }

    /// One printer call and flush, as kubectl's watch makes them.
    fn print(&mut self, c: &Cluster, objs: &[&Object]) -> String {
        let mut out = String::new();
        match &self.out {
            Output::Default | Output::Wide => {
                if objs.is_empty() {
                    return out;
                }
                let mut rows: Vec<Vec<String>> = Vec::new();
                if !self.header_printed && !self.opts.no_headers {
                    let mut header: Vec<String> = pk::headers(self.kind, self.opts).into_iter().map(String::from).collect();
                    if self.namespace_column {
                        header.insert(0, "NAMESPACE".into());
                    }
                    rows.push(header);
                    self.header_printed = true;
                }
                for o in objs {
                    let mut r = pk::row(o, &o.meta().name, c.now, self.opts);
                    if self.namespace_column {
                        r.insert(0, o.meta().namespace.to_string());
                    }
                    rows.push(r);
                }
                out = table::render_remembering(&rows, &mut self.widths);
            }
            Output::Name => {
                for o in objs {
                    out.push_str(&format!("{}/{}\n", self.kind.resource(), o.meta().name));
                }
            }
            Output::Yaml | Output::Json | Output::JsonPath(_) => {
                for o in objs {
                    let v = object::to_value(o, c.api.store());
                    match &self.out {
                        Output::Yaml => {
                            if self.printed > 0 {
                                out.push_str("---\n");
                            }
                            out.push_str(&goyaml::to_yaml(&v));
                        }
                        Output::Json => out.push_str(&goyaml::to_json(&v)),
                        Output::JsonPath(t) => out.push_str(&jsonpath::render(t, &v).unwrap_or_else(|e| e)),
                        _ => {}
                    }
                    self.printed += 1;
                }
            }
        }
        out
    }
}
