//! What the URL carries, and nothing else: the page settings in the query string
//! (`?seed=N&nodes=N&proxy=ipvs|iptables|nftables&embed`), deep links for docs authors
//! (`&preset=<file>` loads a preset into the editor, `&run=<commands separated by ;>` runs
//! them once the page is up; both URL-encoded), and the shared state in the fragment
//! (`#s=<base64url of a small JSON document>`).
//!
//! Pure functions over strings (no DOM), so the round trip is testable anywhere. Decoding never
//! panics and never trusts its input: sizes are capped, unknown fields are ignored. What does not
//! decode is reported in words the page shows ([`QueryParams::problems`], [`ShareError`],
//! [`Decoded::notes`]) and the page goes on with its defaults; nothing is silently dropped.

use std::collections::BTreeMap;

use sdplay_core::ProxyMode;
use serde_json::{json, Value};

/// Format version written into every shared state.
const VERSION: u64 = 1;
/// Limits on what a shared URL may ask the page to rebuild (keeps replay from freezing the page).
pub const MAX_COMMANDS: usize = 2_000;
pub const MAX_FILES: usize = 16;
pub const MAX_NODES: usize = 50;
/// Thirty simulated days.
pub const MAX_ELAPSED_MS: u64 = 30 * 86_400 * 1000;
/// Commands a `?run=` link may pre-run, and the longest line it may carry.
pub const MAX_RUN: usize = 50;
pub const MAX_RUN_LINE: usize = 2_000;

/// Settings fixed when the cluster is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub seed: u64,
    pub nodes: usize,
    pub proxy_mode: ProxyMode,
}

/// One command line as a share link carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedCommand {
    /// Simulated ms since the session began, when it ran.
    pub at_ms: u64,
    pub line: String,
    /// The editor's files when it ran, if they differ from what the previous command saw (for
    /// the first command: from the final `files`). `kubectl apply` then reads what it read then.
    pub files: Option<BTreeMap<String, String>>,
}

/// Everything needed to rebuild a session: settings, editor files, and the command lines run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareState {
    pub settings: Settings,
    /// The editor's files when the link was made.
    pub files: BTreeMap<String, String>,
    pub commands: Vec<SharedCommand>,
    /// Simulated ms since the session began, when the link was made.
    pub elapsed_ms: u64,
    /// The imported snapshot the session ran on (its commands ran after the import), if any.
    pub snapshot: Option<SnapshotRef>,
}

/// An imported cluster snapshot, as a share link names it: the text is far too big for a URL
/// (a small kind cluster's is 60 KB), so the link carries its file name, size and digest, and
/// the page that opens it finds the text in its own localStorage or says it is not there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRef {
    pub name: String,
    /// Length of the text in bytes (UTF-8).
    pub bytes: u64,
    /// FNV-1a 64 of the text.
    pub digest: u64,
}

impl SnapshotRef {
    pub fn of(name: &str, text: &str) -> SnapshotRef {
        let digest = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        SnapshotRef {
            name: name.to_string(),
            bytes: text.len() as u64,
            digest,
        }
    }
}

/// What opening a share link does about the snapshot its session ran on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotPlan {
    /// The session ran on the default cluster.
    NoSnapshot,
    /// This browser keeps the same snapshot: import it, then replay the commands on it.
    Reimport { name: String, text: String },
    /// The snapshot is not here (another browser, or it was too big to keep, or another one has
    /// been loaded since): the default cluster opens with the link's files, its commands are not
    /// replayed (they ran on another cluster), and the notice says so.
    DefaultCluster { notice: String },
}

