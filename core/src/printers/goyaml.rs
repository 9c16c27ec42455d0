//! `kubectl get -o yaml|json` text: JSON values written the way kubectl writes them.
//!
//! kubectl's YAML printer is `sigs.k8s.io/yaml` over go-yaml v2 (libyaml's emitter in Go):
//! keys sorted, 2-space indent, sequences not indented under their key, strings that would
//! resolve to another YAML 1.1 type (`"1"`, `"true"`, `"yes"`, `""`, timestamps) double-quoted,
//! strings a plain scalar cannot hold single-quoted, multi-line strings as literal blocks (`|`,
//! `|-`), and plain scalars folded at spaces past column 80. The JSON printer is Go's
//! `json.MarshalIndent(obj, "", "    ")`: sorted keys, 4-space indent, `<>&` escaped.
//!
//! Keys are sorted here explicitly, so the output does not depend on serde_json's
//! `preserve_order` feature. Nothing here panics.

use serde_json::Value;

const BEST_WIDTH: usize = 80;

fn sorted(m: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// `json.MarshalIndent(v, "", "    ")` plus kubectl's trailing newline.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    json_value(v, 0, &|_| 0, &mut out);
    out.push('\n');
    out
}

/// `json.MarshalIndent` of a typed Go object: keys in struct field order, given by `rank`
/// (equal ranks sorted by name), as kubectl prints an object it built itself
/// ([`generated`](super::generated)).
pub fn to_json_ordered(v: &Value, rank: &dyn Fn(&str) -> usize) -> String {
    let mut out = String::new();
    json_value(v, 0, rank, &mut out);
    out.push('\n');
    out
}

fn json_value(v: &Value, indent: usize, rank: &dyn Fn(&str) -> usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => json_string(s, out),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                out.push_str(&" ".repeat(indent + 4));
                json_value(item, indent + 4, rank, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            out.push_str("{\n");
            let mut entries = sorted(m);
            entries.sort_by_key(|(k, _)| rank(k));
            let n = entries.len();
            for (i, (k, item)) in entries.into_iter().enumerate() {
                out.push_str(&" ".repeat(indent + 4));
                json_string(k, out);
                out.push_str(": ");
                json_value(item, indent + 4, rank, out);
                if i + 1 < n {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
        }
    }
}

/// `json.Marshal(v)`: compact, keys sorted (what `-o jsonpath` prints for a map or a list).
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    compact(v, &mut out);
    out
}

fn compact(v: &Value, out: &mut String) {
    match v {
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in sorted(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                compact(item, out);
            }
            out.push('}');
        }
        other => json_value(other, 0, &|_| 0, out),
    }
}

/// Go's `encoding/json` string escaping (HTML-safe).
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The YAML document kubectl prints for `v` (a mapping at the top).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => mapping(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => sequence(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

fn mapping(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (i, (k, v)) in sorted(m).into_iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        let key = scalar(&Value::String(k.clone()), indent, indent);
        out.push_str(&key);
        out.push(':');
        value_after_key(v, indent, indent + key.chars().count() + 1, out);
    }
}

/// Writes a value after `key:` (the cursor is at `column`), ending with a newline.
fn value_after_key(v: &Value, indent: usize, column: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            out.push_str(&" ".repeat(indent + 2));
            mapping(m, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            sequence(a, indent, out);
        }
        Value::String(s) if s.contains('\n') && block_allowed(s) => {
            out.push(' ');
            literal(s, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2, column + 1));
            out.push('\n');
        }
    }
}

