//! The one place where events become words: [`summary`] (what happened, one line), [`why`] (the
//! mechanism, one line), [`chapter_step`] (the chapter's name for the step) and [`correction`]
//! (where the chapter is outdated or wrong, what really happens). The CLI's `--trace`, the
//! page's timeline and `--trace=json` all use these; nothing else writes trace prose.
//! [`hint`] words the page's help for a manifest's problems (`hints::Hint`).

use crate::dns::Rcode;
use crate::hints::Hint;
use crate::model::{Kind, ObjKey};
use crate::proxy::ProxyMode;
use std::fmt;

use crate::trace::*;

/// `service/ent in dev`, `namespace/dev`: how the timeline names an object.
pub fn display_key(k: &ObjKey) -> String {
    if k.namespace.is_empty() {
        format!("{}/{}", k.kind.resource(), k.name)
    } else {
        format!("{}/{} in {}", k.kind.resource(), k.name, k.namespace)
    }
}

fn plural_s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What happened, one line.
pub fn summary(w: &What) -> String {
    use What::*;
    match w {
        Submitted { key } => format!("kubectl sends {} to the API server", display_key(key)),
        Admitted { key } => format!(
            "{} authenticated (minikube client cert), authorized (RBAC), admitted",
            display_key(key)
        ),
        Rejected { key, reason } => format!("the API server refuses {}: {reason}", display_key(key)),
        ClusterIpAllocated { service, ip, .. } => format!("service/{} gets ClusterIP {ip}", service.name),
        EndpointsUpdated {
            endpoints,
            ready,
            not_ready,
            ..
        } => {
            let (name, ns) = (&endpoints.name, &endpoints.namespace);
            if ready.is_empty() {
                format!(
                    "endpoints {name} ({ns}) has no ready addresses{}",
                    if *not_ready > 0 {
                        format!(" ({not_ready} not ready)")
                    } else {
                        String::new()
                    }
                )
            } else {
                let list: Vec<String> = ready.iter().map(Addr::to_string).collect();
                format!("endpoints {name} ({ns}) = {}", list.join(", "))
            }
        }
        SliceUpdated {
            slice,
            ready,
            serving_terminating,
            not_ready,
            ports,
            created,
            ..
        } => {
            let mut parts = Vec::new();
            if !ready.is_empty() {
                parts.push(format!(
                    "ready {}",
                    ready.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
                ));
            }
            if !serving_terminating.is_empty() {
                parts.push(format!(
                    "terminating {}",
                    serving_terminating.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
                ));
            }
            if *not_ready > 0 {
                parts.push(format!("{not_ready} not ready"));
            }
            if parts.is_empty() {
                parts.push("no endpoints".into());
            }
            let ports = if ports.is_empty() {
                String::new()
            } else {
                format!(" on {}", ports.join(", "))
            };
            format!(
                "endpointslice {} ({}) {}: {}{ports}",
                slice.name,
                slice.namespace,
                if *created { "created" } else { "updated" },
                parts.join("; ")
            )
        }
        SliceDeleted { slice, .. } => format!("endpointslice {} ({}) deleted: no longer needed", slice.name, slice.namespace),
        Mirrored {
            endpoints,
            slices,
            endpoint_count,
            ..
        } => format!(
            "endpoints {} ({}) mirrored into {slices} EndpointSlice(s) with {endpoint_count} endpoint(s)",
            endpoints.name, endpoints.namespace
        ),
        RulesProgrammed {
            service,
            mode,
            nodes,
            change,
            differing,
        } => {
            let name = &service.name;
            let line = match change {
                RulesChange::NoClusterIp => {
                    format!("kube-proxy on {nodes} node(s): no virtual server for service/{name} (no ClusterIP)")
                }
                RulesChange::Ipvs { virtual_servers } => {
                    let vs: Vec<String> = virtual_servers
                        .iter()
                        .map(|(k, n)| format!("{k} → {n} real server{}", plural_s(*n)))
                        .collect();
                    format!("kube-proxy on {nodes} node(s) programs IPVS: {}", vs.join("; "))
                }
                RulesChange::Rewritten => format!("kube-proxy on {nodes} node(s) rewrites {mode} rules for service/{name}"),
                RulesChange::Removed => format!("kube-proxy on {nodes} node(s) removes the rules of service/{name}"),
            };
            if differing.is_empty() {
                line
            } else {
                let d: Vec<String> = differing.iter().map(|(n, m)| format!("{n} in {m} mode")).collect();
                format!("{line} (the same Service in their own mode on {})", d.join(", "))
            }
        }
        ProxyRestarted {
            node,
            mode,
            scheduler,
            ports,
        } => {
            let what = match mode {
                ProxyMode::Ipvs => format!("IPVS virtual servers (scheduler {})", scheduler.as_str()),
                ProxyMode::Iptables => "iptables rules".to_string(),
                ProxyMode::Nftables => "nftables rules".to_string(),
            };
            format!("kube-proxy on {node} restarts in {mode} mode and programs {what} for all {ports} Service ports")
        }
        DnsRecords { fqdn, record, .. } => match record {
            ServiceRecord::Cname { target } => format!("CoreDNS now answers {fqdn} with CNAME {target}"),
            ServiceRecord::A { ip } => format!("CoreDNS now answers {fqdn} A {ip}"),
            ServiceRecord::Headless => {
                format!("CoreDNS now answers {fqdn} with one A record per ready endpoint (headless)")
            }
        },
        ReplicaSetCreated {
            deployment,
            replicaset,
            replicas,
            ..
        } => format!(
            "deployment {} creates replicaset {} with {replicas} replicas",
            deployment.name, replicaset.name
        ),
        ReplicaSetScaled {
            deployment,
            replicaset,
            from,
            to,
            ..
        } => format!(
            "deployment {} scales replicaset {} from {from} to {to}",
            deployment.name, replicaset.name
        ),
        PodCreated { replicaset, pod } => format!("replicaset {} creates pod {}", replicaset.name, pod.name),
        PodDeleted { replicaset, pod, .. } => format!("replicaset {} deletes pod {}", replicaset.name, pod.name),
        Scheduled { pod, node, .. } => format!("pod {} ({}) scheduled to node {node}", pod.name, pod.namespace),
        Unschedulable { pod, message } => format!("pod {} ({}) stays Pending: {message}", pod.name, pod.namespace),
        PodIpAssigned { pod, node, ip, .. } => format!("kubelet on {node} gives pod {} IP {ip}", pod.name),
        SandboxFailed { pod, node, problem } => match problem {
            SandboxProblem::NoAddresses { range } => {
                format!("kubelet on {node} cannot give pod {} an IP: {range} is used up", pod.name)
            }
            SandboxProblem::NetworkNotReady => {
                format!("kubelet on {node} cannot start pod {}: the node's network is not ready", pod.name)
            }
        },
        ImageChanged { pod, containers } => format!(
            "pod {} ({}) restarts {containers} container(s) with a new image",
            pod.name, pod.namespace
        ),
        MainProcessExited {
            pod,
            code,
            restarted: true,
            ..
        } => format!(
            "pod {} ({}): its main process exited ({code}); the kubelet restarts the container",
            pod.name, pod.namespace
        ),
        MainProcessExited { pod, code, .. } => format!(
            "pod {} ({}) is {}: its main process exited ({code})",
            pod.name,
            pod.namespace,
            if *code == 0 { "Completed" } else { "Error" }
        ),
        PodRunning { pod, ready } => format!(
            "pod {} ({}) is Running{}",
            pod.name,
            pod.namespace,
            if *ready { " and Ready" } else { "" }
        ),
        PodReady { pod } => format!("pod {} ({}) is Ready", pod.name, pod.namespace),
        PodTerminating {
            pod,
            grace_seconds,
            exits_after_seconds,
        } => format!(
            "pod {} ({}) is Terminating (grace period {grace_seconds}s, containers exit after {exits_after_seconds}s)",
            pod.name, pod.namespace
        ),
        NoPodCidr { node, cluster_cidr, mask } => format!("node {node} gets no Pod CIDR: {cluster_cidr} has no /{mask} left"),
        TunnelIngress { service, ip } => format!(
            "minikube tunnel patched {}/{}: LoadBalancer ingress {ip}",
            service.namespace, service.name
        ),
        RealServerDraining {
            node,
            virtual_server,
            real_server,
            ..
        } => {
            format!("kube-proxy on {node} sets real server {real_server} of {virtual_server} to weight 0: connections to it are still open")
        }
        RealServerDeleted {
            node,
            virtual_server,
            real_server,
        } => format!("kube-proxy on {node} deletes real server {real_server} of {virtual_server}: its last connection has expired"),
        ProxyCleanup { node, cleanup, .. } => match cleanup {
            Cleanup::DeletedVirtualServer { virtual_server } => {
                format!("kube-proxy on {node} deletes virtual server {virtual_server}: it is not one of its Services")
            }
            Cleanup::KeptExcluded { virtual_server } => {
                format!("kube-proxy on {node} keeps virtual server {virtual_server}: its address is in --ipvs-exclude-cidrs")
            }
            Cleanup::UnboundAddress { address } => {
                format!("kube-proxy on {node} removes {address} from kube-ipvs0: it binds only its Services' addresses")
            }
            Cleanup::Restored => format!("kube-proxy on {node} puts its virtual servers and kube-ipvs0 addresses back"),
        },
        BootstrapFailed { key, error } => format!("could not create {key}: {error}"),
        SnapshotImported {
            objects,
            nodes,
            not_imported,
        } => format!(
            "snapshot imported: {objects} objects on {nodes} node{}, {not_imported} not imported",
            plural_s(*nodes)
        ),
        ResolvConfRead {
            pod,
            nameservers,
            search,
            ndots,
        } => format!(
            "{} reads /etc/resolv.conf: nameserver {}, search {}, ndots:{ndots}",
            pod.name,
            nameservers.join(" "),
            search.join(" ")
        ),
        SearchExpanded { candidates, .. } => format!("candidates: {}", candidates.join(", ")),
        QuerySent {
            qname,
            qtype,
            server,
            coredns_pod,
        } => {
            let by = coredns_pod.as_ref().map(|p| format!(" (CoreDNS pod {p})")).unwrap_or_default();
            format!("{qtype}? {qname} → {server}:53/UDP{by}")
        }
        QueryTimedOut { qname, qtype, server } => format!("{qtype}? {qname} → {server}:53/UDP: no answer (timeout)"),
        Answered { qname, rcode, answers, .. } => match (rcode, answers.is_empty()) {
            (Rcode::NoError, false) => format!("{qname} → {}", answers.join(", ")),
            (Rcode::NoError, true) => format!("{qname}: NOERROR, no records of that type (NODATA)"),
            (rc, _) => format!("{qname}: {rc}"),
        },
        PacketSent { client, src, dst, .. } => format!("{client} ({}) sends a TCP SYN to {dst}", src.0),
        HostRouted { dst, route } => match route {
            HostRoute::Direct => format!("your machine reaches {dst} directly on the minikube network"),
            HostRoute::Tunnel { via, node } => {
                format!("your machine routes {dst} via {via} (node {node}): minikube tunnel's route 10.96.0.0/12")
            }
            HostRoute::None { .. } => {
                format!("your machine has no route to {dst}: the SYN leaves by its default route and is lost")
            }
        },
        ToDefaultGateway { dst, gateway, node } => {
            format!("no route to {dst} in the Pod: out eth0 to the default gateway {gateway} (node {node}'s bridge)")
        }
        Masqueraded { from, to } => {
            format!("traffic from outside the cluster is masqueraded: source {from} becomes {to}")
        }
        NotTrapped { node, dst, mode, miss } => {
            let (ip, port) = (dst.0, dst.1);
            match miss {
                Miss::NotLocal => format!("{ip} is not a local address on {node}: no rule traps it"),
                Miss::NoVirtualServer => {
                    format!("{ip} is local on {node} but no IPVS virtual server has port {port} and nothing listens: RST")
                }
                Miss::NoRule => format!("no {mode} rule matches {dst} on node {node}"),
                Miss::NftablesReject => {
                    format!("no nftables rule matches {dst}: kube-proxy's cluster-ips-check rejects it")
                }
                Miss::PortNotExposed => format!("no {mode} rule matches {dst}"),
            }
        }
        IpvsTrapped { node, dst, entry, .. } => {
            let (ip, port) = (dst.0, dst.1);
            match entry {
                IpvsEntry::LocalOut => format!(
                    "node {node}'s kernel: a local process connects to {dst}; IPVS sees it at LOCAL_OUT and has a virtual server for it"
                ),
                IpvsEntry::NodePort => format!(
                    "node {node}'s kernel: {ip} is the node's own address and IPVS has a virtual server for TCP {ip}:{port} (a NodePort)"
                ),
                IpvsEntry::HandBuilt | IpvsEntry::KubeIpvs0 => {
                    format!("node {node}'s kernel: {ip} is bound to kube-ipvs0, so IPVS intercepts TCP {ip}:{port}")
                }
            }
        }
        NoRealServer {
            virtual_server,
            real_servers,
            ..
        } => format!(
            "virtual server {virtual_server} has {real_servers} real server{}, none with weight > 0: nothing to pick, the node answers RST",
            plural_s(*real_servers)
        ),
        IpvsPicked { scheduler, picked, .. } => format!("IPVS ({}) picks {picked}", scheduler.as_str()),
        RuleTrapped {
            node,
            dst,
            mode,
            front,
            service,
        } => {
            let (ip, port, svc) = (dst.0, dst.1, &service.name);
            match (mode, front) {
                (ProxyMode::Nftables, RuleFront::ClusterIp) => {
                    format!("node {node}'s kernel: nftables map @service-ips matches {ip} . tcp . {port} for service {svc}")
                }
                (ProxyMode::Nftables, RuleFront::NodePort) => {
                    format!("node {node}'s kernel: nftables map @service-nodeports matches tcp . {port} for service {svc}")
                }
                (_, RuleFront::NodePort) => {
                    format!("node {node}'s kernel: iptables KUBE-NODEPORTS matches {dst} for service {svc}")
                }
                _ => format!("node {node}'s kernel: iptables KUBE-SERVICES matches {dst} for service {svc}"),
            }
        }
        RuleRejected { .. } => "no endpoints: the REJECT rule answers ICMP port unreachable".into(),
        AffinityKept { client, picked, .. } => format!("{client} was seen recently: affinity keeps {picked}"),
        RandomPick { picked, endpoints, .. } => format!("random pick {picked} (1 of {endpoints})"),
        Dnat { from, to, ipvs: true } => format!("destination rewritten {from} → {to} (masquerade forwarding)"),
        Dnat { from, to, ipvs: false } => format!("DNAT {from} → {to}"),
        Refused { pod, at } => format!("nothing listens on {at} in pod {}: the kernel answers RST", pod.name),
        Delivered { pod, at, path, .. } => {
            let how = match path {
                Path::SameNode { node } => format!("across node {node}'s bridge"),
                Path::Routed {
                    from_node,
                    cidr,
                    via,
                    to_node,
                } => format!("routed by {from_node}'s route {cidr} via {via} to node {to_node}, then its bridge"),
            };
            format!("delivered to pod {} ({at}) {how}", pod.name)
        }
        Replied { from, as_from } => format!("the reply from {from} is un-DNATed to come from {as_from}"),
        Echo { src, dst, outcome } => match outcome {
            EchoOutcome::NodeReplied { node } => format!("node {node} answers the echo request from {src}"),
            EchoOutcome::PodReplied { pod } => format!("pod {pod} answers the echo request from {src}"),
            EchoOutcome::IpvsFilterRejected { node } => {
                format!("{dst} is local on {node} (kube-ipvs0), but KUBE-IPVS-FILTER rejects the echo: port unreachable")
            }
            EchoOutcome::IptablesLost { node } => {
                format!("no rule matches ICMP to {dst}: {node} forwards it by its default route and it is lost")
            }
            EchoOutcome::NftablesRejected => {
                format!("kube-proxy's cluster-ips-check rejects the echo to {dst}: port unreachable")
            }
            EchoOutcome::Nobody => {
                format!("nothing in the cluster has {dst}: the echo request leaves by the default route")
            }
        },
    }
}

