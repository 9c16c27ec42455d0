//! What runs inside the containers: which ports an image listens on and what it answers.
//!
//! The chapter's `nigelpoulton/k8sbook:text-<env>` answers `Hello form the <ENV> Namespace!`
//! (the typo is the image's own) and the Pod's hostname. nginx, httpd, agnhost `netexec`,
//! hashicorp/http-echo and CoreDNS answer as the real images do; an unknown image serves a
//! generic page naming its Pod on its declared container ports; anything else is refused.

use crate::model::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub reason: &'static str,
    pub content_type: &'static str,
    pub body: String,
}

fn ok(content_type: &'static str, body: String) -> HttpResponse {
    HttpResponse {
        status: 200,
        reason: "OK",
        content_type,
        body,
    }
}

fn not_found() -> HttpResponse {
    HttpResponse {
        status: 404,
        reason: "Not Found",
        content_type: "text/plain; charset=utf-8",
        body: "404 page not found\n".into(),
    }
}

/// The image's repository without registry and tag (`nginx:1.27` → `nginx`).
pub fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

pub fn image_tag(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t).unwrap_or("latest")
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
        "http-echo" => vec![arg_value(c, "-listen")
            .and_then(|l| l.trim_start_matches(':').parse().ok())
            .unwrap_or(5678)],
        "coredns" => vec![53, 8080, 8181, 9153],
        "kube-apiserver" => vec![8443],
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

/// Answer an HTTP GET to `pod`:`port` for `path` from `client` (ip:port as the app sees it).
pub fn http_get(pod: &Pod, port: u16, path: &str, client: &str) -> Option<HttpResponse> {
    let c = listener(pod, port)?;
    let name = image_name(&c.image);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let r = match name {
        "k8sbook" => {
            let tag = image_tag(&c.image);
            let env = tag.strip_prefix("text-").unwrap_or(tag).to_ascii_uppercase();
            ok("text/plain; charset=utf-8", format!("Hello form the {env} Namespace!\nHostname: {}\n", pod.meta.name))
        }
        "nginx" => {
            if path == "/" || path == "/index.html" {
                ok("text/html", NGINX_INDEX.to_string())
            } else {
                HttpResponse { status: 404, reason: "Not Found", content_type: "text/html", body: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n".into() }
            }
        }
        "httpd" => ok("text/html", "<html><body><h1>It works!</h1></body></html>\n".into()),
        "agnhost" => match path {
            "/hostname" => ok("text/plain; charset=utf-8", pod.meta.name.clone()),
            "/clientip" => ok("text/plain; charset=utf-8", client.to_string()),
            "/echo" => {
                let msg = query.split('&').find_map(|kv| kv.strip_prefix("msg=")).unwrap_or("");
                ok("text/plain; charset=utf-8", msg.replace("%20", " ").replace('+', " "))
            }
            "/" => ok("text/plain; charset=utf-8", format!("NOW: {}", "2026-11-25 00:00:00 +0000 UTC")),
            _ => not_found(),
        },
        "http-echo" => ok("text/plain; charset=utf-8", format!("{}\n", arg_value(c, "-text").unwrap_or_else(|| "hello-world".into()))),
        "coredns" => match (port, path) {
            (8080, "/health") | (8181, "/ready") => ok("text/plain; charset=utf-8", "OK".into()),
            (9153, "/metrics") => ok("text/plain; version=0.0.4; charset=utf-8", "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion=\"go1.20.7\",revision=\"ae2bbc2\",version=\"1.11.1\"} 1\n".into()),
            _ => not_found(),
        },
        _ => ok("text/html", format!("<html><body><h1>{}</h1><p>Served by Pod {} in namespace {}</p></body></html>\n", c.image, pod.meta.name, pod.meta.namespace)),
    };
    Some(r)
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
    fn image_names() {
        assert_eq!(image_name("nigelpoulton/k8sbook:text-dev"), "k8sbook");
        assert_eq!(image_tag("nigelpoulton/k8sbook:text-dev"), "text-dev");
        assert_eq!(image_name("registry.k8s.io/e2e-test-images/agnhost:2.39"), "agnhost");
        assert_eq!(image_name("ubuntu"), "ubuntu");
        assert_eq!(image_tag("ubuntu"), "latest");
    }
}
