//! kubectl's imperative verbs and `describe`: `run`, `create namespace|deployment|configmap|
//! service clusterip|nodeport|loadbalancer|externalname`, `expose`, `label`, `delete -f`, each
//! printing exactly what kubectl prints (`pod/x created`, `service/x exposed`, `pod/x labeled`,
//! `deployment.apps "x" deleted`, with ` (dry run)` / ` (server dry run)`), or with `-o
//! yaml|json|name|jsonpath=` the object: for `--dry-run=client` as the generator built it
//! ([`crate::printers::generated`]), for `--dry-run=server` as the API server would store it
//! ([`Cluster::dry_run_create`]: nothing stored, nothing allocated), otherwise as stored.
//! Objects go through the same admission path as `apply` (validation errors print the same).

use crate::api::ApiError;
use crate::cluster::Cluster;
use crate::manifest::{self, Parsed};
use crate::model::*;
use crate::printers::describe as pd;
use compact_str::ToCompactString;

use super::error::{Error, Res};
use super::{kind_of, Args, DryRun, Output};
use crate::printers::generated::{self as gen, Generator};
use crate::printers::{goyaml, jsonpath, object};
use crate::shell::{Files, Location, Outcome, Shell};
use serde_json::Value;

/// What a verb prints for one object: its message (`namespace/dev created (dry run)`), its
/// name (`-o name`), or the object (`-o yaml|json|jsonpath=`). `typed`: kubectl holds a typed
/// Go object (its JSON keeps the struct's field order); otherwise an unstructured one (sorted).
pub(super) fn print_one(args: &Args, kind: Kind, name: &str, word: &str, typed: bool, value: impl FnOnce() -> Value) -> Res {
    let res = kind.resource();
    let text = match &args.out {
        Output::Name => format!("{res}/{name}\n"),
        Output::Yaml => goyaml::to_yaml(&value()),
        Output::Json if typed => goyaml::to_json_ordered(&value(), &gen::go_field_rank),
        Output::Json => goyaml::to_json(&value()),
        Output::JsonPath(t) => jsonpath::render(t, &value()).map_err(Error::Plain)?,
        Output::Default | Output::Wide => format!("{res}/{name} {word}{}\n", args.dry_run.suffix()),
    };
    Ok(Outcome::ok(text))
}

/// The object a server-side dry run returns: as [`object::to_value`] prints a stored one, less
/// what only storage and the controllers add (resourceVersion, the Deployment's revision and
/// status, a Pod's conditions).
pub(super) fn server_dry_run_value(obj: &Object, store: &crate::api::Store) -> Value {
    let mut v = object::to_value(obj, store);
    if let Some(md) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        md.remove("resourceVersion");
        if let Some(ann) = md.get_mut("annotations").and_then(Value::as_object_mut) {
            ann.remove("deployment.kubernetes.io/revision");
            if ann.is_empty() {
                md.remove("annotations");
            }
        }
    }
    if let Some(m) = v.as_object_mut() {
        match obj {
            Object::Deployment(_) => {
                m.insert("status".into(), serde_json::json!({}));
            }
            Object::Pod(_) => {
                m.insert("status".into(), serde_json::json!({"phase": "Pending", "qosClass": "BestEffort"}));
            }
            _ => {}
        }
    }
    v
}

/// Create what generator `g` built, or dry-run it, and print the result as kubectl does.
fn make(c: &mut Cluster, args: &Args, ns: &str, mut obj: Object, g: Generator, word: &str) -> Res {
    let kind = obj.kind();
    let name = obj.meta().name.clone();
    match args.dry_run {
        DryRun::Client => {
            if kind.namespaced() {
                obj.meta_mut().namespace = ns.into();
            }
            print_one(args, kind, &name, word, true, || {
                gen::generated_value(&obj, g, args.namespace.is_some())
            })
        }
        DryRun::Server => match c.dry_run_create(obj, ns) {
            Ok(o) => print_one(args, kind, &name, word, true, || server_dry_run_value(&o, c.api.store())),
            Err(ApiError::AlreadyExists { .. }) => Err(Error::already_exists(kind, &name)),
            Err(e) => Err(e.into()),
        },
        DryRun::None => match create_obj(c, obj, ns) {
            Ok(key) => print_one(args, kind, &name, word, true, || {
                c.api
                    .store()
                    .get(&key)
                    .map(|o| object::to_value(o, c.api.store()))
                    .unwrap_or_default()
            }),
            Err(e) => Err(e),
        },
    }
}

