//! Manifest text → typed objects, with diagnostics that carry file, line, column and field path.
//!
//! This is kubectl's client side plus the API server's decoder: YAML is parsed into a spanned
//! tree ([`crate::yaml`]), split into objects (documents and `kind: List` items), and each object
//! is decoded strictly — unknown fields and wrong types are errors worded as the API server words
//! them. Decoding never panics; every failure is a [`DecodeError`] value.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;

use crate::model::*;
use crate::yaml::{self, Node, Pos, Value};

/// A problem in a manifest, positioned for the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub pos: Pos,
    /// JSON path of the field, e.g. `spec.ports[0].port` (empty for syntax errors).
    pub path: String,
    pub message: String,
}

/// Why one object could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `kind` is missing.
    KindNotSet,
    /// `apiVersion` is missing.
    ApiVersionNotSet,
    /// No such kind (or not at that apiVersion).
    NoMatch { kind: String, version: String },
    /// Fields the type does not have (strict decoding).
    UnknownFields(Vec<FieldIssue>),
    /// A value of the wrong JSON type.
    WrongType(FieldIssue),
    /// The document is not a mapping.
    NotAnObject,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    pub path: String,
    pub pos: Pos,
    /// For type errors: the API server's sentence.
    pub detail: String,
}

/// Field path → position, for every field decoded: the paths in one string, their ends and
/// positions in one vector, in decode order. (A `BTreeMap<String, Pos>` cost a tree node share
/// and a string per field, some forty allocations per object, and kept a whole file's objects
/// from fitting in the caches before they were applied.) Read only to place an error, by a
/// scan from the latest, so a path recorded twice answers with its last position, as a map's
/// insert would.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    paths: String,
    ends: Vec<(usize, Pos)>,
}

impl Positions {
    pub fn insert(&mut self, path: &str, pos: Pos) {
        self.paths.push_str(path);
        self.ends.push((self.paths.len(), pos));
    }

    /// `parent.key` (or `key` at the top), without building the joined string.
    fn insert_child(&mut self, parent: &str, key: &str, pos: Pos) {
        if !parent.is_empty() {
            self.paths.push_str(parent);
            self.paths.push('.');
        }
        self.paths.push_str(key);
        self.ends.push((self.paths.len(), pos));
    }

    /// The (latest) position recorded for `path`.
    pub fn get(&self, path: &str) -> Option<Pos> {
        (0..self.ends.len()).rev().find_map(|i| {
            let start = i.checked_sub(1).map_or(0, |j| self.ends[j].0);
            let (end, pos) = self.ends[i];
            (self.paths.get(start..end) == Some(path)).then_some(pos)
        })
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every path with its latest position, in a map built once: for placing many errors of
    /// one object (`diagnostics`), where a scan per error would cost errors × fields.
    pub fn index(&self) -> HashMap<&str, Pos> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&(end, pos)| {
                let path = self.paths.get(start..end).unwrap_or_default();
                start = end;
                (path, pos)
            })
            .collect()
    }

    fn append(&mut self, other: Positions) {
        let base = self.paths.len();
        self.paths.push_str(&other.paths);
        self.ends.extend(other.ends.into_iter().map(|(e, p)| (base + e, p)));
    }
}

/// One object read from a manifest (or the reason it could not be read).
#[derive(Clone, Debug)]
pub struct Item {
    pub pos: Pos,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    /// `metadata.generateName`, as written (empty when missing).
    pub generate_name: String,
    pub namespace: Option<String>,
    pub result: Result<Object, DecodeError>,
    /// Position of every decoded field path, so admission errors can be placed too.
    pub positions: Positions,
    /// The size of the object's JSON as kubectl sends it (for the API server's and etcd's
    /// size limits, [`crate::limits`]).
    pub json: yaml::JsonSize,
}

/// A whole file: either a YAML syntax error or its items in order.
#[derive(Clone, Debug)]
pub enum Parsed {
    Syntax(yaml::YamlError),
    Items(Vec<Item>),
}

/// Parse and decode a file. Each document is decoded as soon as the parser has read it and
/// its tree dropped: the trees of a long stream are never all alive at once, and a document
/// is decoded while it is still in the caches (so a file of 2,000 documents costs ten times
/// one of 200, not more). A syntax error anywhere still makes the whole file [`Parsed::Syntax`].
pub fn parse(text: &str) -> Parsed {
    let mut items = Vec::new();
    // sdplay's own bound on the objects of one file, counted over the whole file (the
    // message says how many it has); nothing more is decoded once it is passed.
    let mut count: usize = 0;
    let read = yaml::for_each_document(text, |doc| {
        count += match (
            doc.root.get("kind").and_then(Node::as_str),
            doc.root.get("items").and_then(Node::as_seq),
        ) {
            (Some("List"), Some(items)) => items.len(),
            _ => 1,
        };
        if count <= crate::limits::MAX_OBJECTS_PER_FILE {
            flatten(&doc.root, &mut items);
        } else if !items.is_empty() {
            items = Vec::new();
        }
    });
    match read {
        Err(e) => Parsed::Syntax(e),
        Ok(()) if count > crate::limits::MAX_OBJECTS_PER_FILE => Parsed::Syntax(yaml::YamlError {
            pos: Pos { line: 1, col: 1 },
            message: format!(
                "sdplay: a file of more than {} objects is not simulated (this one has {count})",
                crate::limits::MAX_OBJECTS_PER_FILE
            ),
            kind: yaml::ErrorKind::Sdplay,
        }),
        Ok(()) => Parsed::Items(items),
    }
}

fn flatten(node: &Node, out: &mut Vec<Item>) {
    if node.get("kind").and_then(Node::as_str) == Some("List") {
        if let Some(items) = node.get("items").and_then(Node::as_seq) {
            for i in items {
                flatten(i, out);
            }
            return;
        }
    }
    let mut item = decode(node);
    item.json = node.json_size();
    out.push(item);
}

