import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { blockingViolations } from './axe.ts';
import { openInstalled, openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

async function open(page: Page, hash: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  await page.evaluate((to) => (window.location.hash = to), hash);
  await ready(page);
}

// Issue 15, part 6: axe-core on the screens of residents and agents, on a 360×640 phone: no
// serious or critical violation (contrast, names, labels, roles…). test/e2e/axe.ts is shared.
describe('accessibility (axe-core), at 360×640', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('the sign-in screen and the residents’ page (its form, its error summary, its pin map)', async () => {
    const page = await openInstalled(phone.context, server.url);
    await page.setViewportSize({ width: 360, height: 640 });
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await blockingViolations(page), 'sign-in').toEqual([]);

    await open(page, '#signaler', (p) => p.getByText('Position du téléphone').waitFor());
    expect(await blockingViolations(page), 'resident page').toEqual([]);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le signalement n’est pas complet' }).waitFor();
    await page.getByRole('button', { name: 'Placer le point sur une carte plutôt' }).click();
    await page.locator('.pin-map .leaflet-tile-loaded').first().waitFor();
    expect(await blockingViolations(page), 'resident page with errors and the map').toEqual([]);
  });

  it('the agent’s survey, readings, map, campaigns and track screens', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.setViewportSize({ width: 360, height: 640 });
    await recordReading(page);
    // A signal in dBm left empty: the summary lists it.
    await page.getByRole('radiogroup', { name: 'Mode de saisie du signal' }).getByText('dBm', { exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le relevé n’est pas complet' }).waitFor();
    expect(await blockingViolations(page), 'survey, with a level badge, the same-spot block and an error summary').toEqual([]);

    const screens: [string, string, (p: Page) => Promise<unknown>][] = [
      ['readings', '#releves', (p) => p.getByRole('heading', { name: 'Relevés de cet appareil' }).waitFor()],
      ['map', '#carte', (p) => p.locator('.leaflet-tile-loaded').first().waitFor()],
      ['campaigns', '#campagnes', (p) => p.getByRole('heading', { name: 'Campagnes' }).waitFor()],
      ['track', '#parcours', (p) => p.getByRole('heading', { name: 'Parcours', exact: true }).waitFor()],
    ];
    const found: string[] = [];
    for (const [name, hash, ready] of screens) {
      await open(page, hash, ready);
      for (const violation of await blockingViolations(page)) found.push(`${name}: ${violation}`);
    }
    expect(found).toEqual([]);
  });
});
