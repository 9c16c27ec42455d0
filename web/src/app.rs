//! The page: header, toolbar and the four panes (manifests, terminal, timeline, and the
//! cluster pane with its Cluster | DNS toggle), wired to one [`Session`]. Owns the wall-clock tick that feeds simulated time to the core,
//! the task that runs the terminal's waiting input (a pasted block) in slices of `PASTE_SLICE_MS`,
//! the share link, embed mode (compact chrome, height posted to the parent frame), the notices
//! (what in the URL or the saved files did not decode, a save the browser refused), and the
//! view state shared between panes (the timeline cursor, the selected element's id).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use gloo::timers::callback::Interval;
use sdplay_core::view;
use sdplay_core::ProxyMode;
use yew::prelude::*;

use crate::browser;
use crate::diagram::Diagram;
use crate::dns::DnsView;
use crate::editor::Editor;
use crate::format::clock_label;
use crate::presets;
use crate::session::{Input, Session, SessionRef};
use crate::terminal::Terminal;
use crate::timeline::Timeline;
use crate::url_state::{self, Settings, ShareState};

/// How often wall time is fed to the simulated clock.
const TICK_MS: u32 = 500;
/// Longest wall-clock gap fed at once (a tab asleep for hours should not age the cluster by
/// hours in one step).
const MAX_TICK_GAP_MS: f64 = 60_000.0;

/// How the page starts: from the URL and localStorage in the browser, or given by a test.
#[derive(Clone, Debug, PartialEq)]
pub struct Boot {
    pub settings: Settings,
    /// The editor's files (empty: the default preset).
    pub files: BTreeMap<String, String>,
    /// A shared session to rebuild (`#s=` in the URL); wins over `settings` and `files`.
    pub share: Option<ShareState>,
    pub embed: bool,
    /// Feed wall time to the simulated clock (tests turn it off for determinism).
    pub tick: bool,
    /// Save the editor's files to localStorage when they change.
    pub persist: bool,
    /// Command lines to run once the page is up (`?run=`), after a shared session's replay.
    pub run: Vec<String>,
    /// The learner's saved files (opened beside a share link's).
    pub saved: BTreeMap<String, String>,
    /// What the learner should know before starting: URL parameters, a share link or saved files
    /// that did not decode, and what is shown instead.
    pub notices: Vec<String>,
    /// The snapshot a share link's session ran on, found in this browser: imported before the
    /// link's commands replay (`url_state::plan_snapshot`).
    pub share_snapshot: Option<(String, String)>,
    /// How long one browser task may run waiting lines (the rest of a paste) before the page
    /// repaints and takes input again: [`PASTE_SLICE_MS`]; 0 runs one line per task (tests).
    pub paste_slice_ms: f64,
}

/// A pasted block runs for at most this long per browser task (a frame at 60 Hz, less the
/// page's own rendering), then the page repaints and takes keys: cheap lines run by the
/// hundred per task (a manifest pasted at the prompt by mistake ends in seconds), a slow line
/// runs alone.
pub const PASTE_SLICE_MS: f64 = 12.0;

impl Boot {
    /// Defaults for a given seed: one node, IPVS, the chapter's example, nothing persisted.
    pub fn with_seed(seed: u64) -> Boot {
        Boot {
            settings: Settings {
                seed,
                nodes: 1,
                proxy_mode: ProxyMode::Ipvs,
            },
            files: BTreeMap::new(),
            share: None,
            embed: false,
            tick: false,
            persist: false,
            run: Vec::new(),
            saved: BTreeMap::new(),
            notices: Vec::new(),
            share_snapshot: None,
            paste_slice_ms: PASTE_SLICE_MS,
        }
    }