/// Every diagnostic for a file (for the editor), independent of cluster state.
pub fn diagnostics(file: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match parse(text) {
        Parsed::Syntax(e) => out.push(Diagnostic {
            file: file.into(),
            pos: e.pos,
            path: String::new(),
            message: e.kubectl(),
        }),
        Parsed::Items(items) => {
            for item in items {
                if let Err(err) = &item.result {
                    for (pos, path, message) in err.issues(&item) {
                        out.push(Diagnostic {
                            file: file.into(),
                            pos,
                            path,
                            message,
                        });
                    }
                } else if let Ok(obj) = &item.result {
                    let errors = crate::api::validation::validate(obj);
                    // Built only when there is something to place (an object can carry
                    // thousands of invalid labels).
                    let index = if errors.is_empty() {
                        HashMap::new()
                    } else {
                        item.positions.index()
                    };
                    for e in errors {
                        let pos = nearest(&e.field, item.pos, |p| index.get(p).copied());
                        out.push(Diagnostic {
                            file: file.into(),
                            pos,
                            path: e.field.clone(),
                            message: e.to_string(),
                        });
                    }
                }
            }
        }
    }
    out
}

impl Item {
    /// The position of a field path, or of its nearest decoded ancestor.
    pub fn pos_of(&self, path: &str) -> Pos {
        nearest(path, self.pos, |p| self.positions.get(p))
    }
}

/// The position `get` knows for `path` or its nearest ancestor (`a.b[0].c` → `a.b[0]` → `a.b`
/// → `a`); `fallback` if none.
fn nearest(path: &str, fallback: Pos, get: impl Fn(&str) -> Option<Pos>) -> Pos {
    let mut p = path;
    loop {
        if let Some(pos) = get(p) {
            return pos;
        }
        match p.rfind(['.', '[']) {
            Some(i) => p = &p[..i],
            None => return fallback,
        }
    }
}

impl DecodeError {
    /// (position, field path, message) for each problem.
    pub fn issues(&self, item: &Item) -> Vec<(Pos, String, String)> {
        match self {
            DecodeError::KindNotSet => vec![(item.pos, "kind".into(), "kind not set".into())],
            DecodeError::ApiVersionNotSet => {
                vec![(item.pos, "apiVersion".into(), "apiVersion not set".into())]
            }
            DecodeError::NoMatch { kind, version } => vec![(
                item.pos_of("kind"),
                "kind".into(),
                format!("no matches for kind \"{kind}\" in version \"{version}\""),
            )],
            DecodeError::UnknownFields(f) => f
                .iter()
                .map(|i| (i.pos, i.path.clone(), format!("unknown field \"{}\"", i.path)))
                .collect(),
            DecodeError::WrongType(i) => vec![(i.pos, i.path.clone(), i.detail.clone())],
            DecodeError::NotAnObject => vec![(item.pos, String::new(), "not a Kubernetes object".into())],
        }
    }
}

// ---------------------------------------------------------------------------------------------