/// Why it happens (the mechanism), one line.
pub fn why(w: &What) -> String {
    use What::*;
    let s: &str = match w {
        Submitted { key } => match key.kind {
            Kind::Service => "registration starts with a Service manifest POSTed (or PATCHed) to the API server",
            _ => "every change to the cluster is a request to the API server",
        },
        Admitted { .. } => "the API server checks who you are, whether you may do this, and runs admission plugins and validation before storing anything",
        Rejected { .. } => "admission failed, so nothing is stored and no controller ever sees the object",
        ClusterIpAllocated { service_cidr, .. } => {
            return format!(
                "a stable virtual IP from the service CIDR {service_cidr}: no interface owns it until kube-proxy claims it on every node"
            )
        }
        EndpointsUpdated { selector, .. } => {
            return format!(
                "the endpoints controller lists Pods matching the selector {} that have an IP; only Ready ones receive traffic",
                selector.join(",")
            )
        }
        SliceUpdated { service, .. } => {
            return format!(
                "the EndpointSlice controller writes service/{}'s selected Pods with their conditions (ready, serving, terminating), grouped by port set; kube-proxy and CoreDNS read these",
                service.name
            )
        }
        SliceDeleted { .. } => "the EndpointSlice controller keeps only as many slices as the endpoints need (100 per slice)",
        Mirrored { .. } => "the Service has no selector, so its Endpoints are written by hand; kube-proxy and CoreDNS read EndpointSlices, and the mirroring controller copies them there",
        RulesProgrammed { mode, .. } => match mode {
            ProxyMode::Ipvs => "every node must trap traffic to the ClusterIP: the IP goes on kube-ipvs0 and an IPVS virtual server balances over the ready endpoints",
            ProxyMode::Iptables => "every node must trap traffic to the ClusterIP: KUBE-SERVICES jumps to a KUBE-SVC chain that DNATs to a random KUBE-SEP",
            ProxyMode::Nftables => "every node must trap traffic to the ClusterIP: a verdict map sends it to a chain that DNATs with numgen random",
        },
        ProxyRestarted { .. } => "a restarted kube-proxy lists every Service and EndpointSlice and rebuilds the node's rules from them (one full sync)",
        DnsRecords { srv, .. } => {
            return if srv.is_empty() {
                "CoreDNS watches Services through the API server and serves records from its cache; no named ports, so no SRV records".to_string()
            } else {
                format!(
                    "CoreDNS watches Services through the API server; named ports also get SRV records: {}",
                    srv.join(", ")
                )
            }
        }
        ReplicaSetCreated { pod_template_hash, .. } => {
            return format!("a ReplicaSet per Pod template; {pod_template_hash} is the pod-template-hash (FNV-32a of the template)")
        }
        ReplicaSetScaled { reason, .. } => match reason {
            ScaleReason::ReplicasDown => "the Deployment's replicas went down",
            ScaleReason::ReplicasUp => "the Deployment's replicas went up",
            ScaleReason::SurgeNew => "rolling update: the new ReplicaSet grows within maxSurge (25%, rounded up)",
            ScaleReason::UnhealthyOld => "rolling update: unavailable old Pods go first",
            ScaleReason::RetireOld => {
                "rolling update: old Pods go as new ones become available, within maxUnavailable (25%, rounded down)"
            }
        },
        PodCreated { .. } => "Pod names are the ReplicaSet's name plus 5 random characters (generateName)",
        PodDeleted { wanted, .. } => return format!("it has more Pods than the {wanted} it wants"),
        Scheduled { ties, .. } => {
            if *ties > 1 {
                "nodes with equal scores: kube-scheduler picks one at random"
            } else {
                "the least-loaded node that fits"
            }
        }
        Unschedulable { .. } => "no node passes the filters (a node holds at most 110 Pods; a NotReady node is tainted): the Pod waits in the scheduler's queue and is tried again when a Pod leaves a full node",
        PodIpAssigned { host_network, .. } => {
            if *host_network {
                "hostNetwork: the Pod shares the node's network namespace and IP"
            } else {
                "the CNI plugin takes the next free address from the node's Pod CIDR and sets the bridge as default gateway"
            }
        }
        SandboxFailed { .. } => "the CNI plugin's host-local IPAM hands out the node's Pod CIDR one address per sandbox; when none is left (or the node has no Pod CIDR) the sandbox fails and the kubelet retries after a back-off, leaving the Pod ContainerCreating without an IP",
        ImageChanged { .. } => "a Pod's container image is the one field that can change in place: the kubelet kills the container and starts it from the new image; the Pod leaves its Services' endpoints until Ready again",
        MainProcessExited {
            restart_policy,
            restarted,
            ..
        } => {
            return if *restarted {
                format!("restartPolicy {restart_policy}: a container that exits is started again (RESTARTS counts it)")
            } else {
                format!("restartPolicy {restart_policy}: the container is not restarted; a finished Pod receives no Service traffic")
            }
        }
        PodRunning { ready, .. } => {
            if *ready {
                "no readiness probe: Ready as soon as the containers start"
            } else {
                "Running, but not Ready until the readiness probe passes"
            }
        }
        PodReady { .. } => "the readiness probe passed",
        PodTerminating { .. } => "deletion sets a deletionTimestamp: the Pod leaves Service endpoints now and the kubelet sends SIGTERM",
        NoPodCidr { .. } => "kube-controller-manager cuts one subnet of --cluster-cidr per node; without one the node's CNI has no range, so the node stays NotReady and only host-network Pods run there",
        TunnelIngress { .. } => "minikube's load-balancer emulator sets a LoadBalancer Service's ingress IP to its ClusterIP",
        RealServerDraining { .. } => "graceful termination: new connections no longer go there, existing ones finish; it is deleted once they have expired",
        RealServerDeleted { .. } => "graceful termination: a removed endpoint stays at weight 0 while connections use it, and goes at the next check (every minute) after they end",
        ProxyCleanup { cleanup, sync, .. } => {
            let when = match sync {
                SyncKind::AfterChange => "its sync after this change",
                SyncKind::Periodic => "its periodic sync (every 30 s)",
            };
            return match cleanup {
                Cleanup::DeletedVirtualServer { .. } => format!("kube-proxy owns IPVS on the node: {when} deletes every virtual server it did not create (cleanLegacyService), unless its address is in --ipvs-exclude-cidrs"),
                Cleanup::KeptExcluded { .. } => format!("{when} leaves hand-made virtual servers in the excluded ranges alone"),
                Cleanup::UnboundAddress { .. } => format!("{when} unbinds superfluous addresses from the dummy interface"),
                Cleanup::Restored => format!("{when} recreates whatever it owns that was deleted by hand"),
            };
        }
        BootstrapFailed { .. } => "bug",
        SnapshotImported { .. } => "a real cluster's `kubectl get … -o yaml` was loaded as it was: names, UIDs, IPs, ClusterIPs and NodePorts kept and reserved in the allocators, ReplicaSets adopted by their Deployments, the clock at the snapshot's newest timestamp; what sdplay does not model is listed in the import report",
        ResolvConfRead { .. } => "kubelet wrote this file when the Pod started (dnsPolicy ClusterFirst): the cluster DNS Service's IP and the namespace's search domains",
        SearchExpanded {
            name, dots, ndots, musl, ..
        } => {
            return if name.ends_with('.') {
                "a trailing dot makes the name absolute: no search domains".to_string()
            } else if dots < ndots {
                format!(
                    "{dots} dot(s) < ndots:{ndots}: try each search domain first, then the name as-is{}",
                    if *musl { " (musl)" } else { " (glibc)" }
                )
            } else {
                format!("{dots} dot(s) ≥ ndots:{ndots}: try the name as-is first")
            }
        }
        QuerySent { .. } => "the query goes to the kube-dns ClusterIP; kube-proxy forwards it to a CoreDNS Pod like any Service traffic",
        QueryTimedOut { .. } => "no ready CoreDNS Pod behind kube-dns: the query is never answered",
        Answered {
            rcode,
            answers,
            authoritative,
            ..
        } => match (rcode, answers.is_empty()) {
            (Rcode::NoError, false) if *authoritative => "the kubernetes plugin answers from the Services it watches (authoritative)",
            (Rcode::NoError, false) => {
                "outside the cluster zone: CoreDNS forwards the query upstream (forward . /etc/resolv.conf); not authoritative"
            }
            (Rcode::NxDomain, _) => "no such name in the cluster zone (or upstream): the resolver moves on to the next candidate",
            _ => "the name exists but has no record of this type",
        },
        PacketSent { destination, .. } => match destination {
            Destination::TunnelledService => "the EXTERNAL-IP kubectl showed, which minikube tunnel made the Service's ClusterIP",
            Destination::Service => "the app connects to the IP DNS gave it: a ClusterIP on the service network",
            Destination::NodeAddress => "a connection to the node's own address: a NodePort if kube-proxy opened one",
            Destination::Direct => "a direct connection",
        },
        HostRouted { route, .. } => match route {
            HostRoute::Direct => "the nodes' addresses are on a network your machine is attached to",
            HostRoute::Tunnel { .. } => "minikube tunnel adds a host route for the service network through the minikube node",
            HostRoute::None { service_network: true } => "ClusterIPs are only reachable from outside while `minikube tunnel` runs",
            HostRoute::None { service_network: false } => "Pod IPs are not routed outside the cluster",
        },
        ToDefaultGateway { .. } => "the service network has no routes anywhere; the Pod only knows its own subnet and a default route",
        Masqueraded { .. } => "kube-proxy marks external traffic for SNAT so replies come back through this node",
        NotTrapped { miss, .. } => match miss {
            Miss::NotLocal => "only addresses kube-proxy binds are trapped",
            Miss::NoVirtualServer => "the address is local to the node (on kube-ipvs0 or eth0), but no Service exposes that port on it",
            Miss::NoRule => "nothing listens there and no kube-proxy rule traps it",
            Miss::NftablesReject => "nftables mode rejects traffic to a ClusterIP on a port the Service does not expose",
            Miss::PortNotExposed => "the Service does not expose that port; the packet is dropped",
        },
        IpvsTrapped { entry, .. } => match entry {
            IpvsEntry::LocalOut => "packets a node sends itself enter IPVS on the way out (ip_vs_local_request4), so a virtual server matches even if its address is on no interface",
            IpvsEntry::NodePort => "kube-proxy made a virtual server for every NodePort on each node address",
            IpvsEntry::HandBuilt => "a virtual server built by hand: IPVS takes packets for it once its address is local",
            IpvsEntry::KubeIpvs0 => "kube-proxy put every ClusterIP on the kube-ipvs0 dummy interface and made a virtual server for each port",
        },
        NoRealServer { .. } => "a Service with no ready endpoints keeps its virtual server but has no real servers",
        IpvsPicked { reason, .. } => return reason.clone(),
        RuleTrapped { .. } => "kube-proxy's rules in the nat table's prerouting/output hooks catch Service traffic",
        RuleRejected { .. } => "a Service without endpoints is rejected in iptables/nftables mode",
        AffinityKept { mode, .. } => {
            if *mode == ProxyMode::Iptables {
                "sessionAffinity ClientIP: the KUBE-SVC chain's `-m recent --rcheck` rule for this endpoint matches first"
            } else {
                "sessionAffinity ClientIP: the client is in the endpoint's affinity set"
            }
        }
        RandomPick { mode, .. } => {
            if *mode == ProxyMode::Iptables {
                "each KUBE-SEP rule matches with probability 1/(n−i): a uniform random choice"
            } else {
                "numgen random mod N indexes the endpoint map"
            }
        }
        Dnat { ipvs: true, .. } => "IPVS NAT mode rewrites the destination to the chosen Pod",
        Dnat { ipvs: false, .. } => "the KUBE-SEP chain rewrites the destination",
        Refused { .. } => "a Service's targetPort must be a port the container really listens on",
        Delivered { translated, .. } => {
            if *translated {
                "after DNAT the packet is ordinary Pod-to-Pod traffic on the flat Pod network"
            } else {
                "Pod-to-Pod traffic on the flat Pod network: no translation on the way"
            }
        }
        Replied { .. } => "conntrack remembers the translation, so the client only ever talks to the address it dialled",
        Echo { outcome, .. } => match outcome {
            EchoOutcome::NodeReplied { .. } => "a node's own address answers ICMP like any host",
            EchoOutcome::PodReplied { .. } => "Pod IPs are real interfaces on the flat Pod network",
            EchoOutcome::IpvsFilterRejected { .. } => "IPVS only load-balances service ports; kube-proxy (since 1.27) REJECTs any other new traffic to its addresses",
            EchoOutcome::IptablesLost { .. } => "a ClusterIP is only a DNAT rule for its TCP/UDP ports; nothing owns the address",
            EchoOutcome::NftablesRejected => "nftables mode rejects traffic to a ClusterIP that matches no service port",
            EchoOutcome::Nobody => "sdplay simulates no hosts outside the cluster",
        },
    };
    s.to_string()
}

