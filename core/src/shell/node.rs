//! Commands on a node (`minikube ssh`): ipvsadm (list in ipvsadm's layouts, and build services
//! by hand), ip, iptables-save, nft and sdplay's proxy-mode switch, showing what kube-proxy
//! programmed. [`rules_listing`] lends the same printers to the page's view.

use std::net::Ipv4Addr;

use crate::cluster::Cluster;
use crate::model::Protocol;
use crate::proxy::ipvs::{ipvsadm_sort, proto_number, Dest, Fwd, Sched, VirtualService, VsKey};
use crate::proxy::{rules, AddrError, ProxyMode};
use crate::time::SimTime;

use super::{Location, NodeLogin, Outcome, Shell};

/// curl for Pods and nodes (shared with `pod.rs`).
#[path = "curl.rs"]
pub(super) mod curl;

impl Shell {
    pub(crate) fn on_node(&mut self, c: &mut Cluster, node: &str, argv: &[String]) -> Outcome {
        let login_shell = matches!(
            self.location(),
            Location::Node {
                login: NodeLogin::MinikubeSsh,
                ..
            }
        );
        // kind's node image (kindest/node, images/base/Dockerfile) installs iptables,
        // nftables, iproute2, curl and procps, but neither ipvsadm nor sudo (its shell is
        // root's); minikube's has both.
        let kind = matches!(c.config.platform, crate::cluster::Platform::Kind { .. });
        match argv[0].as_str() {
            "exit" | "logout" if login_shell => {
                self.stack.pop();
                Outcome::ok("logout\n")
            }
            // A bash that is no login shell: `logout` refuses, `exit` says so on leaving.
            "logout" => Outcome::err("bash: logout: not login shell: use `exit'\n", 1),
            "exit" => {
                self.stack.pop();
                Outcome::ok("exit\n")
            }
            "hostname" => Outcome::ok(format!("{node}\n")),
            "sudo" | "ipvsadm" if kind => super::error::ShellError::CommandNotFound(argv[0].clone()).outcome(self.dialect()),
            "sudo" if argv.len() > 1 => self.on_node(c, node, &argv[1..]),
            "ipvsadm" => ipvsadm(c, node, &argv[1..]),
            // kindnet's routes (a ptp veth per Pod, one route per other node) are not modelled.
            "ip" if kind && matches!(argv.get(1).map(String::as_str), Some("route" | "r")) => {
                Outcome::err("sdplay: `ip route` on a kind node (kindnet's routes) is not simulated\n", 1)
            }
            "ip" => ip(c, node, &argv[1..]),
            "iptables-save" => iptables_save(c, node, &argv[1..]),
            "nft" => nft(c, node, &argv[1..]),
            "sdplay-proxy-mode" => proxy_mode(c, node, &argv[1..]),
            "curl" => curl(c, node, &argv[1..]),
            // `-bash` in minikube ssh's login shell, `bash` in a `docker exec` one.
            other => super::error::ShellError::CommandNotFound(other.into()).outcome(self.dialect()),
        }
    }
}

/// A node's Service rules as its proxy mode's tool prints them, for the page's view
/// ([`crate::view`]): the command line and its output (`ipvsadm -Ln`, `iptables-save -t nat`,
/// `nft list ruleset`), from the same printers as the terminal, of any kube-proxy state (the
/// live one, or one rebuilt for a past moment). Changes nothing.
pub(crate) fn rules_listing_of(
    proxy: &crate::proxy::KubeProxy,
    node: &str,
    epoch: crate::time::Epoch,
    now: SimTime,
) -> (&'static str, String) {
    match proxy.mode(node) {
        ProxyMode::Ipvs => {
            let o = IpvsArgs {
                numeric: true,
                ..IpvsArgs::default()
            };
            ("ipvsadm -Ln", list(&proxy.ipvs_table(node, now.0), &o, now.0))
        }
        ProxyMode::Iptables => ("iptables-save -t nat", rules::iptables_save_nat(proxy, node, epoch, now)),
        ProxyMode::Nftables => ("nft list ruleset", rules::nft_ruleset(proxy, node)),
    }
}

