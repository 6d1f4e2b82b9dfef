import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually } from './expect-locator.ts';
import { openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/** Set in the page as soon as the survey's form is in the document, whenever that is. */
const WATCH_SURVEY_FORM = `new MutationObserver(() => {
  if (document.querySelector('form.reading-form')) window.__surveyDrawn = true;
}).observe(document, { subtree: true, childList: true });`;

/**
 * Opens the app's database at a version above the app's and keeps the upgrade's transaction
 * alive with one read after another until `window.__release`, then aborts it: the database is
 * left as it was, and every open queued behind this one waited meanwhile.
 */
const HOLD_DATABASE = `(() => {
  const open = indexedDB.open('couverture', 10000);
  open.onerror = () => undefined;
  open.onupgradeneeded = () => {
    window.__held = true;
    const upgrade = open.transaction;
    const store = upgrade.objectStore('meta');
    const spin = () => {
      if (window.__release) upgrade.abort();
      else store.get('session').onsuccess = spin;
    };
    spin();
  };
})()`;

/** Who each reading in the page's outbox is recorded by. */
function recordedByOnDevice(page: Page): Promise<unknown[]> {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as { recordedBy?: string }[]).map((record) => record.recordedBy));
          };
        };
      }),
  );
}

// The start asks for the survey's position at once when the role signed in last time
// (localStorage) lands on it (issue 19): what IndexedDB then says must win, and a reading
// must never go out under anyone but the session read from it.
describe('start on the survey screen, for the role signed in last time', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day), { restartable: true });

  it('reopened offline, records at once under the agent’s session', async () => {
    await (await openSignedIn(phone.context, server.url, agent)).close();
    const context = await phone.restart({ offline: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/#releve`);
    await recordReading(page, { operator: 'SFR' });
    expect(await recordedByOnDevice(page)).toEqual([agent.id]);
  });

  it('draws the survey while IndexedDB is held, and a reading saved then goes under the agent’s session', async () => {
    await (await openSignedIn(phone.context, server.url, agent)).close();
    const context = await phone.restart();
    // Another page of the origin (not the app: the API's health answer) keeps an upgrade of the
    // app's database open: every open behind it waits, as a slow open on a cheap phone does,
    // until the test lets it go (the upgrade then aborts, the database stays as it was).
    const holder = await context.newPage();
    await holder.goto(`${server.url}/api/v1/health`);
    await context.setOffline(true);
    await holder.evaluate(HOLD_DATABASE);
    await holder.waitForFunction(() => (window as unknown as { __held?: boolean }).__held === true);

    const page = await context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.getByText('Précision').waitFor();
    await page.getByRole('group', { name: 'Opérateur' }).getByText('SFR', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
    await page.getByRole('group', { name: 'Barres de réseau' }).getByText('1', { exact: true }).click();
    await page.getByRole('button', { name: /Enregistrer/ }).click();
    // Still held: nothing of the person is drawn, and the reading waits for who is signed in.
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).count()).toBe(0);

    await holder.evaluate(() => {
      (window as unknown as { __release: boolean }).__release = true;
    });
    await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await recordedByOnDevice(page)).toEqual([agent.id]);
  });

  it('after a sign-out, reopens on « Connexion » without ever drawing the survey', async () => {
    const first = await openSignedIn(phone.context, server.url, agent);
    await first.getByRole('button', { name: 'Se déconnecter' }).click();
    await first.getByRole('heading', { name: 'Connexion' }).waitFor();
    await first.close();

    const context = await phone.restart({ offline: true });
    await context.addInitScript(WATCH_SURVEY_FORM);
    const page = await context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await eventually(() => page.getByRole('button', { name: 'Se connecter' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __surveyDrawn?: boolean }).__surveyDrawn ?? false)).toBe(false);
  });
});
