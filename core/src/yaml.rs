//! A span-preserving YAML tree: every scalar, sequence and mapping keeps the line and column
//! where it starts, so manifest diagnostics can point at `spec.ports[0].port` in the editor.
//!
//! Built from yaml-rust2's marked event stream (multi-document, YAML 1.2 core schema for plain
//! scalars). Anchors and aliases are resolved by copying the anchored node, after go-yaml's
//! alias heuristic accepted the document (so an alias bomb is refused as kubectl refuses it,
//! before anything is copied). Never panics, never runs unbounded: a syntax error or a limit
//! ([`crate::limits`]) is returned as [`YamlError`] with its position and how kubectl words it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::limits;

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

/// Why a YAML stream could not be read, and which layer of kubectl's reading said so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
    pub kind: ErrorKind,
}

/// The layer that refused the text: it decides how kubectl words the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The YAML scanner or parser, at a line: `yaml: line N: MESSAGE`.
    Syntax,
    /// A go-yaml scanner limit (`exceeded max depth of 10000`): `yaml: line N: MESSAGE`, where
    /// go-yaml leaves the line out on the first line (`parser.fail` skips mark line 0).
    Scanner,
    /// go-yaml's decoder (`failf` in decode.go: excessive aliasing, an anchor that contains
    /// itself, a bad merge), with no line: `yaml: MESSAGE`.
    Decode,
    /// Go's encoding/json, after sigs.k8s.io/yaml converted the YAML: `MESSAGE` follows
    /// `error unmarshaling JSON: while decoding JSON: `.
    Json,
    /// One of sdplay's own limits ([`crate::limits`]); the message says so.
    Sdplay,
}

impl YamlError {
    fn new(kind: ErrorKind, pos: Pos, message: impl Into<String>) -> YamlError {
        YamlError {
            pos,
            message: message.into(),
            kind,
        }
    }

    /// What kubectl prints after `error parsing FILE: ` (the resource builder's
    /// `StreamVisitor` wraps the decoder's error; sigs.k8s.io/yaml's `Unmarshal` says which
    /// conversion failed).
    pub fn kubectl(&self) -> String {
        let line = self.pos.line;
        match self.kind {
            ErrorKind::Syntax => format!("error converting YAML to JSON: yaml: line {line}: {}", self.message),
            ErrorKind::Scanner if line <= 1 => format!("error converting YAML to JSON: yaml: {}", self.message),
            ErrorKind::Scanner => format!("error converting YAML to JSON: yaml: line {line}: {}", self.message),
            ErrorKind::Decode => format!("error converting YAML to JSON: yaml: {}", self.message),
            ErrorKind::Json => format!("error unmarshaling JSON: while decoding JSON: {}", self.message),
            ErrorKind::Sdplay => self.message.clone(),
        }
    }
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

/// The size of a node's JSON as kubectl sends it (Go's `json.Marshal`: compact, `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u00XX`, control characters escaped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonSize {
    /// Bytes of the compact JSON text.
    pub bytes: usize,
    /// How many `"` and `\` that text holds: each doubles when the text itself is put in a
    /// JSON string (as `kubectl apply` puts it in its last-applied-configuration annotation).
    pub quotes: usize,
}

impl JsonSize {
    /// The bytes of this JSON text with a newline, as a JSON string value (the annotation).
    pub fn as_string_bytes(&self) -> usize {
        self.bytes + self.quotes + "\"\\n\"".len()
    }
}

/// One string's JSON size: (bytes, how many `"` and `\\` they hold), its own quotes not included.
fn json_str(text: &str) -> (usize, usize) {
    let (mut bytes, mut escapes) = (0, 0);
    for c in text.chars() {
        let (b, e) = match c {
            // `\"` and `\\`: two characters that double inside a string.
            '"' | '\\' => (2, 2),
            // Go 1.22 and later write \b and \f short too.
            '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => (2, 1),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => (6, 1),
            c if (c as u32) < 0x20 => (6, 1),
            c => (c.len_utf8(), 0),
        };
        bytes += b;
        escapes += e;
    }
    (bytes, escapes)
}

