//! kubectl v1.32.4's flag sets, one per command path: each flag's name, shorthand and value
//! type, as `kubectl options` and `kubectl VERB --help` list them (a flag's type read from
//! its default: `=false` a bool, `=[]` a string array or slice, a number an int, `0s` a
//! duration, anything else a string). [`super::flags::parse`] refuses what a set does not have
//! with pflag's error, as the real client does before anything runs.

use super::flags::{Flag, FlagKind};

/// kubectl's global flags (`kubectl options`), on every command.
pub(super) const GLOBAL: &[Flag] = &[
    Flag::new("as", None, FlagKind::Str),
    Flag::new("as-group", None, FlagKind::List),
    Flag::new("as-uid", None, FlagKind::Str),
    Flag::new("cache-dir", None, FlagKind::Str),
    Flag::new("certificate-authority", None, FlagKind::Str),
    Flag::new("client-certificate", None, FlagKind::Str),
    Flag::new("client-key", None, FlagKind::Str),
    Flag::new("cluster", None, FlagKind::Str),
    Flag::new("context", None, FlagKind::Str),
    Flag::new("disable-compression", None, FlagKind::Bool),
    Flag::new("insecure-skip-tls-verify", None, FlagKind::Bool),
    Flag::new("kubeconfig", None, FlagKind::Str),
    Flag::new("log-flush-frequency", None, FlagKind::Duration),
    Flag::new("match-server-version", None, FlagKind::Bool),
    Flag::new("namespace", Some('n'), FlagKind::Str),
    Flag::new("password", None, FlagKind::Str),
    Flag::new("profile", None, FlagKind::Str),
    Flag::new("profile-output", None, FlagKind::Str),
    Flag::new("request-timeout", None, FlagKind::Str),
    Flag::new("server", Some('s'), FlagKind::Str),
    Flag::new("tls-server-name", None, FlagKind::Str),
    Flag::new("token", None, FlagKind::Str),
    Flag::new("user", None, FlagKind::Str),
    Flag::new("username", None, FlagKind::Str),
    Flag::new("v", Some('v'), FlagKind::Int),
    Flag::new("vmodule", None, FlagKind::Str),
    Flag::new("warnings-as-errors", None, FlagKind::Bool),
];

