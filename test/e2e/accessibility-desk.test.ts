import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { blockingViolations } from './axe.ts';
import { createUser, openInstalled, openSignedIn, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

async function open(page: Page, hash: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  await page.evaluate((to) => (window.location.hash = to), hash);
  await ready(page);
}

// Issue 15, part 6: axe-core on every screen of every role. The other browser tests check the
// residents', agents', admin's and most reviewer screens where they use them; these are the
// screens none of them checks: « À propos », and a reviewer's campaigns, map and account, at a
// 1366×900 desk.
describe('accessibility (axe-core) of the remaining screens, at 1366×900', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('« À propos », signed out', async () => {
    const desk = await launch({ desktop: true });
    const page = await openInstalled(desk.context, `${server.url}/#a-propos`);
    await page.getByRole('heading', { name: 'À propos' }).waitFor();
    await expect.poll(() => page.title()).toBe('À propos · Couverture');
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('a reviewer’s campaigns (list, new campaign with its errors, progress), map and « Mon compte »', async () => {
    const agent = await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#campagnes/nouvelle`, reviewer);
    await page.getByRole('heading', { name: 'Nouvelle campagne' }).waitFor();
    // Sent empty: the form says what is missing.
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    const found: string[] = [];
    for (const violation of await blockingViolations(page)) found.push(`new campaign with errors: ${violation}`);

    await page.getByLabel('Commune (nom ou code INSEE)').fill('Saint-Guilhem');
    await page.getByRole('listbox', { name: 'Communes proposées' }).getByRole('option', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    await page.getByRole('group', { name: 'Agents' }).getByLabel(agent.name).check();
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    const item = page.getByRole('list', { name: 'Campagnes' }).getByRole('listitem', { name: 'Campagne Saint-Guilhem-le-Désert' });
    await item.waitFor();
    for (const violation of await blockingViolations(page)) found.push(`campaigns: ${violation}`);

    await item.getByRole('link', { name: 'Avancement' }).click();
    await page.getByRole('table', { name: 'Relevés par opérateur' }).waitFor();
    for (const violation of await blockingViolations(page)) found.push(`campaign progress: ${violation}`);

    const screens: [string, string, (p: Page) => Promise<unknown>][] = [
      ['map', '#carte', (p) => p.locator('.leaflet-tile-loaded').first().waitFor()],
      ['my account', '#mon-compte', (p) => p.getByRole('heading', { name: 'Mon compte' }).waitFor()],
    ];
    for (const [name, hash, ready] of screens) {
      await open(page, hash, ready);
      for (const violation of await blockingViolations(page)) found.push(`${name}: ${violation}`);
    }
    expect(found).toEqual([]);
  });
});
