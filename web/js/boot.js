// The page's loader: an external module, so the Content-Security-Policy in index.html can forbid
// inline script. trunk's own loader is an inline <script type="module">; Trunk.toml's
// `pattern_script` replaces it with <meta name="sdplay-glue"> and <meta name="sdplay-wasm">,
// which carry the hashed file names trunk chose, and this module (added by index.html through
// trunk, hashed, with its integrity) imports the glue and starts the wasm.
//
// It also backs up the panic hook (web/src/panic.rs), in JavaScript on purpose, since after a
// trap the wasm is not trusted to run anything: the dialog's Reload button, and a trap that did
// not go through the hook (an allocation failure aborts without a panic) gets the same dialog,
// the editor's text saved the same way (only where the page saves at all: data-sdplay-persist).

document.addEventListener('click', (ev) => {
  if (ev.target instanceof Element && ev.target.closest('[data-sdplay-reload]')) {
    ev.preventDefault();
    location.reload();
  }
});

const FILES_KEY = 'sdplay.files';

function saveEditor() {
  const editor = document.getElementById('editor');
  const file = editor?.dataset.file;
  if (!file || !document.documentElement.hasAttribute('data-sdplay-persist')) return 'not saved';
  try {
    let files = {};
    try {
      const v = JSON.parse(localStorage.getItem(FILES_KEY) ?? '{}');
      if (v && typeof v === 'object' && !Array.isArray(v)) files = v;
    } catch {
      // unreadable: set aside at boot already (browser::load_files_at_boot)
    }
    files[file] = editor.value;
    // Counted as the panic hook counts it (browser::note_crash).
    localStorage.setItem('sdplay.crashes', String((Number(localStorage.getItem('sdplay.crashes')) || 0) + 1));
    localStorage.setItem(FILES_KEY, JSON.stringify(files));
    return 'saved';
  } catch (err) {
    return `not saved (${err.name})`;
  }
}

function showTrap(err) {
  if (!(err instanceof WebAssembly.RuntimeError) || document.getElementById('sdplay-panic')) return;
  const saved = saveEditor();
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const dialog = el('div', 'panic');
  dialog.id = 'sdplay-panic';
  dialog.setAttribute('role', 'alertdialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', 'sdplay-panic-title');
  const box = el('div', 'panic-box');
  const title = el('h2', '', 'sdplay stopped: it hit a bug');
  title.id = 'sdplay-panic-title';
  box.append(
    title,
    el('p', '', 'The simulation stopped without a message (most likely it ran out of memory). The page cannot go on; reloading starts a fresh cluster.'),
    el('pre', 'panic-message', String(err)),
    el('p', saved === 'saved' ? '' : 'warn', saved === 'saved'
      ? 'Your manifests are saved in this browser, including what you typed last: they will be in the editor after the reload.'
      : `What you typed last is ${saved}: copy it from the editor before reloading.`),
  );
  const reload = el('button', 'primary', 'Reload the page');
  reload.id = 'sdplay-panic-reload';
  reload.type = 'button';
  reload.setAttribute('data-sdplay-reload', '');
  box.append(reload);
  dialog.append(box);
  document.body.append(dialog);
  reload.focus();
}

addEventListener('error', (ev) => showTrap(ev.error));
addEventListener('unhandledrejection', (ev) => showTrap(ev.reason));

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const glue = await import(meta('sdplay-glue'));
await glue.default({ module_or_path: meta('sdplay-wasm') });
