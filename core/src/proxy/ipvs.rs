//! The Linux IPVS table of one node, modelled on `net/netfilter/ipvs/`: virtual services, their
//! destinations in kernel list order, the schedulers, and the connection table.
//!
//! Guarantees, as in the kernel:
//! - a new destination is added at the head of the virtual service's list (`list_add`), so ties
//!   and the round-robin start follow reverse insertion order;
//! - each scheduler is a transcription of its `ip_vs_<name>.c`: rr's cursor survives removal by
//!   stepping back; wrr walks passes from the max weight down by the gcd (4,3,2 → AABABCABC);
//!   lc/wlc use the overhead `(active << 8) + inactive`, sed/nq `active + 1`; sh and dh fill a
//!   256-bucket table from the destination list (sh repeats each destination `weight` times)
//!   and index it with `hash_32` of the source (sh) or destination (dh) address;
//! - weight 0 means "draining": never picked for new connections, but an existing persistence
//!   template still sends its client there (`expire_quiescent_template` is 0 by default);
//! - every connection is an entry in the connection table with the kernel's TCP timeouts, in
//!   simulated time: curl's connections close at once and sit in TIME_WAIT for 120 s, counted
//!   as inactive; persistence templates (`-p`) are entries in state NONE with client port 0.
//!
//! - mh fills a 4093-entry Maglev lookup table from siphash permutations of each destination
//!   and indexes it with the siphash of the source address ([`super::mh`]).

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use crate::model::Protocol;

/// `IP_VS_SH_TAB_BITS` / `IP_VS_DH_TAB_BITS`: 256 buckets.
const TAB_BITS: u32 = 8;
const TAB_SIZE: usize = 1 << TAB_BITS;

/// TCP TIME_WAIT timeout of `ip_vs_proto_tcp.c` (`tcp_timeouts[IP_VS_TCP_S_TIME_WAIT]`).
pub const TCP_TIME_WAIT_SECS: u64 = 2 * 60;
/// `tcp_timeouts[IP_VS_TCP_S_CLOSE]`.
pub const TCP_CLOSE_SECS: u64 = 10;
/// `udp_timeouts[IP_VS_UDP_S_NORMAL]` of `ip_vs_proto_udp.c`: five minutes.
pub const UDP_SECS: u64 = 5 * 60;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sched {
    #[default]
    Rr,
    Wrr,
    Lc,
    Wlc,
    Sed,
    Nq,
    Sh,
    Dh,
    Mh,
}

impl Sched {
    pub fn as_str(self) -> &'static str {
        match self {
            Sched::Rr => "rr",
            Sched::Wrr => "wrr",
            Sched::Lc => "lc",
            Sched::Wlc => "wlc",
            Sched::Sed => "sed",
            Sched::Nq => "nq",
            Sched::Sh => "sh",
            Sched::Dh => "dh",
            Sched::Mh => "mh",
        }
    }

    pub fn parse(s: &str) -> Option<Sched> {
        Some(match s {
            "rr" => Sched::Rr,
            "wrr" => Sched::Wrr,
            "lc" => Sched::Lc,
            "wlc" => Sched::Wlc,
            "sed" => Sched::Sed,
            "nq" => Sched::Nq,
            "sh" => Sched::Sh,
            "dh" => Sched::Dh,
            "mh" => Sched::Mh,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VsKey {
    pub proto: Protocol,
    pub addr: Ipv4Addr,
    pub port: u16,
}

impl fmt::Display for VsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}:{}", self.proto.as_str(), self.addr, self.port)
    }
}

/// The forwarding method of a destination (`-g`, `-i`, `-m`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fwd {
    /// NAT: what kube-proxy uses.
    #[default]
    Masq,
    /// Direct routing: ipvsadm's default for `-a`.
    Route,
    Tunnel,
}

impl Fwd {
    /// As `ipvsadm -L` prints it (`fwd_name`).
    pub fn name(self) -> &'static str {
        match self {
            Fwd::Masq => "Masq",
            Fwd::Route => "Route",
            Fwd::Tunnel => "Tunnel",
        }
    }
}

/// Cumulative counters (`ipvsadm -L --stats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub conns: u64,
    pub inpkts: u64,
    pub outpkts: u64,
    pub inbytes: u64,
    pub outbytes: u64,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.conns += o.conns;
        self.inpkts += o.inpkts;
        self.outpkts += o.outpkts;
        self.inbytes += o.inbytes;
        self.outbytes += o.outbytes;
    }
}

/// A real server's address, weight and connection counts: what a scheduler reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DestView {
    pub addr: Ipv4Addr,
    pub port: u16,
    pub weight: i32,
    pub active: u32,
    pub inactive: u32,
}

