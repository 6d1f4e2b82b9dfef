/**
 * `npm run bench` (or `npx tsx bench/perf.ts [N]`): issue 7's performance budgets, on the
 * production build served by the real server on loopback, in Debian's headless Chromium driven
 * through the DevTools Protocol, as a phone (390×844, touch, geolocation granted):
 *  1. first visit of the survey screen on a slow 3G phone (400 kbit/s, 400 ms RTT, CPU ÷4),
 *     with a session but no app code cached: time to interactive (« Enregistrer le relevé »
 *     enabled and a tap on an operator handled) and the JavaScript transferred;
 *  2. a repeat visit offline, from the service worker's cache (CPU ÷4): time to interactive;
 *  3. tap « Enregistrer » → the reading in IndexedDB, offline, CPU ÷4: median and p95 of
 *     SAVES saves, timed in the page from the click to the app's own mark of its committed
 *     write, and to a reader of the bench's (its connection opened before) reading it; then
 *     SAVES_WITH_QUEUE more with the N readings of step 4 waiting;
 *  4. N waiting readings (default 5,000) written straight into IndexedDB, then the network
 *     back (loopback, unthrottled, CPU ÷4): seconds until every one is acknowledged;
 *  5. offline again, LONG_QUEUE (50,000) readings waiting: SAVES_WITH_QUEUE more saves.
 * Before the browser, from the build itself: the precache by role (issue 19) beside what
 * precaching every file would take, and each figure of bytes compressed beside uncompressed.
 * `BENCH_PERF_BASELINE_DIST=<a build>` times steps 1–5 on that build first, in the same run;
 * `BENCH_PERF_VISITS_ONLY=1` stops after step 2; `BENCH_PERF_REPEAT_VISITS=N` times N repeat
 * visits in step 2 and prints their median; `BENCH_PERF_FLOOR=1` then times as many on a page
 * with no app in it (the browser's and the bench's own share of step 2's figure);
 * `BENCH_PERF_STOPPED_WORKER=1` stops the service worker before each of those visits.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { precachedFiles } from '../test/budget/precache-manifest.ts';
import { READING_DURABLE_MARK } from '../src/store/outbox.ts';
import { buildProductionApp } from '../test/support/production-build.ts';
import { precacheFigures } from './precache-figures.ts';
import { median } from './percentile.ts';

const waiting = Number(process.argv[2] ?? process.env.BENCH_PERF_READINGS ?? 5_000);
if (!Number.isInteger(waiting) || waiting < 1) {
  console.error(`Waiting readings: expected a positive integer, got ${process.argv[2]}`);
  process.exit(1);
}
const SAVES = 50;
const SAVES_WITH_QUEUE = 20;
/** A field week in the valleys without network, many agents' worth: the outbox at its longest. */
const LONG_QUEUE = 50_000;
/** Page expressions are strings: tsx would wrap functions in a helper the page does not have. */
const SAVE_ENABLED = `[...document.querySelectorAll('button')].some((button) => button.textContent.includes('Enregistrer le relevé') && !button.disabled)`;
const CHROMIUM_NOTE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CPU_SLOWDOWN = 4;
/**
 * Another build to time steps 1–2 on, in the same run, before this one
 * (`BENCH_PERF_BASELINE_DIST=/tmp/old-dist`: a `vite build --outDir` of the code before a change).
 */
const baselineDist = process.env.BENCH_PERF_BASELINE_DIST;
/** `BENCH_PERF_VISITS_ONLY=1`: steps 1–2 only, without the minutes of saves that follow. */
const visitsOnly = process.env.BENCH_PERF_VISITS_ONLY === '1';
/**
 * `BENCH_PERF_REPEAT_VISITS=N`: N repeat visits offline, their median printed (default 1); one
 * visit on a shared machine is noise.
 */