/// Decide what a share link that ran on `wanted` opens, given the snapshot this browser keeps
/// (`stored`: file name and text) and the number of commands the link holds.
pub fn plan_snapshot(wanted: Option<&SnapshotRef>, stored: Option<(&str, &str)>, commands: usize) -> SnapshotPlan {
    let Some(wanted) = wanted else {
        return SnapshotPlan::NoSnapshot;
    };
    if let Some((name, text)) = stored {
        if SnapshotRef::of(&wanted.name, text) == *wanted && name == wanted.name {
            return SnapshotPlan::Reimport {
                name: name.to_string(),
                text: text.to_string(),
            };
        }
    }
    let why = match stored {
        Some((name, _)) if name == wanted.name => format!(
            "the snapshot {} kept in this browser is not the one the link was made on (another file of that name was loaded since)",
            quote(name)
        ),
        _ => "this browser does not keep it (a share link carries no snapshot: it is too big for a URL, and only the browser that loaded it keeps a copy)".to_string(),
    };
    let replay = match commands {
        0 => String::new(),
        1 => " Its 1 command is not replayed: it ran on the imported cluster.".to_string(),
        n => format!(" Its {n} commands are not replayed: they ran on the imported cluster."),
    };
    SnapshotPlan::DefaultCluster {
        notice: format!(
            "This share link was made on an imported cluster snapshot, {} ({}), and {why}. The default minikube cluster is shown with the link's files.{replay} Drop the same snapshot on the page to explore that cluster again.",
            quote(&wanted.name),
            size_words(wanted.bytes)
        ),
    }
}

/// The words beside a share link just made: on an imported snapshot, that the link names it
/// but does not carry it.
pub fn share_hint(snapshot: Option<&SnapshotRef>) -> String {
    match snapshot {
        None => "link copied".into(),
        Some(s) => format!(
            "link copied · made on the imported snapshot {}: the link does not carry it, so it reopens that cluster only in a browser that keeps it (this one); elsewhere it opens the default cluster and says so",
            quote(&s.name)
        ),
    }
}

/// A size in the words the notices use: `812 bytes`, `61.4 KB`, `2.3 MB`.
pub fn size_words(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        1_000..=999_999 => format!("{:.1} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// What the query string asks for (each `None` when absent or malformed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryParams {
    pub seed: Option<u64>,
    pub nodes: Option<usize>,
    pub proxy_mode: Option<ProxyMode>,
    pub embed: bool,
    /// `preset=`: a preset's file name (decoded, not checked against the list).
    pub preset: Option<String>,
    /// `run=`: command lines to run after load (decoded, split at `;`, blank ones dropped).
    pub run: Vec<String>,
    /// A sentence for each parameter that did not decode, saying what is used instead.
    pub problems: Vec<String>,
}

/// Parse `location.search` (with or without the leading `?`).
pub fn parse_query(search: &str) -> QueryParams {
    let mut q = QueryParams::default();
    for pair in search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        // What the problem messages quote: decoded, one line, not too long.
        let shown = || quote(&percent_decode(v));
        match k {
            "seed" => {
                q.seed = v.parse().ok();
                if q.seed.is_none() {
                    q.problems.push(format!(
                        "seed={} in the address is not a number from 0 to {}; a random seed is used.",
                        shown(),
                        u64::MAX
                    ));
                }
            }
            "nodes" => {
                q.nodes = v.parse().ok().filter(|n| (1..=MAX_NODES).contains(n));
                if q.nodes.is_none() {
                    q.problems.push(format!(
                        "nodes={} in the address is not a node count from 1 to {MAX_NODES}; the cluster has 1 node.",
                        shown()
                    ));
                }
            }
            "proxy" | "proxy-mode" | "mode" => {
                q.proxy_mode = ProxyMode::parse(v);
                if q.proxy_mode.is_none() {
                    q.problems.push(format!(
                        "{k}={} in the address is not a kube-proxy mode (ipvs, iptables or nftables); IPVS is used.",
                        shown()
                    ));
                }
            }
            "embed" => q.embed = !matches!(v, "0" | "false"),
            "preset" => q.preset = Some(percent_decode(v)).filter(|p| !p.trim().is_empty()),
            "run" => {
                let lines: Vec<String> = percent_decode(v)
                    .split(';')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
                if lines.len() > MAX_RUN {
                    q.problems.push(format!(
                        "run= in the address holds {} commands; only the first {MAX_RUN} run.",
                        lines.len()
                    ));
                }
                if lines.iter().take(MAX_RUN).any(|l| l.chars().count() > MAX_RUN_LINE) {
                    q.problems.push(format!(
                        "A command in run= is longer than {MAX_RUN_LINE} characters; it runs cut to that length."
                    ));
                }
                q.run = lines
                    .into_iter()
                    .take(MAX_RUN)
                    .map(|l| l.chars().take(MAX_RUN_LINE).collect())
                    .collect()
            }
            _ => {}
        }
    }
    q
}

