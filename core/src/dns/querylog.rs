//! CoreDNS at run time: which Corefile each CoreDNS Pod serves, and what its `log` plugin prints.
//!
//! - **Loading and reloading.** A CoreDNS Pod reads the `coredns` ConfigMap's Corefile when it
//!   starts. Afterwards the `reload` plugin checks the file every 30 s and, when its SHA512
//!   changed, restarts the server with it, printing `[INFO] Reloading` …
//!   `[INFO] Reloading complete` (the lines the Kubernetes "Customizing DNS Service" page shows).
//!   sdplay keeps the Corefile's history ([`CoreDns::corefile_changed`], called when the
//!   ConfigMap is written) and computes the reload ticks of each Pod from its start time, so
//!   nothing runs on a timer. Each Corefile is parsed once, when it is written; a query finds
//!   the one its Pod serves (the one held at the Pod's last 30 s check) by binary search
//!   ([`CoreDns::settings`]). Only three settings change answers here ([`Settings`]): `log`,
//!   the kubernetes block's `ttl` (default 5 when absent) and `pods` (default `disabled`).
//!   Other edits reload (and change the digest) without changing answers; a Corefile CoreDNS
//!   would reject is not detected.
//! - **The query log.** With `log` in the served Corefile, every query a Pod answers is one line
//!   in the plugin's default format (coredns `plugin/log/log.go` CommonLogFormat, values as
//!   `plugin/pkg/replacer` renders them), after clog's `[INFO] ` prefix:
//!   `[INFO] {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}"
//!   {rcode} {>rflags} {rsize} {duration}`. The query id and source port come from this
//!   module's own seeded RNG stream (so logging never shifts the cluster's other random
//!   choices), the duration from a model (tens to hundreds of µs for the kubernetes plugin,
//!   milliseconds for `forward`), never the wall clock. Sizes are wire sizes: CoreDNS does not
//!   compress small replies, echoes an OPT record (11 bytes, cookies dropped) only to EDNS
//!   clients, and a client without EDNS has a 512-byte buffer.
//! - The `loop` plugin's startup probe (`HINFO IN <rand>.<rand>.`, forwarded, NXDOMAIN) is
//!   logged after each (re)start whose Corefile has `log`, as real CoreDNS Pods show it.

use std::net::Ipv4Addr;

use super::kubernetes::{PodsMode, DEFAULT_TTL};
use super::{name_wire, response_size, upstream, RType, Response};
use crate::rng::Rng;
use crate::time::SimTime;

/// The reload plugin's check interval (`reload` without arguments: 30 s).
pub const RELOAD_INTERVAL_MS: u64 = 30_000;
/// Query lines kept per cluster (the oldest go first), so a long session stays small.
const MAX_ENTRIES: usize = 5_000;

/// The question of one query: its name and type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query<'a> {
    pub name: &'a str,
    pub qtype: RType,
}

/// Who sends a query, as far as the log line can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: Ipv4Addr,
    /// The EDNS UDP buffer size advertised, or `None` for a plain (RFC 1035) query.
    pub edns: Option<u16>,
    /// Whether the OPT record carries a client COOKIE (dig 9.11+).
    pub cookie: bool,
}

impl Client {
    /// glibc, musl, busybox, bind's nslookup and host: no EDNS.
    pub fn plain(ip: Ipv4Addr) -> Client {
        Client {
            ip,
            edns: None,
            cookie: false,
        }
    }

    /// dig: EDNS with its buffer size, and a cookie from 9.11 on.
    pub fn edns(ip: Ipv4Addr, bufsize: u16, cookie: bool) -> Client {
        Client {
            ip,
            edns: Some(bufsize),
            cookie,
        }
    }

    /// `{size}`: the query's length on the wire.
    pub fn query_size(&self, qname: &str) -> usize {
        let opt = match self.edns {
            Some(_) => 11 + if self.cookie { 12 } else { 0 },
            None => 0,
        };
        12 + name_wire(qname) + 4 + opt
    }

    /// `{>bufsize}`: request.Size(): the EDNS size, or 512 without EDNS (UDP).
    pub fn bufsize(&self) -> u16 {
        self.edns.unwrap_or(512)
    }
}

