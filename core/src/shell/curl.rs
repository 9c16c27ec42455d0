//! `curl` as curl 8.5.0 (Ubuntu 24.04's) prints it, for Pods and nodes alike: the page or the
//! error line and exit code, `-i` (response headers, CRLF-terminated, before the body), `-v`
//! (`*` info lines, `>` request and `<` response headers), `-s`/`-S`, `-f`, `-I`, `-o
//! /dev/null`, `-w '%{http_code}'`, `-m`/`--connect-timeout`.
//!
//! Errors (curl's `lib/strerror.c` and `failf` texts):
//! - nothing listens / no endpoints: `(7) Failed to connect to H port P after 0 ms: Couldn't
//!   connect to server`;
//! - the SYN is lost: the kernel gives up after its SYN retries (`tcp_syn_retries` 6, about
//!   130 s): `(28) Failed to connect to H port P after N ms: Couldn't connect to server`; with
//!   `-m`/`--connect-timeout` curl gives up first: `… after N ms: Timeout was reached`;
//! - the name does not resolve: `(6) Could not resolve host: H`;
//! - the server closes without a byte: `(52) Empty reply from server`;
//! - `-f` and a status ≥ 400: `(22) The requested URL returned error: 404`.

use std::net::Ipv4Addr;

use crate::apps::{self, Answer};
use crate::cluster::Cluster;
use crate::netpath::{ConnError, Origin};

use super::Outcome;

/// The kernel's connect() timeout with `tcp_syn_retries = 6`, as curl reports it.
const SYN_TIMEOUT_MS: u64 = 134_110;

#[derive(Default)]
struct Opts {
    url: Option<String>,
    include: bool,
    verbose: bool,
    silent: bool,
    show_error: bool,
    fail: bool,
    head: bool,
    discard: bool,
    write_out: Option<String>,
    timeout_ms: Option<u64>,
}

