//! kubectl: argument parsing and the verbs, printing what kubectl prints.

use crate::api::ApiError;
use crate::cluster::Cluster;
use crate::limits;
use crate::manifest::{self, Parsed};
use crate::model::*;
use crate::printers::kubectl::{self as pk, Opts};
use crate::printers::table;

use super::lang::Flavor;
use super::{Files, Location, Outcome, Shell};

mod cluster_info;
mod error;
mod flags;
mod flagsets;
mod imperative;
mod watch;

use error::{Error, Res};

pub(crate) use flags::{DryRun, Output, Printers, RestartPolicy};
pub(crate) use watch::Watch;

/// A kubectl command line, parsed: the command path, the positional arguments, and the flags
/// sdplay acts on as typed values (every other flag of the command's set is accepted and has
/// no effect; a flag the command does not have is pflag's error).
#[derive(Clone, Debug, Default)]
pub(crate) struct Args {
    /// The sub-command words after the verb, by their canonical names (`["service",
    /// "clusterip"]` for `kubectl create svc clusterip`).
    pub sub: Vec<&'static str>,
    pub pos: Vec<String>,
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    /// `-l` / `--selector` (for `kubectl run`, `-l` is `--labels`).
    pub selector: Option<String>,
    /// `-o` as given (`delete` takes only `name`).
    pub output: Option<String>,
    pub show_labels: bool,
    pub no_headers: bool,
    /// `--ignore-not-found`: a missing object is no error (`get`, `delete`); `delete` defaults
    /// it to true with `--all` or a selector.
    pub ignore_not_found: bool,
    /// `delete --all`: every object of the kind in the namespace.
    pub all: bool,
    pub files: Vec<String>,
    /// `-i` / `--stdin` or `-t` / `--tty`.
    pub interactive: bool,
    pub image: Option<String>,
    /// `--replicas` (an int flag, checked when parsed).
    pub replicas: Option<i64>,
    /// `--port`: a string for `run` and `expose`, an int32 for `create deployment`.
    pub port: Option<String>,
    pub target_port: Option<String>,
    pub type_: Option<String>,
    pub name: Option<String>,
    pub container: Option<String>,
    pub rm: bool,
    /// `--wait` (delete's default: true).
    pub wait: bool,
    /// `delete --grace-period` (-1, its default: the object's own), `--force`, `--now`.
    pub grace_period: i64,
    pub force: bool,
    pub now: bool,
    pub overwrite: bool,
    pub labels: Option<String>,
    pub restart: RestartPolicy,
    /// `create service --tcp` (a string slice: repeatable, commas split).
    pub tcp: Vec<String>,
    /// Everything after `--`.
    pub command: Option<Vec<String>>,
    /// `--sort-by` (a JSONPath such as `.lastTimestamp`).
    pub sort_by: Option<String>,
    /// `--dry-run`, for the commands that have it.
    pub dry_run: DryRun,
    /// `-o`, for the commands that print objects.
    pub out: Output,
    /// `create service clusterip --clusterip`.
    pub cluster_ip: Option<String>,
    /// `create service externalname --external-name`.
    pub external_name: Option<String>,
    /// `create service nodeport --node-port`.
    pub node_port: Option<i64>,
    /// `create configmap|secret generic --from-literal` (a string array: repeatable, no
    /// splitting).
    pub from_literal: Vec<String>,
    /// `--from-file` / `--from-env-file` given (files are not simulated).
    pub from_file: bool,
    pub from_env_file: bool,
    /// `get -w` / `--watch`, `--watch-only`.
    pub watch: bool,
    pub watch_only: bool,
    /// `--request-timeout` in ms (a global flag: a watch ends after it); `None`: no timeout.
    pub request_timeout: Option<u64>,
}

/// `--request-timeout` as client-go's `clientcmd` reads it: whole seconds, or a Go duration;
/// zero or less is none. Checked for every command, before it runs.
fn request_timeout(v: Option<&str>) -> Result<Option<u64>, String> {
    let Some(v) = v.filter(|v| !v.is_empty()) else { return Ok(None) };
    let ms = match v.parse::<i64>() {
        Ok(s) => s.saturating_mul(1000),
        Err(_) => flags::parse_duration(v).map_err(|_| {
            "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)".to_string()
        })?,
    };
    Ok(u64::try_from(ms).ok().filter(|&ms| ms > 0))
}

/// The sub-commands kubectl has below a command path, with their aliases (cobra's `Find`).
fn sub_command(path: &str, word: &str) -> Option<&'static str> {
    Some(match (path, word) {
        ("create", "namespace" | "ns") => "namespace",
        ("create", "deployment" | "deploy") => "deployment",
        ("create", "configmap" | "cm") => "configmap",
        ("create", "secret") => "secret",
        ("create", "service" | "svc") => "service",
        ("create secret", "generic") => "generic",
        ("create service", "clusterip") => "clusterip",
        ("create service", "nodeport") => "nodeport",
        ("create service", "loadbalancer") => "loadbalancer",
        ("create service", "externalname") => "externalname",
        _ => return None,
    })
}

/// Parse `kubectl VERB ARGS…`: find the command path as cobra does (the first word that is not
/// a flag or a flag's value names a sub-command: descend, and drop it from the arguments),
/// then parse the rest with that command's and the global flag sets. `None`: kubectl has no
/// such command in sdplay's table (the caller says it is not simulated).
fn parse_args(verb: &str, argv: &[String]) -> Option<Res<Args>> {
    let mut path = verb.to_string();
    let mut rest: Vec<String> = argv.to_vec();
    let mut sub: Vec<&'static str> = Vec::new();
    loop {
        let set = flagsets::flags_of(&path)?;
        // Cobra's `stripFlags`: skip flags, and the value after a flag that takes one.
        let takes_value = |a: &str| -> bool {
            if let Some(n) = a.strip_prefix("--") {
                return !n.contains('=') && set.iter().chain(flagsets::GLOBAL).any(|f| f.name == n && f.no_opt.is_none());
            }
            let shorts = &a[1..];
            shorts.len() == 1
                && set
                    .iter()
                    .chain(flagsets::GLOBAL)
                    .any(|f| shorts.starts_with(f.short.unwrap_or('\0')) && f.no_opt.is_none())
        };
        let mut i = 0;
        let mut word = None;
        while i < rest.len() {
            let a = rest[i].as_str();
            if a == "--" {
                break;
            }
            if a.starts_with('-') && a.len() > 1 {
                i += if takes_value(a) { 2 } else { 1 };
                continue;
            }
            word = Some(i);
            break;
        }
        match word.and_then(|i| sub_command(&path, &rest[i]).map(|s| (i, s))) {
            Some((i, s)) => {
                rest.remove(i);
                sub.push(s);
                path = format!("{path} {s}");
            }
            None => break,
        }
    }
    let set = flagsets::flags_of(&path)?;
    Some(parse_flags(verb, &path, sub, set, &rest))
}

