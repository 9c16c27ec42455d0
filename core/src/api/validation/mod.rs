//! Admission validation as the API server does it (v1.31): every rule of apimachinery's and
//! `k8s.io/kubernetes/pkg/apis/{core,apps,discovery}/validation` for the fields sdplay models,
//! with the exact `field.Error` wording (`spec.ports[0].port: Invalid value: 0: must be …`) and
//! in the order the Go functions append them, plus the warnings the API server returns.
//!
//! One file per area: [`names`] (apimachinery `pkg/util/validation`: name, label, port, key and
//! IP formats), [`meta`] (ObjectMeta, labels, annotations, label selectors), `core_v1`
//! (Namespace, Pod spec, Service, Endpoints, ConfigMap), `apps` (Deployment, ReplicaSet,
//! DaemonSet), `discovery` (EndpointSlice), `warnings` (`pkg/api/pod/warnings.go`).
//!
//! Pure functions of one object (after the API's defaulting, which the decoder applies);
//! checks that need the store (namespace exists, IP taken) live in `Cluster::admit` and the
//! allocators. Values the typed model cannot hold (`protocol: HTTP`) reach these rules through
//! [`ObjectMeta::written`](crate::model::ObjectMeta::written). Where upstream iterates a Go map
//! (labels, annotations, ConfigMap data) its order is random; here it is the keys' order.

use std::fmt;

use crate::model::*;

mod apps;
mod core_v1;
mod discovery;
pub mod meta;
pub mod names;
mod warnings;

pub use names::{is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_valid_port_name};
pub use warnings::warnings;

/// A `field.Error`: a field path, what kind of problem, and the detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub kind: FieldErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// `Invalid value: <value>: <detail>`; `value` is already Go-formatted (see [`quote`]).
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
    /// `Too long: <detail>` (`field.TooLong`, which omits the value).
    TooLong(String),
    /// `Too many: <actual>: must have at most <max> items` (`field.TooMany`).
    TooMany {
        actual: usize,
        max: usize,
    },
}

impl fmt::Display for FieldError {
    /// `field.Error.Error()`: `<field>: <ErrorBody>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.field)?;
        match &self.kind {
            FieldErrorKind::Invalid { value, detail } => write!(f, "Invalid value: {value}: {detail}"),
            FieldErrorKind::Required(None) => f.write_str("Required value"),
            FieldErrorKind::Required(Some(d)) => write!(f, "Required value: {d}"),
            FieldErrorKind::Duplicate(v) => write!(f, "Duplicate value: {v}"),
            FieldErrorKind::NotSupported { value, supported } => {
                let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
                write!(f, "Unsupported value: {value}: supported values: {}", list.join(", "))
            }
            FieldErrorKind::Forbidden(d) => write!(f, "Forbidden: {d}"),
            FieldErrorKind::TooLong(d) => write!(f, "Too long: {d}"),
            FieldErrorKind::TooMany { actual, max } => {
                write!(
                    f,
                    "Too many: {actual}: must have at most {max} {}",
                    if *max == 1 { "item" } else { "items" }
                )
            }
        }
    }
}

/// Go's `%q` (`strconv.Quote`): `"` and `\` escaped, printable characters as they are,
/// `\n`-style escapes, then `\xNN` below U+0080 and `\uNNNN` / `\UNNNNNNNN` above. Unicode's
/// "printable" is approximated as Rust's not-control and not-whitespace (but space).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            ' ' => out.push(' '),
            c if !c.is_control() && !c.is_whitespace() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}') => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// `%#v` of a `[]string`: `[]string{"a", "b"}` (`[]string(nil)` when empty).
pub fn go_strings(v: &[String]) -> String {
    if v.is_empty() {
        return "[]string(nil)".into();
    }
    let items: Vec<String> = v.iter().map(|s| quote(s)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// `%#v` of a `map[string]string`, keys sorted as fmt prints maps (`map[string]string(nil)`
/// when empty: the decoder does not tell a missing map from `{}`, and missing is the common case).
pub fn go_string_map(m: &Labels) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".into();
    }
    let items: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

pub(crate) fn invalid(field: impl Into<String>, value: String, detail: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Invalid {
            value,
            detail: detail.into(),
        },
    }
}

