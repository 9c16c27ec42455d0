//! Fuzz target: the stub resolver's search walk (`sdplay_core::resolver`): any name, any
//! resolv.conf (search list, `ndots`), each flavour (glibc, musl, Go), and any sequence of
//! answers. Nothing may panic, the walk asks only names it lists as candidates, in order, and
//! stops at the first answer.
#![no_main]

use std::net::Ipv4Addr;

use libfuzzer_sys::fuzz_target;
use sdplay_core::dns::{RData, RType, Rcode, Record, Response};
use sdplay_core::resolver::{self, Flavor, ResolvConf};

fuzz_target!(|data: &[u8]| {
    // Layout: flavour byte, then NUL-separated fields: name, ndots option value, search
    // domains...; the last byte's bits pick each attempt's response.
    let Some((&sel, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut fields = text.split('\0');
    let name = fields.next().unwrap_or_default().to_string();
    let ndots = fields.next().unwrap_or_default().to_string();
    let search: Vec<String> = fields.map(str::to_string).collect();
    let flavor = match sel % 3 {
        0 => Flavor::Glibc,
        1 => Flavor::Musl,
        _ => Flavor::Go,
    };
    let rc = ResolvConf {
        nameservers: vec!["10.96.0.10".into()],
        search,
        options: vec![("ndots".into(), Some(ndots))],
    };
    let _ = rc.render();
    let candidates = resolver::candidates(&name, &rc, flavor);
    let mut bits = u32::from(sel >> 2) | (u32::from(data.last().copied().unwrap_or(0)) << 6);
    let mut asked = Vec::new();
    let r = resolver::resolve(&name, &rc, flavor, RType::A, |n, _| {
        asked.push(n.to_string());
        let pick = bits & 3;
        bits >>= 2;
        match pick {
            0 => Response::nxdomain(None),
            1 => Response::nodata(None),
            2 => Response {
                rcode: Rcode::ServFail,
                aa: false,
                answers: Vec::new(),
                authority: Vec::new(),
                additional: Vec::new(),
            },
            _ => Response {
                rcode: Rcode::NoError,
                aa: true,
                answers: vec![Record {
                    name: n.to_string(),
                    ttl: 30,
                    data: RData::A(Ipv4Addr::new(10, 96, 0, 1)),
                }],
                authority: Vec::new(),
                additional: Vec::new(),
            },
        }
    });
    assert!(asked.len() <= candidates.len());
    assert_eq!(asked[..], candidates[..asked.len()], "the walk asks the candidates in order");
    assert_eq!(r.attempts.len(), asked.len());
    if let Some((answered, _)) = &r.answer {
        assert_eq!(Some(answered), asked.last(), "the walk stops at the first answer");
    }
});
