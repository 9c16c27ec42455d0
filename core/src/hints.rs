//! Help beyond kubectl: the likely cause of a manifest's problem, as typed data for the page's
//! problems list (`view::problems`); the words are `explain::hint`'s. The terminal keeps
//! kubectl's exact wording, these never reach it.
//!
//! - [`Hint::IndentUnder`]: a field the strict decoder does not know where it is written, but
//!   does know one level deeper, under an earlier key that is empty (`metadata:` with nothing
//!   below it) or that already took such a field. Found by moving the field there in a copy of
//!   the tree and decoding again: the hint is given only when that removes the unknown field
//!   without a type error, so it never guesses from a table of field names.
//! - [`Hint::SelectorMatchesNothing`]: a Service whose selector matches none of the Pods and
//!   Pod templates the same file declares in its namespace, while some of them carry one of
//!   its keys (a near miss: `app: enterprize` beside Pods labelled `app: enterprise`).

use crate::manifest::{self, DecodeError, Item};
use crate::model::*;
use crate::yaml::{self, Node, Pos, Value};

/// A likely cause, positioned like the diagnostic it explains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// `key` (line `line`) belongs under `parent` (line `parent_line`): indent it.
    IndentUnder {
        key: String,
        line: usize,
        parent: String,
        parent_line: usize,
    },
    /// The Service's `selector` (`k=v,…`) matches none of `pods` (kind/name and its labels),
    /// the file's Pods and templates in its namespace that carry one of its keys.
    SelectorMatchesNothing {
        service: String,
        selector: String,
        pods: Vec<(String, String)>,
    },
}

/// A hint and where it points (the key of the misplaced field, the Service's selector).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub pos: Pos,
    pub hint: Hint,
}

/// Texts beyond this are not searched for hints (each candidate move decodes the document
/// again): the problems list must stay responsive while a large paste is edited.
const MAX_TEXT: usize = 128 * 1024;
/// Unknown fields looked at, over the whole text.
const MAX_UNKNOWN: usize = 32;

/// Every hint for a manifest, in document order.
pub fn hints(text: &str) -> Vec<Located> {
    if text.len() > MAX_TEXT {
        return Vec::new();
    }
    let Ok(docs) = yaml::parse_stream(text) else { return Vec::new() };
    let mut out = Vec::new();
    let mut items = Vec::new();
    let mut budget = MAX_UNKNOWN;
    for d in &docs {
        let item = manifest::decode_node(&d.root);
        if let Err(DecodeError::UnknownFields(f)) = &item.result {
            if budget > 0 {
                indent_hints(&d.root, f, budget, &mut out);
                budget = budget.saturating_sub(f.len());
            }
        }
        items.push(item);
    }
    selector_hints(&items, &mut out);
    out
}

/// One step from a node to a child: the value of a mapping's entry, or a sequence's item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Entry(usize),
    Item(usize),
}

