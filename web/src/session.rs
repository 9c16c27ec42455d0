//! The page's session: one [`Playground`], the editor's files, the terminal transcript, the
//! list of commands run (what a share link replays), and the terminal's input waiting its turn
//! (a pasted block's lines, and what is entered while they run).
//!
//! No simulation logic lives here: every command goes to `Playground::run`, every tick of wall
//! time to `Playground::advance_ms`. This module only keeps what the panes display, with caps so
//! a long session stays cheap to render.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use sdplay_core::view;
use sdplay_core::{Config, Playground, SD_EXAMPLE};

use crate::url_state::{Settings, ShareState, SharedCommand, SnapshotRef, MAX_COMMANDS, MAX_ELAPSED_MS};

/// The default preset's file name.
pub const DEFAULT_FILE: &str = "sd-example.yml";
/// Terminal entries kept (older ones scroll away for good).
pub const MAX_ENTRIES: usize = 400;
/// Longest output kept per entry, in bytes (the rest is elided).
pub const MAX_OUTPUT: usize = 64 * 1024;
/// Command-line history kept for ArrowUp/ArrowDown.
pub const MAX_HISTORY: usize = 500;

/// What the learner enters at the terminal, in the order it must run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A line (Enter, or one complete line of a pasted block).
    Line(String),
    /// Ctrl+D at an empty prompt.
    Eof,
}

/// One command as the terminal shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Increasing id, a stable key for rendering.
    pub id: u64,
    pub prompt: String,
    pub command: String,
    pub output: String,
    pub status: i32,
}

pub struct Session {
    pub pg: Playground,
    pub settings: Settings,
    /// The editor's files (file name → text): what `kubectl apply -f` reads.
    pub files: BTreeMap<String, String>,
    /// The file the editor shows.
    pub active_file: String,
    /// Bumped when the files are replaced from outside the editor (load, new file, tab change).
    pub files_generation: u64,
    pub entries: VecDeque<Entry>,
    next_entry: u64,
    /// Lines typed (for ArrowUp/ArrowDown), oldest first.
    pub history: Vec<String>,
    /// Every line run, with the simulated ms since the session began and, when they changed
    /// since the previous line (always for the first), the files it saw (for share links).
    commands: Vec<SharedCommand>,
    /// The files the last recorded command saw.
    last_files: Option<BTreeMap<String, String>>,
    /// The simulated clock when the session began (the cluster has already been up for days).
    start_ms: u64,
    /// Bumped on every change the panes show (commands, trace events, files).
    pub version: u64,
    /// The snapshot the cluster was imported from (`None`: the default cluster).
    pub snapshot: Option<SnapshotRef>,
    /// Input entered while earlier input still waits (the rest of a pasted block, and what is
    /// typed meanwhile), oldest first: [`Session::run_queued`] runs it one at a time.
    queued: VecDeque<Input>,
}

impl Session {
    pub fn new(settings: Settings, files: BTreeMap<String, String>) -> Session {
        let pg = Playground::new(Config {
            seed: settings.seed,
            nodes: settings.nodes,
            proxy_mode: settings.proxy_mode,
            ..Config::default()
        });
        let files = if files.is_empty() { default_files() } else { files };
        let active_file = if files.contains_key(DEFAULT_FILE) {
            DEFAULT_FILE.to_string()
        } else {
            files.keys().next().cloned().unwrap_or_else(|| DEFAULT_FILE.to_string())
        };
        let start_ms = view::now_ms(&pg);
        Session {
            pg,
            settings,
            files,
            active_file,
            files_generation: 0,
            entries: VecDeque::new(),
            next_entry: 0,
            history: Vec::new(),
            commands: Vec::new(),
            last_files: None,
            start_ms,
            version: 0,
            snapshot: None,
            queued: VecDeque::new(),
        }
    }

    /// Rebuild a shared session: same seed and settings, and each command replayed at the
    /// simulated time it originally ran, with the files it saw then. (So no fixed "+10 s before
    /// each command": the clock is replayed exactly.) The core is deterministic, so the
    /// transcript, trace and cluster come out identical to the sharer's.
    pub fn from_share(state: &ShareState) -> Session {
        Session::from_share_on(state, None)
    }