impl Node {
    /// The size of this node's compact JSON ([`JsonSize`]), counted without building it.
    pub fn json_size(&self) -> JsonSize {
        let mut size = JsonSize::default();
        let mut stack = vec![self];
        let string = |size: &mut JsonSize, text: &str| {
            let (b, e) = json_str(text);
            size.bytes += b + 2;
            size.quotes += e + 2;
        };
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Null => size.bytes += 4,
                Value::Bool(b) => size.bytes += if *b { 4 } else { 5 },
                Value::Int(i) => size.bytes += i.to_string().len(),
                Value::Float(f) => size.bytes += f.to_string().len(),
                Value::Str { text, .. } => string(&mut size, text),
                Value::Seq(items) => {
                    size.bytes += 2 + items.len().saturating_sub(1);
                    stack.extend(items.iter());
                }
                Value::Map(pairs) => {
                    // `{`, `}`, a `:` per entry and the commas between.
                    size.bytes += 2 + pairs.len() + pairs.len().saturating_sub(1);
                    for (k, v) in pairs {
                        string(&mut size, &k.as_text().unwrap_or_default());
                        stack.push(v);
                    }
                }
            }
        }
        size
    }
}

/// Dropping a tree takes its nodes apart one by one: the compiler's drop would recurse once
/// per level, and a 10,000-deep document (which go-yaml reads) would overflow the page's stack.
impl Drop for Node {
    fn drop(&mut self) {
        fn take(value: &mut Value, into: &mut Vec<Node>) {
            match value {
                Value::Seq(items) => into.append(items),
                Value::Map(pairs) => {
                    for (k, v) in pairs.drain(..) {
                        into.push(k);
                        into.push(v);
                    }
                }
                _ => {}
            }
        }
        let nested = match &self.value {
            Value::Seq(items) => items.iter().any(|n| matches!(n.value, Value::Seq(_) | Value::Map(_))),
            Value::Map(pairs) => pairs
                .iter()
                .any(|(k, v)| [k, v].iter().any(|n| matches!(n.value, Value::Seq(_) | Value::Map(_)))),
            _ => false,
        };
        if !nested {
            return;
        }
        let mut pending = Vec::new();
        take(&mut self.value, &mut pending);
        while let Some(mut node) = pending.pop() {
            take(&mut node.value, &mut pending);
        }
    }
}

/// One `---`-separated document and the line it starts on.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Node,
}

/// Parse every document of a YAML stream. Empty documents are dropped, as kubectl drops them.
///
/// Each document is first read into a flat list of nodes in which an alias is only a
/// reference; go-yaml's decode walk is then counted over it (`check_document`), so an
/// alias bomb is refused with go-yaml's words before a single node is copied, and only a
/// document go-yaml accepts is expanded into the [`Node`] tree.
pub fn parse_stream(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut docs = Vec::new();
    for_each_document(text, |d| docs.push(d))?;
    Ok(docs)
}

