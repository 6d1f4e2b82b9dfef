import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deviceReadingIds,
  openSignedIn,
  recordReading,
  syncBar,
  sendUntilNoneWaiting,
  useFieldDay,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';

// A new version reaches phones in the field while readings wait on them: the agent chooses
// when to switch, and the switch loses nothing and sends nothing twice.
describe('a new version of the app', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;
  let staticDir: string;
  useFieldDay((day) => ({ server, phone, agent, staticDir } = day), { shipsNewVersion: true });

  it('offers « Mettre à jour », switches on demand, and keeps the readings waiting until they are sent once', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    server.failWith = 503;
    for (const operator of ['Orange', 'SFR']) await recordReading(page, { operator });
    await syncBar(page).getByText('2 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();

    // Deploy: any byte changed in sw.js is a new version for the browser.
    await appendFile(join(staticDir, 'sw.js'), '\nself.e2eBuild = 2;\n');
    await page.reload();
    const update = page.getByRole('alert').filter({ hasText: 'Une nouvelle version de Couverture est prête.' });
    await update.waitFor();
    // Nothing switches by itself: the old version still controls the page.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

    await update.getByRole('button', { name: 'Mettre à jour' }).click();
    await page.waitForFunction(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return registration?.waiting === null && navigator.serviceWorker.controller !== null;
    });
    await expect
      .poll(() =>
        Promise.all(phone.context.serviceWorkers().map((worker) => worker.evaluate(() => (self as { e2eBuild?: number }).e2eBuild).catch(() => undefined))),
      )
      .toContain(2);
    await update.waitFor({ state: 'detached' });
    await syncBar(page).getByText('2 relevés en attente').waitFor();
    expect((await deviceReadingIds(page)).sort()).toEqual(recorded);

    server.failWith = undefined;
    await sendUntilNoneWaiting(page);
    expect((await server.storedReadings()).map((reading) => reading.id).sort()).toEqual(recorded);
  });
});