/// A value as a message quotes it: control characters (NUL, newlines, bidi overrides) escaped,
/// cut at 60 characters.
pub fn quote(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Decode a query-string value: `+` as a space, as forms and `URLSearchParams` encode it, then
/// `%XX` escapes (the `percent-encoding` crate; UTF-8, lossily; a malformed escape stays as
/// typed).
pub fn percent_decode(v: &str) -> String {
    percent_encoding::percent_decode_str(&v.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The share state's JSON text, base64url-encoded (no padding), ready for `#s=`.
pub fn encode(state: &ShareState) -> String {
    let commands: Vec<Value> = state
        .commands
        .iter()
        .map(|c| match &c.files {
            Some(files) => json!([c.at_ms, c.line, files]),
            None => json!([c.at_ms, c.line]),
        })
        .collect();
    let mut doc = json!({
        "v": VERSION,
        "seed": state.settings.seed,
        "nodes": state.settings.nodes,
        "proxy": state.settings.proxy_mode.as_str(),
        "files": state.files,
        "cmds": commands,
        "t": state.elapsed_ms,
    });
    if let (Some(s), Some(o)) = (&state.snapshot, doc.as_object_mut()) {
        // The digest as hex text: JSON numbers past 2^53 do not survive JavaScript.
        o.insert(
            "snap".into(),
            json!({"name": s.name, "bytes": s.bytes, "fnv": format!("{:016x}", s.digest)}),
        );
    }
    base64url_encode(doc.to_string().as_bytes())
}

/// Why a share link's state did not decode (the page says so and starts with the learner's own
/// files, which it leaves as they are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Not base64url (e.g. cut or changed when copied).
    NotBase64,
    /// Decodes to bytes that are not a JSON document.
    NotJson(String),
    /// A format version this page does not know (`None`: no version).
    Version(Option<u64>),
    /// A field missing or of the wrong type.
    Field(&'static str),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotBase64 => f.write_str("it is not base64url text; it may have been cut or changed when copied"),
            ShareError::NotJson(e) => write!(
                f,
                "it does not decode to a share document ({e}); it may have been cut short when copied"
            ),
            ShareError::Version(Some(v)) => write!(f, "it is in format version {v}, and this page reads version {VERSION}"),
            ShareError::Version(None) => f.write_str("it carries no format version"),
            ShareError::Field(name) => write!(f, "its {name} field is missing or malformed"),
        }
    }
}

/// A decoded share state and what decoding had to change (files or commands over the limits,
/// a node count out of range, an unknown kube-proxy mode), as sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub state: ShareState,
    pub notes: Vec<String>,
}

/// The inverse of [`encode`]; `None` if the text is not a share state this page understands.
pub fn decode(text: &str) -> Option<ShareState> {
    decode_checked(text).ok().map(|d| d.state)
}

