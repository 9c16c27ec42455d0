//! Commands inside a Pod's container: files kubelet writes (`/etc/resolv.conf`, `/etc/hosts`),
//! curl, the DNS tools, apt-get. Images carry only the tools they really carry; `apt-get
//! install` adds more (after `apt-get update`, which itself needs working DNS).

use crate::apps;
use crate::cluster::Cluster;
use crate::model::*;
use crate::netpath::Origin;

use super::error::ShellError;
use super::{Flavor, Outcome, Shell};

/// Packages apt-get knows, and the commands each provides.
const PACKAGES: &[(&str, &[&str], &str)] = &[
    ("curl", &["curl"], "8.5.0-2ubuntu10.6"),
    ("dnsutils", &["nslookup", "dig", "host"], "1:9.18.30-0ubuntu0.24.04.2"),
    ("bind9-dnsutils", &["nslookup", "dig", "host"], "1:9.18.30-0ubuntu0.24.04.2"),
    ("iputils-ping", &["ping"], "3:20240117-1build1"),
    ("wget", &["wget"], "1.21.4-1ubuntu4.1"),
];

impl Shell {
    fn has_tool(&self, pod: &Pod, tool: &str) -> bool {
        let image = pod.spec.containers.first().map(|c| c.image.as_str()).unwrap_or("");
        apps::image_info(image).tools.contains(&tool) || self.installed.get(&pod.meta.uid).is_some_and(|s| s.contains(tool))
    }

    pub(crate) fn in_pod(&mut self, c: &mut Cluster, ns: &str, name: &str, argv: &[String]) -> Outcome {
        let Some(pod) = c.api.store().pod(ns, name).cloned() else {
            return Outcome::err("command terminated with exit code 137\n", 137);
        };
        let dialect = self.dialect();
        let shell = dialect.0;
        let cmd = argv[0].as_str();
        if cmd == "exit" || cmd == "logout" {
            self.stack.pop();
            let code = argv.get(1).and_then(|s| s.parse::<i32>().ok()).unwrap_or(0);
            let mut out = String::from(if shell == Flavor::Bash { "exit\n" } else { "" });
            // Leaving a `kubectl run -it` session: kubectl attach's goodbye (a tty and restart
            // policy Always, as attach.go checks), then `--rm` deletes the Pod (run.go).
            if let Some(rm) = self.attached.remove(&pod.meta.uid) {
                let container = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
                let tty = pod.spec.containers.first().is_some_and(|c| c.tty);
                if tty && pod.spec.restart_policy == "Always" {
                    out.push_str(&format!(
                        "Session ended, resume using 'kubectl attach {name} -c {container} -i -t' command when the pod is running\n"
                    ));
                }
                // The shell was the container's main process: it exited with the session.
                c.main_process_exited(ns, name, code);
                if rm && c.delete(&ObjKey::new(Kind::Pod, ns, name)).is_ok() {
                    // A finished Pod goes at once (its removal is due now).
                    c.advance_ms(0);
                    out.push_str(&format!("pod \"{name}\" deleted\n"));
                }
                return Outcome { output: out, status: code };
            }
            if code != 0 {
                out.push_str(&format!("command terminated with exit code {code}\n"));
                return Outcome::err(out, code);
            }
            return Outcome::ok(out);
        }
        if matches!(cmd, "kubectl" | "minikube") {
            return ShellError::CommandNotFound(cmd.into()).outcome(dialect);
        }
        if !self.has_tool(&pod, cmd) {
            return ShellError::CommandNotFound(cmd.into()).outcome(dialect);
        }
        // The queries this command sends come from the Pod's IP, without EDNS unless the tool
        // says otherwise (dig); CoreDNS's `log` plugin prints them so.
        let ip = pod.status.pod_ip.or(pod.status.host_ip).unwrap_or(std::net::Ipv4Addr::UNSPECIFIED);
        c.coredns.client = Some(crate::dns::querylog::Client::plain(ip));
        c.dns_client = pod.spec.node_name.clone().map(|node| crate::cluster::DnsClient {
            node,
            ip,
            host_network: pod.spec.host_network,
            socket: None,
        });
        let out = self.run_in_pod(c, &pod, cmd, argv);
        c.coredns.client = None;
        c.dns_client = None;
        out
    }

