import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { UPLOAD_TIMEOUT_MS } from '../../src/sync/upload.ts';
import {
  createUser,
  deviceReadingIds,
  launchPhone,
  openSignedIn,
  signInThroughPage,
  syncBar,
  tapSendNowIfOffered,
  type Phone,
  type TestServer,
  type TestUser,
} from '../e2e/harness.ts';
import { E2E_DIST } from '../e2e/paths.ts';
import { deviceStates, makeReadings, seedOutbox, sentTimes, setUploadTimeout, shiftWorkerClock } from './device.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

/**
 * The fault matrix (issue 7): each scenario starts with readings waiting on the device, puts
 * a fault between the phone and the server, recovers, and counts on the server each reading
 * stored exactly once and none missing. FAULT_SIZE=full (npm run test:faults) runs the big
 * queues; otherwise each scenario runs a queue just large enough to span the batches its
 * fault needs (the server takes 500 readings per request), to keep `npm test` short.
 */
const FULL = process.env.FAULT_SIZE === 'full';
const size = (small: number, full = 5000) => (FULL ? full : small);
const DRAIN_TIMEOUT_MS = FULL ? 240_000 : 60_000;
const HOURS = 60 * 60 * 1000;
/**
 * How long the phone waits for an answer in the scenario whose request never gets one: the
 * app's own 30 s (UPLOAD_TIMEOUT_MS) would be half of `npm test`'s fault run. Long enough
 * for any answered batch of 500 on a loaded machine.
 */
const HUNG_UPLOAD_TIMEOUT_MS = 5_000;
/** Less than one reading takes in IndexedDB (about 1 KB with its indexes). */
const STORAGE_ROOM_LEFT = 200;

interface Row {
  scenario: string;
  waiting: number;
  storedOnce: number;
  lost: number;
  duplicated: number;
  refused: number;
  resent: number;
  drainS: string;
}
const rows: Row[] = [];

interface Day {
  server: FaultServer;
  phone: Phone;
  agent: TestUser;
  page: Page;
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server, a phone with the app installed and the agent signed in. */
async function fieldDay({ staticDir }: { staticDir?: string } = {}): Promise<Day> {
  const server = await startFaultServer(staticDir === undefined ? {} : { staticDir });
  cleanups.push(() => server.close());
  const phone = await launchPhone();
  cleanups.push(() => phone.close());
  // createUser only uses the app's account hook, which the fault server's app has too.
  const agent = await createUser(server as unknown as TestServer);
  const page = await openSignedIn(phone.context, server.url, agent);
  return { server, phone, agent, page };
}

/** Readings waiting on the device, written straight into its outbox; the page reloads to see them. */
async function waiting(day: Day, count: number, options: { clockOffsetMs?: number; invalidEvery?: number } = {}) {
  const made = makeReadings(count, options);
  await seedOutbox(day.page, made.readings, day.agent.id, options);
  return made;
}

async function drained(page: Page): Promise<void> {
  await expect
    .poll(async () => (await deviceStates(page)).pending, { timeout: DRAIN_TIMEOUT_MS, interval: 250, message: 'every waiting reading leaves the device' })
    .toBe(0);
}

/** Waits for a held POST (FaultServer.holdPost) to reach the server. */
async function reachedWithin(post: { reached: Promise<void> }, timeout: number): Promise<void> {
  let reached = false;
  void post.reached.then(() => (reached = true));
  await expect.poll(() => reached, { timeout, message: 'a batch reaches the server' }).toBe(true);
}

/** The agent taps « Envoyer maintenant » if offered (harness.ts); the caller's drained() waits for the recovery. */
const tapSendNow = tapSendNowIfOffered;

async function failureShown(page: Page, text: RegExp = /Échec du dernier essai/): Promise<void> {
  await syncBar(page).getByText(text).waitFor({ timeout: 45_000 });
}

/**
 * The agent fills the survey screen and taps « Enregistrer »; resolves to where the screen
 * says how the save went, without waiting for it to succeed.
 */
async function tapSaveReading(page: Page) {
  await page.getByRole('link', { name: 'Relevé', exact: true }).click();
  await page.getByText('Précision').waitFor();
  await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
  await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
  await page.getByRole('group', { name: 'Barres de réseau' }).getByText('1', { exact: true }).click();
  await page.getByRole('button', { name: /Enregistrer/ }).click();
  return page.getByRole('status');
}

/** Counts on the server, records the table's row, and fails the scenario on any loss or double. */
async function account(scenario: string, day: Day, readings: Pick<Reading, 'id'>[], invalidIds: Set<string>, startedAt: number): Promise<void> {
  const drainS = ((performance.now() - startedAt) / 1000).toFixed(1);
  const stored = (await day.server.storedReadings()).map((reading) => reading.id);
  const times = new Map<string, number>();
  for (const id of stored) times.set(id, (times.get(id) ?? 0) + 1);
  const valid = readings.filter((reading) => !invalidIds.has(reading.id)).map((reading) => reading.id);
  const storedOnce = valid.filter((id) => times.get(id) === 1).length;
  const lost = valid.filter((id) => !times.has(id)).length;
  // Stored twice, or stored at all when the server had to refuse it.
  const duplicated = [...times.values()].filter((n) => n > 1).length + stored.filter((id) => invalidIds.has(id)).length;
  const resent = day.server.postedIds.length - new Set(day.server.postedIds).size;
  const states = await deviceStates(day.page);
  const row = { scenario, waiting: readings.length, storedOnce, lost, duplicated, refused: states.refused, resent, drainS };
  rows.push(row);
  // Also one line per scenario as it ends, so that a long run shows its figures as it goes.
  console.log(`fault row: ${JSON.stringify(row)}`);

  expect({ lost, duplicated, storedOnce }).toEqual({ lost: 0, duplicated: 0, storedOnce: valid.length });
  expect(stored).toHaveLength(valid.length);
  // The device agrees: what the server holds is marked sent, what it refused is shown refused.
  expect(states.sent).toBe(valid.length);
  expect(states.refusedIds.sort()).toEqual([...invalidIds].sort());
}

afterAll(() => {
  if (rows.length === 0) return;
  const header = ['scenario', 'waiting', 'stored once', 'lost', 'duplicated', 'refused', 'posted again', 'time to drain (s)'];
  const lines = rows.map((row) => [row.scenario, row.waiting, row.storedOnce, row.lost, row.duplicated, row.refused, row.resent, row.drainS].map(String));
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  console.log(
    ['', `Fault matrix (FAULT_SIZE=${FULL ? 'full' : 'small'})`, format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format), ''].join(
      '\n',
    ),
  );
});

