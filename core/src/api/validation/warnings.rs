//! The warnings the API server returns with a successful write (kubectl prints each as
//! `Warning: …`): `k8s.io/kubernetes/pkg/api/pod/warnings.go` (v1.31), `GetWarningsForPod`
//! and `GetWarningsForPodTemplate` (Deployments, ReplicaSets, DaemonSets), for the fields
//! sdplay models: ports declared twice.

use crate::model::*;

/// Every warning for `obj`, in the order the API server adds them.
pub fn warnings(obj: &Object) -> Vec<String> {
    match obj {
        Object::Pod(p) => pod_spec_warnings(&p.spec, "spec"),
        Object::Deployment(d) => pod_spec_warnings(&d.template.spec, "spec.template.spec"),
        Object::ReplicaSet(r) => pod_spec_warnings(&r.template.spec, "spec.template.spec"),
        Object::DaemonSet(d) => pod_spec_warnings(&d.template.spec, "spec.template.spec"),
        _ => Vec::new(),
    }
}

/// `warningsForPodSpecAndMeta`'s port check: across all containers (`VisitContainersWithPath`),
/// a port whose `containerPort/protocol` another port already declared, with the same hostIP
/// and hostPort (neither modelled, so always the same), is a `duplicate port definition`.
fn pod_spec_warnings(spec: &PodSpec, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: Vec<((i64, Protocol), String)> = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        for (j, p) in c.ports.iter().enumerate() {
            let here = format!("{path}.containers[{i}].ports[{j}]");
            let key = (p.container_port, p.protocol);
            for (k, other) in &seen {
                if *k == key {
                    out.push(format!("{here}: duplicate port definition with {other}"));
                }
            }
            seen.push((key, here));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(name: &str, ports: &[i64]) -> Container {
        Container {
            name: name.into(),
            image: "nginx".into(),
            ports: ports
                .iter()
                .map(|p| ContainerPort {
                    name: None,
                    container_port: *p,
                    protocol: Protocol::Tcp,
                })
                .collect(),
            command: vec![],
            args: vec![],
            tty: false,
            stdin: false,
            readiness_delay_seconds: None,
        }
    }

    #[test]
    fn duplicate_ports_across_containers() {
        let spec = PodSpec {
            containers: vec![container("a", &[80, 81]), container("b", &[80]), container("c", &[80])].into(),
            ..PodSpec::default()
        };
        assert_eq!(
            pod_spec_warnings(&spec, "spec"),
            [
                "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]",
                "spec.containers[2].ports[0]: duplicate port definition with spec.containers[0].ports[0]",
                "spec.containers[2].ports[0]: duplicate port definition with spec.containers[1].ports[0]",
            ]
        );
    }
}
