//! The API's defaulting (`k8s.io/kubernetes/pkg/apis/*/v1/defaults.go`) for the fields whose
//! default depends on another field, applied to every object a request carries before it is
//! validated: the decoder's output (so the editor's problems see what the API server sees) and
//! the objects kubectl's generators build. Defaults that are plain constants (protocol TCP,
//! type ClusterIP, dnsPolicy ClusterFirst…) are the model's own defaults.

use crate::model::*;

/// `SetDefaults_Service` (a `targetPort` of 0 or "" is the port), `SetDefaults_PodSpec`
/// (an empty `restartPolicy` is Always) and `SetDefaults_Secret` (an empty `type` is Opaque),
/// in place; applying them twice changes nothing.
pub fn set_defaults(obj: &mut Object) {
    match obj {
        Object::Service(s) => {
            for p in &mut s.spec.ports {
                let unset = match &p.target_port {
                    IntOrString::Int(0) => true,
                    IntOrString::Str(s) => s.is_empty(),
                    IntOrString::Int(_) => false,
                };
                if unset {
                    p.target_port = IntOrString::Int(p.port);
                }
            }
        }
        Object::Pod(p) => pod_spec(std::sync::Arc::make_mut(&mut p.spec)),
        // The template is shared with other versions: copied only if defaulting changes it.
        Object::Deployment(d) => template_spec(&mut d.template),
        Object::ReplicaSet(r) => template_spec(&mut r.template),
        Object::DaemonSet(d) => template_spec(&mut d.template),
        // `SetDefaults_Secret`: an empty type is Opaque.
        Object::Secret(s) if s.type_.is_empty() => s.type_ = "Opaque".into(),
        _ => {}
    }
}

fn template_spec(t: &mut std::sync::Arc<PodTemplate>) {
    if t.spec.restart_policy.is_empty() {
        pod_spec(&mut std::sync::Arc::make_mut(t).spec);
    }
}

fn pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_port_zero_or_empty_is_the_port() {
        let port = |t| ServicePort {
            name: None,
            protocol: Protocol::Tcp,
            port: 8080,
            target_port: t,
            node_port: None,
        };
        let mut obj = Object::Service(Service {
            meta: ObjectMeta::default(),
            spec: ServiceSpec::new(
                ServiceType::ClusterIP,
                None,
                vec![
                    port(IntOrString::Int(0)),
                    port(IntOrString::Str(String::new())),
                    port(IntOrString::Int(80)),
                ],
            ),
            load_balancer_ips: Vec::new(),
        });
        set_defaults(&mut obj);
        let Object::Service(s) = &obj else { unreachable!() };
        let targets: Vec<String> = s.spec.ports.iter().map(|p| p.target_port.to_string()).collect();
        assert_eq!(targets, ["8080", "8080", "80"]);
    }
}
