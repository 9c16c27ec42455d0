//! kubectl's typed flag values: `-o` (cli-runtime's `PrintFlags`), `--dry-run`
//! (`cmdutil.GetDryRunStrategy`) and `--restart` (`kubectl run`), each parsed once with the
//! real tool's error for a value it does not know.
//!
//! Hand parsing stays (no `lexopt`/`pico-args`): kubectl's flags are pflag's, with `-n dev`,
//! `-ndev`, `--namespace=dev` and bare booleans mixed with positionals and `--`; the verbs
//! share one flag table, and the errors are kubectl's own strings, which neither crate produces.

use super::error::Error;

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
    fn dry_run_values() {
        assert_eq!(DryRun::parse(Some("server")), Ok(DryRun::Server));
        assert_eq!(DryRun::parse(Some("unchanged")), Ok(DryRun::Client));
        assert_eq!(
            DryRun::parse(Some("bogus")).unwrap_err().render(),
            "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n"
        );
    }
}