impl DestView {
    pub fn of(d: &Dest) -> DestView {
        DestView {
            addr: d.addr,
            port: d.port,
            weight: d.weight,
            active: d.active,
            inactive: d.inactive,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dest {
    pub addr: Ipv4Addr,
    pub port: u16,
    pub weight: i32,
    /// The latest non-zero weight (`last_weight`, kept by `__ip_vs_update_dest` for mh).
    pub last_weight: i32,
    pub fwd: Fwd,
    /// Connections in ESTABLISHED (recounted from the connection table).
    pub active: u32,
    /// Connections in any other state (SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE…).
    pub inactive: u32,
    /// Persistence templates pointing here.
    pub persist: u32,
    pub stats: Stats,
}

impl Dest {
    pub fn new(addr: Ipv4Addr, port: u16, weight: i32) -> Dest {
        Dest {
            addr,
            port,
            weight,
            last_weight: weight,
            fwd: Fwd::Masq,
            active: 0,
            inactive: 0,
            persist: 0,
            stats: Stats::default(),
        }
    }

    /// `ip_vs_dest_conn_overhead`.
    pub fn overhead(&self) -> i64 {
        ((self.active as i64) << 8) + self.inactive as i64
    }
}

/// wrr's `struct ip_vs_wrr_mark`. `cl == None` is the list head.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct WrrMark {
    cl: Option<usize>,
    cw: i32,
    mw: i32,
    di: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualService {
    pub key: VsKey,
    pub sched: Sched,
    /// `-p <timeout>`: ClientIP session affinity.
    pub persistent: Option<u32>,
    /// Destinations in kernel list order: index 0 is the list head (most recently added).
    pub dests: Vec<Dest>,
    /// rr's `sched_data`: `None` is the list head itself, `Some(i)` the last picked entry.
    rr_cursor: Option<usize>,
    wrr: WrrMark,
    /// Which Service (namespace, name) kube-proxy created this for; `None` if added by hand.
    pub owner: Option<(String, String)>,
    /// Whether the address is bound to `kube-ipvs0` (ClusterIPs, external and LB IPs).
    pub bound_to_dummy: bool,
    /// Counters of the service itself (they outlive removed destinations).
    pub stats: Stats,
}

/// A scheduler's decision, with the reason in words for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    pub index: usize,
    pub why: String,
}

fn gcd(a: i32, b: i32) -> i32 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The kernel's `hash_32(val, bits)`: multiply by `GOLDEN_RATIO_32` and keep the top bits.
pub fn hash_32(val: u32, bits: u32) -> u32 {
    val.wrapping_mul(0x61C8_8647) >> (32 - bits)
}

impl VirtualService {
    pub fn new(key: VsKey, sched: Sched) -> VirtualService {
        let mut v = VirtualService {
            key,
            sched,
            persistent: None,
            dests: Vec::new(),
            rr_cursor: None,
            wrr: WrrMark::default(),
            owner: None,
            bound_to_dummy: false,
            stats: Stats::default(),
        };
        v.init_sched();
        v
    }

    /// `init_service` of the scheduler (also after `ipvsadm -E -s`).
    pub fn set_sched(&mut self, sched: Sched) {
        if sched != self.sched {
            self.sched = sched;
            self.init_sched();
        }
    }

    fn init_sched(&mut self) {
        self.rr_cursor = None;
        let di = self.wrr_gcd();
        let mw = self.wrr_max() - (di - 1);
        self.wrr = WrrMark { cl: None, cw: mw, mw, di };
    }

    pub fn has_dest(&self, addr: Ipv4Addr, port: u16) -> bool {
        self.dests.iter().any(|d| d.addr == addr && d.port == port)
    }

    pub fn dest_index(&self, addr: Ipv4Addr, port: u16) -> Option<usize> {
        self.dests.iter().position(|d| d.addr == addr && d.port == port)
    }

    /// `ip_vs_add_dest`: `list_add` puts it at the head.
    pub fn add_dest(&mut self, d: Dest) {
        self.dests.insert(0, d);
        if let Some(c) = self.rr_cursor.as_mut() {
            *c += 1;
        }
        self.wrr_dest_changed();
    }

    /// `ip_vs_edit_dest` (`ipvsadm -e`): new weight and forwarding method.
    pub fn edit_dest(&mut self, addr: Ipv4Addr, port: u16, weight: i32, fwd: Fwd) -> bool {
        let Some(i) = self.dest_index(addr, port) else { return false };
        if let Some(d) = self.dests.get_mut(i) {
            d.weight = weight;
            if weight != 0 {
                d.last_weight = weight;
            }
            d.fwd = fwd;
        }
        self.wrr_dest_changed();
        true
    }

    /// `ip_vs_del_dest` + `ip_vs_rr_del_dest`: a cursor on the removed entry moves to the
    /// previous one (or the head).
    pub fn del_dest(&mut self, addr: Ipv4Addr, port: u16) -> bool {
        let Some(i) = self.dest_index(addr, port) else {
            return false;
        };
        self.dests.remove(i);
        self.rr_cursor = match self.rr_cursor {
            Some(c) if c == i => i.checked_sub(1),
            Some(c) if c > i => Some(c - 1),
            other => other,
        };
        self.wrr_dest_changed();
        true
    }

    fn wrr_gcd(&self) -> i32 {
        let mut g = 0;
        for d in &self.dests {
            if d.weight > 0 {
                g = if g > 0 { gcd(d.weight, g) } else { d.weight };
            }
        }
        if g == 0 {
            1
        } else {
            g
        }
    }

    fn wrr_max(&self) -> i32 {
        self.dests.iter().map(|d| d.weight).fold(0, i32::max)
    }

    /// `ip_vs_wrr_dest_changed`.
    fn wrr_dest_changed(&mut self) {
        let m = &mut self.wrr;
        m.cl = None;
        let di = {
            let mut g = 0;
            for d in &self.dests {
                if d.weight > 0 {
                    g = if g > 0 { gcd(d.weight, g) } else { d.weight };
                }
            }
            if g == 0 {
                1
            } else {
                g
            }
        };
        m.di = di;
        m.mw = self.dests.iter().map(|d| d.weight).fold(0, i32::max) - (di - 1);
        if m.cw > m.mw || m.cw == 0 {
            m.cw = m.mw;
        } else if m.di > 1 {
            m.cw = (m.cw / m.di) * m.di + 1;
        }
    }

    /// Run the scheduler for a new connection from `client` (the packet's source address).
    /// `None`: no destination available; the kernel drops the SYN and kube-proxy's setup makes
    /// the client see the connection refused.
    pub fn pick(&mut self, client: Ipv4Addr) -> Option<Pick> {
        match self.sched {
            Sched::Rr => self.pick_rr(),
            Sched::Wrr => self.pick_wrr(),
            Sched::Lc => self.pick_lc(),
            Sched::Wlc => self.pick_weighted(false),
            Sched::Sed => self.pick_weighted(true),
            Sched::Nq => self.pick_nq(),
            Sched::Sh => self.pick_sh(client),
            Sched::Mh => self.pick_mh(client),
            Sched::Dh => self.pick_dh(),
        }
    }

    /// `ip_vs_rr_schedule`: continue after the cursor, wrap through the head once.
    fn pick_rr(&mut self) -> Option<Pick> {
        let n = self.dests.len();
        if n == 0 {
            return None;
        }
        let start = self.rr_cursor.map_or(0, |c| c + 1);
        for k in 0..n {
            let i = (start + k) % n;
            if self.dests.get(i).is_some_and(|d| d.weight > 0) {
                self.rr_cursor = Some(i);
                return Some(Pick {
                    index: i,
                    why: format!(
                        "rr: the next real server after the last pick, in the kernel's list order (newest first; {n} real servers)"
                    ),
                });
            }
        }
        None
    }

    /// `ip_vs_wrr_schedule`, line by line: passes with `cw` from `mw` down by `di`.
    fn pick_wrr(&mut self) -> Option<Pick> {
        let n = self.dests.len();
        let weight = |v: &Vec<Dest>, i: usize| v.get(i).map_or(0, |d| d.weight);
        if self.wrr.mw == 0 {
            return None;
        }
        let mut dest = self.wrr.cl;
        let last = dest;
        let mut stop: Option<usize> = None;
        let (mut last_pass, mut restarted) = (false, false);
        // The kernel loop always ends; the bound only guards against a modelling mistake.
        for _ in 0..=(self.wrr.mw.max(1) as usize * 2 + 4) {
            let start = dest.map_or(0, |i| i + 1);
            for i in start..n {
                if weight(&self.dests, i) >= self.wrr.cw {
                    self.wrr.cl = Some(i);
                    let cw = self.wrr.cw;
                    return Some(Pick {
                        index: i,
                        why: format!(
                            "wrr: weight {} ≥ current weight {cw} (passes from max weight {} down by gcd {})",
                            weight(&self.dests, i),
                            self.wrr.mw + self.wrr.di - 1,
                            self.wrr.di
                        ),
                    });
                }
                if stop == Some(i) {
                    self.wrr.cl = Some(i);
                    return None;
                }
            }
            dest = None;
            self.wrr.cw -= self.wrr.di;
            if self.wrr.cw <= 0 {
                self.wrr.cw = self.wrr.mw;
                if last_pass || last.is_none() {
                    self.wrr.cl = None;
                    return None;
                }
                restarted = true;
            }
            last_pass = self.wrr.cw <= self.wrr.di;
            if last_pass && restarted && last.is_some() {
                stop = last;
            }
        }
        None
    }

    fn overheads(&self, f: impl Fn(&Dest) -> i64) -> String {
        self.dests
            .iter()
            .map(|d| format!("{}:{}={}/w{}", d.addr, d.port, f(d), d.weight))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `ip_vs_lc_schedule`: the first destination (list order) with the smallest overhead.
    fn pick_lc(&mut self) -> Option<Pick> {
        let mut least: Option<(usize, i64)> = None;
        for (i, d) in self.dests.iter().enumerate() {
            if d.weight == 0 {
                continue;
            }
            let doh = d.overhead();
            if least.is_none_or(|(_, loh)| doh < loh) {
                least = Some((i, doh));
            }
        }
        least.map(|(i, _)| Pick {
            index: i,
            why: format!(
                "lc: smallest overhead (active << 8) + inactive, first in list order on ties ({})",
                self.overheads(Dest::overhead)
            ),
        })
    }

    /// `ip_vs_wlc_schedule` (`sed == false`) and `ip_vs_sed_schedule` (`sed == true`): the first
    /// destination with weight > 0, then any later one with `loh * w > doh * lw` wins.
    fn pick_weighted(&mut self, sed: bool) -> Option<Pick> {
        let oh = |d: &Dest| if sed { d.active as i64 + 1 } else { d.overhead() };
        let first = self.dests.iter().position(|d| d.weight > 0)?;
        let mut least = first;
        let mut loh = self.dests.get(first).map(oh)?;
        for (i, d) in self.dests.iter().enumerate().skip(first + 1) {
            let doh = oh(d);
            let lw = self.dests.get(least).map_or(0, |l| l.weight) as i64;
            if loh * d.weight as i64 > doh * lw {
                least = i;
                loh = doh;
            }
        }
        let (name, formula) = if sed {
            ("sed", "(active + 1) / weight")
        } else {
            ("wlc", "((active << 8) + inactive) / weight")
        };
        Some(Pick {
            index: least,
            why: format!("{name}: smallest {formula}, first in list order on ties ({})", self.overheads(oh)),
        })
    }

    /// `ip_vs_nq_schedule`: an idle destination (no active connections) at once, else as sed.
    fn pick_nq(&mut self) -> Option<Pick> {
        let mut least: Option<(usize, i64)> = None;
        for (i, d) in self.dests.iter().enumerate() {
            if d.weight == 0 {
                continue;
            }
            let doh = d.active as i64 + 1;
            if d.active == 0 {
                return Some(Pick {
                    index: i,
                    why: format!("nq: {}:{} has no active connections (never queue)", d.addr, d.port),
                });
            }
            let better = match least {
                None => true,
                Some((l, loh)) => loh * d.weight as i64 > doh * self.dests.get(l).map_or(0, |x| x.weight) as i64,
            };
            if better {
                least = Some((i, doh));
            }
        }
        least.map(|(i, _)| Pick {
            index: i,
            why: format!(
                "nq: every server is busy, so the smallest (active + 1) / weight ({})",
                self.overheads(|d| d.active as i64 + 1)
            ),
        })
    }

    /// `ip_vs_sh_reassign`: 256 buckets, filled in list order, each destination `weight` times.
    pub fn sh_table(&self) -> Vec<Option<usize>> {
        let n = self.dests.len();
        if n == 0 {
            return vec![None; TAB_SIZE];
        }
        let mut table = Vec::with_capacity(TAB_SIZE);
        // `p` walks the circular list; `None` is the head.
        let mut p: Option<usize> = None;
        let mut d_count = 0;
        for _ in 0..TAB_SIZE {
            let cur = p.unwrap_or(0);
            table.push(Some(cur));
            d_count += 1;
            if d_count >= self.dests.get(cur).map_or(0, |d| d.weight) {
                p = if cur + 1 < n { Some(cur + 1) } else { None };
                d_count = 0;
            } else {
                p = Some(cur);
            }
        }
        table
    }

    /// `ip_vs_dh_reassign`: 256 buckets, one destination after another.
    pub fn dh_table(&self) -> Vec<Option<usize>> {
        let n = self.dests.len();
        (0..TAB_SIZE).map(|i| (n > 0).then(|| i % n)).collect()
    }

    /// `ip_vs_sh_schedule` without the port and fallback flags (kube-proxy sets neither).
    fn pick_sh(&mut self, client: Ipv4Addr) -> Option<Pick> {
        let bucket = hash_32(u32::from(client), TAB_BITS) as usize;
        let i = self.sh_table().get(bucket).copied().flatten()?;
        let d = self.dests.get(i)?;
        if d.weight <= 0 {
            return None;
        }
        Some(Pick {
            index: i,
            why: format!(
                "sh: source {client} hashes to bucket {bucket} of 256, which holds {}:{}",
                d.addr, d.port
            ),
        })
    }

    /// `ip_vs_mh_reassign`: the Maglev lookup table ([`super::mh`]) over the destinations in
    /// list order, by `last_weight`.
    pub fn mh_table(&self) -> Vec<Option<usize>> {
        let dests: Vec<super::mh::MhDest> = self
            .dests
            .iter()
            .map(|d| super::mh::MhDest {
                addr: d.addr,
                port: d.port,
                last_weight: d.last_weight,
            })
            .collect();
        super::mh::lookup_table(&dests)
    }

    /// `ip_vs_mh_schedule` without the port and fallback flags (kube-proxy sets neither).
    fn pick_mh(&mut self, client: Ipv4Addr) -> Option<Pick> {
        let slot = super::mh::slot_of(client);
        let i = self.mh_table().get(slot as usize).copied().flatten()?;
        let d = self.dests.get(i)?;
        if d.weight <= 0 {
            return None;
        }
        Some(Pick {
            index: i,
            why: format!(
                "mh: source {client} hashes (siphash) to slot {slot} of the {}-entry Maglev table, which holds {}:{}",
                super::mh::TAB_SIZE,
                d.addr,
                d.port
            ),
        })
    }

    /// `ip_vs_dh_schedule`: hashes the destination address, which for a virtual service is
    /// always its own address, so every client lands on the same real server.
    fn pick_dh(&mut self) -> Option<Pick> {
        let bucket = hash_32(u32::from(self.key.addr), TAB_BITS) as usize;
        let i = self.dh_table().get(bucket).copied().flatten()?;
        let d = self.dests.get(i)?;
        if d.weight <= 0 {
            return None;
        }
        Some(Pick {
            index: i,
            why: format!(
                "dh: destination {} hashes to bucket {bucket} of 256, which holds {}:{} (the same for every client)",
                self.key.addr, d.addr, d.port
            ),
        })
    }
}

/// IPVS connection states as `ipvsadm -Lc` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConnState {
    /// Persistence template.
    None,
    Established,
    TimeWait,
    /// After an RST (10 s).
    Close,
    /// A UDP "connection" (IPVS keeps one per client address and port; 5 minutes).
    Udp,
}

impl ConnState {
    pub fn name(self) -> &'static str {
        match self {
            ConnState::None => "NONE",
            ConnState::Established => "ESTABLISHED",
            ConnState::TimeWait => "TIME_WAIT",
            ConnState::Close => "CLOSE",
            ConnState::Udp => "UDP",
        }
    }
}

/// One entry of the connection table (`/proc/net/ip_vs_conn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conn {
    pub vs: VsKey,
    pub client: (Ipv4Addr, u16),
    pub dest: (Ipv4Addr, u16),
    pub state: ConnState,
    pub expires_ms: u64,
}

