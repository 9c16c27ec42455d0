//! sdplay-web: the page. A thin wasm boundary: [`start`] mounts the Yew [`app::App`] into the
//! document (into `#sdplay` if the page has one, else `<body>`); everything else is Yew
//! components rendering the core's view (`sdplay_core::view`) and sending the playground
//! commands. No simulation logic lives in this crate. A panic shows `panic`'s dialog instead of
//! leaving a dead page.

pub mod app;
pub mod browser;
pub mod diagram;
pub mod dns;
pub mod editor;
pub mod format;
pub mod panic;
pub mod presets;
pub mod session;
pub mod snapshot;
pub mod terminal;
pub mod timeline;
pub mod url_state;

use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;

pub use app::{App, AppProps, Boot};

/// Mount the page into `root`, started as `boot` says.
pub fn mount(root: Element, boot: Boot) -> AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(root, AppProps { boot }).render()
}

/// The wasm entry point: install the panic hook, read the URL and localStorage, mount the page.
#[wasm_bindgen(start)]
pub fn start() {
    panic::install();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let root = document.get_element_by_id("sdplay").or_else(|| document.body().map(Element::from));
    if let Some(root) = root {
        // The page lives as long as the document; never unmount it.
        let boot = Boot::from_browser();
        panic::set_persist(boot.persist);
        let _app = mount(root, boot);
    }
}
