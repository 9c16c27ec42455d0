//! The DNS client tools inside a Pod, printing what the real tools print: bind9's `nslookup`,
//! `dig` and `host` (bin/dig/nslookup.c, dig.c, host.c over dighost.c), busybox's `nslookup`,
//! `getent hosts` and `getent ahosts` (glibc's getent.c), and `ping`'s name resolution and replies.
//!
//! bind9's tools do not use the libc resolver: dighost.c reads resolv.conf itself and walks the
//! search list its own way ([`bind_candidates`]): fewer dots than ndots → each search domain, then
//! the name as-is; otherwise the name as-is only. Only NXDOMAIN moves on to the next name. `dig`
//! does not search at all unless `+search`. `getent` and `ping` go through libc (glibc or musl,
//! [`crate::resolver`]).
//!
//! Which bind9 is in the image decides the output details: the chapter's
//! `gcr.io/kubernetes-e2e-test-images/dnsutils:1.3` is Alpine 3.4 with bind-tools 9.10,
//! `jessie-dnsutils:1.3` is Debian jessie with 9.9.5, `apt-get install dnsutils` on Ubuntu 24.04
//! gives 9.18.30 (which prints `communications error … timed out` per try, a `(UDP)` after the
//! server, and the `.local` mDNS warning).

use std::net::Ipv4Addr;

use crate::apps;
use crate::cluster::Cluster;
use crate::dns::{fqdn, reverse_name, RData, RType, Rcode, Record, Response};
use crate::model::*;
use crate::netpath::{Echo, Origin};
use crate::resolver::ResolvConf;

use super::{Outcome, Shell};

/// dig/nslookup retry 3 times (resolv.conf `attempts` default), 5 s each.
const TRIES: u64 = 3;
const TIMEOUT_MS: u64 = 5_000;

/// The bind9 release an image carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bind {
    /// Debian jessie (`jessie-dnsutils:1.3`).
    V9_9,
    /// Alpine 3.4 bind-tools (`dnsutils:1.3`).
    V9_10,
    /// Ubuntu 24.04 `dnsutils`, netshoot.
    V9_18,
}

impl Bind {
    fn version(self) -> &'static str {
        match self {
            Bind::V9_9 => "9.9.5-9+deb8u19-Debian",
            Bind::V9_10 => "9.10.4-P8",
            Bind::V9_18 => "9.18.30-0ubuntu0.24.04.2-Ubuntu",
        }
    }

    /// EDNS UDP size dig advertises (and CoreDNS echoes).
    fn udp(self) -> u16 {
        match self {
            Bind::V9_18 => 1232,
            _ => 4096,
        }
    }
}

fn image(pod: &Pod) -> &str {
    pod.spec.containers.first().map(|c| c.image.as_str()).unwrap_or("")
}

/// The bind9 of a Pod whose image (or apt-get) provided the tool.
pub(crate) fn bind_of(pod: &Pod) -> Bind {
    let img = image(pod);
    match apps::image_name(img) {
        "jessie-dnsutils" => Bind::V9_9,
        "dnsutils" => Bind::V9_10,
        _ => Bind::V9_18,
    }
}

/// dighost.c's search walk (setup_lookup + next_origin). A trailing dot: as-is only. Fewer dots
/// than ndots: every search domain in order, then as-is. Otherwise as-is only (next_origin stops
/// once the name has more labels than ndots).
pub fn bind_candidates(name: &str, rc: &ResolvConf, usesearch: bool) -> Vec<String> {
    if name.ends_with('.') {
        return vec![name.to_string()];
    }
    let dots = name.matches('.').count();
    if !usesearch || dots >= rc.ndots() {
        return vec![format!("{name}.")];
    }
    let mut out: Vec<String> = rc.search.iter().map(|d| format!("{name}.{}", fqdn(d))).collect();
    out.push(format!("{name}."));
    out
}

/// dns_name_format: the name without its final dot.
fn nodot(n: &str) -> &str {
    if n == "." {
        return n;
    }
    n.strip_suffix('.').unwrap_or(n)
}

/// The answer of a walk: the last name asked and its response, or a timeout.
struct Walk {
    name: String,
    response: Option<Response>,
    /// Responses without the RA flag (CoreDNS's own authoritative answers): bind 9.11+'s
    /// nslookup prints `;; Got recursion not available from <server>` for each.
    no_ra: usize,
}

