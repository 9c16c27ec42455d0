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

use super::flags::RestartPolicy;
use super::{kind_of, Args, DryRun, Output};
use crate::printers::generated::{self as gen, Generator};
use crate::printers::{goyaml, jsonpath, object};
use crate::shell::{Files, Location, Outcome, Shell};
use serde_json::Value;

fn already_exists(kind: Kind, name: &str) -> Outcome {
    Outcome::err(
        format!(
            "Error from server (AlreadyExists): {} \"{name}\" already exists\n",
            crate::api::plural(kind)
        ),
        1,
    )
}

/// What a verb prints for one object: its message (`namespace/dev created (dry run)`), its
/// name (`-o name`), or the object (`-o yaml|json|jsonpath=`). `typed`: kubectl holds a typed
/// Go object (its JSON keeps the struct's field order); otherwise an unstructured one (sorted).
pub(super) fn print_one(args: &Args, kind: Kind, name: &str, word: &str, typed: bool, value: impl FnOnce() -> Value) -> Outcome {
    let res = kind.resource();
    match &args.out {
        Output::Name => Outcome::ok(format!("{res}/{name}\n")),
        Output::Yaml => Outcome::ok(goyaml::to_yaml(&value())),
        Output::Json if typed => Outcome::ok(goyaml::to_json_ordered(&value(), &gen::go_field_rank)),
        Output::Json => Outcome::ok(goyaml::to_json(&value())),
        Output::JsonPath(t) => match jsonpath::render(t, &value()) {
            Ok(s) => Outcome::ok(s),
            Err(e) => Outcome::err(e, 1),
        },
        Output::Default | Output::Wide => Outcome::ok(format!("{res}/{name} {word}{}\n", args.dry_run.suffix())),
    }
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
fn make(c: &mut Cluster, args: &Args, ns: &str, mut obj: Object, g: Generator, word: &str) -> Outcome {
    let kind = obj.kind();
    let name = obj.meta().name.clone();
    match args.dry_run {
        DryRun::Client => {
            if kind.namespaced() {
                obj.meta_mut().namespace = ns.to_string();
            }
            print_one(args, kind, &name, word, true, || {
                gen::generated_value(&obj, g, args.namespace.is_some())
            })
        }
        DryRun::Server => match c.dry_run_create(obj, ns) {
            Ok(o) => print_one(args, kind, &name, word, true, || server_dry_run_value(&o, c.api.store())),
            Err(ApiError::AlreadyExists { .. }) => already_exists(kind, &name),
            Err(e) => Outcome::err(format!("{}\n", e.kubectl_message(None)), 1),
        },
        DryRun::None => match create_obj(c, obj, ns) {
            Ok(key) => print_one(args, kind, &name, word, true, || {
                c.api
                    .store()
                    .get(&key)
                    .map(|o| object::to_value(o, c.api.store()))
                    .unwrap_or_default()
            }),
            Err(o) => o,
        },
    }
}

/// Admit and store a new object; its key when created.
fn create_obj(c: &mut Cluster, obj: Object, ns: &str) -> Result<ObjKey, Outcome> {
    let key = ObjKey::new(obj.kind(), ns, &obj.meta().name);
    if c.api.store().contains(&key) {
        return Err(already_exists(key.kind, &key.name));
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
        Err(e) => Err(Outcome::err(format!("{}\n", e.kubectl_message(None)), 1)),
    }
}

fn parse_labels(s: &str) -> Result<Labels, String> {
    let mut l = Labels::new();
    for kv in s.split(',').filter(|p| !p.is_empty()) {
        match kv.split_once('=') {
            Some((k, v)) => {
                l.insert(k.to_string(), v.to_string());
            }
            None => return Err(format!("error: invalid label spec: {kv}\n")),
        }
    }
    Ok(l)
}

/// `kubectl run NAME --image=IMG [--port] [--labels] [-it] [--rm] [--restart] [-- ARGS]`.
pub(super) fn run(sh: &mut Shell, c: &mut Cluster, args: &Args, ns: &str) -> Outcome {
    let Some(name) = args.pos.first().cloned() else {
        return Outcome::err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1);
    };
    let Some(image) = args.image.clone().filter(|i| !i.is_empty()) else {
        return Outcome::err("error: --image is required\n", 1);
    };
    let mut labels = Labels::new();
    labels.insert("run".into(), name.clone());
    // `kubectl run -l` is `--labels` (not a selector).
    if let Some(l) = args.labels.as_ref().or(args.selector.as_ref()) {
        match parse_labels(l) {
            Ok(l) => labels = l,
            Err(e) => return Outcome::err(e, 1),
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
            Err(_) => return bad_port(p),
        }
    }
    let cmd_args = args.command.clone().unwrap_or_default();
    let restart = match RestartPolicy::parse(args.restart.as_deref()) {
        Ok(r) => r.as_str().to_string(),
        Err(e) => return Outcome::err(e, 1),
    };
    if args.interactive && args.dry_run != DryRun::None {
        return Outcome::err("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n", 1);
    }
    let pod = Pod {
        meta: ObjectMeta {
            name: name.clone(),
            namespace: ns.into(),
            labels,
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
        },
        status: PodStatus::default(),
    };
    if !args.interactive {
        return make(c, args, ns, Object::Pod(pod), Generator::Run, "created");
    }
    if let Err(o) = create_obj(c, Object::Pod(pod), ns) {
        return o;
    }
    // Attach: wait (in simulated time) until the container runs, then enter its shell.
    for _ in 0..600 {
        match c.api.store().pod(ns, &name) {
            Some(p) if p.status.phase == PodPhase::Running => break,
            Some(_) => c.advance_ms(100),
            None => break,
        }
    }
    let Some(p) = c.api.store().pod(ns, &name).cloned() else {
        return Outcome::err(format!("Error from server (NotFound): pods \"{name}\" not found\n"), 1);
    };
    if p.status.phase != PodPhase::Running {
        return Outcome::err("error: timed out waiting for the condition\n", 1);
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
    Outcome::ok("If you don't see a command prompt, try pressing enter.\n")
}

fn bad_port(p: &str) -> Outcome {
    Outcome::err(format!("error: strconv.Atoi: parsing \"{p}\": invalid syntax\n"), 1)
}

/// The container name `kubectl create deployment` derives from an image.
fn container_name_for(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split(['@', ':']).next().unwrap_or(base);
    base.to_string()
}

/// A `--tcp` port spec as `create service` reads it: `PORT[:TARGET]`, named `PORT` or
/// `PORT-TARGET` (`8080-8080`).
fn service_ports(args: &Args, node_port: Option<i64>) -> Result<Vec<ServicePort>, Outcome> {
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

/// `kubectl create namespace|deployment|configmap|service …`.
pub(super) fn create(c: &mut Cluster, args: &Args, ns: &str) -> Outcome {
    let what = args.pos.first().map(String::as_str).unwrap_or("");
    let name = args.pos.get(1).cloned();
    match (what, name) {
        ("namespace" | "ns", Some(name)) => {
            let mut labels = Labels::new();
            labels.insert("kubernetes.io/metadata.name".into(), name.clone());
            let obj = Object::Namespace(Namespace {
                meta: ObjectMeta {
                    name: name.clone(),
                    labels,
                    ..Default::default()
                },
            });
            make(c, args, ns, obj, Generator::Namespace, "created")
        }
        ("configmap" | "cm", Some(name)) => {
            let mut data = Labels::new();
            for lit in &args.from_literal {
                let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
                    return Outcome::err(format!("error: invalid literal source {lit}, expected key=value\n"), 1);
                };
                // addKeyFromLiteralToConfigMap: kubectl checks the key itself (IsConfigMapKey).
                let errs = crate::api::validation::names::is_config_map_key(k);
                if !errs.is_empty() {
                    return Outcome::err(
                        format!(
                            "error: {} is not a valid key name for a ConfigMap: {}\n",
                            crate::api::validation::quote(k),
                            errs.join(",")
                        ),
                        1,
                    );
                }
                if data.insert(k.to_string(), v.to_string()).is_some() {
                    return Outcome::err(
                        format!(
                            "error: cannot add key \"{k}\", another key by that name already exists in Data for ConfigMap \"{name}\"\n"
                        ),
                        1,
                    );
                }
            }
            let obj = Object::ConfigMap(ConfigMap {
                meta: ObjectMeta {
                    name: name.clone(),
                    namespace: ns.into(),
                    ..Default::default()
                },
                data,
            });
            make(c, args, ns, obj, Generator::ConfigMap, "created")
        }
        ("deployment" | "deploy", Some(name)) => {
            let Some(image) = args.image.clone() else {
                return Outcome::err("error: required flag(s) \"image\" not set\n", 1);
            };
            let replicas = match args.replicas.as_deref().map(str::parse::<i64>) {
                None => 1,
                Some(Ok(n)) => n,
                Some(Err(_)) => return Outcome::err("error: invalid argument for \"--replicas\" flag\n", 1),
            };
            let mut labels = Labels::new();
            labels.insert("app".into(), name.clone());
            let ports = match args.port.as_deref().map(str::parse::<i64>) {
                None => Vec::new(),
                Some(Ok(p)) => vec![ContainerPort {
                    name: None,
                    container_port: p,
                    protocol: Protocol::Tcp,
                }],
                Some(Err(_)) => return Outcome::err("error: invalid argument for \"--port\" flag\n", 1),
            };
            let dep = Deployment {
                meta: ObjectMeta {
                    name: name.clone(),
                    namespace: ns.into(),
                    labels: labels.clone(),
                    ..Default::default()
                },
                replicas,
                selector: LabelSelector {
                    match_labels: labels.clone(),
                    match_expressions: Vec::new(),
                },
                template: PodTemplate {
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
                },
                status: WorkloadStatus::default(),
                collision_count: 0,
            };
            make(c, args, ns, Object::Deployment(dep), Generator::Deployment, "created")
        }
        ("service" | "svc", _) => {
            let sub = args.pos.get(1).map(String::as_str).unwrap_or("");
            let type_ = match sub {
                "clusterip" => ServiceType::ClusterIP,
                "nodeport" => ServiceType::NodePort,
                "loadbalancer" => ServiceType::LoadBalancer,
                "externalname" => ServiceType::ExternalName,
                _ => return Outcome::err(format!("sdplay: `kubectl create service {sub}` is not simulated yet\n"), 1),
            };
            let Some(name) = args.pos.get(2).cloned() else {
                return Outcome::err("error: exactly one NAME is required, got 0\n", 1);
            };
            let node_port = match args.node_port.as_deref().map(str::parse::<i64>) {
                None | Some(Ok(0)) => None,
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => return Outcome::err("error: invalid argument for \"--node-port\" flag\n", 1),
            };
            let mut cluster_ip = ClusterIp::Unset;
            let mut external_name = None;
            match type_ {
                ServiceType::ClusterIP => match args.cluster_ip.as_deref() {
                    None | Some("") => {}
                    Some("None") => cluster_ip = ClusterIp::None,
                    Some(ip) => match ip.parse() {
                        Ok(ip) => cluster_ip = ClusterIp::Ip(ip),
                        Err(_) => return Outcome::err(format!("error: invalid ClusterIP: {ip}\n"), 1),
                    },
                },
                ServiceType::ExternalName => {
                    let Some(en) = args.external_name.clone() else {
                        return Outcome::err("error: required flag(s) \"external-name\" not set\n", 1);
                    };
                    if !crate::api::validation::is_dns1123_subdomain(&en).is_empty() {
                        return Outcome::err(format!("error: invalid service external name {en}\n"), 1);
                    }
                    external_name = Some(en);
                }
                _ => {}
            }
            // `--clusterip=None` (headless) and ExternalName need no port.
            if args.tcp.is_empty() && cluster_ip != ClusterIp::None && type_ != ServiceType::ExternalName {
                return Outcome::err("error: at least one tcp port specifier must be provided\n", 1);
            }
            let ports = match service_ports(args, node_port) {
                Ok(p) => p,
                Err(o) => return o,
            };
            let mut sel = Labels::new();
            sel.insert("app".into(), name.clone());
            let mut spec = ServiceSpec::new(type_, Some(sel.clone()), ports);
            spec.cluster_ip = cluster_ip;
            spec.external_name = external_name;
            let svc = Service {
                meta: ObjectMeta {
                    name: name.clone(),
                    namespace: ns.into(),
                    labels: sel,
                    ..Default::default()
                },
                spec,
                load_balancer_ips: Vec::new(),
            };
            make(c, args, ns, Object::Service(svc), Generator::CreateService, "created")
        }
        ("namespace" | "ns" | "deployment" | "deploy" | "configmap" | "cm", None) => {
            Outcome::err("error: exactly one NAME is required, got 0\n", 1)
        }
        _ => Outcome::err(format!("sdplay: `kubectl create {what}` is not simulated yet\n"), 1),
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
pub(super) fn expose(c: &mut Cluster, args: &Args, ns: &str) -> Outcome {
    let Some((kind, name, _)) = target(args) else {
        return Outcome::err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1);
    };
    let Some(obj) = c.api.store().get(&ObjKey::new(kind, ns, &name)).cloned() else {
        return Outcome::err(
            format!("Error from server (NotFound): {} \"{name}\" not found\n", crate::api::plural(kind)),
            1,
        );
    };
    let (selector, labels, container_ports): (Labels, Labels, Vec<ContainerPort>) = match &obj {
        Object::Deployment(d) => (
            d.selector.match_labels.clone(),
            d.meta.labels.clone(),
            d.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::ReplicaSet(r) => (
            r.selector.match_labels.clone(),
            r.meta.labels.clone(),
            r.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::Pod(p) => (
            p.meta.labels.clone(),
            p.meta.labels.clone(),
            p.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
        ),
        Object::Service(s) => (s.spec.selector.clone().unwrap_or_default(), s.meta.labels.clone(), Vec::new()),
        _ => return Outcome::err(format!("error: cannot expose a {}\n", kind.name()), 1),
    };
    if selector.is_empty() {
        return Outcome::err(
            format!(
                "error: couldn't retrieve selectors via --selector flag or introspection: the {} has no selector\n",
                kind.name()
            ),
            1,
        );
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
                return Outcome::err(format!("error: strconv.Atoi: parsing \"{p}\": invalid syntax\n"), 1);
            };
            vec![ServicePort {
                name: None,
                protocol: Protocol::Tcp,
                port,
                target_port: target_port(port),
                node_port: None,
            }]
        }
        None if container_ports.is_empty() => {
            return Outcome::err(
                "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n",
                1,
            )
        }
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
            return Outcome::err(
                format!("The Service \"{name}\" is invalid: spec.type: Unsupported value: \"{other}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"\n"),
                1,
            )
        }
    };
    let svc_name = args.name.clone().unwrap_or(name);
    let svc = Service {
        meta: ObjectMeta {
            name: svc_name.clone(),
            namespace: ns.into(),
            labels,
            ..Default::default()
        },
        spec: ServiceSpec::new(type_, Some(selector), ports),
        load_balancer_ips: Vec::new(),
    };
    make(c, args, ns, Object::Service(svc), Generator::Expose { type_given }, "exposed")
}

/// `kubectl label KIND NAME k=v [k2-] [--overwrite]`.
pub(super) fn label(c: &mut Cluster, args: &Args, ns: &str) -> Outcome {
    let Some((kind, name, used)) = target(args) else {
        return Outcome::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl label -h' for help and examples\n", 1);
    };
    let changes: Vec<&String> = args.pos.iter().skip(used).collect();
    if changes.is_empty() {
        return Outcome::err(
            "error: at least one label update is required\nSee 'kubectl label -h' for help and examples\n",
            1,
        );
    }
    // kubectl's own parseLabels (pkg/cmd/label), before it asks the server anything: one `=`,
    // a valid label value (keys are left to the server), no key both set and removed.
    let mut set_keys: Vec<&str> = Vec::new();
    let mut removed_keys: Vec<&str> = Vec::new();
    for ch in &changes {
        if ch.contains('=') {
            let parts: Vec<&str> = ch.split('=').collect();
            if parts.len() != 2 {
                return Outcome::err(format!("error: invalid label spec: {ch}\n"), 1);
            }
            let errs = crate::api::validation::names::is_valid_label_value(parts[1]);
            if !errs.is_empty() {
                return Outcome::err(
                    format!(
                        "error: invalid label value: {}: {}\n",
                        crate::api::validation::quote(ch),
                        errs.join(";")
                    ),
                    1,
                );
            }
            set_keys.push(parts[0]);
        } else if let Some(k) = ch.strip_suffix('-') {
            removed_keys.push(k);
        }
    }
    if removed_keys.iter().any(|k| set_keys.contains(k)) {
        return Outcome::err("error: can not both modify and remove a label in the same command\n", 1);
    }
    let key = ObjKey::new(kind, ns, &name);
    let Some(mut obj) = c.api.store().get(&key).cloned() else {
        return Outcome::err(
            format!("Error from server (NotFound): {} \"{name}\" not found\n", crate::api::plural(kind)),
            1,
        );
    };
    let mut labels = obj.meta().labels.clone();
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
                    return Outcome::err(format!("error: '{k}' already has a value ({cur}), and --overwrite is false\n"), 1);
                }
                _ => {
                    labels.insert(k.to_string(), v.to_string());
                    added = true;
                }
            }
        } else {
            return Outcome::err(format!("error: invalid label spec: {ch}\n"), 1);
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
            o.meta_mut().labels = labels.clone();
            o
        });
        let label_errors: Vec<_> = errors.into_iter().filter(|e| e.field.starts_with("metadata.labels")).collect();
        if !label_errors.is_empty() {
            let e = ApiError::Invalid {
                kind,
                name: name.clone(),
                errors: label_errors,
            };
            return Outcome::err(format!("{}\n", e.kubectl_message(None)), 1);
        }
        obj.meta_mut().labels = labels;
        if args.dry_run == DryRun::None {
            c.write(obj.clone());
            c.settle();
        }
    }
    // With `-o`, the object as patched (a dry run: as it would be); the patch response is
    // unstructured, so its JSON is sorted.
    print_one(args, kind, &name, msg, false, || object::to_value(&obj, c.api.store()))
}

