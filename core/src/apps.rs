//! What runs inside the containers: which ports an image listens on and what it answers.
//!
//! The chapter's `nigelpoulton/k8sbook:text-<env>` answers `Hello form the <ENV> Namespace!`
//! (the typo is the image's own) and the Pod's hostname. nginx, httpd, agnhost `netexec`,
//! hashicorp/http-echo and CoreDNS answer as the real images do; an unknown image serves a
//! generic page naming its Pod on its declared container ports; anything else is refused.

use crate::model::*;
use crate::time::{Epoch, SimTime};

/// A simulated instant with the cluster's wall clock: what a server dates its answers with.
#[derive(Clone, Copy)]
struct Wall {
    epoch: Epoch,
    t: SimTime,
}

impl Wall {
    fn http_date(self) -> String {
        self.epoch.http_date(self.t)
    }
}

/// Apache httpd's `htdocs/index.html` (45 bytes, mtime 2007-06-11 18:53:14).
const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status line's protocol (`HTTP/1.1`; Go's TLS server answers plain HTTP in 1.0).
    pub version: &'static str,
    pub status: u16,
    pub reason: &'static str,
    /// `Content-Type`, empty when the server sends none.
    pub content_type: &'static str,
    /// Every header in the order the server writes them (Content-Type and Content-Length
    /// included where the server sends them).
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// What a connection to a listening port gets back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Http(HttpResponse),
    /// The server reads the request as something else and closes without a byte
    /// (curl: `(52) Empty reply from server`) after `after_ms`.
    Empty {
        after_ms: u64,
    },
}

/// A response from a Go `net/http` server: handler headers sorted, then Date, Content-Length
/// and the sniffed Content-Type (`chunkWriter.writeHeader`; none for an empty body).
fn go_response(now: Wall, status: u16, reason: &'static str, extra: &[(&'static str, &str)], body: String) -> HttpResponse {
    let mut headers: Vec<(&'static str, String)> = extra.iter().map(|(k, v)| (*k, v.to_string())).collect();
    headers.sort_by(|a, b| a.0.cmp(b.0));
    headers.push(("Date", now.http_date()));
    headers.push(("Content-Length", body.len().to_string()));
    let content_type = if body.is_empty() {
        ""
    } else if body.trim_start().starts_with("<html") || body.trim_start().starts_with("<!DOCTYPE") {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    if !content_type.is_empty() {
        headers.push(("Content-Type", content_type.to_string()));
    }
    HttpResponse {
        version: "HTTP/1.1",
        status,
        reason,
        content_type,
        headers,
        body,
    }
}

/// Go's `http.NotFound`: `404 page not found`, with `X-Content-Type-Options: nosniff`.
fn go_not_found(now: Wall) -> HttpResponse {
    let mut r = go_response(now, 404, "Not Found", &[], "404 page not found\n".into());
    r.headers.retain(|(k, _)| *k != "Content-Type");
    r.headers.insert(0, ("Content-Type", "text/plain; charset=utf-8".into()));
    r.headers.insert(1, ("X-Content-Type-Options", "nosniff".into()));
    r
}

/// The image's repository without registry and tag (`nginx:1.27` → `nginx`).
pub fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

pub fn image_tag(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split_once(':').map(|(_, t)| t).unwrap_or("latest")
}

/// The nginx version an image tag implies (docker-library's `nginx` tags: `latest` and
/// `mainline` follow mainline, `stable` the stable branch; `1.25` is that branch's last
/// release). The newest versions sdplay knows are the ones the nginxinc/docker-nginx
/// Dockerfiles it read pin (`NGINX_VERSION 1.29.1`).
pub fn nginx_version(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    let known = [
        ("1.19", "1.19.10"),
        ("1.20", "1.20.2"),
        ("1.21", "1.21.6"),
        ("1.22", "1.22.1"),
        ("1.23", "1.23.4"),
        ("1.24", "1.24.0"),
        ("1.25", "1.25.5"),
        ("1.26", "1.26.3"),
        ("1.27", "1.27.5"),
        ("1.28", "1.28.0"),
        ("1.29", "1.29.1"),
    ];
    match base {
        "" | "latest" | "mainline" | "alpine" | "alpine-slim" | "perl" | "bookworm" => "1.29.1".into(),
        "stable" => "1.28.0".into(),
        b if b.matches('.').count() == 2 && b.split('.').all(|p| p.parse::<u32>().is_ok()) => b.to_string(),
        b => known
            .iter()
            .find(|(k, _)| *k == b)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| "1.29.1".into()),
    }
}

/// What a CoreDNS binary says about itself: `coremain.showVersion` prints `CoreDNS-<version>`
/// and `<GOOS>/<GOARCH>, <runtime.Version()>, <GitCommit>` (coremain/version.go), and the
/// `coredns_build_info` metric carries the same three.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreDnsBuild {
    pub version: String,
    pub go: &'static str,
    pub commit: &'static str,
    /// Built with go.uber.org/automaxprocs (1.12.0 on): `maxprocs: Leaving GOMAXPROCS=N: CPU
    /// quota undefined` first in its log when the container has no CPU limit.
    pub automaxprocs: bool,
}