    /// Read the page's URL (`?seed=&nodes=&proxy=&embed&preset=&run=`, `#s=`) and localStorage.
    pub fn from_browser() -> Boot {
        let (search, hash) = browser::location_parts();
        let embed = url_state::parse_query(&search).embed;
        // An embedded page (in someone's docs) shows what its URL says and leaves the learner's
        // saved manifest alone: it neither reads nor writes it.
        let saved = if embed {
            browser::AtBoot::default()
        } else {
            browser::load_files_at_boot()
        };
        Boot::from_location(&search, &hash, saved, browser::random_seed())
    }

    /// How the page starts for this URL and these saved files (`random_seed` unless `?seed=`).
    /// Whatever does not decode becomes a notice, and the page starts with the learner's saved
    /// files (or the default workspace), never without them.
    pub fn from_location(search: &str, hash: &str, saved: browser::AtBoot, random_seed: u64) -> Boot {
        let q = url_state::parse_query(search);
        let mut notices = q.problems.clone();
        notices.extend(saved.notice.clone());
        let share = match url_state::from_fragment_checked(hash) {
            None => None,
            Some(Ok(decoded)) => {
                notices.extend(decoded.notes);
                Some(decoded.state)
            }
            Some(Err(e)) => {
                notices.push(format!(
                    "The share link in the address could not be opened: {e}. {}",
                    if q.embed {
                        "The page starts as its other parameters say."
                    } else {
                        "Your own saved manifests are shown, unchanged."
                    }
                ));
                None
            }
        };
        // A link made on an imported snapshot: this browser's copy, or the default cluster and
        // a notice.
        let mut share_snapshot = None;
        if let Some(state) = &share {
            let stored = saved.snapshot.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
            match url_state::plan_snapshot(state.snapshot.as_ref(), stored, state.commands.len()) {
                url_state::SnapshotPlan::NoSnapshot => {}
                url_state::SnapshotPlan::Reimport { name, text } => share_snapshot = Some((name, text)),
                url_state::SnapshotPlan::DefaultCluster { notice } => notices.push(notice),
            }
        }
        let settings = Settings {
            seed: q.seed.unwrap_or(random_seed),
            nodes: q.nodes.unwrap_or(1),
            proxy_mode: q.proxy_mode.unwrap_or(ProxyMode::Ipvs),
        };
        // The URL's state wins (a share link, then a preset); otherwise the manifest the
        // learner left here last time.
        let preset = match q.preset.as_deref() {
            None => None,
            Some(name) => {
                let found = presets::find(name);
                if found.is_none() {
                    let names: Vec<&str> = presets::PRESETS.iter().map(|(f, _, _)| *f).collect();
                    notices.push(format!(
                        "preset={} in the address names no preset (there are {}); {}",
                        url_state::quote(name),
                        names.join(", "),
                        if saved.files.is_empty() {
                            "the default workspace is shown."
                        } else {
                            "your own saved manifests are shown."
                        }
                    ));
                }
                found
            }
        };
        let files = if share.is_some() {
            BTreeMap::new()
        } else if let Some((name, text)) = preset {
            let mut files = BTreeMap::from([(name.to_string(), text.to_string())]);
            // A preset link must not cost the learner the manifest they saved here: it opens
            // beside it (what is saved next includes both).
            keep_saved(&mut files, saved.files.clone());
            files
        } else {
            saved.files.clone()
        };
        Boot {
            settings,
            files,
            share,
            embed: q.embed,
            tick: true,
            persist: !q.embed && saved.writable,
            run: q.run,
            saved: saved.files,
            notices,
            share_snapshot,
            paste_slice_ms: PASTE_SLICE_MS,
        }
    }

    fn session(&self) -> Session {
        let mut s = match &self.share {
            Some(state) => {
                let snapshot = self.share_snapshot.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
                let mut s = Session::from_share_on(state, snapshot);
                // The shared files replay the sharer's session; the learner's own saved files
                // stay available beside them (and are not overwritten by the next save).
                let mut files = s.files.clone();
                keep_saved(&mut files, self.saved.clone());
                s.files = files;
                s
            }
            None => Session::new(self.settings.clone(), self.files.clone()),
        };
        for line in &self.run {
            s.run(line);
        }
        s
    }
}

