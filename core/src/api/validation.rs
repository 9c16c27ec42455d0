//! Admission validation: apimachinery's name rules and `pkg/apis/core/validation`'s field rules,
//! with the exact `field.Error` wording (`spec.ports[0].port: Invalid value: 0: must be …`).
//!
//! Pure functions of one object; checks that need the store (namespace exists, IP taken) live in
//! `api::Api::admit`.

use std::fmt;

use crate::model::*;

/// A `field.Error`: a field path, what kind of problem, and the detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub kind: FieldErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// `Invalid value: <value>: <detail>`; `value` is already Go-%#v formatted.
    Invalid {
        value: String,
        detail: String,
    },
    Required(Option<String>),
    Duplicate(String),
    NotSupported {
        value: String,
        supported: Vec<&'static str>,
    },
    Forbidden(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.field)?;
        match &self.kind {
            FieldErrorKind::Invalid { value, detail } => write!(f, "Invalid value: {value}: {detail}"),
            FieldErrorKind::Required(None) => f.write_str("Required value"),
            FieldErrorKind::Required(Some(d)) => write!(f, "Required value: {d}"),
            FieldErrorKind::Duplicate(v) => write!(f, "Duplicate value: {v}"),
            FieldErrorKind::NotSupported { value, supported } => {
                let list: Vec<String> = supported.iter().map(|s| format!("\"{s}\"")).collect();
                write!(f, "Unsupported value: {value}: supported values: {}", list.join(", "))
            }
            FieldErrorKind::Forbidden(d) => write!(f, "Forbidden: {d}"),
        }
    }
}

fn invalid(field: impl Into<String>, value: String, detail: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Invalid {
            value,
            detail: detail.into(),
        },
    }
}

fn required(field: impl Into<String>, detail: Option<&str>) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Required(detail.map(str::to_string)),
    }
}

/// Go's `%q`.
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// apimachinery `RegexError`, including its famous double space before `or`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut out = msg.to_string();
    if examples.is_empty() {
        return format!("{out} (regex used for validation is '{fmt}')");
    }
    out.push_str(" (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{fmt}')"));
    out
}

fn is_label_char(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
}

fn dns1123_label_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b.iter().all(|c| is_label_char(*c)) && b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric()
}

