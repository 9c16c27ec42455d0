//! A span-preserving YAML tree: every scalar, sequence and mapping keeps the line and column
//! where it starts, so manifest diagnostics can point at `spec.ports[0].port` in the editor.
//!
//! Built from yaml-rust2's marked event stream (multi-document, YAML 1.2 core schema for plain
//! scalars). Anchors and aliases are resolved by copying the anchored node. Never panics: a
//! syntax error is returned as [`YamlError`] with its position.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One YAML value with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string; `quoted` tells whether it was written in quotes (so `"80"` stays a string).
    Str {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A syntax error, as the YAML scanner reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl Node {
    /// The scalar as text, if it is a scalar (numbers and bools print as written in YAML 1.2).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str { text, .. } => Some(text.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Look up a key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_text().as_deref() == Some(key))
            .map(|(_, v)| v)
    }

    /// The Go/JSON type name used in kubectl's decoding errors.
    pub fn json_type(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str { .. } => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Convert to JSON (as the API server sees the object after kubectl converts YAML).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
            Value::Str { text, .. } => J::String(text.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    m.insert(k.as_text().unwrap_or_default(), v.to_json());
                }
                J::Object(m)
            }
        }
    }
}

/// One `---`-separated document and the line it starts on.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Node,
}

/// Parse every document of a YAML stream. Empty documents are dropped, as kubectl drops them.
pub fn parse_stream(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    match parser.load(&mut builder, true) {
        Ok(()) => {}
        Err(e) => {
            let m = e.marker();
            return Err(YamlError {
                pos: Pos {
                    line: m.line().max(1),
                    col: m.col() + 1,
                },
                message: e.info().to_string(),
            });
        }
    }
    Ok(builder.docs.into_iter().filter(|d| !matches!(d.root.value, Value::Null)).collect())
}

#[derive(Default)]
struct Builder {
    docs: Vec<Document>,
    stack: Vec<(Node, usize)>,
    /// Pending mapping key per open mapping (parallel to `stack` entries that are maps).
    keys: Vec<Option<Node>>,
    anchors: Vec<(usize, Node)>,
}

fn pos(m: &Marker) -> Pos {
    Pos {
        line: m.line().max(1),
        col: m.col() + 1,
    }
}

fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::Str { text, quoted: true };
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Int(i);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Int(i);
        }
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'-' || b == b'+');
    if looks_float {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str { text, quoted: false }
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(Document { root: node }),
            Some((parent, _)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => {
                    let slot = self.keys.last_mut();
                    if let Some(slot) = slot {
                        match slot.take() {
                            None => *slot = Some(node),
                            Some(key) => entries.push((key, node)),
                        }
                    }
                }
                _ => {}
            },
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    value: scalar(text, style),
                    pos: pos(&mark),
                };
                self.remember(anchor, &node);
                self.push_value(node);
            }
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or(Node {
                        value: Value::Null,
                        pos: pos(&mark),
                    });
                self.push_value(node);
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push((
                    Node {
                        value: Value::Seq(Vec::new()),
                        pos: pos(&mark),
                    },
                    anchor,
                ));
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push((
                    Node {
                        value: Value::Map(Vec::new()),
                        pos: pos(&mark),
                    },
                    anchor,
                ));
                self.keys.push(None);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor)) = self.stack.pop() {
                    if matches!(node.value, Value::Map(_)) {
                        self.keys.pop();
                    }
                    self.remember(anchor, &node);
                    self.push_value(node);
                }
            }
            Event::DocumentEnd => {
                // A document with no content at all (`---` followed by `---`).
                // yaml-rust2 emits no node for it; nothing to do.
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let docs = parse_stream("a: 1\nb:\n  c: \"80\"\n").unwrap();
        let root = &docs[0].root;
        let c = root.get("b").unwrap().get("c").unwrap();
        assert_eq!(c.pos, Pos { line: 3, col: 6 });
        assert_eq!(
            c.value,
            Value::Str {
                text: "80".into(),
                quoted: true
            }
        );
        assert_eq!(root.get("a").unwrap().value, Value::Int(1));
    }

    #[test]
    fn multi_document_and_empty_documents() {
        let docs = parse_stream("---\na: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].root.pos.line, 5);
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse_stream("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1);
        assert!(!err.message.is_empty());
    }
}