/// `sdplay-proxy-mode [ipvs|iptables|nftables] [--ipvs-scheduler rr|wrr|lc|wlc|sed|nq|sh|dh|mh]`:
/// sdplay's stand-in for giving this node's kube-proxy another configuration (`mode`,
/// `ipvs.scheduler`) and restarting it; it rebuilds the node's rules from the shared state.
/// Other nodes keep theirs.
fn proxy_mode(c: &mut Cluster, node: &str, args: &[String]) -> Outcome {
    const USAGE: &str = "usage: sdplay-proxy-mode [ipvs|iptables|nftables] [--ipvs-scheduler rr|wrr|lc|wlc|sed|nq|sh|dh|mh]\n";
    if args.is_empty() {
        return Outcome::ok(format!(
            "{} (ipvs scheduler {})\n",
            c.proxy.mode(node),
            c.proxy.scheduler(node).as_str()
        ));
    }
    let mut mode = c.proxy.mode(node);
    let mut sched = c.proxy.scheduler(node);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        if flag == "--ipvs-scheduler" {
            match inline.or_else(|| it.next().cloned()).as_deref().and_then(Sched::parse) {
                Some(s) => sched = s,
                None => return Outcome::err(USAGE, 2),
            }
        } else {
            match ProxyMode::parse(a) {
                Some(m) => mode = m,
                None => return Outcome::err(USAGE, 2),
            }
        }
    }
    c.restart_kube_proxy(node, mode, sched);
    if mode == ProxyMode::Ipvs {
        Outcome::ok(format!("kube-proxy restarted in ipvs mode (scheduler {})\n", sched.as_str()))
    } else {
        Outcome::ok(format!("kube-proxy restarted in {mode} mode\n"))
    }
}

/// `curl` from the node itself: NodePorts on the node's IP, ClusterIPs (trapped by the node's
/// own kernel), Pod IPs. The node does not use cluster DNS, so only addresses work.
fn curl(c: &mut Cluster, node: &str, args: &[String]) -> Outcome {
    let from = crate::netpath::Origin::Node(node.to_string());
    curl::curl(c, &from, args, &mut |_, _| None)
}

const IPVS_HEADER: &str = "IP Virtual Server version 1.2.1 (size=4096)\n";

/// ipvsadm's commands (`ipvsadm.c`'s `CMD_*`), one per invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IpvsCmd {
    AddService,
    EditService,
    DeleteService,
    AddServer,
    EditServer,
    DeleteServer,
    List,
    Clear,
    Save,
}

impl IpvsCmd {
    /// `-A`, `--add-service`, …
    fn of_short(c: char) -> Option<IpvsCmd> {
        Some(match c {
            'A' => IpvsCmd::AddService,
            'E' => IpvsCmd::EditService,
            'D' => IpvsCmd::DeleteService,
            'a' => IpvsCmd::AddServer,
            'e' => IpvsCmd::EditServer,
            'd' => IpvsCmd::DeleteServer,
            'L' | 'l' => IpvsCmd::List,
            'C' => IpvsCmd::Clear,
            'S' => IpvsCmd::Save,
            _ => return None,
        })
    }

    fn of_long(a: &str) -> Option<IpvsCmd> {
        Some(match a {
            "--add-service" => IpvsCmd::AddService,
            "--edit-service" => IpvsCmd::EditService,
            "--delete-service" => IpvsCmd::DeleteService,
            "--add-server" => IpvsCmd::AddServer,
            "--edit-server" => IpvsCmd::EditServer,
            "--delete-server" => IpvsCmd::DeleteServer,
            "--list" => IpvsCmd::List,
            "--clear" => IpvsCmd::Clear,
            "--save" => IpvsCmd::Save,
            _ => return None,
        })
    }