/// Items of a block sequence; the cursor is already at `indent` for the first one.
fn sequence(a: &[Value], indent: usize, out: &mut String) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => mapping(m, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => sequence(inner, indent + 2, out),
            Value::String(s) if s.contains('\n') && block_allowed(s) => literal(s, indent + 2, out),
            other => {
                out.push_str(&scalar(other, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A literal block scalar (`|`, `|-`, `|+`) with its lines at `indent`.
fn literal(s: &str, indent: usize, out: &mut String) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push('|');
    if s.starts_with(' ') {
        out.push('2');
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    let body = if trailing > 1 { &body[..body.len() - 1] } else { body };
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// libyaml's `block_allowed`: no trailing spaces before a break, no special characters.
fn block_allowed(s: &str) -> bool {
    !s.contains(" \n") && !s.chars().any(|c| c != '\n' && c != '\t' && (c.is_control() || c == '\u{feff}'))
}

/// One scalar as go-yaml v2 writes it. `indent` is where folded lines continue, `column` where
/// the scalar starts.
fn scalar(v: &Value, indent: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if !resolves_to_str(s) || s.chars().any(|c| c.is_control() && c != '\n') {
                double_quoted(s)
            } else if plain_allowed(s) {
                fold(s, indent, column)
            } else {
                format!("'{}'", s.replace('\'', "''"))
            }
        }
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// libyaml's `yaml_emitter_write_plain_scalar`: a space becomes a line break when the column is
/// already past the best width and the next character is not a space.
fn fold(s: &str, indent: usize, column: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut col = column;
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1).is_some_and(|n| *n == ' ');
            if !spaces && col > BEST_WIDTH && !next_space && i > 0 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push(c);
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// libyaml's scalar analysis for plain style in block context.
fn plain_allowed(s: &str) -> bool {
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') || s.contains('\n') {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_blank = chars.get(i + 1).is_none_or(|n| *n == ' ' || *n == '\t');
        let prev_blank = i > 0 && chars.get(i - 1).is_some_and(|p| *p == ' ' || *p == '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => return false,
                '?' | ':' | '-' if next_blank => return false,
                _ => {}
            }
        } else {
            match c {
                ':' if next_blank => return false,
                '#' if prev_blank => return false,
                _ => {}
            }
        }
    }
    true
}

/// go-yaml v2's `resolve("", s)` gives the `!!str` tag (and `s` is no base-60 float).
fn resolves_to_str(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
        "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return true;
    }
    !(is_int(s) || is_float(s) || is_base60(s) || is_timestamp(s))
}

fn is_int(s: &str) -> bool {
    let plain = s.replace('_', "");
    let body = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if body.is_empty() {
        return false;
    }
    if let Some(h) = body.strip_prefix("0x") {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(b) = body.strip_prefix("0b") {
        return !b.is_empty() && b.chars().all(|c| c == '0' || c == '1');
    }
    body.chars().all(|c| c.is_ascii_digit())
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mant_ok = match mant.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && frac.chars().all(|c| c.is_ascii_digit()),
        None => digits(mant),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mant_ok && exp_ok
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, _frac) = body.split_once('.').unwrap_or((body, ""));
    let mut parts = main.split(':');
    let Some(head) = parts.next() else { return false };
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_')
        && rest.iter().all(|p| {
            (1..=2).contains(&p.len())
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || p.starts_with(|c: char| ('0'..='5').contains(&c)))
        })
}

/// A YAML 1.1 timestamp (`2006-01-02`, `2006-01-02T15:04:05Z`, …) as go-yaml v2 accepts it.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if !(digit(0) && digit(1) && digit(2) && digit(3) && b.get(4) == Some(&b'-')) {
        return false;
    }
    // Date part: YYYY-M[M]-D[D].
    let mut i = 5;
    let mut n = 0;
    while digit(i) {
        i += 1;
        n += 1;
    }
    if !(1..=2).contains(&n) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    n = 0;
    while digit(i) {
        i += 1;
        n += 1;
    }
    if !(1..=2).contains(&n) {
        return false;
    }
    i == b.len() || matches!(b.get(i), Some(b'T' | b't' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting_follows_go_yaml_v2() {
        let v = json!({"a": "", "b": "123", "c": "2026-11-07T09:00:00Z", "d": "yes", "e": "plain text",
            "f": "- x", "g": "a: b", "h": "1.5", "i": "10.96.0.1", "j": "25%", "k": "*", "l": 3});
        assert_eq!(
            to_yaml(&v),
            "a: \"\"\nb: \"123\"\nc: \"2026-11-07T09:00:00Z\"\nd: \"yes\"\ne: plain text\nf: '- x'\ng: 'a: b'\nh: \"1.5\"\ni: 10.96.0.1\nj: 25%\nk: '*'\nl: 3\n"
        );
    }

    #[test]
    fn nesting_and_blocks() {
        let v = json!({"data": {"Corefile": ".:53 {\n    errors\n}\n"}, "items": [{"b": 1, "a": [1, 2]}], "m": {}, "n": []});
        assert_eq!(
            to_yaml(&v),
            "data:\n  Corefile: |\n    .:53 {\n        errors\n    }\nitems:\n- a:\n  - 1\n  - 2\n  b: 1\nm: {}\n\"n\": []\n"
        );
    }

    #[test]
    fn json_is_go_style() {
        let v = json!({"b": [], "a": {"x": "<&>"}, "c": [1]});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": {\n        \"x\": \"\\u003c\\u0026\\u003e\"\n    },\n    \"b\": [],\n    \"c\": [\n        1\n    ]\n}\n"
        );
    }

    #[test]
    fn long_plain_scalars_fold() {
        let long = "word ".repeat(30);
        let v = json!({"message": long.trim_end()});
        let y = to_yaml(&v);
        assert!(y.lines().count() > 1, "{y}");
        assert!(y.lines().nth(1).is_some_and(|l| l.starts_with("  word")), "{y}");
    }
}