/// [`parse_stream`], handing each document to `each` as soon as it is complete instead of
/// collecting them: a caller that decodes a document and drops its tree holds one tree at a
/// time, not the whole stream's (a 2,000-document manifest's trees are several times its
/// text, and decoding each while it is still in the caches keeps the cost per document the
/// same at any length). On an error, the documents before it have been handed over; the
/// caller discards what it made of them, as kubectl applies nothing from a file it cannot read.
pub fn for_each_document(text: &str, mut each: impl FnMut(Document)) -> Result<(), YamlError> {
    if text.len() > limits::MAX_MANIFEST_BYTES {
        return Err(YamlError::new(
            ErrorKind::Sdplay,
            Pos { line: 1, col: 1 },
            format!(
                "sdplay: a manifest over {} MiB is not read (this one has {} bytes)",
                limits::MAX_MANIFEST_BYTES >> 20,
                text.len()
            ),
        ));
    }
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    // The event stream, one event at a time (yaml-rust2's `load` recurses once per level of
    // nesting, which a deep document turns into a stack overflow). An error the builder
    // finds in a document stops the reading: kubectl decodes the documents in order.
    let result = loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break Ok(()),
            Ok((ev, mark)) => {
                builder.on_event(ev, mark);
                if let Some(e) = builder.error.take() {
                    return Err(e);
                }
                for d in builder.docs.drain(..) {
                    if !matches!(d.root.value, Value::Null) {
                        each(d);
                    }
                }
            }
            Err(e) => break Err(e),
        }
    };
    if let Err(e) = result {
        let m = e.marker();
        let pos = Pos {
            line: m.line().max(1),
            col: m.col() + 1,
        };
        return Err(match e.info() {
            // go-yaml's parser (`parser.alias` in decode.go) names the anchor, with no line.
            "while parsing node, found unknown anchor" => YamlError::new(
                ErrorKind::Decode,
                pos,
                format!("unknown anchor '{}' referenced", alias_name(text, m)),
            ),
            // yaml-rust2 keeps the flow level in a u8 (go-yaml allows 10,000).
            "recursion limit exceeded" => YamlError::new(
                ErrorKind::Sdplay,
                pos,
                format!(
                    "sdplay: line {}: flow collections ([ ] and {{ }}) nested deeper than {} are not simulated (kubectl reads up to {})",
                    pos.line,
                    limits::MAX_FLOW_DEPTH,
                    limits::MAX_YAML_DEPTH
                ),
            ),
            info => YamlError::new(ErrorKind::Syntax, pos, info),
        });
    }
    for d in builder.docs {
        if !matches!(d.root.value, Value::Null) {
            each(d);
        }
    }
    Ok(())
}

/// The anchor name an alias token at `m` spells (`*name`), read back from the source: the
/// parser's events carry only the anchor's number.
fn alias_name(text: &str, m: &Marker) -> String {
    let line = text.split('\n').nth(m.line().saturating_sub(1)).unwrap_or("");
    let rest: String = line.chars().skip(m.col()).collect();
    let rest = rest.strip_prefix('*').unwrap_or(&rest);
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

/// One node of a document as the parser produced it: an alias is a reference (`Alias`), not
/// a copy.
#[derive(Debug)]
struct Raw {
    kind: RawKind,
    pos: Pos,
}

#[derive(Debug)]
enum RawKind {
    Scalar {
        value: Value,
        /// A plain `<<` (or `!!merge`): go-yaml's merge key (`isMerge`).
        merge: bool,
    },
    Seq(Vec<usize>),
    /// Keys and values, alternating.
    Map(Vec<usize>),
    /// The anchored node (an index into the same document's nodes) and where the alias is.
    Alias {
        target: usize,
        mark: Marker,
    },
}

struct Builder<'t> {
    text: &'t str,
    /// Documents completed and not yet handed to the caller (at most one between events).
    docs: Vec<Document>,
    /// The first problem found; later events are ignored.
    error: Option<YamlError>,
    /// The current document's nodes, its open collections and root.
    nodes: Vec<Raw>,
    open: Vec<usize>,
    root: Option<usize>,
    /// yaml-rust2's anchor number → the node it names (registered when the node starts, as
    /// go-yaml's parser does, so an alias inside its own anchor refers to it).
    anchors: HashMap<usize, usize>,
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

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            docs: Vec::new(),
            error: None,
            nodes: Vec::new(),
            open: Vec::new(),
            root: None,
            anchors: HashMap::new(),
        }
    }

    /// Add a node to the open collection (or make it the document's root).
    fn add(&mut self, raw: Raw, anchor: usize) -> usize {
        let id = self.nodes.len();
        self.nodes.push(raw);
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        match self.open.last() {
            None => self.root = Some(id),
            Some(&parent) => match &mut self.nodes[parent].kind {
                RawKind::Seq(items) | RawKind::Map(items) => items.push(id),
                _ => {}
            },
        }
        id
    }

    fn open(&mut self, kind: RawKind, anchor: usize, mark: &Marker) {
        let id = self.add(Raw { kind, pos: pos(mark) }, anchor);
        self.open.push(id);
        if self.open.len() > limits::MAX_YAML_DEPTH {
            self.error = Some(YamlError::new(
                ErrorKind::Scanner,
                pos(mark),
                format!("exceeded max depth of {}", limits::MAX_YAML_DEPTH),
            ));
        }
    }

    /// The document is complete: count go-yaml's decode walk over it, then expand it.
    fn end_document(&mut self) {
        let nodes = std::mem::take(&mut self.nodes);
        self.anchors.clear();
        self.open.clear();
        let Some(root) = self.root.take() else { return };
        if let Err(e) = check_document(&nodes, root, self.text) {
            self.error = Some(e);
            return;
        }
        self.docs.push(Document {
            root: expand(&nodes, root),
        });
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let merge = match &tag {
                    None => style == TScalarStyle::Plain && text == "<<",
                    Some(t) => t.suffix == "merge" && matches!(t.handle.as_str(), "tag:yaml.org,2002:" | "!!"),
                };
                let raw = Raw {
                    kind: RawKind::Scalar {
                        value: scalar(text, style),
                        merge,
                    },
                    pos: pos(&mark),
                };
                self.add(raw, anchor);
            }
            Event::Alias(id) => {
                // yaml-rust2 refuses a name never anchored; one anchored in an earlier
                // document is unknown to go-yaml too (anchors are per document).
                let Some(&target) = self.anchors.get(&id) else {
                    self.error = Some(YamlError::new(
                        ErrorKind::Decode,
                        pos(&mark),
                        format!("unknown anchor '{}' referenced", alias_name(self.text, &mark)),
                    ));
                    return;
                };
                let raw = Raw {
                    kind: RawKind::Alias { target, mark },
                    pos: pos(&mark),
                };
                self.add(raw, 0);
            }
            Event::SequenceStart(anchor, _) => self.open(RawKind::Seq(Vec::new()), anchor, &mark),
            Event::MappingStart(anchor, _) => self.open(RawKind::Map(Vec::new()), anchor, &mark),
            Event::SequenceEnd | Event::MappingEnd => {
                self.open.pop();
            }
            Event::DocumentEnd => self.end_document(),
            _ => {}
        }
    }
}