/// What a connection through a virtual service ended up as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub dest: (Ipv4Addr, u16),
    pub why: String,
    pub sched: Sched,
    pub real_servers: usize,
}

/// One node's IPVS table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub services: BTreeMap<VsKey, VirtualService>,
    /// The connection table, oldest first.
    pub conns: Vec<Conn>,
}

/// Packets and bytes (IP headers included) of one short HTTP exchange as curl makes it:
/// SYN, ACK, request, ACK, FIN in; SYN-ACK, response, FIN, ACK out.
fn http_exchange(req_bytes: u64, resp_bytes: u64) -> Stats {
    Stats {
        conns: 1,
        inpkts: 5,
        outpkts: 4,
        inbytes: 60 + 52 + (52 + req_bytes) + 52 + 52,
        outbytes: 60 + (52 + resp_bytes) + 52 + 52,
    }
}

impl Table {
    /// Drop expired entries and recount every destination's ActiveConn, InActConn and
    /// persistent templates.
    pub fn expire(&mut self, now_ms: u64) {
        self.conns.retain(|c| c.expires_ms > now_ms);
        for vs in self.services.values_mut() {
            for d in vs.dests.iter_mut() {
                d.active = 0;
                d.inactive = 0;
                d.persist = 0;
            }
        }
        for c in &self.conns {
            let Some(vs) = self.services.get_mut(&c.vs) else { continue };
            let Some(i) = vs.dest_index(c.dest.0, c.dest.1) else { continue };
            let Some(d) = vs.dests.get_mut(i) else { continue };
            match c.state {
                ConnState::None => d.persist += 1,
                ConnState::Established => d.active += 1,
                ConnState::TimeWait | ConnState::Close | ConnState::Udp => d.inactive += 1,
            }
        }
    }

