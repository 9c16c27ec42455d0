//! The shell's own failures as typed values (a command it cannot find, something sdplay does
//! not simulate), worded in one place as bash, busybox ash and dash print them.

use super::{Flavor, Outcome};

/// A failure of the shell itself (not of the command it ran).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ShellError {
    /// No such command on `PATH` (status 127): bash's `bash: X: command not found`
    /// (`-bash:` in a login shell; `execute_cmd.c`), busybox ash's `sh: X: not found`, dash's
    /// `sh: 1: X: not found` (the line number after the name).
    CommandNotFound(String),
    /// A command or form sdplay does not simulate (status 1), in sdplay's own words.
    NotSimulated(String),
}

impl ShellError {
    /// The message as the shell `dialect` ([`super::Shell::dialect`]: the flavour and the
    /// name its messages start with) prints it, and the status.
    pub(crate) fn render(&self, (flavor, prefix): (Flavor, &str)) -> (String, i32) {
        match self {
            ShellError::CommandNotFound(cmd) => match flavor {
                Flavor::Bash => (format!("{prefix}: {cmd}: command not found\n"), 127),
                Flavor::Ash | Flavor::Dash => (format!("{prefix}: {cmd}: not found\n"), 127),
            },
            ShellError::NotSimulated(what) => (format!("sdplay: {what}\n"), 1),
        }
    }

    pub(crate) fn outcome(&self, dialect: (Flavor, &str)) -> Outcome {
        let (output, status) = self.render(dialect);
        Outcome { output, status }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_not_found_per_shell() {
        let e = ShellError::CommandNotFound("dig".into());
        assert_eq!(e.render((Flavor::Bash, "bash")), ("bash: dig: command not found\n".into(), 127));
        assert_eq!(e.render((Flavor::Bash, "-bash")), ("-bash: dig: command not found\n".into(), 127));
        assert_eq!(e.render((Flavor::Ash, "sh")), ("sh: dig: not found\n".into(), 127));
        assert_eq!(e.render((Flavor::Dash, "sh: 1")), ("sh: 1: dig: not found\n".into(), 127));
    }
}
