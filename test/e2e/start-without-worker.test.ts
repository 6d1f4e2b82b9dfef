import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually } from './expect-locator.ts';
import { openSignedIn, recordReading, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/** Where the browser found each of the start's answers: 'cache' when a static route answered it without the worker. */
function startSources(page: Page): Promise<{ page: string; script: string; stylesheet: string }> {
  return page.evaluate(() => {
    const source = (entry: PerformanceEntry | undefined) => (entry as { workerFinalSourceType?: string } | undefined)?.workerFinalSourceType ?? 'none';
    const resources = performance.getEntriesByType('resource');
    const named = (pattern: RegExp) => resources.find((entry) => pattern.test(new URL(entry.name).pathname));
    return {
      page: source(performance.getEntriesByType('navigation')[0]),
      script: source(named(/^\/assets\/index-[^/]+\.js$/)),
      stylesheet: source(named(/^\/assets\/index-[^/]+\.css$/)),
    };
  });
}

/** Stops every service worker of the phone, as after a night with the app closed. */
async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** Names of the caches holding the page's HTML under `/` (service-worker/static-routes.ts). */
function shellCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('shell-')));
}

// Issue 19, repeat visit: the page, its first script and its stylesheet are answered by the
// browser from Cache Storage through the worker's static routes, without starting the worker
// or running its fetch handler; each build's HTML is kept under its own revision, and an
// update switches to the new one and drops the old.
describe('a start without the service worker in the way', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;
  let staticDir: string;
  useFieldDay((day) => ({ server, phone, agent, staticDir } = day), { shipsNewVersion: true });

  it('opens offline with the worker stopped, from the static routes, and records as before', async () => {
    const installed = await openSignedIn(phone.context, server.url, agent);
    expect(await shellCaches(installed)).toHaveLength(1);
    await phone.context.setOffline(true);
    await stopServiceWorkers(phone.context, installed);
    await installed.close();

    const page = await phone.context.newPage();
    await page.goto(`${server.url}/#releve`);
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).waitFor();
    expect(await startSources(page)).toEqual({ page: 'cache', script: 'cache', stylesheet: 'cache' });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await recordReading(page, { operator: 'SFR' });
    await syncBar(page).getByText('1 relevé en attente').waitFor();
  });

  it('answers with the new build’s page once the agent switched, and drops the old one', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const [before] = await shellCaches(page);

    // Deploy a page that differs: its revision in sw.js changes with it, as a build writes it.
    const html = await readFile(join(staticDir, 'index.html'), 'utf8');
    await rm(join(staticDir, 'index.html.br'), { force: true });
    await rm(join(staticDir, 'index.html.gz'), { force: true });
    await writeFile(join(staticDir, 'index.html'), html.replace('</body>', '<!-- build 2 --></body>'));
    const worker = await readFile(join(staticDir, 'sw.js'), 'utf8');
    const revision = before!.slice('shell-'.length);
    expect(worker).toContain(revision);
    await writeFile(join(staticDir, 'sw.js'), worker.replace(revision, 'build2'.padEnd(revision.length, '0')));
    await appendFile(join(staticDir, 'sw.js'), '\nself.e2eBuild = 2;\n');

    await page.reload();
    const update = page.getByRole('alert').filter({ hasText: 'Une nouvelle version de Couverture est prête.' });
    await update.getByRole('button', { name: 'Mettre à jour' }).click();
    await update.waitFor({ state: 'detached' });
    await eventually(() => shellCaches(page)).toEqual([`shell-${'build2'.padEnd(revision!.length, '0')}`]);

    await phone.context.setOffline(true);
    const next = await phone.context.newPage();
    await next.goto(`${server.url}/#releve`);
    await next.getByRole('button', { name: 'Enregistrer le relevé' }).waitFor();
    expect((await startSources(next)).page).toBe('cache');
    expect(await next.content()).toContain('<!-- build 2 -->');
  });
});
