//! Randomness: a seeded SplitMix64 generator, split into one stream per component.
//!
//! Every random choice in the cluster (pod name suffixes, ClusterIPs, NodePorts, the order in
//! which kube-proxy inserts IPVS destinations, iptables' random picks, ephemeral ports, DNS ids)
//! draws from a stream derived from the one seed and the name of the component that makes it
//! ([`Rng::stream`]). In a cluster these are separate processes, so work in one (five curls in a
//! Pod) never shifts another's choices (the next Service's ClusterIP). The same seed and the
//! same commands give the same transcript. A dozen lines do not justify a dependency.

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

    /// The stream of the component `name` (`"apiserver/names"`, `"kube-proxy/minikube"`):
    /// independent of every other stream drawn from the same seed.
    pub fn stream(seed: u64, name: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a 64
        for b in name.as_bytes() {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut mix = Rng::new(seed ^ h);
        Rng::new(mix.next_u64())
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

/// The streams of the cluster's smaller components, each drawn from the one seed. Per-node
/// components (each node's kube-proxy and kernel) get a stream per node, made on first use.
/// The API server ([`crate::api::ApiServer`]: names, UIDs, ClusterIPs, NodePorts), CoreDNS,
/// the scheduling cycle (`"scheduler"`) and the kubelet ([`NodeStreams`]) hold their own.
#[derive(Clone, Debug)]
pub struct Streams {
    seed: u64,
    /// The tools a learner runs (dig's query ids and timings).
    pub tools: Rng,
    /// The Pod resolver's path to kube-dns (which CoreDNS replica a query reaches).
    pub dns_client: Rng,
    per_node: std::collections::BTreeMap<(NodeComponent, String), Rng>,
}

/// A component that runs once per node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeComponent {
    /// Image pull and container start times.
    Kubelet,
    /// The order kube-proxy adds IPVS destinations in (Go map order).
    KubeProxy,
    /// The node's kernel: ephemeral ports, iptables `statistic` and nftables `numgen` picks.
    Kernel,
}

impl NodeComponent {
    fn as_str(self) -> &'static str {
        match self {
            NodeComponent::Kubelet => "kubelet",
            NodeComponent::KubeProxy => "kube-proxy",
            NodeComponent::Kernel => "kernel",
        }
    }
}

impl Streams {
    pub fn new(seed: u64) -> Streams {
        Streams {
            seed,
            tools: Rng::stream(seed, "tools"),
            dns_client: Rng::stream(seed, "dns-client"),
            per_node: Default::default(),
        }
    }

    /// The stream of `component` on `node`.
    pub fn node(&mut self, component: NodeComponent, node: &str) -> &mut Rng {
        let seed = self.seed;
        self.per_node
            .entry((component, node.to_string()))
            .or_insert_with(|| node_stream(seed, component, node))
    }
}

fn node_stream(seed: u64, component: NodeComponent, node: &str) -> Rng {
    Rng::stream(seed, &format!("{}/{node}", component.as_str()))
}

/// One per-node component's streams, held by that component (the kubelet's): the same
/// stream on each node as [`Streams::node`] would give, made on first use.
#[derive(Clone, Debug)]
pub struct NodeStreams {
    seed: u64,
    component: NodeComponent,
    per_node: std::collections::BTreeMap<String, Rng>,
}

impl NodeStreams {
    pub fn new(seed: u64, component: NodeComponent) -> NodeStreams {
        NodeStreams {
            seed,
            component,
            per_node: Default::default(),
        }
    }

    /// The component's stream on `node`.
    pub fn node(&mut self, node: &str) -> &mut Rng {
        let (seed, component) = (self.seed, self.component);
        self.per_node
            .entry(node.to_string())
            .or_insert_with(|| node_stream(seed, component, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent() {
        let mut a = Streams::new(1);
        let mut b = Streams::new(1);
        for _ in 0..10 {
            a.node(NodeComponent::Kernel, "minikube").next_u64();
        }
        assert_eq!(a.tools.string(5), b.tools.string(5));
        assert_ne!(Rng::stream(1, "a").next_u64(), Rng::stream(1, "b").next_u64());
        assert_ne!(
            b.node(NodeComponent::Kernel, "minikube").next_u64(),
            b.node(NodeComponent::Kernel, "minikube-m02").next_u64()
        );
    }

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