fn parse_flags(verb: &str, path: &str, sub: Vec<&'static str>, set: &'static [flags::Flag], rest: &[String]) -> Res<Args> {
    let p = flags::parse(path, &[set, flagsets::GLOBAL], rest)?;
    let has = |name: &str| set.iter().any(|f| f.name == name);
    let labels_flag = if verb == "run" { "labels" } else { "selector" };
    let mut a = Args {
        sub,
        pos: p.pos.clone(),
        namespace: p.str("namespace").map(String::from),
        all_namespaces: p.bool("all-namespaces"),
        selector: (verb != "run").then(|| p.str(labels_flag).map(String::from)).flatten(),
        output: p.str("output").map(String::from),
        show_labels: p.bool("show-labels"),
        no_headers: p.bool("no-headers"),
        // `DeleteOptions.Complete`: "Defaults to true when --all is specified" (or a selector).
        ignore_not_found: p.bool_or(
            "ignore-not-found",
            verb == "delete" && (p.bool("all") || p.str("selector").is_some()),
        ),
        all: p.bool("all"),
        files: p.list("filename"),
        interactive: p.bool("stdin") || p.bool("tty"),
        image: p.list("image").into_iter().next(),
        replicas: p.int("replicas"),
        port: p.str("port").map(String::from),
        target_port: p.str("target-port").map(String::from),
        type_: p.str("type").map(String::from),
        name: p.str("name").map(String::from),
        container: p.str("container").map(String::from),
        rm: p.bool("rm"),
        wait: p.bool_or("wait", true),
        grace_period: p.int("grace-period").unwrap_or(-1),
        force: p.bool("force"),
        now: p.bool("now"),
        overwrite: p.bool("overwrite"),
        labels: (verb == "run").then(|| p.str("labels").map(String::from)).flatten(),
        tcp: p.list("tcp").iter().flat_map(|v| v.split(',').map(String::from)).collect(),
        command: p.dash.clone(),
        sort_by: p.str("sort-by").map(String::from),
        cluster_ip: p.str("clusterip").map(String::from),
        external_name: p.str("external-name").map(String::from),
        node_port: p.int("node-port"),
        from_literal: p.list("from-literal"),
        from_file: !p.list("from-file").is_empty(),
        from_env_file: !p.list("from-env-file").is_empty(),
        watch: p.bool("watch"),
        watch_only: p.bool("watch-only"),
        request_timeout: request_timeout(p.str("request-timeout")).map_err(Error::Other)?,
        ..Args::default()
    };
    // The typed values, each with its command's error for a value it does not know.
    if has("dry-run") {
        a.dry_run = DryRun::parse(p.str("dry-run"))?;
    }
    if has("restart") {
        a.restart = flags::RestartPolicy::parse(p.str("restart"))?;
    }
    let printers = match verb {
        "get" => Some(Printers::Table),
        "create" | "apply" | "run" | "expose" | "scale" | "label" => Some(Printers::Object),
        _ => None,
    };
    if let Some(pr) = printers {
        a.out = Output::parse(a.output.as_deref(), pr)?;
    }
    Ok(a)
}

/// Resource names kubectl accepts, with their kinds.
pub(crate) fn kind_of(resource: &str) -> Option<Kind> {
    Some(match resource.to_ascii_lowercase().as_str() {
        "po" | "pod" | "pods" => Kind::Pod,
        "svc" | "service" | "services" => Kind::Service,
        "deploy" | "deployment" | "deployments" | "deployment.apps" | "deployments.apps" => Kind::Deployment,
        "rs" | "replicaset" | "replicasets" | "replicaset.apps" | "replicasets.apps" => Kind::ReplicaSet,
        "ds" | "daemonset" | "daemonsets" => Kind::DaemonSet,
        "ep" | "endpoints" => Kind::Endpoints,
        "endpointslice" | "endpointslices" | "endpointslice.discovery.k8s.io" => Kind::EndpointSlice,
        "ns" | "namespace" | "namespaces" => Kind::Namespace,
        "no" | "node" | "nodes" => Kind::Node,
        "cm" | "configmap" | "configmaps" => Kind::ConfigMap,
        "secret" | "secrets" => Kind::Secret,
        _ => return None,
    })
}

pub(crate) fn run(sh: &mut Shell, c: &mut Cluster, files: &dyn Files, argv: &[String]) -> Outcome {
    let Some(verb) = argv.first() else {
        return Outcome::ok("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n");
    };
    // Every failure is an [`Error`], worded in one place.
    verb_of(sh, c, files, verb, argv).unwrap_or_else(Outcome::from)
}

fn verb_of(sh: &mut Shell, c: &mut Cluster, files: &dyn Files, verb: &str, argv: &[String]) -> Res {
    let Some(args) = parse_args(verb, &argv[1..]) else {
        return Err(Error::NotSimulated(format!("`kubectl {verb}` is not simulated yet")));
    };
    let args = args?;
    let ns = args.namespace.clone().unwrap_or_else(|| "default".into());
    match verb {
        "apply" | "create" if !args.files.is_empty() => apply(c, files, &args, &ns, verb == "create"),
        "get" if args.watch || args.watch_only => watch::start(sh, c, &args, &ns),
        "get" => get(c, &args, &ns),
        "describe" => imperative::describe(c, &args, &ns),
        "run" => imperative::run(sh, c, &args, &ns),
        "create" => imperative::create(c, &args, &ns),
        "expose" => imperative::expose(c, &args, &ns),
        "label" => imperative::label(c, &args, &ns),
        "delete" if !args.files.is_empty() => imperative::delete_files(c, files, &args, &ns),
        "exec" => exec(sh, c, files, &args, &ns, &argv[1..]),
        "delete" => delete(c, &args, &ns),
        "logs" => logs(c, &args, &ns),
        "scale" => scale(c, &args, &ns),
        "version" => Ok(Outcome::ok(
            "Client Version: v1.31.0\nKustomize Version: v5.4.2\nServer Version: v1.31.0\n",
        )),
        "cluster-info" => Ok(Outcome::ok(cluster_info::run(
            c,
            args.namespace.as_deref().unwrap_or("kube-system"),
        ))),
        "apply" => Err(Error::other("must specify one of -f and -k")),
        other => Err(Error::NotSimulated(format!("`kubectl {other}` is not simulated yet"))),
    }
}