    /// The long name ipvsadm's messages use (`You need to supply … for the '--add-server' command`).
    fn name(self) -> &'static str {
        match self {
            IpvsCmd::AddService => "add-service",
            IpvsCmd::EditService => "edit-service",
            IpvsCmd::DeleteService => "delete-service",
            IpvsCmd::AddServer => "add-server",
            IpvsCmd::EditServer => "edit-server",
            IpvsCmd::DeleteServer => "delete-server",
            IpvsCmd::Clear => "clear",
            IpvsCmd::Save => "save",
            IpvsCmd::List => "list",
        }
    }
}

#[derive(Default)]
struct IpvsArgs {
    cmd: Option<IpvsCmd>,
    service: Option<(Protocol, String)>,
    sched: Option<String>,
    persistent: Option<u32>,
    real: Option<String>,
    weight: Option<String>,
    fwd: Option<Fwd>,
    numeric: bool,
    conn: bool,
    stats: bool,
    rate: bool,
    exact: bool,
}

fn parse_ipvsadm(args: &[String]) -> Result<IpvsArgs, String> {
    let mut o = IpvsArgs::default();
    let mut i = 0;
    let set_cmd = |o: &mut IpvsArgs, c: IpvsCmd| -> Result<(), String> {
        if o.cmd.is_some_and(|x| x != c) {
            return Err("multiple commands specified\n".into());
        }
        o.cmd = Some(c);
        Ok(())
    };
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize, rest: &str| -> Result<String, String> {
            if !rest.is_empty() {
                return Ok(rest.to_string());
            }
            *i += 1;
            args.get(*i)
                .cloned()
                // popt's error as ipvsadm prints it: "<option>: <poptStrerror>".
                .ok_or_else(|| format!("{a}: missing argument\n"))
        };
        if let Some(c) = IpvsCmd::of_long(a) {
            set_cmd(&mut o, c)?;
        } else if a.starts_with("--") {
            match a {
                "--tcp-service" => o.service = Some((Protocol::Tcp, value(&mut i, "")?)),
                "--udp-service" => o.service = Some((Protocol::Udp, value(&mut i, "")?)),
                "--scheduler" => o.sched = Some(value(&mut i, "")?),
                "--real-server" => o.real = Some(value(&mut i, "")?),
                "--weight" => o.weight = Some(value(&mut i, "")?),
                "--masquerading" => o.fwd = Some(Fwd::Masq),
                "--gatewaying" => o.fwd = Some(Fwd::Route),
                "--ipip" => o.fwd = Some(Fwd::Tunnel),
                "--numeric" => o.numeric = true,
                "--connection" => o.conn = true,
                "--stats" => o.stats = true,
                "--rate" => o.rate = true,
                "--exact" => o.exact = true,
                "--persistent" => o.persistent = Some(persist_arg(args, &mut i)?),
                _ => return Err(format!("{a}: unknown option\n")),
            }
        } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (k, ch) in flags.char_indices() {
                let rest = &flags[k + ch.len_utf8()..];
                match ch {
                    'A' | 'E' | 'D' | 'a' | 'e' | 'd' | 'C' | 'S' | 'L' | 'l' => {
                        set_cmd(&mut o, IpvsCmd::of_short(ch).unwrap_or(IpvsCmd::List))?
                    }
                    'n' => o.numeric = true,
                    'c' => o.conn = true,
                    'g' => o.fwd = Some(Fwd::Route),
                    'i' => o.fwd = Some(Fwd::Tunnel),
                    'm' => o.fwd = Some(Fwd::Masq),
                    't' | 'u' | 's' | 'r' | 'w' => {
                        let v = value(&mut i, rest)?;
                        match ch {
                            't' => o.service = Some((Protocol::Tcp, v)),
                            'u' => o.service = Some((Protocol::Udp, v)),
                            's' => o.sched = Some(v),
                            'r' => o.real = Some(v),
                            _ => o.weight = Some(v),
                        }
                        break;
                    }
                    'p' => {
                        o.persistent = Some(if rest.is_empty() {
                            persist_arg(args, &mut i)?
                        } else {
                            rest.parse().map_err(|_| format!("invalid timeout value `{rest}' specified\n"))?
                        });
                        break;
                    }
                    _ => return Err(format!("-{ch}: unknown option\n")),
                }
            }
        } else {
            return Err(format!("ipvsadm: unexpected argument {a}\n"));
        }
        i += 1;
    }
    Ok(o)
}