fn child_mut<'a>(node: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    let mut n = node;
    for s in path {
        n = match (s, &mut n.value) {
            (Step::Entry(i), Value::Map(m)) => &mut m.get_mut(*i)?.1,
            (Step::Item(i), Value::Seq(v)) => v.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(n)
}

/// Every mapping entry under `node`: (path to its value, its key, its value).
fn entries<'a>(node: &'a Node, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, &'a Node, &'a Node)>) {
    match &node.value {
        Value::Map(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                path.push(Step::Entry(i));
                out.push((path.clone(), k, v));
                entries(v, path, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Item(i));
                entries(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The dotted field path of `path` (`spec.selector`, `spec.ports[0]`).
fn field_path(root: &Node, path: &[Step]) -> String {
    let mut out = String::new();
    let mut n = root;
    for s in path {
        match (s, &n.value) {
            (Step::Entry(i), Value::Map(m)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&m[*i].0.as_text().unwrap_or_default());
                n = &m[*i].1;
            }
            (Step::Item(i), Value::Seq(v)) => {
                out.push_str(&format!("[{i}]"));
                n = &v[*i];
            }
            _ => break,
        }
    }
    out
}

fn unknown_count(item: &Item) -> Option<usize> {
    match &item.result {
        Ok(_) => Some(0),
        Err(DecodeError::UnknownFields(f)) => Some(f.len()),
        Err(_) => None,
    }
}

/// Indentation hints for one document: each unknown field (in order) is tried under the
/// nearest earlier entry that is empty in the text or already took a moved field (not its own
/// ancestors), nearest first; the first move that lowers the unknown count and adds no type
/// error is kept, so later fields are judged on the repaired tree.
fn indent_hints(root: &Node, unknown: &[manifest::FieldIssue], budget: usize, out: &mut Vec<Located>) {
    // A mapping with a key twice is a YAML error upstream (`mapping key "spec" already
    // defined`), and the decoder would judge only one of the two: no guess is safe.
    if has_duplicate_keys(root) {
        return;
    }
    let mut tree = root.clone();
    let mut filled: Vec<Pos> = Vec::new();
    for issue in unknown.iter().take(budget) {
        let mut all = Vec::new();
        entries(&tree, &mut Vec::new(), &mut all);
        let Some((own, key, _)) = all.iter().find(|(_, k, _)| k.pos == issue.pos).cloned() else {
            continue;
        };
        let Some(before) = unknown_count(&manifest::decode_node(&tree)) else {
            return;
        };
        let mut candidates: Vec<(Vec<Step>, Pos)> = all
            .iter()
            .filter(|(p, k, v)| {
                k.pos < key.pos
                    && !own.starts_with(p)
                    && (matches!(v.value, Value::Null) || (filled.contains(&k.pos) && matches!(v.value, Value::Map(_))))
            })
            .map(|(p, k, _)| (p.clone(), k.pos))
            .collect();
        candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
        let key_text = key.as_text().unwrap_or_default();
        for (target, target_pos) in candidates {
            let mut trial = tree.clone();
            let (parent, idx) = own.split_at(own.len() - 1);
            let Step::Entry(i) = idx[0] else { continue };
            let Some(Value::Map(m)) = child_mut(&mut trial, parent).map(|n| &mut n.value) else {
                continue;
            };
            let entry = m.remove(i);
            let Some(t) = child_mut(&mut trial, &target) else { continue };
            match &mut t.value {
                Value::Map(m) => m.push(entry),
                v => *v = Value::Map(vec![entry]),
            }
            let Some(after) = unknown_count(&manifest::decode_node(&trial)) else {
                continue;
            };
            if after < before {
                out.push(Located {
                    pos: key.pos,
                    hint: Hint::IndentUnder {
                        key: key_text.clone(),
                        line: key.pos.line,
                        parent: field_path(&tree, &target),
                        parent_line: target_pos.line,
                    },
                });
                filled.push(target_pos);
                tree = trial;
                break;
            }
        }
    }
}

/// Whether any mapping under `node` has the same key twice.
fn has_duplicate_keys(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) => {
            let keys: Vec<Option<String>> = m.iter().map(|(k, _)| k.as_text()).collect();
            keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k)) || m.iter().any(|(_, v)| has_duplicate_keys(v))
        }
        Value::Seq(items) => items.iter().any(has_duplicate_keys),
        _ => false,
    }
}

/// The namespace an object lands in when applied without `-n` (the context's, `default`).
fn effective_ns(meta: &ObjectMeta) -> &str {
    if meta.namespace.is_empty() {
        "default"
    } else {
        &meta.namespace
    }
}