/// `kubectl get`.
const GET: &[Flag] = &[
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("chunk-size", None, FlagKind::Int),
    Flag::new("field-selector", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("ignore-not-found", None, FlagKind::Bool),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("label-columns", Some('L'), FlagKind::List),
    Flag::new("no-headers", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("output-watch-events", None, FlagKind::Bool),
    Flag::new("raw", None, FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("server-print", None, FlagKind::Bool),
    Flag::new("show-kind", None, FlagKind::Bool),
    Flag::new("show-labels", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("sort-by", None, FlagKind::Str),
    Flag::new("subresource", None, FlagKind::Str),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("watch", Some('w'), FlagKind::Bool),
    Flag::new("watch-only", None, FlagKind::Bool),
];

/// `kubectl describe`.
const DESCRIBE: &[Flag] = &[
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("chunk-size", None, FlagKind::Int),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("show-events", None, FlagKind::Bool),
];

/// `kubectl logs`.
const LOGS: &[Flag] = &[
    Flag::new("all-containers", None, FlagKind::Bool),
    Flag::new("all-pods", None, FlagKind::Bool),
    Flag::new("container", Some('c'), FlagKind::Str),
    Flag::new("follow", Some('f'), FlagKind::Bool),
    Flag::new("ignore-errors", None, FlagKind::Bool),
    Flag::new("insecure-skip-tls-verify-backend", None, FlagKind::Bool),
    Flag::new("limit-bytes", None, FlagKind::Int),
    Flag::new("max-log-requests", None, FlagKind::Int),
    Flag::new("pod-running-timeout", None, FlagKind::Duration),
    Flag::new("prefix", None, FlagKind::Bool),
    Flag::new("previous", Some('p'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("since", None, FlagKind::Duration),
    Flag::new("since-time", None, FlagKind::Str),
    Flag::new("tail", None, FlagKind::Int),
    Flag::new("timestamps", None, FlagKind::Bool),
];

/// `kubectl exec`.
const EXEC: &[Flag] = &[
    Flag::new("container", Some('c'), FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("pod-running-timeout", None, FlagKind::Duration),
    Flag::new("quiet", Some('q'), FlagKind::Bool),
    Flag::new("stdin", Some('i'), FlagKind::Bool),
    Flag::new("tty", Some('t'), FlagKind::Bool),
];

/// `kubectl delete`.
const DELETE: &[Flag] = &[
    Flag::new("all", None, FlagKind::Bool),
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("cascade", None, FlagKind::Str),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-selector", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("force", None, FlagKind::Bool),
    Flag::new("grace-period", None, FlagKind::Int),
    Flag::new("ignore-not-found", None, FlagKind::Bool),
    Flag::new("interactive", Some('i'), FlagKind::Bool),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("now", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("raw", None, FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("timeout", None, FlagKind::Duration),
    Flag::new("wait", None, FlagKind::Bool),
];

/// `kubectl apply`.
const APPLY: &[Flag] = &[
    Flag::new("all", None, FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("cascade", None, FlagKind::Str),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("force", None, FlagKind::Bool),
    Flag::new("force-conflicts", None, FlagKind::Bool),
    Flag::new("grace-period", None, FlagKind::Int),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("openapi-patch", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("overwrite", None, FlagKind::Bool),
    Flag::new("prune", None, FlagKind::Bool),
    Flag::new("prune-allowlist", None, FlagKind::List),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("server-side", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("subresource", None, FlagKind::Str),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("timeout", None, FlagKind::Duration),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
    Flag::new("wait", None, FlagKind::Bool),
];

/// `kubectl create`.
const CREATE: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("edit", None, FlagKind::Bool),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("raw", None, FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
    Flag::new("windows-line-endings", None, FlagKind::Bool),
];

/// `kubectl create namespace`.
const CREATE_NAMESPACE: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create deployment`.
const CREATE_DEPLOYMENT: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("image", None, FlagKind::List),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("port", None, FlagKind::Int32),
    Flag::new("replicas", Some('r'), FlagKind::Int32),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create configmap`.
const CREATE_CONFIGMAP: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("append-hash", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("from-env-file", None, FlagKind::List),
    Flag::new("from-file", None, FlagKind::List),
    Flag::new("from-literal", None, FlagKind::List),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create secret generic`.
const CREATE_SECRET_GENERIC: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("append-hash", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("from-env-file", None, FlagKind::List),
    Flag::new("from-file", None, FlagKind::List),
    Flag::new("from-literal", None, FlagKind::List),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("type", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create service clusterip`.
const CREATE_SERVICE_CLUSTERIP: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("clusterip", None, FlagKind::Str),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("tcp", None, FlagKind::List),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create service nodeport`.
const CREATE_SERVICE_NODEPORT: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("node-port", None, FlagKind::Int),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("tcp", None, FlagKind::List),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create service loadbalancer`.
const CREATE_SERVICE_LOADBALANCER: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("tcp", None, FlagKind::List),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl create service externalname`.
const CREATE_SERVICE_EXTERNALNAME: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("external-name", None, FlagKind::Str),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("tcp", None, FlagKind::List),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("validate", None, FlagKind::Str).no_opt("strict"),
];

/// `kubectl run`.
const RUN: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("annotations", None, FlagKind::List),
    Flag::new("attach", None, FlagKind::Bool),
    Flag::new("cascade", None, FlagKind::Str),
    Flag::new("command", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("env", None, FlagKind::List),
    Flag::new("expose", None, FlagKind::Bool),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("force", None, FlagKind::Bool),
    Flag::new("grace-period", None, FlagKind::Int),
    Flag::new("image", None, FlagKind::Str),
    Flag::new("image-pull-policy", None, FlagKind::Str),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("labels", Some('l'), FlagKind::Str),
    Flag::new("leave-stdin-open", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("override-type", None, FlagKind::Str),
    Flag::new("overrides", None, FlagKind::Str),
    Flag::new("pod-running-timeout", None, FlagKind::Duration),
    Flag::new("port", None, FlagKind::Str),
    Flag::new("privileged", None, FlagKind::Bool),
    Flag::new("quiet", Some('q'), FlagKind::Bool),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("restart", None, FlagKind::Str),
    Flag::new("rm", None, FlagKind::Bool),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("stdin", Some('i'), FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("timeout", None, FlagKind::Duration),
    Flag::new("tty", Some('t'), FlagKind::Bool),
    Flag::new("wait", None, FlagKind::Bool),
];

/// `kubectl expose`.
const EXPOSE: &[Flag] = &[
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("cluster-ip", None, FlagKind::Str),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("external-ip", None, FlagKind::Str),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("labels", Some('l'), FlagKind::Str),
    Flag::new("load-balancer-ip", None, FlagKind::Str),
    Flag::new("name", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("override-type", None, FlagKind::Str),
    Flag::new("overrides", None, FlagKind::Str),
    Flag::new("port", None, FlagKind::Str),
    Flag::new("protocol", None, FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("save-config", None, FlagKind::Bool),
    Flag::new("selector", None, FlagKind::Str),
    Flag::new("session-affinity", None, FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("target-port", None, FlagKind::Str),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("type", None, FlagKind::Str),
];

/// `kubectl label`.
const LABEL: &[Flag] = &[
    Flag::new("all", None, FlagKind::Bool),
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("field-manager", None, FlagKind::Str),
    Flag::new("field-selector", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("list", None, FlagKind::Bool),
    Flag::new("local", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("overwrite", None, FlagKind::Bool),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("resource-version", None, FlagKind::Str),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
];

/// `kubectl scale`.
const SCALE: &[Flag] = &[
    Flag::new("all", None, FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("current-replicas", None, FlagKind::Int),
    Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("kustomize", Some('k'), FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("replicas", None, FlagKind::Int),
    Flag::new("resource-version", None, FlagKind::Str),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("timeout", None, FlagKind::Duration),
];

/// `kubectl version`.
const VERSION: &[Flag] = &[
    Flag::new("client", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
];

/// `kubectl cluster-info`.
const CLUSTER_INFO: &[Flag] = &[];

/// `kubectl attach`.
const ATTACH: &[Flag] = &[
    Flag::new("container", Some('c'), FlagKind::Str),
    Flag::new("pod-running-timeout", None, FlagKind::Duration),
    Flag::new("quiet", Some('q'), FlagKind::Bool),
    Flag::new("stdin", Some('i'), FlagKind::Bool),
    Flag::new("tty", Some('t'), FlagKind::Bool),
];

/// `kubectl events`.
const EVENTS: &[Flag] = &[
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("chunk-size", None, FlagKind::Int),
    Flag::new("for", None, FlagKind::Str),
    Flag::new("no-headers", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("types", None, FlagKind::List),
    Flag::new("watch", Some('w'), FlagKind::Bool),
];

/// `kubectl top`.
const TOP: &[Flag] = &[];

/// `kubectl wait`.
const WAIT: &[Flag] = &[
    Flag::new("all", None, FlagKind::Bool),
    Flag::new("all-namespaces", Some('A'), FlagKind::Bool),
    Flag::new("allow-missing-template-keys", None, FlagKind::Bool),
    Flag::new("field-selector", None, FlagKind::Str),
    Flag::new("filename", Some('f'), FlagKind::List),
    Flag::new("for", None, FlagKind::Str),
    Flag::new("local", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("recursive", Some('R'), FlagKind::Bool),
    Flag::new("selector", Some('l'), FlagKind::Str),
    Flag::new("show-managed-fields", None, FlagKind::Bool),
    Flag::new("template", None, FlagKind::Str),
    Flag::new("timeout", None, FlagKind::Duration),
];

/// `kubectl api-resources`.
const API_RESOURCES: &[Flag] = &[
    Flag::new("api-group", None, FlagKind::Str),
    Flag::new("cached", None, FlagKind::Bool),
    Flag::new("categories", None, FlagKind::List),
    Flag::new("namespaced", None, FlagKind::Bool),
    Flag::new("no-headers", None, FlagKind::Bool),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("sort-by", None, FlagKind::Str),
    Flag::new("verbs", None, FlagKind::List),
];

/// `kubectl explain`.
const EXPLAIN: &[Flag] = &[
    Flag::new("api-version", None, FlagKind::Str),
    Flag::new("output", Some('o'), FlagKind::Str),
    Flag::new("recursive", None, FlagKind::Bool),
];

/// `kubectl create secret`.
const CREATE_SECRET: &[Flag] = &[];

/// `kubectl create service`.
const CREATE_SERVICE: &[Flag] = &[];

/// The flag set of a command path (`create deployment`), as kubectl v1.32.4 defines it.
pub(super) fn flags_of(path: &str) -> Option<&'static [Flag]> {
    Some(match path {
        "get" => GET,
        "describe" => DESCRIBE,
        "logs" => LOGS,
        "exec" => EXEC,
        "delete" => DELETE,
        "apply" => APPLY,
        "create" => CREATE,
        "create namespace" => CREATE_NAMESPACE,
        "create deployment" => CREATE_DEPLOYMENT,
        "create configmap" => CREATE_CONFIGMAP,
        "create secret generic" => CREATE_SECRET_GENERIC,
        "create service clusterip" => CREATE_SERVICE_CLUSTERIP,
        "create service nodeport" => CREATE_SERVICE_NODEPORT,
        "create service loadbalancer" => CREATE_SERVICE_LOADBALANCER,
        "create service externalname" => CREATE_SERVICE_EXTERNALNAME,
        "run" => RUN,
        "expose" => EXPOSE,
        "label" => LABEL,
        "scale" => SCALE,
        "version" => VERSION,
        "cluster-info" => CLUSTER_INFO,
        "attach" => ATTACH,
        "events" => EVENTS,
        "top" => TOP,
        "wait" => WAIT,
        "api-resources" => API_RESOURCES,
        "explain" => EXPLAIN,
        "create secret" => CREATE_SECRET,
        "create service" => CREATE_SERVICE,
        _ => return None,
    })
}
