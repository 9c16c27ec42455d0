//! The terminal: one interpreter for the page and the CLI.
//!
//! The learner is always somewhere: on the workstation (`$ `, with kubectl), inside a Pod's
//! container (`root@jump:/# `, after `kubectl exec -it … -- bash`), or on a node (after
//! `minikube ssh`). A line is split into commands joined by `&&`, `||`, `;` and `|` (pipes feed
//! the text filters grep, head, tail, wc); each command runs against the cluster and returns
//! its output and exit status. Nothing here panics on any input.

pub mod complete;
mod dnstools;
mod kubectl;
pub(crate) mod node;
mod pod;
pub mod words;

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::Cluster;
use words::Token;

/// Reads the files `kubectl apply -f` names (the editor's files in the page, the disk in the CLI).
pub trait Files {
    fn read(&self, path: &str) -> Option<String>;
    /// Names of the files, for `ls` and completion.
    fn list(&self) -> Vec<String> {
        Vec::new()
    }
}

impl Files for BTreeMap<String, String> {
    fn read(&self, path: &str) -> Option<String> {
        self.get(path).or_else(|| self.get(path.trim_start_matches("./"))).cloned()
    }

    fn list(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

/// Where the terminal is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Workstation,
    Pod {
        namespace: String,
        name: String,
        uid: String,
        shell: String,
    },
    Node(String),
}

/// The result of one command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub output: String,
    pub status: i32,
}

impl Outcome {
    pub fn ok(output: impl Into<String>) -> Outcome {
        Outcome {
            output: output.into(),
            status: 0,
        }
    }

    pub fn err(output: impl Into<String>, status: i32) -> Outcome {
        Outcome {
            output: output.into(),
            status,
        }
    }
}

/// Shell state that outlives a command.
#[derive(Clone, Debug)]
pub struct Shell {
    pub stack: Vec<Location>,
    /// Packages installed with apt-get in each container (by Pod uid); gone with the Pod.
    pub installed: BTreeMap<String, BTreeSet<String>>,
    /// Pods where `apt-get update` ran.
    pub apt_updated: BTreeSet<String>,
    pub history: Vec<String>,
    /// Sessions opened by `kubectl run -it` (by Pod uid), and whether `--rm` was given: leaving
    /// them prints kubectl attach's "Session ended" line and, with `--rm`, deletes the Pod.
    pub attached: BTreeMap<String, bool>,
}

impl Default for Shell {
    fn default() -> Self {
        Shell {
            stack: vec![Location::Workstation],
            installed: BTreeMap::new(),
            apt_updated: BTreeSet::new(),
            history: Vec::new(),
            attached: BTreeMap::new(),
        }
    }
}

impl Shell {
    pub fn location(&self) -> &Location {
        self.stack.last().unwrap_or(&Location::Workstation)
    }

    /// The prompt for the current location, as the real shells print it.
    pub fn prompt(&self) -> String {
        match self.location() {
            Location::Workstation => "$ ".into(),
            Location::Pod { name, shell, .. } => match shell.as_str() {
                "bash" => format!("root@{name}:/# "),
                "busybox" => "/ # ".into(),
                _ => "# ".into(),
            },
            Location::Node(n) => format!("docker@{n}:~$ "),
        }
    }

