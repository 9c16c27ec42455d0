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
// Any console error or uncaught exception (a wasm panic included) fails the test.
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
const OVERALL_TIMEOUT_MS = 180_000;
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
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (VERBOSE) console.log(`    [console.${msg.type()}] ${msg.text()}`);
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()} (${msg.location().url || 'no location'})`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.stack || err}`));
  page.on('crash', () => errors.push('the page crashed'));

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
      host.on('pageerror', (err) => errors.push(`uncaught (host): ${err.stack || err}`));
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
      console.log(`  ok   embed: sdplay:run answers with output and events (${Date.now() - started} ms)`);
    }
    await dropSnapshot(page, outputText, input);
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
  console.log(`e2e: all ${STEPS.length} steps passed`);
}

setTimeout(() => {
  console.error(`e2e: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS).unref();

await main();
