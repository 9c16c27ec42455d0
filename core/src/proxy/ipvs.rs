//! The Linux IPVS table of one node, modelled on `net/netfilter/ipvs/`.
//!
//! Guarantees, as in the kernel: a new destination is added at the head of the virtual server's
//! list (`list_add`), so ties and the round-robin start follow reverse insertion order; the rr
//! cursor (`sched_data`) survives destination removal by stepping back to the previous entry;
//! weight 0 means "draining" (never picked); persistence (`-p`) pins a client IP to the
//! destination it got first until the template expires.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use crate::model::Protocol;

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dest {
    pub addr: Ipv4Addr,
    pub port: u16,
    pub weight: i32,
    pub active: u32,
    pub inactive: u32,
    /// Total connections scheduled to this destination (for `--stats`).
    pub conns: u64,
}

impl Dest {
    pub fn new(addr: Ipv4Addr, port: u16, weight: i32) -> Dest {
        Dest {
            addr,
            port,
            weight,
            active: 0,
            inactive: 0,
            conns: 0,
        }
    }
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
    /// Persistence templates: client IP → (dest addr, port, expiry ms).
    templates: BTreeMap<Ipv4Addr, (Ipv4Addr, u16, u64)>,
    /// Which Service (namespace, name) kube-proxy created this for; `None` if added by hand.
    pub owner: Option<(String, String)>,
    /// Whether the address is bound to `kube-ipvs0` (ClusterIPs, external and LB IPs).
    pub bound_to_dummy: bool,
}

impl VirtualService {
    pub fn new(key: VsKey, sched: Sched) -> VirtualService {
        VirtualService {
            key,
            sched,
            persistent: None,
            dests: Vec::new(),
            rr_cursor: None,
            templates: BTreeMap::new(),
            owner: None,
            bound_to_dummy: false,
        }
    }

    pub fn has_dest(&self, addr: Ipv4Addr, port: u16) -> bool {
        self.dests.iter().any(|d| d.addr == addr && d.port == port)
    }

    /// `ip_vs_add_dest`: `list_add` puts it at the head.
    pub fn add_dest(&mut self, d: Dest) {
        self.dests.insert(0, d);
        if let Some(c) = self.rr_cursor.as_mut() {
            *c += 1;
        }
    }

    /// `ip_vs_del_dest` + `ip_vs_rr_del_dest`: a cursor on the removed entry moves to the
    /// previous one (or the head).
    pub fn del_dest(&mut self, addr: Ipv4Addr, port: u16) -> bool {
        let Some(i) = self.dests.iter().position(|d| d.addr == addr && d.port == port) else {
            return false;
        };
        self.dests.remove(i);
        self.rr_cursor = match self.rr_cursor {
            Some(c) if c == i => i.checked_sub(1),
            Some(c) if c > i => Some(c - 1),
            other => other,
        };
        self.templates.retain(|_, (a, p, _)| !(*a == addr && *p == port));
        true
    }

    fn usable(d: &Dest) -> bool {
        d.weight > 0
    }

    /// Pick a destination for a new connection from `client` at time `now_ms`.
    /// Returns the index into `dests`, or `None` (no usable destination: the kernel drops the
    /// SYN and the client sees the connection refused by the node's RST).
    pub fn schedule(&mut self, client: Ipv4Addr, now_ms: u64) -> Option<usize> {
        if let Some(timeout) = self.persistent {
            if let Some((a, p, exp)) = self.templates.get(&client).copied() {
                if exp > now_ms {
                    if let Some(i) = self.dests.iter().position(|d| d.addr == a && d.port == p && Self::usable(d)) {
                        self.templates.insert(client, (a, p, now_ms + timeout as u64 * 1000));
                        return Some(i);
                    }
                }
            }
            let pick = self.pick(client)?;
            let d = &self.dests[pick];
            self.templates.insert(client, (d.addr, d.port, now_ms + timeout as u64 * 1000));
            return Some(pick);
        }
        self.pick(client)
    }

    fn pick(&mut self, client: Ipv4Addr) -> Option<usize> {
        match self.sched {
            Sched::Rr | Sched::Wrr => self.pick_rr(),
            Sched::Lc | Sched::Wlc | Sched::Sed | Sched::Nq => self.pick_least(),
            Sched::Sh | Sched::Dh | Sched::Mh => {
                let usable: Vec<usize> = (0..self.dests.len()).filter(|&i| Self::usable(&self.dests[i])).collect();
                if usable.is_empty() {
                    return None;
                }
                let h = (u32::from(client).wrapping_mul(2_654_435_761)) as usize;
                Some(usable[h % usable.len()])
            }
        }
    }

    /// `ip_vs_rr_schedule`: continue after the cursor, wrap through the head once.
    fn pick_rr(&mut self) -> Option<usize> {
        let n = self.dests.len();
        if n == 0 {
            return None;
        }
        let start = self.rr_cursor.map_or(0, |c| c + 1);
        for k in 0..n {
            let i = (start + k) % n;
            if Self::usable(&self.dests[i]) {
                self.rr_cursor = Some(i);
                return Some(i);
            }
        }
        None
    }

    /// `ip_vs_wlc_schedule` family: the smallest overhead `(active << 8) + inactive`, scaled by
    /// weight; the first in list order wins ties.
    fn pick_least(&mut self) -> Option<usize> {
        let mut best: Option<(usize, u64)> = None;
        for (i, d) in self.dests.iter().enumerate() {
            if !Self::usable(d) {
                continue;
            }
            let oh = ((d.active as u64) << 8) + d.inactive as u64;
            match best {
                None => best = Some((i, oh)),
                Some((bi, boh)) => {
                    let bw = self.dests[bi].weight as u64;
                    if oh * bw < boh * d.weight as u64 {
                        best = Some((i, oh));
                    }
                }
            }
        }
        best.map(|(i, _)| i)
    }
}

/// One node's IPVS table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub services: BTreeMap<VsKey, VirtualService>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Ipv4Addr {
        Ipv4Addr::new(10, 244, 0, last)
    }

    fn pick(v: &mut VirtualService) -> Ipv4Addr {
        let i = v.schedule(ip(9), 0).expect("a destination");
        v.dests[i].addr
    }

    fn vs() -> VirtualService {
        VirtualService::new(
            VsKey {
                proto: Protocol::Tcp,
                addr: Ipv4Addr::new(10, 96, 0, 5),
                port: 80,
            },
            Sched::Rr,
        )
    }

    #[test]
    fn rr_starts_at_the_most_recently_added() {
        let mut v = vs();
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(3), 80, 1));
        v.add_dest(Dest::new(ip(4), 80, 1));
        let picks: Vec<u8> = (0..6).map(|_| pick(&mut v).octets()[3]).collect();
        assert_eq!(picks, [4, 3, 2, 4, 3, 2]);
    }

    #[test]
    fn rr_skips_weight_zero_and_survives_removal() {
        let mut v = vs();
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

    #[test]
    fn persistence_pins_a_client() {
        let mut v = vs();
        v.persistent = Some(10800);
        v.add_dest(Dest::new(ip(2), 80, 1));
        v.add_dest(Dest::new(ip(3), 80, 1));
        let first = v.schedule(ip(9), 0).unwrap();
        for t in 1..5 {
            assert_eq!(v.schedule(ip(9), t * 1000), Some(first));
        }
    }

    #[test]
    fn empty_service_refuses() {
        assert_eq!(vs().schedule(ip(9), 0), None);
    }
}
