//! The generated manifests the benchmarks, the scale probe and the web crate's wasm figure
//! share: N Services in namespace `bench`, each selecting its own Deployment of nginx
//! replicas, in files sdplay reads whole (at most [`SERVICES_PER_FILE`] Services each).
//! Included with `#[path]`.

/// Services (and their Deployments) per file: sdplay reads at most 10,000 objects from one
/// file (`limits::MAX_OBJECTS_PER_FILE`), so 10,000 Services with Deployments take 3 files.
pub const SERVICES_PER_FILE: usize = 4_000;

/// `n` Services, the first `with_pods` of them selecting a Deployment of `replicas` replicas,
/// as files `big-0.yml`, `big-1.yml`, … (the namespace in the first): (name, text).
pub fn manifest_files(n: usize, with_pods: usize, replicas: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut start = 0;
    while start < n || files.is_empty() {
        let end = (start + SERVICES_PER_FILE).min(n);
        let mut yaml = String::new();
        if start == 0 {
            yaml.push_str("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n");
        }
        for i in start..end {
            if i < with_pods {
                yaml.push_str(&format!(
                    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: bench\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
                ));
            }
            yaml.push_str(&format!(
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\n  namespace: bench\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
            ));
        }
        files.push((format!("big-{}.yml", files.len()), yaml));
        start = end;
    }
    files
}

/// The one `kubectl apply` that applies them all, in order.
pub fn apply_line(files: &[(String, String)]) -> String {
    let mut line = String::from("kubectl apply");
    for (name, _) in files {
        line.push_str(" -f ");
        line.push_str(name);
    }
    line
}
