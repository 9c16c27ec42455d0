//! The learner's machine's tools that reach the cluster's nodes: `minikube ssh`, `minikube
//! ip`, `minikube tunnel` (for a minikube profile) and `docker exec` (`podman exec`) into a
//! node's container (kind's nodes, and minikube's docker-driver node), as the cluster's
//! [`Platform`] allows. Against a cluster that is no minikube profile, `minikube` fails as
//! minikube v1.34 does without one.

use super::{Files, Location, NodeLogin, Outcome, Shell};
use crate::cluster::{Cluster, Platform};

/// minikube's `-p` default (`constants.DefaultClusterName`).
const DEFAULT_PROFILE: &str = "minikube";

impl Shell {
    /// `minikube SUBCOMMAND [-p PROFILE] [-n NODE]`.
    pub(super) fn minikube(&mut self, c: &mut Cluster, _files: &dyn Files, args: &[String]) -> Outcome {
        let mut profile = DEFAULT_PROFILE.to_string();
        let mut node: Option<String> = None;
        let mut sub: Option<&str> = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-p" | "--profile" => profile = it.next().cloned().unwrap_or_default(),
                "-n" | "--node" => node = it.next().cloned(),
                _ if a.starts_with("--profile=") => profile = a["--profile=".len()..].to_string(),
                _ if a.starts_with("--node=") => node = Some(a["--node=".len()..].to_string()),
                _ if sub.is_none() && !a.starts_with('-') => sub = Some(a.as_str()),
                _ => {}
            }
        }
        if !matches!(sub, Some("ssh" | "ip" | "tunnel")) {
            return Outcome::err(
                "sdplay: only `minikube ssh [-n NODE]`, `minikube ip [-n NODE]` and `minikube tunnel` are simulated\n",
                1,
            );
        }
        // mustload.Partial: the profile's config must exist (`config.Load`).
        if c.config.platform.minikube_profile() != Some(profile.as_str()) {
            return Outcome::err(profile_not_found(&profile), 85);
        }
        if sub == Some("tunnel") {
            return Outcome::ok(c.minikube_tunnel());
        }
        // node.Retrieve: the config's node name (`m02`; the primary's is empty) or the
        // machine name (`minikube-m02`). Without -n: the primary control plane.
        let found = match &node {
            None => primary_node(c),
            Some(n) => [n.clone(), format!("{profile}-{n}")]
                .into_iter()
                .find(|m| c.api.store().node(m).is_some()),
        };
        let Some(machine) = found else {
            let n = node.unwrap_or_default();
            // ssh: exit.Message (no issue box); ip: exit.Error "retrieving node: <err>"
            // (minikube then also prints its GitHub issue box, which sdplay leaves out).
            let msg = if sub == Some("ssh") {
                format!("Node {n} does not exist.")
            } else {
                format!("retrieving node: Could not find node {n}")
            };
            return Outcome::err(format!("\n❌  Exiting due to GUEST_NODE_RETRIEVE: {msg}\n\n"), 85);
        };
        if sub == Some("ip") {
            let ip = c.api.store().node(&machine).map(|n| n.internal_ip.to_string()).unwrap_or_default();
            return Outcome::ok(format!("{ip}\n"));
        }
        self.stack.push(Location::Node {
            name: machine,
            login: NodeLogin::MinikubeSsh,
        });
        Outcome::ok("")
    }

    /// `docker exec [-i] [-t] [-u USER] [-e K=V] [-w DIR] CONTAINER COMMAND [ARG...]` (and
    /// `podman exec`): the node containers of a kind cluster (or minikube's docker driver) are
    /// named as the nodes. `-i` with a shell opens it (`root@NODE:/# `); any other command runs
    /// once on the node.
    pub(super) fn container_cli(&mut self, c: &mut Cluster, files: &dyn Files, argv: &[String]) -> Outcome {
        let cli = argv[0].as_str();
        let provider = match &c.config.platform {
            Platform::Kind { provider, .. } => Some(provider.as_str()),
            Platform::Minikube { .. } => Some("docker"),
            Platform::Other => None,
        };
        if cli == "podman" && provider != Some("podman") {
            return Outcome::err("bash: podman: command not found\n", 127);
        }
        if argv.get(1).map(String::as_str) != Some("exec") {
            return Outcome::err(format!("sdplay: only `{cli} exec` is simulated\n"), 1);
        }
        let mut interactive = false;
        let mut rest: Vec<String> = Vec::new();
        let mut it = argv[2..].iter();
        while let Some(a) = it.next() {
            if !rest.is_empty() {
                rest.push(a.clone());
                continue;
            }
            match a.as_str() {
                "-u" | "--user" | "-e" | "--env" | "-w" | "--workdir" | "--env-file" | "--detach-keys" => {
                    it.next();
                }
                "--interactive" => interactive = true,
                "--tty" | "--privileged" | "-d" | "--detach" => {}
                f if f.starts_with("--") => {}
                f if f.starts_with('-') && f.len() > 1 => {
                    interactive |= f.contains('i');
                }
                _ => rest.push(a.clone()),
            }
        }
        if rest.len() < 2 {
            return Outcome::err(
                format!("{cli}: '{cli} exec' requires at least 2 arguments\n\nUsage:  {cli} exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee '{cli} exec --help' for more information\n"),
                1,
            );
        }
        let container = &rest[0];
        let is_node = provider == Some(cli) && c.api.store().node(container).is_some();
        if !is_node {
            return Outcome::err(
                if cli == "podman" {
                    format!("Error: no container with name or ID \"{container}\" found: no such container\n")
                } else {
                    format!("Error response from daemon: No such container: {container}\n")
                },
                if cli == "podman" { 125 } else { 1 },
            );
        }
        let cmd = &rest[1..];
        let shell = matches!(cmd[0].as_str(), "bash" | "/bin/bash" | "/usr/bin/bash" | "sh" | "/bin/sh");
        let location = Location::Node {
            name: container.clone(),
            login: NodeLogin::ContainerExec,
        };
        if shell && cmd.len() == 1 {
            if interactive {
                self.stack.push(location);
            }
            // Without -i the shell reads an empty stdin and exits at once.
            return Outcome::ok("");
        }
        self.stack.push(location);
        let depth = self.stack.len();
        let r = if shell && cmd.get(1).map(String::as_str) == Some("-c") {
            let script = cmd.get(2).cloned().unwrap_or_default();
            self.run_script(c, files, &script)
        } else {
            self.run_command(c, files, cmd)
        };
        // Back on the workstation, whatever the command did to the stack (`exit`).
        self.stack.truncate(depth.saturating_sub(1));
        if r.status == 127 && !shell {
            // No shell looks the command up: runc's exec fails (`executable file not found`).
            return Outcome::err(
                format!(
                    "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown\n",
                    cmd[0]
                ),
                126,
            );
        }
        r
    }
}

/// The primary control plane's machine: the first control-plane node, else the first node.
fn primary_node(c: &Cluster) -> Option<String> {
    let store = c.api.store();
    let nodes: Vec<&crate::model::Node> = store
        .list(crate::model::Kind::Node, None)
        .filter_map(|o| match o {
            crate::model::Object::Node(n) => Some(n),
            _ => None,
        })
        .collect();
    nodes
        .iter()
        .find(|n| n.control_plane)
        .or(nodes.first())
        .map(|n| n.meta.name.to_string())
}

/// `mustload.Partial` for a profile without config: its `Shrug` line and `exitTip("start")`.
fn profile_not_found(profile: &str) -> String {
    let start = if profile == DEFAULT_PROFILE {
        "minikube start".to_string()
    } else {
        format!("minikube start -p {profile}")
    };
    format!(
        "🤷  Profile \"{profile}\" not found. Run \"minikube profile list\" to view all profiles.\n👉  To start a cluster, run: \"{start}\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minikube_profile_tips() {
        assert!(profile_not_found("minikube").ends_with("run: \"minikube start\"\n"));
        assert!(profile_not_found("dev").contains("Profile \"dev\" not found") && profile_not_found("dev").ends_with("-p dev\"\n"));
    }
}
