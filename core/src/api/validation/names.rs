//! apimachinery's formats and their messages (`k8s.io/apimachinery/pkg/util/validation`,
//! v0.31): DNS labels and subdomains, qualified names, label values, port names and numbers,
//! ConfigMap keys, IP addresses. Each `is_*` returns the list of problems (empty when valid),
//! in the order the Go function appends them.

use std::net::{IpAddr, Ipv4Addr};

/// `RegexError`, including its famous double space before `or`.
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut out = msg.to_string();
    if examples.is_empty() {
        return format!("{out} (regex used for validation is '{fmt}')");
    }
    out.push_str(" (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{fmt}')"));
    out
}

/// `MaxLenError`.
pub fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `EmptyError`.
const EMPTY: &str = "must be non-empty";

/// `InclusiveRangeError(1, 65535)`, what `IsValidPortNum` says.
pub const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

fn is_label_char(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` (dns1123LabelFmt).
fn dns1123_label_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b.iter().all(|c| is_label_char(*c)) && b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric()
}

/// dns1123SubdomainFmt: labels joined by dots.
fn dns1123_subdomain_ok(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(dns1123_label_ok)
}

/// `IsDNS1123Label`: a valid subdomain that is not a label must have dots, and is told so.
pub fn is_dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !dns1123_label_ok(s) {
        if dns1123_subdomain_ok(s) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1035Label` (Service names).
pub fn is_dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    let b = s.as_bytes();
    let ok = !b.is_empty() && b.iter().all(|c| is_label_char(*c)) && b[0].is_ascii_lowercase() && b[b.len() - 1].is_ascii_alphanumeric();
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsDNS1123Subdomain` (Pods, Deployments, ConfigMaps, label key prefixes…).
pub fn is_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !dns1123_subdomain_ok(s) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$` (qualifiedNameFmt).
fn qualified_name_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `IsQualifiedName`: label keys, annotation keys (lower-cased first), finalizers: an optional
/// DNS subdomain prefix and `/`, then a name of at most 63 characters.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {EMPTY}"));
            } else {
                for m in is_dns1123_subdomain(prefix) {
                    errs.push(format!("prefix part {m}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {EMPTY}"));
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !qualified_name_ok(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

/// `IsValidLabelValue`: empty, or a qualified name's name part of at most 63 characters.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !qualified_name_ok(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsValidPortName` (IANA_SVC_NAME), its checks in its order.
pub fn is_valid_port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push(max_len_error(15));
    }
    if s.is_empty() || !s.bytes().all(is_label_char) {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// `IsValidPortNum`.
pub fn is_valid_port_num(n: i64) -> Vec<String> {
    if (1..=65535).contains(&n) {
        Vec::new()
    } else {
        vec![PORT_RANGE.to_string()]
    }
}

/// `IsConfigMapKey`: at most 253 of `[-._a-zA-Z0-9]`, and not `.`, `..` or `..`-prefixed
/// (`hasChDirPrefix`).
pub fn is_config_map_key(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match s {
        "." => errs.push("must not be '.'".to_string()),
        ".." => errs.push("must not be '..'".to_string()),
        _ if s.starts_with("..") => errs.push("must not start with '..'".to_string()),
        _ => {}
    }
    errs
}

/// `netutils.ParseIPSloppy`: Go's `net.ParseIP`, which (before Go 1.17's strictness) also
/// takes IPv4 octets with leading zeros as decimal.
pub fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut o = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        o[i] = p.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(o)))
}

