//! kube-proxy's chain names: SHA-256 (FIPS 180-4, from the `sha2` crate, checked here against
//! the standard's test vectors) and RFC 4648 base32 (hand-written, see [`base32`]), as
//! `portProtoHash` and `servicePortEndpointChainName` in `pkg/proxy/iptables/proxier.go` use
//! them.

/// SHA-256 of `data` (the `sha2` crate).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// Go's `base32.StdEncoding.EncodeToString` (padded with `=`). Hand-written on purpose: the
/// `data-encoding` crate's `BASE32` added 18,097 bytes (4,473 gzipped) to the page's wasm for
/// these dozen lines.
pub fn base32(data: &[u8]) -> String {
    const ALPHA: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHA[((n >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `portProtoHash`: the first 16 characters of base32(sha256(servicePortName + protocol)).
pub fn port_proto_hash(service_port_name: &str, protocol: &str) -> String {
    base32(&sha256(format!("{service_port_name}{protocol}").as_bytes()))
        .chars()
        .take(16)
        .collect()
}

/// `servicePortChainName`: `KUBE-SVC-` + portProtoHash.
pub fn svc_chain(service_port_name: &str, protocol: &str) -> String {
    format!("KUBE-SVC-{}", port_proto_hash(service_port_name, protocol))
}

/// `externalTrafficChainName`: `KUBE-EXT-` + portProtoHash.
pub fn ext_chain(service_port_name: &str, protocol: &str) -> String {
    format!("KUBE-EXT-{}", port_proto_hash(service_port_name, protocol))
}

/// `servicePortEndpointChainName`: `KUBE-SEP-` + `base32(sha256(name + protocol + endpoint))[:16]`.
pub fn sep_chain(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    let h = base32(&sha256(format!("{service_port_name}{protocol}{endpoint}").as_bytes()));
    format!("KUBE-SEP-{}", h.chars().take(16).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_fips_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn base32_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(base32(i.as_bytes()), o);
        }
    }

    /// The chain names every cluster has (`iptables-save` on any kubeadm or minikube node).
    #[test]
    fn well_known_chain_names() {
        assert_eq!(svc_chain("default/kubernetes:https", "tcp"), "KUBE-SVC-NPX46M4PTMTKRN6Y");
        assert_eq!(svc_chain("kube-system/kube-dns:dns", "udp"), "KUBE-SVC-TCOU7JCQXEZGVUNU");
        assert_eq!(svc_chain("kube-system/kube-dns:dns-tcp", "tcp"), "KUBE-SVC-ERIFXISQEP7F7OF4");
        assert_eq!(svc_chain("kube-system/kube-dns:metrics", "tcp"), "KUBE-SVC-JD5MR3NA4I4DYORP");
    }

    #[test]
    fn chain_names_have_the_kube_proxy_shape() {
        let c = svc_chain("dev/ent", "tcp");
        assert_eq!(c.len(), "KUBE-SVC-".len() + 16);
        assert_ne!(c, svc_chain("prod/ent", "tcp"));
        assert!(sep_chain("dev/ent", "tcp", "10.244.0.3:8080").starts_with("KUBE-SEP-"));
    }
}