struct Dec {
    /// A snapshot's objects are what a real API server wrote: fields the model does not have
    /// (`status`, `managedFields`, `schedulerName`…) are skipped, not errors.
    lenient: bool,
    unknown: Vec<FieldIssue>,
    wrong: Option<FieldIssue>,
    positions: Positions,
    /// Values the typed model cannot hold, as written (`ObjectMeta::written`).
    written: BTreeMap<String, String>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `spec.ports[0].port` → `spec.ports.port` (Go's "struct field" path has no indices).
fn go_path(path: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            _ if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

impl Dec {
    fn new() -> Dec {
        Dec {
            lenient: false,
            unknown: Vec::new(),
            wrong: None,
            positions: Positions::default(),
            written: BTreeMap::new(),
        }
    }

    /// Record `value` at `path` as written: the model has no variant for it, and validation
    /// refuses it with the API server's words (`Unsupported value: …`).
    fn keep_written(&mut self, path: &str, value: &str) {
        self.written.insert(path.to_string(), value.to_string());
    }

    /// An enum field: the variant `value` names, or (recorded as written) `default`, which
    /// is also what an empty value defaults to.
    fn one_of<T: Copy>(&mut self, path: &str, value: &str, variants: &[(&str, T)], default: T) -> T {
        if value.is_empty() {
            return default;
        }
        match variants.iter().find(|(name, _)| *name == value) {
            Some((_, v)) => *v,
            None => {
                self.keep_written(path, value);
                default
            }
        }
    }

    /// A list of IPv4 addresses; when one does not parse, every entry is kept as written
    /// (`path[i]`) so validation reports each at its own index.
    fn addresses(&mut self, node: &Node, path: &str, go_struct: &str) -> Vec<Ipv4Addr> {
        let texts = self.strings(node, path, go_struct);
        let parsed: Vec<Ipv4Addr> = texts.iter().filter_map(|s| s.parse().ok()).collect();
        if parsed.len() != texts.len() {
            for (i, t) in texts.iter().enumerate() {
                self.keep_written(&format!("{path}[{i}]"), t);
            }
        }
        parsed
    }

    fn type_error(&mut self, node: &Node, path: &str, go_struct: &str, go_type: &str) {
        if self.wrong.is_none() {
            let field = go_path(path);
            let last = field.rsplit('.').next().unwrap_or("");
            let detail = format!(
                "json: cannot unmarshal {} into Go struct field {go_struct}.{field} of type {go_type}",
                node.json_type()
            );
            let _ = last;
            self.wrong = Some(FieldIssue {
                path: path.into(),
                pos: node.pos,
                detail,
            });
        }
    }

    /// The entries of a mapping, recording unknown keys. `None` (and a type error) otherwise.
    fn fields<'n>(&mut self, node: &'n Node, path: &str, go_struct: &str, allowed: &[&str]) -> Vec<(&'n str, &'n Node)> {
        self.positions.insert(path, node.pos);
        let entries = match &node.value {
            Value::Map(m) => m,
            Value::Null => return Vec::new(),
            _ => {
                self.type_error(node, path, go_struct, &format!("{}.{go_struct}", package_of(go_struct)));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            let key = match k.as_str() {
                Some(k) => k,
                None => continue,
            };
            self.positions.insert_child(path, key, v.pos);
            if allowed.contains(&key) {
                out.push((key, v));
            } else if !self.lenient {
                self.unknown.push(FieldIssue {
                    path: join(path, key),
                    pos: k.pos,
                    detail: String::new(),
                });
            }
        }
        out
    }

    fn string(&mut self, node: &Node, path: &str, go_struct: &str) -> String {
        match &node.value {
            Value::Str { text, .. } => text.clone(),
            Value::Null => String::new(),
            _ => {
                self.type_error(node, path, go_struct, "string");
                String::new()
            }
        }
    }

    fn int(&mut self, node: &Node, path: &str, go_struct: &str, go_type: &str) -> i64 {
        match &node.value {
            Value::Int(i) => *i,
            Value::Null => 0,
            _ => {
                self.type_error(node, path, go_struct, go_type);
                0
            }
        }
    }

    fn boolean(&mut self, node: &Node, path: &str, go_struct: &str) -> bool {
        match &node.value {
            Value::Bool(b) => *b,
            Value::Null => false,
            _ => {
                self.type_error(node, path, go_struct, "bool");
                false
            }
        }
    }

    fn string_map(&mut self, node: &Node, path: &str, go_struct: &str) -> Labels {
        self.positions.insert(path, node.pos);
        // Collected, then built with one sort (a later duplicate key wins, as go-yaml's
        // decode into a map keeps the last): the pairs of a huge map are never shifted one
        // insert at a time.
        let mut out: Vec<(String, String)> = Vec::new();
        match &node.value {
            Value::Map(m) => {
                for (k, v) in m {
                    let key = k.as_text().unwrap_or_default();
                    let p = join(path, &key);
                    self.positions.insert(&p, v.pos);
                    let val = match &v.value {
                        Value::Str { text, .. } => text.clone(),
                        Value::Null => String::new(),
                        _ => {
                            self.type_error(v, &p, go_struct, "string");
                            String::new()
                        }
                    };
                    out.push((key, val));
                }
            }
            Value::Null => {}
            _ => self.type_error(node, path, go_struct, "map[string]string"),
        }
        out.into_iter().collect()
    }

    fn strings(&mut self, node: &Node, path: &str, go_struct: &str) -> Vec<String> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| self.string(n, &format!("{path}[{i}]"), go_struct))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.type_error(node, path, go_struct, "[]string");
                Vec::new()
            }
        }
    }

    fn seq<'n>(&mut self, node: &'n Node, path: &str, go_struct: &str, elem: &str) -> Vec<(String, &'n Node)> {
        self.positions.insert(path, node.pos);
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let p = format!("{path}[{i}]");
                    self.positions.insert(&p, n.pos);
                    (p, n)
                })
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.type_error(node, path, go_struct, &format!("[]{elem}"));
                Vec::new()
            }
        }
    }

    fn int_or_string(&mut self, node: &Node, path: &str) -> IntOrString {
        match &node.value {
            Value::Int(i) => IntOrString::Int(*i),
            Value::Str { text, .. } => IntOrString::Str(text.clone()),
            _ => {
                if self.wrong.is_none() {
                    self.wrong = Some(FieldIssue {
                        path: path.into(),
                        pos: node.pos,
                        detail: format!(
                            "json: cannot unmarshal {} into Go value of type intstr.IntOrString",
                            node.json_type()
                        ),
                    });
                }
                IntOrString::Int(0)
            }
        }
    }
}

fn package_of(go_struct: &str) -> &'static str {
    match go_struct {
        "ObjectMeta" | "LabelSelector" => "v1",
        "DeploymentSpec" | "ReplicaSetSpec" => "v1",
        _ => "v1",
    }
}

/// Decode one object's tree (a document, or an item of a `kind: List`), strictly.
pub fn decode_node(node: &Node) -> Item {
    decode(node)
}

fn decode(node: &Node) -> Item {
    let mut item = Item {
        pos: node.pos,
        kind: String::new(),
        api_version: String::new(),
        name: String::new(),
        generate_name: String::new(),
        namespace: None,
        result: Err(DecodeError::NotAnObject),
        positions: Positions::default(),
        json: yaml::JsonSize::default(),
    };
    if node.as_map().is_none() {
        return item;
    }
    item.kind = node.get("kind").and_then(Node::as_text).unwrap_or_default();
    item.api_version = node.get("apiVersion").and_then(Node::as_text).unwrap_or_default();
    if let Some(m) = node.get("metadata") {
        item.name = m.get("name").and_then(Node::as_text).unwrap_or_default();
        item.generate_name = m.get("generateName").and_then(Node::as_text).unwrap_or_default();
        item.namespace = m.get("namespace").and_then(Node::as_text);
    }
    if let Some(k) = node.get("kind") {
        item.positions.insert("kind", k.pos);
    }
    if item.kind.is_empty() {
        item.result = Err(DecodeError::KindNotSet);
        return item;
    }
    if item.api_version.is_empty() {
        item.result = Err(DecodeError::ApiVersionNotSet);
        return item;
    }
    let kind = Kind::ALL
        .iter()
        .copied()
        .find(|k| k.name() == item.kind && k.api_version() == item.api_version && *k != Kind::Node);
    let Some(kind) = kind else {
        item.result = Err(DecodeError::NoMatch {
            kind: item.kind.clone(),
            version: item.api_version.clone(),
        });
        return item;
    };
    let mut d = Dec::new();
    let mut obj = decode_kind(&mut d, kind, node);
    obj.meta_mut().written = Written(std::mem::take(&mut d.written));
    crate::api::defaults::set_defaults(&mut obj);
    item.positions.append(std::mem::take(&mut d.positions));
    item.result = if let Some(w) = d.wrong {
        Err(DecodeError::WrongType(w))
    } else if !d.unknown.is_empty() {
        Err(DecodeError::UnknownFields(d.unknown))
    } else {
        Ok(obj)
    };
    item
}

