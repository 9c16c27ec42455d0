//! The `mh` (Maglev hashing) IPVS scheduler, transcribed from Linux
//! `net/netfilter/ipvs/ip_vs_mh.c` and the `hsiphash` of `lib/siphash.c` it hashes with.
//!
//! - The lookup table has `primes[CONFIG_IP_VS_MH_TAB_INDEX - 8]` entries. The Kconfig default
//!   index is 12, so the table has **4093** entries (65521 would need index 16, which distro
//!   and minikube kernels do not set).
//! - Each destination gets an `offset = hsiphash(addr + port, hash1) % 4093` and a
//!   `skip = hsiphash(addr + port, hash2) % 4092 + 1`; the two keys are the fixed constants of
//!   `generate_hash_secret` (2654435761 and 2654446892, each in both key words), so the table
//!   is the same on every node and every boot.
//! - `ip_vs_mh_populate` walks the destinations in kernel list order, each taking `turns`
//!   slots per round (`last_weight / gcd >> rshift`), following its permutation
//!   `offset, offset + skip, …` to the first free slot, until all 4093 slots are filled.
//! - A new connection hashes the client's source address (port 0: kube-proxy sets neither the
//!   `mh-port` nor the `mh-fallback` flag) with `hash1` and takes that slot's destination;
//!   a destination with weight 0 there means no destination (no fallback).
//! - `hsiphash` on a 64-bit kernel is SipHash-1-3 (here the `siphasher` crate's) of the 4-byte
//!   little-endian value, truncated to 32 bits; 32-bit kernels use HalfSipHash-1-3 and would
//!   build a different table.
//! - `last_weight` keeps the latest non-zero weight (`__ip_vs_update_dest`), so draining a
//!   server to weight 0 keeps its slots: clients hashed there get no destination rather than
//!   being moved.

/// `IP_VS_MH_TAB_SIZE` for the default `CONFIG_IP_VS_MH_TAB_INDEX=12`.
pub const TAB_SIZE: u32 = 4093;
/// `IP_VS_MH_TAB_BITS` = `CONFIG_IP_VS_MH_TAB_INDEX / 2`.
const TAB_BITS: u32 = 6;

/// `generate_hash_secret`: hash1's and hash2's key words.
const HASH1: [u64; 2] = [2_654_435_761, 2_654_435_761];
const HASH2: [u64; 2] = [2_654_446_892, 2_654_446_892];

/// `hsiphash(&v, sizeof(v), key)` on a 64-bit kernel: SipHash-1-3 (the `siphasher` crate; the
/// kernel's `HPREAMBLE`/`HPOSTAMBLE` are SipHash's with 1 compression and 3 finalization
/// rounds) of the bytes, returned as `u32`.
pub fn hsiphash_u32(v: u32, key: [u64; 2]) -> u32 {
    hsiphash(&v.to_le_bytes(), key)
}

/// The 64-bit kernel's `hsiphash` of `data`: SipHash-1-3 truncated to `u32`.
fn hsiphash(data: &[u8], key: [u64; 2]) -> u32 {
    siphasher::sip::SipHasher13::new_with_keys(key[0], key[1]).hash(data) as u32
}

/// `ip_vs_mh_hashkey` for IPv4: `offset + port + addr` (host order), hashed.
fn hashkey(addr: std::net::Ipv4Addr, port: u16, key: [u64; 2], offset: u32) -> u32 {
    let v = offset.wrapping_add(u32::from(port)).wrapping_add(u32::from(addr));
    hsiphash_u32(v, key)
}

/// One destination as the populate step sees it: address, port, `last_weight`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MhDest {
    pub addr: std::net::Ipv4Addr,
    pub port: u16,
    pub last_weight: i32,
}

fn gcd(a: i32, b: i32) -> i32 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `ip_vs_mh_gcd_weight`.
fn gcd_weight(dests: &[MhDest]) -> i32 {
    let mut g = 0;
    for d in dests {
        if d.last_weight > 0 {
            g = if g > 0 { gcd(d.last_weight, g) } else { d.last_weight };
        }
    }
    g
}

/// `fls`: the 1-based index of the most significant set bit, 0 for 0.
fn fls(x: i32) -> i32 {
    if x <= 0 {
        0
    } else {
        32 - x.leading_zeros() as i32
    }
}

/// `ip_vs_mh_shift_weight`.
fn shift_weight(dests: &[MhDest], g: i32) -> i32 {
    if g < 1 {
        return 0;
    }
    let max = dests.iter().map(|d| d.last_weight).fold(0, i32::max);
    (fls(max / g) - TAB_BITS as i32).max(0)
}

/// The permutation start and step of one destination (`ip_vs_mh_permutate`).
pub fn offset_skip(d: &MhDest) -> (u32, u32) {
    let offset = hashkey(d.addr, d.port, HASH1, 0) % TAB_SIZE;
    let skip = hashkey(d.addr, d.port, HASH2, 0) % (TAB_SIZE - 1) + 1;
    (offset, skip)
}