/// `IsValidIP`'s detail.
pub const INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/// The problems `ValidateNonSpecialIP` (pkg/apis/core/validation) finds in a valid address:
/// unspecified, loopback, link-local unicast and link-local multicast.
pub fn special_ip_problems(text: &str, ip: IpAddr) -> Vec<String> {
    let mut errs = Vec::new();
    let (unspecified, loopback, link_local, ll_multicast) = match ip {
        IpAddr::V4(v) => (
            v.is_unspecified(),
            v.is_loopback(),
            v.is_link_local(),
            v.octets()[..3] == [224, 0, 0],
        ),
        IpAddr::V6(v) => (
            v.is_unspecified(),
            v.is_loopback(),
            (v.segments()[0] & 0xffc0) == 0xfe80,
            (v.segments()[0] & 0xff0f) == 0xff02,
        ),
    };
    if unspecified {
        errs.push(format!("may not be unspecified ({text})"));
    }
    if loopback {
        errs.push("may not be in the loopback range (127.0.0.0/8, ::1/128)".to_string());
    }
    if link_local {
        errs.push("may not be in the link-local range (169.254.0.0/16, fe80::/10)".to_string());
    }
    if ll_multicast {
        errs.push("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)".to_string());
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns1035_message_matches_apimachinery() {
        let e = is_dns1035_label("Ent");
        assert_eq!(
            e[0],
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
        assert!(is_dns1035_label("ent").is_empty());
        assert!(!is_dns1035_label("1ent").is_empty());
        assert!(is_dns1123_label("1ent").is_empty());
    }

    #[test]
    fn a_label_with_dots_is_told_so() {
        assert_eq!(is_dns1123_label("dev.team"), ["must not contain dots"]);
        assert!(is_dns1123_label("Dev.team")[0].starts_with("a lowercase RFC 1123 label"));
        let long = "a".repeat(64);
        assert_eq!(is_dns1123_label(&long), ["must be no more than 63 characters"]);
    }

    #[test]
    fn subdomain_rules() {
        assert!(is_dns1123_subdomain("enterprise.v1").is_empty());
        assert!(!is_dns1123_subdomain("Enterprise").is_empty());
        assert!(!is_dns1123_subdomain("a..b").is_empty());
    }

    #[test]
    fn qualified_names_as_apimachinery_words_them() {
        assert!(is_qualified_name("app").is_empty());
        assert!(is_qualified_name("example.com/My_Name.2").is_empty());
        assert_eq!(is_qualified_name("/app"), ["prefix part must be non-empty"]);
        assert_eq!(
            is_qualified_name("Example.com/app")[0],
            "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        let e = is_qualified_name("app/");
        assert_eq!(e[0], "name part must be non-empty");
        assert!(e[1].starts_with("name part must consist of alphanumeric characters"));
        assert!(is_qualified_name("a/b/c")[0].starts_with("a qualified name must consist of"));
        assert!(is_qualified_name("a/b/c")[0].ends_with("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
        assert_eq!(is_qualified_name(&"x".repeat(64)), ["name part must be no more than 63 characters"]);
    }

    #[test]
    fn label_values() {
        assert!(is_valid_label_value("").is_empty());
        assert!(is_valid_label_value("my_value.1").is_empty());
        let e = is_valid_label_value("<script>alert(1)</script>");
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("a valid label must be an empty string or consist of alphanumeric characters"));
        assert_eq!(is_valid_label_value(&"v".repeat(64)), ["must be no more than 63 characters"]);
    }

    #[test]
    fn port_names_in_apimachinery_order() {
        assert!(is_valid_port_name("http").is_empty());
        assert_eq!(is_valid_port_name("8080"), ["must contain at least one letter (a-z)"]);
        assert_eq!(
            is_valid_port_name("-a--b"),
            ["must not contain consecutive hyphens", "must not begin or end with a hyphen"]
        );
        assert_eq!(
            is_valid_port_name("HTTP"),
            [
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)"
            ]
        );
    }

    #[test]
    fn config_map_keys_and_ips() {
        assert!(is_config_map_key("app.conf").is_empty());
        assert_eq!(is_config_map_key("..x"), ["must not start with '..'"]);
        assert_eq!(is_config_map_key("a/b").len(), 1);
        assert_eq!(parse_ip_sloppy("010.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert!(parse_ip_sloppy("10.0.0").is_none());
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(
            special_ip_problems("127.0.0.1", lo),
            ["may not be in the loopback range (127.0.0.0/8, ::1/128)"]
        );
    }
}
