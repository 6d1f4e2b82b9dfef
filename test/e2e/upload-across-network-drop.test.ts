import { describe, expect, it } from 'vitest';
import { UPLOAD_TIMEOUT_MS } from '../../src/sync/upload.ts';
import { deviceReadingIds, openSignedIn, recordReading, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

// An upload under way when the network drops may never be answered: its connection went with
// the old network, and nothing tells the browser. When the page hears `online`, the service
// worker abandons it and the send starts again at once, instead of holding the send lock
// until the upload's own timeout (UPLOAD_TIMEOUT_MS, 30 s) gives it up.
describe('an upload caught by a network drop', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('is abandoned when the network returns, and the reading goes again at once, stored once', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    // The server holds every upload: the first stays unanswered, as on a dead connection.
    const release = server.holdPosts();
    await recordReading(page, { operator: 'SFR' });
    const recorded = await deviceReadingIds(page);
    await expect.poll(() => server.postedIds, { message: 'the first upload reached the server' }).toEqual(recorded);

    await phone.context.setOffline(true);
    await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false);
    await phone.context.setOffline(false);
    // Half the upload timeout: only the abandonment can send it again this soon.
    await expect
      .poll(() => server.postedIds.length, { timeout: UPLOAD_TIMEOUT_MS / 2, message: 'the reading sent again before the old upload timed out' })
      .toBe(2);
    release();

    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect((await server.storedReadings()).map((reading) => reading.id)).toEqual(recorded);
  });

  it('goes on when another tab says late that the network is back, once it was sent after the return: sent once', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const release = server.holdPosts();
    await phone.context.setOffline(true);
    await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false);
    await recordReading(page, { operator: 'Free Mobile' });
    const recorded = await deviceReadingIds(page);
    await phone.context.setOffline(false);
    // The send the page started at `online` is on its way, held by the server.
    await expect.poll(() => server.postedIds, { message: 'the upload after the return reached the server' }).toEqual(recorded);

    // A busy second tab hears `online` only now, and says so: the network is back, send.
    const flushLocksWaiting = () =>
      page.evaluate(async () => (await navigator.locks.query()).pending?.filter((lock) => lock.name === 'couverture-outbox-flush').length ?? 0);
    const waitingBefore = await flushLocksWaiting();
    await page.evaluate(() => {
      navigator.serviceWorker.controller!.postMessage({ type: 'NETWORK_BACK' });
      navigator.serviceWorker.controller!.postMessage({ type: 'SYNC_NOW' });
    });
    // The worker took both in order: its second send waits for the first, or (the upload
    // abandoned) went out again already.
    await expect.poll(async () => (await flushLocksWaiting()) > waitingBefore || server.postedIds.length > 1).toBe(true);
    release();

    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect(server.postedIds).toEqual(recorded);
  });
});