/// Decode one object of `kind` as a real API server wrote it (a snapshot's item): fields the
/// model does not have are skipped; a value of the wrong type is still an error. Metadata
/// beyond name, namespace, labels and annotations, and `status`, are the caller's to read.
pub(crate) fn decode_lenient(kind: Kind, node: &Node) -> Result<Object, DecodeError> {
    let mut d = Dec::new();
    d.lenient = true;
    let obj = decode_kind(&mut d, kind, node);
    match d.wrong {
        Some(w) => Err(DecodeError::WrongType(w)),
        None => Ok(obj),
    }
}

/// A ConfigMap's or Secret's data: `String`s, which its values (up to a whole file) are.
fn strings_of(map: Labels) -> BTreeMap<String, String> {
    map.into_iter().map(|(k, v)| (k.into_string(), v.into_string())).collect()
}

fn decode_kind(d: &mut Dec, kind: Kind, node: &Node) -> Object {
    let top: &[&str] = match kind {
        Kind::ConfigMap => &["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"],
        Kind::Secret => &["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"],
        Kind::Endpoints => &["apiVersion", "kind", "metadata", "subsets"],
        Kind::EndpointSlice => &["apiVersion", "kind", "metadata", "addressType", "endpoints", "ports"],
        Kind::Namespace => &["apiVersion", "kind", "metadata", "spec", "status"],
        _ => &["apiVersion", "kind", "metadata", "spec", "status"],
    };
    let go = kind.name();
    let fields = d.fields(node, "", go, top);
    let mut meta = ObjectMeta::default();
    let mut spec_node = None;
    let mut data = BTreeMap::new();
    let mut string_data = BTreeMap::new();
    let mut secret_type = String::new();
    let mut subsets = Vec::new();
    let mut slice_ports = Vec::new();
    let mut slice_eps = Vec::new();
    let mut address_type = AddressType::Other(String::new());
    for (k, v) in fields {
        match k {
            "metadata" => meta = decode_meta(d, v),
            "spec" => spec_node = Some(v),
            "data" => data = strings_of(d.string_map(v, "data", go)),
            "stringData" => string_data = strings_of(d.string_map(v, "stringData", go)),
            "type" => secret_type = d.string(v, "type", go),
            "subsets" => subsets = decode_subsets(d, v),
            "ports" => slice_ports = decode_endpoint_ports(d, v, "ports"),
            "endpoints" => slice_eps = decode_slice_endpoints(d, v),
            "addressType" => address_type = AddressType::parse(&d.string(v, "addressType", go)),
            _ => {}
        }
    }
    let null = Node {
        value: Value::Null,
        pos: node.pos,
    };
    let spec = spec_node.unwrap_or(&null);
    match kind {
        Kind::Namespace => Object::Namespace(Namespace { meta }),
        Kind::ConfigMap => Object::ConfigMap(ConfigMap { meta, data }),
        Kind::Secret => {
            // `[]byte` fields unmarshal from base64 (encoding/json: `illegal base64 data at
            // input byte N`); `stringData` is merged over `data` (SetDefaults / the
            // registry's PrepareForCreate).
            let mut bytes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            for (k, v) in &data {
                match crate::encoding::base64_decode(v) {
                    Ok(b) => {
                        bytes.insert(k.clone(), b);
                    }
                    Err(at) => {
                        if d.wrong.is_none() {
                            d.wrong = Some(FieldIssue {
                                path: join("data", k),
                                pos: d.positions.get(&join("data", k)).unwrap_or(node.pos),
                                detail: format!("illegal base64 data at input byte {at}"),
                            });
                        }
                    }
                }
            }
            for (k, v) in string_data {
                bytes.insert(k, v.into_bytes());
            }
            Object::Secret(Secret {
                meta,
                type_: secret_type,
                data: bytes,
            })
        }
        Kind::Pod => Object::Pod(Pod {
            meta,
            spec: decode_pod_spec(d, spec, "spec").into(),
            status: PodStatus::default(),
        }),
        Kind::Service => Object::Service(Service {
            meta,
            spec: decode_service_spec(d, spec),
            load_balancer_ips: Vec::new(),
        }),
        Kind::Endpoints => Object::Endpoints(Endpoints { meta, subsets }),
        Kind::EndpointSlice => Object::EndpointSlice(EndpointSlice {
            meta,
            address_type,
            ports: slice_ports,
            endpoints: slice_eps,
        }),
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => {
            let go_spec = format!("{go}Spec");
            let allowed: &[&str] = match kind {
                Kind::DaemonSet => &["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"],
                Kind::ReplicaSet => &["replicas", "selector", "template", "minReadySeconds"],
                _ => &[
                    "replicas",
                    "selector",
                    "template",
                    "strategy",
                    "minReadySeconds",
                    "revisionHistoryLimit",
                    "progressDeadlineSeconds",
                    "paused",
                ],
            };
            let mut replicas = 1;
            let mut selector = LabelSelector::default();
            let mut template = PodTemplate {
                labels: Labels::new(),
                annotations: Labels::new(),
                spec: PodSpec::default(),
            };
            for (k, v) in d.fields(spec, "spec", &go_spec, allowed) {
                match k {
                    "replicas" => replicas = d.int(v, "spec.replicas", &go_spec, "int32"),
                    "selector" => selector = decode_selector(d, v, "spec.selector"),
                    "template" => template = decode_template(d, v, "spec.template"),
                    _ => {}
                }
            }
            let status = WorkloadStatus::default();
            match kind {
                Kind::Deployment => Object::Deployment(Deployment {
                    meta,
                    replicas,
                    selector: selector.into(),
                    template: template.into(),
                    status,
                    collision_count: 0,
                }),
                Kind::ReplicaSet => Object::ReplicaSet(ReplicaSet {
                    meta,
                    replicas,
                    selector: selector.into(),
                    template: template.into(),
                    status,
                }),
                _ => Object::DaemonSet(DaemonSet {
                    meta,
                    selector: selector.into(),
                    template: template.into(),
                    status,
                }),
            }
        }
        Kind::Node => Object::Namespace(Namespace { meta }),
    }
}