/// `kubectl apply -f` (and `create -f`): the resource builder decodes every file first
/// (`ContinueOnError`: a bad object does not stop the others), then each object is sent; what
/// succeeded is printed as it happens and the errors at the end (`ApplyOptions.Run`).
fn apply(c: &mut Cluster, files: &dyn Files, args: &Args, ns: &str, create_only: bool) -> Res {
    let mut out = String::new();
    // The builder's errors and the objects it produced, in file order. For `create` the visit
    // is one pass, so its errors stay in stream order among the objects' errors.
    let mut builder: Vec<(ApiError, String)> = Vec::new();
    // Each with what etcd would be asked to store (bytes; see `request_bytes`).
    let mut decoded: Vec<(Result<Object, ApiError>, String)> = Vec::new();
    // Filled up to `decoded`'s length at each item (its entries get that item's size).
    let mut stored_bytes: Vec<usize> = Vec::new();
    let mut last_body = 0;
    for path in &args.files {
        let Some(text) = files.read(path) else {
            return Err(Error::other(format!("the path \"{path}\" does not exist")));
        };
        let items = match manifest::parse(&text) {
            Parsed::Syntax(e) => {
                return Err(Error::other(format!("error parsing {path}: {}", e.kubectl())));
            }
            Parsed::Items(items) => items,
        };
        for item in items {
            stored_bytes.resize(decoded.len(), last_body);
            let body = request_bytes(item.json, create_only);
            // The API server reads the body before it decodes it: an oversized one is refused
            // whatever it holds. A client-side dry run sends nothing.
            let too_large = body > limits::MAX_REQUEST_BODY_BYTES && args.dry_run != DryRun::Client;
            let sent = |r: Result<Object, ApiError>| match r {
                Ok(_) | Err(ApiError::BadRequest(_)) if too_large => Err(ApiError::RequestEntityTooLarge(limits::MAX_REQUEST_BODY_BYTES)),
                r => r,
            };
            last_body = body;
            // `apply` GETs each object before anything else is sent, and client-go refuses a
            // name that cannot be a path segment (empty, `a/b`…); `create` POSTs, and the
            // server answers (strict decoding first).
            let mapped = !matches!(
                item.result,
                Err(manifest::DecodeError::KindNotSet
                    | manifest::DecodeError::ApiVersionNotSet
                    | manifest::DecodeError::NotAnObject
                    | manifest::DecodeError::NoMatch { .. })
            );
            if !create_only && mapped && item.name.is_empty() && !item.generate_name.is_empty() {
                decoded.push((Err(ApiError::GenerateNameWithApply(item.generate_name.clone())), path.clone()));
                continue;
            }
            if !create_only && mapped && (item.name.is_empty() || !crate::api::path_segment_problems(&item.name).is_empty()) {
                if let Some(kind) = Kind::ALL
                    .iter()
                    .copied()
                    .find(|k| k.name() == item.kind && k.api_version() == item.api_version)
                {
                    let namespace = match item.namespace.as_deref() {
                        Some(n) if !n.is_empty() || !kind.namespaced() => n.to_string(),
                        _ if kind.namespaced() => ns.to_string(),
                        _ => String::new(),
                    };
                    let name = item.name.clone();
                    decoded.push((Err(ApiError::UnrequestableName { kind, name, namespace }), path.clone()));
                    continue;
                }
            }
            let err = match item.result {
                Ok(o) => {
                    // The builder enforces `-n` (FilenameParam with enforceNamespace).
                    let m = o.meta();
                    if o.kind().namespaced() && args.namespace.is_some() && !m.namespace.is_empty() && m.namespace != ns {
                        let mismatch = ApiError::NamespaceMismatch {
                            object: m.namespace.to_string(),
                            flag: ns.to_string(),
                        };
                        if create_only {
                            decoded.push((Err(mismatch), path.clone()));
                        } else {
                            builder.push((mismatch, path.clone()));
                        }
                        continue;
                    }
                    decoded.push((sent(Ok(o)), path.clone()));
                    continue;
                }
                Err(e) => e,
            };
            let version = item.api_version.rsplit('/').next().unwrap_or("v1").to_string();
            let (err, client_side) = match err {
                manifest::DecodeError::KindNotSet | manifest::DecodeError::NotAnObject => (ApiError::NotSet("kind"), true),
                manifest::DecodeError::ApiVersionNotSet => (ApiError::NotSet("apiVersion"), true),
                // The mapping error names the object's own namespace (`""` when it has none).
                manifest::DecodeError::NoMatch { kind, version } => (
                    ApiError::NoMatch {
                        kind,
                        version,
                        name: item.name.clone(),
                        namespace: item.namespace.clone().unwrap_or_default(),
                    },
                    true,
                ),
                // Server-side field validation (`--validate=strict`, the default): the API
                // server rejects the create with 400.
                manifest::DecodeError::UnknownFields(f) => {
                    // kubectl sends the object as JSON from a Go map, so its keys arrive sorted
                    // and the strict decoder (sigs.k8s.io/json) meets the unknown ones in that
                    // order, not the file's.
                    let mut paths: Vec<&str> = f.iter().map(|i| i.path.as_str()).collect();
                    paths.sort_by_key(|p| json_order(p));
                    let list: Vec<String> = paths.iter().map(|p| format!("unknown field \"{p}\"")).collect();
                    (
                        ApiError::BadRequest(format!(
                            "{k} in version \"{version}\" cannot be handled as a {k}: strict decoding error: {}",
                            list.join(", "),
                            k = item.kind,
                        )),
                        false,
                    )
                }
                manifest::DecodeError::WrongType(f) => (
                    ApiError::BadRequest(format!(
                        "{k} in version \"{version}\" cannot be handled as a {k}: {}",
                        f.detail,
                        k = item.kind,
                    )),
                    false,
                ),
            };
            if client_side && !create_only {
                builder.push((err, path.clone()));
            } else {
                decoded.push((sent(Err(err)), path.clone()));
            }
        }
    }
    if decoded.is_empty() && builder.is_empty() {
        let verb = if create_only { "create" } else { "apply" };
        return Err(Error::other(format!("no objects passed to {verb}")));
    }
    let mut errors: Vec<(ApiError, String)> = Vec::new();
    stored_bytes.resize(decoded.len(), last_body);
    for ((obj, path), sent_bytes) in decoded.into_iter().zip(stored_bytes) {
        let mut obj = match obj {
            Ok(o) => o,
            Err(e) => {
                errors.push((e, path));
                continue;
            }
        };
        if create_only && args.dry_run == DryRun::None && obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty() {
            // Store.Create completes the name before anything else (SimpleNameGenerator: the
            // prefix cut to 58 bytes, then 5 random characters from the API server's stream).
            let kind = obj.kind();
            let target_ns = match &obj.meta().namespace {
                n if kind.namespaced() && n.is_empty() => ns.to_string(),
                n => n.to_string(),
            };
            let mut prefix = obj.meta().generate_name.clone();
            let mut cut = prefix.len().min(58);
            while !prefix.is_char_boundary(cut) {
                cut -= 1;
            }
            prefix.truncate(cut);
            let name = c.api.generate_name(kind, &target_ns, &prefix);
            obj.meta_mut().name = name.into();
        }
        let key = obj.key();
        // A client-side dry run asks the server nothing: `create -f` cannot know it exists.
        if create_only
            && args.dry_run != DryRun::Client
            && c.api.store().contains(&ObjKey::new(
                key.kind,
                if key.namespace.is_empty() { ns } else { &key.namespace },
                &key.name,
            ))
        {
            errors.push((
                ApiError::AlreadyExists {
                    resource: crate::api::plural(key.kind).into(),
                    name: key.name.to_string(),
                },
                path,
            ));
            continue;
        }
        let stored = ObjKey::new(
            key.kind,
            if key.kind.namespaced() && key.namespace.is_empty() {
                ns
            } else {
                &key.namespace
            },
            &key.name,
        );
        // The warning comes with the patch, which a client-side dry run does not send.
        if !create_only && args.dry_run != DryRun::Client && c.api.store().contains(&stored) && c.api.applied(&stored).is_none() {
            // Made by `kubectl create`, `run`, `expose`…: no last-applied-configuration yet.
            out.push_str(&format!(
                "Warning: resource {}/{} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                crate::api::plural(key.kind).split('.').next().unwrap_or(""),
                key.name
            ));
        }
        // What the API server returns with a successful write (`Warning: …`, printed by
        // kubectl's warning handler as the response arrives, before the object's line).
        let warnings = crate::api::validation::warnings(&obj);
        let warned = |out: &mut String| {
            for w in &warnings {
                out.push_str(&format!("Warning: {w}\n"));
            }
        };
        if args.dry_run != DryRun::None {
            match dry_run_apply(c, obj, ns, &stored, args.dry_run) {
                Ok(action) => {
                    // A client-side dry run sends nothing, so nothing warns.
                    if args.dry_run == DryRun::Server && action != "unchanged" {
                        warned(&mut out);
                    }
                    match &args.out {
                        Output::Name => out.push_str(&format!("{}/{}\n", key.kind.resource(), key.name)),
                        Output::Default | Output::Wide => {
                            out.push_str(&format!("{}/{} {action}{}\n", key.kind.resource(), key.name, args.dry_run.suffix()))
                        }
                        _ => {
                            return Err(Error::NotSimulated(
                                "`kubectl apply --dry-run -o yaml|json|jsonpath` is not simulated yet".into(),
                            ))
                        }
                    }
                }
                Err(e) => errors.push((e, path)),
            }
            continue;
        }
        if sent_bytes > limits::MAX_ETCD_REQUEST_BYTES {
            // etcd refuses the write once admission and validation have passed (a dry run
            // never reaches it).
            let refused = match c.dry_run_create(obj, ns) {
                Ok(_) | Err(ApiError::AlreadyExists { .. }) => ApiError::Storage("etcdserver: request is too large".into()),
                Err(e) => e,
            };
            errors.push((refused, path));
            continue;
        }
        match c.apply(obj, ns, args.namespace.is_some()) {
            Ok(action) => {
                if action != crate::api::ApplyAction::Unchanged {
                    warned(&mut out);
                }
                out.push_str(&format!("{}/{} {}\n", key.kind.resource(), key.name, action.as_str()));
                if create_only {
                    // `create -f` does not record last-applied-configuration (no --save-config).
                    c.api.forget_applied(&stored);
                }
                c.settle();
            }
            Err(e) => errors.push((e, path)),
        }
    }
    let status = if errors.is_empty() && builder.is_empty() { 0 } else { 1 };
    out.push_str(&crate::api::render_errors(&builder, &errors, "creating"));
    Ok(Outcome { output: out, status })
}