    /// Remove a virtual service and its connection entries (`ipvsadm -D`).
    pub fn remove_service(&mut self, key: &VsKey) -> Option<VirtualService> {
        let vs = self.services.remove(key)?;
        self.conns.retain(|c| c.vs != *key);
        Some(vs)
    }

    /// Remove a destination and the templates pointing to it (they are no longer available).
    pub fn remove_dest(&mut self, key: &VsKey, addr: Ipv4Addr, port: u16) -> bool {
        let Some(vs) = self.services.get_mut(key) else { return false };
        if !vs.del_dest(addr, port) {
            return false;
        }
        self.conns
            .retain(|c| !(c.vs == *key && c.dest == (addr, port) && c.state == ConnState::None));
        true
    }

    /// A new connection from `client` to `key` at `now_ms`: the persistence template or the
    /// scheduler picks a destination, the entry goes into the connection table, counters move.
    /// `exchange` is (request bytes, response bytes) of a short exchange that then closes
    /// (TIME_WAIT); `None` if the real server answers the SYN with RST (CLOSE).
    pub fn connect(
        &mut self,
        key: &VsKey,
        client: (Ipv4Addr, u16),
        now_ms: u64,
        exchange: impl Fn((Ipv4Addr, u16)) -> Option<(u64, u64)>,
    ) -> Option<Scheduled> {
        self.expire(now_ms);
        // A packet of a flow IPVS already has an entry for (a UDP client's second query from the
        // same socket) follows the entry: no scheduling, the timer starts over.
        if let Some(c) = self
            .conns
            .iter_mut()
            .find(|c| c.vs == *key && c.client == client && c.state == ConnState::Udp)
        {
            let dest = c.dest;
            c.expires_ms = now_ms + UDP_SECS * 1000;
            let vs = self.services.get_mut(key)?;
            let (n, sched) = (vs.dests.len(), vs.sched);
            if let Some((q, a)) = exchange(dest) {
                let st = Stats {
                    inpkts: 1,
                    outpkts: u64::from(a > 0),
                    inbytes: 28 + q,
                    outbytes: if a > 0 { 28 + a } else { 0 },
                    ..Stats::default()
                };
                vs.stats.add(&st);
                if let Some(d) = vs.dest_index(dest.0, dest.1).and_then(|i| vs.dests.get_mut(i)) {
                    d.stats.add(&st);
                }
            }
            return Some(Scheduled {
                dest,
                why: format!(
                    "an existing connection entry {}:{} → {}:{} carries it; the scheduler is not asked",
                    client.0, client.1, dest.0, dest.1
                ),
                sched,
                real_servers: n,
            });
        }
        let template_idx = self
            .conns
            .iter()
            .position(|c| c.vs == *key && c.state == ConnState::None && c.client.0 == client.0);
        let vs = self.services.get_mut(key)?;
        let n = vs.dests.len();
        let sched = vs.sched;
        let mut chosen: Option<(usize, String)> = None;
        if let (Some(timeout), Some(t)) = (vs.persistent, template_idx) {
            if let Some(c) = self.conns.get_mut(t) {
                if let Some(i) = vs.dest_index(c.dest.0, c.dest.1) {
                    c.expires_ms = now_ms + timeout as u64 * 1000;
                    chosen = Some((
                        i,
                        format!(
                            "persistence template {}:0 → {}:{} (persistent {timeout}: sessionAffinity ClientIP); the scheduler is not asked",
                            client.0, c.dest.0, c.dest.1
                        ),
                    ));
                }
            }
        }
        let (i, why) = match chosen {
            Some(c) => c,
            None => {
                let p = vs.pick(client.0)?;
                if let Some(timeout) = vs.persistent {
                    let d = vs.dests.get(p.index)?;
                    self.conns.push(Conn {
                        vs: *key,
                        client: (client.0, 0),
                        dest: (d.addr, d.port),
                        state: ConnState::None,
                        expires_ms: now_ms + timeout as u64 * 1000,
                    });
                }
                (p.index, p.why)
            }
        };
        let vs = self.services.get_mut(key)?;
        let d = vs.dests.get_mut(i)?;
        let dest = (d.addr, d.port);
        let exchange = exchange(dest);
        let udp = key.proto == Protocol::Udp;
        let st = match (exchange, udp) {
            // A UDP datagram in (IP + UDP headers, 28 bytes), and its answer when already known
            // (otherwise counted by `account_reply` once it is made).
            (Some((q, a)), true) => Stats {
                conns: 1,
                inpkts: 1,
                outpkts: u64::from(a > 0),
                inbytes: 28 + q,
                outbytes: if a > 0 { 28 + a } else { 0 },
            },
            (None, true) => Stats {
                conns: 1,
                inpkts: 1,
                inbytes: 28,
                ..Stats::default()
            },
            (Some((req, resp)), false) => http_exchange(req, resp),
            (None, false) => Stats {
                conns: 1,
                inpkts: 1,
                outpkts: 1,
                inbytes: 60,
                outbytes: 40,
            },
        };
        let (state, secs) = match (udp, exchange.is_some()) {
            (true, _) => (ConnState::Udp, UDP_SECS),
            (false, true) => (ConnState::TimeWait, TCP_TIME_WAIT_SECS),
            (false, false) => (ConnState::Close, TCP_CLOSE_SECS),
        };
        d.stats.add(&st);
        vs.stats.add(&st);
        self.conns.push(Conn {
            vs: *key,
            client,
            dest,
            state,
            expires_ms: now_ms + secs * 1000,
        });
        self.expire(now_ms);
        Some(Scheduled {
            dest,
            why,
            sched,
            real_servers: n,
        })
    }
}