/// The chapter's name for a step (its numbered registration list and its discovery walk), or
/// `None` for what the chapter does not describe (the controllers in between).
pub fn chapter_step(step: Step) -> Option<&'static str> {
    match step {
        Step::Registration(r) => Some(match r {
            Reg::Post => "1. You POST a new Service configuration to the API Server",
            Reg::Admission => "2. The request is authenticated and authorized",
            Reg::ClusterIp => "3. The Service is allocated a ClusterIP",
            Reg::Endpoints => "4. An associated Endpoints object is created",
            Reg::ProxyRules => "5. kube-proxy creates IPVS rules on every node",
            Reg::DnsRecords => "6. The cluster DNS registers A and SRV records",
        }),
        Step::Discovery(h) => Some(match h {
            Hop::ResolvConf => "the container's /etc/resolv.conf",
            Hop::SearchExpansion => "search domains appended to unqualified names",
            Hop::DnsQuery | Hop::DnsAnswer => "DNS returns the ClusterIP",
            Hop::PacketToServiceIp => "the app sends traffic to the ClusterIP",
            Hop::DefaultGateway => "en route to the node's default gateway",
            Hop::KernelTrap => "the traffic triggers a trap in the node's kernel",
            Hop::SchedulerPick | Hop::Dnat | Hop::DeliverToPod | Hop::Reply => "redirected to one of the Pods",
        }),
        Step::Controller(_) => None,
    }
}

