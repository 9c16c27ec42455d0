//! Nothing reachable from user input may panic: property tests that throw arbitrary and
//! mutated manifests at the parser and the API, and arbitrary command lines at the terminal.
//! (A panic in wasm freezes the page, so these stand in for fuzz targets on stable Rust.)

use std::collections::BTreeMap;

use proptest::prelude::*;
use sdplay_core::{manifest, Config, Playground, SD_EXAMPLE};

/// sd-example.yml with one line deleted, duplicated or altered.
fn mutated_example() -> impl Strategy<Value = String> {
    let lines: Vec<String> = SD_EXAMPLE.lines().map(String::from).collect();
    let n = lines.len();
    (0..n, 0..4u8, "[ -~]{0,12}").prop_map(move |(i, op, junk)| {
        let mut l = lines.clone();
        match op {
            0 => {
                l.remove(i);
            }
            1 => l.insert(i, l[i].clone()),
            2 => l[i] = format!("{}{junk}", l[i]),
            _ => l[i] = junk,
        }
        l.join("\n")
    })
}

const COMMANDS: &[&str] = &[
    "kubectl get all -A",
    "kubectl get pods -n dev -o wide",
    "kubectl get ep -A",
    "kubectl get endpointslices -A",
    "kubectl delete pod jump -n dev",
    "kubectl scale deploy enterprise -n dev --replicas=0",
    "kubectl scale deploy enterprise -n dev --replicas=5",
    "kubectl delete ns prod",
    "kubectl exec -it jump -n dev -- bash",
    "curl ent:8080",
    "curl ent.prod.svc.cluster.local:8080",
    "nslookup ent",
    "apt-get update && apt-get install -y curl dnsutils",
    "exit",
    "minikube ssh",
    "ipvsadm -Ln",
    "ipvsadm -A -t 10.0.0.100:80 -s wrr",
    "ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.3:8080 -m -w 3",
    "ipvsadm -e -t 10.96.0.10:53 -r 10.244.0.2:53 -m -w 0",
    "ipvsadm -D -t 10.96.0.1:443",
    "ipvsadm -C",
    "ipvsadm -E -t 10.0.0.100:80 -s sh",
    "ip addr add 10.0.0.100/32 dev kube-ipvs0",
    "ip addr del 10.96.0.10/32 dev kube-ipvs0",
    "curl -s --max-time 1 10.0.0.100",
    "curl -s --max-time 1 10.96.0.1:443",
    "sdplay-proxy-mode iptables",
    "sdplay-proxy-mode ipvs --ipvs-scheduler lc",
    "sleep 31",
    "sleep 3",
    "kubectl apply -f sd-example.yml",
];

/// Pieces of the shell language, glued into random lines (loops, conditionals, expansions,
/// quotes and operators, well-formed or not).
const SHELL_TOKENS: &[&str] = &[
    "for",
    "i",
    "in",
    "1",
    "2",
    "$(seq 3)",
    ";",
    "do",
    "done",
    "while",
    "until",
    "true",
    "false",
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "&&",
    "||",
    "|",
    "(",
    ")",
    "{",
    "}",
    "$(",
    "`",
    "'",
    "\"",
    "echo",
    "$i",
    "${i}",
    "$?",
    "$((i+1))",
    "$((1/0))",
    "i=1",
    "seq",
    "100000",
    "[",
    "]",
    "-lt",
    "=",
    "test",
    "grep -c 1",
    "!",
    "\n",
    ";;",
    "\\",
    "#",
    "exit",
    "curl -s ent:8080",
    "getent ahosts ent",
    "sleep 1",
    ":",
    "x=$(echo a)",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random short sequences of shell tokens never panic and always end, on the workstation
    /// and in the jump Pod (bash), whether they parse or not, and whatever is left open.
    #[test]
    fn shell_token_soup_terminates(lines in proptest::collection::vec(proptest::collection::vec(0..SHELL_TOKENS.len(), 0..14), 1..6)) {
        let mut pg = Playground::new(Config::default());
        let mut files = BTreeMap::new();
        files.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
        pg.run("kubectl apply -f sd-example.yml", &files);
        pg.advance_ms(10_000);
        for place in ["", "kubectl exec -it jump -n dev -- bash"] {
            if !place.is_empty() {
                pg.eof(&files);
                pg.run(place, &files);
            }
            for picks in &lines {
                let line: Vec<&str> = picks.iter().map(|&i| SHELL_TOKENS[i]).collect();
                let started = std::time::Instant::now();
                let r = pg.run(&line.join(" "), &files);
                prop_assert!(started.elapsed().as_secs() < 20, "{:?} took too long", line);
                prop_assert!(r.output.len() < 8 << 20);
            }
            let _ = pg.eof(&files);
        }
    }

    #[test]
    fn parser_never_panics_on_any_text(text in "\\PC{0,400}") {
        let _ = manifest::diagnostics("x.yml", &text);
    }

    #[test]
    fn mutated_manifests_apply_without_panicking(text in mutated_example()) {
        let _ = manifest::diagnostics("sd-example.yml", &text);
        let mut pg = Playground::new(Config::default());
        let mut files = BTreeMap::new();
        files.insert("sd-example.yml".to_string(), text);
        let r = pg.run("kubectl apply -f sd-example.yml", &files);
        prop_assert!(!r.output.is_empty());
        pg.advance_ms(10_000);
        let _ = pg.run("kubectl get all -A", &files);
    }

    #[test]
    fn any_command_line_is_safe(line in "[ -~]{0,60}") {
        let mut pg = Playground::new(Config::default());
        let files = BTreeMap::new();
        let _ = pg.run(&line, &files);
        let _ = pg.run(&format!("kubectl {line}"), &files);
    }

    /// Arbitrary ipvsadm and ip command lines on a node, around a kube-proxy sync.
    #[test]
    fn node_commands_are_safe(lines in proptest::collection::vec(("(ipvsadm|ip addr|ip a|curl -s --max-time 1)", "[ -~]{0,40}"), 1..12)) {
        let mut pg = Playground::new(Config::default());
        let mut files = BTreeMap::new();
        files.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
        pg.run("kubectl apply -f sd-example.yml", &files);
        pg.run("minikube ssh", &files);
        for (cmd, args) in &lines {
            let _ = pg.run(&format!("{cmd} {args}"), &files);
        }
        pg.advance_ms(61_000);
        let _ = pg.run("ipvsadm -Ln", &files);
    }

    #[test]
    fn random_sessions_are_safe(seed in 0u64..1000, picks in proptest::collection::vec(0..COMMANDS.len(), 1..25)) {
        let mut pg = Playground::new(Config { seed, ..Config::default() });
        let mut files = BTreeMap::new();
        files.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
        pg.run("kubectl apply -f sd-example.yml", &files);
        for i in picks {
            let _ = pg.run(COMMANDS[i], &files);
        }
    }
}