/// The Corefile settings that change what sdplay's CoreDNS does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `log` in the root server block.
    pub log: bool,
    /// `ttl` in the kubernetes block (5 when absent).
    pub ttl: u32,
    /// `pods` in the kubernetes block (`disabled` when absent).
    pub pods: PodsMode,
    /// The health plugin has `lameduck` (its shutdown prints a line on reload).
    pub lameduck: bool,
}

impl Settings {
    /// What an empty (or missing) Corefile gives: every default.
    pub const DEFAULT: Settings = Settings {
        log: false,
        ttl: DEFAULT_TTL,
        pods: PodsMode::Disabled,
        lameduck: false,
    };
}

#[cfg(test)]
thread_local! {
    /// How many times this thread ran [`parse_corefile`] (tests check queries do not).
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many Corefiles this thread has parsed.
#[cfg(test)]
pub(crate) fn parses() -> usize {
    PARSES.with(|c| c.get())
}

/// Read the settings sdplay honours from a Corefile: `log` directly inside the root (`.`)
/// server block; `ttl N` (0–3600) and `pods disabled|insecure|verified` inside its
/// `kubernetes` block. Anything else is ignored; malformed values keep the default.
/// [`CoreDns`] parses each Corefile once, when the ConfigMap is written; queries read that.
pub fn parse_corefile(text: &str) -> Settings {
    #[cfg(test)]
    PARSES.with(|c| c.set(c.get() + 1));
    let mut s = Settings::DEFAULT;
    let mut depth = 0usize;
    let mut root = false;
    let mut plugin = String::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let toks: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = toks.first() else { continue };
        let first = first.trim_end_matches('{');
        let opens = toks.iter().filter(|t| t.ends_with('{')).count();
        let closes = toks.iter().filter(|t| **t == "}").count();
        match depth {
            0 if opens > 0 => {
                // A server block key: `.:53`, `.`, `dns://.:53`.
                let key = first.trim_start_matches("dns://");
                root = key == "." || key.starts_with(".:");
            }
            1 if root => {
                plugin = first.to_string();
                if first == "log" {
                    s.log = true;
                }
            }
            2 if root && plugin == "kubernetes" => match (first, toks.get(1)) {
                ("ttl", Some(v)) => {
                    if let Ok(n) = v.parse::<u32>() {
                        if n <= 3600 {
                            s.ttl = n;
                        }
                    }
                }
                ("pods", Some(v)) => {
                    if let Some(m) = PodsMode::parse(v) {
                        s.pods = m;
                    }
                }
                _ => {}
            },
            2 if root && plugin == "health" && first == "lameduck" => s.lameduck = true,
            _ => {}
        }
        depth = (depth + opens).saturating_sub(closes);
    }
    s
}

/// One logged query.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    pod: String,
    at: SimTime,
    line: String,
}

/// One Corefile the `coredns` ConfigMap held from `at` on, parsed once when it was written.
#[derive(Clone, Debug)]
struct Loaded {
    at: SimTime,
    text: String,
    settings: Settings,
}

/// The Corefile history and the query log of the cluster's CoreDNS Pods.
#[derive(Clone, Debug)]
pub struct CoreDns {
    rng: Rng,
    /// The client of the queries being sent (set by the tool running in a Pod).
    pub client: Option<Client>,
    /// In time order (writes happen at the cluster's clock, which never goes back).
    history: Vec<Loaded>,
    entries: Vec<Entry>,
}

