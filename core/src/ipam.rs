//! Address allocation: ClusterIPs (KEP-3070 bands), NodePorts (KEP-3668 bands), node Pod CIDRs
//! (kube-controller-manager's node-ipam range allocator: one `--node-cidr-mask-size` subnet of
//! `--cluster-cidr` per node) and Pod IPs (the CNI host-local plugin over the node's Pod CIDR).
//!
//! Guarantees: an address is handed out at most once until released; dynamic picks draw from the
//! seeded [`Rng`] and prefer the upper band, so explicitly chosen addresses in the lower band
//! (kube-dns's `.10`) rarely collide, exactly as the API server intends.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// `failed to allocate a serviceIP: range is full` and friends.
    Full,
    /// The requested address is outside the range.
    NotInRange,
    /// The requested address is taken.
    Taken,
}

/// A bitmap-style allocator over `base+1 .. base+size-1` with a static lower band.
#[derive(Clone, Debug)]
pub struct ServiceIpAllocator {
    pub base: Ipv4Addr,
    pub prefix: u8,
    used: BTreeSet<u32>,
}

impl ServiceIpAllocator {
    pub fn new(base: Ipv4Addr, prefix: u8) -> Self {
        ServiceIpAllocator {
            base,
            prefix,
            used: BTreeSet::new(),
        }
    }

    /// Number of allocatable addresses (network and broadcast excluded).
    pub fn size(&self) -> u32 {
        let total = 1u64 << (32 - self.prefix as u64);
        total.saturating_sub(2).min(u32::MAX as u64) as u32
    }

    /// KEP-3070: `min(max(16, size/16), 256)` addresses at the bottom are the static band.
    pub fn static_band(&self) -> u32 {
        (self.size() / 16).clamp(16, 256).min(self.size())
    }

    pub fn cidr(&self) -> String {
        format!("{}/{}", self.base, self.prefix)
    }

    fn offset_of(&self, ip: Ipv4Addr) -> Option<u32> {
        let b = u32::from(self.base);
        let i = u32::from(ip);
        let off = i.checked_sub(b)?;
        (off >= 1 && off <= self.size()).then_some(off)
    }

    fn ip_of(&self, off: u32) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.base).wrapping_add(off))
    }

    /// The n-th address of the range (1 = first usable), as `kubernetes` gets `.1`.
    pub fn nth(&self, n: u32) -> Ipv4Addr {
        self.ip_of(n)
    }

    pub fn allocate(&mut self, ip: Ipv4Addr) -> Result<(), AllocError> {
        let off = self.offset_of(ip).ok_or(AllocError::NotInRange)?;
        if !self.used.insert(off) {
            return Err(AllocError::Taken);
        }
        Ok(())
    }

    /// A random free address, upper band first, then the static band.
    pub fn allocate_next(&mut self, rng: &mut Rng) -> Result<Ipv4Addr, AllocError> {
        let size = self.size();
        let band = self.static_band();
        let upper = (band + 1, size);
        let lower = (1, band);
        for (lo, hi) in [upper, lower] {
            if lo > hi {
                continue;
            }
            let span = hi - lo + 1;
            let start = rng.below(span as u64) as u32;
            for i in 0..span {
                let off = lo + (start + i) % span;
                if !self.used.contains(&off) {
                    self.used.insert(off);
                    return Ok(self.ip_of(off));
                }
            }
        }
        Err(AllocError::Full)
    }

    pub fn release(&mut self, ip: Ipv4Addr) {
        if let Some(off) = self.offset_of(ip) {
            self.used.remove(&off);
        }
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.offset_of(ip).is_some()
    }

    pub fn in_use(&self) -> usize {
        self.used.len()
    }
}

/// NodePorts 30000–32767 with the KEP-3668 static band at the bottom.
#[derive(Clone, Debug)]
pub struct NodePortAllocator {
    pub first: u16,
    pub last: u16,
    used: BTreeSet<u16>,
}

impl Default for NodePortAllocator {
    fn default() -> Self {
        NodePortAllocator {
            first: 30000,
            last: 32767,
            used: BTreeSet::new(),
        }
    }
}