/// The official images' builds, as their logs print them (kind, kubeadm and minikube logs):
/// (version, Go, commit).
const COREDNS_BUILDS: &[(&str, &str, &str)] = &[
    ("1.9.3", "go1.18.2", "45b0a11"),
    ("1.10.1", "go1.20", "055b2c3"),
    ("1.11.1", "go1.20.7", "ae2bbc2"),
    ("1.11.3", "go1.21.11", "a6338e9"),
    ("1.12.0", "go1.23.3", "51e11f1"),
    ("1.12.1", "go1.24.1", "707c7c1"),
];

/// The CoreDNS build an image runs, from its tag (`registry.k8s.io/coredns/coredns:v1.11.3` →
/// 1.11.3; `coredns/coredns:1.11.3` has no `v`). A version sdplay has no build line for keeps
/// its own number with the Go version and commit of the newest known release before it
/// (or the oldest known: sdplay's stand-in, the image's own are not in any source read); a tag that is no version
/// (`latest`) is the newest known release, as `latest` pulls it.
pub fn coredns_build(image: &str) -> CoreDnsBuild {
    let tag = image_tag(image);
    let parse = |v: &str| -> Option<(u32, u32, u32)> {
        let mut it = v.split('.').map(|p| p.parse::<u32>().ok());
        let t = (it.next()??, it.next()??, it.next()??);
        it.next().is_none().then_some(t)
    };
    let newest = COREDNS_BUILDS[COREDNS_BUILDS.len() - 1];
    let (version, (_, go, commit)) = match parse(tag.trim_start_matches('v')) {
        Some(v) => {
            let known = COREDNS_BUILDS
                .iter()
                .rev()
                .find(|(k, _, _)| parse(k).is_some_and(|k| k <= v))
                .unwrap_or(&COREDNS_BUILDS[0]);
            (tag.trim_start_matches('v').to_string(), *known)
        }
        None => (newest.0.to_string(), newest),
    };
    let automaxprocs = parse(&version).is_some_and(|v| v >= (1, 12, 0));
    CoreDnsBuild {
        version,
        go,
        commit,
        automaxprocs,
    }
}

/// The Apache httpd version an `httpd` tag implies (`2.4`, `2`, `latest` → the newest 2.4).
pub fn httpd_version(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    if base.matches('.').count() == 2 && base.split('.').all(|p| p.parse::<u32>().is_ok()) {
        base.to_string()
    } else {
        "2.4.65".into()
    }
}
const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

fn arg_value(c: &Container, flag: &str) -> Option<String> {
    let all: Vec<&String> = c.command.iter().chain(c.args.iter()).collect();
    for (i, a) in all.iter().enumerate() {
        if let Some(v) = a.strip_prefix(&format!("{flag}=")) {
            return Some(v.to_string());
        }
        if a.as_str() == flag {
            return all.get(i + 1).map(|s| s.to_string());
        }
    }
    None
}