/// [`decode`], saying why not, and what it changed.
pub fn decode_checked(text: &str) -> Result<Decoded, ShareError> {
    let bytes = base64url_decode(text.trim()).ok_or(ShareError::NotBase64)?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| ShareError::NotJson(e.to_string()))?;
    let version = doc.get("v").and_then(Value::as_u64);
    if version != Some(VERSION) {
        return Err(ShareError::Version(version));
    }
    let mut notes = Vec::new();
    let seed = doc.get("seed").and_then(Value::as_u64).ok_or(ShareError::Field("seed"))?;
    let nodes_asked = doc.get("nodes").and_then(Value::as_u64).unwrap_or(1);
    let nodes = nodes_asked.clamp(1, MAX_NODES as u64) as usize;
    if nodes as u64 != nodes_asked {
        notes.push(format!(
            "The share link asks for {nodes_asked} nodes; the page runs 1 to {MAX_NODES}, so the cluster has {nodes}."
        ));
    }
    let proxy_mode = match doc.get("proxy").and_then(Value::as_str) {
        None => ProxyMode::default(),
        Some(p) => ProxyMode::parse(p).unwrap_or_else(|| {
            notes.push(format!("The share link's kube-proxy mode {} is unknown; IPVS is used.", quote(p)));
            ProxyMode::default()
        }),
    };
    let files = decode_files(doc.get("files").ok_or(ShareError::Field("files"))?, &mut notes).ok_or(ShareError::Field("files"))?;
    let mut commands = Vec::new();
    let cmds = doc.get("cmds").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if cmds.len() > MAX_COMMANDS {
        notes.push(format!(
            "The share link holds {} commands; the first {MAX_COMMANDS} are replayed.",
            cmds.len()
        ));
    }
    for c in cmds.iter().take(MAX_COMMANDS) {
        let at_ms = c
            .get(0)
            .and_then(Value::as_u64)
            .ok_or(ShareError::Field("cmds"))?
            .min(MAX_ELAPSED_MS);
        let line = c.get(1).and_then(Value::as_str).ok_or(ShareError::Field("cmds"))?.to_string();
        let files = match c.get(2) {
            Some(f) => Some(decode_files(f, &mut notes).ok_or(ShareError::Field("cmds"))?),
            None => None,
        };
        commands.push(SharedCommand { at_ms, line, files });
    }
    let elapsed_ms = doc.get("t").and_then(Value::as_u64).unwrap_or(0).min(MAX_ELAPSED_MS);
    let snapshot = match doc.get("snap") {
        None => None,
        Some(s) => {
            let name = s.get("name").and_then(Value::as_str).filter(|n| n.len() <= 1024);
            let bytes = s.get("bytes").and_then(Value::as_u64);
            let digest = s
                .get("fnv")
                .and_then(Value::as_str)
                .filter(|d| d.len() == 16)
                .and_then(|d| u64::from_str_radix(d, 16).ok());
            match (name, bytes, digest) {
                (Some(name), Some(bytes), Some(digest)) => Some(SnapshotRef {
                    name: name.to_string(),
                    bytes,
                    digest,
                }),
                _ => return Err(ShareError::Field("snap")),
            }
        }
    };
    notes.dedup();
    Ok(Decoded {
        state: ShareState {
            settings: Settings { seed, nodes, proxy_mode },
            files,
            commands,
            elapsed_ms,
            snapshot,
        },
        notes,
    })
}

fn decode_files(v: &Value, notes: &mut Vec<String>) -> Option<BTreeMap<String, String>> {
    let object = v.as_object()?;
    if object.len() > MAX_FILES {
        notes.push(format!(
            "The share link holds {} files; the page opens the first {MAX_FILES}.",
            object.len()
        ));
    }
    let mut files = BTreeMap::new();
    for (name, text) in object.iter().take(MAX_FILES) {
        files.insert(name.clone(), text.as_str()?.to_string());
    }
    Some(files)
}

/// The share state in a `location.hash` (`#s=…`, possibly among other `&`-separated pairs).
pub fn from_fragment(hash: &str) -> Option<ShareState> {
    from_fragment_checked(hash).and_then(Result::ok).map(|d| d.state)
}

/// [`from_fragment`], saying why it did not decode; `None` when the hash has no `s=`.
pub fn from_fragment_checked(hash: &str) -> Option<Result<Decoded, ShareError>> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("s="))
        .map(decode_checked)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url without padding. This and [`base64url_decode`] are hand-written on
/// purpose: the `data-encoding` crate, with the custom `Specification` the lenient decoder
/// needs, added 35,877 bytes (8,308 gzipped) to the page's wasm.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for s in sextets.iter().take(chunk.len() + 1) {
            out.push(char::from(ALPHABET[*s as usize]));
        }
    }
    out
}

/// Decodes base64url (also accepts the standard alphabet and `=` padding); `None` on bad input.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
