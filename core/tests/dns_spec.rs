//! Conformance of the cluster DNS (CoreDNS's kubernetes plugin, `sdplay_core::dns::kubernetes`)
//! to the Kubernetes DNS-Based Service Discovery specification (kubernetes/dns
//! docs/specification.md), one module per section, plus CoreDNS's own behaviour where the spec
//! leaves room (plugin/kubernetes/handler_test.go): NXDOMAIN versus NODATA with the SOA, SRV on
//! the bare Service name, weights, TTL 30 and AA.

use std::net::Ipv4Addr;

use sdplay_core::dns::{RData, RType, Rcode, Response};
use sdplay_core::{Config, Files, Playground};

const MANIFEST: &str = r#"apiVersion: v1
kind: Namespace
metadata:
  name: spec
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: spec
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: spec
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 80
  - name: metrics
    port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: plain
  namespace: spec
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: empty
  namespace: spec
spec:
  selector:
    app: nothing
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: hl
  namespace: spec
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: http
    port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: hl-empty
  namespace: spec
spec:
  clusterIP: None
  selector:
    app: nothing
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: pet
  namespace: spec
  labels:
    app: pet
spec:
  hostname: my-pet
  subdomain: pets
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: pets
  namespace: spec
spec:
  clusterIP: None
  selector:
    app: pet
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ext
  namespace: spec
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata:
  name: alias
  namespace: spec
spec:
  type: ExternalName
  externalName: web.spec.svc.cluster.local
"#;

struct One;

impl Files for One {
    fn read(&self, path: &str) -> Option<String> {
        (path == "spec.yml").then(|| MANIFEST.to_string())
    }
}

fn cluster() -> Playground {
    let mut pg = Playground::new(Config::default());
    let r = pg.run("kubectl apply -f spec.yml", &One);
    assert_eq!(r.status, 0, "{}", r.output);
    pg.run("sleep 20", &One);
    pg
}

fn ask(pg: &Playground, name: &str, t: RType) -> Response {
    pg.cluster.dns_answer(name, t).0
}

fn ip_of_svc(pg: &Playground, ns: &str, name: &str) -> Ipv4Addr {
    let r = ask(pg, &format!("{name}.{ns}.svc.cluster.local."), RType::A);
    *r.addresses().first().expect("service has an A record")
}

fn assert_soa_only(r: &Response, rcode: Rcode) {
    assert_eq!(r.rcode, rcode);
    assert!(r.answers.is_empty(), "{r:?}");
    assert_eq!(r.authority.len(), 1);
    assert!(matches!(r.authority[0].data, RData::Soa { .. }));
    assert_eq!(r.authority[0].name, "cluster.local.");
}

/// 2.1: all comparisons are case-insensitive.
mod spec_2_1 {
    use super::*;

    #[test]
    fn case_insensitive() {
        let pg = cluster();
        let a = ask(&pg, "WEB.Spec.SVC.cluster.LOCAL.", RType::A);
        assert_eq!(a.addresses(), vec![ip_of_svc(&pg, "spec", "web")]);
        // The answer keeps the question's case, as CoreDNS does.
        assert_eq!(a.answers[0].name, "WEB.Spec.SVC.cluster.LOCAL.");
    }
}

/// 2.2: `dns-version.<zone>. IN TXT` carries the schema version.
mod spec_2_2 {
    use super::*;

    #[test]
    fn schema_version_txt() {
        let pg = cluster();
        let r = ask(&pg, "dns-version.cluster.local.", RType::Txt);
        assert_eq!(r.answers.len(), 1);
        assert_eq!(r.answers[0].data, RData::Txt("1.1.0".into()));
        assert_soa_only(&ask(&pg, "dns-version.cluster.local.", RType::A), Rcode::NoError);
    }
}

/// 2.3: a Service with a ClusterIP.
mod spec_2_3 {
    use super::*;