impl Table {
    /// One more outgoing packet of `bytes` on the connection of `client` to `key` (a UDP
    /// answer counted after it was made).
    pub fn account_reply(&mut self, key: &VsKey, client: (Ipv4Addr, u16), bytes: u64) {
        let Some(dest) = self.conns.iter().rev().find(|c| c.vs == *key && c.client == client).map(|c| c.dest) else {
            return;
        };
        let Some(vs) = self.services.get_mut(key) else { return };
        let out = Stats {
            outpkts: 1,
            outbytes: bytes,
            ..Stats::default()
        };
        vs.stats.add(&out);
        if let Some(i) = vs.dest_index(dest.0, dest.1) {
            if let Some(d) = vs.dests.get_mut(i) {
                d.stats.add(&out);
            }
        }
    }
}

/// ipvsadm's sort (`ipvs_cmp_services` / `ipvs_cmp_dests`): the difference of the addresses as
/// `int`, so it wraps: 192.168.x sorts before 10.x. An insertion sort keeps it deterministic and
/// panic-free even where that comparison is not a total order.
pub fn ipvsadm_sort<T>(items: &mut [T], key: impl Fn(&T) -> (u8, Ipv4Addr, u16)) {
    let cmp = |a: &T, b: &T| -> i64 {
        let (pa, aa, qa) = key(a);
        let (pb, ab, qb) = key(b);
        if pa != pb {
            return pa as i64 - pb as i64;
        }
        let r = u32::from(aa).wrapping_sub(u32::from(ab)) as i32;
        if r != 0 {
            return r as i64;
        }
        qa as i64 - qb as i64
    };
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && cmp(&items[j - 1], &items[j]) > 0 {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The IP protocol number ipvsadm sorts by.
pub fn proto_number(p: Protocol) -> u8 {
    match p {
        Protocol::Tcp => 6,
        Protocol::Udp => 17,
        Protocol::Sctp => 132,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Ipv4Addr {
        Ipv4Addr::new(10, 244, 0, last)
    }

    fn key() -> VsKey {
        VsKey {
            proto: Protocol::Tcp,
            addr: Ipv4Addr::new(10, 96, 0, 5),
            port: 80,
        }
    }

    fn vs(sched: Sched) -> VirtualService {
        VirtualService::new(key(), sched)
    }

    fn pick(v: &mut VirtualService) -> Ipv4Addr {
        let p = v.pick(ip(9)).expect("a destination");
        v.dests[p.index].addr
    }

    fn picks(v: &mut VirtualService, n: usize) -> String {
        (0..n)
            .map(|_| {
                let a = pick(v);
                char::from(b'A' + a.octets()[3] - 1)
            })
            .collect()
    }

    #[test]
    fn rr_starts_at_the_most_recently_added() {
        let mut v = vs(Sched::Rr);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(3), 80, 1));
        v.add_dest(Dest::new(ip(4), 80, 1));
        let picks: Vec<u8> = (0..6).map(|_| pick(&mut v).octets()[3]).collect();
        assert_eq!(picks, [4, 3, 2, 4, 3, 2]);
    }

    #[test]
    fn rr_skips_weight_zero_and_survives_removal() {
        let mut v = vs(Sched::Rr);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(3), 80, 1));
        v.add_dest(Dest::new(ip(4), 80, 1)); // list: 4 3 2
        assert_eq!(pick(&mut v), ip(4));
        assert_eq!(pick(&mut v), ip(3));
        v.del_dest(ip(3), 80); // cursor steps back to 4
        assert_eq!(pick(&mut v), ip(2));
        v.dests[0].weight = 0; // drain 4
        assert_eq!(pick(&mut v), ip(2));
    }

    /// The wrr comment in ip_vs_wrr.c: weights 4, 3, 2 give AABABCABC per cycle.
    #[test]
    fn wrr_gcd_passes_from_the_max_weight() {
        // Switching the scheduler on a service that already has A(4) B(3) C(2) runs
        // `init_service`: cw starts at the max weight.
        let mut v = vs(Sched::Rr);
        // list_add puts each at the head: add C, B, A to get the list A B C.
        v.add_dest(Dest::new(ip(3), 80, 2));
        v.add_dest(Dest::new(ip(2), 80, 3));
        v.add_dest(Dest::new(ip(1), 80, 4));
        v.set_sched(Sched::Wrr);
        assert_eq!(picks(&mut v, 18), "AABABCABCAABABCABC");
    }

    #[test]
    fn wrr_dest_changed_keeps_the_current_weight() {
        // Built one destination at a time (as ipvsadm -a and kube-proxy do), cw was set to
        // C's weight 2 when C came first and `ip_vs_wrr_dest_changed` keeps it: the first
        // cycle is a partial pass ABC, then the full AABABCABC cycles.
        let mut v = vs(Sched::Wrr);
        v.add_dest(Dest::new(ip(3), 80, 2));
        v.add_dest(Dest::new(ip(2), 80, 3));
        v.add_dest(Dest::new(ip(1), 80, 4));
        assert_eq!(picks(&mut v, 21), "ABCAABABCABCAABABCABC");
    }

    #[test]
    fn wrr_steps_by_the_gcd() {
        // Weights 4 and 2: gcd 2, mw = 4 - (2 - 1) = 3, passes cw = 3, 1: A, then A B.
        let mut v = vs(Sched::Rr);
        v.add_dest(Dest::new(ip(2), 80, 2));
        v.add_dest(Dest::new(ip(1), 80, 4));
        v.set_sched(Sched::Wrr);
        assert_eq!(picks(&mut v, 6), "AABAAB");
    }

    #[test]
    fn wrr_with_all_weights_zero_has_nothing() {
        let mut v = vs(Sched::Wrr);
        v.add_dest(Dest::new(ip(1), 80, 0));
        assert_eq!(v.pick(ip(9)), None);
        v.edit_dest(ip(1), 80, 1, Fwd::Masq);
        assert_eq!(picks(&mut v, 2), "AA");
    }

    #[test]
    fn lc_uses_active_shifted_by_8_plus_inactive() {
        let mut v = vs(Sched::Lc);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(1), 80, 1)); // list: A B
        v.dests[0].inactive = 255; // A: 255
        v.dests[1].active = 1; // B: 256
        assert_eq!(pick(&mut v), ip(1));
        v.dests[0].inactive = 256; // tie: first in list wins
        assert_eq!(pick(&mut v), ip(1));
        v.dests[0].inactive = 257;
        assert_eq!(pick(&mut v), ip(2));
    }

    #[test]
    fn wlc_scales_by_weight() {
        let mut v = vs(Sched::Wlc);
        v.add_dest(Dest::new(ip(2), 80, 3));
        v.add_dest(Dest::new(ip(1), 80, 1)); // list: A(w1) B(w3)
        v.dests[0].active = 1; // A: 256/1
        v.dests[1].active = 2; // B: 512/3 < 256
        assert_eq!(pick(&mut v), ip(2));
        v.dests[1].active = 3; // B: 768/3 = 256: tie, A first
        assert_eq!(pick(&mut v), ip(1));
    }

    #[test]
    fn sed_and_nq_count_active_plus_one() {
        // A (w1) idle, B (w5) with one active: sed compares 1/1 with 2/5 → B; nq takes idle A.
        let mut s = vs(Sched::Sed);
        s.add_dest(Dest::new(ip(2), 80, 5));
        s.add_dest(Dest::new(ip(1), 80, 1));
        s.dests[1].active = 1;
        let mut n = s.clone();
        n.set_sched(Sched::Nq);
        assert_eq!(pick(&mut s), ip(2));
        assert_eq!(pick(&mut n), ip(1));
        // Both busy: nq behaves as sed.
        n.dests[0].active = 1; // A: 2/1, B: 2/5 → B
        assert_eq!(pick(&mut n), ip(2));
    }

    #[test]
    fn sh_table_repeats_each_destination_weight_times() {
        let mut v = vs(Sched::Sh);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(1), 80, 2)); // list: A(w2) B(w1)
        let t = v.sh_table();
        assert_eq!(&t[..6], &[Some(0), Some(0), Some(1), Some(0), Some(0), Some(1)]);
        assert_eq!(t.len(), 256);
    }

    #[test]
    fn hash_32_is_the_kernels() {
        // GOLDEN_RATIO_32 = 0x61C88647; 1 * it >> 24 = 0x61.
        assert_eq!(hash_32(1, 8), 0x61);
        assert_eq!(hash_32(0, 8), 0);
        assert_eq!(hash_32(2, 8), 0xC3);
    }

    #[test]
    fn sh_pins_a_source_and_dh_pins_the_service() {
        let mut v = vs(Sched::Sh);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(1), 80, 1));
        let client = Ipv4Addr::new(10, 244, 0, 7);
        let b = hash_32(u32::from(client), 8) as usize;
        let want = v.dests[b % 2].addr;
        for _ in 0..4 {
            let p = v.pick(client).unwrap();
            assert_eq!(v.dests[p.index].addr, want);
        }
        let mut d = vs(Sched::Dh);
        d.add_dest(Dest::new(ip(2), 80, 1));
        d.add_dest(Dest::new(ip(1), 80, 1));
        let b = hash_32(u32::from(key().addr), 8) as usize;
        for c in 1..5 {
            let p = d.pick(Ipv4Addr::new(10, 244, 1, c)).unwrap();
            assert_eq!(p.index, b % 2);
        }
    }

    #[test]
    fn mh_pins_a_source_and_draining_keeps_the_table() {
        let mut v = vs(Sched::Mh);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(1), 80, 1));
        let client = Ipv4Addr::new(10, 244, 0, 7);
        let slot = super::super::mh::slot_of(client) as usize;
        let want = v.mh_table()[slot].unwrap();
        for _ in 0..3 {
            assert_eq!(v.pick(client).unwrap().index, want);
        }
        let before = v.mh_table();
        let d = v.dests[want].clone();
        assert!(v.edit_dest(d.addr, d.port, 0, Fwd::Masq));
        assert_eq!(v.mh_table(), before, "last_weight keeps the drained server's slots");
        assert!(v.pick(client).is_none(), "no fallback: the slot's server is drained");
    }

    #[test]
    fn persistence_pins_a_client_even_when_draining() {
        let mut t = Table::default();
        let mut v = vs(Sched::Rr);
        v.persistent = Some(10800);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(3), 80, 1));
        t.services.insert(key(), v);
        let first = t.connect(&key(), (ip(9), 40000), 0, |_| Some((80, 100))).unwrap().dest;
        for s in 1..5u16 {
            let got = t.connect(&key(), (ip(9), 40000 + s), s as u64 * 1000, |_| Some((80, 100))).unwrap();
            assert_eq!(got.dest, first);
        }
        // Drain the pinned server: the template still wins (expire_quiescent_template = 0).
        let vs = t.services.get_mut(&key()).unwrap();
        let i = vs.dest_index(first.0, first.1).unwrap();
        vs.dests[i].weight = 0;
        assert_eq!(t.connect(&key(), (ip(9), 41000), 9000, |_| None).unwrap().dest, first);
        // A new client is not sent there.
        assert_ne!(t.connect(&key(), (ip(8), 41000), 9000, |_| None).unwrap().dest, first);
    }

    #[test]
    fn connections_are_inactive_in_time_wait_then_expire() {
        let mut t = Table::default();
        let mut v = vs(Sched::Rr);
        v.add_dest(Dest::new(ip(2), 80, 1));
        t.services.insert(key(), v);
        t.connect(&key(), (ip(9), 40000), 0, |_| Some((80, 100))).unwrap();
        let d = &t.services[&key()].dests[0];
        assert_eq!((d.active, d.inactive, d.stats.conns), (0, 1, 1));
        t.expire(TCP_TIME_WAIT_SECS * 1000 - 1);
        assert_eq!(t.services[&key()].dests[0].inactive, 1);
        t.expire(TCP_TIME_WAIT_SECS * 1000);
        assert_eq!(t.services[&key()].dests[0].inactive, 0);
        assert!(t.conns.is_empty());
    }

    #[test]
    fn empty_service_refuses() {
        for s in [
            Sched::Rr,
            Sched::Wrr,
            Sched::Lc,
            Sched::Wlc,
            Sched::Sed,
            Sched::Nq,
            Sched::Sh,
            Sched::Dh,
            Sched::Mh,
        ] {
            assert_eq!(vs(s).pick(ip(9)), None, "{s:?}");
        }
    }

    #[test]
    fn ipvsadm_sort_wraps_like_the_c_comparison() {
        let mut v = vec![
            (6u8, Ipv4Addr::new(10, 96, 0, 1), 443u16),
            (17, Ipv4Addr::new(10, 96, 0, 10), 53),
            (6, Ipv4Addr::new(192, 168, 49, 2), 31356),
            (6, Ipv4Addr::new(10, 96, 0, 10), 53),
        ];
        ipvsadm_sort(&mut v, |x| *x);
        assert_eq!(v[0].1, Ipv4Addr::new(192, 168, 49, 2));
        assert_eq!(v[1].1, Ipv4Addr::new(10, 96, 0, 1));
        assert_eq!(v[3].0, 17);
    }
}