fn walk(c: &mut Cluster, server: Ipv4Addr, cands: &[String], qtype: RType) -> Walk {
    let mut last = Walk {
        name: cands.first().cloned().unwrap_or_default(),
        response: None,
        no_ra: 0,
    };
    for cand in cands {
        match c.dns_query_traced(server, cand, qtype) {
            Ok(r) => {
                let go_on = r.rcode == Rcode::NxDomain;
                last = Walk {
                    name: cand.clone(),
                    no_ra: last.no_ra + usize::from(r.aa),
                    response: Some(r),
                };
                if !go_on {
                    break;
                }
            }
            Err(_) => {
                c.advance_ms(TRIES * TIMEOUT_MS);
                return Walk {
                    name: cand.clone(),
                    response: None,
                    no_ra: last.no_ra,
                };
            }
        }
    }
    last
}

/// Lines bind 9.18 prints for a query that is never answered (one per try).
fn comm_errors(server: Ipv4Addr) -> String {
    format!(";; communications error to {server}#53: timed out\n").repeat(TRIES as usize)
}

/// dig's `MSG SIZE  rcvd`: the reply plus the 11-byte OPT record dig asked for.
fn msg_size(qname: &str, r: &Response) -> usize {
    crate::dns::response_size(qname, r) + 11
}

// ---- masterdump.c's columns: ttl 24, class 32, type 40, rdata 48, tab width 8 ----

fn indent(out: &mut String, col: &mut usize, to: usize) {
    let to = to.max(*col + 1);
    let tabs = to / 8 - *col / 8;
    let mut from = *col;
    if tabs > 0 {
        out.push_str(&"\t".repeat(tabs));
        from = (to / 8) * 8;
    }
    out.push_str(&" ".repeat(to.saturating_sub(from)));
    *col = to;
}

fn rr_line(r: &Record) -> String {
    let mut out = r.name.clone();
    let mut col = out.len();
    for (field, to) in [(r.ttl.to_string(), 24), ("IN".to_string(), 32), (r.data.rtype().to_string(), 40)] {
        indent(&mut out, &mut col, to);
        col += field.len();
        out.push_str(&field);
    }
    indent(&mut out, &mut col, 48);
    out.push_str(&r.data.to_string());
    out.push('\n');
    out
}

fn question_line(qname: &str, qtype: RType) -> String {
    let mut out = format!(";{qname}");
    let mut col = qname.len();
    indent(&mut out, &mut col, 32);
    out.push_str("IN");
    col += 2;
    indent(&mut out, &mut col, 40);
    out.push_str(qtype.as_str());
    out.push('\n');
    out
}

fn server_of(rc: &ResolvConf) -> Ipv4Addr {
    rc.nameservers
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(Ipv4Addr::new(10, 96, 0, 10))
}

/// dig's display switches (`+[no]cmd`, `+[no]comments`, `+[no]question`, `+[no]answer`,
/// `+[no]authority`, `+[no]additional`, `+[no]stats`, and `+[no]all` for all of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DigShow {
    cmd: bool,
    comments: bool,
    question: bool,
    answer: bool,
    authority: bool,
    additional: bool,
    stats: bool,
}

impl Default for DigShow {
    fn default() -> Self {
        DigShow {
            cmd: true,
            comments: true,
            question: true,
            answer: true,
            authority: true,
            additional: true,
            stats: true,
        }
    }
}

impl DigShow {
    /// Apply one `+flag`; false if it is not a display switch.
    fn set(&mut self, flag: &str) -> bool {
        let (on, name) = match flag.strip_prefix("no") {
            Some(rest) => (false, rest),
            None => (true, flag),
        };
        match name {
            "all" => {
                *self = DigShow {
                    cmd: on,
                    comments: on,
                    question: on,
                    answer: on,
                    authority: on,
                    additional: on,
                    stats: on,
                };
            }
            "cmd" => self.cmd = on,
            "comments" => self.comments = on,
            "question" => self.question = on,
            "answer" => self.answer = on,
            "authority" => self.authority = on,
            "additional" => self.additional = on,
            "stats" => self.stats = on,
            _ => return false,
        }
        true
    }
}