    /// Run one line.
    pub fn run(&mut self, cluster: &mut Cluster, files: &dyn Files, line: &str) -> Outcome {
        if !line.trim().is_empty() {
            self.history.push(line.to_string());
        }
        // If the Pod we are in went away, the session ends as kubectl's does.
        if let Location::Pod { namespace, name, uid, .. } = self.location().clone() {
            if cluster.api.store().pod(&namespace, &name).is_none_or(|p| p.meta.uid != uid) {
                self.stack.pop();
                return Outcome::err("command terminated with exit code 137\n", 137);
            }
        }
        let tokens = match words::tokenize(line) {
            Ok(t) => t,
            Err(words::Unterminated(q)) => {
                return Outcome::err(format!("bash: unexpected EOF while looking for matching `{q}'\n"), 2);
            }
        };
        let mut output = String::new();
        let mut status = 0;
        let mut i = 0;
        let mut skip_next = false;
        while i < tokens.len() {
            // Collect a pipeline.
            let mut pipeline: Vec<Vec<String>> = vec![Vec::new()];
            while i < tokens.len() {
                match &tokens[i] {
                    Token::Word(w) => {
                        if let Some(last) = pipeline.last_mut() {
                            last.push(w.clone());
                        }
                    }
                    Token::Pipe => pipeline.push(Vec::new()),
                    _ => break,
                }
                i += 1;
            }
            let op = tokens.get(i).cloned();
            i += 1;
            if !skip_next && pipeline.iter().any(|p| !p.is_empty()) {
                let r = self.run_pipeline(cluster, files, &pipeline);
                output.push_str(&r.output);
                status = r.status;
            }
            skip_next = match op {
                Some(Token::And) => status != 0,
                Some(Token::Or) => status == 0,
                _ => false,
            };
        }
        Outcome { output, status }
    }

    fn run_pipeline(&mut self, cluster: &mut Cluster, files: &dyn Files, pipeline: &[Vec<String>]) -> Outcome {
        if pipeline.iter().any(Vec::is_empty) {
            return Outcome::err("bash: syntax error near unexpected token `|'\n", 2);
        }
        let mut r = self.run_command(cluster, files, &pipeline[0]);
        for filter in &pipeline[1..] {
            r = filter_text(&r.output, filter, self.location());
        }
        r
    }

    fn run_command(&mut self, cluster: &mut Cluster, files: &dyn Files, argv: &[String]) -> Outcome {
        let Some(cmd) = argv.first() else { return Outcome::ok("") };
        if cmd == "sleep" {
            let secs: f64 = argv.get(1).and_then(|s| s.trim_end_matches('s').parse().ok()).unwrap_or(0.0);
            if secs.is_finite() && secs > 0.0 {
                cluster.advance_ms((secs.min(86_400.0 * 365.0) * 1000.0) as u64);
            }
            return Outcome::ok("");
        }
        if matches!(cmd.as_str(), "grep" | "head" | "tail" | "wc") {
            return filter_text("", argv, self.location());
        }
        match self.location().clone() {
            Location::Workstation => self.workstation(cluster, files, argv),
            Location::Pod { namespace, name, .. } => self.in_pod(cluster, &namespace, &name, argv),
            Location::Node(n) => self.on_node(cluster, &n, argv),
        }
    }

    fn workstation(&mut self, cluster: &mut Cluster, files: &dyn Files, argv: &[String]) -> Outcome {
        match argv[0].as_str() {
            "kubectl" | "k" => kubectl::run(self, cluster, files, &argv[1..]),
            // Your machine: no cluster DNS; node IPs, and ClusterIPs over `minikube tunnel`.
            "curl" => node::curl::curl(cluster, &crate::netpath::Origin::Host, &argv[1..], &mut |_, _| None),
            "minikube" => match argv.get(1).map(String::as_str) {
                Some("ssh") => {
                    let mut node = "minikube".to_string();
                    let mut it = argv[2..].iter();
                    while let Some(a) = it.next() {
                        if a == "-n" || a == "--node" {
                            node = it.next().cloned().unwrap_or_default();
                        } else if let Some(v) = a.strip_prefix("--node=") {
                            node = v.to_string();
                        }
                    }
                    if cluster.api.store().node(&node).is_none() {
                        return Outcome::err(
                            format!("\n❌  Exiting due to GUEST_NODE_RETRIEVE: retrieving node: Could not find node {node}\n\n"),
                            80,
                        );
                    }
                    self.stack.push(Location::Node(node));
                    Outcome::ok("")
                }
                Some("ip") => Outcome::ok(format!("{}\n", crate::cluster::node_ip(0))),
                Some("tunnel") => Outcome::ok(cluster.minikube_tunnel()),
                _ => Outcome::err(
                    "sdplay: only `minikube ssh [-n NODE]`, `minikube ip` and `minikube tunnel` are simulated\n",
                    1,
                ),
            },
            "ls" => {
                let mut names = files.list();
                names.sort();
                Outcome::ok(if names.is_empty() {
                    String::new()
                } else {
                    format!("{}\n", names.join("  "))
                })
            }
            "cat" => {
                let mut out = String::new();
                for f in &argv[1..] {
                    match files.read(f) {
                        Some(t) => out.push_str(&t),
                        None => return Outcome::err(format!("{out}cat: {f}: No such file or directory\n"), 1),
                    }
                }
                Outcome::ok(out)
            }
            "echo" => Outcome::ok(format!("{}\n", argv[1..].join(" "))),
            "clear" => Outcome::ok(""),
            "exit" => Outcome::ok(""),
            "help" => Outcome::ok(HELP),
            other => Outcome::err(format!("bash: {other}: command not found\n"), 127),
        }
    }
}

