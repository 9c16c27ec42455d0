//! `kubectl cluster-info` (`ClusterInfoOptions.Run` in k8s.io/kubectl/pkg/cmd/clusterinfo):
//! the control plane at the kubeconfig's server, then each Service labelled
//! `kubernetes.io/cluster-service=true` in the namespace (kube-system unless `-n`), by its
//! `kubernetes.io/name` label, at its API server proxy path (or its load balancer).

use crate::cluster::Cluster;

pub(super) fn run(c: &Cluster, namespace: &str) -> String {
    let host = &c.config.api_server;
    let mut out = format!("Kubernetes control plane is running at {host}\n");
    for s in c.api.store().services(Some(namespace)) {
        if s.meta.labels.get("kubernetes.io/cluster-service") != Some("true") {
            continue;
        }
        let link = if let Some(ip) = s.load_balancer_ips.first() {
            s.spec.ports.iter().map(|p| format!("http://{ip}:{} ", p.port)).collect::<String>()
        } else {
            let name = match s.spec.ports.first() {
                Some(p) => {
                    let port_name = p.name.clone().unwrap_or_default();
                    // "guess if the scheme is https"; utilnet.JoinSchemeNamePort.
                    let scheme = if port_name == "https" || p.port == 443 { "https" } else { "" };
                    if !scheme.is_empty() {
                        format!("{scheme}:{}:{port_name}", s.meta.name)
                    } else if !port_name.is_empty() {
                        format!("{}:{port_name}", s.meta.name)
                    } else {
                        s.meta.name.to_string()
                    }
                }
                None => s.meta.name.to_string(),
            };
            format!("{host}/api/v1/namespaces/{}/services/{name}/proxy", s.meta.namespace)
        };
        let shown = s.meta.labels.get("kubernetes.io/name").unwrap_or(&s.meta.name);
        out.push_str(&format!("{shown} is running at {link}\n"));
    }
    out.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    out
}