/// Ports (TCP) a container's process listens on.
pub fn tcp_ports(c: &Container) -> Vec<u16> {
    let name = image_name(&c.image);
    match name {
        "k8sbook" => vec![8080],
        "nginx" | "httpd" => vec![80],
        "agnhost" => {
            if c.args.first().map(String::as_str) == Some("netexec") {
                vec![arg_value(c, "--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080)]
            } else {
                Vec::new()
            }
        }
        // http-echo exits with "Missing -text option OR ENV var TEXT is empty!" without -text.
        "http-echo" => match arg_value(c, "-text").or_else(|| arg_value(c, "--text")) {
            Some(t) if !t.is_empty() => vec![arg_value(c, "-listen")
                .or_else(|| arg_value(c, "--listen"))
                .and_then(|l| l.rsplit(':').next().and_then(|p| p.parse().ok()))
                .unwrap_or(5678)],
            _ => Vec::new(),
        },
        "coredns" => vec![53, 8080, 8181, 9153],
        "kube-apiserver" => vec![8443],
        // busybox's default command is `sh`: its httpd applet only listens if started.
        "ubuntu"
        | "debian"
        | "busybox"
        | "alpine"
        | "dnsutils"
        | "jessie-dnsutils"
        | "kube-proxy"
        | "etcd"
        | "storage-provisioner"
        | "kube-scheduler"
        | "kube-controller-manager"
        | "curl"
        | "netshoot" => Vec::new(),
        _ => {
            let declared: Vec<u16> = c
                .ports
                .iter()
                .filter(|p| p.protocol == Protocol::Tcp)
                .map(|p| p.container_port as u16)
                .collect();
            if declared.is_empty() {
                vec![80]
            } else {
                declared
            }
        }
    }
}

/// The container of `pod` listening on TCP `port`, if any.
pub fn listener(pod: &Pod, port: u16) -> Option<&Container> {
    pod.spec.containers.iter().find(|c| tcp_ports(c).contains(&port))
}

/// `%`-decoding and `+` → space, as Go's `url.ParseQuery` does for `FormValue`.
fn query_value(query: &str, key: &str) -> Option<String> {
    let raw = query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then_some(v)
    })?;
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'+') => out.push(b' '),
            Some(b'%') => {
                let hex = raw.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => return Some(String::new()),
                }
            }
            Some(b) => out.push(*b),
            None => {}
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `time.Time.String()` of `time.Now()`: nanoseconds with trailing zeros dropped, and
/// the monotonic reading `m=+<seconds since the process started>`.
fn go_time_now(now: Wall, started: SimTime) -> String {
    let c = now.epoch.civil(now.t);
    let (date, time) = (c.date(), c.clock());
    let ms = c.millis;
    let frac = if ms == 0 {
        String::new()
    } else {
        format!(".{:03}", ms).trim_end_matches('0').to_string()
    };
    let mono = now.t.0.saturating_sub(started.0);
    format!("{date} {time}{frac} +0000 UTC m=+{}.{:03}000000", mono / 1000, mono % 1000)
}

fn plain(now: Wall, server: Option<&str>, status: u16, reason: &'static str, ct: &'static str, body: String) -> HttpResponse {
    let mut headers = Vec::new();
    if let Some(s) = server {
        headers.push(("Server", s.to_string()));
    }
    headers.push(("Date", now.http_date()));
    headers.push(("Content-Type", ct.to_string()));
    headers.push(("Content-Length", body.len().to_string()));
    HttpResponse {
        version: "HTTP/1.1",
        status,
        reason,
        content_type: ct,
        headers,
        body,
    }
}

