//! The preset manifests the page offers (the editor's dropdown, `?preset=<name>` in the URL),
//! compiled in from `static/presets/`: the chapter's `sd-example.yml`, a headless Service with
//! hostname/subdomain Pods, and a multi-port Service with named targetPorts.

/// (file name, text, one-line description), the default first.
pub const PRESETS: &[(&str, &str, &str)] = &[
    (
        "sd-example.yml",
        sdplay_core::SD_EXAMPLE,
        "the chapter's example: ent in dev and prod, a jump Pod",
    ),
    (
        "headless.yml",
        include_str!("../../static/presets/headless.yml"),
        "a headless Service; Pods named by hostname and subdomain",
    ),
    (
        "named-ports.yml",
        include_str!("../../static/presets/named-ports.yml"),
        "a multi-port Service with named targetPorts",
    ),
];

/// The preset called `name` (`headless.yml`, or just `headless`): its file name and text.
pub fn find(name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.trim();
    PRESETS
        .iter()
        .find(|(file, _, _)| *file == name || file.strip_suffix(".yml") == Some(name))
        .map(|(file, text, _)| (*file, *text))
}