    /// [`Session::from_share`] for a link that may have run on an imported snapshot: with its
    /// text (`snapshot`: file name and text, found in this browser) the session imports it and
    /// replays the commands on it; without, a link made on a snapshot opens the default cluster
    /// with its files and replays nothing (its commands ran on another cluster:
    /// [`crate::url_state::plan_snapshot`] words the notice).
    pub fn from_share_on(state: &ShareState, snapshot: Option<(&str, &str)>) -> Session {
        let mut s = Session::new(state.settings.clone(), state.files.clone());
        let replay = match (&state.snapshot, snapshot) {
            (None, _) => true,
            (Some(_), Some((name, text))) => s.load_snapshot(name, text),
            (Some(_), None) => false,
        };
        let commands = if replay { state.commands.as_slice() } else { &[] };
        for c in commands {
            if let Some(files) = &c.files {
                s.files = files.clone();
            }
            s.advance_to_elapsed(c.at_ms);
            s.run(&c.line);
        }
        if replay {
            s.advance_to_elapsed(state.elapsed_ms);
        }
        s.files = if state.files.is_empty() {
            default_files()
        } else {
            state.files.clone()
        };
        if !s.files.contains_key(&s.active_file) {
            s.active_file = s.files.keys().next().cloned().unwrap_or_default();
        }
        s
    }

    /// The simulated clock (ms) when the session began; earlier trace events are the cluster's boot.
    pub fn start_ms(&self) -> u64 {
        self.start_ms
    }

    /// Simulated ms since the session began.
    pub fn elapsed_ms(&self) -> u64 {
        view::now_ms(&self.pg).saturating_sub(self.start_ms)
    }

    fn advance_to_elapsed(&mut self, t: u64) {
        let now = self.elapsed_ms();
        let t = t.min(MAX_ELAPSED_MS);
        if t > now {
            self.advance(t - now);
        }
    }

    /// Advance the simulated clock; `true` if anything happened (trace events, or lines a
    /// running `kubectl get -w` printed).
    pub fn advance(&mut self, ms: u64) -> bool {
        let events = self.pg.advance_ms(ms);
        let streamed = self.show_streamed();
        if events.is_empty() && !streamed {
            false
        } else {
            self.version += 1;
            true
        }
    }

    /// Append what the running command printed meanwhile (the core's
    /// `Playground::take_streamed`) to its entry; whether there was any.
    fn show_streamed(&mut self) -> bool {
        let text = self.pg.take_streamed();
        if text.is_empty() {
            return false;
        }
        if let Some(e) = self.entries.back_mut() {
            if e.output.len() + text.len() <= MAX_OUTPUT {
                e.output.push_str(&text);
            }
        }
        true
    }

    pub fn prompt(&self) -> String {
        self.pg.prompt()
    }

    /// Run one line exactly as typed in the terminal, and show it there. Returns the exit
    /// status and the trace events the command caused (for the embed scripting API).
    pub fn run(&mut self, line: &str) -> (i32, Vec<sdplay_core::TraceEvent>) {
        crate::panic::debug_panic_if_armed();
        let line = line.trim_end_matches(['\r', '\n']);
        if self.commands.len() < MAX_COMMANDS {
            let files = (self.last_files.as_ref() != Some(&self.files)).then(|| self.files.clone());
            if files.is_some() {
                self.last_files = files.clone();
            }
            self.commands.push(SharedCommand {
                at_ms: self.elapsed_ms(),
                line: line.to_string(),
                files,
            });
        }
        if !line.trim().is_empty() && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        let result = self.pg.run(line, &self.files);
        // A watch the line ended printed its last lines first.
        self.show_streamed();
        self.version += 1;
        let report = (result.status, result.trace);
        // The core answers `clear` with no output; clearing the screen is the terminal's job.
        if line.trim() == "clear" {
            self.entries.clear();
            return report;
        }
        let mut output = result.output;
        if output.len() > MAX_OUTPUT {
            let mut cut = MAX_OUTPUT;
            while !output.is_char_boundary(cut) {
                cut -= 1;
            }
            output.truncate(cut);
            output.push_str("\n[sdplay: output truncated]\n");
        }
        self.entries.push_back(Entry {
            id: self.next_entry,
            prompt: result.prompt,
            command: line.to_string(),
            output,
            status: result.status,
        });
        self.next_entry += 1;
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
        report
    }

    /// Input entered at the terminal (Enter's line, a pasted block's complete lines, Ctrl+D),
    /// taken in order as a terminal takes it: the first runs now if nothing is waiting, the rest
    /// waits behind what is, for [`Session::run_queued`] to run one at a time (the page runs
    /// them in short slices of browser tasks, so it repaints and takes Ctrl+C between them).
    /// Returns whether
    /// input is waiting.
    pub fn enter(&mut self, input: impl IntoIterator<Item = Input>) -> bool {
        let idle = self.queued.is_empty();
        self.queued.extend(input);
        if idle {
            self.run_queued()
        } else {
            !self.queued.is_empty()
        }
    }

