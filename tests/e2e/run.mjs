// Browser end-to-end test: drives the built page in Chromium (Debian's, via playwright-core; no
// browser download) through the chapter's walkthrough, step by step.
//
//   node tests/e2e/run.mjs dist                     serve dist/ on a free 127.0.0.1 port, test it
//   node tests/e2e/run.mjs http://127.0.0.1:8080/   test a running server (e.g. scripts/serve)
//
// What the page must offer (element ids):
//   #editor           textarea preloaded with the chapter's sd-example.yml
//   #apply            button: runs `kubectl apply -f sd-example.yml` in the terminal
//   #advance          button: advances the simulated clock by 10 s
//   #terminal-input   <input>: type a command line, press Enter to run it; the page empties it
//   #terminal-output  the transcript; each command run is echoed there (after its prompt)
// Any console error or uncaught exception (a wasm panic included), any Content-Security-Policy
// violation and any alert() fails the test, unless a step expects it.
// After the walkthrough and the embed API, the hardening checks (issue 11): the CSP is in force
// (no inline script, no eval, no HTML sinks) with zero violations on load, apply, terminal,
// diagram, DNS view, share and embed; hostile text stays text; bad URL parameters and a broken
// share link give notices and keep the saved manifest; a panic shows its dialog, keeps the
// text typed last and reloads; a 10 MB paste and the YAML alias bomb leave the page answering
// (figures printed: ms from paste to the terminal's answer, and for Apply).
// A screenshot goes to target/e2e/screenshot.png, pass or fail.
//
// Environment: SDPLAY_CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT_MS (per expectation,
// default 10000), E2E_VERBOSE=1 (echo the page's console).

import { chromium } from 'playwright-core';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server.mjs';

// The walkthrough. Each step is one action, then what the output printed since the action
// began must contain (polled, up to E2E_TIMEOUT_MS). Kinds of action:
//   { run: 'command line' }   type it into #terminal-input and press Enter; waits for the echo
//   { click: '#selector' }    click an element
//   { value: '#selector' }    no action; `expect` is matched against that element's value
const STEPS = [
  { value: '#editor', expect: ['kind: Namespace', 'name: enterprise', 'name: ent', 'name: jump'] },
  { click: '#apply', expect: ['service/ent created', 'pod/jump created'] },
  { click: '#advance' }, // +10s: pods start after a few simulated seconds
  { click: '#advance' },
  { run: 'kubectl get pods -n dev', expect: ['Running'] },
  { run: 'kubectl exec -it jump -n dev -- bash' },
  { run: 'apt-get update' }, // the jump pod's ubuntu image has no curl
  { run: 'apt-get install -y curl' },
  { run: 'curl ent:8080', expect: ['Hello form the DEV Namespace!', 'Hostname: enterprise-'] },
  { run: 'curl ent.prod.svc.cluster.local:8080', expect: ['PROD Namespace'] },
];

const CHROMIUM = process.env.SDPLAY_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 10_000);
const LOAD_TIMEOUT_MS = 30_000; // first load compiles the wasm
const OVERALL_TIMEOUT_MS = 420_000;
// The page must answer a command within this long after a huge paste or an Apply of it: a hang
// detector, not a timing test (the measured figures are printed).
const RESPONSIVE_MS = Number(process.env.E2E_RESPONSIVE_MS || 20_000);
const VERBOSE = process.env.E2E_VERBOSE === '1';
const ARTIFACTS = fileURLToPath(new URL('../../target/e2e/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

class StepFailure extends Error {}

// Console errors and uncaught exceptions, as they happen; any of them fails the current step.
const errors = [];
const checkErrors = () => {
  if (errors.length) throw new StepFailure(`the page reported errors:\n${indent(errors.join('\n'))}`);
};
/** Runs `action`, then takes the errors matching `pattern` out of the list; at least one must
 * have come (the step expects them, e.g. the CSP refusing an inline script on purpose). */
async function expectErrors(what, pattern, action) {
  const before = errors.length;
  const result = await action();
  await sleep(300); // console events arrive asynchronously
  const since = errors.splice(before);
  const expected = since.filter((e) => pattern.test(e));
  errors.push(...since.filter((e) => !pattern.test(e)));
  if (!expected.length) throw new StepFailure(`${what}: the page reported no error matching ${pattern}`);
  return result;
}

// Reports every CSP violation as a console error (Chromium also logs its own "Refused to …").
// Playwright's init scripts are not subject to the page's CSP.
const REPORT_CSP = () => {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
  });
};

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls `check()` until it resolves truthy; after TIMEOUT_MS throws what `failure()` says. */
async function waitUntil(check, failure) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await check())) {
    checkErrors();
    if (Date.now() > deadline) throw new StepFailure(failure());
    await sleep(100);
  }
}