    /// 2.3.1: one A record, the ClusterIP, authoritative with TTL 30; even with no endpoints.
    #[test]
    fn a_record_is_the_cluster_ip() {
        let pg = cluster();
        let r = ask(&pg, "kubernetes.default.svc.cluster.local.", RType::A);
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 96, 0, 1)]);
        assert!(r.aa);
        assert_eq!(r.answers[0].ttl, 30);
        let r = ask(&pg, "empty.spec.svc.cluster.local.", RType::A);
        assert_eq!(r.rcode, Rcode::NoError);
        assert_eq!(r.addresses().len(), 1);
    }

    /// The name exists without AAAA: NOERROR, no answer, the SOA in AUTHORITY (NODATA).
    #[test]
    fn aaaa_is_nodata_with_soa() {
        let pg = cluster();
        assert_soa_only(&ask(&pg, "web.spec.svc.cluster.local.", RType::Aaaa), Rcode::NoError);
        assert_soa_only(&ask(&pg, "web.spec.svc.cluster.local.", RType::Txt), Rcode::NoError);
    }

    /// Unknown Service, unknown namespace: NXDOMAIN with the SOA. A namespace that exists is
    /// an empty non-terminal: NODATA.
    #[test]
    fn nxdomain_versus_nodata() {
        let pg = cluster();
        assert_soa_only(&ask(&pg, "nope.spec.svc.cluster.local.", RType::A), Rcode::NxDomain);
        assert_soa_only(&ask(&pg, "web.nons.svc.cluster.local.", RType::A), Rcode::NxDomain);
        assert_soa_only(&ask(&pg, "spec.svc.cluster.local.", RType::A), Rcode::NoError);
        assert_soa_only(&ask(&pg, "nons.svc.cluster.local.", RType::A), Rcode::NxDomain);
    }

    /// 2.3.2: SRV for each named port, target the Service, its A record in ADDITIONAL.
    /// Unnamed ports have no SRV record.
    #[test]
    fn srv_for_named_ports_only() {
        let pg = cluster();
        let ip = ip_of_svc(&pg, "spec", "web");
        let r = ask(&pg, "_http._tcp.web.spec.svc.cluster.local.", RType::Srv);
        assert_eq!(r.answers.len(), 1);
        assert_eq!(r.answers[0].data.to_string(), "0 100 80 web.spec.svc.cluster.local.");
        assert_eq!(r.additional.len(), 1);
        assert_eq!(r.additional[0].data, RData::A(ip));
        assert_eq!(r.additional[0].name, "web.spec.svc.cluster.local.");
        assert_eq!(ask(&pg, "_metrics._tcp.web.spec.svc.cluster.local.", RType::Srv).answers.len(), 1);
        assert_soa_only(&ask(&pg, "_80._tcp.plain.spec.svc.cluster.local.", RType::Srv), Rcode::NxDomain);
        assert_soa_only(&ask(&pg, "_http._tcp.plain.spec.svc.cluster.local.", RType::Srv), Rcode::NxDomain);
        assert_soa_only(&ask(&pg, "_http._udp.web.spec.svc.cluster.local.", RType::Srv), Rcode::NxDomain);
        // A named port of a Service without endpoints still has its SRV (handler_test "svcempty").
        assert_eq!(ask(&pg, "_http._tcp.empty.spec.svc.cluster.local.", RType::Srv).answers.len(), 1);
    }

    /// CoreDNS: SRV on the bare Service name lists every port, weight 100/n.
    #[test]
    fn srv_on_bare_name_lists_every_port() {
        let pg = cluster();
        let r = ask(&pg, "web.spec.svc.cluster.local.", RType::Srv);
        let got: Vec<String> = r.answers.iter().map(|a| a.data.to_string()).collect();
        assert_eq!(
            got,
            ["0 50 80 web.spec.svc.cluster.local.", "0 50 8080 web.spec.svc.cluster.local."]
        );
        assert_eq!(r.additional.len(), 1);
    }

    /// CoreDNS drops duplicate SRV records (same target and port) but keeps the weight it
    /// computed over all of them: kube-dns's 53/UDP, 53/TCP and 9153/TCP give two records.
    #[test]
    fn srv_duplicates_dropped_weight_kept() {
        let pg = cluster();
        let r = ask(&pg, "kube-dns.kube-system.svc.cluster.local.", RType::Srv);
        let got: Vec<String> = r.answers.iter().map(|a| a.data.to_string()).collect();
        assert_eq!(
            got,
            [
                "0 33 53 kube-dns.kube-system.svc.cluster.local.",
                "0 33 9153 kube-dns.kube-system.svc.cluster.local."
            ]
        );
    }

    /// 2.3.3: PTR for the ClusterIP.
    #[test]
    fn ptr_for_cluster_ip() {
        let pg = cluster();
        let ip = ip_of_svc(&pg, "spec", "web");
        let o = ip.octets();
        let r = ask(&pg, &format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0]), RType::Ptr);
        assert_eq!(r.answers[0].data, RData::Ptr("web.spec.svc.cluster.local.".into()));
    }
}

/// 2.4: a headless Service.
mod spec_2_4 {
    use super::*;

    fn pod_ips(pg: &Playground, app: &str) -> Vec<Ipv4Addr> {
        let mut v: Vec<Ipv4Addr> = pg
            .cluster
            .store()
            .pods(Some("spec"))
            .filter(|p| p.meta.labels.get("app") == Some(app))
            .filter_map(|p| p.status.pod_ip)
            .collect();
        v.sort();
        v
    }

    /// 2.4.1: one A per ready endpoint; NXDOMAIN when none is ready.
    #[test]
    fn a_per_ready_endpoint() {
        let pg = cluster();
        let mut got = ask(&pg, "hl.spec.svc.cluster.local.", RType::A).addresses();
        got.sort();
        assert_eq!(got, pod_ips(&pg, "web"));
        assert_eq!(got.len(), 2);
        assert_soa_only(&ask(&pg, "hl-empty.spec.svc.cluster.local.", RType::A), Rcode::NxDomain);
    }

