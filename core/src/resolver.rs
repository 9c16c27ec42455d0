//! The Pod side of discovery: the `/etc/resolv.conf` kubelet writes, and the stub resolver's
//! walk through the search list.
//!
//! resolv.conf (kubelet `pkg/kubelet/network/dns`): ClusterFirst gives `nameserver <kube-dns>`,
//! `search <ns>.svc.<zone> svc.<zone> <zone>` plus the node's search domains, `options ndots:5`;
//! Default copies the node's file; None uses only `dnsConfig`; dnsConfig is merged in (at most 3
//! nameservers, 32 search domains).
//!
//! The walk (glibc `res_nsearch`): a trailing dot means the name as-is only. With fewer dots than
//! `ndots`, each search domain is tried in order, then the name as-is; with at least `ndots`
//! dots the name as-is goes first. glibc moves on after NXDOMAIN *and* NODATA; musl (Alpine,
//! busybox) stops at the first answer that is not NXDOMAIN, and tries as-is first.

use std::net::Ipv4Addr;

use crate::dns::{fqdn, RType, Rcode, Response};
use crate::model::*;

/// A parsed resolv.conf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvConf {
    pub nameservers: Vec<String>,
    pub search: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

impl ResolvConf {
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| k == "ndots")
            .and_then(|(_, v)| v.as_deref())
            .and_then(|v| v.parse::<usize>().ok())
            .map(|n| n.min(15))
            .unwrap_or(1)
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        for n in &self.nameservers {
            s.push_str(&format!("nameserver {n}\n"));
        }
        if !self.search.is_empty() {
            s.push_str(&format!("search {}\n", self.search.join(" ")));
        }
        if !self.options.is_empty() {
            let o: Vec<String> = self
                .options
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}:{v}"),
                    None => k.clone(),
                })
                .collect();
            s.push_str(&format!("options {}\n", o.join(" ")));
        }
        s
    }
}

/// The node's own resolv.conf (minikube's docker network gateway).
pub fn node_resolv_conf() -> ResolvConf {
    ResolvConf {
        nameservers: vec!["192.168.49.1".into()],
        search: Vec::new(),
        options: Vec::new(),
    }
}

/// What kubelet writes into a Pod, per its dnsPolicy and dnsConfig.
pub fn pod_resolv_conf(pod: &Pod, cluster_dns: Ipv4Addr, zone: &str) -> ResolvConf {
    let node = node_resolv_conf();
    let policy = match pod.spec.dns_policy {
        DnsPolicy::ClusterFirst if pod.spec.host_network => DnsPolicy::Default,
        p => p,
    };
    let mut rc = match policy {
        DnsPolicy::ClusterFirst | DnsPolicy::ClusterFirstWithHostNet => {
            let ns = &pod.meta.namespace;
            let mut search = vec![format!("{ns}.svc.{zone}"), format!("svc.{zone}"), zone.to_string()];
            search.extend(node.search.iter().cloned());
            ResolvConf {
                nameservers: vec![cluster_dns.to_string()],
                search,
                options: vec![("ndots".into(), Some("5".into()))],
            }
        }
        DnsPolicy::Default => node,
        DnsPolicy::None => ResolvConf {
            nameservers: Vec::new(),
            search: Vec::new(),
            options: Vec::new(),
        },
    };
    if let Some(cfg) = &pod.spec.dns_config {
        for n in &cfg.nameservers {
            if !rc.nameservers.contains(n) {
                rc.nameservers.push(n.clone());
            }
        }
        for s in &cfg.searches {
            if !rc.search.contains(s) {
                rc.search.push(s.clone());
            }
        }
        for (k, v) in &cfg.options {
            if let Some(slot) = rc.options.iter_mut().find(|(ek, _)| ek == k) {
                slot.1 = v.clone();
            } else {
                rc.options.push((k.clone(), v.clone()));
            }
        }
    }
    rc.nameservers.truncate(3);
    rc.search.truncate(32);
    rc
}

/// Which stub resolver a container image uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Glibc,
    Musl,
}