    fn run_in_pod(&mut self, c: &mut Cluster, pod: &Pod, cmd: &str, argv: &[String]) -> Outcome {
        match cmd {
            "cat" => self.cat(c, pod, &argv[1..]),
            "hostname" => Outcome::ok(format!(
                "{}\n",
                pod.spec.hostname.clone().unwrap_or_else(|| pod.meta.name.to_string())
            )),
            "echo" => Outcome::ok(format!("{}\n", argv[1..].join(" "))),
            "env" => Outcome::ok(self.env(c, pod)),
            "ls" => {
                Outcome::ok("bin   dev  home  lib64  mnt  proc  run   srv  tmp  var\nboot  etc  lib   media  opt  root  sbin  sys  usr\n")
            }
            "curl" => self.curl(c, pod, &argv[1..]),
            "apt-get" | "apt" => self.apt(c, pod, &argv[1..]),
            "nslookup" => self.nslookup(c, pod, &argv[1..]),
            "dig" => self.dig(c, pod, &argv[1..]),
            "host" => self.host(c, pod, &argv[1..]),
            "getent" => self.getent(c, pod, &argv[1..]),
            "ping" => self.ping(c, pod, &argv[1..]),
            other => ShellError::NotSimulated(format!("`{other}` is not simulated yet in this container")).outcome(self.dialect()),
        }
    }

    fn env(&self, c: &Cluster, pod: &Pod) -> String {
        let mut out = format!(
            "HOSTNAME={}\nHOME=/root\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
            pod.meta.name
        );
        // Service links: every Service in the Pod's namespace that existed when it started.
        for s in c.api.store().services(Some(&pod.meta.namespace)) {
            if s.meta.creation > pod.meta.creation {
                continue;
            }
            let (Some(ip), Some(p)) = (s.cluster_ip(), s.spec.ports.first()) else {
                continue;
            };
            let n = s.meta.name.to_uppercase().replace('-', "_");
            out.push_str(&format!("{n}_SERVICE_HOST={ip}\n{n}_SERVICE_PORT={}\n", p.port));
        }
        out
    }

    fn cat(&self, c: &Cluster, pod: &Pod, files: &[String]) -> Outcome {
        let mut out = String::new();
        for f in files {
            let text = match f.as_str() {
                "/etc/resolv.conf" => c.resolv_conf(pod).render(),
                "/etc/hostname" => format!("{}\n", pod.spec.hostname.clone().unwrap_or_else(|| pod.meta.name.to_string())),
                "/etc/hosts" => {
                    let ip = pod.status.pod_ip.map(|i| i.to_string()).unwrap_or_default();
                    let host = pod.spec.hostname.clone().unwrap_or_else(|| pod.meta.name.to_string());
                    let fq = match &pod.spec.subdomain {
                        Some(sd) => format!("{host}.{sd}.{}.svc.{}\t{host}", pod.meta.namespace, c.domain()),
                        None => host,
                    };
                    format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{fq}\n")
                }
                "/etc/os-release" => "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nVERSION=\"24.04.1 LTS (Noble Numbat)\"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n".to_string(),
                other => {
                    out.push_str(&format!("cat: {other}: No such file or directory\n"));
                    return Outcome::err(out, 1);
                }
            };
            out.push_str(&text);
        }
        Outcome::ok(out)
    }

    fn musl(pod: &Pod) -> bool {
        apps::image_info(pod.spec.containers.first().map(|c| c.image.as_str()).unwrap_or("")).musl
    }

    fn curl(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let origin = Origin::Pod {
            namespace: pod.meta.namespace.to_string(),
            name: pod.meta.name.to_string(),
        };
        let musl = Self::musl(pod);
        super::node::curl::curl(c, &origin, args, &mut |c, host| {
            c.resolve_in_pod(pod, host, musl)
                .ok()
                .and_then(|r| r.answer)
                .and_then(|(_, a)| a.first().copied())
        })
    }