pub const HELP: &str = "sdplay terminal: a simulated workstation with kubectl and minikube.
  kubectl apply -f FILE | get … | describe … | exec -it POD -- bash | logs | delete | run | scale | expose | label
  minikube ssh [-n NODE]    a shell on a node (ipvsadm -Ln, ip addr show kube-ipvs0, iptables-save, nft list ruleset)
                            and `sdplay-proxy-mode ipvs|iptables|nftables` there to restart kube-proxy in
                            another mode (sdplay's stand-in for editing the kube-proxy ConfigMap)
  sleep N                   advance the simulated clock N seconds
Inside a Pod: cat /etc/resolv.conf, curl, nslookup, dig, host, getent hosts, ping, apt-get, exit.
";

/// grep / head / tail / wc -l over text.
fn filter_text(input: &str, argv: &[String], loc: &Location) -> Outcome {
    let _ = loc;
    let lines: Vec<&str> = input.lines().collect();
    let num = |flag: &str, default: usize| -> usize {
        let mut it = argv[1..].iter();
        while let Some(a) = it.next() {
            if a == flag {
                return it.next().and_then(|n| n.parse().ok()).unwrap_or(default);
            }
            if let Some(n) = a.strip_prefix(flag).and_then(|n| n.parse().ok()) {
                return n;
            }
            if let Some(n) = a.strip_prefix('-').and_then(|n| n.parse().ok()) {
                return n;
            }
        }
        default
    };
    let join = |v: Vec<&str>| {
        if v.is_empty() {
            String::new()
        } else {
            format!("{}\n", v.join("\n"))
        }
    };
    let Some(cmd) = argv.first() else { return Outcome::ok(input) };
    match cmd.as_str() {
        "grep" => {
            let invert = argv.iter().any(|a| a == "-v");
            let icase = argv.iter().any(|a| a == "-i");
            let Some(pat) = argv[1..].iter().find(|a| !a.starts_with('-')) else {
                return Outcome::err(
                    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                    2,
                );
            };
            let hits: Vec<&str> = lines
                .into_iter()
                .filter(|l| {
                    let m = if icase {
                        l.to_lowercase().contains(&pat.to_lowercase())
                    } else {
                        l.contains(pat.as_str())
                    };
                    m != invert
                })
                .collect();
            let status = if hits.is_empty() { 1 } else { 0 };
            Outcome {
                output: join(hits),
                status,
            }
        }
        "head" => Outcome::ok(join(lines.into_iter().take(num("-n", 10)).collect())),
        "tail" => {
            let n = num("-n", 10);
            let skip = lines.len().saturating_sub(n);
            Outcome::ok(join(lines.into_iter().skip(skip).collect()))
        }
        "wc" => Outcome::ok(format!("{}\n", lines.len())),
        _ => Outcome::ok(input.to_string()),
    }
}