impl NodePortAllocator {
    pub fn static_band(&self) -> u16 {
        let size = (self.last - self.first + 1) as u32;
        (size / 32).clamp(16, 128) as u16
    }

    pub fn allocate(&mut self, port: i64) -> Result<(), AllocError> {
        if port < self.first as i64 || port > self.last as i64 {
            return Err(AllocError::NotInRange);
        }
        if !self.used.insert(port as u16) {
            return Err(AllocError::Taken);
        }
        Ok(())
    }

    pub fn allocate_next(&mut self, rng: &mut Rng) -> Result<u16, AllocError> {
        let band_end = self.first + self.static_band();
        for (lo, hi) in [(band_end, self.last), (self.first, band_end - 1)] {
            let span = (hi - lo) as u32 + 1;
            let start = rng.below(span as u64) as u32;
            for i in 0..span {
                let p = lo + ((start + i) % span) as u16;
                if self.used.insert(p) {
                    return Ok(p);
                }
            }
        }
        Err(AllocError::Full)
    }

    pub fn release(&mut self, port: i64) {
        if let Ok(p) = u16::try_from(port) {
            self.used.remove(&p);
        }
    }
}

/// kube-controller-manager's node-ipam range allocator (`cidrset`): the cluster CIDR cut into
/// subnets of `node_mask` bits, handed to nodes in order from the first (`AllocateNext` walks a
/// bitmap from the last allocation), skipping the subnets that overlap the Service CIDR
/// (`filterOutServiceRange`). When none is left the node gets no podCIDR (`CIDRNotAvailable`).
#[derive(Clone, Debug)]
pub struct NodeCidrAllocator {
    base: u32,
    node_mask: u8,
    /// Subnets in the cluster CIDR (`2^(node_mask - cluster prefix)`).
    count: u32,
    next: u32,
    used: BTreeSet<u32>,
}

/// Why a cluster CIDR / node mask pair is refused (kube-controller-manager refuses to start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrConfigError {
    /// The node mask is shorter than the cluster CIDR's prefix.
    MaskShorterThanCluster,
    /// `cidrset`: more than 16 bits between the two (`the node CIDR size is too big`).
    TooManySubnets,
    /// host-local needs at least two addresses besides network and broadcast (`/30` at most).
    NodeSubnetTooSmall,
}

impl NodeCidrAllocator {
    /// An allocator with no subnets to give (every node gets `CIDRNotAvailable`).
    pub fn none() -> Self {
        NodeCidrAllocator {
            base: 0,
            node_mask: 32,
            count: 0,
            next: 0,
            used: BTreeSet::new(),
        }
    }

    pub fn new(cluster: (Ipv4Addr, u8), node_mask: u8, service: (Ipv4Addr, u8)) -> Result<Self, CidrConfigError> {
        let (base, prefix) = cluster;
        if node_mask < prefix {
            return Err(CidrConfigError::MaskShorterThanCluster);
        }
        if node_mask - prefix > 16 {
            return Err(CidrConfigError::TooManySubnets);
        }
        if node_mask > 30 {
            return Err(CidrConfigError::NodeSubnetTooSmall);
        }
        let base = u32::from(base) & prefix_mask(prefix);
        let count = 1u32 << (node_mask - prefix);
        let mut a = NodeCidrAllocator {
            base,
            node_mask,
            count,
            next: 0,
            used: BTreeSet::new(),
        };
        // filterOutServiceRange: occupy every node subnet that overlaps the Service CIDR.
        let (svc, svc_prefix) = service;
        let svc_lo = u32::from(svc) & prefix_mask(svc_prefix);
        let svc_hi = svc_lo | !prefix_mask(svc_prefix);
        let step = 1u64 << (32 - node_mask);
        let lo = u64::from(base);
        let hi = lo + step * u64::from(count) - 1;
        if u64::from(svc_lo) <= hi && u64::from(svc_hi) >= lo {
            let first = (u64::from(svc_lo).max(lo) - lo) / step;
            let last = (u64::from(svc_hi).min(hi) - lo) / step;
            for i in first..=last {
                a.used.insert(i as u32);
            }
        }
        Ok(a)
    }