/// `IsDNS1123Label`: the list of problems (empty when valid).
pub fn is_dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !dns1123_label_ok(s) {
        errs.push(regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// `IsDNS1035Label` (Service names).
pub fn is_dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let b = s.as_bytes();
    let ok = !b.is_empty() && b.iter().all(|c| is_label_char(*c)) && b[0].is_ascii_lowercase() && b[b.len() - 1].is_ascii_alphanumeric();
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsDNS1123Subdomain` (Pods, Deployments, ConfigMaps…).
pub fn is_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if s.is_empty() || !s.split('.').all(dns1123_label_ok) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// `IsValidPortName` (IANA_SVC_NAME).
pub fn is_valid_port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.is_empty() || s.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if !s.bytes().all(is_label_char) {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

fn name_errors(kind: Kind, name: &str) -> Vec<String> {
    match kind {
        Kind::Service => is_dns1035_label(name),
        Kind::Namespace => is_dns1123_label(name),
        _ => is_dns1123_subdomain(name),
    }
}

/// Every field error of one object, in the order the API server reports them.
pub fn validate(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let meta = obj.meta();
    if meta.name.is_empty() {
        errs.push(required("metadata.name", Some("name or generateName is required")));
    } else {
        for e in name_errors(obj.kind(), &meta.name) {
            errs.push(invalid("metadata.name", quote(&meta.name), e));
        }
    }
    if !meta.namespace.is_empty() && obj.kind().namespaced() {
        for e in is_dns1123_label(&meta.namespace) {
            errs.push(invalid("metadata.namespace", quote(&meta.namespace), e));
        }
    }
    match obj {
        Object::Service(s) => validate_service(s, &mut errs),
        Object::Pod(p) => validate_pod_spec(&p.spec, "spec", &mut errs),
        Object::Deployment(d) => validate_workload(&d.selector, &d.template, d.replicas, &mut errs),
        Object::ReplicaSet(r) => validate_workload(&r.selector, &r.template, r.replicas, &mut errs),
        _ => {}
    }
    errs
}

fn validate_workload(sel: &LabelSelector, t: &PodTemplate, replicas: i64, errs: &mut Vec<FieldError>) {
    if replicas < 0 {
        errs.push(invalid("spec.replicas", replicas.to_string(), "must be greater than or equal to 0"));
    }
    // A missing selector is `Required`, and (as `labels.Nothing()`) matches no template either
    // (ValidateDeploymentSpec, ValidatePodTemplateSpecForReplicaSet).
    if sel.is_empty() {
        errs.push(required("spec.selector", None));
    }
    if sel.is_empty() || !sel.matches(&t.labels) {
        let labels: Vec<String> = t.labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
        errs.push(invalid(
            "spec.template.metadata.labels",
            format!("map[string]string{{{}}}", labels.join(", ")),
            "`selector` does not match template `labels`",
        ));
    }
    validate_pod_spec(&t.spec, "spec.template.spec", errs);
}

fn validate_pod_spec(spec: &PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    if spec.containers.is_empty() {
        errs.push(required(format!("{path}.containers"), None));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = format!("{path}.containers[{i}]");
        if c.name.is_empty() {
            errs.push(required(format!("{p}.name"), None));
        } else if names.contains(&c.name.as_str()) {
            errs.push(FieldError {
                field: format!("{p}.name"),
                kind: FieldErrorKind::Duplicate(quote(&c.name)),
            });
        } else {
            for e in is_dns1123_label(&c.name) {
                errs.push(invalid(format!("{p}.name"), quote(&c.name), e));
            }
        }
        names.push(&c.name);
        if c.image.trim().is_empty() {
            errs.push(required(format!("{p}.image"), None));
        }
        for (j, port) in c.ports.iter().enumerate() {
            if !(1..=65535).contains(&port.container_port) {
                errs.push(invalid(
                    format!("{p}.ports[{j}].containerPort"),
                    port.container_port.to_string(),
                    PORT_RANGE,
                ));
            }
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value {
            for e in is_dns1123_label(v) {
                errs.push(invalid(format!("{path}.{field}"), quote(v), e));
            }
        }
    }
}

fn validate_service(s: &Service, errs: &mut Vec<FieldError>) {
    let spec = &s.spec;
    if spec.type_ == ServiceType::ExternalName {
        match &spec.external_name {
            None => errs.push(required("spec.externalName", None)),
            Some(n) => {
                for e in is_dns1123_subdomain(n.trim_end_matches('.')) {
                    errs.push(invalid("spec.externalName", quote(n), e));
                }
            }
        }
    } else if spec.ports.is_empty() && !s.is_headless() {
        errs.push(required("spec.ports", None));
    }
    let multi = spec.ports.len() > 1;
    let mut seen_names: Vec<&str> = Vec::new();
    let mut seen_ports: Vec<(i64, Protocol)> = Vec::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        match &p.name {
            None if multi => errs.push(required(format!("{path}.name"), None)),
            Some(n) if !n.is_empty() => {
                for e in is_dns1123_label(n) {
                    errs.push(invalid(format!("{path}.name"), quote(n), e));
                }
                if seen_names.contains(&n.as_str()) {
                    errs.push(FieldError {
                        field: format!("{path}.name"),
                        kind: FieldErrorKind::Duplicate(quote(n)),
                    });
                }
                seen_names.push(n);
            }
            Some(_) if multi => errs.push(required(format!("{path}.name"), None)),
            _ => {}
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(invalid(format!("{path}.port"), p.port.to_string(), PORT_RANGE));
        }
        match &p.target_port {
            IntOrString::Int(t) if !(1..=65535).contains(t) => {
                errs.push(invalid(format!("{path}.targetPort"), t.to_string(), PORT_RANGE));
            }
            IntOrString::Str(n) => {
                for e in is_valid_port_name(n) {
                    errs.push(invalid(format!("{path}.targetPort"), quote(n), e));
                }
            }
            _ => {}
        }
        if let Some(np) = p.node_port {
            if spec.type_ == ServiceType::ClusterIP {
                errs.push(FieldError {
                    field: format!("{path}.nodePort"),
                    kind: FieldErrorKind::Forbidden("may not be used when `type` is 'ClusterIP'".into()),
                });
            } else if !(1..=65535).contains(&np) {
                errs.push(invalid(format!("{path}.nodePort"), np.to_string(), PORT_RANGE));
            }
        }
    }
    // After the per-port checks, as ValidateService does: duplicate nodePorts, then duplicate
    // (protocol, port) pairs, reported with the key struct Go builds (only those two fields set).
    let mut seen_node_ports: Vec<(i64, Protocol)> = Vec::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let Some(np) = p.node_port.filter(|n| *n != 0) else { continue };
        if seen_node_ports.contains(&(np, p.protocol)) {
            errs.push(FieldError {
                field: format!("spec.ports[{i}].nodePort"),
                kind: FieldErrorKind::Duplicate(np.to_string()),
            });
        }
        seen_node_ports.push((np, p.protocol));
    }
    for (i, p) in spec.ports.iter().enumerate() {
        if seen_ports.contains(&(p.port, p.protocol)) {
            errs.push(FieldError {
                field: format!("spec.ports[{i}]"),
                kind: FieldErrorKind::Duplicate(format!("core.ServicePort{{Name:\"\", Protocol:{:?}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}", p.protocol.as_str(), p.port)),
            });
        }
        seen_ports.push((p.port, p.protocol));
    }
    if s.is_headless() && spec.type_ != ServiceType::ClusterIP && spec.type_ != ServiceType::ExternalName {
        errs.push(invalid(
            "spec.clusterIPs[0]",
            quote("None"),
            format!("may not be set to 'None' for {} services", spec.type_.as_str()),
        ));
    }
    if spec.session_affinity == SessionAffinity::ClientIP && !(1..=86400).contains(&spec.affinity_timeout_seconds) {
        errs.push(invalid(
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            spec.affinity_timeout_seconds.to_string(),
            "must be greater than 0 and less than 86400",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns1035_message_matches_apimachinery() {
        let e = is_dns1035_label("Ent");
        assert_eq!(
            e[0],
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
        assert!(is_dns1035_label("ent").is_empty());
        assert!(!is_dns1035_label("1ent").is_empty());
        assert!(is_dns1123_label("1ent").is_empty());
    }

    #[test]
    fn subdomain_rules() {
        assert!(is_dns1123_subdomain("enterprise.v1").is_empty());
        assert!(!is_dns1123_subdomain("Enterprise").is_empty());
        assert!(!is_dns1123_subdomain("a..b").is_empty());
    }

    #[test]
    fn port_names() {
        assert!(is_valid_port_name("http").is_empty());
        assert!(!is_valid_port_name("8080").is_empty());
        assert!(!is_valid_port_name("a--b").is_empty());
    }
}