/// `-p [timeout]`: the optional value, else `IPVS_SVC_PERSISTENT_TIMEOUT` (6*60).
fn persist_arg(args: &[String], i: &mut usize) -> Result<u32, String> {
    match args.get(*i + 1) {
        Some(v) if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() => {
            *i += 1;
            match v.parse::<u32>() {
                Ok(t) if t >= 1 => Ok(t),
                _ => Err(format!("invalid timeout value `{v}' specified\n")),
            }
        }
        _ => Ok(6 * 60),
    }
}

fn parse_addr_port(s: &str, default_port: Option<u16>) -> Option<(Ipv4Addr, u16)> {
    match s.split_once(':') {
        Some((a, p)) => Some((a.parse().ok()?, p.parse().ok()?)),
        None => Some((s.parse().ok()?, default_port?)),
    }
}

fn ipvsadm(c: &mut Cluster, node: &str, args: &[String]) -> Outcome {
    let o = match parse_ipvsadm(args) {
        Ok(o) => o,
        Err(e) => return Outcome::err(e, 2),
    };
    let now = c.now.0;
    if c.proxy.node(node).is_none() {
        return Outcome::err("Can't initialize ipvs: Protocol not available\n", 1);
    }
    let cmd = o.cmd.unwrap_or(IpvsCmd::List);
    if matches!(cmd, IpvsCmd::List | IpvsCmd::Save) {
        let table = c.proxy.ipvs_table(node, now);
        if cmd == IpvsCmd::Save {
            return Outcome::ok(save(&table, o.numeric));
        }
        // `list_service`: one service, title without the version line.
        if let Some((proto, svc)) = &o.service {
            let Some((addr, port)) = parse_addr_port(svc, None) else {
                return Outcome::err("illegal virtual server address[:port] specified\n", 2);
            };
            let key = VsKey { proto: *proto, addr, port };
            let Some(vs) = table.services.get(&key) else {
                return Outcome::err("No such service\n", 1);
            };
            let one = crate::proxy::ipvs::Table {
                services: [(key, vs.clone())].into_iter().collect(),
                conns: Vec::new(),
            };
            let all = list(&one, &o, now);
            return Outcome::ok(all.strip_prefix(IPVS_HEADER).unwrap_or(&all).to_string());
        }
        return Outcome::ok(list(&table, &o, now));
    }
    if cmd == IpvsCmd::Clear {
        if let Some(table) = c.proxy.kernel_for_edit(node, None) {
            table.services.clear();
            table.conns.clear();
        }
        c.proxy.note_deleted(node, None);
        c.schedule_proxy_sync(node);
        return Outcome::ok("");
    }
    let need = |what: &str| {
        Outcome::err(
            format!("You need to supply the '{what}' option for the '--{}' command\n", cmd.name()),
            2,
        )
    };
    let Some((proto, svc)) = o.service.clone() else {
        return need("service-address");
    };
    let Some((addr, port)) = parse_addr_port(&svc, None).filter(|(_, p)| *p != 0) else {
        return Outcome::err("illegal virtual server address[:port] specified\n", 2);
    };
    let key = VsKey { proto, addr, port };
    let out = edit_table(c, node, key, cmd, &o);
    if c.proxy.has_hand_edits(node) {
        c.schedule_proxy_sync(node);
    }
    out
}

