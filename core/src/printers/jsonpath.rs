//! `-o jsonpath=TEMPLATE` for simple templates (`k8s.io/client-go/util/jsonpath` as kubectl
//! runs it, missing keys allowed): text outside braces as is, `{"\n"}` string literals, and
//! field paths with `.name`, `['name']`, `[N]` (negative from the end) and `[*]`
//! (`{.spec.clusterIP}`, `{.items[*].metadata.name}`). Several results of one expression are
//! joined by a space; strings print bare, maps and lists as compact JSON, `null` as `null`.
//! `range`, filters and slices are refused as not simulated.

use serde_json::Value;

use super::goyaml;

enum Step {
    Field(String),
    Index(i64),
    All,
}

fn parse_path(expr: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let e = expr.trim();
    let mut rest = e.strip_prefix('$').unwrap_or(e);
    if rest.is_empty() {
        return Ok(steps);
    }
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = r.get(..end).unwrap_or("");
            if name == "*" {
                steps.push(Step::All);
            } else if !name.is_empty() {
                steps.push(Step::Field(name.to_string()));
            }
            rest = r.get(end..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err("unterminated array".into());
            };
            let inner = r.get(..end).unwrap_or("").trim();
            if inner == "*" {
                steps.push(Step::All);
            } else if let Some(q) = inner
                .strip_prefix('\'')
                .and_then(|q| q.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|q| q.strip_suffix('"')))
            {
                steps.push(Step::Field(q.to_string()));
            } else if let Ok(n) = inner.parse::<i64>() {
                steps.push(Step::Index(n));
            } else {
                return Err(format!("sdplay: jsonpath [{inner}] is not simulated yet"));
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            return Err(format!("sdplay: jsonpath {{{expr}}} is not simulated yet"));
        }
    }
    Ok(steps)
}

fn eval<'a>(v: &'a Value, steps: &[Step]) -> Result<Vec<&'a Value>, String> {
    let mut cur = vec![v];
    for s in steps {
        let mut next = Vec::new();
        for v in cur {
            match (s, v) {
                (Step::Field(f), Value::Object(m)) => next.extend(m.get(f)),
                (Step::All, Value::Array(a)) => next.extend(a.iter()),
                (Step::All, Value::Object(m)) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.sort();
                    next.extend(keys.into_iter().filter_map(|k| m.get(k)));
                }
                (Step::Index(i), Value::Array(a)) => {
                    let len = a.len() as i64;
                    let at = if *i < 0 { len + i } else { *i };
                    match usize::try_from(at).ok().and_then(|at| a.get(at)) {
                        Some(x) => next.push(x),
                        None => return Err(format!("array index out of bounds: index {i}, length {len}")),
                    }
                }
                _ => {}
            }
        }
        cur = next;
    }
    Ok(cur)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => goyaml::to_json_compact(other),
    }
}

/// The template applied to `v`; `Err` is the whole error line kubectl prints (without the
/// debugging dump of the object).
pub fn render(template: &str, v: &Value) -> Result<String, String> {
    let fail = |e: String| {
        if e.starts_with("sdplay:") {
            format!("{e}\n")
        } else {
            format!("error: error executing jsonpath {template:?}: Error executing template: {e}.\n")
        }
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            return Err(format!("error: error parsing jsonpath {template}, unclosed action\n"));
        };
        let expr = after.get(..close).unwrap_or("").trim();
        rest = after.get(close + 1..).unwrap_or("");
        if let Some(lit) = expr.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
            out.push_str(&lit.replace("\\n", "\n").replace("\\t", "\t"));
            continue;
        }
        let steps = parse_path(expr).map_err(fail)?;
        let vals = eval(v, &steps).map_err(fail)?;
        out.push_str(&vals.iter().map(|v| text(v)).collect::<Vec<_>>().join(" "));
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths() {
        let v = json!({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}],
                       "spec": {"clusterIP": "10.96.0.1", "selector": {"app": "x"}}});
        assert_eq!(render("{.items[*].metadata.name}", &v).unwrap(), "a b");
        assert_eq!(render("ip={.spec.clusterIP}{\"\\n\"}", &v).unwrap(), "ip=10.96.0.1\n");
        assert_eq!(render("{.spec.selector}", &v).unwrap(), "{\"app\":\"x\"}");
        assert_eq!(render("{.spec.missing}", &v).unwrap(), "");
        assert_eq!(render("{.items[-1].metadata['name']}", &v).unwrap(), "b");
        assert!(render("{.items[5]}", &v).unwrap_err().contains("index 5, length 2"));
    }
}
