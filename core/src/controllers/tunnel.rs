//! `minikube tunnel`: the opt-in "cloud" of a minikube cluster. minikube's docs: it "creates a
//! route to services deployed with type LoadBalancer and sets their Ingress to their
//! ClusterIP". Until it runs, a LoadBalancer Service's EXTERNAL-IP stays `<pending>` (no cloud
//! controller answers); while it runs, its load-balancer emulator patches every LoadBalancer
//! Service's `status.loadBalancer.ingress` to the ClusterIP, kube-proxy then programs that
//! address like any LoadBalancer IP, and the host reaches it over the route
//! `<service CIDR> -> <minikube ip>`.
//!
//! The status block is minikube's `pkg/minikube/tunnel/reporter.go` (`simpleReporter`).
//! sdplay keeps the tunnel running in the background once started; a real `minikube tunnel`
//! holds its terminal until Ctrl-C, which is why the chapter runs it in a second terminal.

use std::net::Ipv4Addr;

use super::context::Ctx;
use crate::model::*;
use crate::trace::{Element, Route, What};

/// The pid sdplay reports for the tunnel process.
const TUNNEL_PID: u32 = 41_827;

/// `minikube tunnel`'s load-balancer emulator: whether it runs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tunnel {
    running: bool,
}

impl Tunnel {
    /// Whether the tunnel runs (the host reaches LoadBalancer ingress IPs over its route).
    pub(crate) fn running(&self) -> bool {
        self.running
    }

    /// Start the tunnel (idempotent) and return minikube's status report; `minikube_ip` is
    /// where its route goes.
    pub(crate) fn start(&mut self, ctx: &mut Ctx, minikube_ip: Ipv4Addr) -> String {
        self.running = true;
        let lbs: Vec<(String, String)> = ctx
            .store()
            .services(None)
            .filter(|s| s.spec.type_ == ServiceType::LoadBalancer)
            .map(|s| (s.meta.namespace.to_string(), s.meta.name.to_string()))
            .collect();
        for (ns, name) in &lbs {
            self.patch(ctx, ns, name);
        }
        let names: Vec<&str> = lbs.iter().map(|(_, n)| n.as_str()).collect();
        format!(
            "Status:\t\n\tmachine: minikube\n\tpid: {TUNNEL_PID}\n\troute: 10.96.0.0/12 -> {}\n\tminikube: Running\n\tservices: [{}]\n    errors: \n\t\tminikube: no errors\n\t\trouter: no errors\n\t\tloadbalancer emulator: no errors\n",
            minikube_ip,
            names.join(", ")
        )
    }

    /// The load-balancer emulator for one Service: a LoadBalancer Service without an ingress
    /// IP gets its ClusterIP. Returns whether it patched.
    pub(crate) fn patch(&self, ctx: &mut Ctx, ns: &str, name: &str) -> bool {
        if !self.running {
            return false;
        }
        let Some(svc) = ctx.store().service(ns, name) else {
            return false;
        };
        if svc.spec.type_ != ServiceType::LoadBalancer || !svc.load_balancer_ips.is_empty() {
            return false;
        }
        let Some(ip) = svc.cluster_ip() else { return false };
        let mut svc = svc.clone();
        svc.load_balancer_ips = vec![ip];
        let key = ObjKey::new(Kind::Service, ns, name);
        ctx.write(Object::Service(svc));
        ctx.record(
            What::TunnelIngress { service: key, ip },
            Route::new(Element::Workstation, Element::service(ns, name)),
        );
        true
    }
}