fn decode_meta(d: &mut Dec, node: &Node) -> ObjectMeta {
    let mut meta = ObjectMeta::default();
    let allowed = [
        "name",
        "namespace",
        "labels",
        "annotations",
        "generateName",
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "ownerReferences",
        "finalizers",
        "managedFields",
        "generation",
    ];
    for (k, v) in d.fields(node, "metadata", "ObjectMeta", &allowed) {
        match k {
            "name" => meta.name = (d.string(v, "metadata.name", "ObjectMeta")).into(),
            "generateName" => meta.generate_name = (d.string(v, "metadata.generateName", "ObjectMeta")).into(),
            "namespace" => meta.namespace = (d.string(v, "metadata.namespace", "ObjectMeta")).into(),
            "labels" => meta.labels = d.string_map(v, "metadata.labels", "ObjectMeta").into(),
            "annotations" => meta.annotations = d.string_map(v, "metadata.annotations", "ObjectMeta").into(),
            _ => {}
        }
    }
    meta
}

fn decode_selector(d: &mut Dec, node: &Node, path: &str) -> LabelSelector {
    let mut sel = LabelSelector::default();
    for (k, v) in d.fields(node, path, "LabelSelector", &["matchLabels", "matchExpressions"]) {
        match k {
            "matchLabels" => sel.match_labels = d.string_map(v, &join(path, "matchLabels"), "LabelSelector"),
            "matchExpressions" => {
                let p = join(path, "matchExpressions");
                for (ip, item) in d.seq(v, &p, "LabelSelector", "v1.LabelSelectorRequirement") {
                    let mut key = String::new();
                    let mut op = String::new();
                    let mut values = Vec::new();
                    for (k, v) in d.fields(item, &ip, "LabelSelectorRequirement", &["key", "operator", "values"]) {
                        match k {
                            "key" => key = d.string(v, &join(&ip, "key"), "LabelSelectorRequirement"),
                            "operator" => op = d.string(v, &join(&ip, "operator"), "LabelSelectorRequirement"),
                            "values" => values = d.strings(v, &join(&ip, "values"), "LabelSelectorRequirement"),
                            _ => {}
                        }
                    }
                    let op = match op.as_str() {
                        "In" => SelectorOp::In,
                        "NotIn" => SelectorOp::NotIn,
                        "Exists" => SelectorOp::Exists,
                        "DoesNotExist" => SelectorOp::DoesNotExist,
                        other => {
                            // Not a `LabelSelectorOperator`: kept as written, refused by
                            // ValidateLabelSelectorRequirement.
                            d.keep_written(&join(&ip, "operator"), other);
                            SelectorOp::DoesNotExist
                        }
                    };
                    sel.match_expressions.push(Requirement { key, op, values });
                }
            }
            _ => {}
        }
    }
    sel
}

fn decode_template(d: &mut Dec, node: &Node, path: &str) -> PodTemplate {
    let mut t = PodTemplate {
        labels: Labels::new(),
        annotations: Labels::new(),
        spec: PodSpec::default(),
    };
    for (k, v) in d.fields(node, path, "PodTemplateSpec", &["metadata", "spec"]) {
        match k {
            "metadata" => {
                let mp = join(path, "metadata");
                for (k, v) in d.fields(
                    v,
                    &mp,
                    "ObjectMeta",
                    &["labels", "annotations", "name", "namespace", "creationTimestamp"],
                ) {
                    match k {
                        "labels" => t.labels = d.string_map(v, &join(&mp, "labels"), "ObjectMeta"),
                        "annotations" => t.annotations = d.string_map(v, &join(&mp, "annotations"), "ObjectMeta"),
                        _ => {}
                    }
                }
            }
            "spec" => t.spec = decode_pod_spec(d, v, &join(path, "spec")),
            _ => {}
        }
    }
    t
}

const POD_SPEC_FIELDS: &[&str] = &[
    "containers",
    "initContainers",
    "nodeName",
    "hostNetwork",
    "hostname",
    "subdomain",
    "dnsPolicy",
    "dnsConfig",
    "terminationGracePeriodSeconds",
    "restartPolicy",
    "nodeSelector",
    "serviceAccountName",
    "volumes",
    "affinity",
    "tolerations",
    "securityContext",
    "priorityClassName",
    "enableServiceLinks",
    "setHostnameAsFQDN",
    "automountServiceAccountToken",
];

fn decode_pod_spec(d: &mut Dec, node: &Node, path: &str) -> PodSpec {
    let mut spec = PodSpec::default();
    for (k, v) in d.fields(node, path, "PodSpec", POD_SPEC_FIELDS) {
        let p = join(path, k);
        match k {
            "containers" => {
                for (cp, c) in d.seq(v, &p, "PodSpec", "v1.Container") {
                    std::sync::Arc::make_mut(&mut spec.containers).push(decode_container(d, c, &cp));
                }
            }
            "nodeName" => spec.node_name = Some(d.string(v, &p, "PodSpec")),
            "hostNetwork" => spec.host_network = d.boolean(v, &p, "PodSpec"),
            "hostname" => spec.hostname = Some(d.string(v, &p, "PodSpec")),
            "subdomain" => spec.subdomain = Some(d.string(v, &p, "PodSpec")),
            "dnsPolicy" => {
                let s = d.string(v, &p, "PodSpec");
                spec.dns_policy = d.one_of(
                    &p,
                    &s,
                    &[
                        ("ClusterFirstWithHostNet", DnsPolicy::ClusterFirstWithHostNet),
                        ("ClusterFirst", DnsPolicy::ClusterFirst),
                        ("Default", DnsPolicy::Default),
                        ("None", DnsPolicy::None),
                    ],
                    DnsPolicy::ClusterFirst,
                );
            }
            "dnsConfig" => {
                let mut c = PodDnsConfig::default();
                for (k, v) in d.fields(v, &p, "PodDNSConfig", &["nameservers", "searches", "options"]) {
                    let q = join(&p, k);
                    match k {
                        "nameservers" => c.nameservers = d.strings(v, &q, "PodDNSConfig"),
                        "searches" => c.searches = d.strings(v, &q, "PodDNSConfig"),
                        "options" => {
                            for (op, o) in d.seq(v, &q, "PodDNSConfig", "v1.PodDNSConfigOption") {
                                let mut name = String::new();
                                let mut value = None;
                                for (k, v) in d.fields(o, &op, "PodDNSConfigOption", &["name", "value"]) {
                                    match k {
                                        "name" => name = d.string(v, &join(&op, "name"), "PodDNSConfigOption"),
                                        _ => value = Some(d.string(v, &join(&op, "value"), "PodDNSConfigOption")),
                                    }
                                }
                                c.options.push((name, value));
                            }
                        }
                        _ => {}
                    }
                }
                spec.dns_config = Some(c);
            }
            "terminationGracePeriodSeconds" => spec.termination_grace_period_seconds = d.int(v, &p, "PodSpec", "int64"),
            "restartPolicy" => spec.restart_policy = d.string(v, &p, "PodSpec"),
            _ => {}
        }
    }
    spec
}