/** Waits until the text `read()` returns contains every string in `expect`. */
async function waitForText(what, read, expect) {
  let text = '';
  await waitUntil(
    async () => {
      text = await read();
      return expect.every((s) => text.includes(s));
    },
    () =>
      `${what} lacks ${expect.filter((s) => !text.includes(s)).map((s) => JSON.stringify(s)).join(', ')} ` +
      `after ${TIMEOUT_MS} ms; it holds:\n${indent(tail(text, 30) || '(nothing)')}`,
  );
}

/**
 * Snapshot import: drops the kind snapshot of tests/transcripts/snapshots/ on the page, as a
 * learner drops their own `kubectl get … -o yaml` file, then checks the report and that the
 * imported cluster answers kubectl and DNS as the real one would.
 */
async function dropSnapshot(page, outputText, input) {
  const started = Date.now();
  const text = await readFile(new URL('../transcripts/snapshots/kind.yaml', import.meta.url), 'utf8');
  await page.evaluate((yaml) => {
    const dt = new DataTransfer();
    dt.items.add(new File([yaml], 'kind.yaml', { type: 'application/yaml' }));
    const target = document.querySelector('.sdplay');
    for (const type of ['dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, text);
  await waitForText('#terminal-output', outputText, [
    'Imported snapshot kind.yaml:',
    'node kind-worker: 172.18.0.3, podCIDR 10.244.1.0/24',
    'Pod kube-system/kube-proxy-8jxvw: owned by DaemonSet kube-proxy',
  ]);
  for (const [line, expect] of [
    ['kubectl get pods -n shop -o wide', ['web-5d9c8b7f4c-hx7rl', '10.244.1.2', 'kind-worker']],
    ['kubectl run probe --image=busybox:1.36 --restart=Never -- sleep 3600', ['pod/probe created']],
  ]) {
    await input.fill(line);
    await input.press('Enter');
    await waitForText('#terminal-output', outputText, expect);
  }
  await page.locator('#advance').click({ timeout: TIMEOUT_MS });
  await input.fill('kubectl exec probe -- nslookup web.shop.svc.cluster.local');
  await input.press('Enter');
  await waitForText('#terminal-output', outputText, ['Address: 10.96.141.27']);
  checkErrors();
  console.log(`  ok   snapshot: a dropped kind snapshot loads as the cluster (${Date.now() - started} ms)`);
}

/**
 * A share link of the snapshot session: it says it was made on the snapshot, and this browser
 * (which kept the snapshot in localStorage) re-imports it and replays the commands on it.
 */
async function shareSnapshot(context, snap, watch) {
  const started = Date.now();
  await snap.locator('#share').click({ timeout: TIMEOUT_MS });
  const hint = (await snap.locator('.share-hint').textContent({ timeout: TIMEOUT_MS })) ?? '';
  if (!hint.includes('made on the imported snapshot kind.yaml')) throw new StepFailure(`share hint: ${JSON.stringify(hint)}`);
  const link = await snap.locator('.share-link').inputValue({ timeout: TIMEOUT_MS });
  const again = await context.newPage();
  watch(again, 'shared snapshot page');
  await again.goto(link, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  const text = async () => (await again.locator('#terminal-output').textContent({ timeout: TIMEOUT_MS })) ?? '';
  await waitForText('#terminal-output', text, ['Imported snapshot kind.yaml:', 'pod/probe created', 'Address: 10.96.141.27']);
  await again.close();
  checkErrors();
  console.log(`  ok   snapshot: its share link reopens it in the same browser (${Date.now() - started} ms)`);
}

const tail = (text, lines) => text.split('\n').slice(-lines).join('\n');
const indent = (text) => text.replace(/^/gm, '    ');

async function main() {
  const target = process.argv[2];
  let server;
  let url = target;
  if (!/^https?:\/\//.test(target ?? '')) {
    if (!(await stat(target ?? '').catch(() => null))?.isDirectory()) {
      console.error('usage: node tests/e2e/run.mjs <url | directory holding the built page>');
      process.exit(2);
    }
    server = await serveStatic(target);
    url = server.url;
  }

  const profile = await mkdtemp(join(tmpdir(), 'sdplay-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  await context.addInitScript(REPORT_CSP);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const watch = (p, who) => {
    p.on('console', (msg) => {
      if (VERBOSE) console.log(`    [${who} console.${msg.type()}] ${msg.text()}`);
      if (msg.type() === 'error') errors.push(`console error (${who}): ${msg.text()} (${msg.location().url || 'no location'})`);
    });
    p.on('pageerror', (err) => errors.push(`uncaught (${who}): ${err.stack || err}`));
    p.on('crash', () => errors.push(`the ${who} page crashed`));
    // Any alert() is injected script running.
    p.on('dialog', (d) => {
      errors.push(`a ${d.type()} dialog opened (${who}): ${d.message()}`);
      d.dismiss().catch(() => {});
    });
  };
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page, 'page');

  const output = page.locator('#terminal-output');
  const input = page.locator('#terminal-input');
  const outputText = async () => (await output.textContent({ timeout: TIMEOUT_MS })) ?? '';
  // Let the page finish what the last event started (Yew renders on a later tick).
  const settle = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

  let failed = false;
  try {
    console.log(`e2e: ${url} in ${CHROMIUM}`);
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await page.locator('#apply').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT_MS }).catch(() => {
      throw new StepFailure(`no #apply button ${LOAD_TIMEOUT_MS} ms after load (did the wasm start?)`);
    });

    for (const [i, step] of STEPS.entries()) {
      const name = step.run ? `$ ${step.run}` : step.click ? `click ${step.click}` : `${step.value} value`;
      const started = Date.now();
      try {
        if (step.value) {
          await waitForText(step.value, () => page.locator(step.value).inputValue(), step.expect ?? []);
        } else {
          const before = (await outputText()).length;
          // Only what the step printed counts (all of it, if the terminal was cleared).
          const since = async () => {
            const text = await outputText();
            return text.length >= before ? text.slice(before) : text;
          };
          if (step.run) {
            await input.fill(step.run);
            await input.press('Enter');
            // The command ran once its echo is in the output and the input is empty again.
            await waitForText('#terminal-output', since, [step.run]);
            await waitUntil(
              async () => (await input.inputValue()) === '',
              () => '#terminal-input still holds the command after Enter',
            );
          } else {
            await page.locator(step.click).click({ timeout: TIMEOUT_MS });
          }
          await settle();
          await waitForText('#terminal-output (new text)', since, step.expect ?? []);
        }
        checkErrors();
        console.log(`  ok   ${String(i + 1).padStart(2)} ${name} (${Date.now() - started} ms)`);
      } catch (err) {
        console.log(`  FAIL ${String(i + 1).padStart(2)} ${name}`);
        throw err;
      }
    }
    // The embed scripting API: a host page posts `sdplay:run` to the embedded page and gets
    // the command's output and its trace events back.
    {
      const started = Date.now();
      const host = await context.newPage();
      watch(host, 'host');
      const embedUrl = new URL(url);
      embedUrl.searchParams.set('embed', '');
      await host.setContent(`<iframe id="sd" src="${embedUrl.href}" style="width:1000px;height:700px"></iframe>`);
      const result = await host.evaluate(
        (timeout) =>
          new Promise((resolve, reject) => {
            const frame = document.getElementById('sd');
            const timer = setTimeout(() => reject(new Error('no sdplay:result')), timeout);
            window.addEventListener('message', (ev) => {
              if (ev.data?.type === 'sdplay:result' && ev.data.id === 7) {
                clearTimeout(timer);
                clearInterval(poke);
                resolve(ev.data);
              }
            });
            // The wasm may still be starting: ask until it answers.
            const poke = setInterval(() => {
              frame.contentWindow.postMessage({ type: 'sdplay:run', line: 'kubectl get svc kube-dns -n kube-system', id: 7 }, '*');
            }, 300);
          }),
        LOAD_TIMEOUT_MS,
      );
      if (!/kube-dns\s+ClusterIP\s+10\.96\.0\.10/.test(result.output ?? '') || result.status !== 0) {
        throw new StepFailure(`sdplay:result: unexpected output ${JSON.stringify(result.output)} (status ${result.status})`);
      }
      if (!Array.isArray(result.events)) throw new StepFailure('sdplay:result has no events array');
      await host.close();
      checkErrors();
      console.log(`  ok   embed: sdplay:run answers with output and events, no CSP violation (${Date.now() - started} ms)`);
    }
    // The snapshot in a page of its own (the same browser: one localStorage), so this page keeps
    // the walkthrough's cluster for the hardening checks.
    const snap = await context.newPage();
    watch(snap, 'snapshot page');
    await snap.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await snap.locator('#apply').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT_MS });
    const snapText = async () => (await snap.locator('#terminal-output').textContent({ timeout: TIMEOUT_MS })) ?? '';
    await dropSnapshot(snap, snapText, snap.locator('#terminal-input'));
    await shareSnapshot(context, snap, watch);
    await snap.close();
    await hardening(context, page, url, watch, { outputText, settle });
  } catch (err) {
    failed = true;
    console.log(err instanceof StepFailure ? `e2e failed: ${err.message}` : err);
    if (errors.length && !err.message?.startsWith('the page reported errors'))
      console.log(`the page also reported errors:\n${indent(errors.join('\n'))}`);
  } finally {
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'screenshot.png');
    await page
      .screenshot({ path: shot, fullPage: true })
      .then(() => console.log(`screenshot: ${shot}`))
      .catch((err) => console.error(`no screenshot: ${err.message}`));
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await server?.close();
  }
  if (failed) process.exit(1);
  console.log(`e2e: all ${STEPS.length} steps and the hardening checks passed`);
}