/// `ip_vs_mh_permutate` + `ip_vs_mh_populate`: the lookup table, each slot the index of a
/// destination in `dests` (kernel list order); all `None` when no destination has a weight.
pub fn lookup_table(dests: &[MhDest]) -> Vec<Option<usize>> {
    let size = TAB_SIZE as usize;
    let mut lookup = vec![None; size];
    let g = gcd_weight(dests);
    if g < 1 || dests.is_empty() {
        return lookup;
    }
    let rshift = shift_weight(dests, g);
    // (offset, skip, perm, turns) per destination.
    let mut setup: Vec<(u32, u32, u32, i32)> = dests
        .iter()
        .map(|d| {
            let (offset, skip) = offset_skip(d);
            let lw = d.last_weight;
            let t = (lw / g) >> rshift;
            let turns = if t != 0 { t } else { i32::from(lw != 0) };
            (offset, skip, offset, turns)
        })
        .collect();
    let mut taken = vec![false; size];
    let mut n = 0usize;
    let mut dt_count = 0;
    loop {
        let mut i = 0;
        while i < dests.len() {
            let Some(ds) = setup.get_mut(i) else { break };
            if ds.3 < 1 {
                i += 1;
                continue;
            }
            while taken.get(ds.2 as usize).copied().unwrap_or(false) {
                ds.2 += ds.1;
                if ds.2 >= TAB_SIZE {
                    ds.2 -= TAB_SIZE;
                }
            }
            let c = ds.2 as usize;
            if let Some(t) = taken.get_mut(c) {
                *t = true;
            }
            if let Some(l) = lookup.get_mut(c) {
                *l = Some(i);
            }
            n += 1;
            if n == size {
                return lookup;
            }
            dt_count += 1;
            if dt_count >= ds.3 {
                dt_count = 0;
                i += 1;
            }
        }
    }
}

/// `ip_vs_mh_get`: the slot a client's source address hashes to (port 0).
pub fn slot_of(client: std::net::Ipv4Addr) -> u32 {
    hashkey(client, 0, HASH1, 0) % TAB_SIZE
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn siphash_2_4_reference_vectors() {
        // The SipHash paper's key 00..0f; the kernel's test_siphash vectors.
        let key = [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908];
        let siphash = |data: &[u8]| siphasher::sip::SipHasher24::new_with_keys(key[0], key[1]).hash(data);
        assert_eq!(siphash(&[]), 0x726f_db47_dd0e_0e31);
        let msg: Vec<u8> = (0u8..15).collect();
        assert_eq!(siphash(&msg), 0xa129_ca61_49be_45e5);
    }

    #[test]
    fn hsiphash_matches_the_kernels_64_bit_vectors() {
        // lib/siphash_kunit.c, BITS_PER_LONG == 64: test_vectors_hsiphash[0] and [4].
        let key = [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908];
        assert_eq!(hsiphash(&[], key), 0x050f_c4dc);
        assert_eq!(hsiphash_u32(u32::from_le_bytes([0, 1, 2, 3]), key), 0x88d3_8328);
        assert_eq!(hsiphash(&[0, 1, 2, 3, 4, 5, 6, 7, 8], key), 0x6c06_3de4);
    }

    fn d(last: u8, w: i32) -> MhDest {
        MhDest {
            addr: Ipv4Addr::new(10, 244, 0, last),
            port: 8080,
            last_weight: w,
        }
    }

    #[test]
    fn equal_weights_fill_the_table_evenly() {
        let dests = [d(4, 1), d(5, 1), d(6, 1)];
        let t = lookup_table(&dests);
        assert_eq!(t.len(), 4093);
        let counts: Vec<usize> = (0..3).map(|i| t.iter().filter(|s| **s == Some(i)).count()).collect();
        // Round-robin filling: 4093 = 3 * 1364 + 1, the first in list order gets the extra.
        assert_eq!(counts, [1365, 1364, 1364]);
    }

    #[test]
    fn weights_give_proportional_slots_and_zero_weight_none() {
        let t = lookup_table(&[d(4, 2), d(5, 1)]);
        let a = t.iter().filter(|s| **s == Some(0)).count();
        assert_eq!(a, 2729);
        assert!(lookup_table(&[d(4, 0)]).iter().all(Option::is_none));
        // A zero weight among others takes no slots.
        let t = lookup_table(&[d(4, 0), d(5, 1)]);
        assert!(t.iter().all(|s| *s == Some(1)));
    }

    #[test]
    fn consistent_when_a_destination_goes() {
        // Maglev's point: removing one destination moves only its own clients.
        let full = lookup_table(&[d(4, 1), d(5, 1), d(6, 1)]);
        let less = lookup_table(&[d(4, 1), d(6, 1)]);
        let moved = full
            .iter()
            .zip(&less)
            .filter(|(a, b)| !matches!((a, b), (Some(0), Some(0)) | (Some(2), Some(1))))
            .count();
        assert!(moved < 1364 + 200, "moved {moved}");
    }
}
