//! Running a parsed line ([`super::lang`]): lists, `&&`/`||`, pipelines (the text filters read
//! the previous command's output), `for`/`while`/`until`/`if`, groups and subshells, variables
//! with `$?`, word expansion (`$X`, `${X}`, `$(…)`, `$((…))`, field splitting of unquoted
//! expansions; no globbing), and the builtins learners use: `echo`, `true`, `false`, `:`,
//! `test`/`[`, `export`, `unset`, `exit`, and `seq` where the image has it (coreutils or
//! busybox). Everything else goes to the location's commands (kubectl, the Pod's tools, the
//! node's tools).
//!
//! Nothing can hang the page: a `while`/`until` loop stops after [`MAX_ITERATIONS`] rounds, a
//! line after [`MAX_COMMANDS`] commands or [`MAX_OUTPUT`] bytes printed, `seq` after
//! [`MAX_SEQ`] numbers, and command substitution nests at most [`MAX_DEPTH`] deep; each says so
//! when it stops.

use std::collections::BTreeMap;

use crate::cluster::Cluster;

use super::lang::{self, AndOr, Cmd, Flavor, List, Part, Pipeline, Redir, RedirOp, Word};
use super::{filter_text, Files, Location, Outcome, Shell};

/// Rounds of one `while`/`until` loop.
pub const MAX_ITERATIONS: u32 = 1_000;
/// Simple commands one line may run.
pub const MAX_COMMANDS: u32 = 10_000;
/// Numbers `seq` prints.
pub const MAX_SEQ: i64 = 100_000;
/// Nesting of `$(…)` and `( … )`.
pub const MAX_DEPTH: u32 = 16;
/// Bytes the commands of one line may print (captured output included).
pub const MAX_OUTPUT: usize = 4 << 20;

/// A shell's variables and last exit status, per place on the location stack.
#[derive(Clone, Debug)]
pub struct Frame {
    loc: Location,
    vars: BTreeMap<String, String>,
    status: i32,
}

/// Why the rest of a line does not run.
pub(crate) enum Stop {
    /// The shell left (exit) or was left: nothing more runs in it.
    Exit,
    /// An error already printed (a bound hit, an arithmetic error).
    Abort,
    /// `exit N` inside a subshell or `$(…)`: ends only that.
    SubExit(i32),
}

/// What one line's run carries.
pub(crate) struct Cx<'a> {
    pub cluster: &'a mut Cluster,
    pub files: &'a dyn Files,
    pub out: String,
    commands: u32,
    depth: u32,
    start_depth: usize,
    subst_status: Option<i32>,
    printed: usize,
    /// The status of the `exit` that left the shell.
    pub exit_status: i32,
}

type R<T> = Result<T, Stop>;

impl<'a> Cx<'a> {
    pub fn new(cluster: &'a mut Cluster, files: &'a dyn Files, start_depth: usize) -> Cx<'a> {
        Cx {
            cluster,
            files,
            out: String::new(),
            commands: 0,
            depth: 0,
            start_depth,
            subst_status: None,
            printed: 0,
            exit_status: 0,
        }
    }
}