/// The names a stub resolver will try, in order.
pub fn candidates(name: &str, rc: &ResolvConf, flavor: Flavor) -> Vec<String> {
    if name.ends_with('.') {
        return vec![name.to_string()];
    }
    let dots = name.matches('.').count();
    let as_is = format!("{name}.");
    let searched: Vec<String> = rc.search.iter().map(|d| format!("{name}.{}", fqdn(d))).collect();
    let mut out = Vec::new();
    if dots >= rc.ndots() {
        out.push(as_is.clone());
        out.extend(searched);
    } else {
        out.extend(searched);
        out.push(as_is);
    }
    if flavor == Flavor::Musl && dots >= rc.ndots() {
        out.truncate(1);
    }
    out
}

/// One attempt of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub name: String,
    pub response: Response,
}

/// The result of a resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub attempts: Vec<Attempt>,
    /// The name that answered and its addresses.
    pub answer: Option<(String, Vec<Ipv4Addr>)>,
}

/// Walk the candidates, asking `ask` each name, stopping as the flavor does.
pub fn resolve(name: &str, rc: &ResolvConf, flavor: Flavor, qtype: RType, mut ask: impl FnMut(&str, RType) -> Response) -> Resolution {
    let mut attempts = Vec::new();
    for cand in candidates(name, rc, flavor) {
        let response = ask(&cand, qtype);
        let rcode = response.rcode;
        let addrs = response.addresses();
        let has_answer = !response.answers.is_empty();
        attempts.push(Attempt {
            name: cand.clone(),
            response,
        });
        if has_answer {
            return Resolution {
                attempts,
                answer: Some((cand, addrs)),
            };
        }
        let go_on = match flavor {
            Flavor::Glibc => matches!(rcode, Rcode::NxDomain | Rcode::NoError | Rcode::ServFail),
            Flavor::Musl => rcode == Rcode::NxDomain,
        };
        if !go_on {
            break;
        }
    }
    Resolution { attempts, answer: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc() -> ResolvConf {
        ResolvConf {
            nameservers: vec!["10.96.0.10".into()],
            search: vec!["dev.svc.cluster.local".into(), "svc.cluster.local".into(), "cluster.local".into()],
            options: vec![("ndots".into(), Some("5".into()))],
        }
    }

    #[test]
    fn short_name_walks_search_list_first() {
        assert_eq!(
            candidates("ent", &rc(), Flavor::Glibc),
            ["ent.dev.svc.cluster.local.", "ent.svc.cluster.local.", "ent.cluster.local.", "ent."]
        );
    }

    #[test]
    fn fqdn_with_four_dots_still_searches_first_under_ndots_5() {
        let c = candidates("ent.prod.svc.cluster.local", &rc(), Flavor::Glibc);
        assert_eq!(c[0], "ent.prod.svc.cluster.local.dev.svc.cluster.local.");
        assert_eq!(c.last().map(String::as_str), Some("ent.prod.svc.cluster.local."));
    }

    #[test]
    fn trailing_dot_is_absolute() {
        assert_eq!(
            candidates("ent.prod.svc.cluster.local.", &rc(), Flavor::Glibc),
            ["ent.prod.svc.cluster.local."]
        );
    }

    #[test]
    fn ndots_reached_tries_as_is_first() {
        let mut r = rc();
        r.options = vec![("ndots".into(), Some("2".into()))];
        let c = candidates("a.b.c", &r, Flavor::Glibc);
        assert_eq!(c[0], "a.b.c.");
        assert_eq!(c.len(), 4);
        assert_eq!(candidates("a.b.c", &r, Flavor::Musl), ["a.b.c."]);
    }

    #[test]
    fn glibc_continues_after_nodata_musl_stops() {
        let answer = |n: &str, _t: RType| {
            if n == "x.svc.cluster.local." {
                Response::nodata(None)
            } else if n == "x.cluster.local." {
                Response::answer(vec![crate::dns::Record {
                    name: n.into(),
                    ttl: 30,
                    data: crate::dns::RData::A(Ipv4Addr::new(1, 2, 3, 4)),
                }])
            } else {
                Response::nxdomain(None)
            }
        };
        let g = resolve("x", &rc(), Flavor::Glibc, RType::A, answer);
        assert_eq!(g.answer.unwrap().0, "x.cluster.local.");
        let m = resolve("x", &rc(), Flavor::Musl, RType::A, answer);
        assert!(m.answer.is_none());
        assert_eq!(m.attempts.len(), 2);
    }
}