/// Where the chapter is outdated or wrong about this event, what real clusters do instead.
pub fn correction(w: &What) -> Option<&'static str> {
    use What::*;
    match w {
        EndpointsUpdated { .. } => Some(
            "the chapter says kube-proxy (or the kubelet) watches Endpoints; since Kubernetes 1.21 kube-proxy, and since CoreDNS 1.8 the cluster DNS, read EndpointSlices, which the EndpointSlice controller writes beside the Endpoints",
        ),
        SliceUpdated { .. } => Some(
            "the chapter names only the Endpoints object; the EndpointSlices are what kube-proxy and the cluster DNS read",
        ),
        RulesProgrammed { mode, .. } => match mode {
            ProxyMode::Ipvs => Some(
                "the chapter says IPVS replaced iptables in 1.11; IPVS mode went GA then, but iptables stayed kube-proxy's default, nftables mode arrived in 1.29 and IPVS mode was deprecated in 1.35; it is kube-proxy, not the kubelet, that writes the rules",
            ),
            _ => Some("it is kube-proxy, not the kubelet, that writes the rules; iptables is still its default mode"),
        },
        DnsRecords { srv, .. } if srv.is_empty() => {
            Some("the chapter says A and SRV records; SRV records exist only for named ports")
        }
        SearchExpanded { .. } => Some(
            "the chapter says the container appends dev.svc.cluster.local; the resolver tries every search domain in order (ndots decides whether before or after the name as-is) and asks A and AAAA for each",
        ),
        IpvsTrapped { .. } => Some(
            "the chapter says the trap happens en route to the default gateway; in IPVS mode the ClusterIP is a local address (kube-ipvs0), so the packet is taken on input, or at LOCAL_OUT for a node's own processes",
        ),
        _ => None,
    }
}

