import type { BrowserContext, Page, Worker } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FLUSH_LOCK } from '../../src/sync/lock.ts';
import { SYNC_TAG } from '../../src/sync/protocol.ts';
import { deviceReadingIds, openSignedIn, recordReading, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';
import { deviceStates, shiftWorkerClock } from '../faults/device.ts';

/** Longer than the browser takes to fire the sync event once the network is back (about 0.2 s here). */
const SYNC_FIRED_TIMEOUT_MS = 15_000;

/** The Background Sync tags waiting or firing: the tag leaves once a sync event ends without failing. */
function syncTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync: { getTags(): Promise<string[]> } };
    return registration.sync.getTags();
  });
}

/**
 * The flushes the service worker runs or waits to run: its requests of the flush lock, held
 * or queued (the pages' own requests of it left out).
 */
function workerFlushes(worker: Worker, lockName: string): Promise<number> {
  return worker.evaluate(async (name) => {
    const scope = self as unknown as { clients: { matchAll(options: { includeUncontrolled: boolean }): Promise<{ id: string }[]> } };
    const pages = new Set((await scope.clients.matchAll({ includeUncontrolled: true })).map((client) => client.id));
    const { held = [], pending = [] } = await navigator.locks.query();
    return [...held, ...pending].filter((lock) => lock.name === name && !pages.has(lock.clientId ?? '')).length;
  }, lockName);
}

interface SyncLog {
  /** How each sync event ended, in order: `succeeded` (the browser forgets the tag) or `failed` (it fires again later). */
  endings: string[];
  /** Fires the sync event now, as the browser does when it tries again (DevTools' « Background services »). */
  fireAgain(): Promise<void>;
}

/**
 * The browser's own record of Background Sync (DevTools' « Background services »), read
 * through a blank page's DevTools session: no page of the app needs to be open.
 */
async function watchBackgroundSync(context: BrowserContext): Promise<SyncLog> {
  const devtools = await context.newCDPSession(await context.newPage());
  const endings: string[] = [];
  let registration: { origin: string; registrationId: string } | undefined;
  devtools.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: event }) => {
    registration = { origin: event.origin, registrationId: event.serviceWorkerRegistrationId };
    // Chromium 156 names them so; a failed one says when the next try comes (« Next Attempt Delay (ms) »: 300000).
    if (event.eventName === 'Sync completed') endings.push(event.eventMetadata.find((entry) => entry.key === 'Status')?.value ?? '?');
    if (event.eventName === 'sync event failed') endings.push('failed');
  });
  await devtools.send('ServiceWorker.enable');
  await devtools.send('BackgroundService.startObserving', { service: 'backgroundSync' });
  await devtools.send('BackgroundService.setRecording', { shouldRecord: true, service: 'backgroundSync' });
  return {
    endings,
    async fireAgain() {
      if (!registration) throw new Error('no Background Sync seen yet');
      await devtools.send('ServiceWorker.dispatchSyncEvent', { ...registration, tag: SYNC_TAG, lastChance: false });
    },
  };
}

async function storedIds(server: TestServer): Promise<string[]> {
  return (await server.storedReadings()).map((reading) => reading.id).sort();
}

