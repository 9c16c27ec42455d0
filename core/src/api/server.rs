//! The API server as a component: it owns the object store, the ClusterIP and NodePort
//! allocators (registration step 3), name and UID generation, and the manifests `kubectl
//! apply` last sent. Nothing else holds these; controllers read the store through
//! [`ApiServer::store`] and write through [`ApiServer::put`] / [`ApiServer::remove`], which
//! return the previous object so the caller can dispatch the watch event.
//!
//! Randomness: generated names, UIDs, ClusterIPs and NodePorts each draw from their own stream
//! of the seed, so a NodePort Service does not shift the next Pod's name.

use std::net::Ipv4Addr;

use super::validation::{FieldError, FieldErrorKind};
use super::{ApiError, Store};
use crate::ipam::{AllocError, NodePortAllocator, ServiceIpAllocator};
use crate::model::*;
use crate::rng::Rng;

/// What allocation gave a Service (for the trace of registration step 3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allocated {
    /// A ClusterIP allocated now (not kept from the current object).
    pub cluster_ip: Option<Ipv4Addr>,
}

/// An address of an imported Service the allocators could not reserve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reservation {
    ClusterIp(Ipv4Addr, AllocError),
    NodePort(i64, AllocError),
}

#[derive(Clone, Debug)]
pub struct ApiServer {
    store: Store,
    service_ips: ServiceIpAllocator,
    node_ports: NodePortAllocator,
    names: Rng,
    uids: Rng,
    cluster_ip_rng: Rng,
    node_port_rng: Rng,
    /// The manifest each object was last applied from (for `unchanged` / `configured`). Only
    /// ever looked up, so a hash map with fixed keys: a write does not walk a B-tree of every
    /// applied object's key.
    applied: std::collections::HashMap<ObjKey, Box<Object>, crate::model::FixedHash>,
}