/** Runs one named check; logs ok or FAIL. */
async function check(name, body) {
  const started = Date.now();
  try {
    const note = await body();
    checkErrors();
    console.log(`  ok   ${name} (${Date.now() - started} ms)${note ? `: ${note}` : ''}`);
  } catch (err) {
    console.log(`  FAIL ${name}`);
    throw err;
  }
}

/** Types `line` into the terminal, presses Enter and waits until the output holds `expect`
 * (the echo of the line if not given); resolves to the ms it took. */
async function runLine(page, line, expect = [line], timeout = TIMEOUT_MS) {
  const started = Date.now();
  const input = page.locator('#terminal-input');
  const before = ((await page.locator('#terminal-output').textContent({ timeout })) ?? '').length;
  await input.fill(line, { timeout });
  await input.press('Enter', { timeout });
  const deadline = started + timeout;
  for (;;) {
    const text = (await page.locator('#terminal-output').textContent({ timeout })) ?? '';
    const since = text.length >= before ? text.slice(before) : text;
    if (expect.every((s) => since.includes(s))) return Date.now() - started;
    checkErrors();
    if (Date.now() > deadline)
      throw new StepFailure(`after \`${line.slice(0, 80)}\` the terminal lacks ${JSON.stringify(expect)} within ${timeout} ms; new text:\n${indent(tail(since, 15))}`);
    await sleep(50);
  }
}