impl Shell {
    /// This location's variables and status (a fresh frame when the location is new).
    pub(crate) fn frame(&mut self) -> &mut Frame {
        self.frames.truncate(self.stack.len());
        for (i, loc) in self.stack.iter().enumerate() {
            if self.frames.get(i).is_some_and(|f| &f.loc != loc) {
                self.frames.truncate(i);
            }
            if self.frames.len() == i {
                self.frames.push(Frame {
                    loc: loc.clone(),
                    vars: BTreeMap::new(),
                    status: 0,
                });
            }
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// `$?` here.
    pub(crate) fn status(&mut self) -> i32 {
        self.frame().status
    }

    pub(crate) fn set_status(&mut self, status: i32) {
        self.frame().status = status;
    }

    /// The shell here and the name its messages start with (`bash`, `-bash` for the node's
    /// login shell, `sh` for ash, `sh: 1` for dash).
    pub fn dialect(&self) -> (Flavor, &'static str) {
        match self.location() {
            Location::Workstation => (Flavor::Bash, "bash"),
            Location::Node {
                login: super::NodeLogin::MinikubeSsh,
                ..
            } => (Flavor::Bash, "-bash"),
            Location::Node {
                login: super::NodeLogin::ContainerExec,
                ..
            } => (Flavor::Bash, "bash"),
            Location::Pod { shell, .. } => match shell {
                Flavor::Bash => (Flavor::Bash, "bash"),
                Flavor::Ash => (Flavor::Ash, "sh"),
                Flavor::Dash => (Flavor::Dash, "sh: 1"),
            },
        }
    }

    pub(crate) fn exec_list(&mut self, cx: &mut Cx, list: &List) -> R<i32> {
        let mut status = self.frame().status;
        for ao in list {
            status = self.and_or(cx, ao)?;
        }
        Ok(status)
    }

    fn and_or(&mut self, cx: &mut Cx, ao: &AndOr) -> R<i32> {
        let mut status = self.pipeline(cx, &ao.first)?;
        self.set_status(status);
        for (and, p) in &ao.rest {
            if (status == 0) == *and {
                status = self.pipeline(cx, p)?;
                self.set_status(status);
            }
        }
        Ok(status)
    }

    fn pipeline(&mut self, cx: &mut Cx, p: &Pipeline) -> R<i32> {
        let mut input: Option<String> = None;
        let mut status = 0;
        for (i, c) in p.cmds.iter().enumerate() {
            let last = i + 1 == p.cmds.len();
            let saved = (!last).then(|| std::mem::take(&mut cx.out));
            let r = self.cmd(cx, c, input.as_deref());
            if let Some(s) = saved {
                let captured = std::mem::replace(&mut cx.out, s);
                if r.is_err() {
                    cx.out.push_str(&captured);
                }
                input = Some(captured);
            }
            status = r?;
        }
        Ok(if p.bang { i32::from(status == 0) } else { status })
    }

    fn cmd(&mut self, cx: &mut Cx, c: &Cmd, input: Option<&str>) -> R<i32> {
        match c {
            Cmd::Simple { assigns, words, redirs } if redirs.is_empty() => self.simple(cx, assigns, words, input),
            Cmd::Simple { assigns, words, redirs } => self.redirected(cx, assigns, words, redirs, input),
            Cmd::If { arms, otherwise } => {
                for (cond, then) in arms {
                    if self.exec_list(cx, cond)? == 0 {
                        return self.exec_list(cx, then);
                    }
                }
                match otherwise {
                    Some(l) => self.exec_list(cx, l),
                    None => Ok(0),
                }
            }
            Cmd::For { var, items, body } => {
                let mut words = Vec::new();
                for w in items.iter().flatten() {
                    words.extend(self.expand(cx, w, true)?);
                }
                let mut status = 0;
                for w in words {
                    self.frame().vars.insert(var.clone(), w);
                    status = self.exec_list(cx, body)?;
                }
                Ok(status)
            }
            Cmd::Loop { until, cond, body } => {
                let mut status = 0;
                let mut rounds = 0;
                loop {
                    let c = self.exec_list(cx, cond)?;
                    if (c == 0) == *until {
                        break;
                    }
                    rounds += 1;
                    if rounds > MAX_ITERATIONS {
                        cx.out.push_str(&format!(
                            "sdplay: loop stopped after {MAX_ITERATIONS} rounds (a bound so the page cannot hang)\n"
                        ));
                        self.set_status(1);
                        return Err(Stop::Abort);
                    }
                    status = self.exec_list(cx, body)?;
                }
                Ok(status)
            }
            Cmd::Group(list, false) => self.exec_list(cx, list),
            Cmd::Group(list, true) => self.subshell(cx, |sh, cx| sh.exec_list(cx, list)),
        }
    }

    /// Run `f` as a subshell: its variables are thrown away, `exit` ends only it.
    fn subshell(&mut self, cx: &mut Cx, f: impl FnOnce(&mut Shell, &mut Cx) -> R<i32>) -> R<i32> {
        if cx.depth >= MAX_DEPTH {
            cx.out
                .push_str(&format!("sdplay: nesting deeper than {MAX_DEPTH} is not simulated\n"));
            return Err(Stop::Abort);
        }
        let saved = self.frame().vars.clone();
        cx.depth += 1;
        let r = f(self, cx);
        cx.depth -= 1;
        if self.stack.len() >= cx.start_depth {
            self.frame().vars = saved;
        }
        match r {
            Err(Stop::SubExit(code)) => Ok(code),
            other => other,
        }
    }

    /// Expand a word into fields (`split`: unquoted expansions split on blanks).
    fn expand(&mut self, cx: &mut Cx, w: &Word, split: bool) -> R<Vec<String>> {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        for part in &w.0 {
            let (text, quoted) = match part {
                Part::Lit(s) | Part::Quoted(s) => {
                    cur.push_str(s);
                    has = true;
                    continue;
                }
                Part::Var(name, q) => (self.var(name), *q),
                Part::Subst(src, q) => (self.substitute(cx, src)?, *q),
                Part::Arith(expr, q) => (self.arith(cx, expr)?.to_string(), *q),
            };
            if quoted || !split {
                cur.push_str(&text);
                has = true;
                continue;
            }
            for ch in text.chars() {
                if ch.is_ascii_whitespace() {
                    if has {
                        fields.push(std::mem::take(&mut cur));
                        has = false;
                    }
                } else {
                    cur.push(ch);
                    has = true;
                }
            }
        }
        if has {
            fields.push(cur);
        }
        Ok(fields)
    }

    fn var(&mut self, name: &str) -> String {
        let (flavor, prefix) = self.dialect();
        let f = self.frame();
        match name {
            "?" => f.status.to_string(),
            "#" => "0".into(),
            "0" => match flavor {
                Flavor::Bash => prefix.to_string(),
                _ => "sh".into(),
            },
            _ => f.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// `$(…)`: run the source, its output with trailing newlines removed.
    fn substitute(&mut self, cx: &mut Cx, src: &str) -> R<String> {
        let (flavor, prefix) = self.dialect();
        let list = match lang::parse(src) {
            Ok(l) => l,
            Err(e) => {
                let (msg, status) = e.message(flavor, prefix);
                cx.out.push_str(&msg);
                cx.subst_status = Some(status);
                return Ok(String::new());
            }
        };
        let saved = std::mem::take(&mut cx.out);
        let r = self.subshell(cx, |sh, cx| sh.exec_list(cx, &list));
        let mut captured = std::mem::replace(&mut cx.out, saved);
        let status = r?;
        cx.subst_status = Some(status);
        self.set_status(status);
        while captured.ends_with('\n') {
            captured.pop();
        }
        Ok(captured)
    }

    fn arith(&mut self, cx: &mut Cx, expr: &str) -> R<i64> {
        let (flavor, prefix) = self.dialect();
        let vars = self.frame().vars.clone();
        match arith::eval(expr, &vars) {
            Ok(v) => Ok(v),
            Err(e) => {
                let (msg, status) = match (flavor, e) {
                    (Flavor::Bash, arith::Error::DivZero(tok)) => {
                        (format!("{prefix}: {}: division by 0 (error token is \"{tok}\")\n", expr.trim()), 1)
                    }
                    (Flavor::Bash, arith::Error::Syntax(tok)) => (
                        format!(
                            "{prefix}: {}: syntax error: operand expected (error token is \"{tok}\")\n",
                            expr.trim()
                        ),
                        1,
                    ),
                    (_, arith::Error::DivZero(_)) => (format!("{prefix}: divide by zero\n"), 2),
                    (_, arith::Error::Syntax(_)) => (format!("{prefix}: arithmetic syntax error\n"), 2),
                };
                cx.out.push_str(&msg);
                self.set_status(status);
                Err(Stop::Abort)
            }
        }
    }

    fn simple(&mut self, cx: &mut Cx, assigns: &[(String, Word)], words: &[Word], input: Option<&str>) -> R<i32> {
        let before = cx.out.len();
        let r = self.simple_inner(cx, assigns, words, input);
        cx.printed = cx.printed.saturating_add(cx.out.len().saturating_sub(before));
        if cx.printed > MAX_OUTPUT && r.is_ok() {
            cx.out.push_str(&format!(
                "\nsdplay: stopped after {} MiB of output in one line (a bound so the page cannot hang)\n",
                MAX_OUTPUT >> 20
            ));
            self.set_status(1);
            return Err(Stop::Abort);
        }
        r
    }

    /// A simple command with redirections. Standard output and error are one stream here, so:
    /// `> /dev/null`, `>> /dev/null` and `&> /dev/null` drop what the command printed; `2>&1`
    /// and `2> /dev/null` change nothing (the learner sees what the command said); `< /dev/null`
    /// gives it no input. Files are not simulated: any other target is refused, and the
    /// command does not run.
    fn redirected(&mut self, cx: &mut Cx, assigns: &[(String, Word)], words: &[Word], redirs: &[Redir], input: Option<&str>) -> R<i32> {
        let mut drop_output = false;
        let mut no_input = false;
        for r in redirs {
            let target = self.expand(cx, &r.target, false)?.join(" ");
            match (r.op, r.fd, target.as_str()) {
                (RedirOp::Dup, _, "1" | "2") => {}
                (RedirOp::Out | RedirOp::Append, Some(2), "/dev/null") => {}
                (RedirOp::Out | RedirOp::Append | RedirOp::Both, None | Some(1), "/dev/null") => drop_output = true,
                (RedirOp::In, _, "/dev/null") => no_input = true,
                _ => {
                    cx.out.push_str(&format!(
                        "sdplay: redirection to {target} is not simulated (only /dev/null and 2>&1 are)\n"
                    ));
                    self.set_status(1);
                    return Ok(1);
                }
            }
        }
        let before = cx.out.len();
        let status = self.simple(cx, assigns, words, if no_input { Some("") } else { input })?;
        if drop_output {
            cx.out.truncate(before);
        }
        Ok(status)
    }

    fn simple_inner(&mut self, cx: &mut Cx, assigns: &[(String, Word)], words: &[Word], input: Option<&str>) -> R<i32> {
        cx.commands += 1;
        if cx.commands > MAX_COMMANDS {
            cx.out.push_str(&format!(
                "sdplay: stopped after {MAX_COMMANDS} commands in one line (a bound so the page cannot hang)\n"
            ));
            self.set_status(1);
            return Err(Stop::Abort);
        }
        cx.subst_status = None;
        let mut argv = Vec::new();
        for w in words {
            argv.extend(self.expand(cx, w, true)?);
        }
        if argv.is_empty() {
            for (name, value) in assigns {
                let v = self.expand(cx, value, false)?.concat();
                self.frame().vars.insert(name.clone(), v);
            }
            return Ok(cx.subst_status.take().unwrap_or(0));
        }
        let (flavor, prefix) = self.dialect();
        let args = &argv[1..];
        match argv[0].as_str() {
            "true" | ":" => return Ok(0),
            "false" => return Ok(1),
            "echo" => {
                cx.out.push_str(&echo(flavor, args));
                return Ok(0);
            }
            "test" | "[" => {
                let (out, status) = test(flavor, prefix, &argv);
                cx.out.push_str(&out);
                return Ok(status);
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    if let Some((n, v)) = a.split_once('=') {
                        self.frame().vars.insert(n.to_string(), v.to_string());
                    }
                }
                return Ok(0);
            }
            "unset" => {
                for a in args {
                    self.frame().vars.remove(a);
                }
                return Ok(0);
            }
            "seq" if self.has_seq(cx.cluster) => {
                let (out, status) = seq(flavor, args);
                cx.out.push_str(&out);
                return Ok(status);
            }
            "exit" | "logout" if cx.depth > 0 => {
                let code = args.first().and_then(|s| s.parse().ok()).unwrap_or(self.frame().status);
                return Err(Stop::SubExit(code));
            }
            "grep" | "head" | "tail" | "wc" => {
                let r = filter_text(input.unwrap_or(""), &argv, self.location());
                cx.out.push_str(&r.output);
                return Ok(r.status);
            }
            _ => {}
        }
        let r: Outcome = self.run_command(cx.cluster, cx.files, &argv);
        cx.out.push_str(&r.output);
        if self.stack.len() < cx.start_depth {
            cx.exit_status = r.status;
            return Err(Stop::Exit);
        }
        Ok(r.status)
    }

    /// `seq` is coreutils' (ubuntu, debian, the workstation, the node) or busybox's (alpine).
    fn has_seq(&self, c: &Cluster) -> bool {
        match self.location() {
            Location::Workstation | Location::Node { .. } => true,
            Location::Pod { namespace, name, .. } => c.api.store().pod(namespace, name).is_some_and(|p| {
                let image = p.spec.containers.first().map(|c| c.image.as_str()).unwrap_or("");
                matches!(crate::apps::image_info(image).distro, "ubuntu" | "debian" | "alpine" | "busybox")
            }),
        }
    }
}

/// `echo`: bash's and busybox's take `-n`, `-e`, `-E`; dash's takes `-n` and always reads
/// backslash escapes.
fn echo(flavor: Flavor, args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = flavor == Flavor::Dash;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let Some(flags) = a.strip_prefix('-') else { break };
        let allowed = if flavor == Flavor::Dash { "n" } else { "neE" };
        if flags.is_empty() || !flags.chars().all(|c| allowed.contains(c)) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut out = args[i..].join(" ");
    if escapes {
        let mut s = String::new();
        let mut it = out.chars();
        while let Some(c) = it.next() {
            if c != '\\' {
                s.push(c);
                continue;
            }
            match it.next() {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some('\\') => s.push('\\'),
                Some('a') => s.push('\x07'),
                Some('c') => return s,
                Some(o) => {
                    s.push('\\');
                    s.push(o);
                }
                None => s.push('\\'),
            }
        }
        out = s;
    }
    if newline {
        out.push('\n');
    }
    out
}

/// `test` / `[`: strings (`-z`, `-n`, `=`, `==`, `!=`), integers (`-eq` … `-ge`), `!`, and
/// `-e`/`-f`/`-d` for the files the container has. Output (error text) and status.
fn test(flavor: Flavor, prefix: &str, argv: &[String]) -> (String, i32) {
    let name = argv[0].as_str();
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            return match flavor {
                Flavor::Bash => (format!("{prefix}: [: missing `]'\n"), 2),
                Flavor::Ash => (format!("{prefix}: missing ]\n"), 2),
                Flavor::Dash => (format!("{prefix}: [: missing ]\n"), 2),
            };
        }
        args.pop();
    }
    let int = |s: &str| -> Result<i64, (String, i32)> {
        s.trim().parse::<i64>().map_err(|_| match flavor {
            Flavor::Bash => (format!("{prefix}: {name}: {s}: integer expression expected\n"), 2),
            Flavor::Ash => (format!("{prefix}: {s}: bad number\n"), 2),
            Flavor::Dash => (format!("{prefix}: {name}: Illegal number: {s}\n"), 2),
        })
    };
    let file = |op: &str, path: &str| {
        let files = ["/etc/resolv.conf", "/etc/hosts", "/etc/hostname", "/etc/os-release"];
        let dirs = ["/", "/etc", "/tmp", "/root", "/usr", "/bin", "/var"];
        match op {
            "-d" => dirs.contains(&path),
            "-f" | "-s" | "-r" => files.contains(&path),
            _ => files.contains(&path) || dirs.contains(&path),
        }
    };
    let eval = |a: &[&str]| -> Result<bool, (String, i32)> {
        Ok(match a {
            [] => false,
            [s] => !s.is_empty(),
            ["!", s] => s.is_empty(),
            ["-z", s] => s.is_empty(),
            ["-n", s] => !s.is_empty(),
            [op @ ("-e" | "-f" | "-d" | "-s" | "-r" | "-x"), p] => file(op, p),
            [a, "=" | "==", b] => a == b,
            [a, "!=", b] => a != b,
            [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
                let (x, y) = (int(a)?, int(b)?);
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
            [_, b, _] if !b.starts_with('-') || b.len() == 1 => {
                return Err(match flavor {
                    Flavor::Bash => (format!("{prefix}: {name}: {b}: binary operator expected\n"), 2),
                    Flavor::Ash => (format!("{prefix}: {b}: unknown operand\n"), 2),
                    Flavor::Dash => (format!("{prefix}: {name}: {b}: unexpected operator\n"), 2),
                })
            }
            [op, _] if op.starts_with('-') => {
                return Err(match flavor {
                    Flavor::Bash => (format!("{prefix}: {name}: {op}: unary operator expected\n"), 2),
                    _ => (format!("{prefix}: {op}: unknown operand\n"), 2),
                })
            }
            _ => {
                return Err(match flavor {
                    Flavor::Bash => (format!("{prefix}: {name}: too many arguments\n"), 2),
                    _ => (format!("{prefix}: {name}: too many arguments\n"), 2),
                })
            }
        })
    };
    let r = match args.as_slice() {
        ["!", rest @ ..] if !rest.is_empty() => eval(rest).map(|b| !b),
        a => eval(a),
    };
    match r {
        Ok(true) => (String::new(), 0),
        Ok(false) => (String::new(), 1),
        Err(e) => e,
    }
}

/// `seq [FIRST [INCR]] LAST` over integers.
fn seq(flavor: Flavor, args: &[String]) -> (String, i32) {
    let bad = |a: &str| {
        match flavor {
        Flavor::Ash => (
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n\nPrint numbers from FIRST to LAST, in steps of INC.\nFIRST, INC default to 1.\n\n\t-w\tPad to last with leading zeros\n\t-s SEP\tString separator\n".to_string(),
            1,
        ),
        _ if a.is_empty() => ("seq: missing operand\nTry 'seq --help' for more information.\n".to_string(), 1),
        _ => (
            format!("seq: invalid floating point argument: \u{2018}{a}\u{2019}\nTry 'seq --help' for more information.\n"),
            1,
        ),
    }
    };
    let mut nums = Vec::new();
    for a in args {
        match a.parse::<i64>() {
            Ok(n) if n.abs() < 1 << 52 => nums.push(n),
            _ => return bad(a),
        }
    }
    let (first, incr, last) = match nums.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, i, l] if *i != 0 => (*f, *i, *l),
        [] => return bad(""),
        _ => return bad(args.last().map(String::as_str).unwrap_or("")),
    };
    let mut out = String::new();
    let mut n = first;
    let mut count = 0;
    while (incr > 0 && n <= last) || (incr < 0 && n >= last) {
        if count == MAX_SEQ {
            out.push_str(&format!("sdplay: seq stopped after {MAX_SEQ} numbers\n"));
            return (out, 1);
        }
        out.push_str(&format!("{n}\n"));
        n += incr;
        count += 1;
    }
    (out, 0)
}