/// `field.Required(path, detail)`; an empty detail prints none.
pub(crate) fn required(field: impl Into<String>, detail: &str) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Required((!detail.is_empty()).then(|| detail.to_string())),
    }
}

pub(crate) fn duplicate(field: impl Into<String>, value: String) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Duplicate(value),
    }
}

pub(crate) fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::Forbidden(detail.into()),
    }
}

/// `field.NotSupported(path, value, valid)` for a string `value` (printed `%q`).
pub(crate) fn not_supported(field: impl Into<String>, value: &str, supported: &[&'static str]) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::NotSupported {
            value: quote(value),
            supported: supported.to_vec(),
        },
    }
}

/// `field.TooLong(path, _, max)` as v1.31 words it.
pub(crate) fn too_long(field: impl Into<String>, max: usize) -> FieldError {
    FieldError {
        field: field.into(),
        kind: FieldErrorKind::TooLong(format!("must have at most {max} bytes")),
    }
}

/// `Invalid` for each message of a format check (`for _, msg := range IsX(v) { Invalid(…) }`).
pub(crate) fn each_invalid(errs: &mut Vec<FieldError>, field: &str, value: &str, msgs: Vec<String>) {
    for m in msgs {
        errs.push(invalid(field, quote(value), m));
    }
}

/// `sets.List(supportedPortProtocols)`: sorted.
pub(crate) const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

/// A port's protocol: `Unsupported value` when the manifest's could not be held.
pub(crate) fn validate_protocol(written: &Written, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(v) = written.get(path) {
        errs.push(not_supported(path, v, PROTOCOLS));
    }
}

/// Every field error of one object, in the order the API server reports them (its type's
/// `Validate…` function, as the registry strategy calls it on create).
pub fn validate(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match obj {
        Object::Namespace(n) => core_v1::validate_namespace(n, &mut errs),
        Object::Node(n) => meta::validate_object_meta(&n.meta, Kind::Node, &mut errs),
        Object::Pod(p) => core_v1::validate_pod(p, &mut errs),
        Object::Service(s) => core_v1::validate_service(s, &mut errs),
        Object::Endpoints(e) => core_v1::validate_endpoints(e, &mut errs),
        Object::ConfigMap(c) => core_v1::validate_config_map(c, &mut errs),
        Object::Secret(s) => core_v1::validate_secret(s, &mut errs),
        Object::EndpointSlice(s) => discovery::validate_endpoint_slice(s, &mut errs),
        Object::Deployment(d) => apps::validate_deployment(d, &mut errs),
        Object::ReplicaSet(r) => apps::validate_replica_set(r, &mut errs),
        Object::DaemonSet(d) => apps::validate_daemon_set(d, &mut errs),
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote() {
        assert_eq!(quote("<script>alert(1)</script>"), "\"<script>alert(1)</script>\"");
        assert_eq!(quote("a\"b\\c\td\u{1}é"), "\"a\\\"b\\\\c\\td\\x01é\"");
        assert_eq!(quote("\u{a0}"), "\"\\u00a0\"");
    }

    #[test]
    fn go_values() {
        assert_eq!(go_strings(&["a".into(), "b".into()]), "[]string{\"a\", \"b\"}");
        let mut m = Labels::new();
        m.insert("tier".into(), "fe".into());
        m.insert("app".into(), "web".into());
        assert_eq!(go_string_map(&m), "map[string]string{\"app\":\"web\", \"tier\":\"fe\"}");
        assert_eq!(go_string_map(&Labels::new()), "map[string]string(nil)");
    }

    #[test]
    fn error_bodies() {
        assert_eq!(
            not_supported("spec.type", "Foo", &["ClusterIP", "NodePort"]).to_string(),
            "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\""
        );
        assert_eq!(
            too_long("metadata.annotations", 262144).to_string(),
            "metadata.annotations: Too long: must have at most 262144 bytes"
        );
        assert_eq!(
            FieldError {
                field: "endpoints".into(),
                kind: FieldErrorKind::TooMany { actual: 1001, max: 1000 }
            }
            .to_string(),
            "endpoints: Too many: 1001: must have at most 1000 items"
        );
    }
}