/// One `ipvsadm` edit of the node's kernel table (kube-proxy's next sync reverts it).
fn edit_table(c: &mut Cluster, node: &str, key: VsKey, cmd: IpvsCmd, o: &IpvsArgs) -> Outcome {
    let fail = |m: &str| Outcome::err(format!("{m}\n"), 255);
    // Validate before touching anything, so a refused command changes nothing.
    let sched = if matches!(cmd, IpvsCmd::AddService | IpvsCmd::EditService) {
        // ipvsadm fills in DEF_SCHED (wlc) when -s is not given, for -E too.
        match Sched::parse(o.sched.as_deref().unwrap_or("wlc")) {
            Some(s) => Some(s),
            None => return fail("Scheduler not found"),
        }
    } else {
        None
    };
    let real = if matches!(cmd, IpvsCmd::AddServer | IpvsCmd::EditServer | IpvsCmd::DeleteServer) {
        let Some(real) = o.real.clone() else {
            return Outcome::err(
                format!("You need to supply the 'real-server' option for the '--{}' command\n", cmd.name()),
                2,
            );
        };
        let Some((raddr, rport)) = parse_addr_port(&real, Some(key.port)) else {
            return Outcome::err("illegal real server address[:port] specified\n", 2);
        };
        let weight = match o.weight.as_deref().map(str::parse::<i32>) {
            None => 1,
            Some(Ok(w)) if (0..=65535).contains(&w) => w,
            Some(_) => return Outcome::err("illegal weight specified\n", 2),
        };
        Some((raddr, rport, weight))
    } else {
        None
    };
    let Some(table) = c.proxy.kernel_for_edit(node, Some(key)) else {
        return Outcome::err("Can't initialize ipvs: Protocol not available\n", 1);
    };
    match (cmd, sched, real) {
        (IpvsCmd::AddService, Some(sched), _) => {
            if table.services.contains_key(&key) {
                return fail("Service already exists");
            }
            let mut vs = VirtualService::new(key, sched);
            vs.persistent = o.persistent;
            table.services.insert(key, vs);
            Outcome::ok("")
        }
        (IpvsCmd::EditService, Some(sched), _) => {
            let Some(vs) = table.services.get_mut(&key) else {
                return fail("No such service");
            };
            vs.set_sched(sched);
            vs.persistent = o.persistent;
            Outcome::ok("")
        }
        (IpvsCmd::DeleteService, _, _) => match table.remove_service(&key) {
            Some(vs) => {
                if vs.owner.is_some() {
                    c.proxy.note_deleted(node, Some(key));
                }
                Outcome::ok("")
            }
            None => fail("No such service"),
        },
        (_, _, Some((raddr, rport, weight))) => {
            let Some(vs) = table.services.get_mut(&key) else {
                return fail("Service not defined");
            };
            match cmd {
                IpvsCmd::AddServer => {
                    if vs.has_dest(raddr, rport) {
                        return fail("Destination already exists");
                    }
                    let mut d = Dest::new(raddr, rport, weight);
                    d.fwd = o.fwd.unwrap_or(Fwd::Route);
                    vs.add_dest(d);
                    Outcome::ok("")
                }
                IpvsCmd::EditServer => {
                    let fwd = o
                        .fwd
                        .or_else(|| vs.dests.iter().find(|d| d.addr == raddr && d.port == rport).map(|d| d.fwd))
                        .unwrap_or(Fwd::Route);
                    if vs.edit_dest(raddr, rport, weight, fwd) {
                        Outcome::ok("")
                    } else {
                        fail("No such destination")
                    }
                }
                _ => {
                    if table.remove_dest(&key, raddr, rport) {
                        Outcome::ok("")
                    } else {
                        fail("No such destination")
                    }
                }
            }
        }
        _ => Outcome::ok(""),
    }
}

