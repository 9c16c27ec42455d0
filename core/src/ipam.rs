//! Address allocation: ClusterIPs (KEP-3070 bands), NodePorts (KEP-3668 bands) and Pod IPs
//! (the CNI host-local plugin, one /24 per node).
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

/// CNI host-local IPAM for one node's Pod CIDR: sequential from `.2`, continuing after the last
/// address handed out (so a deleted Pod's IP is not reused at once), wrapping at the end.
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
            prefix,
            last: 1,
            used: BTreeMap::new(),
        }
    }

    /// The bridge address, the Pods' default gateway (`.1`).
    pub fn gateway(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.subnet) + 1)
    }

    pub fn allocate(&mut self, owner: &str) -> Option<Ipv4Addr> {
        let size = 1u32 << (32 - self.prefix as u32);
        let count = size.saturating_sub(3); // network, gateway, broadcast
        for i in 1..=count {
            let off = 2 + (self.last - 1 + i - 1) % count;
            if let std::collections::btree_map::Entry::Vacant(e) = self.used.entry(off) {
                e.insert(owner.to_string());
                self.last = off;
                return Some(Ipv4Addr::from(u32::from(self.subnet) + off));
            }
        }
        None
    }

    pub fn release(&mut self, ip: Ipv4Addr) {
        let off = u32::from(ip).wrapping_sub(u32::from(self.subnet));
        self.used.remove(&off);
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let mask = if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix as u32)
        };
        u32::from(ip) & mask == u32::from(self.subnet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