describe('fault matrix: every waiting reading stored once, none lost', () => {
  it('long offline, then back', async () => {
    const day = await fieldDay();
    await day.phone.context.setOffline(true);
    const { readings, invalidIds } = await waiting(day, size(200));
    // Days later the app is reopened, still without network, then the network returns.
    day.server.unreachable = true;
    const context = await day.phone.restart({ offline: true });
    day.page = await context.newPage();
    await day.page.goto(day.server.url);
    await syncBar(day.page).getByText(`${readings.length} relevés en attente`).waitFor();
    expect(await day.server.storedReadings()).toEqual([]);

    const startedAt = performance.now();
    day.server.unreachable = false;
    await context.setOffline(false);
    await drained(day.page);
    await account('long offline then back', day, readings, invalidIds, startedAt);
  });

  it('browser killed in the middle of an upload, then reopened', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(1200));
    const second = day.server.holdPost(2);
    const startedAt = performance.now();
    await day.page.reload();
    await second.reached;
    // Killed while its second batch is on the wire; the server still stores that batch.
    const context = await day.phone.restart();
    second.release();
    day.page = await context.newPage();
    await day.page.goto(day.server.url);
    await drained(day.page);
    await account('browser killed mid-upload', day, readings, invalidIds, startedAt);
  });

  it('server killed and restarted in the middle of a batch', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(1200));
    const second = day.server.holdPost(2);
    const startedAt = performance.now();
    await day.page.reload();
    await second.reached;
    await day.server.restart();
    await failureShown(day.page);
    // The app tries again by itself (its backoff timer; this phone has no Background Sync).
    await drained(day.page);
    await account('server killed mid-batch', day, readings, invalidIds, startedAt);
  });

  it('server commits a batch, then the connection drops before the answer', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(600));
    day.server.fault = { kind: 'commit-then-drop' };
    const startedAt = performance.now();
    await day.page.reload();
    await failureShown(day.page);
    expect((await day.server.storedReadings()).length).toBeGreaterThan(0);
    day.server.fault = undefined;
    await tapSendNow(day.page);
    await drained(day.page);
    // The retried batch was answered as duplicates: re-sent, yet stored once.
    expect(day.server.postedIds.length).toBeGreaterThan(new Set(day.server.postedIds).size);
    await account('commit then connection dropped', day, readings, invalidIds, startedAt);
  });

  const statusFaults: { name: string; fault: FaultServer['fault']; shown: RegExp }[] = [
    { name: '500', fault: { kind: 'status', status: 500 }, shown: /indisponible \(500/ },
    {
      name: '502 with an HTML body',
      fault: { kind: 'status', status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>' },
      shown: /indisponible \(502/,
    },
    {
      name: '503 with Retry-After',
      fault: { kind: 'status', status: 503, headers: { 'retry-after': '2' }, body: '{"error":"Maintenance"}', contentType: 'application/json' },
      shown: /indisponible \(503/,
    },
    { name: 'captive portal: 302 to another origin', fault: { kind: 'portal-redirect' }, shown: /Échec du dernier essai/ },
    { name: 'captive portal: HTML page, status 200', fault: { kind: 'portal-page' }, shown: /Réponse du serveur illisible/ },
  ];
  for (const { name, fault, shown } of statusFaults) {
    it(name, async () => {
      const day = await fieldDay();
      const { readings, invalidIds } = await waiting(day, size(300));
      day.server.fault = fault;
      const startedAt = performance.now();
      await day.page.reload();
      await failureShown(day.page, shown);
      expect(await day.server.storedReadings()).toEqual([]);
      expect((await deviceStates(day.page)).pending).toBe(readings.length);
      day.server.fault = undefined;
      // After a 503 the app's own timer retries (backoff from 5 s); elsewhere the agent taps.
      if (fault?.kind !== 'status' || fault.status !== 503) await tapSendNow(day.page);
      await drained(day.page);
      await account(name, day, readings, invalidIds, startedAt);
    });
  }

  it('a request that never gets an answer', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(300));
    day.server.fault = { kind: 'hang' };
    // The service worker's support setting (service-worker/upload-timeout.ts), read at each send.
    await setUploadTimeout(day.page, HUNG_UPLOAD_TIMEOUT_MS);
    const startedAt = performance.now();
    await day.page.reload();
    // The phone gives up on its own, by its timeout.
    await failureShown(day.page, /délai dépassé/);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(HUNG_UPLOAD_TIMEOUT_MS);
    expect(performance.now() - startedAt, 'the shorter timeout was taken').toBeLessThan(UPLOAD_TIMEOUT_MS);
    expect(await day.server.storedReadings()).toEqual([]);
    day.server.fault = undefined;
    await tapSendNow(day.page);
    await drained(day.page);
    await account('timeout, never answered', day, readings, invalidIds, startedAt);
  });

  it('network flapping during a long upload', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(2000));
    const startedAt = performance.now();
    // Each time a batch reaches the server, the network drops before the server answers, then
    // returns. The batch is held at the server until the phone is offline, and the next one is
    // held before this one goes: left free, the next batches could reach the server during
    // the flap, unseen, and the last flap would wait for a batch nothing needs any more.
    let batch = day.server.holdPost(1);
    await day.page.reload();
    for (let flap = 0; flap < 3; flap += 1) {
      await reachedWithin(batch, 30_000);
      day.server.unreachable = true;
      await day.phone.context.setOffline(true);
      const held = batch;
      if (flap < 2) batch = day.server.holdPost(1);
      held.release();
      day.server.unreachable = false;
      await day.phone.context.setOffline(false);
    }
    await drained(day.page);
    await account('network flapping', day, readings, invalidIds, startedAt);
  });

  it('a new app version activated while readings wait', async () => {
    const staticDir = await mkdtemp(join(tmpdir(), 'couverture-faults-dist-'));
    cleanups.push(() => rm(staticDir, { recursive: true, force: true }));
    await cp(E2E_DIST, staticDir, { recursive: true });
    const day = await fieldDay({ staticDir });
    const { readings, invalidIds } = await waiting(day, size(300));
    day.server.fault = { kind: 'status', status: 503 };
    await day.page.reload();
    await failureShown(day.page, /indisponible \(503/);

    await appendFile(join(staticDir, 'sw.js'), '\nself.faultBuild = 2;\n');
    await day.page.reload();
    const update = day.page.getByRole('alert').filter({ hasText: 'Une nouvelle version de Couverture est prête.' });
    await update.getByRole('button', { name: 'Mettre à jour' }).click();
    await update.waitFor({ state: 'detached' });
    await expect
      .poll(() =>
        Promise.all(
          day.phone.context.serviceWorkers().map((worker) => worker.evaluate(() => (self as { faultBuild?: number }).faultBuild).catch(() => undefined)),
        ),
      )
      .toContain(2);
    expect((await deviceStates(day.page)).pending).toBe(readings.length);

    const startedAt = performance.now();
    day.server.fault = undefined;
    await tapSendNow(day.page);
    await drained(day.page);
    await account('new service worker activated', day, readings, invalidIds, startedAt);
  });

  it('two tabs and the service worker all sending', async () => {
    const day = await fieldDay();
    await day.phone.context.setOffline(true);
    const { readings, invalidIds } = await waiting(day, size(1200));
    const other = await day.phone.context.newPage();
    await other.goto(day.server.url);
    await day.page.reload();
    await Promise.all([day.page, other].map((tab) => syncBar(tab).getByText(`${readings.length} relevés en attente`).waitFor()));
    const first = day.server.holdPost(1);
    const startedAt = performance.now();
    // Back online: both tabs' `online` handlers ask the service worker for a send together.
    await day.phone.context.setOffline(false);
    await first.reached;
    first.release();
    await drained(day.page);
    await Promise.all([day.page, other].map((tab) => syncBar(tab).getByText('Aucun relevé en attente').waitFor()));
    // Single-flight: no reading went out twice.
    expect(day.server.postedIds.length).toBe(new Set(day.server.postedIds).size);
    await account('two tabs + service worker', day, readings, invalidIds, startedAt);
  });

  it('the session expires in the middle of an upload', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(1200));
    const second = day.server.holdPost(2);
    const startedAt = performance.now();
    await day.page.reload();
    await second.reached;
    await day.server.app.accounts.revokeSessions(day.agent.id);
    second.release();
    await day.page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect((await deviceStates(day.page)).pending).toBeGreaterThan(0);
    await signInThroughPage(day.page, day.agent);
    await drained(day.page);
    await account('session expired mid-upload', day, readings, invalidIds, startedAt);
  });

  it('storage nearly full on the device', async () => {
    const day = await fieldDay();
    // In a valley with no network: the readings wait on the phone.
    await day.phone.context.setOffline(true);
    const { readings, invalidIds } = await waiting(day, size(300));
    day.server.unreachable = true;
    // The phone is reopened with less room left for the app than one more reading needs.
    // Chromium's IndexedDB trusts the room it last asked the quota manager about for up to
    // 30 s, so an override set while the app's database is open goes unseen by small writes:
    // it is set in a fresh browser, before the app opens its database.
    const context = await day.phone.restart({ offline: true });
    day.page = await context.newPage();
    const devtools = await context.newCDPSession(day.page);
    const origin = day.server.url;
    const { usage } = await devtools.send('Storage.getUsageAndQuota', { origin });
    await devtools.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + STORAGE_ROOM_LEFT });
    await day.page.goto(origin);
    await syncBar(day.page).getByText(`${readings.length} relevés en attente`).waitFor();

    const saveStatus = await tapSaveReading(day.page);
    await saveStatus.filter({ hasText: 'Le relevé n’a pas pu être enregistré sur l’appareil : la mémoire du téléphone est pleine.' }).waitFor();
    // Nothing already stored was touched, and the failed reading is nowhere.
    const full = await deviceStates(day.page);
    expect(full.pending).toBe(readings.length);
    expect((await deviceReadingIds(day.page)).sort()).toEqual(readings.map((reading) => reading.id).sort());
    await syncBar(day.page).getByText(`${readings.length} relevés en attente`).waitFor();

    // Room is made (the override lifted): the same reading saves, then everything leaves.
    await devtools.send('Storage.overrideQuotaForOrigin', { origin });
    await day.page.getByRole('button', { name: /Enregistrer/ }).click();
    await saveStatus.filter({ hasText: 'Relevé enregistré' }).waitFor();
    const saved = (await deviceReadingIds(day.page)).filter((id) => !readings.some((reading) => reading.id === id));
    expect(saved).toHaveLength(1);

    const startedAt = performance.now();
    day.server.unreachable = false;
    await context.setOffline(false);
    await drained(day.page);
    await account('storage nearly full', day, [...readings, { id: saved[0]! }], invalidIds, startedAt);
  });

  it('the device clock is hours ahead', async () => {
    const day = await fieldDay();
    const clockOffsetMs = 5 * HOURS;
    await day.phone.context.clock.install({ time: Date.now() + clockOffsetMs });
    await shiftWorkerClock(day.phone.context, clockOffsetMs);
    const { readings, invalidIds } = await waiting(day, size(300), { clockOffsetMs });
    const startedAt = performance.now();
    await day.page.reload();
    await drained(day.page);
    // The service worker sent them and stamped them by the phone's clock, the page's.
    const sentAt = await sentTimes(day.page);
    expect(sentAt).toHaveLength(readings.length);
    expect(Math.min(...sentAt)).toBeGreaterThan(Date.now() + clockOffsetMs - 10 * 60_000);
    await account('device clock 5 h ahead', day, readings, invalidIds, startedAt);
  });

  it('invalid readings mixed into a large queue', async () => {
    const day = await fieldDay();
    const { readings, invalidIds } = await waiting(day, size(1200), { invalidEvery: 7 });
    const startedAt = performance.now();
    await day.page.reload();
    await drained(day.page);
    await account('invalid readings mixed in', day, readings, invalidIds, startedAt);
  });
});
