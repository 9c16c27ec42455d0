//! Tab completion for the terminal: what bash-completion for kubectl (and the shell's command
//! list) would offer at the cursor — commands, kubectl verbs, resource types, object names from
//! the store (in the namespace given by `-n`), namespaces, files, and the tools of the container
//! you are in. Read-only: completing never changes the cluster.

use crate::apps;
use crate::cluster::Cluster;
use crate::model::Kind;

use super::kubectl::kind_of;
use super::{Files, Location, Shell};

const WORKSTATION: &[&str] = &["kubectl", "minikube", "sleep", "ls", "cat", "echo", "clear", "help"];
const VERBS: &[&str] = &[
    "apply",
    "cluster-info",
    "create",
    "delete",
    "describe",
    "exec",
    "expose",
    "get",
    "label",
    "logs",
    "run",
    "scale",
    "version",
];
const RESOURCES: &[&str] = &[
    "all",
    "configmaps",
    "daemonsets",
    "deployments",
    "endpoints",
    "endpointslices",
    "events",
    "namespaces",
    "nodes",
    "pods",
    "replicasets",
    "services",
];
const NODE_TOOLS: &[&str] = &[
    "curl",
    "exit",
    "hostname",
    "ip",
    "ipvsadm",
    "iptables-save",
    "nft",
    "sdplay-proxy-mode",
];
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "-o",
    "--output",
    "-f",
    "--filename",
    "-c",
    "--container",
    "--image",
    "--replicas",
    "--port",
    "--target-port",
    "--type",
    "--name",
];
const POD_FILES: &[&str] = &["/etc/hostname", "/etc/hosts", "/etc/os-release", "/etc/resolv.conf"];

/// Complete the last word of `line`. Returns whole lines (each ending in a space when the word
/// is complete), sorted; empty when nothing fits.
pub fn complete(shell: &Shell, cluster: &Cluster, files: &dyn Files, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (done, partial): (&[&str], &str) = if line.ends_with(char::is_whitespace) || words.is_empty() {
        (&words[..], "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let head = &line[..line.len() - partial.len()];
    let candidates: Vec<String> = match shell.location() {
        Location::Workstation => workstation(cluster, files, done),
        Location::Pod { namespace, name, uid, .. } => {
            if done.is_empty() {
                let mut tools: Vec<String> = cluster
                    .api
                    .store()
                    .pod(namespace, name)
                    .map(|p| {
                        apps::image_info(p.spec.containers.first().map(|c| c.image.as_str()).unwrap_or(""))
                            .tools
                            .iter()
                            .map(|t| t.to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                tools.extend(shell.installed.get(uid).into_iter().flatten().cloned());
                tools
            } else if done[0] == "cat" {
                POD_FILES.iter().map(|s| s.to_string()).collect()
            } else {
                cluster
                    .api
                    .store()
                    .services(Some(namespace))
                    .map(|s| s.meta.name.to_string())
                    .collect()
            }
        }
        Location::Node { .. } => {
            if done.is_empty() {
                NODE_TOOLS.iter().map(|s| s.to_string()).collect()
            } else {
                Vec::new()
            }
        }
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(partial))
        .map(|c| format!("{head}{c} "))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn flag_value<'a>(done: &[&'a str], flags: &[&str]) -> Option<&'a str> {
    done.windows(2).rev().find(|w| flags.contains(&w[0])).map(|w| w[1])
}

fn workstation(cluster: &Cluster, files: &dyn Files, done: &[&str]) -> Vec<String> {
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let Some(first) = done.first() else { return strs(WORKSTATION) };
    match *first {
        "cat" => return files.list(),
        "minikube" => {
            return if done.len() == 1 {
                strs(&["ip", "ssh", "tunnel"])
            } else {
                Vec::new()
            }
        }
        "kubectl" | "k" => {}
        _ => return Vec::new(),
    }
    let last = done.last().copied().unwrap_or("");
    if matches!(last, "-n" | "--namespace") {
        return cluster
            .api
            .store()
            .list(Kind::Namespace, None)
            .map(|o| o.meta().name.to_string())
            .collect();
    }
    if matches!(last, "-f" | "--filename") {
        return files.list();
    }
    // Positional words: flags and the values of flags that take one are skipped.
    let mut args: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in &done[1..] {
        if std::mem::take(&mut skip) {
            continue;
        }
        if w.starts_with('-') {
            skip = !w.contains('=') && VALUE_FLAGS.contains(w);
            continue;
        }
        args.push(w);
    }
    let ns = flag_value(done, &["-n", "--namespace"]).unwrap_or("default");
    let names = |kind: Kind| -> Vec<String> {
        let scope = kind.namespaced().then_some(ns);
        cluster.api.store().list(kind, scope).map(|o| o.meta().name.to_string()).collect()
    };
    match args.as_slice() {
        [] => strs(VERBS),
        ["get" | "describe" | "delete"] => strs(RESOURCES),
        ["get" | "describe" | "delete", r, ..] => kind_of(r).map(names).unwrap_or_default(),
        ["exec" | "logs"] => names(Kind::Pod),
        ["scale"] => strs(&["deployment", "replicaset"]),
        ["scale", r] => kind_of(r).map(names).unwrap_or_default(),
        ["expose"] => strs(&["deployment", "pod", "replicaset", "service"]),
        ["expose", r] => kind_of(r).map(names).unwrap_or_default(),
        ["create"] => strs(&["deployment", "namespace", "service"]),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Playground, SD_EXAMPLE};
    use std::collections::BTreeMap;

    #[test]
    fn completes_verbs_resources_and_names() {
        let mut pg = Playground::new(Config::default());
        let mut files = BTreeMap::new();
        files.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
        assert_eq!(pg.complete("kub", &files), ["kubectl "]);
        assert_eq!(pg.complete("kubectl ge", &files), ["kubectl get "]);
        assert!(pg.complete("kubectl get ", &files).contains(&"kubectl get pods ".to_string()));
        assert_eq!(pg.complete("kubectl apply -f sd", &files), ["kubectl apply -f sd-example.yml "]);
        pg.run("kubectl apply -f sd-example.yml", &files);
        assert_eq!(pg.complete("kubectl exec -it j", &files), Vec::<String>::new());
        assert_eq!(pg.complete("kubectl exec -it -n dev j", &files), ["kubectl exec -it -n dev jump "]);
        assert_eq!(pg.complete("kubectl get svc -n dev e", &files), ["kubectl get svc -n dev ent "]);
        assert!(pg
            .complete("kubectl get pods -n ", &files)
            .contains(&"kubectl get pods -n prod ".to_string()));
    }
}
