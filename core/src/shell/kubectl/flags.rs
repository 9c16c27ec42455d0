//! kubectl's command lines as pflag parses them, and the typed flag values: [`parse`] reads
//! one command's argv against its flag set ([`super::flagsets`]) with pflag's rules and errors
//! (github.com/spf13/pflag flag.go `parseArgs`, `parseLongArg`, `parseSingleShortArg`, and
//! `FlagSet.set` for a value its type refuses), then `-o` (cli-runtime's `PrintFlags`),
//! `--dry-run` (`cmdutil.GetDryRunStrategy`) and `--restart` (`kubectl run`) become enums with
//! the real tool's error for a value it does not know.
//!
//! The parser is hand-written, measured against the crates (the page's `.wasm` after `trunk
//! build --release`, raw / gzip -9 bytes; the same flag tables and errors in each):
//! hand-written 1,752,741 / 680,566; `lexopt` 0.3.2 in its place 1,760,010 / 683,773 (+7,269
//! / +3,207); `clap` 4.6 without default features 1,837,979 / 717,531 (+85,238 / +36,965).
//! Neither fits pflag either: `lexopt` hides where `--` fell (kubectl's `ArgsLenAtDash`) and
//! the shorthands left in a cluster (`unknown shorthand flag: 'x' in -xt`), and reads `-it`'s
//! `t` as `-i`'s value unless told which shorthands are bools; `clap` words its own errors
//! (and costs the most). The table of flags is data either way. The native CLI's own
//! flags (`src/bin/sdplay.rs`, never in the page) do use `lexopt`.

use super::error::{Error, FlagError};
use crate::api::validation::quote;

/// A flag's value type, as pflag parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FlagKind {
    /// `--rm`, `--rm=false` (`strconv.ParseBool`); its `NoOptDefVal` is `true`.
    Bool,
    /// A string.
    Str,
    /// A string array or slice: repeatable (a slice's commas are split by the command).
    List,
    /// `int` / `int64` (`strconv.ParseInt(s, 0, 64)`).
    Int,
    /// `int32` (`strconv.ParseInt(s, 0, 32)`).
    Int32,
    /// `time.Duration` (`time.ParseDuration`).
    Duration,
}

/// One flag of a command: `--name`, `-s`, its type, and the value it takes when given alone
/// (pflag's `NoOptDefVal`; `true` for bools).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Flag {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    pub no_opt: Option<&'static str>,
}

impl Flag {
    pub(crate) const fn new(name: &'static str, short: Option<char>, kind: FlagKind) -> Flag {
        Flag {
            name,
            short,
            kind,
            no_opt: match kind {
                FlagKind::Bool => Some("true"),
                _ => None,
            },
        }
    }

    pub(crate) const fn no_opt(self, value: &'static str) -> Flag {
        Flag {
            no_opt: Some(value),
            ..self
        }
    }

    /// How `FlagSet.set` names the flag in its error: `-r, --replicas` or `--port`.
    fn display(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.name),
            None => format!("--{}", self.name),
        }
    }

    /// `Value.Set`: the type's parse error, if the value does not parse.
    fn check(&self, v: &str) -> Result<(), String> {
        match self.kind {
            FlagKind::Bool => parse_bool(v).map(|_| ()),
            FlagKind::Int => parse_int(v, 64).map(|_| ()),
            FlagKind::Int32 => parse_int(v, 32).map(|_| ()),
            FlagKind::Duration => parse_duration(v).map(|_| ()),
            FlagKind::Str | FlagKind::List => Ok(()),
        }
    }
}

/// A command line as pflag left it: the flags set (in order, each value checked against its
/// type), the positional arguments, and what came after `--`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed {
    values: Vec<(&'static str, String)>,
    pub pos: Vec<String>,
    /// The arguments after `--` (kubectl's `ArgsLenAtDash`), if there was one.
    pub dash: Option<Vec<String>>,
}

