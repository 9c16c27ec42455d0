//! # sdplay-core: a Kubernetes cluster, simulated, for learning service discovery
//!
//! A tour of the layers, in the order a manifest flows through them:
//!
//! 1. [`yaml`] and [`manifest`] turn text into typed [`model`] objects, with diagnostics that
//!    carry file, line, column and field path.
//! 2. [`api`] is the API server: admission and validation with kubectl's exact messages, and
//!    the store. [`ipam`] allocates ClusterIPs, NodePorts and Pod IPs.
//!    (Registration steps 1–3.)
//! 3. [`controllers`] react until the cluster is quiet: Deployment → ReplicaSet → Pods, the
//!    scheduler and kubelet in simulated time, Endpoints and EndpointSlices (step 4).
//! 4. [`proxy`] is kube-proxy on every node: IPVS tables per node (step 5).
//! 5. [`dns`] is CoreDNS's kubernetes plugin, answering from the store (step 6).
//! 6. Discovery: [`resolver`] writes resolv.conf and walks the search list, [`discovery`] sends
//!    the queries, [`netpath`] carries the packet through the node's kernel to a Pod, and
//!    [`apps`] answers as the container image does.
//! 7. [`shell`] is the terminal (kubectl, tools inside Pods, ipvsadm on nodes); [`printers`]
//!    print what the real tools print; [`trace`] records every step for the timeline.
//! 8. [`view`] is the page's window: what the page shows (the cluster at any event, records,
//!    rules, manifest problems) as plain data, so the web crate only renders.
//!
//! Sans-I/O: no clock, no files, no randomness from the OS. Time advances only through
//! [`Playground::advance_ms`] (or `sleep`), randomness comes from the seed, files come through
//! [`shell::Files`]. The same seed and the same commands give the same transcript.

pub mod api;
pub mod apps;
pub mod bootstrap;
pub mod cluster;
pub mod controllers;
pub mod discovery;
pub mod dns;
pub mod encoding;
pub mod events;
pub mod explain;
pub mod hints;
mod informers;
pub mod ipam;
pub mod labels;
pub mod limits;
pub mod manifest;
pub mod model;
pub mod netpath;
pub mod nodes;
pub mod printers;
pub mod proxy;
pub mod resolver;
pub mod rng;
pub mod scheduler;
pub mod shell;
pub mod snapshot;
pub mod time;
pub mod trace;
pub mod uid;
pub mod view;
pub mod yaml;

pub use cluster::{Cluster, Config};
pub use proxy::ProxyMode;
pub use shell::{Files, Location, Outcome};
pub use trace::{Element, Step, TraceEvent, What};

/// The chapter's `sd-example.yml`, the default preset.
pub const SD_EXAMPLE: &str = include_str!("../../static/presets/sd-example.yml");

/// One cluster and one terminal: what the page and the CLI drive.
pub struct Playground {
    pub cluster: Cluster,
    pub shell: shell::Shell,
    /// Output of a running command printed while time passed ([`Playground::take_streamed`]).
    streamed: String,
}

/// The result of running one command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandResult {
    /// The prompt the command was typed at.
    pub prompt: String,
    /// The line as typed (for a pasted block, the first line).
    pub line: String,
    pub output: String,
    pub status: i32,
    /// Trace events the command caused, in order.
    pub trace: Vec<TraceEvent>,
}

impl Playground {
    pub fn new(config: Config) -> Playground {
        Playground {
            cluster: bootstrap::minikube(config),
            shell: shell::Shell::default(),
            streamed: String::new(),
        }
    }

    /// A real cluster's snapshot (`kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,
    /// endpointslices,configmaps -A -o yaml`) loaded as the cluster, with the import's report
    /// (see [`snapshot`]). Only `config.seed` is used: every setting comes from the snapshot.
    pub fn from_snapshot(text: &str, config: &Config) -> Result<(Playground, snapshot::Report), snapshot::SnapshotError> {
        let imported = snapshot::import(text, config)?;
        Ok((
            Playground {
                cluster: imported.cluster,
                shell: shell::Shell::default(),
                streamed: String::new(),
            },
            imported.report,
        ))
    }

    /// [`Playground::from_snapshot`] for the page: the playground and the report in words
    /// ([`explain::snapshot_report`]), or why the snapshot could not be loaded, in words.
    pub fn load_snapshot(text: &str, name: &str, config: &Config) -> Result<(Playground, String), String> {
        match Playground::from_snapshot(text, config) {
            Ok((pg, report)) => Ok((pg, explain::snapshot_report(&report, name))),
            Err(e) => Err(explain::snapshot_error(&e, name)),
        }
    }