/// The words of an event (the trace holds data only; the words are made here).
impl TraceEvent {
    /// What happened, one line.
    pub fn summary(&self) -> String {
        summary(&self.what)
    }

    /// Why it happens (the mechanism), one line.
    pub fn why(&self) -> String {
        why(&self.what)
    }

    /// Where the chapter is outdated or wrong about this, what real clusters do.
    pub fn correction(&self) -> Option<&'static str> {
        correction(&self.what)
    }

    /// The chapter's name for this step (`None` for the controllers in between).
    pub fn chapter(&self) -> Option<&'static str> {
        chapter_step(self.step())
    }

    /// One line of `--trace=json` (schema in the README): the envelope, the words, and the
    /// event's own fields under `data`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut data = serde_json::to_value(&self.what).unwrap_or(serde_json::Value::Null);
        let kind = data
            .as_object_mut()
            .and_then(|o| o.remove("type"))
            .unwrap_or(serde_json::Value::Null);
        let objects: Vec<String> = self.objects().iter().map(key_id).collect();
        serde_json::json!({
            "seq": self.seq,
            "time_ms": self.time.0,
            "command": self.command,
            "step": self.step().slug(),
            "type": kind,
            "from": self.from.as_ref().map(Element::id),
            "to": self.to.as_ref().map(Element::id),
            "flow": self.flow,
            "objects": objects,
            "summary": self.summary(),
            "why": self.why(),
            "chapter": chapter_step(self.step()),
            "correction": correction(&self.what),
            "store_version": self.store_version,
            "data": data,
        })
    }
}