    /// The next free subnet, or `None` when the cluster CIDR is used up.
    pub fn allocate_next(&mut self) -> Option<(Ipv4Addr, u8)> {
        for i in 0..self.count {
            let candidate = (self.next + i) % self.count;
            if self.used.insert(candidate) {
                self.next = (candidate + 1) % self.count;
                let step = 1u64 << (32 - self.node_mask);
                let ip = u64::from(self.base) + u64::from(candidate) * step;
                return Some((Ipv4Addr::from(u32::try_from(ip).ok()?), self.node_mask));
            }
        }
        None
    }

    /// Mark `cidr` as given (a node of an imported snapshot already has it), as the range
    /// allocator's `Occupy` does for the podCIDRs of existing Nodes at start. `false` when it
    /// is not one of this cluster CIDR's node subnets, or is taken already.
    pub fn reserve(&mut self, (ip, prefix): (Ipv4Addr, u8)) -> bool {
        if prefix != self.node_mask || self.count == 0 {
            return false;
        }
        let step = 1u64 << (32 - self.node_mask);
        let Some(off) = u64::from(u32::from(ip)).checked_sub(u64::from(self.base)) else {
            return false;
        };
        if off % step != 0 || off / step >= u64::from(self.count) {
            return false;
        }
        let i = (off / step) as u32;
        if !self.used.insert(i) {
            return false;
        }
        self.next = (i + 1) % self.count;
        true
    }

    /// How many node subnets the cluster CIDR holds (Service-range ones included).
    pub fn capacity(&self) -> u32 {
        self.count
    }
}

/// The netmask of a prefix length (`0` → `0.0.0.0`).
fn prefix_mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

/// CNI host-local IPAM for one node's Pod CIDR: sequential from `.2`, continuing after the last
/// address handed out (so a deleted Pod's IP is not reused at once), wrapping at the end. The
/// range is `.1` to the last address before broadcast (`Range.Canonicalize`); `.1` is the
/// bridge's gateway, which the iterator skips.
#[derive(Clone, Debug)]
pub struct HostLocal {
    pub subnet: Ipv4Addr,
    pub prefix: u8,
    last: u32,
    used: BTreeMap<u32, String>,
}

impl HostLocal {
    pub fn new(subnet: Ipv4Addr, prefix: u8) -> Self {
        HostLocal {
            subnet,
            prefix: prefix.min(32),
            last: 1,
            used: BTreeMap::new(),
        }
    }

    /// Addresses in the subnet, network and broadcast included (`2^(32-prefix)`).
    fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    fn at(&self, off: u64) -> Ipv4Addr {
        Ipv4Addr::from(u32::try_from(u64::from(u32::from(self.subnet)) + off).unwrap_or(u32::MAX))
    }

    /// The bridge address, the Pods' default gateway (`.1`).
    pub fn gateway(&self) -> Ipv4Addr {
        self.at(1)
    }

    /// How many Pods the range can hold (network, gateway and broadcast excluded).
    pub fn capacity(&self) -> u32 {
        u32::try_from(self.size().saturating_sub(3)).unwrap_or(u32::MAX)
    }

    /// Addresses handed out now.
    pub fn in_use(&self) -> usize {
        self.used.len()
    }

    /// The range set as host-local prints it in its errors: `10.244.0.1-10.244.0.254`.
    pub fn range_set(&self) -> String {
        format!("{}-{}", self.at(1), self.at(self.size().saturating_sub(2)))
    }

    pub fn allocate(&mut self, owner: &str) -> Option<Ipv4Addr> {
        let count = u64::from(self.capacity());
        for i in 1..=count {
            let off = 2 + (u64::from(self.last) - 1 + i - 1) % count;
            let off32 = u32::try_from(off).ok()?;
            if let std::collections::btree_map::Entry::Vacant(e) = self.used.entry(off32) {
                e.insert(owner.to_string());
                self.last = off32;
                return Some(self.at(off));
            }
        }
        None
    }

    pub fn release(&mut self, ip: Ipv4Addr) {
        if let Some(off) = u32::from(ip).checked_sub(u32::from(self.subnet)) {
            self.used.remove(&off);
        }
    }

