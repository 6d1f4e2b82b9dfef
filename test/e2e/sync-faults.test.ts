import { describe, expect, it } from 'vitest';
import {
  deviceReadingIds,
  openInstalled,
  openSignedIn,
  recordReading,
  useFieldDay,
  syncBar,
  sendUntilNoneWaiting,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';
import { eventually } from './expect-locator.ts';

describe('sending through faults', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('stores each reading once when the server answers 500 at first and then recovers', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const operator of ['Orange', 'SFR', 'Bouygues Telecom']) await recordReading(page, { operator });
    const recorded = (await deviceReadingIds(page)).sort();

    server.failWith = 500;
    await phone.context.setOffline(false);
    await syncBar(page)
      .getByText(/Échec du dernier essai : Le serveur est indisponible \(500/)
      .waitFor();
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    expect(await server.storedReadings()).toEqual([]);
    expect(server.postedIds.length).toBeGreaterThanOrEqual(3);

    server.failWith = undefined;
    await sendUntilNoneWaiting(page);
    const stored = await server.storedReadings();
    expect(stored.map((r) => r.id).sort()).toEqual(recorded);
    await eventually(() => syncBar(page).getByText('Échec du dernier essai').count()).toBe(0);
  });

  it('shows a refused reading with the server’s reason while the others go through, and lets the agent correct it', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const bars of ['1', '2', '4']) await recordReading(page, { bars });
    const [victim, ...others] = await deviceReadingIds(page);

    // Someone else's reading already holds that id on the server (a cloned phone, a bad
    // import): the server must refuse ours rather than overwrite or merge it.
    const theirs = { ...(await page.evaluate(readReading, victim!)), note: 'relevé d’un autre appareil' };
    expect((await server.store.ingest([theirs])).accepted).toEqual([victim]);

    await phone.context.setOffline(false);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    const storedIds = (await server.storedReadings()).map((r) => r.id);
    expect(storedIds.sort()).toEqual([victim!, ...others].sort());
    expect((await server.storedReadings()).find((r) => r.id === victim)?.note).toBe('relevé d’un autre appareil');

    await page.getByRole('link', { name: /Relevés/ }).click();
    const refused = page.locator('[data-state="refused"]');
    await refused.getByText('Un autre relevé porte déjà cet identifiant').waitFor();
    await eventually(() => page.locator('[data-state="sent"]').count()).toBe(2);

    await refused.getByRole('button', { name: 'Corriger' }).click();
    await refused.getByRole('group', { name: 'Barres de réseau' }).getByText('3', { exact: true }).click();
    await refused.getByRole('button', { name: 'Renvoyer le relevé corrigé' }).click();
    await expect.poll(() => page.locator('[data-state="sent"]').count()).toBe(3);
    await eventually(() => page.locator('[data-state="refused"]').count()).toBe(0);
    const corrected = (await server.storedReadings()).filter((r) => !storedIds.includes(r.id));
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.signalBars).toBe(3);
  });

  it('stores each reading once when two open tabs both trigger a send', async () => {
    const first = await openSignedIn(phone.context, server.url, agent);
    // Signed in once on the phone: the second tab knows it from IndexedDB.
    const second = await openInstalled(phone.context, server.url);
    await second.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await phone.context.setOffline(true);
    // The agent types in the tab they look at; Chromium slows timers in a hidden one.
    await first.bringToFront();
    for (const operator of ['Orange', 'SFR', 'Free Mobile']) await recordReading(first, { operator });
    await syncBar(second).getByText('3 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(first)).sort();

    // Hold the server's answer until both tabs have asked for a send, so that they overlap.
    const release = server.holdPosts();
    await phone.context.setOffline(false);
    await Promise.all([first, second].map((tab) => syncBar(tab).getByRole('button', { name: 'Envoi…' }).waitFor()));
    await expect.poll(() => server.postedIds.length).toBeGreaterThan(0);
    release();
    await Promise.all([first, second].map((tab) => syncBar(tab).getByText('Aucun relevé en attente').waitFor()));

    expect((await server.storedReadings()).map((r) => r.id).sort()).toEqual(recorded);
    expect([...server.postedIds].sort()).toEqual(recorded);
  });
});

/** Runs in the page: one reading as stored in the device's IndexedDB. */
function readReading(id: string) {
  return new Promise<import('../../src/domain/reading.ts').Reading>((resolve, reject) => {
    const open = indexedDB.open('couverture');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('outbox').objectStore('outbox').get(id);
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result.reading);
      };
    };
  });
}
