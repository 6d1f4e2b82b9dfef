import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createUser,
  deviceReadingIds,
  launchPhone,
  openSignedIn,
  recordReading,
  startServer,
  syncBar,
  sendUntilNoneWaiting,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';
import { E2E_DIST } from './paths.ts';

// A new version reaches phones in the field while readings wait on them: the agent chooses
// when to switch, and the switch loses nothing and sends nothing twice.
describe('a new version of the app', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;
  let staticDir: string;

  beforeEach(async () => {
    // A copy of the build that the test can change into "the next version".
    staticDir = await mkdtemp(join(tmpdir(), 'couverture-dist-'));
    await cp(E2E_DIST, staticDir, { recursive: true });
    server = await startServer({ staticDir });
    phone = await launchPhone();
    agent = await createUser(server);
  });
  afterEach(async () => {
    const cspViolations = [...phone.cspViolations];
    await phone.close();
    await server.close();
    await rm(staticDir, { recursive: true, force: true });
    expect(cspViolations).toEqual([]);
  });

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
