//! The world outside the cluster, as seen through CoreDNS's `forward . /etc/resolv.conf`: a
//! handful of public names answer (with the addresses they publish), the rest are NXDOMAIN from
//! the root's point of view. Answers are not authoritative (no AA), as a recursive resolver's.

use std::net::Ipv4Addr;

use super::{fqdn, RData, RType, Rcode, Record, Response};

/// (name, address, ttl). Public names with their published addresses.
const HOSTS: &[(&str, [u8; 4], u32)] = &[
    ("example.com.", [93, 184, 215, 14], 300),
    ("www.example.com.", [93, 184, 215, 14], 300),
    ("kubernetes.io.", [147, 75, 40, 148], 300),
    ("archive.ubuntu.com.", [185, 125, 190, 81], 60),
    ("security.ubuntu.com.", [185, 125, 190, 82], 60),
    ("ports.ubuntu.com.", [185, 125, 190, 36], 60),
    ("deb.debian.org.", [151, 101, 2, 132], 300),
    ("dl-cdn.alpinelinux.org.", [151, 101, 2, 133], 300),
    ("registry.k8s.io.", [34, 96, 108, 209], 300),
    ("github.com.", [140, 82, 121, 4], 60),
    ("google.com.", [142, 250, 180, 14], 300),
    ("www.google.com.", [142, 250, 180, 4], 300),
];

pub fn lookup_host(name: &str) -> Option<Ipv4Addr> {
    let n = fqdn(name);
    HOSTS.iter().find(|(h, _, _)| *h == n).map(|(_, a, _)| Ipv4Addr::from(*a))
}

/// Answer a forwarded query.
pub fn answer(qname: &str, qtype: RType) -> Response {
    let n = fqdn(qname);
    let Some((_, addr, ttl)) = HOSTS.iter().find(|(h, _, _)| *h == n) else {
        let tld = n.trim_end_matches('.').rsplit('.').next().unwrap_or("").to_string();
        let soa = if tld.is_empty() || !matches!(tld.as_str(), "com" | "io" | "org" | "net") {
            Record {
                name: ".".into(),
                ttl: 86400,
                data: RData::Soa {
                    mname: "a.root-servers.net.".into(),
                    rname: "nstld.verisign-grs.com.".into(),
                    serial: 2026112500,
                    refresh: 1800,
                    retry: 900,
                    expire: 604800,
                    minimum: 86400,
                },
            }
        } else {
            Record {
                name: format!("{tld}."),
                ttl: 900,
                data: RData::Soa {
                    mname: "a.gtld-servers.net.".to_string(),
                    rname: "nstld.verisign-grs.com.".into(),
                    serial: 1764072000,
                    refresh: 1800,
                    retry: 900,
                    expire: 604800,
                    minimum: 900,
                },
            }
        };
        let mut r = Response::nxdomain(Some(soa));
        r.aa = false;
        return r;
    };
    let mut r = match qtype {
        RType::A | RType::Any => Response::answer(vec![Record {
            name: qname.to_string(),
            ttl: *ttl,
            data: RData::A(Ipv4Addr::from(*addr)),
        }]),
        _ => Response::nodata(None),
    };
    r.aa = false;
    r.rcode = Rcode::NoError;
    r
}