const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "ports",
    "command",
    "args",
    "tty",
    "stdin",
    "stdinOnce",
    "env",
    "envFrom",
    "imagePullPolicy",
    "resources",
    "readinessProbe",
    "livenessProbe",
    "startupProbe",
    "volumeMounts",
    "workingDir",
    "securityContext",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
];

fn decode_container(d: &mut Dec, node: &Node, path: &str) -> Container {
    let mut c = Container {
        name: String::new(),
        image: String::new(),
        ports: Vec::new(),
        command: Vec::new(),
        args: Vec::new(),
        tty: false,
        stdin: false,
        readiness_delay_seconds: None,
    };
    for (k, v) in d.fields(node, path, "Container", CONTAINER_FIELDS) {
        let p = join(path, k);
        match k {
            "name" => c.name = d.string(v, &p, "Container"),
            "image" => c.image = d.string(v, &p, "Container"),
            "command" => c.command = d.strings(v, &p, "Container"),
            "args" => c.args = d.strings(v, &p, "Container"),
            "tty" => c.tty = d.boolean(v, &p, "Container"),
            "stdin" => c.stdin = d.boolean(v, &p, "Container"),
            "readinessProbe" => {
                let delay = v
                    .get("initialDelaySeconds")
                    .map(|n| d.int(n, &join(&p, "initialDelaySeconds"), "Probe", "int32"));
                c.readiness_delay_seconds = Some(delay.unwrap_or(0));
            }
            "ports" => {
                for (pp, pn) in d.seq(v, &p, "Container", "v1.ContainerPort") {
                    let mut port = ContainerPort {
                        name: None,
                        container_port: 0,
                        protocol: Protocol::Tcp,
                    };
                    for (k, v) in d.fields(
                        pn,
                        &pp,
                        "ContainerPort",
                        &["name", "containerPort", "protocol", "hostPort", "hostIP"],
                    ) {
                        let q = join(&pp, k);
                        match k {
                            "name" => port.name = Some(d.string(v, &q, "ContainerPort")),
                            "containerPort" => port.container_port = d.int(v, &q, "ContainerPort", "int32"),
                            "protocol" => {
                                let s = d.string(v, &q, "ContainerPort");
                                port.protocol = protocol(d, &q, &s);
                            }
                            _ => {}
                        }
                    }
                    c.ports.push(port);
                }
            }
            _ => {}
        }
    }
    c
}

/// A port's `protocol` (empty defaults to TCP; anything else is kept as written).
fn protocol(d: &mut Dec, path: &str, s: &str) -> Protocol {
    d.one_of(
        path,
        s,
        &[("TCP", Protocol::Tcp), ("UDP", Protocol::Udp), ("SCTP", Protocol::Sctp)],
        Protocol::Tcp,
    )
}

const SERVICE_SPEC_FIELDS: &[&str] = &[
    "type",
    "selector",
    "ports",
    "clusterIP",
    "clusterIPs",
    "externalName",
    "externalIPs",
    "sessionAffinity",
    "sessionAffinityConfig",
    "publishNotReadyAddresses",
    "externalTrafficPolicy",
    "internalTrafficPolicy",
    "ipFamilies",
    "ipFamilyPolicy",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "allocateLoadBalancerNodePorts",
    "healthCheckNodePort",
    "loadBalancerClass",
    "trafficDistribution",
];