fn parse(args: &[String]) -> Result<Opts, Outcome> {
    let mut o = Opts::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<String, Outcome> {
            it.next().cloned().ok_or_else(|| {
                Outcome::err(
                    format!("curl: option {name}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
                    2,
                )
            })
        };
        match a.as_str() {
            "-i" | "--include" => o.include = true,
            "-v" | "--verbose" => o.verbose = true,
            "-s" | "--silent" => o.silent = true,
            "-S" | "--show-error" => o.show_error = true,
            "-f" | "--fail" => o.fail = true,
            "-I" | "--head" => o.head = true,
            "-L" | "--location" | "-k" | "--insecure" | "-4" | "--ipv4" => {}
            "-o" | "--output" => o.discard = value(a)? == "/dev/null" || o.discard,
            "-w" | "--write-out" => o.write_out = Some(value(a)?),
            "-H" | "--header" | "-A" | "--user-agent" => {
                value(a)?;
            }
            "-m" | "--max-time" | "--connect-timeout" => {
                let v = value(a)?;
                let Ok(secs) = v.parse::<f64>() else {
                    return Err(Outcome::err(
                        format!("curl: option {a}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
                        2,
                    ));
                };
                let ms = (secs.max(0.0) * 1000.0) as u64;
                o.timeout_ms = Some(o.timeout_ms.map_or(ms, |t| t.min(ms)));
            }
            s if s.starts_with("--") => {
                return Err(Outcome::err(
                    format!("curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
                    2,
                ))
            }
            s if s.starts_with('-') && s.len() > 1 => {
                for ch in s.chars().skip(1) {
                    match ch {
                        'i' => o.include = true,
                        'v' => o.verbose = true,
                        's' => o.silent = true,
                        'S' => o.show_error = true,
                        'f' => o.fail = true,
                        'I' => o.head = true,
                        'L' | 'k' | '4' => {}
                        _ => {
                            return Err(Outcome::err(
                                format!("curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
                                2,
                            ))
                        }
                    }
                }
            }
            s => o.url = Some(s.to_string()),
        }
    }
    Ok(o)
}

/// Run curl from `from`; `resolve` looks a host name up as the caller's resolver does
/// (`None`: it does not resolve).
pub(crate) fn curl(
    c: &mut Cluster,
    from: &Origin,
    args: &[String],
    resolve: &mut dyn FnMut(&mut Cluster, &str) -> Option<Ipv4Addr>,
) -> Outcome {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let Some(url) = o.url.clone() else {
        return Outcome::err("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
    };
    let quiet = o.silent && !o.show_error;
    let fail = |msg: String, code: i32, pre: String| -> Outcome {
        let mut out = pre;
        if !quiet {
            out.push_str(&msg);
        }
        Outcome::err(out, code)
    };
    if let Some(scheme) = url.split_once("://").map(|(s, _)| s) {
        if scheme != "http" {
            if scheme == "https" {
                return fail("curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n".into(), 60, String::new());
            }
            return fail(format!("curl: (1) Protocol \"{scheme}\" not supported\n"), 1, String::new());
        }
    }
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let (hostport, path) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_string()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h.to_string(), p),
            Err(_) => {
                return fail(
                    "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n".into(),
                    3,
                    String::new(),
                )
            }
        },
        None => (hostport.to_string(), 80),
    };
    if host.is_empty() {
        return fail("curl: (3) URL rejected: No host part in the URL\n".into(), 3, String::new());
    }
    let ip = match host.parse::<Ipv4Addr>() {
        Ok(ip) => ip,
        Err(_) => match resolve(c, &host) {
            Some(ip) => ip,
            None => return fail(format!("curl: (6) Could not resolve host: {host}\n"), 6, String::new()),
        },
    };
    let mut verbose = String::new();
    if o.verbose {
        verbose.push_str(&format!("*   Trying {ip}:{port}...\n"));
    }
    let conn = match c.connect(from, ip, port) {
        Ok(conn) => conn,
        Err(ConnError::Refused) => {
            if o.verbose {
                verbose.push_str(&format!(
                    "* connect to {ip} port {port} failed: Connection refused\n* Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n* Closing connection\n"
                ));
            }
            return fail(
                format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"),
                7,
                verbose,
            );
        }
        Err(ConnError::Timeout) => {
            let (ms, why) = match o.timeout_ms {
                Some(t) if t < SYN_TIMEOUT_MS => (t + 1, "Timeout was reached"),
                _ => (SYN_TIMEOUT_MS, "Couldn't connect to server"),
            };
            c.advance_ms(ms);
            if o.verbose {
                if why == "Timeout was reached" {
                    verbose.push_str(&format!("* Failed to connect to {host} port {port} after {ms} ms: {why}\n"));
                } else {
                    verbose.push_str(&format!(
                        "* connect to {ip} port {port} failed: Connection timed out\n* Failed to connect to {host} port {port} after {ms} ms: {why}\n"
                    ));
                }
                verbose.push_str("* Closing connection\n");
            }
            return fail(
                format!("curl: (28) Failed to connect to {host} port {port} after {ms} ms: {why}\n"),
                28,
                verbose,
            );
        }
    };
    if o.verbose {
        verbose.push_str(&format!("* Connected to {host} ({ip}) port {port}\n"));
        let host_header = if port == 80 { host.clone() } else { format!("{host}:{port}") };
        let method = if o.head { "HEAD" } else { "GET" };
        verbose.push_str(&format!(
            "> {method} {path} HTTP/1.1\r\n> Host: {host_header}\r\n> User-Agent: curl/8.5.0\r\n> Accept: */*\r\n> \r\n"
        ));
    }
    let answer = c
        .api
        .store()
        .pod(&conn.namespace, &conn.pod)
        .and_then(|p| apps::answer(p, conn.port, &path, &conn.client, c.now, c.api.store().epoch()));
    let r = match answer {
        Some(Answer::Http(r)) => r,
        Some(Answer::Empty { after_ms }) => {
            c.advance_ms(after_ms);
            if o.verbose {
                verbose.push_str("* Empty reply from server\n* Closing connection\n");
            }
            return fail("curl: (52) Empty reply from server\n".into(), 52, verbose);
        }
        // The Pod went away between the SYN and the request, or the port closed.
        None => {
            if o.verbose {
                verbose.push_str("* Recv failure: Connection reset by peer\n* Closing connection\n");
            }
            return fail("curl: (56) Recv failure: Connection reset by peer\n".into(), 56, verbose);
        }
    };
    let mut out = verbose;
    let status_line = if r.reason.is_empty() {
        format!("{} {}", r.version, r.status)
    } else {
        format!("{} {} {}", r.version, r.status, r.reason)
    };
    if o.fail && r.status >= 400 {
        if o.verbose {
            out.push_str(&format!("< {status_line}\r\n"));
            out.push_str("* The requested URL returned error: ");
            out.push_str(&format!("{}\n* Closing connection\n", r.status));
        }
        return fail(format!("curl: (22) The requested URL returned error: {}\n", r.status), 22, out);
    }
    let mut head = format!("{status_line}\r\n");
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    if o.verbose {
        for line in head.split_inclusive("\r\n") {
            out.push_str("< ");
            out.push_str(line);
        }
    }
    if (o.include || o.head) && !o.discard {
        out.push_str(&head);
    }
    if !o.head && !o.discard {
        out.push_str(&r.body);
    }
    if o.verbose {
        if r.version == "HTTP/1.0" {
            out.push_str("* Closing connection\n");
        } else {
            out.push_str(&format!("* Connection #0 to host {host} left intact\n"));
        }
    }
    if let Some(w) = &o.write_out {
        out.push_str(&w.replace("%{http_code}", &format!("{:03}", r.status)).replace("\\n", "\n"));
    }
    Outcome::ok(out)
}
