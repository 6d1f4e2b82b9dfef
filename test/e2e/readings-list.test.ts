import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';
import { makeReadings } from '../faults/device.ts';

/** Six readings of June 2025 around Saint-Guilhem-le-Désert. */
const TOWER_COLLECTOR = fileURLToPath(new URL('../fixtures/tower-collector.csv', import.meta.url));

describe('the readings list of a field day', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('lists the newest first, imports included, before the files panel, and says nothing of a network the phone did not have', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(TOWER_COLLECTOR);
    await page.getByRole('button', { name: 'Importer 6 relevés' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Import terminé : 6 relevés ajoutés, 10 lignes refusées. Ils partiront vers le serveur avec les autres relevés.' })
      .waitFor();

    // Today, in a valley with no network at all.
    await phone.context.setOffline(true);
    await recordReading(page, { operator: 'SFR' });
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    const items = page.locator('ul.readings > li');
    await expect.poll(() => items.count()).toBe(7);
    // Today's reading on top, then the log's from its latest row to its first.
    await eventually(() => items.first().textContent()).toContain('SFR · 4G (LTE)');
    const times = await page.evaluate(() => [...document.querySelectorAll('ul.readings > li')].map((item) => item.getAttribute('data-recorded-at')));
    expect(times.slice(1)).toEqual([...times.slice(1)].sort().reverse());

    // Offline at save: « Appareil hors ligne », and not the browser's stale « 4g, ~10 Mbit/s ».
    const evidence = items.first().getByRole('list', { name: 'Preuves mesurées' });
    await evidence.getByText('Appareil hors ligne').waitFor();
    await eventually(() => evidence.getByText(/Réseau selon le navigateur/).count()).toBe(0);

    // The readings come before the import and export of files, which a button reaches.
    const listFirst = await page.evaluate(() => {
      const list = document.querySelector('ul.readings')!;
      const files = document.getElementById('import-title')!;
      return Boolean(list.compareDocumentPosition(files) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(listFirst).toBe(true);
    await page.getByRole('button', { name: 'Importer ou exporter un fichier' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Importer un fichier' }).evaluate((heading) => heading.getBoundingClientRect().top < window.innerHeight))
      .toBe(true);
  });

  it('lists the readings measured last of a device upgraded with hundreds, pages back through them, and gives each its measured time in the background', async () => {
    // Schema 4 as the app before it left a phone (raw IndexedDB), on a page of the app's origin
    // that runs no app: 230 readings, saved in the reverse of the order they were measured in.
    const { readings } = makeReadings(230);
    const records = readings.map((reading, i) => ({ id: reading.id, reading, state: 'pending', savedAt: 1_000_000 - i, recordedBy: agent.id }));
    const before = await phone.context.newPage();
    await before.goto(`${server.url}/manifest.webmanifest`);
    await before.evaluate(
      (records) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('couverture', 4);
          open.onupgradeneeded = () => {
            const db = open.result;
            const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
            outbox.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
            outbox.createIndex('bySavedAt', 'savedAt');
            db.createObjectStore('meta');
            const reports = db.createObjectStore('reports', { keyPath: 'id' });
            reports.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
            reports.createIndex('bySavedAt', 'savedAt');
            db.createObjectStore('tracks', { keyPath: 'id' }).createIndex('byState', 'state');
            db.createObjectStore('offlineAreas', { keyPath: 'id' });
            for (const record of records) open.transaction!.objectStore('outbox').add(record);
          };
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
        }),
      records,
    );
    await before.close();

    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    const items = page.locator('ul.readings > li');
    const shownTimes = () => page.evaluate(() => [...document.querySelectorAll('ul.readings > li')].map((item) => item.getAttribute('data-recorded-at')));
    const newestFirst = readings.map((reading) => new Date(reading.recordedAt).toISOString()).reverse();
    await expect.poll(() => items.count()).toBe(100);
    expect(await shownTimes()).toEqual(newestFirst.slice(0, 100));

    const older = page.getByRole('button', { name: 'Afficher des relevés plus anciens' });
    await older.click();
    await expect.poll(() => items.count()).toBe(200);
    await older.click();
    await expect.poll(() => items.count()).toBe(230);
    expect(await shownTimes()).toEqual(newestFirst);
    await eventually(() => older.count()).toBe(0);
    // Meanwhile, in the background, each reading of before got its measured time: from now on
    // the list reads only its page (src/store/measured-times.ts).
    const walked = () =>
      page.evaluate(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const open = indexedDB.open('couverture');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction(['outbox', 'meta']);
              const records = tx.objectStore('outbox').getAll();
              const complete = tx.objectStore('meta').get('measuredTimesComplete');
              tx.oncomplete = () => {
                db.close();
                resolve({
                  version: db.version,
                  complete: complete.result,
                  withMeasuredTime: (records.result as { measuredAt?: number }[]).filter((record) => typeof record.measuredAt === 'number').length,
                });
              };
            };
          }),
      );
    await expect.poll(walked, { timeout: 30_000 }).toEqual({ version: 5, complete: true, withMeasuredTime: 230 });
    await page.reload();
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await expect.poll(() => items.count()).toBe(100);
    expect(await shownTimes()).toEqual(newestFirst.slice(0, 100));
  });

  it('closes the call test’s question left unanswered for 5 minutes, its result « non renseigné »', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevé', exact: true }).click();
    await page.getByText('Précision').waitFor();
    await page.getByRole('heading', { name: 'Test d’appel' }).waitFor();
    await eventually(() => page.getByText("Test d'appel").count()).toBe(0);
    // A call started 15 minutes ago, never answered: the agent walked on with the phone in a pocket.
    await page.evaluate(() =>
      localStorage.setItem('couverture.guided-test.call', JSON.stringify({ startedAt: Date.now() - 15 * 60_000, number: '06 12 34 56 78' })),
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Test d’appel' }).waitFor();
    // « de 23:54 », or « de 4 déc., 23:54 » when the call was yesterday (a run just after midnight in Paris).
    await page
      .getByRole('status')
      .filter({ hasText: /^Test d’appel de (\d{1,2} \p{L}+\.?, )?\d{2}:\d{2} : résultat non renseigné, resté sans réponse 5 minutes après l’appel\.$/u })
      .waitFor();
    await eventually(() => page.getByText('Comment s’est passé l’appel ?').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('couverture.guided-test.call'))).toBeNull();
  });
});