const REPEAT_VISITS = Number(process.env.BENCH_PERF_REPEAT_VISITS ?? 1);
/**
 * `BENCH_PERF_FLOOR=1`: after step 2, as many repeat visits timed the same way on a page the
 * service worker answers in the app's place, drawn already « enabled » (no script of the app,
 * an operator radio and the button): what the navigation through the service worker, the page's
 * commit, the bench's own scripts and the touch's round trips cost, whatever the app does; and
 * the app's own time, step 2's median less the floor's.
 */
const measureFloor = process.env.BENCH_PERF_FLOOR === '1';
/**
 * `BENCH_PERF_STOPPED_WORKER=1`: the service worker stopped before each repeat visit (and
 * floor visit), as when the agent opens the app after a while: the browser stops an idle
 * worker after about 30 s, so the bench's back-to-back visits otherwise find it running.
 */
const stoppedWorker = process.env.BENCH_PERF_STOPPED_WORKER === '1';
/** The floor's page: the form's two things the bench waits for and taps, and the choice kept as the app keeps it. */
const FLOOR_PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Plancher</title></head><body><form><fieldset><legend>Opérateur</legend>${['orange', 'sfr', 'bouygues', 'free'].map((operator) => `<label style="display:inline-block;padding:10px"><input type="radio" name="operator" value="${operator}">${operator}</label>`).join('')}</fieldset><button type="button">Enregistrer le relevé</button></form><script>addEventListener('change', (event) => localStorage.setItem('couverture.survey-choices', JSON.stringify({ operator: event.target.value })));</script></body></html>`;
/** Slow 3G as Lighthouse and DevTools define it: 400 kbit/s each way, 400 ms round trip. */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };

const workDir = await mkdtemp(join(tmpdir(), 'couverture-bench-perf-'));
try {
  const dist = join(workDir, 'dist');
  await buildProductionApp(dist);
  console.log(`\n${await precacheFigures(dist, await precachedFiles(dist))}`);

  console.log(`\nPerformance budgets: production build, headless Chromium (${CHROMIUM_NOTE}), server on loopback\n`);
  if (baselineDist !== undefined) {
    // The baseline build first, on a server and a phone of its own, then this one: the same
    // machine at nearly the same moment, so that the two read side by side despite the load.
    const baseline = await visits(baselineDist, `Baseline (${baselineDist}): `);
    try {
      if (!visitsOnly) await savesAndAcknowledgement(baseline, 'Baseline: ');
    } finally {
      await baseline.close();
    }
  }
  const { server, phone, agent, page, cdp, close } = await visits(dist, baselineDist === undefined ? '' : 'This build: ');
  try {
    // Steps 3–5 take minutes; BENCH_PERF_VISITS_ONLY=1 leaves them out.
    if (!visitsOnly) {
      await savesAndAcknowledgement({ server, phone, agent, page }, baselineDist === undefined ? '' : 'This build: ');
      await cdp.detach();
    }
  } finally {
    await close();
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

/**
 * Steps 1 and 2 on the build in `dist`, on a server and a phone of their own: the first visit
 * on slow 3G and the repeat visit offline, printed with `label` first. Returns the offline
 * page of step 2 (CPU ÷4 still on), for the steps that follow.
 */
async function visits(dist: string, label: string) {
  const { startServer, launchPhone, createUser, openSignedIn } = await import('../test/e2e/harness.ts');
  const server = await startServer({ staticDir: dist });
  const phone = await launchPhone();
  const close = async () => {
    await phone.close();
    await server.close();
  };
  try {
    const agent = await createUser(server);
    const { context } = phone;
    // Signed in once with network, then the app's code forgotten: the session (cookie and
    // IndexedDB) stays, the HTTP cache, Cache Storage and service worker go.
    const first = await openSignedIn(context, server.url, agent);
    const clearing = await context.newCDPSession(first);
    await clearing.send('Storage.clearDataForOrigin', { origin: server.url, storageTypes: 'service_workers,cache_storage' });
    await clearing.send('Network.clearBrowserCache');
    await clearing.detach();
    await first.close();

    // 1. First visit on slow 3G.
    let page = await context.newPage();
    let cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const scripts = countScriptBytes(cdp, dist);
    const { ms: firstTti, missed: firstMissed } = await timeToInteractive(page, cdp, `${server.url}/#releve`);
    const { beforeLoad, afterLoad } = scripts();
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(
      `${label}First visit, slow 3G (400 kbit/s, 400 ms RTT), CPU ÷${CPU_SLOWDOWN}: interactive after ${(firstTti / 1000).toFixed(2)} s${missedTaps(firstMissed)}; ` +
        `JavaScript transferred ${kb(beforeLoad.bytes + afterLoad.bytes)} in ${beforeLoad.count + afterLoad.count} scripts: ` +
        `${kb(beforeLoad.bytes)} in ${beforeLoad.count} before the load event, ${kb(afterLoad.bytes)} in ${afterLoad.count} after it ` +
        `(bytes on the wire, headers included; the same files uncompressed: ${kb(beforeLoad.uncompressed)} and ${kb(afterLoad.uncompressed)})`,
    );
    // The service worker installs on this visit; the repeat visit needs it in control.
    await waitInPage(page, 'navigator.serviceWorker.controller !== null');
    await cdp.detach();
    await page.close();

    // 2. Repeat visits offline; the last page stays open for the steps that follow.
    await context.setOffline(true);
    const repeatTtis: number[] = [];
    let repeatMissed = 0;
    for (let visit = 0; visit < REPEAT_VISITS; visit += 1) {
      if (visit > 0) {
        await cdp.detach();
        await page.close();
      }
      page = await context.newPage();
      cdp = await context.newCDPSession(page);
      if (stoppedWorker) await stopServiceWorkers(cdp);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      const { ms, missed } = await timeToInteractive(page, cdp, `${server.url}/#releve`);
      repeatTtis.push(ms);
      repeatMissed += missed;
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `${label}Repeat visit offline, from the service worker${stoppedWorker ? ' (stopped before each visit)' : ''}, CPU ÷${CPU_SLOWDOWN}: interactive after ${seconds(median(repeatTtis))}` +
        (REPEAT_VISITS > 1 ? ` (median of ${REPEAT_VISITS} visits: ${repeatTtis.map(seconds).join(', ')})` : '') +
        missedTaps(repeatMissed),
    );
    if (measureFloor) {
      const floor = await floorVisits(context, server.url);
      // The same machine at the same moment with no app: what is left is the app's own time,
      // which moves less with the machine's load than either median does.
      const appOwn = median(repeatTtis) - median(floor.ttis);
      console.log(`${label}${floor.line}; the app's own time above it: ${seconds(appOwn)}`);
    }
    return { server, phone, agent, page, cdp, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Steps 3–5 on the offline page that `visits` left (CPU ÷4 still on), each line printed with
 * `label` first: saves with 0 waiting (the baseline of the saves), N inserted and saves again,
 * the network back until all are acknowledged, then offline again with LONG_QUEUE more.
 */
async function savesAndAcknowledgement(
  { server, phone, agent, page }: Pick<Awaited<ReturnType<typeof visits>>, 'server' | 'phone' | 'agent' | 'page'>,
  label: string,
): Promise<void> {
  const { context } = phone;
  // 3. Tap « Enregistrer » → durable in IndexedDB, offline (a valley), CPU ÷4.
  console.log(
    `${label}Tap « Enregistrer » → reading in IndexedDB, offline, CPU ÷${CPU_SLOWDOWN}, 0 readings waiting (the baseline), ${await timedSaves(page, SAVES)}`,
  );

  // 4. N waiting readings → all acknowledged by the server. Saving with them waiting first:
  // a week offline in the valleys is when the outbox is longest.
  await page.evaluate(insertWaitingReadings(agent.id, waiting));
  console.log(`${label}The same with ${waiting.toLocaleString('en-US')} more readings waiting on the device, ${await timedSaves(page, SAVES_WITH_QUEUE)}`);
  const before = await pendingOnDevice(page);
  const start = performance.now();
  await context.setOffline(false);
  let left = before;
  while (left > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await pendingOnDevice(page);
    if (performance.now() - start > 600_000) throw new Error(`${left} readings still waiting after 10 minutes`);
  }
  const seconds = (performance.now() - start) / 1000;
  const stored = (await server.store.query({ limit: 1_000_000 })).readings.length;
  console.log(
    `${label}${before.toLocaleString('en-US')} waiting readings (${waiting.toLocaleString('en-US')} inserted + ${SAVES + SAVES_WITH_QUEUE} saved) → all acknowledged: ` +
      `${seconds.toFixed(1)} s after the network returned (loopback, CPU ÷${CPU_SLOWDOWN}); server holds ${stored.toLocaleString('en-US')}` +
      (baselineDist === undefined
        ? ' (issue 19: 10.0 s for 5,070 on a loaded machine, 2.3 s quiet; BENCH_PERF_BASELINE_DIST times a build before a change in the same run)'
        : ''),
  );
  if (stored !== before) throw new Error(`The server holds ${stored} readings, the device sent ${before}`);

  // 5. The outbox at its longest: offline again, LONG_QUEUE readings waiting.
  await context.setOffline(true);
  await page.evaluate(insertWaitingReadings(agent.id, LONG_QUEUE));
  console.log(`${label}The same with ${LONG_QUEUE.toLocaleString('en-US')} readings waiting on the device, ${await timedSaves(page, SAVES_WITH_QUEUE)}`);
  console.log();
}

/**
 * Opens `url` and returns the milliseconds from navigation start until the save button is
 * enabled and a tap on an operator has been handled, read in the page, and how many taps
 * missed. The tap is a finger's (Input.dispatchTouchEvent on an operator not chosen yet,
 * through `cdp`), sent the moment the button is enabled; handled means the app took it: its
 * change handler ran and its re-render after it too (the radio checked, the survey's choices
 * kept with that operator), read in a task queued by the change event. A tap whose click lands
 * elsewhere (the screen moved under the finger) is a miss: the bench taps again, and the time
 * runs on. Playwright's click before it (locator, actionability checks, each a round trip to
 * a page at CPU ÷4) added ~160 ms of the bench's own.
 */
async function timeToInteractive(page: Page, cdp: CDPSession, url: string): Promise<{ ms: number; missed: number }> {
  await page.goto(url, { waitUntil: 'commit', timeout: 300_000 });
  for (let missed = 0; missed < 5; missed += 1) {
    const target = (await page.evaluate(tapTargetWhenEnabled())) as { x: number; y: number } | { error: string };
    if ('error' in target) throw new Error(target.error);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: target.x, y: target.y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const tap = (await page.evaluate('window.__benchTap')) as { handledAt: number } | { missed: string } | { error: string };
    if ('error' in tap) throw new Error(tap.error);
    if ('handledAt' in tap) return { ms: tap.handledAt, missed };
  }
  throw new Error('Five taps on an operator missed: the survey screen kept moving under the finger');
}

/**
 * REPEAT_VISITS offline visits timed as step 2's, with every cached copy of index.html
 * swapped for FLOOR_PAGE (its headers dropped, so that the page's inline script runs), then put
 * back as it was. Returns the line to print and the visits' times.
 */
async function floorVisits(context: BrowserContext, url: string): Promise<{ line: string; ttis: number[] }> {
  // Every copy of the page the service worker or the browser may answer with: Workbox's
  // precache (`/index.html?__WB_REVISION__=…`) and, where the worker declared static routes,
  // the shell cache's `/` (service-worker/static-routes.ts).
  const swap = (html: string | null) => `(async () => {
    let swapped = 0;
    window.__benchKept ??= {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname;
        if (!path.endsWith('/index.html') && !(name.startsWith('shell-') && path === '/')) continue;
        const key = name + ' ' + request.url;
        const kept = await cache.match(request);
        if (!window.__benchKept[key]) window.__benchKept[key] = { body: await kept.clone().text(), headers: [...kept.headers] };
        await cache.put(request, ${html === null ? 'new Response(window.__benchKept[key].body, { headers: window.__benchKept[key].headers })' : `new Response(${JSON.stringify(html)}, { headers: { 'content-type': 'text/html; charset=utf-8' } })`});
        swapped += 1;
      }
    }
    return swapped > 0;
  })()`;
  const page = await context.newPage();
  await page.goto(`${url}/#releve`);
  if (!(await page.evaluate(swap(FLOOR_PAGE)))) throw new Error('No index.html in the service worker’s caches');
  const ttis: number[] = [];
  try {
    for (let visit = 0; visit < REPEAT_VISITS; visit += 1) {
      const floor = await context.newPage();
      const cdp = await context.newCDPSession(floor);
      if (stoppedWorker) await stopServiceWorkers(cdp);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      ttis.push((await timeToInteractive(floor, cdp, `${url}/#releve`)).ms);
      await cdp.detach();
      await floor.close();
    }
  } finally {
    await page.evaluate(swap(null));
    await page.close();
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return {
    line: `Floor, the same repeat visit on a page with no app: interactive after ${seconds(median(ttis))} (median of ${ttis.length}: ${ttis.map(seconds).join(', ')})`,
    ttis,
  };
}

/** Stops every service worker of the browser (BENCH_PERF_STOPPED_WORKER), through `cdp`. */
async function stopServiceWorkers(cdp: CDPSession): Promise<void> {
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.send('ServiceWorker.disable');
}

/** Taps that missed because the screen moved under the finger, said only when there were some. */
function missedTaps(missed: number): string {
  return missed === 0 ? '' : ` (${missed} tap${missed > 1 ? 's' : ''} on an operator missed: the screen moved under the finger)`;
}

/**
 * A page script that resolves once « Enregistrer le relevé » is enabled (watched by a
 * MutationObserver, not polled) with the middle of the first operator not chosen yet (a tap
 * on an operator already chosen changes nothing), or with an error after 120 s, and leaves
 * `window.__benchTap`: a promise of the time the app handled that tap, of a miss (the tap's
 * click landed outside that operator), or of why neither happened within 5 s.
 */
function tapTargetWhenEnabled(): string {
  return `new Promise((resolve) => {
  const target = () => {
    if (!(${SAVE_ENABLED})) return undefined;
    const group = [...document.querySelectorAll('fieldset')].find((fieldset) => fieldset.querySelector('legend')?.textContent.trim().startsWith('Opérateur'));
    const input = group && [...group.querySelectorAll('input[type=radio]')].find((radio) => !radio.checked);
    if (!input) return undefined;
    const label = input.closest('label');
    let box = label.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) {
      label.scrollIntoView({ block: 'center' });
      box = label.getBoundingClientRect();
    }
    window.__benchTap = new Promise((settle) => {
      setTimeout(() => settle({ error: 'The bench tapped « ' + label.textContent.trim() + ' » and nothing came of it within 5 s' }), 5000);
      addEventListener('click', (event) => {
        if (!label.contains(event.target)) settle({ missed: event.target.outerHTML.slice(0, 80) });
      }, { capture: true, once: true });
      input.addEventListener('change', () => setTimeout(() => {
        const kept = JSON.parse(localStorage.getItem('couverture.survey-choices') ?? '{}').operator;
        if (input.checked && kept === input.value) settle({ handledAt: performance.now() });
      }), { once: true });
    });
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  };
  setTimeout(() => resolve({ error: '« Enregistrer le relevé » still not enabled after 120 s' }), 120000);
  const now = target();
  if (now) return resolve(now);
  const watch = new MutationObserver(() => {
    const found = target();
    if (found) {
      watch.disconnect();
      resolve(found);
    }
  });
  watch.observe(document, { subtree: true, childList: true, attributes: true });
})`;
}

/**
 * Resolves with the first truthy value of the page expression `condition`, checked every
 * 10 ms in the page. Playwright's waitForFunction evaluates string predicates with eval,
 * which the app's Content-Security-Policy forbids; page.evaluate goes through the protocol.
 */
function waitInPage(page: Page, condition: string): Promise<unknown> {
  return page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const value = (${condition});
      if (value) resolve(value);
      else setTimeout(check, 10);
    };
    check();
  })`);
}

/**
 * `count` readings through the survey screen: median, p95 and max of tap → durable, twice: by
 * the app's own mark (READING_DURABLE_MARK, set once its write has committed; « – » on a build
 * from before it) and by the bench's reader in the page, whose own cost shows as the gap.
 */
async function timedSaves(page: Page, count: number): Promise<string> {
  // The reader's connection, opened once before the first tap and kept for the run: opening
  // one after each tap timed the bench, not the app.
  await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('couverture');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      window.__benchReader = open.result;
      window.__benchReader.onversionchange = () => window.__benchReader.close();
      resolve();
    };
  })`);
  const byMark: number[] = [];
  const byReader: number[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const { mark, reader } = await timedSave(page, i);
      if (mark !== null) byMark.push(mark);
      byReader.push(reader);
    }
  } finally {
    await page.evaluate('window.__benchReader.close()');
  }
  const figures = (times: number[]) => {
    if (times.length === 0) return '–';
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
  };
  return (
    `${count} saves: by the app's own mark (write committed) ${figures(byMark)}` +
    (byMark.length > 0 && byMark.length < count ? ` (${byMark.length} of ${count} marked)` : '') +
    `; by the bench's reader in the page ${figures(byReader)}`
  );
}