/// How `kubectl delete` names a deleted object: `deployment.apps "x" deleted`.
pub(super) fn deleted_line(k: &ObjKey) -> String {
    let res = match k.kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::EndpointSlice => k.kind.resource(),
        other => other.resource(),
    };
    format!("{res} \"{}\" deleted\n", k.name)
}

/// `kubectl delete -f FILE`: every object in the file, in order (namespaces last, as their
/// deletion is asynchronous in a real cluster and would not hide the objects in them yet).
pub(super) fn delete_files(c: &mut Cluster, files: &dyn Files, args: &Args, ns: &str) -> Outcome {
    if let Some(o) = args.output.as_deref().filter(|o| *o != "name") {
        return Outcome::err(format!("error: unexpected -o output mode: {o}. We only support '-o name'\n"), 1);
    }
    let mut keys: Vec<(ObjKey, String)> = Vec::new();
    for path in &args.files {
        let Some(text) = files.read(path) else {
            return Outcome::err(format!("error: the path \"{path}\" does not exist\n"), 1);
        };
        match manifest::parse(&text) {
            Parsed::Syntax(e) => return Outcome::err(format!("error: error parsing {path}: {}\n", e.kubectl()), 1),
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
    let mut out = String::new();
    let mut errs = String::new();
    if args.dry_run != DryRun::None {
        // In file order, nothing deleted; only the server knows what is missing.
        for (k, path) in &keys {
            if args.dry_run == DryRun::Server && !c.api.store().contains(k) {
                let e = ApiError::NotFound {
                    resource: crate::api::plural(k.kind).into(),
                    name: k.name.clone(),
                };
                errs.push_str(&e.aggregate_line(Some((path, "deleting"))));
                errs.push('\n');
            } else if args.output.as_deref() == Some("name") {
                out.push_str(&format!("{}/{}\n", k.kind.resource(), k.name));
            } else {
                out.push_str(&format!("{}{}\n", deleted_line(k).trim_end(), args.dry_run.suffix()));
            }
        }
        let status = if errs.is_empty() { 0 } else { 1 };
        return Outcome {
            output: format!("{out}{errs}"),
            status,
        };
    }
    let mut results: Vec<Result<(), ApiError>> = vec![Ok(()); keys.len()];
    let order: Vec<usize> = (0..keys.len())
        .filter(|&i| keys.get(i).is_some_and(|(k, _)| k.kind != Kind::Namespace))
        .chain((0..keys.len()).filter(|&i| keys.get(i).is_some_and(|(k, _)| k.kind == Kind::Namespace)))
        .collect();
    for i in order {
        if let (Some((k, _)), Some(slot)) = (keys.get(i), results.get_mut(i)) {
            *slot = c.delete(k);
            c.settle();
        }
    }
    for ((k, path), r) in keys.iter().zip(results) {
        match r {
            Ok(()) => out.push_str(&deleted_line(k)),
            Err(e) => {
                errs.push_str(&e.aggregate_line(Some((path, "deleting"))));
                errs.push('\n');
            }
        }
    }
    let status = if errs.is_empty() { 0 } else { 1 };
    Outcome {
        output: format!("{out}{errs}"),
        status,
    }
}

/// `kubectl describe KIND [NAME…]` (name prefixes match, as `DescribeMatchingResources`).
pub(super) fn describe(c: &mut Cluster, args: &Args, ns: &str) -> Outcome {
    let Some(first) = args.pos.first() else {
        return Outcome::err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n", 1);
    };
    let mut wanted: Vec<(Kind, Option<String>)> = Vec::new();
    if first.contains('/') {
        for a in &args.pos {
            let Some((r, n)) = a.split_once('/') else {
                return Outcome::err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1);
            };
            let Some(k) = kind_of(r) else {
                return Outcome::err(format!("error: the server doesn't have a resource type \"{r}\"\n"), 1);
            };
            wanted.push((k, Some(n.to_string())));
        }
    } else {
        let Some(k) = kind_of(first) else {
            return Outcome::err(format!("error: the server doesn't have a resource type \"{first}\"\n"), 1);
        };
        if args.pos.len() == 1 {
            wanted.push((k, None));
        } else {
            wanted.extend(args.pos.iter().skip(1).map(|n| (k, Some(n.clone()))));
        }
    }
    let selector = match args.selector.as_deref().map(super::parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return Outcome::err(e, 1),
    };
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
                        errs.push_str(&format!(
                            "Error from server (NotFound): {} \"{n}\" not found\n",
                            crate::api::plural(*k)
                        ));
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
        return Outcome::ok(if args.all_namespaces || !k.namespaced() {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        });
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
                reason: e.reason.clone(),
                age: crate::events::describe_age(e, c.now),
                from: e.source.to_string(),
                message: e.message.clone(),
            })
            .collect();
        let text = match o {
            Object::Service(s) => pd::service(c.api.store(), s, &events),
            Object::Endpoints(e) => pd::endpoints(e, &events),
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
    Outcome {
        output: format!("{}{errs}", parts.join("\n\n")),
        status,
    }
}
