//! Objects as kubectl's generators build them, before any server sees them: what
//! `kubectl create …|run|expose --dry-run=client -o yaml|json` prints (`creationTimestamp: null`,
//! `strategy: {}`, `resources: {}`, `status: {}`, no defaults). Each [`Generator`] sets only
//! the fields its upstream generator sets (`pkg/cmd/create/create_deployment.go`,
//! `create_service.go`, `create_namespace.go`, `create_configmap.go`, `pkg/cmd/run/run.go`
//! `generatePod`, `pkg/cmd/expose/expose.go` `generateService`).
//!
//! The typed objects kubectl prints as JSON keep their Go struct field order (`kind`,
//! `apiVersion`, `metadata{name, …, creationTimestamp, labels}`, `spec`, `status`);
//! [`go_field_rank`] is that order for every field these generators emit, for
//! [`goyaml::to_json_ordered`](super::goyaml::to_json_ordered). YAML goes through a map and is
//! sorted, as `sigs.k8s.io/yaml` sorts it.

use serde_json::{json, Map, Value};

use crate::model::*;

/// Which kubectl generator made the object (what it leaves out differs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generator {
    /// `kubectl create namespace`.
    Namespace,
    /// `kubectl create deployment`.
    Deployment,
    /// `kubectl create service clusterip|nodeport|loadbalancer|externalname` (sets `type`).
    CreateService,
    /// `kubectl expose` (sets `type` only when `--type` is given).
    Expose { type_given: bool },
    /// `kubectl run`.
    Run,
    /// `kubectl create configmap`.
    ConfigMap,
    /// `kubectl create secret generic`.
    Secret,
}

fn strings<'a>(l: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    Value::Object(l.into_iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect())
}

/// `metadata`: name, the namespace only when `-n` was given (the generators set it from an
/// enforced namespace), `creationTimestamp: null`, labels.
fn metadata(m: &ObjectMeta, ns_flag: bool) -> Value {
    let mut md = Map::new();
    md.insert("name".into(), json!(m.name));
    if ns_flag && !m.namespace.is_empty() {
        md.insert("namespace".into(), json!(m.namespace));
    }
    md.insert("creationTimestamp".into(), Value::Null);
    if !m.labels.is_empty() {
        md.insert("labels".into(), strings(m.labels.iter()));
    }
    Value::Object(md)
}

fn container(c: &Container) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(c.name));
    m.insert("image".into(), json!(c.image));
    if !c.command.is_empty() {
        m.insert("command".into(), json!(c.command));
    }
    if !c.args.is_empty() {
        m.insert("args".into(), json!(c.args));
    }
    if !c.ports.is_empty() {
        let ports: Vec<Value> = c.ports.iter().map(|p| json!({"containerPort": p.container_port})).collect();
        m.insert("ports".into(), Value::Array(ports));
    }
    m.insert("resources".into(), json!({}));
    if c.stdin {
        m.insert("stdin".into(), json!(true));
    }
    if c.tty {
        m.insert("tty".into(), json!(true));
    }
    Value::Object(m)
}

fn service_spec(s: &Service, type_given: bool) -> Value {
    let sp = &s.spec;
    let mut m = Map::new();
    if !sp.ports.is_empty() {
        let ports: Vec<Value> = sp
            .ports
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                if let Some(n) = &p.name {
                    pm.insert("name".into(), json!(n));
                }
                pm.insert("protocol".into(), json!(p.protocol.as_str()));
                pm.insert("port".into(), json!(p.port));
                pm.insert(
                    "targetPort".into(),
                    match &p.target_port {
                        IntOrString::Int(i) => json!(i),
                        IntOrString::Str(s) => json!(s),
                    },
                );
                if let Some(np) = p.node_port {
                    pm.insert("nodePort".into(), json!(np));
                }
                Value::Object(pm)
            })
            .collect();
        m.insert("ports".into(), Value::Array(ports));
    }
    if let Some(sel) = &sp.selector {
        m.insert("selector".into(), strings(sel));
    }
    match sp.cluster_ip {
        ClusterIp::None => {
            m.insert("clusterIP".into(), json!("None"));
        }
        ClusterIp::Ip(ip) => {
            m.insert("clusterIP".into(), json!(ip.to_string()));
        }
        ClusterIp::Unset => {}
    }
    if type_given {
        m.insert("type".into(), json!(sp.type_.as_str()));
    }
    if let Some(en) = &sp.external_name {
        m.insert("externalName".into(), json!(en));
    }
    Value::Object(m)
}

