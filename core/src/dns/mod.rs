//! DNS as typed data: names, record types, records and responses (RFC 1035 terms), plus the
//! cluster DNS server ([`kubernetes`]: CoreDNS's kubernetes plugin over the store) and the
//! simulated upstream that `forward . /etc/resolv.conf` reaches ([`upstream`]), and CoreDNS at
//! run time: the Corefile each Pod serves and its `log` plugin's query log ([`querylog`]).
//!
//! Names are kept fully qualified and lower-cased for comparison (DNS is case-insensitive);
//! answers keep the case of the question, as CoreDNS does.

pub mod kubernetes;
pub mod querylog;
pub mod upstream;

use std::fmt;
use std::net::Ipv4Addr;

/// Query/record types sdplay answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RType {
    A,
    Aaaa,
    Cname,
    Srv,
    Ptr,
    Txt,
    Soa,
    Ns,
    Mx,
    Any,
}

impl RType {
    pub fn as_str(self) -> &'static str {
        match self {
            RType::A => "A",
            RType::Aaaa => "AAAA",
            RType::Cname => "CNAME",
            RType::Srv => "SRV",
            RType::Ptr => "PTR",
            RType::Txt => "TXT",
            RType::Soa => "SOA",
            RType::Ns => "NS",
            RType::Mx => "MX",
            RType::Any => "ANY",
        }
    }

    pub fn parse(s: &str) -> Option<RType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "A" => RType::A,
            "AAAA" => RType::Aaaa,
            "CNAME" => RType::Cname,
            "SRV" => RType::Srv,
            "PTR" => RType::Ptr,
            "TXT" => RType::Txt,
            "SOA" => RType::Soa,
            "NS" => RType::Ns,
            "MX" => RType::Mx,
            "ANY" => RType::Any,
            _ => return None,
        })
    }
}

impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rcode {
    NoError,
    FormErr,
    ServFail,
    NxDomain,
    Refused,
}

impl Rcode {
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::FormErr => "FORMERR",
            Rcode::ServFail => "SERVFAIL",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::Refused => "REFUSED",
        }
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(String),
    Cname(String),
    Ptr(String),
    Txt(String),
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
    Ns(String),
}

impl RData {
    pub fn rtype(&self) -> RType {
        match self {
            RData::A(_) => RType::A,
            RData::Aaaa(_) => RType::Aaaa,
            RData::Cname(_) => RType::Cname,
            RData::Ptr(_) => RType::Ptr,
            RData::Txt(_) => RType::Txt,
            RData::Srv { .. } => RType::Srv,
            RData::Soa { .. } => RType::Soa,
            RData::Ns(_) => RType::Ns,
        }
    }
}

impl fmt::Display for RData {
    /// Presentation format, as dig prints the RDATA.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(ip) => write!(f, "{ip}"),
            RData::Aaaa(s) | RData::Cname(s) | RData::Ptr(s) | RData::Ns(s) => f.write_str(s),
            RData::Txt(s) => write!(f, "\"{s}\""),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {target}"),
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => {
                write!(f, "{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

impl fmt::Display for Record {
    /// dig's answer-section line: `name.\t\tttl\tIN\tTYPE\tdata`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\tIN\t{}\t{}", self.name, self.ttl, self.data.rtype(), self.data)
    }
}

/// A DNS response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub rcode: Rcode,
    /// Authoritative Answer flag.
    pub aa: bool,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

impl Response {
    pub fn nxdomain(soa: Option<Record>) -> Response {
        Response {
            rcode: Rcode::NxDomain,
            aa: true,
            answers: Vec::new(),
            authority: soa.into_iter().collect(),
            additional: Vec::new(),
        }
    }

    pub fn nodata(soa: Option<Record>) -> Response {
        Response {
            rcode: Rcode::NoError,
            aa: true,
            answers: Vec::new(),
            authority: soa.into_iter().collect(),
            additional: Vec::new(),
        }
    }

    pub fn answer(answers: Vec<Record>) -> Response {
        Response {
            rcode: Rcode::NoError,
            aa: true,
            answers,
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }

    /// The A records of the answer (after any CNAME chain).
    pub fn addresses(&self) -> Vec<Ipv4Addr> {
        self.answers
            .iter()
            .filter_map(|r| match r.data {
                RData::A(ip) => Some(ip),
                _ => None,
            })
            .collect()
    }

    /// NOERROR with no answer: the name exists, the type does not.
    pub fn is_nodata(&self) -> bool {
        self.rcode == Rcode::NoError && self.answers.is_empty()
    }
}

/// Lower-case and make fully qualified.
pub fn fqdn(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

/// The labels of a name (without the root).
pub fn labels(name: &str) -> Vec<&str> {
    name.trim_end_matches('.').split('.').filter(|l| !l.is_empty()).collect()
}

/// `1.2.3.4` → `4.3.2.1.in-addr.arpa.`
pub fn reverse_name(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0])
}

// ---- wire sizes (CoreDNS does not compress small replies) ----

/// A name's uncompressed wire length.
pub fn name_wire(n: &str) -> usize {
    let t = n.trim_end_matches('.');
    if t.is_empty() {
        1
    } else {
        t.len() + 2
    }
}

impl RData {
    /// RDATA length on the wire (names uncompressed).
    pub fn wire_len(&self) -> usize {
        match self {
            RData::A(_) => 4,
            RData::Aaaa(_) => 16,
            RData::Cname(n) | RData::Ptr(n) | RData::Ns(n) => name_wire(n),
            RData::Txt(s) => s.len() + 1,
            RData::Srv { target, .. } => 6 + name_wire(target),
            RData::Soa { mname, rname, .. } => name_wire(mname) + name_wire(rname) + 20,
        }
    }
}

/// The reply's length without an OPT record: header, question, and every record.
pub fn response_size(qname: &str, r: &Response) -> usize {
    let rr = |x: &Record| name_wire(&x.name) + 10 + x.data.wire_len();
    12 + name_wire(qname) + 4 + r.answers.iter().chain(&r.authority).chain(&r.additional).map(rr).sum::<usize>()
}
