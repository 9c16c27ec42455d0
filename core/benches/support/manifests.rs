//! The generated manifests the benchmarks, the scale probe and the web crate's wasm figure
//! share: N Services in namespace `bench`, each selecting its own Deployment of nginx
//! replicas. Included with `#[path]`.

/// `n` Services, the first `with_pods` of them selecting a Deployment of `replicas` replicas.
pub fn manifests(n: usize, with_pods: usize, replicas: usize) -> String {
    let mut yaml = String::from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n");
    for i in 0..n {
        if i < with_pods {
            yaml.push_str(&format!(
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: bench\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
            ));
        }
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\n  namespace: bench\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        ));
    }
    yaml
}
