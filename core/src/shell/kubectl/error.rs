//! kubectl's failures as typed values, and the one place that words them as kubectl prints
//! them: `cmdutil.CheckErr` (k8s.io/kubectl/pkg/cmd/util/helpers.go) for what a command's
//! `Run` returns, cobra's `FlagErrorFunc` (k8s.io/kubectl/pkg/cmd/cmd.go) for flags that do not
//! parse. Every kubectl failure exits with status 1.

use crate::api::{plural, ApiError};
use crate::model::Kind;
use crate::shell::Outcome;

/// A flag that does not parse, in pflag's words (github.com/spf13/pflag flag.go).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FlagError {
    /// `unknown flag: --bogus` (`parseLongArg`).
    Unknown(String),
    /// `unknown shorthand flag: 'x' in -xt` (`parseSingleShortArg`: the shorthands left).
    UnknownShorthand { c: char, arg: String },
    /// `flag needs an argument: --image` (`parseLongArg`: the argument as given).
    NeedsArgument(String),
    /// `flag needs an argument: 'n' in -n` (`parseSingleShortArg`).
    NeedsArgumentShorthand { c: char, arg: String },
    /// `bad flag syntax: ---x` (`parseLongArg`).
    BadSyntax(String),
    /// `invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing "x": invalid
    /// syntax` (`FlagSet.set`: the flag as `-s, --name` when it has a shorthand, and the value
    /// type's parse error).
    Invalid { value: String, flag: String, cause: String },
}

impl FlagError {
    fn message(&self) -> String {
        match self {
            FlagError::Unknown(name) => format!("unknown flag: --{name}"),
            FlagError::UnknownShorthand { c, arg } => format!("unknown shorthand flag: '{c}' in {arg}"),
            FlagError::NeedsArgument(arg) => format!("flag needs an argument: {arg}"),
            FlagError::NeedsArgumentShorthand { c, arg } => format!("flag needs an argument: '{c}' in {arg}"),
            FlagError::BadSyntax(arg) => format!("bad flag syntax: {arg}"),
            FlagError::Invalid { value, flag, cause } => {
                format!(
                    "invalid argument {} for \"{flag}\" flag: {cause}",
                    crate::api::validation::quote(value)
                )
            }
        }
    }
}

/// Why a kubectl command failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Error {
    /// What the API server answered (`Error from server (NotFound): pods "x" not found`,
    /// `The Service "x" is invalid: …`), or the resource builder's own errors, as
    /// [`ApiError::kubectl_message`] words them.
    Api(ApiError),
    /// A flag that does not parse: `Error: MSG` and `See 'kubectl VERB --help' for usage.`;
    /// `cmd` is the command path after `kubectl` (`create deployment`).
    Flag { cmd: String, error: FlagError },
    /// `cmdutil.UsageErrorf`: `error: MSG` and `See 'kubectl VERB -h' for help and examples`.
    Usage { cmd: String, msg: String },
    /// The resource mapper knows no such type: `error: the server doesn't have a resource type "x"`.
    NoResourceType(String),
    /// Any other Go error through `CheckErr`: `error: MSG` (the prefix added unless there).
    Other(String),
    /// A message kubectl prints without a prefix (`fmt.Fprint(errOut, …)` before it exits);
    /// kept as it is, newlines included.
    Plain(String),
    /// Something sdplay does not simulate yet: `sdplay: MSG`.
    NotSimulated(String),
}

impl Error {
    pub(crate) fn not_found(kind: Kind, name: &str) -> Error {
        Error::Api(ApiError::NotFound {
            resource: plural(kind).into(),
            name: name.into(),
        })
    }

    pub(crate) fn already_exists(kind: Kind, name: &str) -> Error {
        Error::Api(ApiError::AlreadyExists {
            resource: plural(kind).into(),
            name: name.into(),
        })
    }

    pub(crate) fn usage(cmd: &str, msg: impl Into<String>) -> Error {
        Error::Usage {
            cmd: cmd.into(),
            msg: msg.into(),
        }
    }

    pub(crate) fn flag(cmd: &str, error: FlagError) -> Error {
        Error::Flag { cmd: cmd.into(), error }
    }

    pub(crate) fn other(msg: impl Into<String>) -> Error {
        Error::Other(msg.into())
    }

    /// The text kubectl prints, ending in a newline.
    pub(crate) fn render(&self) -> String {
        match self {
            Error::Api(e) => format!("{}\n", e.kubectl_message(None)),
            Error::Flag { cmd, error } => format!("Error: {}\nSee 'kubectl {cmd} --help' for usage.\n", error.message()),
            Error::Usage { cmd, msg } => format!("error: {msg}\nSee 'kubectl {cmd} -h' for help and examples\n"),
            Error::NoResourceType(r) => format!("error: the server doesn't have a resource type \"{r}\"\n"),
            Error::Other(m) if m.starts_with("error: ") => format!("{m}\n"),
            Error::Other(m) => format!("error: {m}\n"),
            Error::Plain(m) => m.clone(),
            Error::NotSimulated(m) => format!("sdplay: {m}\n"),
        }
    }

    /// This error as one line among several that a command collected (get's names not
    /// found: `MultipleErrors` prints each through `StandardErrorMessage`).
    pub(crate) fn line(&self) -> String {
        match self {
            Error::Api(e) => format!("{}\n", e.aggregate_line(None)),
            other => other.render(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Api(e)
    }
}

impl From<Error> for Outcome {
    fn from(e: Error) -> Outcome {
        Outcome::err(e.render(), 1)
    }
}

/// What a verb returns: its output, or the error kubectl would exit with.
pub(crate) type Res<T = Outcome> = Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(
            Error::not_found(Kind::Deployment, "web").render(),
            "Error from server (NotFound): deployments.apps \"web\" not found\n"
        );
        assert_eq!(
            Error::already_exists(Kind::Namespace, "dev").render(),
            "Error from server (AlreadyExists): namespaces \"dev\" already exists\n"
        );
        assert_eq!(
            Error::flag("get", FlagError::Unknown("bogus".into())).render(),
            "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
        );
        assert_eq!(
            Error::usage("run", "NAME is required for run").render(),
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n"
        );
        assert_eq!(Error::other("error: x").render(), Error::other("x").render());
    }
}
