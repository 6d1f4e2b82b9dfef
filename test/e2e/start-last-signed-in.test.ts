import { describe, expect, it } from 'vitest';
import { eventually } from './expect-locator.ts';
import { openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/** Set in the page as soon as the survey's form is in the document, whenever that is. */
const WATCH_SURVEY_FORM = `new MutationObserver(() => {
  if (document.querySelector('form.reading-form')) window.__surveyDrawn = true;
}).observe(document, { subtree: true, childList: true });`;

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
    const recordedBy = await page.evaluate(
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
    expect(recordedBy).toEqual([agent.id]);
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