/// The bytes kubectl sends for an object (its compact JSON; `apply` adds the
/// last-applied-configuration annotation, the same JSON as a string), which is also about what
/// etcd is asked to store. The API server's own fields (uid, timestamps, managedFields) and
/// the `annotations` wrapper are left out: a few hundred bytes.
fn request_bytes(json: crate::yaml::JsonSize, create_only: bool) -> usize {
    if create_only {
        json.bytes
    } else {
        json.bytes + "\"kubectl.kubernetes.io/last-applied-configuration\":,".len() + json.as_string_bytes()
    }
}

/// The order a field path (`spec.ports[0].targetPrt`) has in JSON encoded from Go maps:
/// keys compared bytewise at each level, list items by index.
fn json_order(path: &str) -> Vec<(&str, Vec<u64>)> {
    path.split('.')
        .map(|seg| {
            let (name, rest) = seg.split_once('[').map_or((seg, ""), |(n, r)| (n, r));
            let idx = rest.split('[').filter_map(|i| i.trim_end_matches(']').parse().ok()).collect();
            (name, idx)
        })
        .collect()
}

/// One object of `apply --dry-run`: `created`, `configured` or (server) `unchanged`, with
/// nothing stored. The client asks only whether it exists (the GET before the patch); the
/// server also admits and validates it.
fn dry_run_apply(c: &Cluster, mut obj: Object, ns: &str, stored: &ObjKey, mode: DryRun) -> Result<&'static str, ApiError> {
    if obj.kind().namespaced() && obj.meta().namespace.is_empty() {
        obj.meta_mut().namespace = ns.into();
    }
    if !c.api.store().contains(stored) {
        if mode == DryRun::Server {
            c.dry_run_create(obj, ns)?;
        }
        return Ok("created");
    }
    if mode == DryRun::Server {
        let errors = crate::api::validation::validate(&obj);
        if !errors.is_empty() {
            return Err(ApiError::Invalid {
                kind: stored.kind,
                name: stored.name.to_string(),
                errors,
            });
        }
    }
    // A client-side dry run sends no patch, so it cannot tell `unchanged` (apply.go).
    Ok(if mode == DryRun::Server && c.api.applied(stored) == Some(&obj) {
        "unchanged"
    } else {
        "configured"
    })
}

