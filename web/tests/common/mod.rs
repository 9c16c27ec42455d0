//! What the browser tests share: [`Page`], a mounted page in its own div, and the events they
//! drive it with (keys, pastes, `input`/`change`). Each test file that mounts the page uses it
//! with `mod common;`.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::time::Duration;

use sdplay_web::{mount, App, Boot};
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, ClipboardEventInit, DataTransfer, Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::AppHandle;

/// A mounted page in its own div, removed (and the app stopped) on drop.
pub struct Page {
    pub root: Element,
    app: Option<AppHandle<App>>,
}

impl Page {
    pub async fn new(boot: Boot) -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let app = mount(root.clone(), boot);
        let page = Page { root, app: Some(app) };
        page.settle().await;
        page
    }

    /// Let Yew render and effects run.
    pub async fn settle(&self) {
        yew::platform::time::sleep(Duration::from_millis(30)).await;
    }

    /// Wait (up to 5 s) until `done` holds for the page; panics with `what` if it never does.
    pub async fn until(&self, what: &str, done: impl Fn(&Page) -> bool) {
        for _ in 0..500 {
            if done(self) {
                return;
            }
            yew::platform::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{what}: not within 5 s; the terminal shows:\n{}", self.text("#terminal-output"));
    }

    pub fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector} in the page"))
    }

    pub fn text(&self, selector: &str) -> String {
        self.find(selector).text_content().unwrap_or_default()
    }

    /// The terminal's input line.
    pub fn input(&self) -> HtmlInputElement {
        self.find("#terminal-input").dyn_into().unwrap()
    }

    pub async fn click(&self, selector: &str) {
        self.find(selector).dyn_into::<HtmlElement>().unwrap().click();
        self.settle().await;
    }

    /// Type a line into the terminal and press Enter.
    pub async fn run(&self, line: &str) {
        let input = self.input();
        input.set_value(line);
        press(&input, "Enter");
        self.settle().await;
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Dispatch a bubbling event of type `ty` (as the browser does for `input` and `change`).
pub fn fire(target: &web_sys::EventTarget, ty: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(ty, &init).unwrap())
        .unwrap();
}

/// Press a key in the terminal's input line; `false` if the page prevented the default.
pub fn press(input: &HtmlInputElement, key: &str) -> bool {
    key_down(input, key, false)
}

/// Press a key with Ctrl held (Ctrl+C, Ctrl+D, Ctrl+L); `false` if the page prevented the default.
pub fn press_ctrl(input: &HtmlInputElement, key: &str) -> bool {
    key_down(input, key, true)
}

fn key_down(input: &HtmlInputElement, key: &str, ctrl: bool) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    input
        .dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap()
}

/// Paste `text` into the input line, as the browser does (a `paste` event carrying it as
/// `text/plain`); `false` if the page prevented the default (it inserted the text itself).
pub fn paste(input: &HtmlInputElement, text: &str) -> bool {
    let data = DataTransfer::new().unwrap();
    data.set_data("text/plain", text).unwrap();
    let init = ClipboardEventInit::new();
    init.set_clipboard_data(Some(&data));
    init.set_bubbles(true);
    init.set_cancelable(true);
    input
        .dispatch_event(&ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap())
        .unwrap()
}