impl Parsed {
    /// A string flag's value: the last one given.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.values.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable flag, in order.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.values.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.clone()).collect()
    }

    /// A bool flag (false when not given).
    pub(crate) fn bool(&self, name: &str) -> bool {
        self.str(name).and_then(|v| parse_bool(v).ok()).unwrap_or(false)
    }

    /// A bool flag with its default when not given.
    pub(crate) fn bool_or(&self, name: &str, default: bool) -> bool {
        self.str(name).and_then(|v| parse_bool(v).ok()).unwrap_or(default)
    }

    /// An int flag (checked when parsed).
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|v| parse_int(v, 64).ok())
    }
}

/// pflag's `parseArgs` over `argv` (the arguments after the command path's words, flags
/// anywhere) with the flags in `sets`; `cmd` is the command path for the error.
pub(crate) fn parse(cmd: &str, sets: &[&'static [Flag]], argv: &[String]) -> Result<Parsed, Error> {
    let err = |e: FlagError| Error::flag(cmd, e);
    let long = |name: &str| sets.iter().flat_map(|s| s.iter()).find(|f| f.name == name);
    let short = |c: char| sets.iter().flat_map(|s| s.iter()).find(|f| f.short == Some(c));
    let mut p = Parsed::default();
    let mut i = 0;
    while i < argv.len() {
        let s = argv[i].as_str();
        i += 1;
        if !s.starts_with('-') || s.len() == 1 {
            p.pos.push(s.to_string());
            continue;
        }
        if let Some(name) = s.strip_prefix("--") {
            if name.is_empty() {
                p.dash = Some(argv[i..].to_vec());
                break;
            }
            if name.starts_with(['-', '=']) {
                return Err(err(FlagError::BadSyntax(s.to_string())));
            }
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (name, None),
            };
            if name == "help" {
                return Err(Error::NotSimulated(format!("`kubectl {cmd} --help` is not simulated")));
            }
            let Some(f) = long(name) else {
                return Err(err(FlagError::Unknown(name.to_string())));
            };
            let value = match (inline, f.no_opt) {
                (Some(v), _) => v.to_string(),
                (None, Some(d)) => d.to_string(),
                (None, None) => match argv.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(err(FlagError::NeedsArgument(s.to_string()))),
                },
            };
            set(&mut p, f, value).map_err(err)?;
            continue;
        }
        // `parseShortArg`: each shorthand in turn; one that takes a value takes the rest.
        let mut shorts: &str = &s[1..];
        while let Some(c) = shorts.chars().next() {
            let rest = &shorts[c.len_utf8()..];
            let Some(f) = short(c) else {
                if c == 'h' {
                    return Err(Error::NotSimulated(format!("`kubectl {cmd} -h` is not simulated")));
                }
                return Err(err(FlagError::UnknownShorthand {
                    c,
                    arg: format!("-{shorts}"),
                }));
            };
            let value = if let Some(v) = rest.strip_prefix('=').filter(|_| rest.len() > 1) {
                shorts = "";
                v.to_string()
            } else if let Some(d) = f.no_opt {
                shorts = rest;
                d.to_string()
            } else if !rest.is_empty() {
                shorts = "";
                rest.to_string()
            } else if let Some(v) = argv.get(i) {
                i += 1;
                shorts = "";
                v.clone()
            } else {
                return Err(err(FlagError::NeedsArgumentShorthand {
                    c,
                    arg: format!("-{shorts}"),
                }));
            };
            set(&mut p, f, value).map_err(err)?;
        }
    }
    Ok(p)
}

fn set(p: &mut Parsed, f: &Flag, value: String) -> Result<(), FlagError> {
    if let Err(cause) = f.check(&value) {
        return Err(FlagError::Invalid {
            value,
            flag: f.display(),
            cause,
        });
    }
    p.values.push((f.name, value));
    Ok(())
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {}: invalid syntax", quote(s))),
    }
}

