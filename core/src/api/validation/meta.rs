//! ObjectMeta, labels, annotations and label selectors: apimachinery's
//! `pkg/api/validation/objectmeta.go` and `pkg/apis/meta/v1/validation/validation.go` (v0.31).

use super::names::*;
use super::*;

/// `TotalAnnotationSizeLimitB`: 256 KiB of keys and values together.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

/// apimachinery's `maskTrailingDash`: a prefix may end in `-` (the random part follows);
/// as upstream, the last two characters become `a`.
fn mask_trailing_dash(name: &str) -> String {
    if name.len() > 1 && name.ends_with('-') {
        let mut cut = name.len() - 2;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}a", &name[..cut])
    } else {
        name.to_string()
    }
}

/// The `ValidateNameFunc` of each kind: `ValidateServiceName` is `NameIsDNS1035Label`,
/// `ValidateNamespaceName` is `NameIsDNSLabel`, the others `NameIsDNSSubdomain`
/// (pkg/apis/core/validation, apps/validation, discovery/validation). A `prefix`
/// (generateName) is masked first (`maskTrailingDash`).
fn name_errors(kind: Kind, name: &str, prefix: bool) -> Vec<String> {
    let name = if prefix { mask_trailing_dash(name) } else { name.to_string() };
    let name = name.as_str();
    match kind {
        Kind::Service => is_dns1035_label(name),
        Kind::Namespace => is_dns1123_label(name),
        _ => is_dns1123_subdomain(name),
    }
}

/// `ValidateObjectMetaAccessor` on create: generateName (the kind's name rule, as a prefix),
/// name (`Required` or the kind's name rule),
/// namespace (`ValidateNamespaceName`), labels, annotations. A namespaced object without a
/// namespace is not reported: kubectl and the API server fill it in from the context before
/// this runs; a cluster-scoped one's namespace is cleared before validation, as upstream.
pub fn validate_object_meta(meta: &ObjectMeta, kind: Kind, errs: &mut Vec<FieldError>) {
    if !meta.generate_name.is_empty() {
        let msgs = name_errors(kind, &meta.generate_name, true);
        each_invalid(errs, "metadata.generateName", &meta.generate_name, msgs);
    }
    if meta.name.is_empty() {
        errs.push(required("metadata.name", "name or generateName is required"));
    } else {
        each_invalid(errs, "metadata.name", &meta.name, name_errors(kind, &meta.name, false));
    }
    if kind.namespaced() && !meta.namespace.is_empty() {
        each_invalid(errs, "metadata.namespace", &meta.namespace, is_dns1123_label(&meta.namespace));
    }
    validate_labels(&meta.labels, "metadata.labels", errs);
    validate_annotations(&meta.annotations, "metadata.annotations", errs);
}

/// `ValidateLabelName`: `IsQualifiedName`, reported at the map's path.
pub fn validate_label_name(key: &str, path: &str, errs: &mut Vec<FieldError>) {
    each_invalid(errs, path, key, is_qualified_name(key));
}

/// `ValidateLabels`: each key (`ValidateLabelName`) then its value (`IsValidLabelValue`),
/// all reported at the map's own path (`metadata.labels`, `spec.selector`).
pub fn validate_labels(labels: &Labels, path: &str, errs: &mut Vec<FieldError>) {
    for (k, v) in labels {
        validate_label_name(k, path, errs);
        each_invalid(errs, path, v, is_valid_label_value(v));
    }
}