// The phone of an agent on Chrome for Android, which lets the site use Background Sync: the
// service worker sends what waits when the network returns, with or without a page open.
// Without the worker's `sync` handler (service-worker/sw.ts) each test fails.
describe('Background Sync', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day), { backgroundSync: true });

  it('sends readings recorded offline once the network returns, every page of the app closed', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const operator of ['Orange', 'SFR', 'Free Mobile']) await recordReading(page, { operator });
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();
    expect(await syncTags(page)).toEqual([SYNC_TAG]);

    // The agent closes the app: no page is left to hear the network come back.
    await page.close();
    expect(phone.context.pages()).toEqual([]);
    expect(await storedIds(server)).toEqual([]);

    await phone.context.setOffline(false);
    await expect.poll(() => storedIds(server), { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'the sync event sent every reading' }).toEqual(recorded);
    expect([...server.postedIds].sort()).toEqual(recorded);

    // Opened again, the app shows them sent, and sends none of them again.
    const reopened = await phone.context.newPage();
    await reopened.goto(server.url);
    await syncBar(reopened).getByText('Aucun relevé en attente').waitFor();
    expect(await deviceStates(reopened)).toMatchObject({ pending: 0, sent: 3, refused: 0 });
    expect(await syncTags(reopened)).toEqual([]);
    await reopened.getByRole('link', { name: 'Relevés', exact: true }).click();
    await eventually(() => reopened.locator('[data-state="sent"]').count()).toBe(3);
    expect([...server.postedIds].sort()).toEqual(recorded);
  });

  it('sends each reading once when the sync event and the open page send at the same moment', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const bars of ['0', '1', '3']) await recordReading(page, { bars });
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();
    const [worker] = phone.context.serviceWorkers();
    if (!worker) throw new Error('the app’s service worker is not running');

    // The page's `online` handler and the browser's sync event each ask the worker for a
    // flush: the first to take the lock has its upload held by the server while the other waits.
    const release = server.holdPosts();
    await phone.context.setOffline(false);
    await expect.poll(() => server.postedIds.length, { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'an upload reached the server' }).toBe(3);
    await expect
      .poll(() => workerFlushes(worker, FLUSH_LOCK), { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'the sync event’s flush waits beside the page’s' })
      .toBeGreaterThanOrEqual(2);
    release();

    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    // The sync event ended without failing: the browser will not fire it again.
    await eventually(() => syncTags(page)).toEqual([]);
    expect(await storedIds(server)).toEqual(recorded);
    expect([...server.postedIds].sort()).toEqual(recorded);
    expect(await deviceStates(page)).toMatchObject({ pending: 0, sent: 3, refused: 0 });
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await eventually(() => page.locator('[data-state="sent"]').count()).toBe(3);
  });

  it('sends readings waiting from before once the app, opened offline and closed, sees the network back', async () => {
    // The browser refuses the registrations of these saves: it stands for one it has forgotten
    // since (Chromium does after its third failed try), or readings left by an older app.
    await phone.context.clearPermissions();
    await phone.context.grantPermissions(['geolocation']);
    let page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const operator of ['Orange', 'SFR']) await recordReading(page, { operator });
    await syncBar(page).getByText('2 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();
    await phone.context.grantPermissions(['geolocation', 'background-sync']);
    expect(await syncTags(page)).toEqual([]);

    // Another day, still offline: the agent opens the app, then closes it without a save.
    await page.reload();
    await syncBar(page).getByText('2 relevés en attente').waitFor();
    await eventually(() => syncTags(page)).toEqual([SYNC_TAG]);
    await page.close();

    await phone.context.setOffline(false);
    await expect.poll(() => storedIds(server), { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'the sync event sent every reading' }).toEqual(recorded);
    expect([...server.postedIds].sort()).toEqual(recorded);
    page = await phone.context.newPage();
    await page.goto(server.url);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
  });

  it('sends a reading saved with network whose probe the closed app never finished, when the browser tries again', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const log = await watchBackgroundSync(phone.context);
    // The probe's requests are never answered: the reading stays held for its evidence
    // (src/app/evidence/store-with-evidence.ts), and the agent closes the app mid-measure.
    await page.route('**/api/v1/probe**', () => undefined);
    await recordReading(page, { operator: 'SFR' });
    const recorded = await deviceReadingIds(page);
    // With network the browser fires the event at the save itself, while the reading is held:
    // the event must end failed, or the browser forgets the tag and nothing sends it until
    // the app is opened again.
    await expect.poll(() => log.endings, { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'the sync event fired at the save ended' }).toEqual(['failed']);
    await page.close();
    const [worker] = phone.context.serviceWorkers();
    if (!worker) throw new Error('the app’s service worker is not running');
    const tags = () => worker.evaluate(() => (self as unknown as { registration: { sync: { getTags(): Promise<string[]> } } }).registration.sync.getTags());
    expect(await tags()).toEqual([SYNC_TAG]);
    expect(server.postedIds).toEqual([]);

    // Chromium tries again 5 minutes later: the worker's clock moves past the reading's hold,
    // and DevTools fires that try now instead of the test waiting for it.
    await shiftWorkerClock(phone.context, 6 * 60_000);
    await log.fireAgain();
    await expect.poll(() => storedIds(server), { timeout: SYNC_FIRED_TIMEOUT_MS, message: 'the next try sent the reading' }).toEqual(recorded);
    expect(server.postedIds).toEqual(recorded);
  });
});