    fn apt(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let sub = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
        match sub {
            Some("update") => {
                let ok = c
                    .resolve_in_pod(pod, "archive.ubuntu.com", false)
                    .ok()
                    .and_then(|r| r.answer)
                    .is_some();
                c.advance_ms(3_000);
                if !ok {
                    return Outcome::ok(
                        "Ign:1 http://archive.ubuntu.com/ubuntu noble InRelease\nIgn:2 http://security.ubuntu.com/ubuntu noble-security InRelease\nErr:1 http://archive.ubuntu.com/ubuntu noble InRelease\n  Temporary failure resolving 'archive.ubuntu.com'\nErr:2 http://security.ubuntu.com/ubuntu noble-security InRelease\n  Temporary failure resolving 'security.ubuntu.com'\nReading package lists... Done\nW: Failed to fetch http://archive.ubuntu.com/ubuntu/dists/noble/InRelease  Temporary failure resolving 'archive.ubuntu.com'\nW: Some index files failed to download. They have been ignored, or old ones used instead.\n",
                    );
                }
                self.apt_updated.insert(pod.meta.uid.clone());
                Outcome::ok(
                    "Get:1 http://archive.ubuntu.com/ubuntu noble InRelease [256 kB]\nGet:2 http://security.ubuntu.com/ubuntu noble-security InRelease [126 kB]\nGet:3 http://archive.ubuntu.com/ubuntu noble-updates InRelease [126 kB]\nGet:4 http://archive.ubuntu.com/ubuntu noble-backports InRelease [126 kB]\nGet:5 http://archive.ubuntu.com/ubuntu noble/main amd64 Packages [1808 kB]\nGet:6 http://archive.ubuntu.com/ubuntu noble/universe amd64 Packages [19.3 MB]\nGet:7 http://security.ubuntu.com/ubuntu noble-security/main amd64 Packages [1005 kB]\nFetched 22.7 MB in 3s (7412 kB/s)\nReading package lists... Done\n",
                )
            }
            Some("install") => {
                let pkgs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') && a.as_str() != "install").collect();
                let mut out =
                    String::from("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n");
                if !self.apt_updated.contains(&pod.meta.uid) {
                    if let Some(p) = pkgs.first() {
                        out.push_str(&format!("E: Unable to locate package {p}\n"));
                        return Outcome::err(out, 100);
                    }
                }
                let mut new = Vec::new();
                for p in &pkgs {
                    match PACKAGES.iter().find(|(n, _, _)| n == p) {
                        Some(pkg) => new.push(*pkg),
                        None => {
                            out.push_str(&format!("E: Unable to locate package {p}\n"));
                            return Outcome::err(out, 100);
                        }
                    }
                }
                let names: Vec<&str> = new.iter().map(|(n, _, _)| *n).collect();
                out.push_str(&format!("The following NEW packages will be installed:\n  {}\n", names.join(" ")));
                out.push_str(&format!(
                    "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n",
                    names.len()
                ));
                for (i, (n, _, v)) in new.iter().enumerate() {
                    out.push_str(&format!(
                        "Get:{} http://archive.ubuntu.com/ubuntu noble-updates/main amd64 {n} amd64 {v} [227 kB]\n",
                        i + 1
                    ));
                }
                for (n, _, v) in &new {
                    out.push_str(&format!(
                        "Selecting previously unselected package {n}.\nUnpacking {n} ({v}) ...\nSetting up {n} ({v}) ...\n"
                    ));
                }
                let set = self.installed.entry(pod.meta.uid.clone()).or_default();
                for (_, tools, _) in &new {
                    for t in *tools {
                        set.insert(t.to_string());
                    }
                }
                c.advance_ms(4_000);
                Outcome::ok(out)
            }
            _ => Outcome::err("E: Invalid operation\n", 100),
        }
    }
}
