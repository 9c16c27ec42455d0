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
//! dots the name as-is goes first, and glibc (`res_nsearch`) then still walks the search list.
//! glibc moves on after NXDOMAIN, NODATA and SERVFAIL; musl (`name_from_dns_search` in
//! lookup_name.c: Alpine, busybox) moves on only after NXDOMAIN, and with at least `ndots` dots
//! (or a trailing dot) clears the search list: the name as-is only.

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
    // kubelet's limits (pkg/kubelet/network/dns: MaxDNSNameservers 3, MaxDNSSearchPaths 32,
    // MaxDNSSearchListChars 2048): the excess is dropped (kubelet records an event).
    rc.nameservers.truncate(3);
    rc.search.truncate(32);
    while rc.search.join(" ").len() > 2048 {
        rc.search.pop();
    }
    rc
}

/// Which stub resolver a container image uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Glibc,
    Musl,
    /// Go's pure resolver (`net/dnsclient_unix.go`, used by static Go binaries such as many
    /// Kubernetes images): the same order as glibc, plus RFC 7686 (`.onion` names are never
    /// sent) and the 254-character name limit; it moves on after NXDOMAIN, NODATA and SERVFAIL.
    Go,
}

/// The names a stub resolver will try, in order.
pub fn candidates(name: &str, rc: &ResolvConf, flavor: Flavor) -> Vec<String> {
    if flavor == Flavor::Go {
        return go_name_list(name, rc);
    }
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

/// Go's `dnsConfig.nameList`.
fn go_name_list(name: &str, rc: &ResolvConf) -> Vec<String> {
    let avoid = |n: &str| n.to_ascii_lowercase().ends_with(".onion.");
    let l = name.len();
    let rooted = name.ends_with('.');
    if l > 254 || (l == 254 && !rooted) {
        return Vec::new();
    }
    if rooted {
        return if avoid(name) { Vec::new() } else { vec![name.to_string()] };
    }
    let has_ndots = name.matches('.').count() >= rc.ndots();
    let name = format!("{name}.");
    let mut names = Vec::new();
    if has_ndots && !avoid(&name) {
        names.push(name.clone());
    }
    for suffix in &rc.search {
        let f = format!("{name}{}", fqdn(suffix));
        if !avoid(&f) && f.len() <= 254 {
            names.push(f);
        }
    }
    if !has_ndots && !avoid(&name) {
        names.push(name);
    }
    names
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
            Flavor::Glibc | Flavor::Go => matches!(rcode, Rcode::NxDomain | Rcode::NoError | Rcode::ServFail),
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

    fn servfail(n: &str, _t: RType) -> Response {
        if n == "x.dev.svc.cluster.local." {
            Response {
                rcode: Rcode::ServFail,
                aa: false,
                answers: vec![],
                authority: vec![],
                additional: vec![],
            }
        } else if n == "x." {
            Response::answer(vec![crate::dns::Record {
                name: n.into(),
                ttl: 30,
                data: crate::dns::RData::A(Ipv4Addr::new(1, 2, 3, 4)),
            }])
        } else {
            Response::nxdomain(None)
        }
    }

    /// glibc res_nsearch: SERVFAIL (TRY_AGAIN) is remembered and the walk goes on; musl's
    /// name_from_dns returns EAI_AGAIN and the lookup fails.
    #[test]
    fn servfail_glibc_goes_on_musl_fails() {
        let g = resolve("x", &rc(), Flavor::Glibc, RType::A, servfail);
        assert_eq!(g.answer.map(|a| a.0), Some("x.".to_string()));
        let m = resolve("x", &rc(), Flavor::Musl, RType::A, servfail);
        assert!(m.answer.is_none());
        assert_eq!(m.attempts.len(), 1);
    }

    /// musl: a trailing dot or at least ndots dots clears the search list.
    #[test]
    fn musl_trailing_dot_and_ndots() {
        assert_eq!(candidates("a.", &rc(), Flavor::Musl), ["a."]);
        assert_eq!(candidates("a.b.c.d.e.f", &rc(), Flavor::Musl), ["a.b.c.d.e.f."]);
        assert_eq!(candidates("a", &rc(), Flavor::Musl).len(), 4);
    }

    /// glibc: at least ndots dots → as-is first, then the whole search list.
    #[test]
    fn glibc_as_is_then_search_list() {
        assert_eq!(
            candidates("a.b.c.d.e.f", &rc(), Flavor::Glibc),
            [
                "a.b.c.d.e.f.",
                "a.b.c.d.e.f.dev.svc.cluster.local.",
                "a.b.c.d.e.f.svc.cluster.local.",
                "a.b.c.d.e.f.cluster.local."
            ]
        );
    }

    fn pod(policy: DnsPolicy, host_network: bool, cfg: Option<PodDnsConfig>) -> Pod {
        let mut p = Pod {
            meta: ObjectMeta::default(),
            spec: Default::default(),
            status: PodStatus::default(),
        };
        p.meta.namespace = "dev".into();
        let spec = std::sync::Arc::make_mut(&mut p.spec);
        spec.dns_policy = policy;
        spec.host_network = host_network;
        spec.dns_config = cfg;
        p
    }

    /// kubelet dns.go: ClusterFirst → cluster DNS, the namespace's search list, ndots:5.
    /// ClusterFirst with hostNetwork falls back to Default; ClusterFirstWithHostNet does not.
    #[test]
    fn kubelet_dns_policies() {
        let dns = Ipv4Addr::new(10, 96, 0, 10);
        let cf = pod_resolv_conf(&pod(DnsPolicy::ClusterFirst, false, None), dns, "cluster.local");
        assert_eq!(
            cf.render(),
            "nameserver 10.96.0.10\nsearch dev.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n"
        );
        let hn = pod_resolv_conf(&pod(DnsPolicy::ClusterFirst, true, None), dns, "cluster.local");
        assert_eq!(hn, node_resolv_conf());
        let hn2 = pod_resolv_conf(&pod(DnsPolicy::ClusterFirstWithHostNet, true, None), dns, "cluster.local");
        assert_eq!(hn2, cf);
        let def = pod_resolv_conf(&pod(DnsPolicy::Default, false, None), dns, "cluster.local");
        assert_eq!(def, node_resolv_conf());
    }

    /// dnsConfig is appended (duplicates dropped), its options override by name; None uses only
    /// dnsConfig; at most 3 nameservers.
    #[test]
    fn dns_config_merge_and_limits() {
        let dns = Ipv4Addr::new(10, 96, 0, 10);
        let cfg = PodDnsConfig {
            nameservers: vec!["1.1.1.1".into(), "10.96.0.10".into(), "8.8.8.8".into(), "9.9.9.9".into()],
            searches: vec!["svc.cluster.local".into(), "corp.example".into()],
            options: vec![("ndots".into(), Some("2".into())), ("edns0".into(), None)],
        };
        let rc = pod_resolv_conf(&pod(DnsPolicy::ClusterFirst, false, Some(cfg.clone())), dns, "cluster.local");
        assert_eq!(rc.nameservers, ["10.96.0.10", "1.1.1.1", "8.8.8.8"]);
        assert_eq!(rc.search.last().map(String::as_str), Some("corp.example"));
        assert_eq!(rc.search.len(), 4);
        assert_eq!(rc.ndots(), 2);
        assert_eq!(rc.render().lines().last(), Some("options ndots:2 edns0"));
        let none = pod_resolv_conf(&pod(DnsPolicy::None, false, Some(cfg)), dns, "cluster.local");
        assert_eq!(none.nameservers, ["1.1.1.1", "10.96.0.10", "8.8.8.8"]);
        assert_eq!(none.search, ["svc.cluster.local", "corp.example"]);
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

    /// Go's own cases (`TestNameList`-style, from `dnsclient_unix.go`'s rules).
    mod go {
        use super::*;

        #[test]
        fn rooted_names_are_asked_as_is_unless_onion() {
            assert_eq!(candidates("x.", &rc(), Flavor::Go), ["x."]);
            assert!(candidates("hidden.onion.", &rc(), Flavor::Go).is_empty());
        }

        #[test]
        fn short_names_search_first_and_long_names_go_first() {
            let c = candidates("ent", &rc(), Flavor::Go);
            assert_eq!(
                c,
                ["ent.dev.svc.cluster.local.", "ent.svc.cluster.local.", "ent.cluster.local.", "ent."]
            );
            let mut r = rc();
            r.options = vec![("ndots".into(), Some("1".into()))];
            assert_eq!(candidates("ent.prod", &r, Flavor::Go)[0], "ent.prod.");
            assert_eq!(candidates("ent.prod", &r, Flavor::Go).len(), 4);
        }

        #[test]
        fn onion_and_overlong_names_are_never_sent() {
            assert!(candidates("x.onion", &rc(), Flavor::Go).iter().all(|n| !n.ends_with(".onion.")));
            let long = "a".repeat(250);
            let c = candidates(&long, &rc(), Flavor::Go);
            assert_eq!(c, [format!("{long}.")], "suffixed names over 254 characters are dropped");
            assert!(candidates(&"a".repeat(255), &rc(), Flavor::Go).is_empty());
        }
    }
}