/// A parsed `-l` selector (equality, inequality, set-based and existence requirements).
pub(crate) fn parse_selector(s: &str) -> Res<Vec<Requirement>> {
    let mut reqs = Vec::new();
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch)
            }
            ')' => {
                depth -= 1;
                cur.push(ch)
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let req = if let Some((k, v)) = p.split_once("!=") {
            Requirement {
                key: k.trim().into(),
                op: SelectorOp::NotEquals,
                values: vec![v.trim().into()],
            }
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            Requirement {
                key: k.trim().into(),
                op: SelectorOp::Equals,
                values: vec![v.trim().into()],
            }
        } else if let Some((k, rest)) = p.split_once(" notin ") {
            let vals = rest.trim().trim_start_matches('(').trim_end_matches(')');
            Requirement {
                key: k.trim().into(),
                op: SelectorOp::NotIn,
                values: vals.split(',').map(|v| v.trim().to_string()).collect(),
            }
        } else if let Some((k, rest)) = p.split_once(" in ") {
            let vals = rest.trim().trim_start_matches('(').trim_end_matches(')');
            Requirement {
                key: k.trim().into(),
                op: SelectorOp::In,
                values: vals.split(',').map(|v| v.trim().to_string()).collect(),
            }
        } else if let Some(k) = p.strip_prefix('!') {
            Requirement {
                key: k.trim().into(),
                op: SelectorOp::DoesNotExist,
                values: vec![],
            }
        } else {
            Requirement {
                key: p.into(),
                op: SelectorOp::Exists,
                values: vec![],
            }
        };
        if req.key.is_empty() || req.key.contains(' ') {
            return Err(Error::other(format!(
                "unable to parse requirement: found '{p}', expected: identifier"
            )));
        }
        reqs.push(req);
    }
    Ok(reqs)
}