impl Shell {
    /// `nslookup`: bind9's in images with bind-tools/dnsutils, busybox's otherwise.
    pub(crate) fn nslookup(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let bind =
            apps::image_info(image(pod)).tools.contains(&"dig") || self.installed.get(&pod.meta.uid).is_some_and(|s| s.contains("dig"));
        let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some(name) = pos.first().map(|s| s.to_string()) else {
            return Outcome::err("sdplay: interactive nslookup is not simulated; pass a name\n", 1);
        };
        let mut qtype = RType::A;
        let mut explicit_type = None;
        for a in args {
            if let Some(t) = a
                .strip_prefix("-type=")
                .or_else(|| a.strip_prefix("-query="))
                .or_else(|| a.strip_prefix("-q="))
            {
                match RType::parse(t) {
                    Some(t) => {
                        qtype = t;
                        explicit_type = Some(t);
                    }
                    None => return Outcome::err(format!("unknown query type: {t}\n"), 1),
                }
            }
        }
        let rc = c.resolv_conf(pod);
        let server = match pos.get(1) {
            Some(s) => match s.parse::<Ipv4Addr>() {
                Ok(ip) => ip,
                Err(_) => return Outcome::err(format!("nslookup: couldn't get address for '{s}': not found\n"), 1),
            },
            None => server_of(&rc),
        };
        if !bind {
            return self.busybox_nslookup(c, pod, &name, server, explicit_type);
        }
        let version = bind_of(pod);
        // An address is looked up as its PTR name (nslookup's reverse mode).
        let (name, qtype) = match name.parse::<Ipv4Addr>() {
            Ok(ip) => (reverse_name(ip), RType::Ptr),
            Err(_) => (name, qtype),
        };
        // 9.18: without -type, A is followed by AAAA ("default lookups") and only the A (or an
        // explicit type's) reply prints the Server header; CoreDNS's answers lack RA, which
        // check_ra reports once per reply.
        let modern = version == Bind::V9_18;
        let default_lookups = modern && explicit_type.is_none();
        let no_ra = |n: usize| format!(";; Got recursion not available from {server}\n").repeat(if modern { n } else { 0 });
        let cands = bind_candidates(&name, &rc, true);
        let w = walk(c, server, &cands, qtype);
        let mut out = no_ra(w.no_ra);
        let Some(r) = w.response else {
            return match version {
                Bind::V9_18 => Outcome::err(format!("{out}{};; no servers could be reached\n\n", comm_errors(server)), 1),
                _ => Outcome::err(format!("{out};; connection timed out; no servers could be reached\n\n"), 1),
            };
        };
        if !default_lookups || qtype == RType::A {
            out.push_str(&format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n"));
        }
        if r.rcode != Rcode::NoError {
            out.push_str(&format!("** server can't find {}: {}\n\n", nodot(&w.name), r.rcode));
            return Outcome::err(out, 1);
        }
        if !r.aa && (!default_lookups || qtype == RType::A) {
            out.push_str("Non-authoritative answer:\n");
        }
        for rec in &r.answers {
            out.push_str(&match &rec.data {
                RData::A(ip) => format!("Name:\t{}\nAddress: {ip}\n", nodot(&rec.name)),
                RData::Cname(t) => format!("{}\tcanonical name = {t}\n", nodot(&rec.name)),
                RData::Ptr(t) => format!("{}\tname = {t}\n", nodot(&rec.name)),
                RData::Srv { .. } => format!("{}\tservice = {}\n", nodot(&rec.name), rec.data),
                RData::Txt(_) => format!("{}\ttext = {}\n", nodot(&rec.name), rec.data),
                other => format!("{}\t{} = {other}\n", nodot(&rec.name), other.rtype().as_str().to_ascii_lowercase()),
            });
        }
        if default_lookups && qtype == RType::A {
            // The AAAA lookup: the name the CNAME chain ends at, asked as-is (origin NULL).
            let mut target = w.name.clone();
            for rec in &r.answers {
                if let RData::Cname(t) = &rec.data {
                    target = t.clone();
                }
            }
            match c.dns_query_traced(server, &target, RType::Aaaa) {
                Ok(r6) => {
                    out.push_str(&no_ra(usize::from(r6.aa)));
                    if r6.rcode != Rcode::NoError {
                        out.push_str(&format!("** server can't find {}: {}\n", nodot(&target), r6.rcode));
                    } else if r6.answers.is_empty() && r.answers.is_empty() {
                        out.push_str(&format!("*** Can't find {name}: No answer\n"));
                    }
                }
                Err(_) => {
                    c.advance_ms(TRIES * TIMEOUT_MS);
                    out.push_str(&format!("{};; no servers could be reached\n", comm_errors(server)));
                }
            }
            out.push('\n');
            return if r.answers.is_empty() {
                Outcome::err(out, 1)
            } else {
                Outcome::ok(out)
            };
        }
        if r.answers.is_empty() {
            out.push_str(&format!("*** Can't find {name}: No answer\n\n"));
            return Outcome::err(out, 1);
        }
        if !r.aa && qtype != RType::A && qtype != RType::Aaaa {
            // Followed by the AUTHORITY and ADDITIONAL records (none from the simulated upstream).
            out.push_str("\nAuthoritative answers can be found from:\n");
        }
        out.push('\n');
        Outcome::ok(out)
    }

    /// busybox 1.3x `nslookup` (networking/nslookup.c). It does not use libc: a name with a dot
    /// is asked as-is only (so `kubernetes.default` is NXDOMAIN); a name without one is asked
    /// with *every* search domain appended (never bare), A then AAAA, all at once. Each reply
    /// prints as it comes (`** server can't find …` for an error, nothing for NODATA), followed
    /// by a blank line; any error makes the exit status 1.
    fn busybox_nslookup(&mut self, c: &mut Cluster, pod: &Pod, name: &str, server: Ipv4Addr, qtype: Option<RType>) -> Outcome {
        let rc = c.resolv_conf(pod);
        let mut queries: Vec<(String, RType)> = Vec::new();
        let with_search = |n: &str| -> Vec<String> {
            if n.contains('.') || rc.search.is_empty() {
                vec![n.to_string()]
            } else {
                rc.search.iter().map(|d| format!("{n}.{}", d.trim_end_matches('.'))).collect()
            }
        };
        match (name.parse::<Ipv4Addr>(), qtype) {
            (Ok(ip), None) => queries.push((nodot(&reverse_name(ip)).to_string(), RType::Ptr)),
            (_, None) => {
                for t in [RType::A, RType::Aaaa] {
                    queries.extend(with_search(name).into_iter().map(|n| (n, t)));
                }
            }
            (_, Some(t)) => queries.extend(with_search(name).into_iter().map(|n| (n, t))),
        }
        let mut out = String::new();
        let mut failed = false;
        for (q, t) in &queries {
            let r = match c.dns_query_traced(server, &fqdn(q), *t) {
                Ok(r) => r,
                Err(_) => {
                    c.advance_ms(TIMEOUT_MS);
                    if out.is_empty() {
                        return Outcome::err(";; connection timed out; no servers could be reached\n\n", 1);
                    }
                    out.push_str(&format!("*** Can't find {q}: No answer\n\n"));
                    return Outcome::err(out, 1);
                }
            };
            if out.is_empty() {
                out.push_str(&format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n"));
            }
            if r.rcode != Rcode::NoError {
                out.push_str(&format!("** server can't find {q}: {}\n", r.rcode));
                failed = true;
            } else {
                if !r.aa {
                    out.push_str("Non-authoritative answer:\n");
                }
                for rec in &r.answers {
                    let owner = nodot(&rec.name);
                    out.push_str(&match &rec.data {
                        RData::A(ip) => format!("Name:\t{owner}\nAddress: {ip}\n"),
                        RData::Cname(t) => format!("{owner}\tcanonical name = {}\n", nodot(t)),
                        RData::Ptr(t) => format!("{owner}\tname = {}\n", nodot(t)),
                        RData::Txt(v) => format!("{owner}\ttext = \"{v}\"\n"),
                        RData::Srv {
                            priority,
                            weight,
                            port,
                            target,
                        } => format!("{owner}\tservice = {priority} {weight} {port} {}\n", nodot(target)),
                        RData::Ns(t) => format!("{owner}\tnameserver = {}\n", nodot(t)),
                        RData::Aaaa(a) => format!("Name:\t{owner}\nAddress: {a}\n"),
                        RData::Soa { .. } => format!("{owner}\n"),
                    });
                }
            }
            out.push('\n');
        }
        if failed {
            Outcome::err(out, 1)
        } else {
            Outcome::ok(out)
        }
    }

    /// bind9 `dig`: `@server`, a name, a type, `-t TYPE`, `-x ADDR`, `+short`, `+search`, and the
    /// display switches (`+noall +answer`, …).
    pub(crate) fn dig(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let version = bind_of(pod);
        // dig sends EDNS (and, from 9.11, a client COOKIE): CoreDNS logs the bigger query.
        if let Some(cl) = c.coredns.client.as_mut() {
            cl.edns = Some(version.udp());
            cl.cookie = version == Bind::V9_18;
        }
        let rc = c.resolv_conf(pod);
        let mut server = None;
        let mut name: Option<String> = None;
        let mut qtype: Option<RType> = None;
        let mut short = false;
        let mut search = false;
        let mut show = DigShow::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(s) = a.strip_prefix('@') {
                match s.parse::<Ipv4Addr>() {
                    Ok(ip) => server = Some(ip),
                    Err(_) => return Outcome::err(format!("dig: couldn't get address for '{s}': not found\n"), 10),
                }
            } else if a == "+short" {
                short = true;
            } else if a.strip_prefix('+').is_some_and(|f| show.set(f)) {
                // a display switch
            } else if a == "+search" {
                search = true;
            } else if a == "+nosearch" {
                search = false;
            } else if a == "-x" {
                let Some(ip) = it.next().and_then(|s| s.parse::<Ipv4Addr>().ok()) else {
                    return Outcome::err("Invalid IP address\n", 10);
                };
                name = Some(reverse_name(ip));
                qtype = Some(RType::Ptr);
            } else if a == "-t" {
                match it.next().and_then(|t| RType::parse(t)) {
                    Some(t) => qtype = Some(t),
                    None => return Outcome::err(";; Warning, ignoring invalid type\n", 10),
                }
            } else if a.starts_with('+') || a.starts_with('-') {
                // Other options change nothing sdplay models.
            } else if let Some(t) = RType::parse(a) {
                qtype = Some(t);
            } else if name.is_none() {
                name = Some(a.clone());
            }
        }
        let (name, qtype) = match name {
            Some(n) => (n, qtype.unwrap_or(RType::A)),
            // No name: dig asks the root for NS.
            None => (".".to_string(), RType::Ns),
        };
        let server = server.unwrap_or_else(|| server_of(&rc));
        let cmdline = if !show.cmd {
            String::new()
        } else {
            format!(
                "\n; <<>> DiG {} <<>> {}\n{};; global options: +cmd\n",
                version.version(),
                args.join(" "),
                if args.iter().any(|a| a.starts_with('@')) {
                    "; (1 server found)\n"
                } else {
                    ""
                }
            )
        };
        let cands = bind_candidates(&name, &rc, search);
        let w = walk(c, server, &cands, qtype);
        let Some(r) = w.response else {
            let head = if short { String::new() } else { cmdline };
            return match version {
                Bind::V9_18 => Outcome::err(format!("{}{head};; no servers could be reached\n", comm_errors(server)), 9),
                _ => Outcome::err(format!("{head};; connection timed out; no servers could be reached\n"), 9),
            };
        };
        if short {
            let mut out = String::new();
            for rec in &r.answers {
                out.push_str(&format!("{}\n", rec.data));
            }
            return Outcome::ok(out);
        }
        let qname = w.name.clone();
        let mut out = cmdline;
        let id = c.rng.tools.below(65_536);
        if show.comments {
            out.push_str(";; Got answer:\n");
            if version == Bind::V9_18 && (fqdn(&qname) == "local." || fqdn(&qname).ends_with(".local.")) {
                out.push_str(";; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n");
            }
            out.push_str(&format!(";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n", r.rcode));
        }
        let ra = !r.aa;
        if show.comments {
            out.push_str(&format!(
                ";; flags: qr{} rd{}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
                if r.aa { " aa" } else { "" },
                if ra { " ra" } else { "" },
                r.answers.len(),
                r.authority.len(),
                r.additional.len() + 1
            ));
            if !ra {
                out.push_str(";; WARNING: recursion requested but not available\n");
            }
            out.push_str(&format!(
                "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: {}\n",
                version.udp()
            ));
        }
        if show.question {
            if show.comments {
                out.push_str(";; QUESTION SECTION:\n");
            }
            out.push_str(&question_line(&qname, qtype));
            if show.comments {
                out.push('\n');
            }
        }
        for (title, recs, on) in [
            ("ANSWER", &r.answers, show.answer),
            ("AUTHORITY", &r.authority, show.authority),
            ("ADDITIONAL", &r.additional, show.additional),
        ] {
            if recs.is_empty() || !on {
                continue;
            }
            if show.comments {
                out.push_str(&format!(";; {title} SECTION:\n"));
            }
            for rec in recs {
                out.push_str(&rr_line(rec));
            }
            if show.comments {
                out.push('\n');
            }
        }
        let ms = if r.aa { c.rng.tools.below(2) } else { 10 + c.rng.tools.below(30) };
        if !show.stats {
            return Outcome::ok(out);
        }
        out.push_str(&format!(";; Query time: {ms} msec\n"));
        match version {
            Bind::V9_18 => out.push_str(&format!(";; SERVER: {server}#53({server}) (UDP)\n")),
            _ => out.push_str(&format!(";; SERVER: {server}#53({server})\n")),
        }
        out.push_str(&format!(";; WHEN: {}\n", c.api.store().epoch().date_utc(c.now)));
        out.push_str(&format!(";; MSG SIZE  rcvd: {}\n\n", msg_size(&qname, &r)));
        Outcome::ok(out)
    }

    /// bind9 `host NAME` (A, searching as nslookup does) and `host ADDR` (PTR).
    pub(crate) fn host(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let version = bind_of(pod);
        let Some(name) = args.iter().find(|a| !a.starts_with('-')).cloned() else {
            return Outcome::err("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n", 1);
        };
        let rc = c.resolv_conf(pod);
        let server = server_of(&rc);
        let (qname, qtype) = match name.parse::<Ipv4Addr>() {
            Ok(ip) => (reverse_name(ip), RType::Ptr),
            Err(_) => (name.clone(), RType::A),
        };
        let cands = bind_candidates(&qname, &rc, true);
        let w = walk(c, server, &cands, qtype);
        let Some(r) = w.response else {
            return match version {
                Bind::V9_18 => Outcome::err(format!("{};; no servers could be reached\n", comm_errors(server)), 1),
                _ => Outcome::err(";; connection timed out; no servers could be reached\n", 1),
            };
        };
        if r.rcode != Rcode::NoError {
            let shown = if r.rcode == Rcode::NxDomain {
                name.clone()
            } else {
                nodot(&w.name).to_string()
            };
            let code = match r.rcode {
                Rcode::NoError => 0,
                Rcode::FormErr => 1,
                Rcode::ServFail => 2,
                Rcode::NxDomain => 3,
                Rcode::Refused => 5,
            };
            return Outcome::err(format!("Host {shown} not found: {code}({})\n", r.rcode), 1);
        }
        let mut out = String::new();
        for rec in &r.answers {
            let owner = nodot(&rec.name);
            out.push_str(&match &rec.data {
                RData::A(ip) => format!("{owner} has address {ip}\n"),
                RData::Cname(t) => format!("{owner} is an alias for {t}\n"),
                RData::Ptr(t) => format!("{owner} domain name pointer {t}\n"),
                other => format!("{owner} has {} record {other}\n", other.rtype()),
            });
        }
        Outcome::ok(out)
    }

    /// `getent hosts NAME…`: through libc (glibc or musl), `%-15s %s` per name, exit 2 if not found.
    pub(crate) fn getent(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let musl = apps::image_info(image(pod)).musl;
        match args.first().map(String::as_str) {
            Some("hosts") | Some("ahosts") => {}
            Some(db) => {
                return Outcome::err(
                    format!("Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n"),
                    1,
                )
            }
            None => {
                return Outcome::err(
                    "getent: wrong number of arguments\nTry `getent --help' or `getent --usage' for more information.\n",
                    1,
                )
            }
        }
        let ahosts = args.first().is_some_and(|a| a == "ahosts");
        let mut out = String::new();
        let mut status = 0;
        for key in args.iter().skip(1) {
            if let Ok(ip) = key.parse::<Ipv4Addr>() {
                if ahosts && !musl {
                    // getaddrinfo on a numeric address: no query, the address is the canonical name.
                    let a = ip.to_string();
                    out.push_str(&format!("{a:<15} STREAM {a}\n{a:<15} DGRAM  \n{a:<15} RAW    \n"));
                    continue;
                }
                // gethostbyaddr: a PTR query for the address.
                let server = server_of(&c.resolv_conf(pod));
                match c.dns_query_traced(server, &reverse_name(ip), RType::Ptr) {
                    Ok(r) => match r.answers.iter().find_map(|a| match &a.data {
                        RData::Ptr(t) => Some(t.clone()),
                        _ => None,
                    }) {
                        Some(t) => out.push_str(&format!("{:<15} {}\n", ip.to_string(), nodot(&t))),
                        None => status = 2,
                    },
                    Err(_) => status = 2,
                }
                continue;
            }
            match c.resolve_in_pod(pod, key, musl) {
                Ok(res) => match res.answer {
                    // glibc's `ahosts` (getent.c ahosts_keys_int): getaddrinfo with
                    // AI_CANONNAME, one entry per address and socket type, the canonical name
                    // on the first only: "%-15s %-6s %s\n".
                    Some((fq, addrs)) if ahosts && !musl => {
                        for (i, a) in addrs.iter().enumerate() {
                            let canon = if i == 0 { nodot(&fq) } else { "" };
                            out.push_str(&format!("{:<15} {:<6} {}\n", a.to_string(), "STREAM", canon));
                            out.push_str(&format!("{:<15} {:<6} \n", a.to_string(), "DGRAM"));
                            out.push_str(&format!("{:<15} {:<6} \n", a.to_string(), "RAW"));
                        }
                    }
                    // `hosts`: print_hosts, every address of the hostent (glibc); musl's
                    // getent is modelled with the first only.
                    Some((fq, addrs)) => {
                        for a in addrs.iter().take(if musl { 1 } else { usize::MAX }) {
                            out.push_str(&format!("{:<15} {}\n", a.to_string(), nodot(&fq)));
                        }
                    }
                    None => status = 2,
                },
                Err(_) => status = 2,
            }
        }
        Outcome { output: out, status }
    }

    /// `ping [-c N] HOST`: resolves through libc, then ICMP echo as `Cluster::icmp_echo` says the
    /// node treats it. Since kube-proxy 1.27 a ClusterIP never answers an echo: IPVS mode rejects
    /// it (port unreachable from the ClusterIP), nftables mode rejects it from the node, and in
    /// iptables mode it is lost. Older write-ups showing a ClusterIP answering ping predate that.
    pub(crate) fn ping(&mut self, c: &mut Cluster, pod: &Pod, args: &[String]) -> Outcome {
        let info = apps::image_info(image(pod));
        let busybox = info.distro == "busybox" || info.distro == "alpine";
        let mut count: u64 = 4;
        let mut host = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-c" => count = it.next().and_then(|n| n.parse().ok()).unwrap_or(4).clamp(1, 20),
                "-W" | "-w" | "-i" | "-s" => {
                    it.next();
                }
                s if s.starts_with('-') => {}
                s => host = Some(s.to_string()),
            }
        }
        let Some(host) = host else {
            return if busybox {
                Outcome::err(
                    "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n",
                    1,
                )
            } else {
                Outcome::err("ping: usage error: Destination address required\n", 1)
            };
        };
        let (ip, canon) = match host.parse::<Ipv4Addr>() {
            Ok(ip) => (ip, host.clone()),
            Err(_) => match c.resolve_in_pod(pod, &host, info.musl) {
                Ok(res) => match res.answer.and_then(|(fq, a)| a.first().map(|ip| (*ip, nodot(&fq).to_string()))) {
                    Some(x) => x,
                    None if busybox => return Outcome::err(format!("ping: bad address '{host}'\n"), 1),
                    None => return Outcome::err(format!("ping: {host}: Name or service not known\n"), 2),
                },
                Err(_) if busybox => return Outcome::err(format!("ping: bad address '{host}'\n"), 1),
                Err(_) => return Outcome::err(format!("ping: {host}: Temporary failure in name resolution\n"), 2),
            },
        };
        // In-cluster addresses go through the node's kernel and kube-proxy's rules
        // (`Cluster::icmp_echo`); the simulated Internet answers from a few hops away.
        let origin = Origin::Pod {
            namespace: pod.meta.namespace.to_string(),
            name: pod.meta.name.to_string(),
        };
        let echo = if crate::dns::upstream::lookup_host(&host).is_some() {
            Echo::Reply { ttl: 116 }
        } else {
            c.icmp_echo(&origin, ip)
        };
        let mut times = Vec::new();
        let mut body = String::new();
        // iputils names the reply by its PTR (the Service's or Pod's DNS name) when it has one.
        let from = if !busybox && host.parse::<Ipv4Addr>().is_err() {
            let server = server_of(&c.resolv_conf(pod));
            match c.dns_query(server, &reverse_name(ip), RType::Ptr) {
                Ok((r, _)) => r
                    .answers
                    .iter()
                    .find_map(|a| match &a.data {
                        RData::Ptr(t) => Some(format!("{} ({ip})", nodot(t))),
                        _ => None,
                    })
                    .unwrap_or_else(|| ip.to_string()),
                Err(_) => ip.to_string(),
            }
        } else {
            ip.to_string()
        };
        let mut errors = 0u64;
        for seq in 0..count {
            match echo {
                Echo::Reply { ttl } => {
                    let us = 40 + c.rng.tools.below(60);
                    times.push(us);
                    if busybox {
                        body.push_str(&format!("64 bytes from {ip}: seq={seq} ttl={ttl} time=0.{us:03} ms\n"));
                    } else {
                        body.push_str(&format!("64 bytes from {from}: icmp_seq={} ttl={ttl} time=0.{us:03} ms\n", seq + 1));
                    }
                }
                // iputils reports the ICMP error; busybox ping ignores it silently.
                Echo::PortUnreachable { from: by } if !busybox => {
                    errors += 1;
                    body.push_str(&format!("From {by} icmp_seq={} Destination Port Unreachable\n", seq + 1));
                }
                _ => {}
            }
        }
        c.advance_ms(count * 1000);
        let got = times.len() as u64;
        let loss = (count - got) * 100 / count;
        let mut out = if busybox {
            format!("PING {host} ({ip}): 56 data bytes\n{body}\n--- {host} ping statistics ---\n{count} packets transmitted, {got} packets received, {loss}% packet loss\n")
        } else {
            format!(
                "PING {canon} ({ip}) 56(84) bytes of data.\n{body}\n--- {canon} ping statistics ---\n{count} packets transmitted, {got} received, {}{loss}% packet loss, time {}ms\n",
                if errors > 0 { format!("+{errors} errors, ") } else { String::new() },
                (count - 1) * 1000 + c.rng.tools.below(80)
            )
        };
        if let (Some(min), Some(max)) = (times.iter().min(), times.iter().max()) {
            let avg = times.iter().sum::<u64>() / got.max(1);
            if busybox {
                out.push_str(&format!("round-trip min/avg/max = 0.{min:03}/0.{avg:03}/0.{max:03} ms\n"));
            } else {
                let var = times.iter().map(|t| t.abs_diff(avg).pow(2)).sum::<u64>() / got.max(1);
                let mdev = (var as f64).sqrt() as u64;
                out.push_str(&format!("rtt min/avg/max/mdev = 0.{min:03}/0.{avg:03}/0.{max:03}/0.{mdev:03} ms\n"));
            }
            Outcome::ok(out)
        } else {
            Outcome::err(out, 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(ns: &str) -> ResolvConf {
        ResolvConf {
            nameservers: vec!["10.96.0.10".into()],
            search: vec![
                format!("{ns}.svc.cluster.local"),
                "svc.cluster.local".into(),
                "cluster.local".into(),
            ],
            options: vec![("ndots".into(), Some("5".into()))],
        }
    }

    #[test]
    fn bind_walk_searches_then_as_is_below_ndots() {
        assert_eq!(
            bind_candidates("kubernetes", &rc("dev"), true),
            [
                "kubernetes.dev.svc.cluster.local.",
                "kubernetes.svc.cluster.local.",
                "kubernetes.cluster.local.",
                "kubernetes."
            ]
        );
    }

    #[test]
    fn bind_walk_as_is_only_at_ndots_or_absolute_or_nosearch() {
        assert_eq!(bind_candidates("a.b.c.d.e.f", &rc("dev"), true), ["a.b.c.d.e.f."]);
        assert_eq!(bind_candidates("kubernetes.", &rc("dev"), true), ["kubernetes."]);
        assert_eq!(bind_candidates("kubernetes", &rc("dev"), false), ["kubernetes."]);
    }

    #[test]
    fn dig_columns_follow_masterdump() {
        let r = Record {
            name: "kubernetes.default.svc.cluster.local.".into(),
            ttl: 30,
            data: RData::A(Ipv4Addr::new(10, 96, 0, 1)),
        };
        assert_eq!(rr_line(&r), "kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n");
        let r = Record {
            name: "google.com.".into(),
            ttl: 300,
            data: RData::A(Ipv4Addr::new(142, 250, 180, 14)),
        };
        assert_eq!(rr_line(&r), "google.com.\t\t300\tIN\tA\t142.250.180.14\n");
        assert_eq!(question_line("google.com.", RType::A), ";google.com.\t\t\tIN\tA\n");
        assert_eq!(
            question_line("kubernetes.default.svc.cluster.local.", RType::A),
            ";kubernetes.default.svc.cluster.local. IN A\n"
        );
    }

    #[test]
    fn message_size_is_uncompressed_wire_size() {
        let r = Response::answer(vec![Record {
            name: "kubernetes.default.svc.cluster.local.".into(),
            ttl: 30,
            data: RData::A(Ipv4Addr::new(10, 96, 0, 1)),
        }]);
        // 12 header + (38 + 4) question + (38 + 10 + 4) answer + 11 OPT.
        assert_eq!(msg_size("kubernetes.default.svc.cluster.local.", &r), 117);
    }
}
