//! The one source of randomness: a seeded SplitMix64 generator.
//!
//! Every random choice in the cluster (pod name suffixes, ClusterIPs, NodePorts, the order in
//! which kube-proxy inserts IPVS destinations) draws from here, in a fixed order, so the same seed
//! and the same commands give the same transcript. A dozen lines do not justify a dependency.

#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

/// apimachinery `pkg/util/rand`'s alphabet: no vowels, no confusable characters.
pub const ALPHANUMS: &str = "bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0). Lemire's multiply-shift; bias is below 2^-32 here.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// `rand.String(n)`: `n` characters from [`ALPHANUMS`] (generateName suffixes).
    pub fn string(&mut self, n: usize) -> String {
        let alphabet = ALPHANUMS.as_bytes();
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }

    /// Fisher–Yates shuffle (Go's map iteration order, where kube-proxy depends on it).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// apimachinery `rand.SafeEncodeString`: maps each character into [`ALPHANUMS`].
pub fn safe_encode_string(s: &str) -> String {
    let alphabet = ALPHANUMS.as_bytes();
    s.chars().map(|c| alphabet[(c as usize) % alphabet.len()] as char).collect()
}

/// 32-bit FNV-1a, the hash behind `pod-template-hash`.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.string(5), b.string(5));
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn safe_encode_digits_use_only_bcdf456789() {
        assert_eq!(safe_encode_string("0123456789"), "456789bcdf");
    }

    #[test]
    fn fnv32a_known_vectors() {
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
        assert_eq!(fnv32a(b"foobar"), 0xbf9cf968);
    }
}