    /// 2.4.1: `<hostname>.<service>` A records: the Pod's hostname when its subdomain names the
    /// Service, otherwise a system-assigned name (CoreDNS: the dashed IP).
    #[test]
    fn hostname_records() {
        let pg = cluster();
        let pet = pod_ips(&pg, "pet");
        assert_eq!(ask(&pg, "my-pet.pets.spec.svc.cluster.local.", RType::A).addresses(), pet);
        for ip in pod_ips(&pg, "web") {
            let dashed = ip.to_string().replace('.', "-");
            let r = ask(&pg, &format!("{dashed}.hl.spec.svc.cluster.local."), RType::A);
            assert_eq!(r.addresses(), vec![ip]);
        }
        assert_soa_only(&ask(&pg, "nobody.hl.spec.svc.cluster.local.", RType::A), Rcode::NxDomain);
    }

    /// 2.4.2: N ready endpoints × M named ports SRV records, targets the endpoint names, their
    /// A records in ADDITIONAL. CoreDNS puts the endpoint's port (targetPort 80, not the
    /// Service's 8080) in a headless SRV.
    #[test]
    fn srv_per_endpoint() {
        let pg = cluster();
        let r = ask(&pg, "_http._tcp.hl.spec.svc.cluster.local.", RType::Srv);
        assert_eq!(r.answers.len(), 2);
        assert_eq!(r.additional.len(), 2);
        for a in &r.answers {
            let RData::Srv { port, target, .. } = &a.data else {
                panic!("not SRV: {a:?}");
            };
            assert_eq!(*port, 80);
            assert!(target.ends_with(".hl.spec.svc.cluster.local."), "{target}");
        }
        let bare = ask(&pg, "hl.spec.svc.cluster.local.", RType::Srv);
        assert_eq!(bare.answers.len(), 2);
        assert!(bare
            .answers
            .iter()
            .all(|a| matches!(a.data, RData::Srv { port: 80, weight: 50, .. })));
        let r = ask(&pg, "_http._tcp.pets.spec.svc.cluster.local.", RType::Srv);
        assert_eq!(r.answers[0].data.to_string(), "0 100 80 my-pet.pets.spec.svc.cluster.local.");
    }

    /// 2.4.3: PTR for a ready endpoint names its hostname record.
    #[test]
    fn ptr_for_endpoint() {
        let pg = cluster();
        let ip = pod_ips(&pg, "pet")[0];
        let o = ip.octets();
        let r = ask(&pg, &format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0]), RType::Ptr);
        assert_eq!(r.answers[0].data, RData::Ptr("my-pet.pets.spec.svc.cluster.local.".into()));
    }
}

/// CoreDNS reverse.go: endpoints of a ClusterIP Service have PTRs too (dashed-IP names), one
/// per Service they back; an address nobody owns falls through to the upstream (NXDOMAIN).
mod coredns_reverse {
    use super::*;

    #[test]
    fn ptr_for_endpoints_of_every_service() {
        let pg = cluster();
        let ip = pg
            .cluster
            .store()
            .pods(Some("spec"))
            .find(|p| p.meta.labels.get("app") == Some("web"))
            .and_then(|p| p.status.pod_ip)
            .expect("a web Pod");
        let o = ip.octets();
        let dashed = ip.to_string().replace('.', "-");
        let r = ask(&pg, &format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0]), RType::Ptr);
        let mut got: Vec<String> = r.answers.iter().map(|a| a.data.to_string()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                format!("{dashed}.hl.spec.svc.cluster.local."),
                format!("{dashed}.plain.spec.svc.cluster.local."),
                format!("{dashed}.web.spec.svc.cluster.local."),
            ]
        );
        let r = ask(&pg, "7.7.7.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(r.rcode, Rcode::NxDomain);
        let r = ask(&pg, "010.0.96.10.in-addr.arpa.", RType::Ptr);
        assert_eq!(r.rcode, Rcode::NxDomain);
    }
}

/// 2.5: ExternalName: a CNAME; for A the target is chased (upstream, or in the zone).
mod spec_2_5 {
    use super::*;

    #[test]
    fn cname_then_target() {
        let pg = cluster();
        let r = ask(&pg, "ext.spec.svc.cluster.local.", RType::A);
        assert_eq!(r.answers[0].data, RData::Cname("example.com.".into()));
        assert_eq!(r.addresses().len(), 1);
        let r = ask(&pg, "ext.spec.svc.cluster.local.", RType::Cname);
        assert_eq!(r.answers.len(), 1);
    }

    #[test]
    fn in_zone_target_is_chased() {
        let pg = cluster();
        let r = ask(&pg, "alias.spec.svc.cluster.local.", RType::A);
        assert_eq!(r.answers[0].data, RData::Cname("web.spec.svc.cluster.local.".into()));
        assert_eq!(r.addresses(), vec![ip_of_svc(&pg, "spec", "web")]);
    }
}

/// 2.6: the deprecated `<a-b-c-d>.<ns>.pod.<zone>` A record (`pods insecure`).
mod spec_2_6 {
    use super::*;

    #[test]
    fn pod_a_record() {
        let pg = cluster();
        let r = ask(&pg, "10-244-0-99.spec.pod.cluster.local.", RType::A);
        assert_eq!(r.addresses(), vec![Ipv4Addr::new(10, 244, 0, 99)]);
        assert_soa_only(&ask(&pg, "10-244-0-99.nons.pod.cluster.local.", RType::A), Rcode::NxDomain);
    }
}