    /// Run the oldest waiting input, as [`Session::run`] or [`Session::eof`]; returns whether
    /// more is waiting.
    pub fn run_queued(&mut self) -> bool {
        match self.queued.pop_front() {
            Some(Input::Line(line)) => {
                self.run(&line);
            }
            Some(Input::Eof) => self.eof(),
            None => {}
        }
        !self.queued.is_empty()
    }

    /// How many inputs wait their turn.
    pub fn queued(&self) -> usize {
        self.queued.len()
    }

    /// The output of the newest terminal entry (what the last command printed).
    pub fn last_output(&self) -> String {
        self.entries.back().map(|e| e.output.clone()).unwrap_or_default()
    }

    /// Ctrl+D at an empty prompt: the shell's end of file (leaves a Pod's or node's shell as
    /// `exit` does; on the workstation nothing happens). Shown as an entry with no command.
    pub fn eof(&mut self) {
        let result = self.pg.eof(&self.files);
        self.version += 1;
        if result.output.is_empty() && result.prompt == self.prompt() {
            return;
        }
        self.entries.push_back(Entry {
            id: self.next_entry,
            prompt: result.prompt,
            command: String::new(),
            output: result.output,
            status: result.status,
        });
        self.next_entry += 1;
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
    }

    /// Ctrl+C at the prompt: the line is shown with `^C` and nothing runs (nor is recorded).
    /// While a command runs (`kubectl get -w`), Ctrl+C ends it: `^C` after its output.
    /// While a pasted block's lines wait, Ctrl+C drops them and what was typed behind them (`line`
    /// too), as the terminal flushes its typed-ahead input on an interrupt: `^C` after the
    /// output of the last line that ran.
    pub fn interrupt(&mut self, line: &str) {
        if !self.queued.is_empty() {
            self.queued.clear();
            if self.pg.interrupt() {
                self.show_streamed();
            }
            match self.entries.back_mut() {
                Some(e) => e.output.push_str("^C\n"),
                // Cleared by the last line that ran (`clear`): `^C` at the prompt.
                None => self.push_interrupted(""),
            }
            self.version += 1;
            return;
        }
        if self.pg.interrupt() {
            self.show_streamed();
            if let Some(e) = self.entries.back_mut() {
                e.output.push_str("^C\n");
            }
            self.version += 1;
            return;
        }
        self.push_interrupted(line);
        self.version += 1;
    }

    /// The abandoned `line` at the prompt, shown with `^C`.
    fn push_interrupted(&mut self, line: &str) {
        self.entries.push_back(Entry {
            id: self.next_entry,
            prompt: self.prompt(),
            command: format!("{line}^C"),
            output: String::new(),
            status: 130,
        });
        self.next_entry += 1;
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
    }

    /// The editor changed the active file's text.
    pub fn set_active_text(&mut self, text: String) {
        let name = self.active_file.clone();
        self.files.insert(name, text);
    }

    pub fn active_text(&self) -> &str {
        self.files.get(&self.active_file).map(String::as_str).unwrap_or("")
    }

    pub fn select_file(&mut self, name: &str) {
        if self.files.contains_key(name) && self.active_file != name {
            self.active_file = name.to_string();
            self.files_generation += 1;
            self.version += 1;
        }
    }

    /// Add an empty file with a fresh name (`manifest-2.yml`, …) and show it.
    pub fn new_file(&mut self) {
        let name = (2..)
            .map(|i| format!("manifest-{i}.yml"))
            .find(|n| !self.files.contains_key(n))
            .unwrap_or_else(|| "manifest.yml".into());
        self.files.insert(name.clone(), String::new());
        self.active_file = name;
        self.files_generation += 1;
        self.version += 1;
    }

    /// Drop the active file (never the last one).
    pub fn close_active_file(&mut self) {
        if self.files.len() > 1 {
            self.files.remove(&self.active_file);
            self.active_file = self.files.keys().next().cloned().unwrap_or_default();
            self.files_generation += 1;
            self.version += 1;
        }
    }

    /// Open a preset (see [`crate::presets`]) in a tab of its own name, replacing that tab's
    /// text if it is open already. `false` if there is no such preset.
    pub fn load_preset(&mut self, name: &str) -> bool {
        let Some((file, text)) = crate::presets::find(name) else {
            return false;
        };
        self.files.insert(file.to_string(), text.to_string());
        self.active_file = file.to_string();
        self.files_generation += 1;
        self.version += 1;
        true
    }

