import { describe, expect, it } from 'vitest';
import { eventually } from './expect-locator.ts';
import { deviceReadingIds, openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/**
 * Notes in the page when the survey's form is first in the document and when the page first
 * asks to register its service worker.
 */
const WATCH_START = `(() => {
  new MutationObserver(() => {
    if (document.querySelector('form.reading-form')) window.__surveyDrawnAt ??= performance.now();
  }).observe(document, { subtree: true, childList: true });
  const register = ServiceWorkerContainer.prototype.register;
  ServiceWorkerContainer.prototype.register = function (...args) {
    window.__registeredAt ??= performance.now();
    return register.apply(this, args);
  };
})();`;

/**
 * Notes in the page whether the survey's form was already in the app's first drawing (the
 * first time anything is drawn in `#app`).
 */
const WATCH_FIRST_DRAWING = `(() => {
  new MutationObserver((_, observer) => {
    const app = document.getElementById('app');
    if (!app || app.childElementCount === 0) return;
    window.__firstDrawingHadSurvey = app.querySelector('form.reading-form') !== null;
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true });
})();`;

/** A browser never idle: what waits for an idle moment (src/app/shell/when-idle.ts) never comes. */
const NEVER_IDLE = `window.requestIdleCallback = () => 0;`;

/** Whether the page has asked for the reading's schema (its own chunk, src/domain/reading-schema.ts). */
const SCHEMA_ASKED = `performance.getEntriesByType('resource').some((entry) => /\\/reading-schema-[^/]*\\.js$/.test(entry.name))`;

/** IndexedDB never answering the page's opens (a request whose events never come). */
const INDEXEDDB_SILENT = `(() => {
  indexedDB.open = () => Object.setPrototypeOf({ addEventListener() {}, removeEventListener() {} }, IDBRequest.prototype);
})();`;

// Issue 19, repeat visit: what no first screen waits for (the service worker's registration,
// the field settings) comes once the browser is idle after the first screen, not between the
// script's evaluation and the survey's first render and paint; the sync scheduler still
// starts with the first screen (it must hear the network come and go from the start).
describe('start on the survey screen', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day), { restartable: true });

  it('registers the service worker once the survey is drawn, and still sends and counts as before', async () => {
    await (await openSignedIn(phone.context, server.url, agent)).close();
    const context = await phone.restart();
    await context.addInitScript(WATCH_START);
    const page = await context.newPage();
    await page.goto(`${server.url}/#releve`);
    const times = () =>
      page.evaluate(() => {
        const seen = window as unknown as { __surveyDrawnAt?: number; __registeredAt?: number };
        return { drawn: seen.__surveyDrawnAt, registered: seen.__registeredAt };
      });
    await eventually(async () => (await times()).registered !== undefined).toBe(true);
    const { drawn, registered } = await times();
    expect(drawn).toBeDefined();
    expect(registered!).toBeGreaterThan(drawn!);
    // The sync scheduler started all the same: a reading recorded now is counted and sent.
    await recordReading(page, { operator: 'SFR' });
    await eventually(async () => (await server.store.query({ limit: 10 })).readings.length).toBe(1);
    await eventually(() => page.locator('.pending-count').textContent()).toBe('Aucun relevé en attente');
  });

  // Issue 19, repeat visit: the app is drawn once IndexedDB has said who is signed in, the
  // survey in its first drawing, instead of an empty frame first and the survey in a second
  // render whose answers waited behind the frame's layout and paint.
  it('draws the survey in the app’s first drawing', async () => {
    await (await openSignedIn(phone.context, server.url, agent)).close();
    await phone.context.addInitScript(WATCH_FIRST_DRAWING);
    const page = await phone.context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.locator('form.reading-form').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __firstDrawingHadSurvey?: boolean }).__firstDrawingHadSurvey)).toBe(true);
  });

  // The reading's schema is not in the first script: the survey asks for it once drawn and
  // idle, or at the agent's first entry. A save tapped before either (the form as the agent
  // left it last time) waits for it, from the service worker's precache offline, and a second
  // tap meanwhile is ignored, as during any save.
  it('saves offline, once, a reading tapped twice before its schema was loaded', async () => {
    const first = await openSignedIn(phone.context, server.url, agent);
    await first.getByRole('group', { name: 'Opérateur' }).getByText('SFR', { exact: true }).click();
    await first.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
    await first.getByRole('group', { name: 'Barres de réseau' }).getByText('1', { exact: true }).click();
    await first.close();
    await phone.context.setOffline(true);
    await phone.context.addInitScript(NEVER_IDLE);
    const page = await phone.context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.getByRole('group', { name: 'Opérateur' }).getByRole('radio', { name: 'SFR', checked: true }).waitFor();
    expect(await page.evaluate(SCHEMA_ASKED)).toBe(false);
    await page.getByRole('button', { name: /Enregistrer/ }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).waitFor();
    expect(await page.evaluate(SCHEMA_ASKED)).toBe(true);
    expect(await deviceReadingIds(page)).toHaveLength(1);
  });

  it('asks for the reading’s schema at the agent’s first entry when the browser is never idle', async () => {
    await (await openSignedIn(phone.context, server.url, agent)).close();
    await phone.context.addInitScript(NEVER_IDLE);
    const page = await phone.context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.getByRole('button', { name: /Enregistrer/ }).waitFor();
    expect(await page.evaluate(SCHEMA_ASKED)).toBe(false);
    await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
    await eventually(() => page.evaluate(SCHEMA_ASKED)).toBe(true);
  });

  it('draws the app without waiting any longer when IndexedDB never answers', async () => {
    await phone.context.addInitScript(INDEXEDDB_SILENT);
    const page = await phone.context.newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Couverture' }).waitFor({ timeout: 5_000 });
  });
});