/// Add the learner's saved files to `files`: a saved file whose name is taken by different text
/// is kept as `<stem>.mine.<ext>` (or `<name>.mine`), so opening a link never loses a manifest.
pub fn keep_saved(files: &mut BTreeMap<String, String>, saved: BTreeMap<String, String>) {
    for (name, text) in saved {
        match files.get(&name) {
            None => {
                files.insert(name, text);
            }
            Some(existing) if *existing == text => {}
            Some(_) => {
                let mine = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.mine.{ext}"),
                    None => format!("{name}.mine"),
                };
                files.entry(mine).or_insert(text);
            }
        }
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct AppProps {
    pub boot: Boot,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let boot = props.boot.clone();
    let session = (*use_memo((), move |_| SessionRef::new(boot.session()))).clone();
    let update = use_force_update();
    let cursor = use_state(|| None::<u64>);
    let selected = use_state(|| None::<String>);
    let share_link = use_state(|| None::<(String, String)>);
    let dns_view = use_state(|| false);
    let embed = props.boot.embed;
    let persist = props.boot.persist;
    let notices = use_state(|| props.boot.notices.clone());
    // Why the last save failed (storage full or disabled), while it keeps failing.
    let save_problem = use_state_eq(|| None::<String>);
    // Why the last imported snapshot is not kept here (too big, storage full).
    let snapshot_problem = use_state_eq(|| None::<String>);

    // Wall time → simulated time. Re-render only when the clock's second or the cluster changed.
    {
        let session = session.clone();
        let update = update.clone();
        let tick = props.boot.tick;
        use_effect_with((), move |_| {
            let last_wall = Rc::new(Cell::new(browser::now_ms()));
            let last_height = Rc::new(Cell::new(-1));
            let interval = Interval::new(TICK_MS, move || {
                let now = browser::now_ms();
                let gap = (now - last_wall.get()).clamp(0.0, MAX_TICK_GAP_MS);
                last_wall.set(now);
                if tick {
                    let changed = session.with_mut(|s| {
                        let before = s.elapsed_ms() / 1000;
                        s.advance(gap as u64) || s.elapsed_ms() / 1000 != before
                    });
                    if changed == Some(true) {
                        update.force_update();
                    }
                }
                if embed {
                    let h = browser::document_height();
                    if h != last_height.get() {
                        last_height.set(h);
                        browser::post_height(h);
                    }
                }
            });
            move || drop(interval)
        });
    }

    // Running this long forgives earlier stops (see `panic`): the next start opens the saved
    // files even after a panic.
    use_effect_with((), move |_| {
        let forgive = persist.then(|| gloo::timers::callback::Timeout::new(browser::CRASH_FORGIVEN_MS, browser::clear_crashes));
        move || drop(forgive)
    });

    // A share link pasted into this tab changes only the fragment: start over from it.
    use_effect_with((), |_| {
        let listener = web_sys::window().map(|w| {
            gloo::events::EventListener::new(&w, "hashchange", |_| {
                let (_, hash) = browser::location_parts();
                if url_state::from_fragment(&hash).is_some() {
                    browser::reload();
                }
            })
        });
        move || drop(listener)
    });

    // Docs authors script an embedded page: `sdplay:run` from the parent runs a line in the
    // terminal and answers with its output and its events (the `--trace=json` objects).
    {
        let session = session.clone();
        let update = update.clone();
        use_effect_with((), move |_| {
            let listener = embed
                .then(|| {
                    browser::on_run_message(move |line, id| {
                        let done = session.with_mut(|s| {
                            let (status, events) = s.run(&line);
                            let json: Vec<String> = events.iter().map(|e| e.to_json().to_string()).collect();
                            (status, s.last_output(), json)
                        });
                        if let Some((status, output, json)) = done {
                            browser::post_result(&id, status, &output, &json);
                        }
                        update.force_update();
                    })
                })
                .flatten();
            move || drop(listener)
        });
    }

    // Input waiting in the session (the rest of a pasted block, what is entered behind it) runs
    // in browser tasks of at most `paste_slice_ms` each (at least one line), re-rendering after
    // each, so the page repaints and takes Ctrl+C between them. One such task at a time; it
    // ends when nothing waits or the page is gone.
    let slice_ms = props.boot.paste_slice_ms;
    let draining: Rc<Cell<bool>> = use_memo((), |_| Cell::new(false));
    let alive: Rc<Cell<bool>> = use_memo((), |_| Cell::new(true));
    {
        let alive = alive.clone();
        use_effect_with((), move |_| move || alive.set(false));
    }
    let drain = {
        let session = session.clone();
        let update = update.clone();
        use_callback((), move |(), _| {
            if draining.replace(true) {
                return;
            }
            let (session, update, draining, alive) = (session.clone(), update.clone(), draining.clone(), alive.clone());
            yew::platform::spawn_local(async move {
                loop {
                    yew::platform::time::sleep(Duration::ZERO).await;
                    if !alive.get() {
                        break;
                    }
                    // `None`: the session is borrowed, which it never is between tasks; try
                    // again in the next one.
                    let start = browser::now_ms();
                    let more = session
                        .with_mut(|s| {
                            while s.run_queued() {
                                if browser::now_ms() - start >= slice_ms {
                                    return true;
                                }
                            }
                            false
                        })
                        .unwrap_or(true);
                    update.force_update();
                    if !more {
                        break;
                    }
                }
                draining.set(false);
            });
        })
    };
    let enter = {
        let session = session.clone();
        let update = update.clone();
        use_callback((), move |input: Vec<Input>, _| {
            let waiting = session.with_mut(|s| s.enter(input));
            update.force_update();
            if waiting == Some(true) {
                drain.emit(());
            }
        })
    };

    // Callbacks are made once (their captures never change), so the panes' props compare equal
    // across clock ticks and the panes skip re-rendering.
    let run = {
        let enter = enter.clone();
        use_callback((), move |line: String, _| enter.emit(vec![Input::Line(line)]))
    };
    let paste = {
        let enter = enter.clone();
        use_callback((), move |lines: Vec<String>, _| {
            enter.emit(lines.into_iter().map(Input::Line).collect())
        })
    };
    let eof = {
        let enter = enter.clone();
        use_callback((), move |(), _| enter.emit(vec![Input::Eof]))
    };
    let interrupt = {
        let session = session.clone();
        let update = update.clone();
        use_callback((), move |line: String, _| {
            session.with_mut(|s| s.interrupt(&line));
            update.force_update();
        })
    };
    let apply = {
        let session = session.clone();
        let run = run.clone();
        use_callback((), move |(), _| {
            if let Some(file) = session.get().map(|s| s.active_file.clone()) {
                run.emit(format!("kubectl apply -f {file}"));
            }
        })
    };
    let advance = {
        let session = session.clone();
        let update = update.clone();
        use_callback((), move |_: MouseEvent, _| {
            session.with_mut(|s| s.advance(10_000));
            update.force_update();
        })
    };
    let files_changed = {
        let session = session.clone();
        let update = update.clone();
        let save_problem = save_problem.clone();
        use_callback((), move |structural: bool, _| {
            if persist {
                if let Some(s) = session.get() {
                    save_problem.set(browser::save_files(&s.files).err());
                }
            }
            if structural {
                update.force_update();
            }
        })
    };
    let share = {
        let session = session.clone();
        let share_link = share_link.clone();
        use_callback((), move |_: MouseEvent, _| {
            let Some((encoded, hint)) = session
                .get()
                .map(|s| (url_state::encode(&s.share_state()), url_state::share_hint(s.snapshot.as_ref())))
            else {
                return;
            };
            if let Some(url) = browser::set_share_fragment(&encoded) {
                browser::copy_to_clipboard(&url);
                share_link.set(Some((url, hint)));
            }
        })
    };
    // A real cluster's snapshot: dropped anywhere on the page, or the editor's text loaded
    // with the button (paste it there first). The core imports it; the page only hands it over.
    let load_snapshot = {
        let session = session.clone();
        let update = update.clone();
        let snapshot_problem = snapshot_problem.clone();
        let cursor = cursor.clone();
        let selected = selected.clone();
        use_callback((), move |(name, text): (String, String), _| {
            if session.with_mut(|s| s.load_snapshot(&name, &text)) == Some(true) {
                cursor.set(None);
                selected.set(None);
                // Kept here so a share link made on it reopens it in this browser; an embedded
                // page keeps nothing.
                if persist {
                    if let Err(why) = browser::save_snapshot(&name, &text) {
                        snapshot_problem.set(Some(format!(
                            "The snapshot {} is not kept in this browser ({why}): a share link of this session opens the default cluster.",
                            url_state::quote(&name)
                        )));
                    } else {
                        snapshot_problem.set(None);
                    }
                }
            }
            update.force_update();
        })
    };
    let load_editor_snapshot = {
        let session = session.clone();
        let load_snapshot = load_snapshot.clone();
        use_callback((), move |_: MouseEvent, _| {
            if let Some((name, text)) = session.get().map(|s| (s.active_file.clone(), s.active_text().to_string())) {
                load_snapshot.emit((name, text));
            }
        })
    };
    let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let load_snapshot = load_snapshot.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let load_snapshot = load_snapshot.clone();
            browser::read_dropped_file(&e, move |name, text| load_snapshot.emit((name, text)));
        })
    };
    let on_cursor = {
        let cursor = cursor.clone();
        use_callback((), move |c: Option<u64>, _| cursor.set(c))
    };
    let on_select = {
        let selected = selected.clone();
        use_callback((), move |id: Option<String>, _| selected.set(id))
    };
    let changed = {
        let update = update.clone();
        use_callback((), move |(), _| update.force_update())
    };
    let dismiss = {
        let notices = notices.clone();
        let save_problem = save_problem.clone();
        let snapshot_problem = snapshot_problem.clone();
        Callback::from(move |_: MouseEvent| {
            notices.set(Vec::new());
            save_problem.set(None);
            snapshot_problem.set(None);
        })
    };
    let show_view = |dns: bool| {
        let dns_view = dns_view.clone();
        Callback::from(move |_: MouseEvent| dns_view.set(dns))
    };

    let Some(s) = session.get() else { return html! {} };
    let version = s.version;
    let files_generation = s.files_generation;
    let clock = clock_label(s.elapsed_ms());
    let settings = s.settings.clone();
    // The editor marks the source of the selected object, else of the selected event's first.
    let source_of = (*selected)
        .clone()
        .or_else(|| cursor.and_then(|c| view::event_objects(&s.pg, c).into_iter().next()));
    drop(s);

    html! {
        <div class={classes!("sdplay", embed.then_some("embed"))} ondragover={on_dragover} ondrop={on_drop}>
            if !embed {
                <header class="intro">
                    <h1>{"sdplay"}<span class="tagline">{" · Kubernetes service discovery, in your browser"}</span></h1>
                    <p>
                        {"A simulated minikube cluster runs entirely in this page: no server, no real cluster. "}
                        {"Edit the manifests and press Apply, then use the terminal as in the chapter "}
                        {"(try "}<code>{"kubectl get svc -A"}</code>{", "}
                        <code>{"kubectl exec -it jump -n dev -- bash"}</code>{", then "}
                        <code>{"cat /etc/resolv.conf"}</code>{" or "}<code>{"curl ent:8080"}</code>
                        {"). The timeline explains each registration and discovery step; the diagram shows the cluster."}
                    </p>
                    <p class="note">
                        {"kube-proxy runs in IPVS mode here, as in the chapter. iptables is Kubernetes' default mode, "}
                        {"and IPVS mode was deprecated in v1.35; add "}<code>{"?proxy=iptables"}</code>
                        {" or "}<code>{"?proxy=nftables"}</code>{" to the URL to choose another mode."}
                    </p>
                </header>
            }
            <div class="toolbar">
                <button id="load-snapshot" onclick={load_editor_snapshot}
                    title="Load the editor's text as a real cluster's snapshot (kubectl get nodes,ns,deploy,rs,pods,svc,endpoints,endpointslices,configmaps -A -o yaml); or drop the file on the page">{"Load snapshot"}</button>
                <button id="share" onclick={share} title="Put the files, the commands run and the seed into the URL, and copy it">{"Share"}</button>
                if let Some((url, hint)) = (*share_link).clone() {
                    <input class="share-link" readonly=true value={url} aria-label="Share link" />
                    <span class="hint share-hint">{hint}</span>
                }
                <span class="settings">
                    {format!("seed {} · {} node{} · kube-proxy {}", settings.seed, settings.nodes,
                        if settings.nodes == 1 { "" } else { "s" }, settings.proxy_mode)}
                </span>
            </div>
            if !notices.is_empty() || save_problem.is_some() || snapshot_problem.is_some() {
                <div id="notices" class="notices" role="status">
                    { for notices.iter().map(|n| html! { <p class="notice">{n}</p> }) }
                    if let Some(reason) = (*save_problem).clone() {
                        <p class="notice warn">{format!(
                            "Your manifests could not be saved in this browser ({reason}): after a reload they will not be here. \
                             Copy them somewhere, or keep them in a link with Share."
                        )}</p>
                    }
                    if let Some(why) = (*snapshot_problem).clone() {
                        <p class="notice warn">{why}</p>
                    }
                    <button class="quiet" onclick={dismiss} title="Hide these messages">{"Dismiss"}</button>
                </div>
            }
            <main class="panes">
                <section class="pane pane-editor" aria-label="Manifests">
                    <h2>{"Manifests"}</h2>
                    <Editor session={session.clone()} {files_generation} {source_of} {version}
                        on_apply={apply} on_change={files_changed} />
                </section>
                <section class="pane pane-terminal" aria-label="Terminal">
                    <h2>
                        {"Terminal"}
                        <span class="pane-tools">
                            <span id="clock" class="clock" title="Simulated time since this session began">{clock}</span>
                            <button id="advance" onclick={advance} title="Advance the simulated clock by 10 seconds">{"+10s"}</button>
                        </span>
                    </h2>
                    <Terminal session={session.clone()} {version} on_run={run} on_paste={paste} on_interrupt={interrupt} on_eof={eof} on_changed={changed} />
                </section>
                <section class="pane pane-timeline" aria-label="Timeline">
                    <Timeline session={session.clone()} {version} cursor={*cursor} on_cursor={on_cursor.clone()} />
                </section>
                <section class="pane pane-diagram" aria-label="Cluster">
                    <h2 class="view-toggle" role="tablist">
                        <button id="view-cluster" role="tab" aria-selected={(!*dns_view).to_string()}
                            class={classes!("view", (!*dns_view).then_some("current"))} onclick={show_view(false)}
                            title="The cluster's nodes, Services, Endpoints and Pods">{"Cluster"}</button>
                        <span class="sep">{"|"}</span>
                        <button id="view-dns" role="tab" aria-selected={dns_view.to_string()}
                            class={classes!("view", dns_view.then_some("current"))} onclick={show_view(true)}
                            title="Every record of the cluster DNS zone">{"DNS"}</button>
                    </h2>
                    if *dns_view {
                        <DnsView session={session.clone()} {version} cursor={*cursor} selected={(*selected).clone()}
                            {on_select} {on_cursor} />
                    } else {
                        <Diagram session={session.clone()} {version} cursor={*cursor} selected={(*selected).clone()}
                            {on_select} {on_cursor} />
                    }
                </section>
            </main>
        </div>
    }
}