fn decode_service_spec(d: &mut Dec, node: &Node) -> ServiceSpec {
    let mut spec = ServiceSpec::new(ServiceType::ClusterIP, None, Vec::new());
    for (k, v) in d.fields(node, "spec", "ServiceSpec", SERVICE_SPEC_FIELDS) {
        let p = join("spec", k);
        match k {
            "type" => {
                let s = d.string(v, &p, "ServiceSpec");
                spec.type_ = d.one_of(
                    &p,
                    &s,
                    &[
                        ("ClusterIP", ServiceType::ClusterIP),
                        ("NodePort", ServiceType::NodePort),
                        ("LoadBalancer", ServiceType::LoadBalancer),
                        ("ExternalName", ServiceType::ExternalName),
                    ],
                    ServiceType::ClusterIP,
                );
            }
            "selector" => spec.selector = Some(d.string_map(v, &p, "ServiceSpec")),
            "clusterIP" => {
                let s = d.string(v, &p, "ServiceSpec");
                spec.cluster_ip = match s.as_str() {
                    "" => ClusterIp::Unset,
                    "None" => ClusterIp::None,
                    other => match other.parse::<Ipv4Addr>() {
                        Ok(ip) => ClusterIp::Ip(ip),
                        Err(_) => {
                            // Refused by ValidateServiceClusterIPsRelatedFields (422).
                            d.keep_written(&p, other);
                            ClusterIp::Unset
                        }
                    },
                }
            }
            "externalName" => spec.external_name = Some(d.string(v, &p, "ServiceSpec")),
            "externalIPs" => spec.external_ips = d.addresses(v, &p, "ServiceSpec"),
            "sessionAffinity" => {
                let s = d.string(v, &p, "ServiceSpec");
                spec.session_affinity = d.one_of(
                    &p,
                    &s,
                    &[("ClientIP", SessionAffinity::ClientIP), ("None", SessionAffinity::None)],
                    SessionAffinity::None,
                );
            }
            "sessionAffinityConfig" => {
                if let Some(t) = v.get("clientIP").and_then(|c| c.get("timeoutSeconds")) {
                    spec.affinity_timeout_seconds =
                        d.int(t, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "ClientIPConfig", "int32");
                }
            }
            "publishNotReadyAddresses" => spec.publish_not_ready_addresses = d.boolean(v, &p, "ServiceSpec"),
            "externalTrafficPolicy" | "internalTrafficPolicy" => {
                let s = d.string(v, &p, "ServiceSpec");
                let policy = d.one_of(
                    &p,
                    &s,
                    &[("Cluster", TrafficPolicy::Cluster), ("Local", TrafficPolicy::Local)],
                    TrafficPolicy::Cluster,
                );
                if k == "externalTrafficPolicy" {
                    spec.external_traffic_policy = policy;
                } else {
                    spec.internal_traffic_policy = policy;
                }
            }
            "ports" => {
                for (pp, pn) in d.seq(v, &p, "ServiceSpec", "v1.ServicePort") {
                    let mut port = ServicePort {
                        name: None,
                        protocol: Protocol::Tcp,
                        port: 0,
                        target_port: IntOrString::Int(0),
                        node_port: None,
                    };
                    let mut target = None;
                    for (k, v) in d.fields(
                        pn,
                        &pp,
                        "ServicePort",
                        &["name", "protocol", "port", "targetPort", "nodePort", "appProtocol"],
                    ) {
                        let q = join(&pp, k);
                        match k {
                            "name" => port.name = Some(d.string(v, &q, "ServicePort")),
                            "protocol" => {
                                let s = d.string(v, &q, "ServicePort");
                                port.protocol = protocol(d, &q, &s);
                            }
                            "port" => port.port = d.int(v, &q, "ServicePort", "int32"),
                            "targetPort" => target = Some(d.int_or_string(v, &q)),
                            "nodePort" => port.node_port = Some(d.int(v, &q, "ServicePort", "int32")),
                            _ => {}
                        }
                    }
                    // A missing targetPort is Go's zero IntOrString, which defaulting
                    // (`api::defaults`) turns into the port.
                    port.target_port = target.unwrap_or(IntOrString::Int(0));
                    spec.ports.push(port);
                }
            }
            _ => {}
        }
    }
    spec
}

fn decode_endpoint_ports(d: &mut Dec, node: &Node, path: &str) -> Vec<EndpointPort> {
    let mut out = Vec::new();
    for (pp, pn) in d.seq(node, path, "EndpointSubset", "v1.EndpointPort") {
        let mut port = EndpointPort {
            name: None,
            port: 0,
            protocol: Protocol::Tcp,
        };
        for (k, v) in d.fields(pn, &pp, "EndpointPort", &["name", "port", "protocol", "appProtocol"]) {
            let q = join(&pp, k);
            match k {
                "name" => port.name = Some(d.string(v, &q, "EndpointPort")),
                "port" => port.port = d.int(v, &q, "EndpointPort", "int32"),
                "protocol" => {
                    let s = d.string(v, &q, "EndpointPort");
                    port.protocol = protocol(d, &q, &s);
                }
                _ => {}
            }
        }
        out.push(port);
    }
    out
}

fn decode_addresses(d: &mut Dec, node: &Node, path: &str) -> Vec<EndpointAddress> {
    let mut out = Vec::new();
    for (ap, an) in d.seq(node, path, "EndpointSubset", "v1.EndpointAddress") {
        let mut ip = None;
        let mut addr = EndpointAddress {
            ip: Ipv4Addr::UNSPECIFIED,
            hostname: None,
            node_name: None,
            target: None,
        };
        for (k, v) in d.fields(an, &ap, "EndpointAddress", &["ip", "hostname", "nodeName", "targetRef"]) {
            let q = join(&ap, k);
            match k {
                "ip" => ip = Some(d.string(v, &q, "EndpointAddress")),
                "hostname" => addr.hostname = Some(d.string(v, &q, "EndpointAddress")),
                "nodeName" => addr.node_name = Some(d.string(v, &q, "EndpointAddress")),
                "targetRef" => addr.target = decode_target_ref(d, v, &q),
                _ => {}
            }
        }
        match ip {
            Some(s) => match s.parse() {
                Ok(ip) => addr.ip = ip,
                // Refused by validateEndpointAddress (422), as written.
                Err(_) => d.keep_written(&join(&ap, "ip"), &s),
            },
            // A missing ip is "" to the API server: not a valid IP either.
            None => d.keep_written(&join(&ap, "ip"), ""),
        }
        out.push(addr);
    }
    out
}

fn decode_subsets(d: &mut Dec, node: &Node) -> Vec<EndpointSubset> {
    let mut out = Vec::new();
    for (sp, sn) in d.seq(node, "subsets", "Endpoints", "v1.EndpointSubset") {
        let mut s = EndpointSubset::default();
        for (k, v) in d.fields(sn, &sp, "EndpointSubset", &["addresses", "notReadyAddresses", "ports"]) {
            let q = join(&sp, k);
            match k {
                "addresses" => s.addresses = decode_addresses(d, v, &q),
                "notReadyAddresses" => s.not_ready_addresses = decode_addresses(d, v, &q),
                "ports" => s.ports = decode_endpoint_ports(d, v, &q),
                _ => {}
            }
        }
        out.push(s);
    }
    out
}

