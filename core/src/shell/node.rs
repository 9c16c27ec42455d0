//! Commands on a node (`minikube ssh`): ipvsadm and ip, showing what kube-proxy programmed.

use crate::cluster::Cluster;

use super::{Outcome, Shell};

impl Shell {
    pub(crate) fn on_node(&mut self, c: &mut Cluster, node: &str, argv: &[String]) -> Outcome {
        match argv[0].as_str() {
            "exit" | "logout" => {
                self.stack.pop();
                Outcome::ok("logout\n")
            }
            "hostname" => Outcome::ok(format!("{node}\n")),
            "sudo" if argv.len() > 1 => self.on_node(c, node, &argv[1..]),
            "ipvsadm" => ipvsadm(c, node, &argv[1..]),
            "ip" => ip(c, node, &argv[1..]),
            other => Outcome::err(format!("-bash: {other}: command not found\n"), 127),
        }
    }
}

fn ipvsadm(c: &Cluster, node: &str, args: &[String]) -> Outcome {
    let numeric = args.iter().any(|a| a.contains('n'));
    let list = args
        .iter()
        .any(|a| a.starts_with("-L") || a == "-l" || a == "--list" || a.starts_with("-l"));
    if !list {
        return Outcome::err("sdplay: only `ipvsadm -Ln` is simulated so far\n", 1);
    }
    let _ = numeric;
    let mut out = String::from("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    if let Some(np) = c.proxy.nodes.get(node) {
        for vs in np.ipvs.services.values() {
            let flags = match vs.persistent {
                Some(t) => format!(" persistent {t}"),
                None => String::new(),
            };
            out.push_str(&format!(
                "{}  {}:{} {}{}\n",
                vs.key.proto.as_str(),
                vs.key.addr,
                vs.key.port,
                vs.sched.as_str(),
                flags
            ));
            let mut dests: Vec<&crate::proxy::ipvs::Dest> = vs.dests.iter().collect();
            dests.sort_by_key(|d| (u32::from(d.addr), d.port));
            for d in dests {
                out.push_str(&format!(
                    "  -> {:<28} {:<7} {:<6} {:<10} {:<10}\n",
                    format!("{}:{}", d.addr, d.port),
                    "Masq",
                    d.weight,
                    d.active,
                    d.inactive
                ));
            }
        }
    }
    Outcome::ok(out)
}

fn ip(c: &Cluster, node: &str, args: &[String]) -> Outcome {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["addr" | "a" | "address", "show" | "s", "kube-ipvs0"] | ["addr" | "a", "show", "dev", "kube-ipvs0"] => {
            let mut out = String::from("5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default \n    link/ether 6e:2d:1f:9a:3c:41 brd ff:ff:ff:ff:ff:ff\n");
            for a in c.proxy.kube_ipvs0_addrs(node) {
                out.push_str(&format!(
                    "    inet {a}/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n"
                ));
            }
            Outcome::ok(out)
        }
        _ => Outcome::err("sdplay: only `ip addr show kube-ipvs0` is simulated so far\n", 1),
    }
}