    pub fn prompt(&self) -> String {
        self.shell.prompt()
    }

    /// Run what the terminal sends exactly as typed. One line is one command (or the next line
    /// of an open construct: then nothing runs yet and the prompt becomes `> `). Text with
    /// newlines (a pasted block) runs line by line, each line at the prompt it was read at,
    /// as a terminal shows a paste: the result is the first line's prompt, and an output in
    /// which each later line follows its own prompt (see [`Playground::run_lines`] for one
    /// result per line).
    pub fn run(&mut self, line: &str, files: &dyn Files) -> CommandResult {
        let mut results = self.run_lines(line, files);
        let mut first = results.remove(0);
        for r in results {
            first.output.push_str(&r.prompt);
            first.output.push_str(&r.line);
            first.output.push('\n');
            first.output.push_str(&r.output);
            first.status = r.status;
            first.trace.extend(r.trace);
        }
        first
    }

    /// Run a block of lines (split at `\n`, a trailing newline ends the last line), one result
    /// per line, each with the prompt it was read at: what a terminal shows for a paste.
    pub fn run_lines(&mut self, text: &str, files: &dyn Files) -> Vec<CommandResult> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        text.split('\n')
            .map(|l| {
                let l = l.strip_suffix('\r').unwrap_or(l);
                self.run_one(l, files, |sh, c, f, l| sh.run(c, f, l))
            })
            .collect()
    }

    /// Ctrl-D at the prompt: leaves the Pod's or node's shell as `exit` does (bash prints
    /// `exit`); in an open construct, the syntax error the shell prints at end of file. The
    /// result's `line` is empty.
    pub fn eof(&mut self, files: &dyn Files) -> CommandResult {
        if self.busy() {
            // A running `kubectl get -w` reads no input: Ctrl-D does nothing.
            return CommandResult {
                prompt: String::new(),
                line: String::new(),
                output: String::new(),
                status: 0,
                trace: Vec::new(),
            };
        }
        self.run_one("", files, |sh, c, f, _| sh.eof(c, f))
    }

    fn run_one(
        &mut self,
        line: &str,
        files: &dyn Files,
        f: impl FnOnce(&mut shell::Shell, &mut Cluster, &dyn Files, &str) -> Outcome,
    ) -> CommandResult {
        // A line typed while `kubectl get -w` runs ends the watch first, as Ctrl-C would
        // (in a script: the watch lasts until the next command).
        self.end_watch();
        let prompt = self.prompt();
        let start = self.cluster.trace.next_seq();
        self.cluster.command += 1;
        let out = f(&mut self.shell, &mut self.cluster, files, line);
        self.cluster.settle();
        CommandResult {
            prompt,
            line: line.to_string(),
            output: out.output,
            status: out.status,
            trace: self.cluster.trace.since_seq(start).cloned().collect(),
        }
    }

    /// Advance simulated time (the page calls this with elapsed wall time). A running
    /// `kubectl get -w` prints what changed meanwhile: [`Playground::take_streamed`].
    pub fn advance_ms(&mut self, ms: u64) -> Vec<TraceEvent> {
        let start = self.cluster.trace.next_seq();
        if self.shell.watching() {
            // In steps of at most a second, so each watch line's AGE is its event's.
            let until = self.cluster.now.plus_ms(ms);
            while self.cluster.now < until {
                let step = (until.0 - self.cluster.now.0).min(1000);
                self.cluster.advance_ms(step);
                let out = self.shell.watch_output(&self.cluster);
                self.streamed.push_str(&out);
            }
        } else {
            self.cluster.advance_ms(ms);
        }
        self.cluster.trace.since_seq(start).cloned().collect()
    }

    /// What the running command printed while time passed (a `kubectl get -w`'s lines),
    /// since the last call.
    pub fn take_streamed(&mut self) -> String {
        std::mem::take(&mut self.streamed)
    }

    /// Whether a command is still running (a `kubectl get -w`): the terminal shows no prompt.
    pub fn busy(&self) -> bool {
        self.shell.watching()
    }

    /// Ctrl-C: end the running `kubectl get -w`; whether one ran (then nothing else happens:
    /// the terminal shows `^C` and the prompt).
    pub fn interrupt(&mut self) -> bool {
        self.end_watch()
    }

    fn end_watch(&mut self) -> bool {
        // Whatever the watch would still have printed up to now comes first.
        let out = self.shell.watch_output(&self.cluster);
        self.streamed.push_str(&out);
        self.shell.end_watch()
    }

    pub fn trace(&self) -> &std::collections::VecDeque<TraceEvent> {
        self.cluster.trace.events()
    }

    /// The cluster's objects right after trace event `seq` (for stepping back through the
    /// timeline): with every change the event stands for, and none of the next event's — so
    /// "ClusterIP allocated" shows the Service with its ClusterIP. `None` if that event or its
    /// state is no longer retained.
    pub fn store_at(&self, seq: u64) -> Option<api::Store> {
        self.cluster.trace.get(seq)?;
        let after = match self.cluster.trace.get(seq + 1) {
            Some(next) => next.store_version,
            None => self.cluster.api.store().version(),
        };
        self.cluster.api.store().state_at(after)
    }

    /// Tab completion for the current line (see [`shell::complete`]).
    pub fn complete(&self, line: &str, files: &dyn Files) -> Vec<String> {
        shell::complete::complete(&self.shell, &self.cluster, files, line)
    }
}

