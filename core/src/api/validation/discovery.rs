//! `k8s.io/kubernetes/pkg/apis/discovery/validation` (v1.31): `ValidateEndpointSliceCreate`.

use super::meta::*;
use super::names::*;
use super::*;

/// `supportedAddressTypes`, sorted.
const ADDRESS_TYPES: &[&str] = &["FQDN", "IPv4", "IPv6"];
/// `maxAddresses`, `maxEndpoints`, `maxPorts`.
const MAX_ADDRESSES: usize = 100;
const MAX_ENDPOINTS: usize = 1000;
const MAX_PORTS: usize = 20000;

/// `ValidateEndpointSlice`: ObjectMeta (a DNS subdomain name), the address type, the
/// endpoints (`validateEndpoints`), the ports (`validatePorts`).
pub(super) fn validate_endpoint_slice(s: &EndpointSlice, errs: &mut Vec<FieldError>) {
    let w = &s.meta.written;
    validate_object_meta(&s.meta, Kind::EndpointSlice, errs);
    match &s.address_type {
        AddressType::Other(t) if t.is_empty() => errs.push(required("addressType", "")),
        AddressType::Other(t) => errs.push(not_supported("addressType", t, ADDRESS_TYPES)),
        _ => {}
    }
    validate_endpoints(s, w, errs);
    validate_ports(&s.ports, w, errs);
}

/// `validateEndpoints`: at most 1000; each with 1 to 100 addresses, each valid for the
/// slice's address type (unknown types are not checked), nodeName a subdomain, hostname a
/// label.
fn validate_endpoints(s: &EndpointSlice, w: &Written, errs: &mut Vec<FieldError>) {
    if s.endpoints.len() > MAX_ENDPOINTS {
        errs.push(FieldError {
            field: "endpoints".into(),
            kind: FieldErrorKind::TooMany {
                actual: s.endpoints.len(),
                max: MAX_ENDPOINTS,
            },
        });
        return;
    }
    for (i, e) in s.endpoints.iter().enumerate() {
        let ep = format!("endpoints[{i}]");
        let ap = format!("{ep}.addresses");
        // The decoder keeps every address as written when one is not an IPv4 address.
        let texts: Vec<String> = if w.get(&format!("{ap}[0]")).is_some() {
            (0..).map_while(|j| w.get(&format!("{ap}[{j}]")).map(str::to_string)).collect()
        } else {
            e.addresses.iter().map(|a| a.to_string()).collect()
        };
        if texts.is_empty() {
            errs.push(required(ap.as_str(), "must contain at least 1 address"));
        } else if texts.len() > MAX_ADDRESSES {
            errs.push(FieldError {
                field: ap.clone(),
                kind: FieldErrorKind::TooMany {
                    actual: texts.len(),
                    max: MAX_ADDRESSES,
                },
            });
        }
        for (j, t) in texts.iter().enumerate() {
            let p = format!("{ap}[{j}]");
            let ip = parse_ip_sloppy(t);
            match &s.address_type {
                AddressType::IPv4 => match ip {
                    Some(std::net::IpAddr::V4(v4)) => each_invalid(errs, &p, t, special_ip_problems(t, v4.into())),
                    _ => errs.push(invalid(p, quote(t), "must be a valid IPv4 address")),
                },
                AddressType::IPv6 => match ip {
                    Some(v6 @ std::net::IpAddr::V6(_)) => each_invalid(errs, &p, t, special_ip_problems(t, v6)),
                    _ => errs.push(invalid(p, quote(t), "must be a valid IPv6 address")),
                },
                AddressType::Fqdn => validate_fqdn(&p, t, errs),
                AddressType::Other(_) => {}
            }
        }
        if let Some(n) = &e.node_name {
            each_invalid(errs, &format!("{ep}.nodeName"), n, is_dns1123_subdomain(n));
        }
        if let Some(h) = &e.hostname {
            each_invalid(errs, &format!("{ep}.hostname"), h, is_dns1123_label(h));
        }
    }
}

/// `IsFullyQualifiedDomainName`: a subdomain (a trailing dot allowed) of at least two labels,
/// each a DNS label; the first problem only.
fn validate_fqdn(path: &str, name: &str, errs: &mut Vec<FieldError>) {
    if name.is_empty() {
        errs.push(required(path, ""));
        return;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let e = is_dns1123_subdomain(name);
    if !e.is_empty() {
        errs.push(invalid(path, quote(name), e.join(",")));
        return;
    }
    if name.split('.').count() < 2 {
        errs.push(invalid(
            path,
            quote(name),
            "should be a domain with at least two segments separated by dots",
        ));
        return;
    }
    for label in name.split('.') {
        let e = is_dns1123_label(label);
        if !e.is_empty() {
            errs.push(invalid(path, quote(label), e.join(",")));
            return;
        }
    }
}

/// `validatePorts`: at most 20000; a name (defaulted to "") is a DNS label and unique; the
/// protocol one of SCTP, TCP, UDP.
fn validate_ports(ports: &[EndpointPort], w: &Written, errs: &mut Vec<FieldError>) {
    if ports.len() > MAX_PORTS {
        errs.push(FieldError {
            field: "ports".into(),
            kind: FieldErrorKind::TooMany {
                actual: ports.len(),
                max: MAX_PORTS,
            },
        });
        return;
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("ports[{i}]");
        let name = p.name.as_deref().unwrap_or("");
        if !name.is_empty() {
            each_invalid(errs, &format!("{pp}.name"), name, is_dns1123_label(name));
        }
        if names.contains(&name) {
            errs.push(duplicate(format!("{pp}.name"), quote(name)));
        } else {
            names.push(name);
        }
        validate_protocol(w, &format!("{pp}.protocol"), errs);
    }
}