/// Selector hints: each Service with a selector that matches no Pod or Pod template of the file
/// in its namespace, when some of those carry one of the selector's keys.
fn selector_hints(items: &[Item], out: &mut Vec<Located>) {
    let mut pods: Vec<(&str, String, &Labels)> = Vec::new();
    for item in items {
        let Ok(obj) = &item.result else { continue };
        let labels = match obj {
            Object::Pod(p) => &p.meta.labels,
            Object::Deployment(d) => &d.template.labels,
            Object::ReplicaSet(r) => &r.template.labels,
            Object::DaemonSet(d) => &d.template.labels,
            _ => continue,
        };
        let m = obj.meta();
        pods.push((effective_ns(m), format!("{}/{}", obj.kind().resource(), m.name), labels));
    }
    for item in items {
        let Ok(Object::Service(s)) = &item.result else { continue };
        let Some(sel) = s.spec.selector.as_ref().filter(|s| !s.is_empty()) else {
            continue;
        };
        let ns = effective_ns(&s.meta);
        // Pods of the same labelling scheme: carrying at least one of the selector's keys (a
        // selector whose keys no Pod here has is likely meant for Pods made elsewhere).
        let here: Vec<&(&str, String, &Labels)> = pods
            .iter()
            .filter(|(n, _, l)| *n == ns && sel.keys().any(|k| l.contains_key(k)))
            .collect();
        if here.is_empty() || pods.iter().any(|(n, _, l)| *n == ns && selector_matches(sel, l)) {
            continue;
        }
        let pairs = |l: &Labels| l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
        out.push(Located {
            pos: item.pos_of("spec.selector"),
            hint: Hint::SelectorMatchesNothing {
                service: s.meta.name.to_string(),
                selector: pairs(sel),
                pods: here.iter().map(|(_, name, l)| (name.clone(), pairs(l))).collect(),
            },
        });
    }
    out.sort_by_key(|h| h.pos);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chapter's snippet: nothing indented. Every unknown field gets the parent it was
    /// meant for, judged by decoding the repaired tree.
    #[test]
    fn chapter_snippet_gets_indentation_hints() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\nname: ent\nspec:\nselector:\napp: web\nports:\n- port: 8080\n";
        let got: Vec<(String, String, usize)> = hints(text)
            .into_iter()
            .map(|h| match h.hint {
                Hint::IndentUnder {
                    key, parent, parent_line, ..
                } => (key, parent, parent_line),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                ("name".to_string(), "metadata".to_string(), 3),
                ("selector".to_string(), "spec".to_string(), 5),
                ("app".to_string(), "spec.selector".to_string(), 6),
                ("ports".to_string(), "spec".to_string(), 5),
            ]
        );
    }

    /// Flattening a whole manifest repeats keys (two `metadata:` at the top): no hints then.
    #[test]
    fn no_guesses_when_a_key_is_repeated() {
        let text = "kind: Deployment\napiVersion: apps/v1\nmetadata:\nname: web\nspec:\nselector:\nmatchLabels:\napp: web\nreplicas: 2\ntemplate:\nmetadata:\nlabels:\napp: web\nspec:\ncontainers:\n- image: nginx\n";
        assert!(hints(text).is_empty());
    }

    #[test]
    fn a_typo_is_not_an_indentation_problem() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ent\nspec:\n  selector:\n    app: web\n  portz:\n  - port: 80\n";
        assert!(hints(text).is_empty());
    }

    #[test]
    fn selector_matching_no_pod_in_the_file() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: wbe\n  ports:\n  - port: 80\n";
        let h = hints(text);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].pos.line, 24, "placed where validation places spec.selector");
        assert_eq!(
            h[0].hint,
            Hint::SelectorMatchesNothing {
                service: "web".into(),
                selector: "app=wbe".into(),
                pods: vec![("deployment.apps/web".into(), "app=web".into())],
            }
        );
        assert!(hints(&text.replace("app: wbe", "app: web")).is_empty());
        // A Service alone in its file: its Pods may be anywhere.
        assert!(hints(&text[text.find("---").unwrap() + 4..]).is_empty());
    }
}