/**
 * One reading through the survey screen: the milliseconds from the tap until the app marked
 * its write committed (null on a build without the mark), and until the bench's reader read it.
 */
async function timedSave(page: Page, i: number): Promise<{ mark: number | null; reader: number }> {
  const operators = ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile'];
  await page
    .getByRole('group', { name: 'Opérateur' })
    .getByText(operators[i % 4]!, { exact: true })
    .click();
  await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
  await page
    .getByRole('group', { name: 'Barres de réseau' })
    .getByText(String(i % 5), { exact: true })
    .click();
  const before = await pendingOnDevice(page);
  // Tapped once the screen has caught up with the previous save (the sync bar counts the
  // readings waiting), as an agent who walks between readings does.
  const counted = before === 0 ? 'Aucun relevé' : before === 1 ? '1 relevé' : `${before} relevés`;
  await waitInPage(page, `document.querySelector('.pending-count')?.textContent.startsWith(${JSON.stringify(counted)})`);
  // The tap's time is taken in the page, by a listener that runs before the app's own. The
  // reader starts as the click comes back up to window, after the app's handlers and the
  // microtasks they queued: a read transaction started then is ordered after a write the app
  // started synchronously on the tap, so it answers once that write has committed, for one
  // index lookup on the kept connection. A write started later (a build that saves on the
  // form's submit event, after the click) is polled for.
  await page.evaluate(`(() => {
    window.__tap = undefined;
    window.__readerSaw = new Promise((resolve, reject) => {
      addEventListener('click', (event) => {
        if (event.target.closest('button[type=submit]')) window.__tap = { at: performance.now(), wall: Date.now() };
      }, { capture: true, once: true });
      addEventListener('click', () => {
        // Saved (savedAt, Date.now() when stored) at the tap or after: this save's record.
        const since = IDBKeyRange.lowerBound(window.__tap.wall);
        const poll = () => {
          const request = window.__benchReader.transaction('outbox').objectStore('outbox').index('bySavedAt').getKey(since);
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            if (request.result !== undefined) resolve(performance.now() - window.__tap.at);
            else poll();
          };
        };
        poll();
      }, { once: true });
    });
  })()`);
  await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
  const reader = (await page.evaluate('window.__readerSaw')) as number;
  await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).waitFor();
  await waitInPage(page, SAVE_ENABLED);
  const mark = (await page.evaluate(`(() => {
    const mark = performance.getEntriesByName(${JSON.stringify(READING_DURABLE_MARK)}).at(-1);
    return mark && mark.startTime >= window.__tap.at ? mark.startTime - window.__tap.at : null;
  })()`)) as number | null;
  return { mark, reader };
}