/** Puts `text` into the editor as a paste does (one input event). */
async function paste(page, text) {
  await page.evaluate((t) => {
    const ta = document.getElementById('editor');
    ta.value = t;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function waitForPage(page) {
  await page.locator('#apply').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT_MS });
}

async function hardening(context, page, url, watch, { settle }) {
  await check('csp: the policy is in the page, every script is external', async () => {
    const got = await page.evaluate(() => ({
      policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
      inline: [...document.scripts].filter((s) => !s.src).map((s) => s.outerHTML.slice(0, 80)),
      first: document.head.firstElementChild?.nextElementSibling?.getAttribute('http-equiv'),
    }));
    for (const want of ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "require-trusted-types-for 'script'"]) {
      if (!got.policy.includes(want)) throw new StepFailure(`the CSP lacks ${want}: ${got.policy}`);
    }
    if (/'unsafe-inline'|(^|\s)'unsafe-eval'|frame-ancestors/.test(got.policy)) throw new StepFailure(`the CSP is not strict: ${got.policy}`);
    if (got.inline.length) throw new StepFailure(`inline scripts in the page: ${got.inline.join(', ')}`);
    if (got.first !== 'Content-Security-Policy') throw new StepFailure('the CSP meta tag is not right after <meta charset>');
  });

  // (eval cannot be tried from here: DevTools' evaluation, which Playwright uses, is exempt from
  // the page's CSP; the policy check above makes sure script-src has no 'unsafe-eval'.)
  await check('csp: inline script and innerHTML are refused', async () => {
    const got = await expectErrors('csp refusals', /CSP violation|Refused to|TrustedHTML|TrustedScript/, () =>
      page.evaluate(() => {
        const out = {};
        // Trusted Types refuse setting a script's text; a text node child gets past that check
        // to the CSP's own (script-src without 'unsafe-inline').
        const s = document.createElement('script');
        try { s.textContent = 'window.__sdplayInlineRan = true'; } catch (e) { out.scriptText = e.name; }
        s.append(document.createTextNode('window.__sdplayInlineRan = true'));
        try { document.body.append(s); } catch (e) { out.appendError = e.name; }
        out.inlineRan = window.__sdplayInlineRan === true;
        s.remove();
        try { document.createElement('div').innerHTML = '<b>x</b>'; out.innerHtml = 'allowed'; } catch (e) { out.innerHtml = e.name; }
        return out;
      }),
    );
    if (got.inlineRan) throw new StepFailure('an inline script ran');
    if (got.innerHtml !== 'TypeError') throw new StepFailure(`innerHTML assignment: ${got.innerHtml} (Trusted Types should refuse it)`);
    return `script text: ${got.scriptText}, innerHTML: ${got.innerHtml}`;
  });

  await check('csp: diagram, DNS view and share cause no violation', async () => {
    await page.locator('.svc[data-name="ent"]').first().click({ timeout: TIMEOUT_MS });
    await settle();
    await page.locator('#view-dns').click({ timeout: TIMEOUT_MS });
    await page.locator('.dns-view').waitFor({ timeout: TIMEOUT_MS });
    await page.locator('#view-cluster').click({ timeout: TIMEOUT_MS });
    await page.locator('#share').click({ timeout: TIMEOUT_MS });
    const link = await page.locator('.share-link').inputValue({ timeout: TIMEOUT_MS });
    if (!link.includes('#s=')) throw new StepFailure(`no share link: ${link}`);
    await settle();
  });

  await check('hostile text in the terminal stays text', async () => {
    const h = `<img src=x onerror=alert(1)>"><script>alert(2)</script>{{7*7}}\u202e`;
    await runLine(page, `echo '${h}'`, [`${h}\n`]);
    const n = await page.evaluate(() => document.querySelectorAll('img, #terminal-output script').length);
    if (n) throw new StepFailure(`${n} elements injected`);
  });

  const marker = `# my own manifest ${Date.now()}`;
  const saved = () => page.evaluate(() => localStorage.getItem('sdplay.files') ?? '');
  await check('a bad link gives notices and keeps the saved manifest', async () => {
    await page.locator('#editor').fill(`${marker}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: mine\n`);
    await waitUntil(async () => (await saved()).includes(marker), () => 'the edit was not saved to localStorage');
    const bad = new URL(url);
    bad.search = '?seed=abc&nodes=0&preset=../../etc';
    bad.hash = '#s=eyJ2IjoxLCJzZWVkIjo'; // cut short when copied
    await page.goto(bad.href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await waitForPage(page);
    await waitForText('#notices', () => page.locator('#notices').textContent(), [
      'seed=abc in the address is not a number',
      'nodes=0 in the address is not a node count from 1 to 50',
      'preset=../../etc in the address names no preset',
      'The share link in the address could not be opened: it does not decode to a share document',
      'Your own saved manifests are shown, unchanged.',
    ]);
    if (!(await page.locator('#editor').inputValue()).includes(marker)) throw new StepFailure('the editor lost the saved manifest');
    if (!(await saved()).includes(marker)) throw new StepFailure('localStorage lost the saved manifest');
  });

  await check('a panic shows what happened, keeps the text typed last, and reloads', async () => {
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await waitForPage(page);
    const typed = `${marker} (typed just before the panic)\n`;
    const message = await expectErrors('the panic', /sdplay panicked|RuntimeError: unreachable|unreachable/, async () => {
      await page.locator('#editor').fill(typed);
      // The test hook: an export of the wasm module, reachable from script in the page only.
      await page.evaluate(async () => (await import(document.querySelector('meta[name="sdplay-glue"]').content)).sdplay_debug_arm_panic());
      await page.locator('#terminal-input').fill('kubectl get pods');
      await page.locator('#terminal-input').press('Enter');
      await page.locator('#sdplay-panic').waitFor({ timeout: TIMEOUT_MS });
      return page.locator('#sdplay-panic').textContent();
    });
    for (const want of ['sdplay stopped: it hit a bug', 'debug panic requested by sdplay_debug_arm_panic', 'Your manifests are saved in this browser']) {
      if (!message.includes(want)) throw new StepFailure(`the panic dialog lacks ${JSON.stringify(want)}: ${message}`);
    }
    await Promise.all([page.waitForEvent('load', { timeout: LOAD_TIMEOUT_MS }), page.locator('#sdplay-panic-reload').click()]);
    await waitForPage(page);
    const text = await page.locator('#editor').inputValue();
    if (text !== typed) throw new StepFailure(`after the reload the editor holds ${JSON.stringify(text.slice(0, 200))}`);
    if (await page.locator('#sdplay-panic').count()) throw new StepFailure('the panic dialog is still up after the reload');
  });

  // The last two on their own pages: a frozen tab must not hide the other checks' results.
  const fresh = async () => {
    const p = await context.newPage();
    watch(p, 'big');
    await p.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await waitForPage(p);
    return p;
  };

  await check('a 10 MB paste: the page keeps answering', async () => {
    const p = await fresh();
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: big', 'data:'];
    const value = 'x'.repeat(100);
    for (let i = 0; lines.length < 90_000; i++) lines.push(`  k${String(i).padStart(6, '0')}: "${value}"`);
    const text = `${lines.join('\n')}\n`;
    const t0 = Date.now();
    await paste(p, text);
    const answer = await runLine(p, 'echo alive-after-paste', ['alive-after-paste\n'], RESPONSIVE_MS);
    const pasted = Date.now() - t0;
    await sleep(600); // the editor's problems list runs 250 ms after the last input
    const later = await runLine(p, 'echo alive-after-problems', ['alive-after-problems\n'], RESPONSIVE_MS);
    const t1 = Date.now();
    await p.locator('#apply').click({ timeout: RESPONSIVE_MS });
    await runLine(p, 'echo alive-after-apply', ['alive-after-apply\n'], RESPONSIVE_MS);
    const applied = Date.now() - t1;
    const out = (await p.locator('#terminal-output').textContent()) ?? '';
    const verdict = out.match(/configmap\/big \w+|Request entity too large[^\n]*|error[^\n]*/)?.[0] ?? '(no verdict)';
    const notices = (await p.locator('#notices').count()) ? await p.locator('#notices').textContent() : '';
    await p.close();
    return `${(text.length / 1e6).toFixed(1)} MB; paste → answer ${pasted} ms (echo ${answer} ms), echo after the problems list ${later} ms, Apply → answer ${applied} ms; apply said: ${verdict}${notices.includes('could not be saved') ? '; the page says it could not save it' : ''}`;
  });

  await check('the YAML alias bomb: the page keeps answering', async () => {
    const p = await fresh();
    const names = 'abcdefghi';
    const bomb = [`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1];
      bomb.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const t0 = Date.now();
    await paste(p, `${bomb.join('\n')}\n`);
    await sleep(600);
    const dead = async (when, err) => {
      const dialog = await p.locator('#sdplay-panic').textContent({ timeout: 1000 }).catch(() => null);
      return new StepFailure(
        `the page stopped answering after the alias bomb was ${when} (does the core refuse excessive aliasing yet?)` +
          `${dialog ? `; the panic dialog says: ${dialog}` : ''}\n${err.message}`,
      );
    };
    const later = await runLine(p, 'echo alive-after-bomb', ['alive-after-bomb\n'], RESPONSIVE_MS).catch(async (err) => {
      throw await dead('pasted', err);
    });
    const t1 = Date.now();
    await p.locator('#apply').click({ timeout: RESPONSIVE_MS });
    await runLine(p, 'echo alive-after-apply', ['alive-after-apply\n'], RESPONSIVE_MS).catch(async (err) => {
      throw await dead('applied', err);
    });
    const out = (await p.locator('#terminal-output').textContent()) ?? '';
    const verdict = out.match(/\$ kubectl apply[^\n]*\n([^\n]*)/)?.[1] ?? '(no verdict)';
    await p.close();
    return `paste → answer ${Date.now() - t0 - (Date.now() - t1)} ms (echo ${later} ms), Apply → answer ${Date.now() - t1} ms; apply said: ${verdict}`;
  });
}

setTimeout(() => {
  console.error(`e2e: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS).unref();

await main();
