//! `k8s.io/kubernetes/pkg/apis/apps/validation` (v1.31): Deployment (`ValidateDeployment` →
//! `ValidateDeploymentSpec`), ReplicaSet (`ValidateReplicaSet` → `ValidateReplicaSetSpec`),
//! DaemonSet (`ValidateDaemonSet` → `ValidateDaemonSetSpec`).

use super::core_v1::validate_pod_template;
use super::meta::*;
use super::*;

/// `ValidateDeploymentSpec` and `ValidateReplicaSetSpec` (the same steps in the same order for
/// the fields sdplay models): replicas non-negative; the selector `Required`, else valid
/// (`ValidateLabelSelector`); a selector that does not convert (`LabelSelectorAsSelector`) is
/// `invalid label selector` and the template goes unchecked, otherwise the template
/// (`ValidatePodTemplateSpecForReplicaSet`).
fn validate_workload_spec(sel: &LabelSelector, t: &PodTemplate, replicas: i64, written: &Written, errs: &mut Vec<FieldError>) {
    if replicas < 0 {
        errs.push(invalid("spec.replicas", replicas.to_string(), "must be greater than or equal to 0"));
    }
    // The decoder cannot tell a missing selector from `{}`; missing is the common case, and
    // is `Required` (and, as `labels.Nothing()`, matches no template).
    let mut valid = true;
    if sel.is_empty() {
        errs.push(required("spec.selector", ""));
    } else {
        valid = validate_label_selector(sel, "spec.selector", written, errs);
    }
    if !valid {
        errs.push(invalid(
            "spec.selector",
            go_label_selector(sel, written, "spec.selector"),
            "invalid label selector",
        ));
        return;
    }
    validate_template_for_replica_set(sel, t, written, errs);
}

/// `ValidatePodTemplateSpecForReplicaSet`: the selector must match the template's labels
/// (reported at `spec.template.metadata.labels`), the template itself
/// (`ValidatePodTemplateSpec`), and its restartPolicy must be Always.
fn validate_template_for_replica_set(sel: &LabelSelector, t: &PodTemplate, written: &Written, errs: &mut Vec<FieldError>) {
    if sel.is_empty() || !sel.matches(&t.labels) {
        errs.push(invalid(
            "spec.template.metadata.labels",
            go_string_map(&t.labels),
            "`selector` does not match template `labels`",
        ));
    }
    validate_pod_template(t, "spec.template", written, errs);
    if t.spec.restart_policy != "Always" {
        errs.push(not_supported(
            "spec.template.spec.restartPolicy",
            &t.spec.restart_policy,
            &["Always"],
        ));
    }
}

pub(super) fn validate_deployment(d: &Deployment, errs: &mut Vec<FieldError>) {
    validate_object_meta(&d.meta, Kind::Deployment, errs);
    validate_workload_spec(&d.selector, &d.template, d.replicas, &d.meta.written, errs);
}

pub(super) fn validate_replica_set(r: &ReplicaSet, errs: &mut Vec<FieldError>) {
    validate_object_meta(&r.meta, Kind::ReplicaSet, errs);
    validate_workload_spec(&r.selector, &r.template, r.replicas, &r.meta.written, errs);
}

/// `ValidateDaemonSetSpec`: the selector (valid, matching the template's labels), the
/// template, restartPolicy Always.
pub(super) fn validate_daemon_set(d: &DaemonSet, errs: &mut Vec<FieldError>) {
    let w = &d.meta.written;
    validate_object_meta(&d.meta, Kind::DaemonSet, errs);
    let valid = validate_label_selector(&d.selector, "spec.selector", w, errs);
    if valid && (d.selector.is_empty() || !d.selector.matches(&d.template.labels)) {
        errs.push(invalid(
            "spec.template.metadata.labels",
            go_string_map(&d.template.labels),
            "`selector` does not match template `labels`",
        ));
    }
    validate_pod_template(&d.template, "spec.template", w, errs);
    if d.template.spec.restart_policy != "Always" {
        errs.push(not_supported(
            "spec.template.spec.restartPolicy",
            &d.template.spec.restart_policy,
            &["Always"],
        ));
    }
}