    /// Mark `ip` as held by `owner` (a Pod of an imported snapshot keeps its address). The
    /// next pick continues after the highest reserved address, as host-local continues after
    /// its `last_reserved_ip` (the real file is not in a snapshot). `false` when `ip` is not
    /// one of the range's Pod addresses or is held already.
    pub fn reserve(&mut self, ip: Ipv4Addr, owner: &str) -> bool {
        let Some(off) = u32::from(ip).checked_sub(u32::from(self.subnet)) else {
            return false;
        };
        if !self.contains(ip) || off < 2 || u64::from(off) > self.size().saturating_sub(2) {
            return false;
        }
        if self.used.contains_key(&off) {
            return false;
        }
        self.used.insert(off, owner.to_string());
        self.last = self.last.max(off);
        true
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & prefix_mask(self.prefix) == u32::from(self.subnet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scattered_reservations_fill_the_range_without_reuse() {
        // An imported node's Pods hold scattered addresses of a /27 (.2 to .30): picks go on
        // after the highest, wrap, and fill exactly the free ones before the range is full.
        for held in [vec![3u32, 5], vec![30], vec![2, 17, 29, 30], (2..=30).step_by(3).collect()] {
            let mut h = HostLocal::new(Ipv4Addr::new(10, 244, 3, 0), 27);
            for &o in &held {
                assert!(h.reserve(h.at(u64::from(o)), "imported"));
            }
            let top = held.iter().copied().max().unwrap_or(1);
            let mut got = Vec::new();
            while let Some(ip) = h.allocate("new") {
                got.push(u32::from(ip) - u32::from(h.subnet));
            }
            let mut want: Vec<u32> = (top + 1..=30).chain(2..top).filter(|o| !held.contains(o)).collect();
            assert_eq!(got, want, "held {held:?}");
            want.extend(&held);
            want.sort_unstable();
            assert_eq!(want, (2..=30).collect::<Vec<_>>());
            assert_eq!(h.in_use(), 29);
        }
    }

    #[test]
    fn service_bands() {
        let a = ServiceIpAllocator::new(Ipv4Addr::new(10, 96, 0, 0), 12);
        assert_eq!(a.size(), (1 << 20) - 2);
        assert_eq!(a.static_band(), 256);
        assert_eq!(a.nth(1), Ipv4Addr::new(10, 96, 0, 1));
        let small = ServiceIpAllocator::new(Ipv4Addr::new(10, 0, 0, 0), 28);
        assert_eq!(small.size(), 14);
        assert_eq!(small.static_band(), 14);
    }

    #[test]
    fn dynamic_picks_prefer_upper_band_and_fill_up() {
        let mut rng = Rng::new(1);
        let mut a = ServiceIpAllocator::new(Ipv4Addr::new(10, 96, 0, 0), 12);
        for _ in 0..100 {
            let ip = a.allocate_next(&mut rng).unwrap();
            assert!(u32::from(ip) > u32::from(Ipv4Addr::new(10, 96, 1, 0)));
        }
        let mut s = ServiceIpAllocator::new(Ipv4Addr::new(10, 0, 0, 0), 29);
        for _ in 0..6 {
            s.allocate_next(&mut rng).unwrap();
        }
        assert_eq!(s.allocate_next(&mut rng), Err(AllocError::Full));
        assert_eq!(s.allocate(Ipv4Addr::new(10, 1, 0, 1)), Err(AllocError::NotInRange));
    }

    #[test]
    fn node_ports() {
        let mut rng = Rng::new(3);
        let mut n = NodePortAllocator::default();
        assert_eq!(n.static_band(), 86);
        let p = n.allocate_next(&mut rng).unwrap();
        assert!((30086..=32767).contains(&p));
        assert_eq!(n.allocate(p as i64), Err(AllocError::Taken));
    }

    #[test]
    fn host_local_is_sequential() {
        let mut h = HostLocal::new(Ipv4Addr::new(10, 244, 0, 0), 24);
        assert_eq!(h.allocate("a"), Some(Ipv4Addr::new(10, 244, 0, 2)));
        assert_eq!(h.allocate("b"), Some(Ipv4Addr::new(10, 244, 0, 3)));
        h.release(Ipv4Addr::new(10, 244, 0, 2));
        assert_eq!(h.allocate("c"), Some(Ipv4Addr::new(10, 244, 0, 4)));
    }

    #[test]
    fn host_local_exhausts_and_names_its_range() {
        let mut h = HostLocal::new(Ipv4Addr::new(10, 244, 0, 0), 29);
        assert_eq!(h.capacity(), 5);
        assert_eq!(h.range_set(), "10.244.0.1-10.244.0.6");
        for i in 0..5 {
            assert_eq!(h.allocate(&i.to_string()), Some(Ipv4Addr::new(10, 244, 0, 2 + i)));
        }
        assert_eq!(h.allocate("x"), None);
        assert_eq!(
            HostLocal::new(Ipv4Addr::new(10, 244, 3, 0), 24).range_set(),
            "10.244.3.1-10.244.3.254"
        );
    }

    #[test]
    fn reserved_addresses_are_never_handed_out() {
        let mut h = HostLocal::new(Ipv4Addr::new(10, 244, 1, 0), 24);
        assert!(h.reserve(Ipv4Addr::new(10, 244, 1, 3), "kube-system/coredns-a"));
        assert!(!h.reserve(Ipv4Addr::new(10, 244, 1, 3), "again"));
        assert!(!h.reserve(Ipv4Addr::new(10, 244, 1, 1), "the gateway"));
        assert!(!h.reserve(Ipv4Addr::new(10, 244, 1, 255), "broadcast"));
        assert!(!h.reserve(Ipv4Addr::new(10, 244, 2, 3), "another node's"));
        assert_eq!(h.allocate("next"), Some(Ipv4Addr::new(10, 244, 1, 4)));
        let mut a = NodeCidrAllocator::new((Ipv4Addr::new(10, 244, 0, 0), 16), 24, (Ipv4Addr::new(10, 96, 0, 0), 12)).unwrap();
        assert!(a.reserve((Ipv4Addr::new(10, 244, 0, 0), 24)));
        assert!(a.reserve((Ipv4Addr::new(10, 244, 2, 0), 24)));
        assert!(!a.reserve((Ipv4Addr::new(10, 244, 2, 0), 24)));
        assert!(!a.reserve((Ipv4Addr::new(10, 245, 0, 0), 24)));
        assert!(!a.reserve((Ipv4Addr::new(10, 244, 4, 0), 23)));
        assert_eq!(a.allocate_next(), Some((Ipv4Addr::new(10, 244, 3, 0), 24)));
        assert_eq!(a.allocate_next(), Some((Ipv4Addr::new(10, 244, 4, 0), 24)));
    }

    #[test]
    fn node_cidrs_in_order_then_none() {
        let svc = (Ipv4Addr::new(10, 96, 0, 0), 12);
        let mut a = NodeCidrAllocator::new((Ipv4Addr::new(10, 244, 0, 0), 23), 24, svc).unwrap();
        assert_eq!(a.allocate_next(), Some((Ipv4Addr::new(10, 244, 0, 0), 24)));
        assert_eq!(a.allocate_next(), Some((Ipv4Addr::new(10, 244, 1, 0), 24)));
        assert_eq!(a.allocate_next(), None);
        // The Service CIDR's subnets are never handed out.
        let mut b = NodeCidrAllocator::new((Ipv4Addr::new(10, 96, 0, 0), 11), 12, svc).unwrap();
        assert_eq!(b.allocate_next(), Some((Ipv4Addr::new(10, 112, 0, 0), 12)));
        assert_eq!(b.allocate_next(), None);
        let wide = NodeCidrAllocator::new((Ipv4Addr::new(10, 0, 0, 0), 8), 24, svc).unwrap();
        assert_eq!(wide.capacity(), 65_536);
        assert_eq!(
            NodeCidrAllocator::new((Ipv4Addr::new(10, 0, 0, 0), 7), 24, svc).err(),
            Some(CidrConfigError::TooManySubnets)
        );
    }
}