/// Go's `strconv.ParseInt(s, 0, bits)`: a sign, then decimal, `0x`, `0o`, `0b` or a leading
/// `0` for octal, with `_` between digits.
pub(crate) fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", quote(s));
    let range = || format!("strconv.ParseInt: parsing {}: value out of range", quote(s));
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    // Underscores only between digits, and only in the base-prefixed or base-0 forms.
    let ok_underscores = {
        let d = if prefixed { format!("_{digits}") } else { digits.clone() };
        !d.ends_with('_') && !d.contains("__") && (prefixed || !d.starts_with('_'))
    };
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || !ok_underscores {
        return Err(syntax());
    }
    let mut v: i128 = 0;
    for ch in clean.chars() {
        let d = ch.to_digit(radix).ok_or_else(syntax)?;
        v = v * i128::from(radix) + i128::from(d);
        if v > 1i128 << 64 {
            v = 1i128 << 64;
        }
    }
    let v = if neg { -v } else { v };
    let (min, max) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
    if v < min || v > max {
        return Err(range());
    }
    i64::try_from(v).map_err(|_| range())
}

/// Go's `time.ParseDuration`, in milliseconds (`300ms`, `1m30s`, `1.5h`; `0` alone).
pub(crate) fn parse_duration(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(s));
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body == "0" {
        return Ok(0);
    }
    if body.is_empty() {
        return Err(invalid());
    }
    let mut total = 0f64;
    let mut rest = body;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let ms = match unit {
            "" => return Err(format!("time: missing unit in duration {}", quote(s))),
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            "m" => 6e4,
            "h" => 3.6e6,
            other => return Err(format!("time: unknown unit {} in duration {}", quote(other), quote(s))),
        };
        total += num.parse::<f64>().map_err(|_| invalid())? * ms;
    }
    let v = if s.starts_with('-') { -total } else { total };
    Ok(v as i64)
}

/// What `-o` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Output {
    /// No `-o`: the verb's table or message.
    #[default]
    Default,
    Wide,
    Yaml,
    Json,
    Name,
    /// `-o jsonpath=TEMPLATE` (or `jsonpath='{…}'`).
    JsonPath(String),
}

/// Which printers a command has: `get` has the table printers too (`wide`, `custom-columns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Printers {
    /// `kubectl get`.
    Table,
    /// `create`, `run`, `expose`, `apply`, `label`, `scale`: `PrintFlags` without a table.
    Object,
}

impl Output {
    /// `-o VALUE` as cli-runtime's `PrintFlags.ToPrinter` takes it.
    pub(crate) fn parse(value: Option<&str>, printers: Printers) -> Result<Output, Error> {
        let Some(v) = value else {
            return Ok(Output::Default);
        };
        Ok(match v {
            "" => Output::Default,
            "yaml" => Output::Yaml,
            "json" => Output::Json,
            "name" => Output::Name,
            "wide" if printers == Printers::Table => Output::Wide,
            "jsonpath" => return Err(Error::other("template format specified but no template given")),
            _ => {
                if let Some(t) = v.strip_prefix("jsonpath=") {
                    return Ok(Output::JsonPath(t.to_string()));
                }
                let format = v.split('=').next().unwrap_or(v);
                let templates = [
                    "go-template",
                    "go-template-file",
                    "jsonpath-as-json",
                    "jsonpath-file",
                    "template",
                    "templatefile",
                ];
                let tables = ["custom-columns", "custom-columns-file"];
                if templates.contains(&format) || (printers == Printers::Table && tables.contains(&format)) {
                    return Err(Error::NotSimulated(format!("-o {format} is not simulated yet")));
                }
                let allowed = match printers {
                    Printers::Table => "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml",
                    Printers::Object => "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml",
                };
                return Err(Error::other(format!(
                    "unable to match a printer suitable for the output format \"{v}\", allowed formats are: {allowed}"
                )));
            }
        })
    }
}

/// `--dry-run`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum DryRun {
    #[default]
    None,
    Client,
    Server,
}