/// The node an alias stands for (an alias's target is never an alias: aliases carry no
/// anchor).
fn resolve(nodes: &[Raw], n: usize) -> usize {
    match nodes[n].kind {
        RawKind::Alias { target, .. } => target,
        _ => n,
    }
}

/// A decoded value as Go's `%#v` prints it after go-yaml decoded it into `interface{}`
/// (`[]interface {}{"a", 1}`, `map[interface {}]interface {}{"a":1}` with sorted keys,
/// `interface {}(nil)`), for `invalid map key: …`. Iterative, like everything here.
fn go_value(nodes: &[Raw], root: usize) -> String {
    enum Tok {
        Node(usize),
        Text(&'static str),
    }
    fn scalar(v: &Value) -> String {
        match v {
            Value::Null => "interface {}(nil)".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str { text, .. } => format!("{text:?}"),
            Value::Seq(_) | Value::Map(_) => String::new(),
        }
    }
    let mut out = String::new();
    let mut stack = vec![Tok::Node(root)];
    while let Some(t) = stack.pop() {
        let n = match t {
            Tok::Text(s) => {
                out.push_str(s);
                continue;
            }
            Tok::Node(n) => resolve(nodes, n),
        };
        match &nodes[n].kind {
            RawKind::Scalar { value, .. } => out.push_str(&scalar(value)),
            RawKind::Alias { .. } => out.push_str("interface {}(nil)"),
            RawKind::Seq(items) => {
                out.push_str("[]interface {}{");
                stack.push(Tok::Text("}"));
                for (i, &c) in items.iter().enumerate().rev() {
                    stack.push(Tok::Node(c));
                    if i > 0 {
                        stack.push(Tok::Text(", "));
                    }
                }
            }
            RawKind::Map(items) => {
                out.push_str("map[interface {}]interface {}{");
                stack.push(Tok::Text("}"));
                // fmt sorts map keys; the inner keys are scalars (a collection key inside
                // fails first). Numbers and strings each in their order, numbers first.
                let key = |k: usize| match &nodes[resolve(nodes, k)].kind {
                    RawKind::Scalar { value: Value::Int(i), .. } => (0, *i as f64, String::new()),
                    RawKind::Scalar {
                        value: Value::Float(f), ..
                    } => (0, *f, String::new()),
                    RawKind::Scalar { value, .. } => (1, 0.0, scalar(value)),
                    _ => (2, 0.0, String::new()),
                };
                let mut pairs: Vec<(usize, usize)> = items.chunks(2).filter(|p| p.len() == 2).map(|p| (p[0], p[1])).collect();
                pairs.sort_by(|a, b| {
                    let (x, y) = (key(a.0), key(b.0));
                    x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.cmp(&y.2))
                });
                for (i, &(k, v)) in pairs.iter().enumerate().rev() {
                    stack.push(Tok::Node(v));
                    stack.push(Tok::Text(":"));
                    stack.push(Tok::Node(k));
                    if i > 0 {
                        stack.push(Tok::Text(", "));
                    }
                }
            }
        }
    }
    out
}