    /// Load a real cluster's snapshot (`kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,
    /// endpointslices,configmaps -A -o yaml`) as the cluster: the core imports it and words the
    /// report, which the terminal shows as the first entry of a fresh transcript. A snapshot
    /// the core refuses leaves the cluster as it was and says why. `true` when it loaded.
    pub fn load_snapshot(&mut self, name: &str, text: &str) -> bool {
        let config = Config {
            seed: self.settings.seed,
            ..Config::default()
        };
        let (output, status, loaded) = match Playground::load_snapshot(text, name, &config) {
            Ok((pg, words)) => {
                self.pg = pg;
                self.snapshot = Some(SnapshotRef::of(name, text));
                self.start_ms = view::now_ms(&self.pg);
                self.entries.clear();
                self.commands.clear();
                self.last_files = None;
                // Lines waiting were entered for the cluster just replaced.
                self.queued.clear();
                (words, 0, true)
            }
            Err(why) => (format!("sdplay: {why}\n"), 1, false),
        };
        self.entries.push_back(Entry {
            id: self.next_entry,
            prompt: String::new(),
            command: String::new(),
            output,
            status,
        });
        self.next_entry += 1;
        self.version += 1;
        loaded
    }

    /// Tab completion at the prompt: what the core offers for `line` (whole lines, sorted).
    pub fn complete(&self, line: &str) -> Vec<String> {
        self.pg.complete(line, &self.files)
    }

    /// Show completion candidates under the line typed so far, as bash lists them on a double
    /// Tab: the prompt and the line, then the candidates' last words in columns. Nothing runs
    /// and nothing is recorded.
    pub fn show_completions(&mut self, line: &str, candidates: &[String]) {
        self.entries.push_back(Entry {
            id: self.next_entry,
            prompt: self.prompt(),
            command: line.to_string(),
            output: completion_columns(candidates),
            status: 0,
        });
        self.next_entry += 1;
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.version += 1;
    }

    /// Put the preset of the active file's name back into it (the chapter's example for any
    /// other file).
    pub fn reset_active_file(&mut self) {
        let text = crate::presets::find(&self.active_file).map_or(SD_EXAMPLE, |(_, text)| text);
        self.set_active_text(text.to_string());
        self.files_generation += 1;
        self.version += 1;
    }

    /// The state a share link carries.
    pub fn share_state(&self) -> ShareState {
        let mut commands = self.commands.clone();
        // The replay starts from the final files, so the first command needs its own only if
        // they differ.
        if let Some(first) = commands.first_mut() {
            if first.files.as_ref() == Some(&self.files) {
                first.files = None;
            }
        }
        ShareState {
            settings: self.settings.clone(),
            files: self.files.clone(),
            commands,
            elapsed_ms: self.elapsed_ms(),
            snapshot: self.snapshot.clone(),
        }
    }
}

/// The longest common prefix of whole-line candidates (on character boundaries).
pub fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in &candidates[1..] {
        len = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_string()
}

/// The words being completed (each candidate's last word), laid out in columns as bash lists
/// them, at most 80 characters wide.
pub fn completion_columns(candidates: &[String]) -> String {
    const WIDTH: usize = 80;
    let words: Vec<&str> = candidates
        .iter()
        .map(|c| c.trim_end().rsplit(char::is_whitespace).next().unwrap_or(""))
        .collect();
    let col = words.iter().map(|w| w.chars().count()).max().unwrap_or(0) + 2;
    let per_line = (WIDTH / col).max(1);
    let rows = words.len().div_ceil(per_line);
    let mut out = String::new();
    // Column-major, as bash fills them.
    for r in 0..rows {
        let mut line = String::new();
        for w in words.iter().skip(r).step_by(rows.max(1)) {
            line.push_str(&format!("{w:<col$}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn default_files() -> BTreeMap<String, String> {
    BTreeMap::from([(DEFAULT_FILE.to_string(), SD_EXAMPLE.to_string())])
}

/// The session, shared by the panes. Equality is identity, so a pane's props compare cheaply;
/// panes also take `version` so they re-render only when something they show changed.
#[derive(Clone)]
pub struct SessionRef(pub Rc<RefCell<Session>>);

impl PartialEq for SessionRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SessionRef {
    pub fn new(s: Session) -> SessionRef {
        SessionRef(Rc::new(RefCell::new(s)))
    }

    /// Read the session; `None` only if it is being changed right now (never during a render).
    pub fn get(&self) -> Option<std::cell::Ref<'_, Session>> {
        self.0.try_borrow().ok()
    }

    /// Change the session; does nothing if it is borrowed (a nested event), rather than panic.
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.0.try_borrow_mut().ok().map(|mut s| f(&mut s))
    }
}