impl DryRun {
    /// `GetDryRunStrategy`: a bare `--dry-run` (pflag's `unchanged`) is the deprecated
    /// spelling of `client`.
    pub(crate) fn parse(value: Option<&str>) -> Result<DryRun, Error> {
        match value {
            None | Some("none") => Ok(DryRun::None),
            Some("client" | "unchanged" | "true") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some("false") => Ok(DryRun::None),
            Some(other) => Err(Error::other(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }

    /// The suffix of the verb's message: `namespace/dev created (dry run)`.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `kubectl run --restart`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RestartPolicy {
    #[default]
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    pub(crate) fn parse(value: Option<&str>) -> Result<RestartPolicy, Error> {
        match value {
            None | Some("Always") => Ok(RestartPolicy::Always),
            Some("OnFailure") => Ok(RestartPolicy::OnFailure),
            Some("Never") => Ok(RestartPolicy::Never),
            Some(other) => Err(Error::usage("run", format!("invalid restart policy: {other}"))),
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs() {
        assert_eq!(Output::parse(Some("yaml"), Printers::Object), Ok(Output::Yaml));
        assert_eq!(Output::parse(Some("wide"), Printers::Table), Ok(Output::Wide));
        assert!(Output::parse(Some("wide"), Printers::Object)
            .unwrap_err()
            .render()
            .contains("\"wide\", allowed formats are: go-template,"));
        assert_eq!(
            Output::parse(Some("jsonpath={.spec}"), Printers::Table),
            Ok(Output::JsonPath("{.spec}".into()))
        );
        assert!(Output::parse(Some("bogus"), Printers::Table)
            .unwrap_err()
            .render()
            .ends_with("templatefile,wide,yaml\n"));
    }

    #[test]
    fn go_numbers_and_durations() {
        assert_eq!(parse_int("0x10", 64), Ok(16));
        assert_eq!(parse_int("010", 64), Ok(8));
        assert_eq!(parse_int("-1_000", 64), Ok(-1000));
        assert_eq!(
            parse_int("2147483648", 32).unwrap_err(),
            "strconv.ParseInt: parsing \"2147483648\": value out of range"
        );
        assert_eq!(
            parse_int("1.5", 64).unwrap_err(),
            "strconv.ParseInt: parsing \"1.5\": invalid syntax"
        );
        assert_eq!(parse_int("", 64).unwrap_err(), "strconv.ParseInt: parsing \"\": invalid syntax");
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("3").unwrap_err(), "time: missing unit in duration \"3\"");
        assert_eq!(parse_duration("x").unwrap_err(), "time: invalid duration \"x\"");
        assert_eq!(parse_bool("True"), Ok(true));
    }

    #[test]
    fn pflag_forms() {
        const SET: &[Flag] = &[
            Flag::new("namespace", Some('n'), FlagKind::Str),
            Flag::new("stdin", Some('i'), FlagKind::Bool),
            Flag::new("tty", Some('t'), FlagKind::Bool),
            Flag::new("dry-run", None, FlagKind::Str).no_opt("unchanged"),
            Flag::new("filename", Some('f'), FlagKind::List),
        ];
        let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let p = parse("x", &[SET], &argv("a -ndev -it --dry-run -f=one -f two b -- c -n")).unwrap();
        assert_eq!(p.pos, ["a", "b"]);
        assert_eq!(p.str("namespace"), Some("dev"));
        assert!(p.bool("stdin") && p.bool("tty"));
        assert_eq!(p.str("dry-run"), Some("unchanged"));
        assert_eq!(p.list("filename"), ["one", "two"]);
        assert_eq!(p.dash, Some(vec!["c".to_string(), "-n".to_string()]));
        let p = parse("x", &[SET], &argv("-n --stdin=false")).unwrap();
        assert_eq!(p.str("namespace"), Some("--stdin=false"));
        assert_eq!(
            parse("x", &[SET], &argv("-itx")).unwrap_err().render(),
            "Error: unknown shorthand flag: 'x' in -x\nSee 'kubectl x --help' for usage.\n"
        );
    }

    #[test]
    fn dry_run_values() {
        assert_eq!(DryRun::parse(Some("server")), Ok(DryRun::Server));
        assert_eq!(DryRun::parse(Some("unchanged")), Ok(DryRun::Client));
        assert_eq!(
            DryRun::parse(Some("bogus")).unwrap_err().render(),
            "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n"
        );
    }
}
