//! What the URL carries, and nothing else: the page settings in the query string
//! (`?seed=N&nodes=N&proxy=ipvs|iptables|nftables&embed`), deep links for docs authors
//! (`&preset=<file>` loads a preset into the editor, `&run=<commands separated by ;>` runs
//! them once the page is up; both URL-encoded), and the shared state in the fragment
//! (`#s=<base64url of a small JSON document>`).
//!
//! Pure functions over strings (no DOM), so the round trip is testable anywhere. Decoding never
//! panics and never trusts its input: sizes are capped, unknown fields are ignored, a malformed
//! fragment decodes to `None` (the page then starts fresh).

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
}

/// Parse `location.search` (with or without the leading `?`).
pub fn parse_query(search: &str) -> QueryParams {
    let mut q = QueryParams::default();
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "seed" => q.seed = v.parse().ok(),
            "nodes" => q.nodes = v.parse().ok().filter(|n| (1..=MAX_NODES).contains(n)),
            "proxy" | "proxy-mode" | "mode" => q.proxy_mode = ProxyMode::parse(v),
            "embed" => q.embed = !matches!(v, "0" | "false"),
            "preset" => q.preset = Some(percent_decode(v)).filter(|p| !p.trim().is_empty()),
            "run" => {
                q.run = percent_decode(v)
                    .split(';')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .take(MAX_RUN)
                    .map(|l| l.chars().take(MAX_RUN_LINE).collect())
                    .collect()
            }
            _ => {}
        }
    }
    q
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
    let doc = json!({
        "v": VERSION,
        "seed": state.settings.seed,
        "nodes": state.settings.nodes,
        "proxy": state.settings.proxy_mode.as_str(),
        "files": state.files,
        "cmds": commands,
        "t": state.elapsed_ms,
    });
    base64url_encode(doc.to_string().as_bytes())
}

/// The inverse of [`encode`]; `None` if the text is not a share state this page understands.
pub fn decode(text: &str) -> Option<ShareState> {
    let bytes = base64url_decode(text.trim())?;
    let doc: Value = serde_json::from_slice(&bytes).ok()?;
    if doc.get("v")?.as_u64()? != VERSION {
        return None;
    }
    let seed = doc.get("seed")?.as_u64()?;
    let nodes = doc.get("nodes").and_then(Value::as_u64).unwrap_or(1).clamp(1, MAX_NODES as u64) as usize;
    let proxy_mode = doc
        .get("proxy")
        .and_then(Value::as_str)
        .and_then(ProxyMode::parse)
        .unwrap_or_default();
    let files = decode_files(doc.get("files")?)?;
    let mut commands = Vec::new();
    let cmds = doc.get("cmds").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for c in cmds.iter().take(MAX_COMMANDS) {
        let at_ms = c.get(0)?.as_u64()?.min(MAX_ELAPSED_MS);
        let line = c.get(1)?.as_str()?.to_string();
        let files = match c.get(2) {
            Some(f) => Some(decode_files(f)?),
            None => None,
        };
        commands.push(SharedCommand { at_ms, line, files });
    }
    let elapsed_ms = doc.get("t").and_then(Value::as_u64).unwrap_or(0).min(MAX_ELAPSED_MS);
    Some(ShareState {
        settings: Settings { seed, nodes, proxy_mode },
        files,
        commands,
        elapsed_ms,
    })
}

fn decode_files(v: &Value) -> Option<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for (name, text) in v.as_object()?.iter().take(MAX_FILES) {
        files.insert(name.clone(), text.as_str()?.to_string());
    }
    Some(files)
}

/// The share state in a `location.hash` (`#s=…`, possibly among other `&`-separated pairs).
pub fn from_fragment(hash: &str) -> Option<ShareState> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("s="))
        .and_then(decode)
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
