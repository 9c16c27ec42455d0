//! The timeline: every change and every lookup, as events labelled with the chapter's steps.
//!
//! Registration steps 1–6 follow the chapter's numbered list (POST, authn/authz/admission,
//! ClusterIP, Endpoints, proxy rules on every node, DNS records); discovery hops follow a lookup
//! from `/etc/resolv.conf` to the Pod that answers. Controllers that run in between (Deployment,
//! ReplicaSet, scheduler, kubelet) get their own label. Each event says what happened and why.

use std::fmt;

use crate::model::ObjKey;
use crate::time::SimTime;

/// The chapter's registration steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reg {
    Post = 1,
    Admission = 2,
    ClusterIp = 3,
    Endpoints = 4,
    ProxyRules = 5,
    DnsRecords = 6,
}

impl Reg {
    pub fn title(self) -> &'static str {
        match self {
            Reg::Post => "POST to the API server",
            Reg::Admission => "authn, authz, admission",
            Reg::ClusterIp => "ClusterIP allocated",
            Reg::Endpoints => "Endpoints from the selector",
            Reg::ProxyRules => "proxy rules on every node",
            Reg::DnsRecords => "DNS records",
        }
    }
}

/// The hops of a discovery: name → IP → packet → Pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    ResolvConf,
    SearchExpansion,
    DnsQuery,
    DnsAnswer,
    PacketToServiceIp,
    DefaultGateway,
    KernelTrap,
    SchedulerPick,
    Dnat,
    DeliverToPod,
    Reply,
}

impl Hop {
    pub fn title(self) -> &'static str {
        match self {
            Hop::ResolvConf => "read /etc/resolv.conf",
            Hop::SearchExpansion => "search-list expansion",
            Hop::DnsQuery => "DNS query",
            Hop::DnsAnswer => "DNS answer",
            Hop::PacketToServiceIp => "packet to the ClusterIP",
            Hop::DefaultGateway => "default gateway",
            Hop::KernelTrap => "node kernel trap",
            Hop::SchedulerPick => "load-balancer pick",
            Hop::Dnat => "DNAT",
            Hop::DeliverToPod => "delivered to the Pod",
            Hop::Reply => "reply",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Registration(Reg),
    Discovery(Hop),
    /// A controller acting between the chapter's steps (deployment, replicaset, scheduler, kubelet…).
    Controller(&'static str),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Registration(r) => write!(f, "registration step {}: {}", *r as u8, r.title()),
            Step::Discovery(h) => write!(f, "discovery: {}", h.title()),
            Step::Controller(c) => write!(f, "{c}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub seq: u64,
    pub time: SimTime,
    pub step: Step,
    /// What happened, one line.
    pub summary: String,
    /// Why it happens (the mechanism), one line.
    pub why: String,
    pub objects: Vec<ObjKey>,
    /// The store's version when this happened: `Store::state_at(store_version)` is the cluster
    /// as it was at this step.
    pub store_version: u64,
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} | why: {}", self.step, self.summary, self.why)
    }
}

/// An append-only event log that keeps the last [`Trace::CAP`] events (sequence numbers keep
/// counting), so a long session cannot grow memory without bound.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    events: Vec<TraceEvent>,
    next_seq: u64,
}

impl Trace {
    pub const CAP: usize = 5000;

    pub fn push(&mut self, time: SimTime, step: Step, summary: String, why: impl Into<String>, objects: Vec<ObjKey>, store_version: u64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.events.push(TraceEvent {
            seq,
            time,
            step,
            summary,
            why: why.into(),
            objects,
            store_version,
        });
        if self.events.len() > 2 * Self::CAP {
            let drop = self.events.len() - Self::CAP;
            self.events.drain(..drop);
        }
    }

    /// The retained events, oldest first.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The event with sequence number `seq`, if still retained.
    pub fn get(&self, seq: u64) -> Option<&TraceEvent> {
        let first = self.events.first()?.seq;
        self.events.get(usize::try_from(seq.checked_sub(first)?).ok()?)
    }

    /// Retained events with `seq >= from`.
    pub fn since_seq(&self, from: u64) -> &[TraceEvent] {
        let first = self.events.first().map_or(self.next_seq, |e| e.seq);
        let skip = usize::try_from(from.saturating_sub(first)).unwrap_or(usize::MAX);
        self.events.get(skip..).unwrap_or(&[])
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_keeps_the_newest_and_seq_keeps_counting() {
        let mut t = Trace::default();
        for i in 0..(2 * Trace::CAP + 1) {
            t.push(SimTime(i as u64), Step::Controller("x"), format!("e{i}"), "", vec![], 0);
        }
        assert_eq!(t.len(), Trace::CAP);
        let last = (2 * Trace::CAP) as u64;
        assert_eq!(t.get(last).map(|e| e.summary.as_str()), Some(format!("e{last}").as_str()));
        assert!(t.get(0).is_none());
        assert_eq!(t.since_seq(last).len(), 1);
        assert_eq!(t.next_seq(), last + 1);
    }
}
