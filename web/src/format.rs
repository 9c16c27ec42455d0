//! Small formatting shared by the panes: the simulated clock as the page shows it. Depends on
//! nothing else in the web crate.

/// Simulated time since the session started: `+12s`, `+3m05s`, `+1h02m03s`.
pub fn clock_label(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("+{s}s")
    } else if s < 3600 {
        format!("+{}m{:02}s", s / 60, s % 60)
    } else {
        format!("+{}h{:02}m{:02}s", s / 3600, s / 60 % 60, s % 60)
    }
}