/// `$((…))`: integers, variables by name, `+ - * / %`, comparisons, parentheses, unary `-`/`!`.
mod arith {
    use std::collections::BTreeMap;

    pub enum Error {
        /// The token after the `/` or `%`.
        DivZero(String),
        /// The rest of the expression from where it went wrong.
        Syntax(String),
    }

    pub fn eval(expr: &str, vars: &BTreeMap<String, String>) -> Result<i64, Error> {
        let chars: Vec<char> = expr.chars().collect();
        let mut p = P {
            c: &chars,
            i: 0,
            vars,
            depth: 0,
        };
        let v = p.cmp()?;
        p.ws();
        if p.i < chars.len() {
            return Err(Error::Syntax(p.rest()));
        }
        Ok(v)
    }

    struct P<'a> {
        c: &'a [char],
        i: usize,
        vars: &'a BTreeMap<String, String>,
        depth: u32,
    }

    impl P<'_> {
        fn ws(&mut self) {
            while self.c.get(self.i).is_some_and(|c| c.is_whitespace()) {
                self.i += 1;
            }
        }
        fn rest(&self) -> String {
            self.c[self.i.min(self.c.len())..].iter().collect::<String>().trim().to_string()
        }
        fn eat(&mut self, s: &str) -> bool {
            self.ws();
            let n = s.chars().count();
            if self.c.len() >= self.i + n && self.c[self.i..self.i + n].iter().copied().eq(s.chars()) {
                self.i += n;
                true
            } else {
                false
            }
        }
        fn cmp(&mut self) -> Result<i64, Error> {
            let a = self.add()?;
            for (op, f) in [
                ("==", (|a, b| a == b) as fn(i64, i64) -> bool),
                ("!=", |a, b| a != b),
                ("<=", |a, b| a <= b),
                (">=", |a, b| a >= b),
                ("<", |a, b| a < b),
                (">", |a, b| a > b),
            ] {
                if self.eat(op) {
                    let b = self.add()?;
                    return Ok(i64::from(f(a, b)));
                }
            }
            Ok(a)
        }
        fn add(&mut self) -> Result<i64, Error> {
            let mut a = self.mul()?;
            loop {
                if self.eat("+") {
                    a = a.wrapping_add(self.mul()?);
                } else if self.eat("-") {
                    a = a.wrapping_sub(self.mul()?);
                } else {
                    return Ok(a);
                }
            }
        }
        fn mul(&mut self) -> Result<i64, Error> {
            let mut a = self.unary()?;
            loop {
                let op = if self.eat("*") {
                    '*'
                } else if self.eat("/") {
                    '/'
                } else if self.eat("%") {
                    '%'
                } else {
                    return Ok(a);
                };
                self.ws();
                let tok = self.rest();
                let b = self.unary()?;
                a = match op {
                    '*' => a.wrapping_mul(b),
                    _ if b == 0 => return Err(Error::DivZero(tok)),
                    '/' => a.wrapping_div(b),
                    _ => a.wrapping_rem(b),
                };
            }
        }
        fn unary(&mut self) -> Result<i64, Error> {
            self.depth += 1;
            if self.depth > 64 {
                return Err(Error::Syntax(self.rest()));
            }
            let r = if self.eat("-") {
                self.unary().map(i64::wrapping_neg)
            } else if self.eat("+") {
                self.unary()
            } else if self.eat("!") {
                self.unary().map(|v| i64::from(v == 0))
            } else {
                self.atom()
            };
            self.depth -= 1;
            r
        }
        fn atom(&mut self) -> Result<i64, Error> {
            self.ws();
            if self.eat("(") {
                let v = self.cmp()?;
                if !self.eat(")") {
                    return Err(Error::Syntax(self.rest()));
                }
                return Ok(v);
            }
            self.eat("$");
            let start = self.i;
            while self.c.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                self.i += 1;
            }
            let tok: String = self.c[start..self.i].iter().collect();
            if tok.is_empty() {
                return Err(Error::Syntax(self.rest()));
            }
            if tok.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return tok.parse().map_err(|_| Error::Syntax(tok.clone()));
            }
            let v = self.vars.get(&tok).map(|s| s.trim().to_string()).unwrap_or_default();
            Ok(if v.is_empty() { 0 } else { v.parse().unwrap_or(0) })
        }
    }
}