/// `targetRef` (a `v1.ObjectReference`): the Pod's name when it names a Pod (the only kind the
/// simulation's endpoints point at).
fn decode_target_ref(d: &mut Dec, v: &Node, path: &str) -> Option<String> {
    let mut kind = String::new();
    let mut name = None;
    for (k, f) in d.fields(
        v,
        path,
        "ObjectReference",
        &["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"],
    ) {
        let q = join(path, k);
        match k {
            "kind" => kind = d.string(f, &q, "ObjectReference"),
            "name" => name = Some(d.string(f, &q, "ObjectReference")),
            _ => {
                d.string(f, &q, "ObjectReference");
            }
        }
    }
    name.filter(|_| kind.is_empty() || kind == "Pod")
}

fn decode_slice_endpoints(d: &mut Dec, node: &Node) -> Vec<SliceEndpoint> {
    let mut out = Vec::new();
    for (ep, en) in d.seq(node, "endpoints", "EndpointSlice", "v1.Endpoint") {
        let mut e = SliceEndpoint {
            addresses: Vec::new(),
            conditions: EndpointConditions::default(),
            hostname: None,
            node_name: None,
            zone: None,
            target: None,
        };
        for (k, v) in d.fields(
            en,
            &ep,
            "Endpoint",
            &["addresses", "conditions", "hostname", "nodeName", "targetRef", "zone", "hints"],
        ) {
            let q = join(&ep, k);
            match k {
                "addresses" => e.addresses = d.addresses(v, &q, "Endpoint"),
                "hostname" => e.hostname = Some(d.string(v, &q, "Endpoint")),
                "nodeName" => e.node_name = Some(d.string(v, &q, "Endpoint")),
                "zone" => e.zone = Some(d.string(v, &q, "Endpoint")),
                "targetRef" => e.target = decode_target_ref(d, v, &q),
                "conditions" => {
                    for (k, c) in d.fields(v, &q, "EndpointConditions", &["ready", "serving", "terminating"]) {
                        let b = d.boolean(c, &join(&q, k), "EndpointConditions");
                        match k {
                            "ready" => e.conditions.ready = Some(b),
                            "serving" => e.conditions.serving = Some(b),
                            _ => e.conditions.terminating = Some(b),
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<Item> {
        match parse(text) {
            Parsed::Items(i) => i,
            Parsed::Syntax(e) => panic!("syntax: {e:?}"),
        }
    }

    #[test]
    fn positions_answer_as_a_map_would() {
        let at = |line| Pos { line, col: 1 };
        let mut p = Positions::default();
        p.insert("spec", at(1));
        p.insert_child("spec", "ports", at(2));
        p.insert_child("", "kind", at(3));
        p.insert("spec.ports[0]", at(4));
        p.insert("spec", at(5));
        let mut more = Positions::default();
        more.insert("metadata", at(6));
        p.append(more);
        assert_eq!(p.get("spec"), Some(at(5)), "the latest insert wins");
        assert_eq!(p.get("spec.ports"), Some(at(2)));
        assert_eq!(p.get("kind"), Some(at(3)));
        assert_eq!(p.get("spec.ports[0]"), Some(at(4)));
        assert_eq!(p.get("metadata"), Some(at(6)));
        assert_eq!(p.get("spec.port"), None, "no prefix matches");
        assert_eq!(p.get(""), None);
        assert_eq!(p.len(), 6);
        let index = p.index();
        for path in ["spec", "spec.ports", "kind", "spec.ports[0]", "metadata", "spec.port", ""] {
            assert_eq!(index.get(path).copied(), p.get(path), "{path}: the index answers as the scan");
        }
    }

    #[test]
    fn documents_decode_as_read_but_a_late_syntax_error_is_the_whole_files() {
        let good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
        // Decoded while streaming, in order, empty documents dropped.
        let i = items(&format!("{good}---\n---\n{}", good.replace("name: a", "name: b")));
        let names: Vec<_> = i
            .iter()
            .map(|i| i.result.as_ref().map(|o| o.meta().name.to_string()).ok())
            .collect();
        assert_eq!(names, [Some("a".to_string()), Some("b".to_string())]);
        // Two good documents, then a broken one: nothing of the file is returned.
        let Parsed::Syntax(e) = parse(&format!("{good}---\n{good}---\nkind: [\n")) else {
            panic!("a syntax error after valid documents must fail the file")
        };
        assert_eq!(e.kind, yaml::ErrorKind::Syntax, "{e:?}");
    }

    #[test]
    fn decodes_a_service() {
        let i = items("apiVersion: v1\nkind: Service\nmetadata:\n  name: ent\n  namespace: dev\nspec:\n  ports:\n  - port: 8080\n  selector:\n    app: enterprise\n");
        let Ok(Object::Service(s)) = &i[0].result else {
            panic!("{:?}", i[0].result)
        };
        assert_eq!(s.meta.name, "ent");
        assert_eq!(s.spec.ports[0].target_port, IntOrString::Int(8080));
        assert_eq!(i[0].pos_of("spec.ports[0].port").line, 8);
    }

    #[test]
    fn unknown_field_is_strict_error_with_position() {
        let i = items("apiVersion: v1\nkind: Service\nmetadata:\n  name: ent\nspec:\n  portz: []\n");
        let Err(DecodeError::UnknownFields(f)) = &i[0].result else {
            panic!()
        };
        assert_eq!(f[0].path, "spec.portz");
        assert_eq!(f[0].pos.line, 6);
    }

    #[test]
    fn wrong_type_names_the_go_field() {
        let i = items("apiVersion: v1\nkind: Service\nmetadata:\n  name: ent\nspec:\n  ports:\n  - port: abc\n");
        let Err(DecodeError::WrongType(f)) = &i[0].result else { panic!() };
        assert_eq!(
            f.detail,
            "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"
        );
    }

    #[test]
    fn list_kind_is_flattened() {
        let i = items("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n");
        assert_eq!(i.len(), 2);
    }
}