/// The object `gen` builds, as kubectl prints it for `--dry-run=client`. `ns_flag`: `-n` was
/// given.
pub fn generated_value(obj: &Object, gen: Generator, ns_flag: bool) -> Value {
    let kind = obj.kind();
    let mut m = Map::new();
    m.insert("kind".into(), json!(kind.name()));
    m.insert("apiVersion".into(), json!(kind.api_version()));
    let ns_flag = ns_flag && kind.namespaced();
    let mut meta = obj.meta().clone();
    if gen == Generator::Namespace {
        // `kubernetes.io/metadata.name` is the API server's (the namespace strategy's).
        meta.labels = Default::default();
    }
    m.insert("metadata".into(), metadata(&meta, ns_flag));
    match (obj, gen) {
        (Object::Namespace(_), _) => {
            m.insert("spec".into(), json!({}));
            m.insert("status".into(), json!({}));
        }
        (Object::Deployment(d), _) => {
            let mut tmd = Map::new();
            tmd.insert("creationTimestamp".into(), Value::Null);
            tmd.insert("labels".into(), strings(&d.template.labels));
            m.insert(
                "spec".into(),
                json!({
                    "replicas": d.replicas,
                    "selector": {"matchLabels": strings(&d.selector.match_labels)},
                    "template": {
                        "metadata": Value::Object(tmd),
                        "spec": {"containers": d.template.spec.containers.iter().map(container).collect::<Vec<_>>()},
                    },
                    "strategy": {},
                }),
            );
            m.insert("status".into(), json!({}));
        }
        (Object::Service(s), gen) => {
            let type_given = match gen {
                Generator::Expose { type_given } => type_given,
                _ => true,
            };
            m.insert("spec".into(), service_spec(s, type_given));
            m.insert("status".into(), json!({"loadBalancer": {}}));
        }
        (Object::Pod(p), _) => {
            let mut spec = Map::new();
            spec.insert("containers".into(), Value::Array(p.spec.containers.iter().map(container).collect()));
            spec.insert("restartPolicy".into(), json!(p.spec.restart_policy));
            spec.insert("dnsPolicy".into(), json!("ClusterFirst"));
            m.insert("spec".into(), Value::Object(spec));
            m.insert("status".into(), json!({}));
        }
        (Object::ConfigMap(c), _) if !c.data.is_empty() => {
            m.insert("data".into(), strings(c.data.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        }
        // `secretForSecretGeneric`: `data` when a literal was given, `type` only when `--type` was.
        (Object::Secret(sec), _) => {
            if !sec.data.is_empty() {
                m.insert("data".into(), crate::printers::object::secret_data(&sec.data));
            }
            if !sec.type_.is_empty() {
                m.insert("type".into(), json!(sec.type_));
            }
        }
        _ => {}
    }
    Value::Object(m)
}

/// The Go struct field order of every field the generators (and the server's defaults of
/// their objects) emit; one ranking serves all of them because no two structs order the same
/// two fields differently. Unknown fields go last (then alphabetically).
pub fn go_field_rank(key: &str) -> usize {
    const ORDER: &[&str] = &[
        "kind",
        "apiVersion",
        "metadata",
        "name",
        "generateName",
        "namespace",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "labels",
        "annotations",
        "immutable",
        "data",
        "spec",
        "finalizers",
        "replicas",
        "volumes",
        "containers",
        "image",
        "command",
        "args",
        "ports",
        "hostPort",
        "containerPort",
        "protocol",
        "appProtocol",
        "port",
        "targetPort",
        "nodePort",
        "resources",
        "selector",
        "matchLabels",
        "clusterIP",
        "clusterIPs",
        "template",
        "type",
        "externalIPs",
        "sessionAffinity",
        "restartPolicy",
        "terminationGracePeriodSeconds",
        "dnsPolicy",
        "strategy",
        "externalName",
        "externalTrafficPolicy",
        "ipFamilies",
        "ipFamilyPolicy",
        "allocateLoadBalancerNodePorts",
        "internalTrafficPolicy",
        "stdin",
        "tty",
        "status",
        "loadBalancer",
        "phase",
        "qosClass",
    ];
    ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_keep_go_order() {
        assert!(go_field_rank("kind") < go_field_rank("apiVersion"));
        assert!(go_field_rank("name") < go_field_rank("creationTimestamp"));
        assert!(go_field_rank("template") < go_field_rank("strategy"));
        assert!(go_field_rank("bogus") > go_field_rank("status"));
    }
}