/// go-yaml v2's decoder walk over one document (`decoder.unmarshal` in decode.go, decoding
/// into `interface{}` as sigs.k8s.io/yaml's `yamlToJSONTarget` does), counted, not performed:
/// every node visited is one decode, every node visited inside an alias's expansion also one
/// alias decode, and at each step [`limits::excessive_aliasing`] may refuse the document.
/// The walk is go-yaml's order (document, then depth first; a mapping's merge keys as
/// `decoder.merge` takes them, a sequence of merged maps from the last), so the same
/// documents are refused with the same first error. It stops at the first error, so an alias
/// bomb costs about a thousand steps; a document it accepts costs its expanded size, which the
/// heuristic bounds. Also measured on the way: the expanded depth, which Go's JSON decoder
/// limits ([`limits::MAX_JSON_DEPTH`]) after the conversion.
fn check_document(nodes: &[Raw], root: usize, text: &str) -> Result<(), YamlError> {
    enum Step {
        /// Decode a node that sits at this nesting depth.
        Visit(usize, usize),
        /// One element of a merged sequence: must be a mapping (or an alias of one).
        MergeItem(usize, usize),
        /// The alias's expansion is over.
        Leave(usize),
        /// A mapping key has been decoded: it must not be a collection.
        Key(usize),
    }
    let decode_err = |n: usize, message: String| YamlError::new(ErrorKind::Decode, nodes[n].pos, message);
    let want_map = |n: usize| decode_err(n, "map merge requires map or sequence of maps as the value".into());
    let is_map = |n: usize| match &nodes[n].kind {
        RawKind::Map(_) => true,
        RawKind::Alias { target, .. } => matches!(nodes[*target].kind, RawKind::Map(_)),
        _ => false,
    };
    let (mut decodes, mut aliased, mut alias_depth) = (1u64, 0u64, 0usize); // 1: the document node
    let mut active = vec![false; nodes.len()];
    let mut too_deep: Option<(usize, char)> = None;
    let mut stack = vec![Step::Visit(root, 1)];
    while let Some(step) = stack.pop() {
        let (n, depth) = match step {
            Step::Leave(a) => {
                active[a] = false;
                alias_depth -= 1;
                continue;
            }
            Step::Key(k) => {
                let r = resolve(nodes, k);
                if matches!(nodes[r].kind, RawKind::Seq(_) | RawKind::Map(_)) {
                    return Err(decode_err(k, format!("invalid map key: {}", go_value(nodes, r))));
                }
                continue;
            }
            Step::MergeItem(n, depth) => {
                if !is_map(n) {
                    return Err(want_map(n));
                }
                (n, depth)
            }
            Step::Visit(n, depth) => (n, depth),
        };
        decodes += 1;
        if alias_depth > 0 {
            aliased += 1;
        }
        if limits::excessive_aliasing(decodes, aliased) {
            return Err(decode_err(n, "document contains excessive aliasing".into()));
        }
        match &nodes[n].kind {
            RawKind::Scalar { .. } => {}
            RawKind::Alias { target, mark } => {
                if active[n] {
                    return Err(decode_err(n, format!("anchor '{}' value contains itself", alias_name(text, mark))));
                }
                active[n] = true;
                alias_depth += 1;
                stack.push(Step::Leave(n));
                stack.push(Step::Visit(*target, depth));
            }
            RawKind::Seq(items) | RawKind::Map(items) => {
                let is_seq = matches!(nodes[n].kind, RawKind::Seq(_));
                if depth > limits::MAX_JSON_DEPTH && too_deep.is_none() {
                    too_deep = Some((n, if is_seq { '[' } else { '{' }));
                }
                if is_seq {
                    stack.extend(items.iter().rev().map(|&c| Step::Visit(c, depth + 1)));
                    continue;
                }
                // Pushed in reverse, so that they are taken key, value, key, value...
                for pair in items.chunks(2).rev() {
                    let (k, v) = (pair[0], pair.get(1).copied());
                    let merge = matches!(nodes[k].kind, RawKind::Scalar { merge: true, .. });
                    match (merge, v) {
                        (true, Some(v)) => match &nodes[v].kind {
                            // The merged mapping's entries land in this mapping.
                            RawKind::Map(_) => stack.push(Step::Visit(v, depth)),
                            RawKind::Alias { .. } if is_map(v) => stack.push(Step::Visit(v, depth)),
                            // Earlier mappings take precedence: decoded from the last.
                            RawKind::Seq(list) => stack.extend(list.iter().map(|&c| Step::MergeItem(c, depth))),
                            _ => {
                                // Checked when go-yaml reaches this key; keep the order.
                                stack.push(Step::MergeItem(v, depth));
                            }
                        },
                        _ => {
                            if let Some(v) = v {
                                stack.push(Step::Visit(v, depth + 1));
                            }
                            stack.push(Step::Key(k));
                            stack.push(Step::Visit(k, depth + 1));
                        }
                    }
                }
            }
        }
    }
    if let Some((n, c)) = too_deep {
        return Err(YamlError::new(
            ErrorKind::Json,
            nodes[n].pos,
            format!("invalid character '{c}' exceeded max depth"),
        ));
    }
    Ok(())
}

