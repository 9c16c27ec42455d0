//! The terminal as a terminal: a pasted block runs line by line with a prompt per line, an open
//! construct continues at `> `, and Ctrl-D (`Playground::eof`) leaves a Pod's shell as bash and
//! busybox ash do.

use std::collections::BTreeMap;

use sdplay_core::{Config, Playground, SD_EXAMPLE};

fn files() -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
    f
}

fn in_cluster() -> Playground {
    let mut pg = Playground::new(Config::default());
    pg.run("kubectl apply -f sd-example.yml", &files());
    pg.advance_ms(10_000);
    pg
}

#[test]
fn a_pasted_block_runs_line_by_line() {
    let mut pg = Playground::new(Config::default());
    let rs = pg.run_lines("for i in 1 2\ndo echo $i\ndone\necho end\n", &files());
    let shown: Vec<(&str, &str, &str)> = rs.iter().map(|r| (r.prompt.as_str(), r.line.as_str(), r.output.as_str())).collect();
    assert_eq!(
        shown,
        vec![
            ("$ ", "for i in 1 2", ""),
            ("> ", "do echo $i", ""),
            ("> ", "done", "1\n2\n"),
            ("$ ", "echo end", "end\n")
        ]
    );
    // One result for the whole paste: later lines follow their prompts in the output.
    let r = pg.run("echo a\necho b", &files());
    assert_eq!(
        (r.prompt.as_str(), r.line.as_str(), r.output.as_str()),
        ("$ ", "echo a", "a\n$ echo b\nb\n")
    );
    // Two commands on two lines are two commands, not one with the second's words as arguments.
    let r = pg.run("echo one\nfalse", &files());
    assert_eq!((r.output.as_str(), r.status), ("one\n$ false\n", 1));
}

#[test]
fn ctrl_d_leaves_the_pod_shell() {
    let f = files();
    let mut pg = in_cluster();
    // On the workstation there is nothing to leave.
    assert_eq!(pg.eof(&f).output, "");
    assert_eq!(pg.prompt(), "$ ");
    pg.run("kubectl exec -it jump -n dev -- bash", &f);
    assert_eq!(pg.prompt(), "root@jump:/# ");
    let r = pg.eof(&f);
    assert_eq!((r.prompt.as_str(), r.output.as_str(), r.status), ("root@jump:/# ", "exit\n", 0));
    assert_eq!(pg.prompt(), "$ ");
    // In an open construct, bash reports the end of file and exits.
    pg.run("kubectl exec -it jump -n dev -- bash", &f);
    pg.run("for i in 1 2 3", &f);
    assert_eq!(pg.prompt(), "> ");
    let r = pg.eof(&f);
    assert_eq!(
        r.output,
        "bash: syntax error: unexpected end of file\nexit\ncommand terminated with exit code 2\n"
    );
    assert_eq!(pg.prompt(), "$ ");
}

#[test]
fn ctrl_d_in_busybox_ash() {
    let f = files();
    let mut pg = in_cluster();
    pg.run("kubectl run c -it --rm --image=curlimages/curl -n dev -- sh", &f);
    assert_eq!(pg.prompt(), "/ # ");
    // ash reports the open construct at end of file and stays.
    pg.run("for i in 1", &f);
    let r = pg.eof(&f);
    assert_eq!(r.output, "sh: syntax error: unexpected end of file (expecting \"do\")\n");
    assert_eq!(pg.prompt(), "/ # ");
    // On an empty line it leaves, as `exit` does (the attach session ends, --rm deletes the Pod).
    let r = pg.eof(&f);
    assert!(r.output.contains("Session ended"), "{}", r.output);
    assert_eq!(pg.prompt(), "$ ");
}

#[test]
fn a_watch_streams_as_time_passes_until_ctrl_c() {
    let mut pg = in_cluster();
    let r = pg.run("kubectl get pods -n dev -w", &files());
    assert!(r.output.starts_with("NAME "), "{}", r.output);
    assert!(pg.busy());
    assert_eq!(pg.prompt(), "", "no prompt while the watch runs");
    // Ctrl-D is input to the running command: nothing happens.
    assert_eq!(pg.eof(&files()).output, "");
    assert!(pg.busy());
    // A Pod deleted behind the watch's back (as another terminal would): its lines stream
    // as simulated time passes, with no header again.
    let victim = pg
        .cluster
        .api()
        .store()
        .pods(Some("dev"))
        .next()
        .map(|p| p.meta.name.clone())
        .expect("a Pod");
    pg.cluster
        .delete(&sdplay_core::model::ObjKey::new(sdplay_core::model::Kind::Pod, "dev", &victim))
        .expect("deleted");
    pg.advance_ms(40_000);
    let streamed = pg.take_streamed();
    assert!(streamed.contains(victim.as_str()) && streamed.contains("Terminating"), "{streamed}");
    assert!(!streamed.contains("NAME "), "{streamed}");
    assert_eq!(pg.take_streamed(), "");
    // Ctrl-C ends it; the prompt is back and time passing prints nothing.
    assert!(pg.interrupt());
    assert!(!pg.busy() && !pg.interrupt());
    assert_eq!(pg.prompt(), "$ ");
    pg.advance_ms(10_000);
    assert_eq!(pg.take_streamed(), "");
}