/// `print_largenum`.
fn largenum(i: u64, exact: bool) -> String {
    if exact {
        let len = i.to_string().len();
        let w = if len <= 8 { 9 } else { len + 1 };
        return format!("{i:>w$}");
    }
    if i < 100_000_000 {
        format!("{i:>9}")
    } else if i < 1_000_000_000 {
        format!("{:>8}K", i / 1000)
    } else if i < 100_000_000_000 {
        format!("{:>8}M", i / 1_000_000)
    } else if i < 100_000_000_000_000 {
        format!("{:>8}G", i / 1_000_000_000)
    } else {
        format!("{:>8}T", i / 1_000_000_000_000)
    }
}

/// Port names from the node's /etc/services, for `ipvsadm -L` without `-n`.
fn port_name(port: u16, proto: Protocol, numeric: bool) -> String {
    if numeric {
        return port.to_string();
    }
    let name = match (port, proto) {
        (80, Protocol::Tcp) => "http",
        (443, Protocol::Tcp) => "https",
        (53, _) => "domain",
        (8080, Protocol::Tcp) => "http-alt",
        _ => return port.to_string(),
    };
    name.to_string()
}

fn list(table: &crate::proxy::ipvs::Table, o: &IpvsArgs, now: u64) -> String {
    if o.conn {
        let mut out = String::from("IPVS connection entries\npro expire state       source             virtual            destination\n");
        for cn in &table.conns {
            let secs = cn.expires_ms.saturating_sub(now) / 1000;
            let ap = |(a, p): (Ipv4Addr, u16)| format!("{a}:{}", port_name(p, cn.vs.proto, o.numeric));
            out.push_str(&format!(
                "{:<3} {:02}:{:02}  {:<11} {:<18} {:<18} {}\n",
                cn.vs.proto.as_str(),
                secs / 60,
                secs % 60,
                cn.state.name(),
                ap(cn.client),
                ap((cn.vs.addr, cn.vs.port)),
                ap(cn.dest)
            ));
        }
        return out;
    }
    let mut out = String::from(IPVS_HEADER);
    if o.stats || o.rate {
        let cols = if o.stats {
            ["Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"]
        } else {
            ["CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"]
        };
        out.push_str(&format!(
            "{:<33} {:>8} {:>8} {:>8} {:>8} {:>8}\n  -> RemoteAddress:Port\n",
            "Prot LocalAddress:Port", cols[0], cols[1], cols[2], cols[3], cols[4]
        ));
    } else {
        out.push_str("Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    }
    let mut services: Vec<&VirtualService> = table.services.values().collect();
    ipvsadm_sort(&mut services, |v| (proto_number(v.key.proto), v.key.addr, v.key.port));
    for vs in services {
        let mut name = format!(
            "{}  {}:{}",
            vs.key.proto.as_str(),
            vs.key.addr,
            port_name(vs.key.port, vs.key.proto, o.numeric)
        );
        name.truncate(33);
        let nums = |s: &crate::proxy::ipvs::Stats| {
            // Rates: sdplay's connections are instantaneous, so the kernel's 2-second estimator
            // is not modelled; the rate columns read 0.
            if o.rate {
                (0..5).map(|_| largenum(0, o.exact)).collect::<String>()
            } else {
                [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes]
                    .iter()
                    .map(|v| largenum(*v, o.exact))
                    .collect::<String>()
            }
        };
        if o.stats || o.rate {
            out.push_str(&format!("{name:<33}{}\n", nums(&vs.stats)));
        } else {
            out.push_str(&format!("{name} {}", vs.sched.as_str()));
            if let Some(t) = vs.persistent {
                out.push_str(&format!(" persistent {t}"));
            }
            out.push('\n');
        }
        let mut dests: Vec<&Dest> = vs.dests.iter().collect();
        ipvsadm_sort(&mut dests, |d| (0, d.addr, d.port));
        for d in dests {
            let mut dname = format!("{}:{}", d.addr, port_name(d.port, vs.key.proto, o.numeric));
            dname.truncate(28);
            if o.rate {
                out.push_str(&format!(
                    "  -> {dname:<28} {:>8} {:>8} {:>8}{}{}\n",
                    0,
                    0,
                    0,
                    largenum(0, o.exact),
                    largenum(0, o.exact)
                ));
            } else if o.stats {
                out.push_str(&format!("  -> {dname:<28}{}\n", nums(&d.stats)));
            } else {
                out.push_str(&format!(
                    "  -> {dname:<28} {:<7} {:<6} {:<10} {:<10}\n",
                    d.fwd.name(),
                    d.weight,
                    d.active,
                    d.inactive
                ));
            }
        }
    }
    out
}

/// `ipvsadm -S` (`FMT_RULE`): the commands that rebuild the table.
fn save(table: &crate::proxy::ipvs::Table, numeric: bool) -> String {
    let mut services: Vec<&VirtualService> = table.services.values().collect();
    ipvsadm_sort(&mut services, |v| (proto_number(v.key.proto), v.key.addr, v.key.port));
    let mut out = String::new();
    for vs in services {
        let flag = match vs.key.proto {
            Protocol::Tcp => "-t",
            Protocol::Udp => "-u",
            Protocol::Sctp => "--sctp-service",
        };
        let svc = format!("{flag} {}:{}", vs.key.addr, port_name(vs.key.port, vs.key.proto, numeric));
        out.push_str(&format!("-A {svc} -s {}", vs.sched.as_str()));
        if let Some(t) = vs.persistent {
            out.push_str(&format!(" -p {t}"));
        }
        out.push('\n');
        let mut dests: Vec<&Dest> = vs.dests.iter().collect();
        ipvsadm_sort(&mut dests, |d| (0, d.addr, d.port));
        for d in dests {
            let sw = match d.fwd {
                Fwd::Masq => "-m",
                Fwd::Route => "-g",
                Fwd::Tunnel => "-i",
            };
            out.push_str(&format!(
                "-a {svc} -r {}:{} {sw} -w {}\n",
                d.addr,
                port_name(d.port, vs.key.proto, numeric),
                d.weight
            ));
        }
    }
    out
}

fn iptables_save(c: &Cluster, node: &str, args: &[String]) -> Outcome {
    let table = args
        .windows(2)
        .find(|w| w[0] == "-t" || w[0] == "--table")
        .map(|w| w[1].as_str())
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--table=")))
        .unwrap_or("nat");
    if table != "nat" {
        return Outcome::err(format!("sdplay: only `iptables-save -t nat` is simulated (not {table})\n"), 1);
    }
    Outcome::ok(match c.proxy.mode(node) {
        ProxyMode::Iptables => rules::iptables_save_nat(&c.proxy, node, c.api.store().epoch(), c.now),
        ProxyMode::Ipvs => rules::iptables_save_nat_ipvs(&c.proxy, node, c.api.store().epoch(), c.now),
        // kube-proxy in nftables mode writes no iptables rules; kubelet's canary remains.
        ProxyMode::Nftables => {
            let mut s = rules::iptables_save_nat_ipvs(&c.proxy, node, c.api.store().epoch(), c.now);
            s = s
                .lines()
                .filter(|l| !l.contains("KUBE-") || l.contains("KUBELET-CANARY"))
                .map(|l| format!("{l}\n"))
                .collect();
            s
        }
    })
}

fn nft(c: &Cluster, node: &str, args: &[String]) -> Outcome {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["list", "ruleset"] | ["list", "table", "ip", "kube-proxy"] => {
            if c.proxy.mode(node) == ProxyMode::Nftables {
                Outcome::ok(rules::nft_ruleset(&c.proxy, node))
            } else {
                // iptables-nft tables are not shown in sdplay; kube-proxy owns no nft table here.
                Outcome::ok("")
            }
        }
        _ => Outcome::err("sdplay: only `nft list ruleset` is simulated\n", 1),
    }
}

fn ip(c: &mut Cluster, node: &str, args: &[String]) -> Outcome {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["addr" | "a" | "address", verb @ ("add" | "del" | "delete"), addr, "dev", "kube-ipvs0"] => {
            if c.proxy.mode(node) != ProxyMode::Ipvs {
                return Outcome::err("Cannot find device \"kube-ipvs0\"\n", 1);
            }
            let (a, len) = addr.split_once('/').unwrap_or((addr, "32"));
            let (Ok(ip), Ok(len)) = (a.parse::<Ipv4Addr>(), len.parse::<u8>()) else {
                return Outcome::err(format!("Error: any valid prefix is expected rather than \"{addr}\".\n"), 1);
            };
            if len != 32 {
                return Outcome::err(format!("sdplay: only /32 addresses on kube-ipvs0 are simulated (not /{len})\n"), 1);
            }
            let r = if *verb == "add" {
                c.proxy.add_dummy_addr(node, ip)
            } else {
                c.proxy.del_dummy_addr(node, ip)
            };
            match r {
                Ok(()) => {
                    c.schedule_proxy_sync(node);
                    Outcome::ok("")
                }
                Err(AddrError::NoDevice) => Outcome::err("Cannot find device \"kube-ipvs0\"\n", 1),
                Err(AddrError::Exists) => Outcome::err("RTNETLINK answers: File exists\n", 2),
                Err(AddrError::NotFound) => Outcome::err("RTNETLINK answers: Cannot assign requested address\n", 2),
            }
        }
        ["addr" | "a" | "address", "show" | "s", "kube-ipvs0"] | ["addr" | "a" | "address", "show" | "s", "dev", "kube-ipvs0"] => {
            if c.proxy.mode(node) != ProxyMode::Ipvs {
                return Outcome::err("Device \"kube-ipvs0\" does not exist.\n", 1);
            }
            let mut out = String::from("5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default \n    link/ether 6e:2d:1f:9a:3c:41 brd ff:ff:ff:ff:ff:ff\n");
            for a in c.proxy.kube_ipvs0_addrs(node) {
                out.push_str(&format!(
                    "    inet {a}/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n"
                ));
            }
            Outcome::ok(out)
        }
        ["route"] | ["r"] | ["route", "show"] | ["r", "s"] => {
            let node_ip = c.api.store().node(node).map(|n| n.internal_ip).unwrap_or(Ipv4Addr::UNSPECIFIED);
            let mut lines: Vec<(u32, String)> = Vec::new();
            for (name, h) in c.nodes().ranges() {
                let cidr = format!("{}/{}", h.subnet, h.prefix);
                if name == node {
                    lines.push((
                        u32::from(h.subnet),
                        format!("{cidr} dev bridge proto kernel scope link src {} ", h.gateway()),
                    ));
                } else if let Some(other) = c.api.store().node(name) {
                    lines.push((u32::from(h.subnet), format!("{cidr} via {} dev eth0 ", other.internal_ip)));
                }
            }
            lines.push((
                u32::from(Ipv4Addr::new(172, 17, 0, 0)),
                "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ".into(),
            ));
            lines.push((
                u32::from(Ipv4Addr::new(192, 168, 49, 0)),
                format!("192.168.49.0/24 dev eth0 proto kernel scope link src {node_ip} "),
            ));
            lines.sort();
            let mut out = String::from("default via 192.168.49.1 dev eth0 \n");
            for (_, l) in lines {
                out.push_str(&l);
                out.push('\n');
            }
            Outcome::ok(out)
        }
        _ => Outcome::err("sdplay: only `ip addr show|add|del … kube-ipvs0` and `ip route` are simulated\n", 1),
    }
}