/// Answer an HTTP GET to `pod`:`port` for `path` from `client` (ip:port as the app sees it)
/// at simulated time `now`, dated on the cluster's wall clock `epoch`. `None`: nothing
/// listens there (the kernel answers RST).
pub fn answer(pod: &Pod, port: u16, path: &str, client: &str, now: SimTime, epoch: Epoch) -> Option<Answer> {
    let now = Wall { epoch, t: now };
    let c = listener(pod, port)?;
    let name = image_name(&c.image);
    let tag = image_tag(&c.image);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let hostname = pod.spec.hostname.clone().unwrap_or_else(|| pod.meta.name.to_string());
    let r = match name {
        "k8sbook" => {
            let env = tag.strip_prefix("text-").unwrap_or(tag).to_ascii_uppercase();
            plain(
                now,
                None,
                200,
                "OK",
                "text/plain; charset=utf-8",
                format!("Hello form the {env} Namespace!\nHostname: {}\n", pod.meta.name),
            )
        }
        // nginx's default.conf: `root /usr/share/nginx/html; index index.html index.htm;`.
        "nginx" => {
            let v = nginx_version(tag);
            let server = format!("nginx/{v}");
            if path == "/" || path == "/index.html" {
                let mut r = plain(now, Some(&server), 200, "OK", "text/html", NGINX_INDEX.to_string());
                // The package's index.html mtime, as nginx's ETag "<mtime hex>-<size hex>".
                // sdplay's stand-in for the file's mtime (the image's is not in any source read).
                let mtime: u64 = 1_753_705_200;
                r.headers.push(("Last-Modified", "Mon, 28 Jul 2025 12:20:00 GMT".into()));
                r.headers.push(("Connection", "keep-alive".into()));
                r.headers.push(("ETag", format!("\"{mtime:x}-{:x}\"", NGINX_INDEX.len())));
                r.headers.push(("Accept-Ranges", "bytes".into()));
                r
            } else {
                let body = format!("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n");
                let mut r = plain(now, Some(&server), 404, "Not Found", "text/html", body);
                r.headers.push(("Connection", "keep-alive".into()));
                r
            }
        }
        // httpd's htdocs/index.html, and core's 404 (ap_send_error_response).
        "httpd" => {
            let server = format!("Apache/{} (Unix)", httpd_version(tag));
            if path == "/" || path == "/index.html" {
                let body = HTTPD_INDEX.to_string();
                let len = body.len();
                HttpResponse {
                    version: "HTTP/1.1",
                    status: 200,
                    reason: "OK",
                    content_type: "text/html",
                    headers: vec![
                        ("Date", now.http_date()),
                        ("Server", server),
                        ("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT".into()),
                        ("ETag", "\"2d-432a5e4a73a80\"".into()),
                        ("Accept-Ranges", "bytes".into()),
                        ("Content-Length", len.to_string()),
                        ("Content-Type", "text/html".into()),
                    ],
                    body,
                }
            } else {
                let body = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".to_string();
                HttpResponse {
                    version: "HTTP/1.1",
                    status: 404,
                    reason: "Not Found",
                    content_type: "text/html; charset=iso-8859-1",
                    headers: vec![
                        ("Date", now.http_date()),
                        ("Server", server),
                        ("Content-Length", body.len().to_string()),
                        ("Content-Type", "text/html; charset=iso-8859-1".into()),
                    ],
                    body,
                }
            }
        }
        // agnhost netexec (test/images/agnhost/netexec/netexec.go): "/" is the catch-all.
        "agnhost" => match path {
            "/hostname" | "/hostName" => go_response(now, 200, "OK", &[], hostname),
            "/clientip" => go_response(now, 200, "OK", &[], client.to_string()),
            "/healthz" => go_response(now, 200, "OK", &[], String::new()),
            "/echo" => {
                let msg = query_value(query, "msg").unwrap_or_default();
                match query_value(query, "code").filter(|c| !c.is_empty()) {
                    None => go_response(now, 200, "OK", &[], msg),
                    Some(code) => match code.parse::<u16>() {
                        Ok(n) => {
                            let reason = reason_phrase(n);
                            go_response(now, n, reason, &[], msg)
                        }
                        Err(_) => go_response(
                            now,
                            200,
                            "OK",
                            &[],
                            format!("argument 'code' must be an integer or empty, got {code:?}\n"),
                        ),
                    },
                }
            }
            "/dial" | "/exit" | "/redirect" | "/shell" | "/shutdown" | "/upload" => go_response(
                now,
                501,
                "Not Implemented",
                &[],
                format!("sdplay does not simulate agnhost netexec {path}\n"),
            ),
            _ => go_response(
                now,
                200,
                "OK",
                &[],
                format!("NOW: {}", go_time_now(now, pod.status.started.unwrap_or(pod.meta.creation))),
            ),
        },
        // hashicorp/http-echo main.go: `fmt.Fprintln(w, text)` on "/", `{"status":"ok"}` on
        // /health, with X-App-Name / X-App-Version from withAppHeaders.
        "http-echo" => {
            let text = arg_value(c, "-text").or_else(|| arg_value(c, "--text")).unwrap_or_default();
            let version = if tag == "latest" || tag.starts_with('1') {
                "1.0.0"
            } else {
                tag.trim_start_matches('v')
            };
            // withAppHeaders came with 1.0; 0.2.x answered without them.
            let with_app = [("X-App-Name", "http-echo"), ("X-App-Version", version)];
            let app: &[(&'static str, &str)] = if version.starts_with('0') { &[] } else { &with_app };
            if path == "/health" {
                go_response(now, 200, "OK", app, "{\"status\":\"ok\"}\n".into())
            } else {
                go_response(now, 200, "OK", app, format!("{text}\n"))
            }
        }
        "coredns" => match (port, path) {
            // dns.Server reads "GE" as a 2-byte length prefix (18245 bytes), waits
            // ReadTimeout (2 s) for the rest and closes.
            (53, _) => return Some(Answer::Empty { after_ms: 2_000 }),
            (8080, "/health") | (8181, "/ready") => go_response(now, 200, "OK", &[], "OK".into()),
            (9153, "/metrics") => {
                let b = coredns_build(&c.image);
                let body = format!("# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{{goversion=\"{}\",revision=\"{}\",version=\"{}\"}} 1\n", b.go, b.commit, b.version);
                let mut r = go_response(now, 200, "OK", &[], body);
                for h in r.headers.iter_mut() {
                    if h.0 == "Content-Type" {
                        h.1 = "text/plain; version=0.0.4; charset=utf-8".into();
                    }
                }
                r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                r
            }
            _ => go_not_found(now),
        },
        // Go's TLS server answering a plain-HTTP request (crypto/tls + net/http server.go).
        "kube-apiserver" => HttpResponse {
            version: "HTTP/1.0",
            status: 400,
            reason: "Bad Request",
            content_type: "",
            headers: Vec::new(),
            body: "Client sent an HTTP request to an HTTPS server.\n".into(),
        },
        _ => plain(
            now,
            None,
            200,
            "OK",
            "text/html",
            format!(
                "<html><body><h1>{}</h1><p>Served by Pod {} in namespace {}</p></body></html>\n",
                c.image, pod.meta.name, pod.meta.namespace
            ),
        ),
    };
    Some(Answer::Http(r))
}

/// Go's `http.StatusText` for the codes an `/echo?code=` is likely to ask for.
fn reason_phrase(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        412 => "Precondition Failed",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The body an HTTP GET gets, for callers that only want the page (old interface).
pub fn http_get(pod: &Pod, port: u16, path: &str, client: &str) -> Option<HttpResponse> {
    match answer(pod, port, path, client, SimTime::ZERO, Epoch::DEFAULT)? {
        Answer::Http(r) => Some(r),
        Answer::Empty { .. } => None,
    }
}

/// Seconds until the image's main process exits on SIGTERM, when it handles the signal;
/// `None` when it runs as PID 1 without a handler (the kernel ignores SIGTERM for PID 1, so the
/// kubelet's SIGKILL at the end of the grace period ends it).
pub fn sigterm_exit_secs(image: &str) -> Option<u64> {
    match image_name(image) {
        // CoreDNS's health plugin `lameduck 5s` keeps answering for 5 s, then exits.
        "coredns" => Some(5),
        // nginx and httpd stop at once; Go servers (agnhost, http-echo, kube-*) exit on SIGTERM.
        "nginx"
        | "httpd"
        | "agnhost"
        | "http-echo"
        | "kube-proxy"
        | "kube-apiserver"
        | "kube-scheduler"
        | "kube-controller-manager"
        | "etcd"
        | "storage-provisioner" => Some(0),
        _ => None,
    }
}

/// Which stub resolver the image's libc provides, and which tools it ships.
pub struct ImageInfo {
    pub musl: bool,
    pub shell: &'static str,
    pub tools: &'static [&'static str],
    pub distro: &'static str,
}

pub fn image_info(image: &str) -> ImageInfo {
    match image_name(image) {
        "ubuntu" => ImageInfo {
            musl: false,
            shell: "bash",
            tools: &["cat", "ls", "echo", "hostname", "getent", "apt-get", "apt", "env", "sleep", "exit"],
            distro: "ubuntu",
        },
        "debian" => ImageInfo {
            musl: false,
            shell: "bash",
            tools: &["cat", "ls", "echo", "hostname", "getent", "apt-get", "apt", "env", "sleep", "exit"],
            distro: "debian",
        },
        // The chapter's gcr.io/kubernetes-e2e-test-images/dnsutils: alpine:3.4 + bind-tools
        // (kubernetes test/images/dnsutils/Dockerfile): musl, busybox ash and ping, bind 9.10.
        "dnsutils" => ImageInfo {
            musl: true,
            shell: "sh",
            tools: &[
                "cat", "ls", "echo", "hostname", "getent", "nslookup", "dig", "host", "ping", "env", "sleep", "exit",
            ],
            distro: "alpine",
        },
        // registry.k8s.io/e2e-test-images/jessie-dnsutils: debian:jessie + dnsutils (bind 9.9),
        // glibc, dash; no ping (iputils-ping is not installed).
        "jessie-dnsutils" => ImageInfo {
            musl: false,
            shell: "sh",
            tools: &[
                "cat", "ls", "echo", "hostname", "getent", "nslookup", "dig", "host", "env", "sleep", "exit",
            ],
            distro: "debian",
        },
        "busybox" => ImageInfo {
            musl: true,
            shell: "sh",
            tools: &["cat", "ls", "echo", "hostname", "nslookup", "ping", "wget", "env", "sleep", "exit"],
            distro: "busybox",
        },
        "alpine" => ImageInfo {
            musl: true,
            shell: "sh",
            tools: &[
                "cat", "ls", "echo", "hostname", "getent", "nslookup", "ping", "wget", "apk", "env", "sleep", "exit",
            ],
            distro: "alpine",
        },
        "curl" => ImageInfo {
            musl: true,
            shell: "sh",
            tools: &["cat", "ls", "echo", "hostname", "nslookup", "ping", "curl", "env", "sleep", "exit"],
            distro: "alpine",
        },
        "netshoot" => ImageInfo {
            musl: true,
            shell: "bash",
            tools: &[
                "cat", "ls", "echo", "hostname", "getent", "nslookup", "dig", "host", "ping", "curl", "env", "sleep", "exit",
            ],
            distro: "alpine",
        },
        "nginx" | "httpd" | "k8sbook" => ImageInfo {
            musl: false,
            shell: "bash",
            tools: &["cat", "ls", "echo", "hostname", "getent", "curl", "apt-get", "env", "sleep", "exit"],
            distro: "debian",
        },
        _ => ImageInfo {
            musl: false,
            shell: "sh",
            tools: &["cat", "ls", "echo", "hostname", "env", "sleep", "exit"],
            distro: "unknown",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coredns_build_from_the_image_tag() {
        let b = coredns_build("registry.k8s.io/coredns/coredns:v1.11.3");
        assert_eq!(
            (b.version.as_str(), b.go, b.commit, b.automaxprocs),
            ("1.11.3", "go1.21.11", "a6338e9", false)
        );
        let b = coredns_build(crate::bootstrap::COREDNS_IMAGE);
        assert_eq!((b.version.as_str(), b.go, b.commit), ("1.11.1", "go1.20.7", "ae2bbc2"));
        // Docker Hub's tags have no `v`; 1.12 builds carry automaxprocs.
        let b = coredns_build("coredns/coredns:1.12.0");
        assert_eq!((b.version.as_str(), b.commit, b.automaxprocs), ("1.12.0", "51e11f1", true));
        // A release sdplay has no build line for keeps its number.
        let b = coredns_build("registry.k8s.io/coredns/coredns:v1.11.4");
        assert_eq!((b.version.as_str(), b.commit), ("1.11.4", "a6338e9"));
        let b = coredns_build("registry.k8s.io/coredns/coredns:v1.8.6");
        assert_eq!((b.version.as_str(), b.commit), ("1.8.6", "45b0a11"));
        assert_eq!(coredns_build("coredns/coredns:latest").version, "1.12.1");
        assert_eq!(coredns_build("coredns/coredns").version, "1.12.1");
        assert_eq!(coredns_build("coredns/coredns:v1.11.3-rc1").version, "1.12.1");
    }

    #[test]
    fn http_date_is_imf_fixdate() {
        // SimTime 0 is the cluster's creation; the weekday follows the date.
        assert_eq!(Epoch::DEFAULT.http_date(SimTime::ZERO), "Sat, 07 Nov 2026 09:00:00 GMT");
        // An imported cluster's clock (its oldest timestamp): 2025-03-10 was a Monday.
        let e = Epoch(crate::time::parse_rfc3339("2025-03-10T08:13:40Z").unwrap_or(0));
        assert_eq!(e.http_date(SimTime::from_secs(5277)), "Mon, 10 Mar 2025 09:41:37 GMT");
    }

    #[test]
    fn form_values_decode_like_go() {
        assert_eq!(query_value("msg=hi%20there&code=", "msg").as_deref(), Some("hi there"));
        assert_eq!(query_value("msg=a+b", "msg").as_deref(), Some("a b"));
        assert_eq!(query_value("x=1", "msg"), None);
        assert_eq!(query_value("msg=%zz", "msg").as_deref(), Some(""));
        assert_eq!(nginx_version("1.27"), "1.27.5");
        assert_eq!(nginx_version("1.25.3-alpine"), "1.25.3");
    }

    #[test]
    fn image_names() {
        assert_eq!(image_name("nigelpoulton/k8sbook:text-dev"), "k8sbook");
        assert_eq!(image_tag("nigelpoulton/k8sbook:text-dev"), "text-dev");
        assert_eq!(image_name("registry.k8s.io/e2e-test-images/agnhost:2.39"), "agnhost");
        assert_eq!(image_name("ubuntu"), "ubuntu");
        assert_eq!(image_tag("ubuntu"), "latest");
    }
}