/// `[step] summary | why: why`: the CLI's `--trace` line and the transcripts'.
impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} | why: {}", self.step(), self.summary(), self.why())
    }
}

/// The page's help for a manifest problem (never printed in the terminal, which keeps
/// kubectl's words).
pub fn hint(h: &Hint) -> String {
    match h {
        Hint::IndentUnder {
            key,
            line,
            parent,
            parent_line,
        } => {
            let last = parent.rsplit('.').next().unwrap_or(parent);
            format!(
                "hint: `{key}:` (line {line}) belongs under `{last}:` (line {parent_line}, field {parent}); indent it further than `{last}:`. YAML nests a key only when it is indented more than the one above it, so here `{key}` is read as a field of the object around `{last}`, which does not have it"
            )
        }
        Hint::SelectorMatchesNothing { service, selector, pods } => {
            let listed: Vec<String> = pods.iter().map(|(name, labels)| format!("{name} ({labels})")).collect();
            format!(
                "hint: Service {service} selects {selector}, but the Pods in this file with those label keys have other values: {}. Its endpoints stay empty until a Pod has every label of the selector (keys and values match exactly)",
                listed.join(", ")
            )
        }
    }
}

/// The words of a snapshot import's report (the CLI prints it before the transcript, the page
/// in the terminal): what was imported, where each setting came from, what was not imported
/// and why, and what the import adjusted.
pub fn snapshot_report(r: &crate::snapshot::Report, file: &str) -> String {
    use crate::snapshot::{Note, Source, Why};
    let cidr = |(ip, p): (std::net::Ipv4Addr, u8)| format!("{ip}/{p}");
    let source = |s: &Source| match s {
        Source::ServiceCidrObject(n) => format!("ServiceCIDR {n}"),
        Source::Flag { pod, flag } => format!("{flag} of Pod kube-system/{pod}"),
        Source::KubeProxyConfig(key) => format!("{key} in ConfigMap kube-system/kube-proxy"),
        Source::KubernetesService => "inferred from Service default/kubernetes".into(),
        Source::NodePodCidrs => "inferred from the nodes' podCIDRs".into(),
        Source::Corefile => "the Corefile's kubernetes zone".into(),
        Source::KubernetesEndpoints => "the endpoints of Service default/kubernetes".into(),
        Source::ControlPlaneNode => "a control-plane node's InternalIP, kubeadm's port 6443".into(),
        Source::KindProviderId => "the nodes' providerID".into(),
        Source::MinikubeLabel => "the nodes' minikube.k8s.io/name label".into(),
        Source::Default => "not in the snapshot: upstream's default".into(),
    };
    let mut out = format!("Imported snapshot {file}:\n");
    for (name, ip, pod_cidr) in &r.nodes {
        out.push_str(&format!(
            "  node {name}: {ip}, podCIDR {}\n",
            pod_cidr.as_deref().unwrap_or("<none>")
        ));
    }
    let counts: Vec<String> = r
        .imported
        .iter()
        .map(|(k, n)| match (k, n) {
            (Kind::Endpoints, _) | (_, 1) => format!("{n} {}", k.name()),
            _ => format!("{n} {}s", k.name()),
        })
        .collect();
    out.push_str(&format!("  objects: {}\n", counts.join(", ")));
    out.push_str(&format!(
        "  Service CIDR {} ({})\n",
        cidr(r.service_cidr.0),
        source(&r.service_cidr.1)
    ));
    out.push_str(&format!(
        "  cluster CIDR {}, /{} per node ({})\n",
        cidr(r.cluster_cidr.0),
        r.cluster_cidr.1,
        source(&r.cluster_cidr.2)
    ));
    let sched = if r.proxy.0 == ProxyMode::Ipvs {
        format!(", scheduler {}", r.proxy.1.as_str())
    } else {
        String::new()
    };
    out.push_str(&format!("  kube-proxy: {}{sched} ({})\n", r.proxy.0, source(&r.proxy.2)));
    out.push_str(&format!(
        "  CoreDNS: {}; cluster domain {} ({})\n",
        if r.corefile {
            "the Corefile of ConfigMap kube-system/coredns"
        } else {
            "no coredns ConfigMap: CoreDNS has no Corefile"
        },
        r.cluster_domain.0,
        source(&r.cluster_domain.1)
    ));
    out.push_str(&format!("  API server {} ({})\n", r.api_server.0, source(&r.api_server.1)));
    use crate::cluster::Platform;
    match &r.platform.0 {
        Platform::Kind { provider, cluster } => out.push_str(&format!(
            "  nodes: containers of kind cluster {cluster} ({}): {provider} exec -it NODE bash opens a node's shell\n",
            source(&r.platform.1)
        )),
        Platform::Minikube { profile } => {
            let p = if profile == "minikube" {
                String::new()
            } else {
                format!(" -p {profile}")
            };
            out.push_str(&format!(
                "  nodes: minikube profile {profile} ({}): minikube{p} ssh [-n NODE] opens a node's shell\n",
                source(&r.platform.1)
            ));
        }
        Platform::Other => {
            out.push_str("  nodes: neither kind's nor minikube's (no providerID kind://, no minikube.k8s.io/name label): no node shell\n")
        }
    }
    for (ns, d, rs) in &r.adopted {
        out.push_str(&format!(
            "  Deployment {ns}/{d}: ReplicaSet {rs} adopted (same template), no rollout\n"
        ));
    }
    match &r.clock {
        Some(t) => out.push_str(&format!(
            "  clock: {t}, the snapshot's newest timestamp (AGE as on the cluster then)\n"
        )),
        None => out.push_str("  clock: the snapshot has no timestamps; the cluster starts now\n"),
    }
    if !r.not_imported.is_empty() {
        out.push_str(&format!("Not imported ({}):\n", r.not_imported.len()));
        for n in &r.not_imported {
            let at = if n.namespace.is_empty() {
                format!("{} {}", n.kind, n.name)
            } else {
                format!("{} {}/{}", n.kind, n.namespace, n.name)
            };
            let why = match &n.why {
                Why::OwnedBy { kind, name } => format!("owned by {kind} {name}, a controller sdplay does not model"),
                Why::KindNotModelled { api_version } => format!("{api_version} {} is not modelled", n.kind),
                Why::ReadForSettings => "read for the Service CIDR, not stored".into(),
                Why::Ipv6 => "IPv6: the simulated cluster is IPv4 only".into(),
                Why::AddressType(t) => format!("addressType {t} is not modelled"),
                Why::NoIpv4InternalIp => "no IPv4 InternalIP".into(),
                Why::NodeNotImported(node) => format!("on node {node}, which was not imported"),
                Why::Unreadable(e) => format!("could not be read: {e}"),
                Why::Duplicate => "listed twice; the first is kept".into(),
            };
            out.push_str(&format!("  {at}: {why}\n"));
        }
    }
    if !r.notes.is_empty() {
        out.push_str("Notes:\n");
        for n in &r.notes {
            let line = match n {
                Note::DualStack { key } => format!("{key}: dual-stack, only its IPv4 family is modelled"),
                Note::ClusterIpNotReserved { service, ip, outside } => format!(
                    "{service}: ClusterIP {ip} kept but not reserved ({})",
                    if *outside { "outside the Service CIDR" } else { "already taken" }
                ),
                Note::NodePortNotReserved { service, port, outside } => format!(
                    "{service}: nodePort {port} kept but not reserved ({})",
                    if *outside { "outside 30000-32767" } else { "already taken" }
                ),
                Note::PodIpNotReserved { pod, ip, node } => {
                    format!("{pod}: IP {ip} kept but not reserved (not a free address of node {node}'s podCIDR)")
                }
                Note::NodeCidrNotReserved { node, cidr } => {
                    format!("node {node}: podCIDR {cidr} is not a free subnet of the cluster CIDR; kept")
                }
                Note::NodeWithoutPodCidr { node } => format!("node {node} has no podCIDR: Pods there get no address"),
                Note::NamespaceAdded { namespace } => format!("namespace {namespace} was not in the snapshot; created for its objects"),
                Note::PodStarting { pod } => format!("{pod} was not running yet: the simulated kubelet starts it"),
                Note::ProxyModeNotModelled { mode } => format!("kube-proxy mode {mode:?} is not modelled: iptables instead"),
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// Why a snapshot could not be loaded, as the CLI and the page say it.
pub fn snapshot_error(e: &crate::snapshot::SnapshotError, file: &str) -> String {
    use crate::snapshot::SnapshotError;
    match e {
        SnapshotError::Yaml(y) => format!("{file}: not YAML: line {}: {}", y.pos.line, y.message),
        SnapshotError::NoObjects => format!("{file}: no objects (expected the List that `kubectl get … -o yaml` prints)"),
        SnapshotError::NoNodes => format!("{file}: no Node with an IPv4 InternalIP (take the snapshot with `kubectl get nodes,…`)"),
        SnapshotError::TooManyNodes(n) => format!("{file}: {n} nodes; sdplay simulates at most {}", crate::cluster::MAX_NODES),
    }
}