fn get(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some(first) = args.pos.first() else {
        // `fmt.Fprint(o.ErrOut, "You must specify the type of resource to get. ", …)`, then a usage error.
        return Err(Error::Plain(format!("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n{}", Error::usage("get", "Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).").render())));
    };
    let selector = args.selector.as_deref().map(parse_selector).transpose()?;
    if matches!(first.as_str(), "ev" | "event" | "events" | "events.events.k8s.io") {
        return get_events(c, args, ns, selector.is_some());
    }
    // Resource list: `get all`, `get svc,ep`, `get pod/jump svc/ent`, `get pods jump`.
    let mut kinds: Vec<Kind> = Vec::new();
    let mut names: Vec<(Kind, String)> = Vec::new();
    let mut explicit_kinds = 0;
    for (i, a) in args.pos.iter().enumerate() {
        if let Some((r, n)) = a.split_once('/') {
            let Some(k) = kind_of(r) else {
                return Err(Error::NoResourceType(r.to_string()));
            };
            names.push((k, n.to_string()));
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        } else if i == 0 {
            for r in a.split(',') {
                if r == "all" {
                    kinds.extend([Kind::Pod, Kind::Service, Kind::DaemonSet, Kind::Deployment, Kind::ReplicaSet]);
                } else {
                    match kind_of(r) {
                        Some(k) => kinds.push(k),
                        None => return Err(Error::NoResourceType(r.to_string())),
                    }
                }
                explicit_kinds += 1;
            }
        } else if kinds.len() == 1 {
            names.push((kinds[0], a.clone()));
        } else {
            return Err(Error::other("arguments in resource/name form must have a single resource and name"));
        }
    }
    let _ = first;
    let multi = kinds.len() > 1
        || args.pos.first().is_some_and(|a| a == "all")
        || explicit_kinds > 1
        || args.pos.iter().filter(|a| a.contains('/')).count() > 0 && kinds.len() > 1;
    let opts = Opts {
        wide: args.out == Output::Wide,
        show_labels: args.show_labels,
        no_headers: args.no_headers,
    };
    let all_ns = args.all_namespaces;
    let mut blocks: Vec<String> = Vec::new();
    let mut missing = String::new();
    let mut found_any = false;
    let mut name_lines = String::new();
    let structured = matches!(args.out, Output::Yaml | Output::Json | Output::JsonPath(_));
    let mut values: Vec<serde_json::Value> = Vec::new();
    for kind in &kinds {
        let wanted: Vec<&String> = names.iter().filter(|(k, _)| k == kind).map(|(_, n)| n).collect();
        let scope = if kind.namespaced() && !all_ns { Some(ns) } else { None };
        let matches = |o: &&Object| selector.as_ref().is_none_or(|s| s.iter().all(|r| r.matches(&o.meta().labels)));
        // Named objects are looked up by key, not found in a listing of their namespace.
        let by_key = !wanted.is_empty() && (scope.is_some() || !kind.namespaced());
        let mut objs: Vec<&Object> = if by_key {
            Vec::new()
        } else {
            c.api.store().list(*kind, scope).filter(matches).collect()
        };
        if !wanted.is_empty() {
            let mut picked = Vec::new();
            for w in &wanted {
                let found = if by_key {
                    c.api.store().get(&ObjKey::new(*kind, scope.unwrap_or(""), w)).filter(matches)
                } else {
                    objs.iter().find(|o| o.meta().name == **w).copied()
                };
                match found {
                    Some(o) => picked.push(o),
                    // `IgnoreErrors(apierrors.IsNotFound)`: the name is dropped silently.
                    None if args.ignore_not_found => {}
                    None => missing.push_str(&Error::not_found(*kind, w).line()),
                }
            }
            objs = picked;
        }
        if objs.is_empty() {
            continue;
        }
        found_any = true;
        if structured {
            values.extend(objs.iter().map(|o| crate::printers::object::to_value(o, c.api.store())));
            continue;
        }
        if args.out == Output::Name {
            for o in &objs {
                name_lines.push_str(&format!("{}/{}\n", kind.resource(), o.meta().name));
            }
            continue;
        }
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut header: Vec<String> = pk::headers(*kind, opts).into_iter().map(String::from).collect();
        if all_ns && kind.namespaced() {
            header.insert(0, "NAMESPACE".into());
        }
        if !opts.no_headers {
            rows.push(header);
        }
        for o in objs {
            let name = if multi {
                format!("{}/{}", kind.resource(), o.meta().name)
            } else {
                o.meta().name.to_string()
            };
            let mut r = pk::row(o, &name, c.now, opts);
            if all_ns && kind.namespaced() {
                r.insert(0, o.meta().namespace.to_string());
            }
            rows.push(r);
        }
        blocks.push(table::render(&rows));
    }
    if structured && values.is_empty() && args.ignore_not_found {
        // `printGeneric`: no objects and `--ignore-not-found` print nothing, not an empty List.
        return Ok(Outcome::ok(String::new()));
    }
    if structured {
        let single = names.len() == 1 && values.len() == 1;
        let v = if single {
            values.pop().unwrap_or_default()
        } else {
            crate::printers::object::list_value(values)
        };
        let text = match &args.out {
            Output::Json => crate::printers::goyaml::to_json(&v),
            Output::JsonPath(t) => match crate::printers::jsonpath::render(t, &v) {
                Ok(s) => s,
                Err(e) => return Err(Error::Plain(format!("{e}{missing}"))),
            },
            _ => crate::printers::goyaml::to_yaml(&v),
        };
        // A name that was not found alone prints only the error.
        let text = if names.len() == 1 && !missing.is_empty() {
            String::new()
        } else {
            text
        };
        return Ok(Outcome {
            output: format!("{text}{missing}"),
            status: if missing.is_empty() { 0 } else { 1 },
        });
    }
    if args.out == Output::Name {
        return Ok(Outcome {
            output: format!("{name_lines}{missing}"),
            status: if missing.is_empty() { 0 } else { 1 },
        });
    }
    if !found_any && missing.is_empty() {
        // `!o.IgnoreNotFound` guards "No resources found" (and `printGeneric` prints nothing
        // for no objects).
        if args.ignore_not_found {
            return Ok(Outcome::ok(String::new()));
        }
        let msg = if all_ns || kinds.iter().all(|k| !k.namespaced()) {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
        return Ok(Outcome::ok(msg));
    }
    Ok(Outcome {
        // A blank line between kinds, only under headers (`!o.NoHeaders` in `GetOptions.Run`).
        output: format!("{}{missing}", blocks.join(if opts.no_headers { "" } else { "\n" })),
        status: if missing.is_empty() { 0 } else { 1 },
    })
}

/// `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (printers.go `printEvent`),
/// in the order the server lists them (by name: grouped by object, then by time).
fn get_events(c: &Cluster, args: &Args, ns: &str, has_selector: bool) -> Res {
    let scope = if args.all_namespaces { None } else { Some(ns) };
    let mut events = c.events.list(scope, c.now);
    // Events carry no labels: any selector matches none of them.
    if has_selector {
        events.clear();
    }
    let names: Vec<&String> = args.pos.iter().skip(1).collect();
    if !names.is_empty() {
        let mut out = String::new();
        let mut missing = String::new();
        let picked: Vec<&crate::events::Event> = names
            .iter()
            .filter_map(|n| {
                let hit = events.iter().find(|e| e.name() == **n).copied();
                if hit.is_none() {
                    // Events are core/v1 `events` here (the `events.k8s.io` group is not served).
                    missing.push_str(
                        &Error::Api(ApiError::NotFound {
                            resource: "events".into(),
                            name: n.to_string(),
                        })
                        .line(),
                    );
                }
                hit
            })
            .collect();
        if !picked.is_empty() {
            out = table::render(&crate::events::table_rows(&picked, c.now, args.all_namespaces));
        }
        let status = if missing.is_empty() { 0 } else { 1 };
        return Ok(Outcome {
            output: format!("{out}{missing}"),
            status,
        });
    }
    if let Some(path) = &args.sort_by {
        // kubectl's RuntimeSort: a stable sort of the listed objects on one field
        // (timestamps at the API's one-second precision).
        let field = path.trim_start_matches('{').trim_end_matches('}');
        match field {
            ".lastTimestamp" => events.sort_by_key(|e| e.last.0 / 1000),
            ".firstTimestamp" | ".metadata.creationTimestamp" => events.sort_by_key(|e| e.first.0 / 1000),
            ".count" => events.sort_by_key(|e| e.count),
            ".reason" => events.sort_by(|a, b| a.reason.cmp(b.reason)),
            ".metadata.name" => events.sort_by(|a, b| a.cmp_name(b)),
            _ if !events.is_empty() => {
                return Err(Error::other(format!(
                    "couldn't find any field with path \"{{{field}}}\" in the list of objects"
                )))
            }
            _ => {}
        }
    }
    if events.is_empty() {
        return Ok(Outcome::ok(if args.all_namespaces {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        }));
    }
    Ok(Outcome::ok(table::render(&crate::events::table_rows(
        &events,
        c.now,
        args.all_namespaces,
    ))))
}

fn exec(sh: &mut Shell, c: &mut Cluster, files: &dyn Files, args: &Args, ns: &str, raw: &[String]) -> Res {
    let Some(pod_name) = args.pos.first() else {
        return Err(Error::other("pod, type/name or --filename must be specified"));
    };
    let pod_name = pod_name
        .strip_prefix("pod/")
        .or_else(|| pod_name.strip_prefix("pods/"))
        .unwrap_or(pod_name)
        .to_string();
    let command = match &args.command {
        Some(cmd) if !cmd.is_empty() => cmd.clone(),
        _ if args.pos.len() > 1 => {
            let _ = raw;
            return Err(Error::usage(
                "exec",
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            ));
        }
        _ => return Err(Error::other("you must specify at least one command for the container")),
    };
    let Some(pod) = c.api.store().pod(ns, &pod_name).cloned() else {
        return Err(Error::not_found(Kind::Pod, &pod_name));
    };
    let container = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
    if pod.status.phase != PodPhase::Running || pod.is_terminating() {
        if pod.status.phase == PodPhase::Pending {
            return Err(Error::other(format!(
                "unable to upgrade connection: container not found (\"{container}\")"
            )));
        }
        return Err(Error::other(format!(
            "cannot exec into a container in a completed pod; current phase is {}",
            pod.status.phase.as_str()
        )));
    }
    let info = crate::apps::image_info(pod.spec.containers.first().map(|c| c.image.as_str()).unwrap_or(""));
    let prog = command[0].rsplit('/').next().unwrap_or("").to_string();
    let is_shell = matches!(prog.as_str(), "bash" | "sh" | "ash");
    let flavor = Flavor::of_image(info.distro, &prog);
    if is_shell && command.len() == 1 {
        let has = match prog.as_str() {
            "bash" => info.shell == "bash",
            _ => true,
        };
        if !has {
            return Err(Error::other(format!("Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{prog}\": executable file not found in $PATH: unknown")));
        }
        let mut out = String::new();
        if !args.interactive {
            return Ok(Outcome::ok(""));
        }
        if pod.spec.containers.len() > 1 && args.container.is_none() {
            out.push_str(&format!(
                "Defaulted container \"{container}\" out of: {}\n",
                pod.spec.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")
            ));
        }
        sh.stack.push(Location::Pod {
            namespace: ns.to_string(),
            name: pod_name,
            uid: pod.meta.uid.clone(),
            shell: flavor,
        });
        return Ok(Outcome::ok(out));
    }
    // One-shot command: run it in the Pod and come back.
    let depth = sh.stack.len();
    sh.stack.push(Location::Pod {
        namespace: ns.to_string(),
        name: pod_name.clone(),
        uid: pod.meta.uid.clone(),
        shell: flavor,
    });
    let r = if is_shell && command.get(1).map(String::as_str) == Some("-c") {
        // `sh -c 'for i in 1 2 3; do curl -s ent:8080; done'`: the shell's language.
        sh.run_script(c, files, command.get(2).map(String::as_str).unwrap_or(""))
    } else {
        sh.in_pod(c, ns, &pod_name, &command)
    };
    // Back where it was typed, whatever the command did to the stack: an `exit` in the
    // script already left the Pod (popping again emptied the stack: found by fuzzing).
    sh.stack.truncate(depth);
    if r.status != 0 {
        let mut out = r.output;
        out.push_str(&format!("command terminated with exit code {}\n", r.status));
        return Ok(Outcome::err(out, r.status));
    }
    Ok(r)
}

/// The grace period a `kubectl delete` asks for, and the warning it prints first:
/// `DeleteFlags.ToOptions` (`--now` is 1, and not with `--grace-period`),
/// `DeleteOptions.Complete` (0 without `--force` is 1; `--force` alone is 0) and `Validate`
/// (`--force` with 0 warns, with more is refused). `None`: each object's own.
pub(super) fn delete_grace(args: &Args) -> Res<(Option<u64>, String)> {
    let mut grace = args.grace_period;
    if args.now {
        if grace >= 0 {
            return Err(Error::other("--now and --grace-period cannot be specified together"));
        }
        grace = 1;
    }
    if grace == 0 && !args.force {
        grace = 1;
    }
    if args.force && grace < 0 {
        grace = 0;
    }
    let mut warning = String::new();
    if args.force {
        if grace > 0 {
            return Err(Error::other(
                "--force and --grace-period greater than 0 cannot be specified together",
            ));
        }
        warning.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    Ok((u64::try_from(grace).ok(), warning))
}

fn delete(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let mut targets: Vec<ObjKey> = Vec::new();
    let (grace, warning) = delete_grace(args)?;
    let mut out = warning;
    // `PrintObj`: a grace period of 0 is a force deletion.
    let op = if grace == Some(0) { "force deleted" } else { "deleted" };
    if let Some(k) = args.pos.first().and_then(|r| if r.contains('/') { None } else { kind_of(r) }) {
        if args.selector.is_some() || args.all {
            let reqs = args.selector.as_deref().map(parse_selector).transpose()?.unwrap_or_default();
            let scope = if k.namespaced() { Some(ns) } else { None };
            targets.extend(
                c.api
                    .store()
                    .list(k, scope)
                    .filter(|o| reqs.iter().all(|r| r.matches(&o.meta().labels)))
                    .map(Object::key),
            );
            if targets.is_empty() {
                return Ok(Outcome::ok(if k.namespaced() {
                    format!("No resources found in {ns} namespace.\n")
                } else {
                    "No resources found\n".into()
                }));
            }
        } else {
            if args.pos.len() < 2 {
                return Err(Error::other("resource(s) were provided, but no name was specified"));
            }
            for n in &args.pos[1..] {
                targets.push(ObjKey::new(k, ns, n));
            }
        }
    } else {
        for a in &args.pos {
            let Some((r, n)) = a.split_once('/') else {
                return Err(Error::NoResourceType(a.to_string()));
            };
            let Some(k) = kind_of(r) else {
                return Err(Error::NoResourceType(r.to_string()));
            };
            targets.push(ObjKey::new(k, ns, n));
        }
    }
    if targets.is_empty() {
        return Err(Error::other("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    }
    match (&args.output, args.dry_run) {
        (Some(o), _) if o != "name" => return Err(Error::other(format!("unexpected -o output mode: {o}. We only support '-o name'"))),
        (_, DryRun::None) => {}
        (o, dry) => {
            // Nothing is deleted. A client dry run does not even ask whether the named objects
            // exist (the builder makes their infos without a GET); the server answers NotFound.
            let mut status = 0;
            for t in targets {
                if dry == DryRun::Server && !c.api.store().contains(&t) {
                    if !args.ignore_not_found {
                        out.push_str(&Error::not_found(t.kind, &t.name).line());
                        status = 1;
                    }
                } else if o.is_some() {
                    out.push_str(&format!("{}/{}\n", t.kind.resource(), t.name));
                } else {
                    out.push_str(&format!("{}{}\n", imperative::deleted_line(&t, op).trim_end(), dry.suffix()));
                }
            }
            return Ok(Outcome { output: out, status });
        }
    }
    let mut status = 0;
    let mut waiting: Vec<(ObjKey, Uid)> = Vec::new();
    for t in targets {
        let uid = c.api.store().get(&t).map(|o| o.meta().uid.clone()).unwrap_or_default();
        match c.delete_with_grace(&t, grace) {
            Ok(()) => {
                waiting.push((t.clone(), uid));
                let res = t.kind.resource().split('.').next().unwrap_or("");
                let res = if t.kind == Kind::Deployment || t.kind == Kind::ReplicaSet || t.kind == Kind::DaemonSet {
                    t.kind.resource()
                } else {
                    res
                };
                out.push_str(&format!("{res} \"{}\" {op}\n", t.name));
                c.settle();
            }
            // `IgnoreErrors(errors.IsNotFound)`: the failed DELETE is filtered out.
            Err(ApiError::NotFound { .. }) if args.ignore_not_found => {}
            Err(e) => {
                out.push_str(&format!("{}\n", e.aggregate_line(None)));
                status = 1;
            }
        }
    }
    // `--wait` (the default) blocks until the objects are really gone: for a Pod, until its
    // containers exited or the grace period ran out. Simulated time passes meanwhile.
    if args.wait {
        for _ in 0..6000 {
            let gone = waiting
                .iter()
                .all(|(k, uid)| c.api.store().get(k).is_none_or(|o| o.meta().uid != *uid));
            if gone {
                break;
            }
            c.advance_ms(100);
        }
    }
    Ok(Outcome { output: out, status })
}

/// `kubectl logs POD | TYPE/NAME | -l SELECTOR`. A workload's logs are its first Pod's
/// (`GetFirstPod`: running and ready before others, then the oldest), announced as kubectl
/// announces it when there are several; `-l` prints each matching Pod's in turn.
fn logs(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    if let Some(sel) = &args.selector {
        let reqs = parse_selector(sel)?;
        let pods: Vec<Pod> = c
            .api
            .store()
            .list(Kind::Pod, Some(ns))
            .filter(|o| reqs.iter().all(|r| r.matches(&o.meta().labels)))
            .filter_map(|o| if let Object::Pod(p) = o { Some(p.clone()) } else { None })
            .collect();
        if pods.is_empty() {
            return Ok(Outcome::ok(format!("No resources found in {ns} namespace.\n")));
        }
        let mut out = Outcome::ok("");
        for p in &pods {
            match pod_logs(c, p) {
                Ok(r) => out.output.push_str(&r.output),
                Err(e) => {
                    out.output.push_str(&e.render());
                    out.status = 1;
                }
            }
        }
        return Ok(out);
    }
    let Some(name) = args.pos.first() else {
        return Err(Error::usage(
            "logs",
            "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
        ));
    };
    let (kind, name) = match name.split_once('/') {
        Some((r, n)) => match kind_of(r) {
            Some(k) => (k, n),
            None => return Err(Error::NoResourceType(r.to_string())),
        },
        None => (Kind::Pod, name.as_str()),
    };
    if kind == Kind::Pod {
        let Some(pod) = c.api.store().pod(ns, name).cloned() else {
            return Err(Error::not_found(Kind::Pod, name));
        };
        return pod_logs(c, &pod);
    }
    let Some(obj) = c.api.store().get(&ObjKey::new(kind, ns, name)) else {
        return Err(Error::not_found(kind, name));
    };
    let selector: Option<Labels> = match obj {
        Object::Deployment(d) => Some(d.selector.match_labels.clone()),
        Object::ReplicaSet(r) => Some(r.selector.match_labels.clone()),
        Object::DaemonSet(d) => Some(d.selector.match_labels.clone()),
        Object::Service(s) => s.spec.selector.clone(),
        _ => None,
    };
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return Err(Error::other(format!("cannot get the logs from {}", kind.resource())));
    };
    let mut pods: Vec<&Pod> = c
        .api
        .store()
        .list(Kind::Pod, Some(ns))
        .filter_map(|o| if let Object::Pod(p) = o { Some(p) } else { None })
        .filter(|p| selector.iter().all(|(k, v)| p.meta.labels.get(k) == Some(v)))
        .collect();
    // podutils.ByLogging: running before not, ready before not, older before newer.
    pods.sort_by_key(|p| {
        (
            p.status.phase != PodPhase::Running,
            !p.status.ready,
            p.meta.creation.0,
            p.meta.name.clone(),
        )
    });
    let Some(first) = pods.first().map(|p| (*p).clone()) else {
        return Err(Error::other("timed out waiting for the condition"));
    };
    let mut out = if pods.len() > 1 {
        format!("Found {} pods, using pod/{}\n", pods.len(), first.meta.name)
    } else {
        String::new()
    };
    match pod_logs(c, &first) {
        Ok(r) => {
            out.push_str(&r.output);
            Ok(Outcome::ok(out))
        }
        Err(e) => Ok(Outcome::err(format!("{out}{}", e.render()), 1)),
    }
}

/// One Pod's logs: what its image prints (only CoreDNS prints anything here).
fn pod_logs(c: &Cluster, pod: &Pod) -> Res {
    let name = &pod.meta.name;
    let image = pod.spec.containers.first().map(|c| c.image.clone()).unwrap_or_default();
    if pod.status.phase == PodPhase::Pending {
        let cn = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
        return Err(Error::Api(ApiError::BadRequest(format!(
            "container \"{cn}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        ))));
    }
    if crate::apps::image_name(&image) == "coredns" {
        // Startup lines, reloads and the `log` plugin's query lines (crate::dns::querylog).
        return Ok(Outcome::ok(c.coredns_log(pod)));
    }
    Ok(Outcome::ok(""))
}

fn scale(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some(n) = args.replicas else {
        return Err(Error::other("required flag(s) \"replicas\" not set"));
    };
    let (kind, name) = match (args.pos.first(), args.pos.get(1)) {
        (Some(a), None) if a.contains('/') => {
            let (r, n) = a.split_once('/').unwrap_or((a, ""));
            (kind_of(r), n.to_string())
        }
        (Some(r), Some(n)) => (kind_of(r), n.clone()),
        _ => return Err(Error::other("resource(s) were provided, but no name was specified")),
    };
    let key = ObjKey::new(kind.unwrap_or(Kind::Deployment), ns, &name);
    if args.dry_run != DryRun::None {
        // kubectl prints the object it fetched, as it was: the scale itself is the dry run.
        let Some(obj) = c
            .api
            .store()
            .get(&key)
            .filter(|o| matches!(o, Object::Deployment(_) | Object::ReplicaSet(_)))
        else {
            return Err(Error::not_found(key.kind, &name));
        };
        let _ = n;
        return imperative::print_one(args, key.kind, &name, "scaled", false, || {
            crate::printers::object::to_value(obj, c.api.store())
        });
    }
    match c.api.store().get(&key).cloned() {
        Some(Object::Deployment(mut d)) => {
            d.replicas = n;
            d.meta.generation += 1;
            c.write(Object::Deployment(d));
        }
        Some(Object::ReplicaSet(mut r)) => {
            r.replicas = n;
            c.write(Object::ReplicaSet(r));
        }
        _ => return Err(Error::not_found(key.kind, &name)),
    }
    c.settle();
    Ok(Outcome::ok(format!("{}/{name} scaled\n", key.kind.resource())))
}