/// `ValidateAnnotations`: keys are qualified names once lower-cased (the value printed is
/// the key as written), and keys plus values may total at most 256 KiB
/// (`ValidateAnnotationsSize`, `field.TooLong`).
pub fn validate_annotations(annotations: &Labels, path: &str, errs: &mut Vec<FieldError>) {
    let mut total = 0usize;
    for (k, v) in annotations {
        each_invalid(errs, path, k, is_qualified_name(&k.to_lowercase()));
        total += k.len() + v.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
}

/// `ValidateLabelSelector` (no invalid values or unknown operators allowed): matchLabels as
/// labels, then each requirement (`ValidateLabelSelectorRequirement`). Returns whether the
/// selector is valid, which is exactly when `metav1.LabelSelectorAsSelector` converts it.
pub fn validate_label_selector(sel: &LabelSelector, path: &str, written: &Written, errs: &mut Vec<FieldError>) -> bool {
    let before = errs.len();
    validate_labels(&sel.match_labels, &format!("{path}.matchLabels"), errs);
    for (i, r) in sel.match_expressions.iter().enumerate() {
        let rp = format!("{path}.matchExpressions[{i}]");
        let op_path = format!("{rp}.operator");
        if let Some(op) = written.get(&op_path) {
            errs.push(invalid(op_path.as_str(), quote(op), "not a valid selector operator"));
        } else {
            match r.op {
                SelectorOp::In | SelectorOp::NotIn if r.values.is_empty() => errs.push(required(
                    format!("{rp}.values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                )),
                SelectorOp::Exists | SelectorOp::DoesNotExist if !r.values.is_empty() => errs.push(forbidden(
                    format!("{rp}.values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )),
                _ => {}
            }
        }
        validate_label_name(&r.key, &format!("{rp}.key"), errs);
        for (j, v) in r.values.iter().enumerate() {
            each_invalid(errs, &format!("{rp}.values[{j}]"), v, is_valid_label_value(v));
        }
    }
    errs.len() == before
}

/// `%#v` of a `metav1.LabelSelector` value, as `field.Invalid` prints one (it has no value
/// `String()`): `v1.LabelSelector{MatchLabels:map[string]string{…}, MatchExpressions:…}`.
pub fn go_label_selector(sel: &LabelSelector, written: &Written, path: &str) -> String {
    let exprs = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = sel
            .match_expressions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let op = match written.get(&format!("{path}.matchExpressions[{i}].operator")) {
                    Some(w) => w.to_string(),
                    None => match r.op {
                        SelectorOp::In => "In".into(),
                        SelectorOp::NotIn => "NotIn".into(),
                        SelectorOp::Exists => "Exists".into(),
                        _ => "DoesNotExist".into(),
                    },
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    quote(&r.key),
                    quote(&op),
                    go_strings(&r.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{exprs}}}",
        go_string_map(&sel.match_labels)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn labels_report_key_then_value_at_the_map_path() {
        let mut errs = Vec::new();
        validate_labels(&labels(&[("bad key", "<script>alert(1)</script>")]), "metadata.labels", &mut errs);
        assert_eq!(errs.len(), 2);
        assert!(errs[0]
            .to_string()
            .starts_with("metadata.labels: Invalid value: \"bad key\": name part must consist of"));
        assert!(errs[1]
            .to_string()
            .starts_with("metadata.labels: Invalid value: \"<script>alert(1)</script>\": a valid label must be an empty string"));
    }

    #[test]
    fn annotations_keys_case_insensitive_and_total_size() {
        let mut errs = Vec::new();
        validate_annotations(&labels(&[("Example.com/Note", "x")]), "metadata.annotations", &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        let mut big = Labels::new();
        big.insert("a".into(), "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT - 1).into());
        validate_annotations(&big, "metadata.annotations", &mut errs);
        assert!(errs.is_empty(), "exactly at the limit is allowed");
        big.insert("b".into(), "".into());
        validate_annotations(&big, "metadata.annotations", &mut errs);
        assert_eq!(
            errs[0].to_string(),
            "metadata.annotations: Too long: must have at most 262144 bytes"
        );
    }

    #[test]
    fn generate_name_is_checked_as_a_prefix() {
        assert_eq!(mask_trailing_dash("web-"), "wea");
        assert_eq!(mask_trailing_dash("-"), "-");
        let meta = ObjectMeta {
            generate_name: "web-".into(),
            ..Default::default()
        };
        let mut errs = Vec::new();
        validate_object_meta(&meta, Kind::Pod, &mut errs);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
    }

    #[test]
    fn selector_requirements() {
        let sel = LabelSelector {
            match_labels: Labels::new(),
            match_expressions: vec![
                Requirement {
                    key: "app".into(),
                    op: SelectorOp::In,
                    values: vec![],
                },
                Requirement {
                    key: "tier".into(),
                    op: SelectorOp::Exists,
                    values: vec!["x".into()],
                },
            ],
        };
        let mut errs = Vec::new();
        assert!(!validate_label_selector(&sel, "spec.selector", &Written::default(), &mut errs));
        assert_eq!(
            errs[0].to_string(),
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
        );
        assert_eq!(
            errs[1].to_string(),
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        );
        assert_eq!(
            go_label_selector(&sel, &Written::default(), "spec.selector"),
            "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", Values:[]string(nil)}, v1.LabelSelectorRequirement{Key:\"tier\", Operator:\"Exists\", Values:[]string{\"x\"}}}}"
        );
    }
}