/// Admit and store a new object; its key when created.
fn create_obj(c: &mut Cluster, obj: Object, ns: &str) -> Res<ObjKey> {
    let key = ObjKey::new(obj.kind(), ns, &obj.meta().name);
    if c.api.store().contains(&key) {
        return Err(Error::already_exists(key.kind, &key.name));
    }
    let stored = ObjKey::new(key.kind, if key.kind.namespaced() { ns } else { "" }, &key.name);
    match c.apply(obj, ns, false) {
        Ok(_) => {
            // Imperative creation records no last-applied-configuration: a later
            // `kubectl apply` warns about it and says `configured`.
            c.api.forget_applied(&stored);
            c.settle();
            Ok(stored)
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_labels(s: &str) -> Res<Labels> {
    let mut l = Labels::new();
    for kv in s.split(',').filter(|p| !p.is_empty()) {
        match kv.split_once('=') {
            Some((k, v)) => {
                l.insert(k.to_compact_string(), v.to_compact_string());
            }
            None => return Err(Error::other(format!("invalid label spec: {kv}"))),
        }
    }
    Ok(l)
}

/// `kubectl run NAME --image=IMG [--port] [--labels] [-it] [--rm] [--restart] [-- ARGS]`.
pub(super) fn run(sh: &mut Shell, c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some(name) = args.pos.first().cloned() else {
        return Err(Error::usage("run", "NAME is required for run"));
    };
    let Some(image) = args.image.clone().filter(|i| !i.is_empty()) else {
        return Err(Error::other("--image is required"));
    };
    let mut labels = Labels::new();
    labels.insert("run".into(), name.clone().into());
    // `kubectl run -l` is `--labels` (not a selector).
    if let Some(l) = &args.labels {
        match parse_labels(l) {
            Ok(l) => labels = l,
            Err(e) => return Err(e),
        }
    }
    let mut ports = Vec::new();
    if let Some(p) = &args.port {
        match p.parse::<i64>() {
            Ok(n) => ports.push(ContainerPort {
                name: None,
                container_port: n,
                protocol: Protocol::Tcp,
            }),
            Err(_) => return Err(bad_port(p)),
        }
    }
    let cmd_args = args.command.clone().unwrap_or_default();
    let restart = args.restart.as_str().to_string();
    if args.interactive && args.dry_run != DryRun::None {
        return Err(Error::usage(
            "run",
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    let pod = Pod {
        meta: ObjectMeta {
            name: name.clone().into(),
            namespace: ns.into(),
            labels: labels.into(),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: image.clone(),
                ports,
                command: Vec::new(),
                args: cmd_args.clone(),
                tty: args.interactive,
                stdin: args.interactive,
                readiness_delay_seconds: None,
            }]
            .into(),
            restart_policy: restart,
            ..Default::default()
        }
        .into(),
        status: PodStatus::default(),
    };
    if !args.interactive {
        return make(c, args, ns, Object::Pod(pod), Generator::Run, "created");
    }
    create_obj(c, Object::Pod(pod), ns)?;
    // Attach: wait (in simulated time) until the container runs, then enter its shell.
    for _ in 0..600 {
        match c.api.store().pod(ns, &name) {
            Some(p) if p.status.phase == PodPhase::Running => break,
            Some(_) => c.advance_ms(100),
            None => break,
        }
    }
    let Some(p) = c.api.store().pod(ns, &name).cloned() else {
        return Err(Error::not_found(Kind::Pod, &name));
    };
    if p.status.phase != PodPhase::Running {
        return Err(Error::other("timed out waiting for the condition"));
    }
    let info = crate::apps::image_info(&image);
    let prog = cmd_args
        .first()
        .map(|s| s.rsplit('/').next().unwrap_or("").to_string())
        .unwrap_or_else(|| info.shell.to_string());
    sh.stack.push(Location::Pod {
        namespace: ns.to_string(),
        name,
        uid: p.meta.uid.clone(),
        shell: super::super::lang::Flavor::of_image(info.distro, &prog),
    });
    sh.attached.insert(p.meta.uid.clone(), args.rm);
    Ok(Outcome::ok("If you don't see a command prompt, try pressing enter.\n"))
}

fn bad_port(p: &str) -> Error {
    Error::other(format!("strconv.Atoi: parsing \"{p}\": invalid syntax"))
}

/// The container name `kubectl create deployment` derives from an image.
fn container_name_for(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split(['@', ':']).next().unwrap_or(base);
    base.to_string()
}

/// A `--tcp` port spec as `create service` reads it: `PORT[:TARGET]`, named `PORT` or
/// `PORT-TARGET` (`8080-8080`).
fn service_ports(args: &Args, node_port: Option<i64>) -> Res<Vec<ServicePort>> {
    let mut ports = Vec::new();
    for spec in &args.tcp {
        let (p, t, name) = match spec.split_once(':') {
            Some((p, t)) => (p, t, format!("{p}-{t}")),
            None => (spec.as_str(), spec.as_str(), spec.clone()),
        };
        let Ok(port) = p.parse::<i64>() else {
            return Err(bad_port(p));
        };
        let target = match t.parse::<i64>() {
            Ok(n) => IntOrString::Int(n),
            Err(_) => IntOrString::Str(t.to_string()),
        };
        ports.push(ServicePort {
            name: Some(name),
            protocol: Protocol::Tcp,
            port,
            target_port: target,
            node_port,
        });
    }
    Ok(ports)
}

/// Sub-commands of `kubectl create` that sdplay does not simulate.
const CREATE_NOT_SIMULATED: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "cronjob",
    "ingress",
    "job",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "serviceaccount",
    "sa",
    "token",
];

/// `kubectl create namespace|deployment|configmap|service …` (the sub-command path in
/// `args.sub`; `create -f` is [`super::apply`]).
pub(super) fn create(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let path = std::iter::once("create")
        .chain(args.sub.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    // `NameFromCommandArgs`.
    let one_name = || match args.pos.as_slice() {
        [n] => Ok(n.clone()),
        other => Err(Error::usage(&path, format!("exactly one NAME is required, got {}", other.len()))),
    };
    match args.sub.as_slice() {
        [] => match args.pos.first() {
            None => Err(Error::other("must specify one of -f and -k")),
            Some(w) if CREATE_NOT_SIMULATED.contains(&w.as_str()) || w == "secret" => {
                Err(Error::NotSimulated(format!("`kubectl create {w}` is not simulated yet")))
            }
            // cobra's `legacyArgs`: a command with sub-commands takes no other arguments.
            Some(_) => Err(Error::usage("create", format!("Unexpected args: [{}]", args.pos.join(" ")))),
        },
        ["service"] | ["secret"] => Err(Error::NotSimulated(format!("`kubectl {path}` (its help) is not simulated"))),
        ["namespace"] => {
            let name = one_name()?;
            let mut labels = Labels::new();
            labels.insert("kubernetes.io/metadata.name".into(), name.clone().into());
            let obj = Object::Namespace(Namespace {
                meta: ObjectMeta {
                    name: name.clone().into(),
                    labels: labels.into(),
                    ..Default::default()
                },
            });
            make(c, args, ns, obj, Generator::Namespace, "created")
        }
        ["configmap"] => {
            let name = one_name()?;
            if args.from_file || args.from_env_file {
                return Err(Error::NotSimulated(
                    "`kubectl create configmap --from-file|--from-env-file` is not simulated (files are not)".into(),
                ));
            }
            let mut data = std::collections::BTreeMap::new();
            for lit in &args.from_literal {
                let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
                    return Err(Error::other(format!("invalid literal source {lit}, expected key=value")));
                };
                // addKeyFromLiteralToConfigMap: kubectl checks the key itself (IsConfigMapKey).
                let errs = crate::api::validation::names::is_config_map_key(k);
                if !errs.is_empty() {
                    return Err(Error::other(format!(
                        "{} is not a valid key name for a ConfigMap: {}",
                        crate::api::validation::quote(k),
                        errs.join(",")
                    )));
                }
                if data.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(Error::other(format!(
                        "cannot add key \"{k}\", another key by that name already exists in Data for ConfigMap \"{name}\""
                    )));
                }
            }
            let obj = Object::ConfigMap(ConfigMap {
                meta: ObjectMeta {
                    name: name.clone().into(),
                    namespace: ns.into(),
                    ..Default::default()
                },
                data,
            });
            make(c, args, ns, obj, Generator::ConfigMap, "created")
        }
        ["secret", "generic"] => {
            let name = one_name()?;
            if args.from_file || args.from_env_file {
                return Err(Error::NotSimulated(
                    "`kubectl create secret generic --from-file|--from-env-file` is not simulated (files are not)".into(),
                ));
            }
            // `handleSecretFromLiteralSources` (create_secret.go): `ParseLiteralSource`, then
            // `addKeyFromLiteralToSecret`.
            let mut data: std::collections::BTreeMap<String, Vec<u8>> = std::collections::BTreeMap::new();
            for lit in &args.from_literal {
                let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
                    return Err(Error::other(format!("invalid literal source {lit}, expected key=value")));
                };
                let errs = crate::api::validation::names::is_config_map_key(k);
                if !errs.is_empty() {
                    return Err(Error::other(format!(
                        "{} is not valid key name for a Secret {}",
                        crate::api::validation::quote(k),
                        errs.join(";")
                    )));
                }
                if data.insert(k.to_string(), v.as_bytes().to_vec()).is_some() {
                    return Err(Error::other(format!("cannot add key {k}, another key by that name already exists")));
                }
            }
            let obj = Object::Secret(Secret {
                meta: ObjectMeta {
                    name: name.clone().into(),
                    namespace: ns.into(),
                    ..Default::default()
                },
                type_: args.type_.clone().unwrap_or_default(),
                data,
            });
            make(c, args, ns, obj, Generator::Secret, "created")
        }
        ["deployment"] => {
            let name = one_name()?;
            let Some(image) = args.image.clone() else {
                return Err(Error::other("required flag(s) \"image\" not set"));
            };
            let replicas = args.replicas.unwrap_or(1);
            let mut labels = Labels::new();
            labels.insert("app".into(), name.clone().into());
            // `--port` is an int32 here (checked when parsed); -1, its default, is none.
            let ports = match args.port.as_deref().and_then(|p| p.parse::<i64>().ok()) {
                None | Some(-1) => Vec::new(),
                Some(p) => vec![ContainerPort {
                    name: None,
                    container_port: p,
                    protocol: Protocol::Tcp,
                }],
            };
            let dep = Deployment {
                meta: ObjectMeta {
                    name: name.clone().into(),
                    namespace: ns.into(),
                    labels: labels.clone().into(),
                    ..Default::default()
                },
                replicas,
                selector: std::sync::Arc::new(LabelSelector {
                    match_labels: labels.clone(),
                    match_expressions: Vec::new(),
                }),
                template: std::sync::Arc::new(PodTemplate {
                    labels,
                    annotations: Labels::new(),
                    spec: PodSpec {
                        containers: vec![Container {
                            name: container_name_for(&image),
                            image,
                            ports,
                            command: Vec::new(),
                            args: Vec::new(),
                            tty: false,
                            stdin: false,
                            readiness_delay_seconds: None,
                        }]
                        .into(),
                        ..Default::default()
                    },
                }),
                status: WorkloadStatus::default(),
                collision_count: 0,
            };
            make(c, args, ns, Object::Deployment(dep), Generator::Deployment, "created")
        }
        ["service", sub] => {
            let type_ = match *sub {
                "clusterip" => ServiceType::ClusterIP,
                "nodeport" => ServiceType::NodePort,
                "loadbalancer" => ServiceType::LoadBalancer,
                _ => ServiceType::ExternalName,
            };
            let name = one_name()?;
            let node_port = args.node_port.filter(|&n| n != 0);
            let mut cluster_ip = ClusterIp::Unset;
            let mut external_name = None;
            match type_ {
                ServiceType::ClusterIP => match args.cluster_ip.as_deref() {
                    None | Some("") => {}
                    Some("None") => cluster_ip = ClusterIp::None,
                    Some(ip) => match ip.parse() {
                        Ok(ip) => cluster_ip = ClusterIp::Ip(ip),
                        Err(_) => return Err(Error::other(format!("invalid ClusterIP: {ip}"))),
                    },
                },
                ServiceType::ExternalName => {
                    let Some(en) = args.external_name.clone() else {
                        return Err(Error::other("required flag(s) \"external-name\" not set"));
                    };
                    if !crate::api::validation::is_dns1123_subdomain(&en).is_empty() {
                        return Err(Error::other(format!("invalid service external name {en}")));
                    }
                    external_name = Some(en);
                }
                _ => {}
            }
            // `--clusterip=None` (headless) and ExternalName need no port.
            if args.tcp.is_empty() && cluster_ip != ClusterIp::None && type_ != ServiceType::ExternalName {
                return Err(Error::other("at least one tcp port specifier must be provided"));
            }
            let ports = service_ports(args, node_port)?;
            let mut sel = Labels::new();
            sel.insert("app".into(), name.clone().into());
            let mut spec = ServiceSpec::new(type_, Some(sel.clone()), ports);
            spec.cluster_ip = cluster_ip;
            spec.external_name = external_name;
            let svc = Service {
                meta: ObjectMeta {
                    name: name.clone().into(),
                    namespace: ns.into(),
                    labels: sel.into(),
                    ..Default::default()
                },
                spec,
                load_balancer_ips: Vec::new(),
            };
            make(c, args, ns, Object::Service(svc), Generator::CreateService, "created")
        }
        _ => Err(Error::NotSimulated(format!("`kubectl {path}` is not simulated yet"))),
    }
}

/// Split `kind name` or `kind/name` arguments.
fn target(args: &Args) -> Option<(Kind, String, usize)> {
    let first = args.pos.first()?;
    if let Some((r, n)) = first.split_once('/') {
        return Some((kind_of(r)?, n.to_string(), 1));
    }
    Some((kind_of(first)?, args.pos.get(1)?.clone(), 2))
}

/// `kubectl expose deployment|pod|service NAME --port [--target-port] [--type] [--name]`.
pub(super) fn expose(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some((kind, name, _)) = target(args) else {
        return Err(Error::other("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    };
    let Some(obj) = c.api.store().get(&ObjKey::new(kind, ns, &name)).cloned() else {
        return Err(Error::not_found(kind, &name));
    };
    let (selector, labels, container_ports): (Labels, Labels, Vec<ContainerPort>) = match &obj {
        Object::Deployment(d) => (
            d.selector.match_labels.clone(),
            d.meta.labels.as_ref().clone(),
            d.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::ReplicaSet(r) => (
            r.selector.match_labels.clone(),
            r.meta.labels.as_ref().clone(),
            r.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::Pod(p) => (
            p.meta.labels.as_ref().clone(),
            p.meta.labels.as_ref().clone(),
            p.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::Service(s) => (
            s.spec.selector.clone().unwrap_or_default(),
            s.meta.labels.as_ref().clone(),
            Vec::new(),
        ),
        _ => return Err(Error::other(format!("cannot expose a {}", kind.name()))),
    };
    if selector.is_empty() {
        return Err(Error::other(format!(
            "couldn't retrieve selectors via --selector flag or introspection: the {} has no selector",
            kind.name()
        )));
    }
    let target_port = |p: i64| match args.target_port.as_deref() {
        Some(t) => t
            .parse::<i64>()
            .map(IntOrString::Int)
            .unwrap_or_else(|_| IntOrString::Str(t.to_string())),
        None => IntOrString::Int(p),
    };
    let ports: Vec<ServicePort> = match args.port.as_deref() {
        Some(p) => {
            let Ok(port) = p.parse::<i64>() else {
                return Err(Error::other(format!("strconv.Atoi: parsing \"{p}\": invalid syntax")));
            };
            vec![ServicePort {
                name: None,
                protocol: Protocol::Tcp,
                port,
                target_port: target_port(port),
                node_port: None,
            }]
        }
        None if container_ports.is_empty() => return Err(Error::usage("expose", "couldn't find port via --port flag or introspection")),
        None => {
            let many = container_ports.len() > 1;
            container_ports
                .iter()
                .enumerate()
                .map(|(i, cp)| ServicePort {
                    name: many.then(|| format!("port-{}", i + 1)),
                    protocol: cp.protocol,
                    port: cp.container_port,
                    target_port: target_port(cp.container_port),
                    node_port: None,
                })
                .collect()
        }
    };
    let type_given = args.type_.is_some();
    let type_ = match args.type_.as_deref() {
        None | Some("ClusterIP") => ServiceType::ClusterIP,
        Some("NodePort") => ServiceType::NodePort,
        Some("LoadBalancer") => ServiceType::LoadBalancer,
        Some(other) => {
            // The API server's `ValidateService` (pkg/apis/core/validation): `spec.type`.
            return Err(Error::Api(ApiError::Invalid {
                kind: Kind::Service,
                name,
                errors: vec![crate::api::validation::FieldError {
                    field: "spec.type".into(),
                    kind: crate::api::validation::FieldErrorKind::NotSupported {
                        value: format!("{other:?}"),
                        supported: vec!["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
                    },
                }],
            }));
        }
    };
    let svc_name = args.name.clone().unwrap_or(name);
    let svc = Service {
        meta: ObjectMeta {
            name: svc_name.clone().into(),
            namespace: ns.into(),
            labels: labels.into(),
            ..Default::default()
        },
        spec: ServiceSpec::new(type_, Some(selector), ports),
        load_balancer_ips: Vec::new(),
    };
    make(c, args, ns, Object::Service(svc), Generator::Expose { type_given }, "exposed")
}

/// `kubectl label KIND NAME k=v [k2-] [--overwrite]`.
pub(super) fn label(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some((kind, name, used)) = target(args) else {
        return Err(Error::usage(
            "label",
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    };
    let changes: Vec<&String> = args.pos.iter().skip(used).collect();
    if changes.is_empty() {
        return Err(Error::usage("label", "at least one label update is required"));
    }
    // kubectl's own parseLabels (pkg/cmd/label), before it asks the server anything: one `=`,
    // a valid label value (keys are left to the server), no key both set and removed.
    let mut set_keys: Vec<&str> = Vec::new();
    let mut removed_keys: Vec<&str> = Vec::new();
    for ch in &changes {
        if ch.contains('=') {
            let parts: Vec<&str> = ch.split('=').collect();
            if parts.len() != 2 {
                return Err(Error::other(format!("invalid label spec: {ch}")));
            }
            let errs = crate::api::validation::names::is_valid_label_value(parts[1]);
            if !errs.is_empty() {
                return Err(Error::other(format!(
                    "invalid label value: {}: {}",
                    crate::api::validation::quote(ch),
                    errs.join(";")
                )));
            }
            set_keys.push(parts[0]);
        } else if let Some(k) = ch.strip_suffix('-') {
            removed_keys.push(k);
        }
    }
    if removed_keys.iter().any(|k| set_keys.contains(k)) {
        return Err(Error::other("can not both modify and remove a label in the same command"));
    }
    let key = ObjKey::new(kind, ns, &name);
    let Some(mut obj) = c.api.store().get(&key).cloned() else {
        return Err(Error::not_found(kind, &name));
    };
    let mut labels = obj.meta().labels.as_ref().clone();
    let (mut added, mut removed) = (false, false);
    for ch in changes {
        if let Some(k) = ch.strip_suffix('-') {
            if labels.remove(k).is_some() {
                removed = true;
            }
        } else if let Some((k, v)) = ch.split_once('=') {
            match labels.get(k) {
                Some(cur) if cur == v => {}
                Some(cur) if !args.overwrite => {
                    return Err(Error::other(format!("'{k}' already has a value ({cur}), and --overwrite is false")));
                }
                _ => {
                    labels.insert(k.to_compact_string(), v.to_compact_string());
                    added = true;
                }
            }
        } else {
            return Err(Error::other(format!("invalid label spec: {ch}")));
        }
    }
    let msg = match (added, removed) {
        (true, true) => "modified",
        (true, false) => "labeled",
        (false, true) => "unlabeled",
        (false, false) => "not labeled",
    };
    if added || removed {
        let errors = crate::api::validation::validate(&{
            let mut o = obj.clone();
            o.meta_mut().labels = labels.clone().into();
            o
        });
        let label_errors: Vec<_> = errors.into_iter().filter(|e| e.field.starts_with("metadata.labels")).collect();
        if !label_errors.is_empty() {
            let e = ApiError::Invalid {
                kind,
                name: name.clone(),
                errors: label_errors,
            };
            return Err(e.into());
        }
        obj.meta_mut().labels = labels.into();
        if args.dry_run == DryRun::None {
            c.write(obj.clone());
            c.settle();
        }
    }
    // With `-o`, the object as patched (a dry run: as it would be); the patch response is
    // unstructured, so its JSON is sorted.
    print_one(args, kind, &name, msg, false, || object::to_value(&obj, c.api.store()))
}

/// How `kubectl delete` names a deleted object: `deployment.apps "x" deleted` (`op`:
/// `deleted` or `force deleted`).
pub(super) fn deleted_line(k: &ObjKey, op: &str) -> String {
    let res = match k.kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::EndpointSlice => k.kind.resource(),
        other => other.resource(),
    };
    format!("{res} \"{}\" {op}\n", k.name)
}

/// `kubectl delete -f FILE`: every object in the file, in order (namespaces last, as their
/// deletion is asynchronous in a real cluster and would not hide the objects in them yet).
pub(super) fn delete_files(c: &mut Cluster, files: &dyn Files, args: &Args, ns: &str) -> Res {
    if let Some(o) = args.output.as_deref().filter(|o| *o != "name") {
        return Err(Error::other(format!("unexpected -o output mode: {o}. We only support '-o name'")));
    }
    let mut keys: Vec<(ObjKey, String)> = Vec::new();
    for path in &args.files {
        let Some(text) = files.read(path) else {
            return Err(Error::other(format!("the path \"{path}\" does not exist")));
        };
        match manifest::parse(&text) {
            Parsed::Syntax(e) => return Err(Error::other(format!("error parsing {path}: {}", e.kubectl()))),
            Parsed::Items(items) => {
                for item in items {
                    if let Ok(o) = item.result {
                        let m = o.meta();
                        let obj_ns = if m.namespace.is_empty() { ns } else { &m.namespace };
                        keys.push((ObjKey::new(o.kind(), obj_ns, &m.name), path.clone()));
                    }
                }
            }
        }
    }
    let (grace, warning) = super::delete_grace(args)?;
    let op = if grace == Some(0) { "force deleted" } else { "deleted" };
    let mut out = warning;
    let mut errs = String::new();
    if args.dry_run != DryRun::None {
        // In file order, nothing deleted; only the server knows what is missing.
        for (k, path) in &keys {
            if args.dry_run == DryRun::Server && !c.api.store().contains(k) {
                if args.ignore_not_found {
                    continue;
                }
                let e = ApiError::NotFound {
                    resource: crate::api::plural(k.kind).into(),
                    name: k.name.to_string(),
                };
                errs.push_str(&e.aggregate_line(Some((path, "deleting"))));
                errs.push('\n');
            } else if args.output.as_deref() == Some("name") {
                out.push_str(&format!("{}/{}\n", k.kind.resource(), k.name));
            } else {
                out.push_str(&format!("{}{}\n", deleted_line(k, op).trim_end(), args.dry_run.suffix()));
            }
        }
        let status = if errs.is_empty() { 0 } else { 1 };
        return Ok(Outcome {
            output: format!("{out}{errs}"),
            status,
        });
    }
    let mut results: Vec<Result<(), ApiError>> = vec![Ok(()); keys.len()];
    let order: Vec<usize> = (0..keys.len())
        .filter(|&i| keys.get(i).is_some_and(|(k, _)| k.kind != Kind::Namespace))
        .chain((0..keys.len()).filter(|&i| keys.get(i).is_some_and(|(k, _)| k.kind == Kind::Namespace)))
        .collect();
    for i in order {
        if let (Some((k, _)), Some(slot)) = (keys.get(i), results.get_mut(i)) {
            *slot = c.delete_with_grace(k, grace);
            c.settle();
        }
    }
    for ((k, path), r) in keys.iter().zip(results) {
        match r {
            Ok(()) => out.push_str(&deleted_line(k, op)),
            Err(ApiError::NotFound { .. }) if args.ignore_not_found => {}
            Err(e) => {
                errs.push_str(&e.aggregate_line(Some((path, "deleting"))));
                errs.push('\n');
            }
        }
    }
    let status = if errs.is_empty() { 0 } else { 1 };
    Ok(Outcome {
        output: format!("{out}{errs}"),
        status,
    })
}

/// `kubectl describe KIND [NAME…]` (name prefixes match, as `DescribeMatchingResources`).
pub(super) fn describe(c: &mut Cluster, args: &Args, ns: &str) -> Res {
    let Some(first) = args.pos.first() else {
        return Err(Error::Plain("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into()));
    };
    let mut wanted: Vec<(Kind, Option<String>)> = Vec::new();
    if first.contains('/') {
        for a in &args.pos {
            let Some((r, n)) = a.split_once('/') else {
                return Err(Error::other("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
            };
            let Some(k) = kind_of(r) else {
                return Err(Error::NoResourceType(r.to_string()));
            };
            wanted.push((k, Some(n.to_string())));
        }
    } else {
        let Some(k) = kind_of(first) else {
            return Err(Error::NoResourceType(first.to_string()));
        };
        if args.pos.len() == 1 {
            wanted.push((k, None));
        } else {
            wanted.extend(args.pos.iter().skip(1).map(|n| (k, Some(n.clone()))));
        }
    }
    let selector = args.selector.as_deref().map(super::parse_selector).transpose()?;
    let mut objs: Vec<Object> = Vec::new();
    let mut errs = String::new();
    for (k, n) in &wanted {
        let scope = if k.namespaced() && !args.all_namespaces { Some(ns) } else { None };
        match n {
            Some(n) => match c.api.store().get(&ObjKey::new(*k, ns, n)) {
                Some(o) => objs.push(o.clone()),
                None => {
                    // `kubectl describe pods enterprise`: every object whose name starts so.
                    let prefixed: Vec<Object> = if wanted.len() == 1 {
                        c.api
                            .store()
                            .list(*k, scope)
                            .filter(|o| o.meta().name.starts_with(n.as_str()))
                            .cloned()
                            .collect()
                    } else {
                        Vec::new()
                    };
                    if prefixed.is_empty() {
                        errs.push_str(&Error::not_found(*k, n).line());
                    }
                    objs.extend(prefixed);
                }
            },
            None => objs.extend(
                c.api
                    .store()
                    .list(*k, scope)
                    .filter(|o| selector.as_ref().is_none_or(|s| s.iter().all(|r| r.matches(&o.meta().labels))))
                    .cloned(),
            ),
        }
    }
    if objs.is_empty() && errs.is_empty() {
        let k = wanted.first().map(|(k, _)| *k).unwrap_or(Kind::Pod);
        return Ok(Outcome::ok(if args.all_namespaces || !k.namespaced() {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        }));
    }
    let mut parts = Vec::new();
    for o in &objs {
        // `searchEvents`: the object's events by kind, namespace, name and uid.
        let m = o.meta();
        let events: Vec<pd::EventLine> = c
            .events
            .for_object(&o.key(), &m.uid, c.now)
            .into_iter()
            .map(|e| pd::EventLine {
                type_: e.type_.to_string(),
                reason: e.reason.to_string(),
                age: crate::events::describe_age(e, c.now),
                from: e.source.to_string(),
                message: e.message.clone(),
            })
            .collect();
        let text = match o {
            Object::Service(s) => pd::service(c.api.store(), s, &events),
            Object::Endpoints(e) => pd::endpoints(e, &events),
            Object::Secret(sec) => pd::secret(sec),
            Object::EndpointSlice(s) => pd::endpoint_slice(s, &events),
            Object::Pod(p) => pd::pod(p, c.now, c.api.store().epoch(), &events),
            Object::Deployment(d) => pd::deployment(c.api.store(), d, &events),
            Object::Node(n) => pd::node(c.api.store(), n, c.now, &events),
            Object::ReplicaSet(r) => pd::replicaset(c.api.store(), r, &events),
            other => {
                errs.push_str(&format!(
                    "sdplay: `kubectl describe {}` is not simulated yet\n",
                    other.kind().resource()
                ));
                continue;
            }
        };
        parts.push(text);
    }
    let status = if errs.is_empty() { 0 } else { 1 };
    Ok(Outcome {
        output: format!("{}{errs}", parts.join("\n\n")),
        status,
    })
}