/** Readings still pending in the device's outbox (index byStateAndSavedAt, src/store/db.ts). */
function pendingOnDevice(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('couverture');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const range = IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]);
      const request = open.result.transaction('outbox').objectStore('outbox').index('byStateAndSavedAt').count(range);
      request.onsuccess = () => { open.result.close(); resolve(request.result); };
    };
  })`) as Promise<number>;
}

/**
 * A page script writing `count` valid readings into the outbox, as the app stores them
 * (src/store/outbox.ts addReading), recorded by `accountId`, in one transaction, then
 * telling the pages so, as an import does.
 */
function insertWaitingReadings(accountId: string, count: number): string {
  return `new Promise((resolve, reject) => {
    const open = indexedDB.open('couverture');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('outbox', 'readwrite');
      const store = tx.objectStore('outbox');
      const operators = ['orange', 'sfr', 'bouygues', 'free'];
      const start = Date.now() - ${count} * 1000;
      for (let i = 0; i < ${count}; i += 1) {
        const reading = {
          id: crypto.randomUUID(),
          recordedAt: new Date(start + i * 1000).toISOString(),
          lat: 43.7339 + (i % 100) * 0.0001,
          lon: 3.5494 + Math.floor(i / 100) * 0.0001,
          accuracyM: 12,
          operator: operators[i % 4],
          technology: '4G',
          signalBars: i % 5,
          setting: 'outdoor',
          voice: 'not-tested',
          sms: 'not-tested',
          source: 'agent',
        };
        store.add({ id: reading.id, reading, state: 'pending', savedAt: start + i * 1000, measuredAt: start + i * 1000, recordedBy: ${JSON.stringify(accountId)} });
      }
      tx.oncomplete = () => {
        open.result.close();
        // As an import does (src/app/files/run-import.ts): every page re-reads the outbox.
        const channel = new BroadcastChannel('couverture-sync');
        channel.postMessage({ type: 'outbox-changed' });
        channel.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  })`;
}

/** Scripts counted by countScriptBytes: bytes on the wire (headers included), their number, the same files as built. */
interface ScriptBytes {
  bytes: number;
  count: number;
  uncompressed: number;
}

/**
 * Counts the bytes on the wire (headers included) of every script response the page
 * receives, and the size of the same files in `dist` as built (uncompressed): those the page
 * asked for before its load event (what the first screen needs), and those after it (the
 * service worker's registration, the page's first send).
 */
function countScriptBytes(cdp: CDPSession, dist: string): () => { beforeLoad: ScriptBytes; afterLoad: ScriptBytes } {
  const scripts = new Map<string, { path: string; requestedAt: number }>();
  const requestedAt = new Map<string, number>();
  let loadAt = Number.POSITIVE_INFINITY;
  const beforeLoad: ScriptBytes = { bytes: 0, count: 0, uncompressed: 0 };
  const afterLoad: ScriptBytes = { bytes: 0, count: 0, uncompressed: 0 };
  void cdp.send('Page.enable');
  cdp.on('Page.loadEventFired', (event) => {
    loadAt = Math.min(loadAt, event.timestamp);
  });
  cdp.on('Network.requestWillBeSent', (event) => {
    requestedAt.set(event.requestId, event.timestamp);
  });
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script')
      scripts.set(event.requestId, { path: new URL(event.response.url).pathname, requestedAt: requestedAt.get(event.requestId) ?? 0 });
  });
  cdp.on('Network.loadingFinished', (event) => {
    const script = scripts.get(event.requestId);
    if (script === undefined) return;
    const sum = script.requestedAt < loadAt ? beforeLoad : afterLoad;
    sum.bytes += event.encodedDataLength;
    sum.uncompressed += statSync(join(dist, script.path)).size;
    sum.count += 1;
  });
  return () => ({ beforeLoad, afterLoad });
}