impl ApiServer {
    pub fn new(seed: u64, service_cidr: (Ipv4Addr, u8)) -> ApiServer {
        ApiServer {
            store: Store::default(),
            service_ips: ServiceIpAllocator::new(service_cidr.0, service_cidr.1),
            node_ports: NodePortAllocator::default(),
            names: Rng::stream(seed, "apiserver/names"),
            uids: Rng::stream(seed, "apiserver/uids"),
            cluster_ip_rng: Rng::stream(seed, "apiserver/cluster-ips"),
            node_port_rng: Rng::stream(seed, "apiserver/node-ports"),
            applied: Default::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The wall clock the API server stamps objects with (`SimTime::ZERO`'s Unix time).
    pub(crate) fn set_epoch(&mut self, epoch: crate::time::Epoch) {
        self.store.set_epoch(epoch);
    }

    /// Store an object (new or changed), moved in; [`Store::last_change`] has both versions.
    pub fn put(&mut self, obj: Object) {
        self.store.put(obj)
    }

    /// Remove an object (whether it was there); its last-applied manifest is forgotten.
    pub fn remove(&mut self, key: &ObjKey) -> bool {
        self.applied.remove(key);
        self.store.remove(key)
    }

    /// Forget the last-applied manifest of `key` (`kubectl create` records none).
    pub fn forget_applied(&mut self, key: &ObjKey) {
        self.applied.remove(key);
    }

    /// A new object UID (a version-4 UUID from the UID stream).
    pub fn new_uid(&mut self) -> Uid {
        let a = self.uids.next_u64();
        let b = self.uids.next_u64();
        Uid::from(format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a & 0xfff) as u16,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        ))
    }

    /// `generateName: <prefix>`: the prefix and 5 random characters, unused in `ns`.
    pub fn generate_name(&mut self, kind: Kind, ns: &str, prefix: &str) -> String {
        loop {
            let n = format!("{prefix}{}", self.names.string(5));
            if !self.store.contains(&ObjKey::new(kind, ns, &n)) {
                return n;
            }
        }
    }

    /// The manifest `key` was last applied from.
    pub fn applied(&self, key: &ObjKey) -> Option<&Object> {
        self.applied.get(key).map(|o| &**o)
    }

    pub fn record_applied(&mut self, key: ObjKey, obj: Object) {
        // Boxed: the map's entries stay 64 bytes, so growing it moves keys and pointers, not
        // 384-byte objects (at 2,000 applied objects its rehashes were 3 % of the cache misses).
        self.applied.insert(key, Box::new(obj));
    }

    /// The Service CIDR, as the allocator's errors print it.
    pub fn service_cidr(&self) -> String {
        self.service_ips.cidr()
    }

    /// Whether `ip` is in the Service CIDR.
    pub fn in_service_cidr(&self, ip: Ipv4Addr) -> bool {
        self.service_ips.contains(ip)
    }

    /// The `n`th address of the Service CIDR (10.96.0.1 for `kubernetes`, .10 for kube-dns).
    pub fn nth_service_ip(&self, n: u32) -> Ipv4Addr {
        self.service_ips.nth(n)
    }

    /// Registration step 3: a ClusterIP (unless headless or ExternalName) and NodePorts,
    /// keeping what `current` already has, with the API server's errors for taken or
    /// out-of-range requests.
    pub fn allocate_service(&mut self, svc: &mut Service, current: Option<&Service>) -> Result<Allocated, ApiError> {
        let name = svc.meta.name.clone();
        let invalid = |field: String, value: String, detail: String| ApiError::Invalid {
            kind: Kind::Service,
            name: name.to_string(),
            errors: vec![FieldError {
                field,
                kind: FieldErrorKind::Invalid { value, detail },
            }],
        };
        let mut out = Allocated::default();
        if svc.spec.type_ == ServiceType::ExternalName {
            svc.spec.cluster_ip = ClusterIp::Unset;
        } else if let Some(cur) = current.filter(|c| c.spec.cluster_ip != ClusterIp::Unset) {
            if svc.spec.cluster_ip == ClusterIp::Unset {
                svc.spec.cluster_ip = cur.spec.cluster_ip.clone();
            }
        } else {
            match svc.spec.cluster_ip.clone() {
                ClusterIp::None => {}
                ClusterIp::Ip(ip) => match self.service_ips.allocate(ip) {
                    Ok(()) => out.cluster_ip = Some(ip),
                    Err(AllocError::NotInRange) => {
                        return Err(invalid(
                            "spec.clusterIPs".into(),
                            format!("[]string{{\"{ip}\"}}"),
                            format!(
                            "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {}",
                            self.service_ips.cidr()
                        ),
                        ))
                    }
                    Err(_) => {
                        return Err(invalid(
                            "spec.clusterIPs".into(),
                            format!("[]string{{\"{ip}\"}}"),
                            format!("failed to allocate IP {ip}: provided IP is already allocated"),
                        ))
                    }
                },
                ClusterIp::Unset => match self.service_ips.allocate_next(&mut self.cluster_ip_rng) {
                    Ok(ip) => {
                        svc.spec.cluster_ip = ClusterIp::Ip(ip);
                        out.cluster_ip = Some(ip);
                    }
                    Err(_) => {
                        return Err(ApiError::InternalError("failed to allocate a serviceIP: range is full".into()));
                    }
                },
            }
        }
        let wants_node_ports = matches!(svc.spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer);
        for i in 0..svc.spec.ports.len() {
            let previous = current.and_then(|c| {
                c.spec
                    .ports
                    .iter()
                    .find(|p| p.port == svc.spec.ports[i].port && p.protocol == svc.spec.ports[i].protocol)
                    .and_then(|p| p.node_port)
            });
            if !wants_node_ports {
                svc.spec.ports[i].node_port = None;
                continue;
            }
            match (svc.spec.ports[i].node_port, previous) {
                (None, Some(prev)) => svc.spec.ports[i].node_port = Some(prev),
                (Some(want), Some(prev)) if want == prev => {}
                (Some(want), _) => match self.node_ports.allocate(want) {
                    Ok(()) => {}
                    Err(AllocError::NotInRange) => {
                        return Err(invalid(
                            format!("spec.ports[{i}].nodePort"),
                            want.to_string(),
                            format!(
                                "provided port is not in the valid range. The range of valid ports is {}-{}",
                                self.node_ports.first, self.node_ports.last
                            ),
                        ))
                    }
                    Err(_) => {
                        return Err(invalid(
                            format!("spec.ports[{i}].nodePort"),
                            want.to_string(),
                            "provided port is already allocated".into(),
                        ))
                    }
                },
                (None, None) => match self.node_ports.allocate_next(&mut self.node_port_rng) {
                    Ok(p) => svc.spec.ports[i].node_port = Some(p as i64),
                    Err(_) => return Err(ApiError::InternalError("failed to allocate a nodePort: range is full".into())),
                },
            }
        }
        Ok(out)
    }

    /// `dryRun=All`: what [`allocate_service`](Self::allocate_service) would give `svc` (the
    /// API server's dry-run allocators pick from copies), with nothing reserved and no
    /// random stream advanced. `current` is the stored Service an update replaces.
    pub fn dry_run_allocate_service(&self, svc: &mut Service, current: Option<&Service>) -> Result<(), ApiError> {
        let mut scratch = ApiServer {
            store: Store::default(),
            service_ips: self.service_ips.clone(),
            node_ports: self.node_ports.clone(),
            names: self.names.clone(),
            uids: self.uids.clone(),
            cluster_ip_rng: self.cluster_ip_rng.clone(),
            node_port_rng: self.node_port_rng.clone(),
            applied: Default::default(),
        };
        scratch.allocate_service(svc, current).map(|_| ())
    }

    /// An imported Service keeps its ClusterIP and NodePorts: they are marked used, as the
    /// API server's repair loops (`pkg/registry/core/service/ipallocator/controller/repair.go`,
    /// `portallocator/controller/repair.go`) rebuild the allocators from the stored Services.
    /// What could not be reserved (outside the range, or taken by another Service) is returned;
    /// the Service keeps it either way, as repair only reports such a Service.
    pub(crate) fn reserve_service(&mut self, svc: &Service) -> Vec<Reservation> {
        let mut out = Vec::new();
        if let Some(ip) = svc.cluster_ip() {
            if let Err(e) = self.service_ips.allocate(ip) {
                out.push(Reservation::ClusterIp(ip, e));
            }
        }
        for p in &svc.spec.ports {
            if let Some(np) = p.node_port {
                if let Err(e) = self.node_ports.allocate(np) {
                    out.push(Reservation::NodePort(np, e));
                }
            }
        }
        out
    }

    /// A Service is gone: its ClusterIP and NodePorts go back to the allocators.
    pub fn release_service(&mut self, svc: &Service) {
        if let Some(ip) = svc.cluster_ip() {
            self.service_ips.release(ip);
        }
        for p in &svc.spec.ports {
            if let Some(np) = p.node_port {
                self.node_ports.release(np);
            }
        }
    }
}