/// How [`transcript`] shows the trace events a command caused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceFormat {
    /// Not at all: the terminal's text only.
    #[default]
    Off,
    /// `--trace`: after each command's output, its events as `  ~ [step] summary | why: …`.
    Text,
    /// `--trace=json`: JSON lines only, one per command (`"record": "command"`) followed by
    /// one per event it caused (`"record": "event"`, [`TraceEvent::to_json`]); the schema is
    /// in the README.
    Json,
}

/// Run a script as the CLI does and return the transcript: each command after its prompt, then
/// its output, and the trace events it caused in `format`. Blank lines and `#` comments are
/// skipped. This is the one function transcript tests and `sdplay` share.
pub fn transcript(config: Config, script: &str, files: &dyn Files, format: TraceFormat) -> String {
    let mut pg = Playground::new(config);
    transcript_of(&mut pg, script, files, format)
}

/// [`transcript`] over an imported snapshot (`sdplay --snapshot FILE`): the import's report
/// ([`explain::snapshot_report`]; in JSON, one `"record": "snapshot"` line with it as `report`),
/// then the script's transcript. `Err` is the CLI's words for a snapshot it cannot load.
pub fn snapshot_transcript(
    config: Config,
    snapshot_name: &str,
    snapshot_text: &str,
    script: &str,
    files: &dyn Files,
    format: TraceFormat,
) -> Result<String, String> {
    let (mut pg, report) = Playground::from_snapshot(snapshot_text, &config).map_err(|e| explain::snapshot_error(&e, snapshot_name))?;
    let words = explain::snapshot_report(&report, snapshot_name);
    let mut out = match format {
        TraceFormat::Json => {
            let mut line = serde_json::json!({"record": "snapshot", "report": words}).to_string();
            line.push('\n');
            line
        }
        _ => words,
    };
    out.push_str(&transcript_of(&mut pg, script, files, format));
    Ok(out)
}

/// Run `script` in `pg` as [`transcript`] does.
pub fn transcript_of(pg: &mut Playground, script: &str, files: &dyn Files, format: TraceFormat) -> String {
    let mut out = String::new();
    // A `kubectl get -w` lasts until the script's next command (or its end): what it printed
    // meanwhile follows its output.
    let end_watch = |pg: &mut Playground, out: &mut String| {
        if pg.interrupt() || !pg.streamed.is_empty() {
            let text = pg.take_streamed();
            if format == TraceFormat::Json {
                if !text.is_empty() {
                    out.push_str(&serde_json::json!({"record": "stream", "output": text}).to_string());
                    out.push('\n');
                }
            } else {
                out.push_str(&text);
            }
        }
    };
    for line in script.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        end_watch(pg, &mut out);
        let r = pg.run(t, files);
        match format {
            TraceFormat::Off | TraceFormat::Text => {
                out.push_str(&r.prompt);
                out.push_str(t);
                out.push('\n');
                out.push_str(&r.output);
                if format == TraceFormat::Text {
                    for e in &r.trace {
                        out.push_str(&format!("  ~ {e}\n"));
                    }
                }
            }
            TraceFormat::Json => {
                let cmd = serde_json::json!({
                    "record": "command",
                    "command": pg.cluster.command,
                    "prompt": r.prompt,
                    "line": t,
                    "output": r.output,
                    "status": r.status,
                });
                out.push_str(&cmd.to_string());
                out.push('\n');
                for e in &r.trace {
                    let mut j = e.to_json();
                    if let Some(o) = j.as_object_mut() {
                        o.insert("record".into(), "event".into());
                    }
                    out.push_str(&j.to_string());
                    out.push('\n');
                }
            }
        }
    }
    end_watch(pg, &mut out);
    out
}
