// The page's loader: an external module, so the Content-Security-Policy in index.html can forbid
// inline script. trunk's own loader is an inline <script type="module">; Trunk.toml's
// `pattern_script` replaces it with <meta name="sdplay-glue"> and <meta name="sdplay-wasm">,
// which carry the hashed file names trunk chose, and this module (added by index.html through
// trunk, hashed, with its integrity) imports the glue and starts the wasm.
//
// It also handles the panic screen's Reload button (web/src/panic.rs) in JavaScript on purpose:
// after a panic the wasm instance has trapped and is not trusted to run a click handler.

document.addEventListener('click', (ev) => {
  if (ev.target instanceof Element && ev.target.closest('[data-sdplay-reload]')) {
    ev.preventDefault();
    location.reload();
  }
});

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const glue = await import(meta('sdplay-glue'));
await glue.default({ module_or_path: meta('sdplay-wasm') });