impl CoreDns {
    pub fn new(seed: u64) -> CoreDns {
        CoreDns {
            // A stream of its own: logging queries must not shift pod names or ClusterIPs.
            rng: Rng::new(seed ^ 0x636f_7265_646e_736c),
            client: None,
            history: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// The `coredns` ConfigMap was written at `at` with this Corefile (parsed here, once).
    pub fn corefile_changed(&mut self, at: SimTime, corefile: &str) {
        if self.history.last().map(|l| l.text.as_str()) != Some(corefile) {
            self.history.push(Loaded {
                at,
                text: corefile.to_string(),
                settings: parse_corefile(corefile),
            });
        }
    }

    /// The Corefile the ConfigMap held at `t` (a binary search of the history).
    fn loaded_at(&self, t: SimTime) -> Option<&Loaded> {
        let i = self.history.partition_point(|l| l.at <= t);
        i.checked_sub(1).map(|i| &self.history[i])
    }

    /// The Corefile a Pod started at `start` loaded, and the reloads it did up to `now`: the
    /// reload plugin checks at `start` + k × 30 s and restarts when the file changed.
    fn reloads(&self, start: SimTime, now: SimTime) -> (Option<&Loaded>, Vec<(SimTime, &Loaded)>) {
        let first = self.loaded_at(start);
        let mut cur = first;
        let mut reloads = Vec::new();
        let mut last_tick = None;
        let after = self.history.partition_point(|l| l.at <= start);
        for l in &self.history[after..] {
            let since = l.at.0 - start.0;
            let tick = SimTime(start.0 + since.div_ceil(RELOAD_INTERVAL_MS) * RELOAD_INTERVAL_MS);
            if tick > now {
                break;
            }
            if last_tick == Some(tick) {
                continue;
            }
            last_tick = Some(tick);
            if let Some(c) = self.loaded_at(tick) {
                if cur.map_or("", |x| x.text.as_str()) != c.text {
                    cur = Some(c);
                    reloads.push((tick, c));
                }
            }
        }
        (first, reloads)
    }

    /// The Corefile a Pod started at `start` loaded, and its reloads up to `now`: (tick, text).
    pub fn loads(&self, start: SimTime, now: SimTime) -> (String, Vec<(SimTime, String)>) {
        let (first, reloads) = self.reloads(start, now);
        let cur = reloads.last().map(|(_, l)| *l).or(first);
        (
            cur.map(|l| l.text.clone()).unwrap_or_default(),
            reloads.into_iter().map(|(t, l)| (t, l.text.clone())).collect(),
        )
    }

    /// The settings a Pod started at `start` serves with at `now`: those of the Corefile the
    /// ConfigMap held at its last reload check (every change before that check was seen by
    /// it), parsed when it was written. Two binary searches, no parsing.
    pub fn settings(&self, start: SimTime, now: SimTime) -> Settings {
        let checks = now.0.saturating_sub(start.0) / RELOAD_INTERVAL_MS;
        let last_check = SimTime(start.0 + checks * RELOAD_INTERVAL_MS);
        self.loaded_at(last_check).map_or(Settings::DEFAULT, |l| l.settings)
    }

    /// The settings of `corefile`, the ConfigMap's current one: the parse kept from when it
    /// was written (the latest in the history), else (the ConfigMap is gone) parsed.
    pub fn settings_of(&self, corefile: &str) -> Settings {
        match self.history.last() {
            Some(l) if l.text == corefile => l.settings,
            _ if corefile.is_empty() => Settings::DEFAULT,
            _ => parse_corefile(corefile),
        }
    }

    /// Log one answered query for `pod` (when its served Corefile has `log`).
    /// `port` is the query's source port when the packet path chose it (the client's kernel);
    /// otherwise one is drawn here.
    pub fn record(&mut self, pod: &str, at: SimTime, q: Query<'_>, r: &Response, forwarded: bool, port: Option<u16>) {
        let Query { name: qname, qtype } = q;
        let client = self.client.unwrap_or(Client::plain(Ipv4Addr::new(10, 244, 0, 1)));
        let drawn = 32768 + self.rng.below(28_232) as u16;
        let port = port.unwrap_or(drawn);
        let id = self.rng.below(65_536) as u16;
        let ns = if forwarded {
            1_500_000 + self.rng.below(30_000_000)
        } else {
            45_000 + self.rng.below(260_000)
        };
        let line = log_line(&client, port, id, qtype.as_str(), qname, r, ns);
        self.entries.push(Entry {
            pod: pod.to_string(),
            at,
            line,
        });
        if self.entries.len() > MAX_ENTRIES {
            let extra = self.entries.len() - MAX_ENTRIES;
            self.entries.drain(..extra);
        }
    }

    /// What `kubectl logs <pod>` prints for a CoreDNS Pod running `build`, started at `start`:
    /// automaxprocs' line (1.12 on), the server blocks, the reload plugin's digest, then
    /// `coremain.showVersion`.
    pub fn pod_log(&self, pod: &str, build: &crate::apps::CoreDnsBuild, start: SimTime, now: SimTime) -> String {
        let (first, reloads) = self.reloads(start, now);
        let text = |l: Option<&Loaded>| l.map_or("", |l| l.text.as_str()).to_string();
        let settings = |l: Option<&Loaded>| l.map_or(Settings::DEFAULT, |l| l.settings);
        let mut out = String::new();
        if build.automaxprocs {
            out.push_str(&format!(
                "maxprocs: Leaving GOMAXPROCS={}: CPU quota undefined\n",
                crate::model::NODE_CPUS
            ));
        }
        out.push_str(&format!(
            ".:53\n[INFO] plugin/reload: Running configuration SHA512 = {}\nCoreDNS-{}\nlinux/amd64, {}, {}\n",
            sha512_hex(text(first).as_bytes()),
            build.version,
            build.go,
            build.commit
        ));
        if settings(first).log {
            out.push_str(&loop_probe(pod, start));
            out.push('\n');
        }
        let mut prev = first;
        let mut queries = self.entries.iter().filter(|e| e.pod == pod).peekable();
        for &(tick, l) in &reloads {
            while let Some(e) = queries.next_if(|e| e.at < tick) {
                out.push_str(&e.line);
                out.push('\n');
            }
            out.push_str("[INFO] Reloading\n");
            if settings(prev).lameduck {
                out.push_str("[INFO] plugin/health: Going into lameduck mode for 5s\n");
            }
            if l.settings.log {
                out.push_str(&loop_probe(pod, tick));
                out.push('\n');
            }
            out.push_str(&format!(
                "[INFO] plugin/reload: Running configuration SHA512 = {}\n[INFO] Reloading complete\n",
                sha512_hex(l.text.as_bytes())
            ));
            prev = Some(l);
        }
        for e in queries {
            out.push_str(&e.line);
            out.push('\n');
        }
        out
    }
}

/// The loop plugin's probe after a (re)start: `HINFO <rand>.<rand>.` through `forward`,
/// NXDOMAIN from the root. Drawn from a stream keyed by Pod and time, so rendering the log
/// twice prints the same line and changes no state.
fn loop_probe(pod: &str, at: SimTime) -> String {
    let mut rng = Rng::new(crate::rng::fnv32a(pod.as_bytes()) as u64 ^ at.0.rotate_left(17));
    let qname = format!("{}.{}.", rng.next_u64() >> 1, rng.next_u64() >> 1);
    let client = Client::plain(Ipv4Addr::LOCALHOST);
    let port = 32768 + rng.below(28_232) as u16;
    let id = rng.below(65_536) as u16;
    let r = upstream::answer(&qname, RType::Any);
    log_line(&client, port, id, "HINFO", &qname, &r, 2_000_000 + rng.below(40_000_000))
}

/// One line of the log plugin's default format, with clog's `[INFO] ` prefix.
pub fn log_line(client: &Client, port: u16, id: u16, qtype: &str, qname: &str, r: &Response, duration_ns: u64) -> String {
    let flags = if r.aa { "qr,aa,rd" } else { "qr,rd,ra" };
    let opt = if client.edns.is_some() { 11 } else { 0 };
    format!(
        "[INFO] {}:{port} - {id} \"{qtype} IN {qname} udp {} false {}\" {} {flags} {} {}",
        client.ip,
        client.query_size(qname),
        client.bufsize(),
        r.rcode,
        response_size(qname, r) + opt,
        go_seconds(duration_ns)
    )
}

/// `{duration}`: Go's `strconv.FormatFloat(secs, 'f', -1, 64)` + `s` for a whole number of ns.
pub fn go_seconds(ns: u64) -> String {
    let whole = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    if frac == 0 {
        return format!("{whole}s");
    }
    let f = format!("{frac:09}");
    format!("{whole}.{}s", f.trim_end_matches('0'))
}

/// SHA-512 (FIPS 180-4, the `sha2` crate), hex: the digest the reload plugin prints for the
/// Corefile.
pub fn sha512_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha512::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{RData, Rcode, Record};

    #[test]
    fn sha512_known_vectors() {
        assert_eq!(
            sha512_hex(b"abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            sha512_hex(b""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        );
        // Two blocks.
        let long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
        assert!(sha512_hex(long.as_bytes()).starts_with("8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"));
    }

    #[test]
    fn go_float_seconds() {
        assert_eq!(go_seconds(181_379), "0.000181379s");
        assert_eq!(go_seconds(180_000), "0.00018s");
        assert_eq!(go_seconds(2_000_000_000), "2s");
        assert_eq!(go_seconds(40_844_011), "0.040844011s");
    }

    #[test]
    fn sizes_match_real_coredns_lines() {
        // Kubernetes' "Debugging DNS Resolution" page: `"A IN kubernetes.default.svc.cluster.local.
        // udp 54 false 512" NOERROR … 106`; the AAAA (NODATA + SOA) reply is 147 bytes.
        let c = Client::plain(Ipv4Addr::new(10, 244, 0, 7));
        let q = "kubernetes.default.svc.cluster.local.";
        assert_eq!(c.query_size(q), 54);
        let a = Response::answer(vec![Record {
            name: q.into(),
            ttl: 30,
            data: RData::A(Ipv4Addr::new(10, 96, 0, 1)),
        }]);
        assert_eq!(response_size(q, &a), 106);
        let soa = Record {
            name: "cluster.local.".into(),
            ttl: 30,
            data: RData::Soa {
                mname: "ns.dns.cluster.local.".into(),
                rname: "hostmaster.cluster.local.".into(),
                serial: 1,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minimum: 30,
            },
        };
        assert_eq!(response_size(q, &Response::nodata(Some(soa))), 147);
        let line = log_line(&c, 49733, 44257, "A", q, &a, 181_379);
        // The duration is the line's last field.
        assert_eq!(
            line,
            "[INFO] 10.244.0.7:49733 - 44257 \"A IN kubernetes.default.svc.cluster.local. udp 54 false 512\" NOERROR qr,aa,rd 106 0.000181379s"
        );
        // dig 9.18: EDNS 1232 with a cookie in the query; the reply's OPT has no cookie.
        let d = Client::edns(c.ip, 1232, true);
        assert!(log_line(&d, 1, 2, "A", q, &a, 1).contains("udp 77 false 1232\" NOERROR qr,aa,rd 117 "));
        // The loop probe: a 19+19-digit name is 57 bytes, NXDOMAIN with the root SOA 132.
        let r = upstream::answer("2725412330393183468.6470370893985592807.", RType::Any);
        assert_eq!(r.rcode, Rcode::NxDomain);
        assert_eq!(response_size("2725412330393183468.6470370893985592807.", &r), 132);
    }

    #[test]
    fn corefile_settings() {
        let kubeadm = crate::bootstrap::corefile("cluster.local", Ipv4Addr::new(192, 168, 49, 1));
        let s = parse_corefile(&kubeadm);
        assert_eq!((s.log, s.ttl, s.pods, s.lameduck), (true, 30, PodsMode::Insecure, true));
        let edited = kubeadm
            .replace("    log\n", "")
            .replace("ttl 30", "ttl 5")
            .replace("pods insecure", "pods verified");
        let s = parse_corefile(&edited);
        assert_eq!((s.log, s.ttl, s.pods), (false, 5, PodsMode::Verified));
        let bare = ".:53 {\n    kubernetes cluster.local\n    forward . /etc/resolv.conf\n}\n";
        let s = parse_corefile(bare);
        assert_eq!((s.log, s.ttl, s.pods), (false, DEFAULT_TTL, PodsMode::Disabled));
        // `log` in another server block does not log the root block's queries.
        let other = "example.org:53 {\n    log\n}\n.:53{\n  kubernetes cluster.local {\n  ttl 4000\n  }\n}\n";
        let s = parse_corefile(other);
        assert_eq!((s.log, s.ttl), (false, DEFAULT_TTL));
    }

    #[test]
    fn reloads_on_the_next_tick_after_a_change() {
        let mut d = CoreDns::new(1);
        d.corefile_changed(SimTime(0), "a");
        d.corefile_changed(SimTime(45_000), "b");
        // A Pod started at 10 s checks at 40 s, 70 s…: b is seen at 70 s.
        assert_eq!(d.loads(SimTime(10_000), SimTime(69_999)), ("a".into(), vec![]));
        assert_eq!(
            d.loads(SimTime(10_000), SimTime(70_000)),
            ("b".into(), vec![(SimTime(70_000), "b".into())])
        );
        // A Pod started after the change loads b directly.
        assert_eq!(d.loads(SimTime(50_000), SimTime(90_000)), ("b".into(), vec![]));
        // Changed and changed back between two ticks: nothing to reload.
        d.corefile_changed(SimTime(80_000), "c");
        d.corefile_changed(SimTime(85_000), "b");
        assert_eq!(d.loads(SimTime(10_000), SimTime(200_000)).1.len(), 1);
    }

    #[test]
    fn settings_are_those_of_the_loaded_corefile_without_parsing() {
        let texts = [
            ".:53 {\n    log\n    kubernetes cluster.local {\n      ttl 7\n    }\n}\n",
            ".:53 {\n    kubernetes cluster.local {\n      pods verified\n    }\n}\n",
            "",
            ".:53 {\n    log\n}\n",
        ];
        let mut d = CoreDns::new(1);
        // Writes at 0, 12 s, 40 s, 41 s, 95 s, 100 s, 160 s, cycling through the texts.
        for (i, at) in [0u64, 12, 40, 41, 95, 100, 160].into_iter().enumerate() {
            d.corefile_changed(SimTime(at * 1000), texts[i % texts.len()]);
        }
        let before = parses();
        let mut got = Vec::new();
        for start in (0..200_000).step_by(7_000) {
            for now in (start..260_000).step_by(9_000) {
                got.push(((start, now), d.settings(SimTime(start), SimTime(now))));
            }
        }
        assert_eq!(parses(), before, "settings() parsed a Corefile");
        // The same as parsing what the reload walk says the Pod serves.
        for ((start, now), s) in got {
            let (served, _) = d.loads(SimTime(start), SimTime(now));
            assert_eq!(s, parse_corefile(&served), "start {start} now {now}");
        }
        // Before any write: the defaults. The ConfigMap's current text: the kept parse.
        assert_eq!(CoreDns::new(1).settings(SimTime(0), SimTime(90_000)), Settings::DEFAULT);
        let before = parses();
        assert_eq!(d.settings_of(texts[2]), Settings::DEFAULT);
        let last = texts[6 % texts.len()];
        assert_eq!(d.settings_of(last), parse_corefile(last));
        assert_eq!(parses(), before + 1, "only the comparison parse above");
    }

    /// A query on a cluster with 2,000 Services reads the Corefile parse kept at the last
    /// reload: it parses nothing (the criterion-free part of the benchmarks).
    #[test]
    fn a_query_among_2000_services_parses_no_corefile() {
        use crate::cluster::Config;
        use crate::model::*;
        let mut c = crate::bootstrap::minikube(Config::default());
        for i in 0..2000u32 {
            let port = ServicePort {
                name: None,
                protocol: Protocol::Tcp,
                port: 80,
                target_port: IntOrString::Int(80),
                node_port: None,
            };
            let mut spec = ServiceSpec::new(ServiceType::ClusterIP, None, vec![port]);
            spec.cluster_ip = ClusterIp::Ip(Ipv4Addr::new(10, 97, (i / 256) as u8, (i % 256) as u8));
            c.api.put(Object::Service(Service {
                meta: ObjectMeta {
                    name: format!("svc-{i}").into(),
                    namespace: "default".into(),
                    ..Default::default()
                },
                spec,
                load_balancer_ips: Vec::new(),
            }));
        }
        let dns = Ipv4Addr::new(10, 96, 0, 10);
        let before = parses();
        let (r, pod) = c.dns_query(dns, "svc-1999.default.svc.cluster.local.", RType::A).expect("answered");
        assert!(pod.is_some(), "answered by a CoreDNS Pod");
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 97, 7, 207)]);
        let (r, _) = c.dns_query(dns, "207.7.97.10.in-addr.arpa.", RType::Ptr).expect("answered");
        assert_eq!(r.answers[0].data.to_string(), "svc-1999.default.svc.cluster.local.");
        assert_eq!(parses(), before, "a query parsed the Corefile");
    }
}