/// The document as a [`Node`] tree, each alias replaced by a copy of its anchored node (at
/// the anchor's position). Iterative, so a deep document cannot exhaust the stack; only run
/// on a document [`check_document`] accepted, which bounds the copies.
fn expand(nodes: &[Raw], root: usize) -> Node {
    let resolve = |n: usize| resolve(nodes, n);
    let leaf = |n: usize| -> Option<Node> {
        match &nodes[n].kind {
            RawKind::Scalar { value, .. } => Some(Node {
                value: value.clone(),
                pos: nodes[n].pos,
            }),
            RawKind::Alias { .. } => Some(Node {
                value: Value::Null,
                pos: nodes[n].pos,
            }),
            _ => None,
        }
    };
    // Open collections: the node's items, how many are done, what is built so far.
    struct Frame<'a> {
        items: &'a [usize],
        next: usize,
        seq: bool,
        built: Vec<Node>,
        pos: Pos,
    }
    let frame = |n: usize| -> Option<Frame<'_>> {
        match &nodes[n].kind {
            RawKind::Seq(items) => Some(Frame {
                items,
                next: 0,
                seq: true,
                built: Vec::with_capacity(items.len()),
                pos: nodes[n].pos,
            }),
            RawKind::Map(items) => Some(Frame {
                items,
                next: 0,
                seq: false,
                built: Vec::with_capacity(items.len()),
                pos: nodes[n].pos,
            }),
            _ => None,
        }
    };
    let root = resolve(root);
    let Some(first) = frame(root) else {
        return leaf(root).unwrap_or(Node {
            value: Value::Null,
            pos: nodes[root].pos,
        });
    };
    let null = Node {
        value: Value::Null,
        pos: nodes[root].pos,
    };
    let mut stack = vec![first];
    loop {
        // The root frame is popped only at the end (which returns), so the stack is never
        // empty here; no panic path either way.
        let Some(top) = stack.last_mut() else { return null };
        if top.next < top.items.len() {
            let child = resolve(top.items[top.next]);
            top.next += 1;
            match leaf(child) {
                Some(node) => top.built.push(node),
                None => {
                    if let Some(f) = frame(child) {
                        stack.push(f);
                    }
                }
            }
            continue;
        }
        let Some(done) = stack.pop() else { return null };
        let value = if done.seq {
            Value::Seq(done.built)
        } else {
            let mut pairs = Vec::with_capacity(done.built.len() / 2);
            let mut it = done.built.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                pairs.push((k, v));
            }
            Value::Map(pairs)
        };
        let node = Node { value, pos: done.pos };
        match stack.last_mut() {
            Some(parent) => parent.built.push(node),
            None => return node,
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

    /// `p: [0 × n]`, `a: &a [x × k]`, `b: [*a × m]`: n + k plain nodes, m aliases of k + 1.
    fn aliased(n: usize, k: usize, m: usize) -> String {
        let mut s = String::new();
        if n > 0 {
            s.push_str(&format!("p: [{}]\n", vec!["0"; n].join(",")));
        }
        s.push_str(&format!("a: &a [{}]\n", vec!["x"; k].join(",")));
        s.push_str(&format!("b: [{}]\n", vec!["*a"; m].join(",")));
        s
    }

    fn refused(text: &str) -> Option<String> {
        parse_stream(text).err().map(|e| e.kubectl())
    }

    const EXCESSIVE: &str = "error converting YAML to JSON: yaml: document contains excessive aliasing";

    #[test]
    fn alias_bomb_is_refused_before_expanding() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
        }
        assert_eq!(refused(&bomb).as_deref(), Some(EXCESSIVE));
    }

    /// The boundaries below were found with this code and checked against kubectl v1.32.4
    /// (`kubectl create --dry-run=client -f`, go-yaml v2 through sigs.k8s.io/yaml): one alias
    /// fewer is read, the next one refused.
    #[test]
    fn alias_ratio_boundary_for_small_documents_is_go_yamls() {
        // Under 400,000 decodes, 99% may come from aliases.
        assert_eq!(refused(&aliased(0, 200, 199)), None);
        assert_eq!(refused(&aliased(0, 200, 200)).as_deref(), Some(EXCESSIVE));
        // Nine-element anchors never pass 99%: any number of aliases is read.
        assert_eq!(refused(&aliased(0, 9, 2_000)), None);
    }

    #[test]
    fn alias_ratio_boundary_in_the_scaled_range_is_go_yamls() {
        // About 1.3 million decodes: the allowed share is scaled between 99% and 10%. (Past 4
        // million decodes, 10%: 444 aliases of a 1,000-element anchor beside 4,000,000 plain
        // nodes are read, 445 refused, by kubectl and by this code; an 8 MB input, checked by
        // hand rather than here.)
        assert_eq!(refused(&aliased(300_000, 1_000, 996)), None);
        assert_eq!(refused(&aliased(300_000, 1_000, 997)).as_deref(), Some(EXCESSIVE));
    }

    #[test]
    fn alias_errors_as_go_yaml_words_them() {
        assert_eq!(
            refused("a: &a [*a]\n").as_deref(),
            Some("error converting YAML to JSON: yaml: anchor 'a' value contains itself")
        );
        assert_eq!(
            refused("a: *nope\n").as_deref(),
            Some("error converting YAML to JSON: yaml: unknown anchor 'nope' referenced")
        );
        assert_eq!(
            refused("a: &m {x: 1}\nb:\n  <<: [*m, 3]\n").as_deref(),
            Some("error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value")
        );
        // Anchors are per document.
        assert_eq!(
            refused("a: &a 1\n---\nb: *a\n").as_deref(),
            Some("error converting YAML to JSON: yaml: unknown anchor 'a' referenced")
        );
    }

    #[test]
    fn aliases_expand_to_copies() {
        let docs = parse_stream("a: &a {x: [1, 2]}\nb: *a\nc: [*a, *a]\n").unwrap();
        let root = &docs[0].root;
        assert_eq!(root.get("b"), root.get("a"));
        let c = root.get("c").unwrap().as_seq().unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(Some(&c[1]), root.get("a"));
    }

    #[test]
    fn depth_limits_are_go_yamls_and_encoding_jsons() {
        // go-yaml's max_indents: 10,001 nested block sequences; on line 1 go-yaml names no line.
        assert_eq!(
            refused(&format!("{}x\n", "- ".repeat(10_001))).as_deref(),
            Some("error converting YAML to JSON: yaml: exceeded max depth of 10000")
        );
        assert_eq!(refused(&format!("{}x\n", "- ".repeat(10_000))), None);
        // Deeper than 10,000 only through aliases: the YAML is read, its JSON refused.
        let mut text = format!("a0: &a0 {}x{}\n", "[".repeat(200), "]".repeat(200));
        for i in 1..=50 {
            text.push_str(&format!("a{i}: &a{i} {}*a{}{}\n", "[".repeat(200), i - 1, "]".repeat(200)));
        }
        assert_eq!(
            refused(&text).as_deref(),
            Some("error unmarshaling JSON: while decoding JSON: invalid character '[' exceeded max depth")
        );
        // yaml-rust2's own flow limit is sdplay's message.
        let flow = refused(&format!("a: {}{}\n", "[".repeat(300), "]".repeat(300))).unwrap();
        assert!(flow.starts_with("sdplay: line 1: flow collections"), "{flow}");
    }

    /// A 10,000-deep document is read, decoded and dropped on a 1 MiB stack (the page's wasm
    /// stack): nothing on the way recurses per level.
    #[test]
    fn deep_documents_fit_the_wasm_stack() {
        let text = format!("{}x\n", "- ".repeat(10_000));
        let r = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let docs = parse_stream(&text).unwrap();
                let _ = crate::manifest::parse(&text);
                docs.len()
            })
            .unwrap()
            .join();
        assert_eq!(r.ok(), Some(1));
    }

    #[test]
    fn json_size_is_the_compact_json() {
        let text = "a: [1, true, null, \"x<\\\"\"]\nb: {c: 2.5}\n";
        let docs = parse_stream(text).unwrap();
        let root = &docs[0].root;
        // Go: {"a":[1,true,null,"x\u003c\""],"b":{"c":2.5}}
        let go = r#"{"a":[1,true,null,"x\u003c\""],"b":{"c":2.5}}"#;
        let size = root.json_size();
        assert_eq!(size.bytes, go.len());
        assert_eq!(size.quotes, go.matches(['"', '\\']).count());
        assert_eq!(size.as_string_bytes(), serde_json::to_string(&format!("{go}\n")).unwrap().len());
    }

    #[test]
    fn collection_keys_are_refused_as_go_yaml_prints_them() {
        // Checked against kubectl v1.32.4.
        assert_eq!(
            refused("? [a, 1, true, null, 1.5]\n: 1\n").as_deref(),
            Some(r#"error converting YAML to JSON: yaml: invalid map key: []interface {}{"a", 1, true, interface {}(nil), 1.5}"#)
        );
        assert_eq!(
            refused("? {b: 1, a: [x]}\n: 1\n").as_deref(),
            Some(r#"error converting YAML to JSON: yaml: invalid map key: map[interface {}]interface {}{"a":[]interface {}{"x"}, "b":1}"#)
        );
        assert_eq!(
            refused("k: &k [a]\n*k : 1\n").as_deref(),
            Some(r#"error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}"#)
        );
    }
}
