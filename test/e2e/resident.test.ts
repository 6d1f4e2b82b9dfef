import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchPhone, openInstalled, POSITION, startServer, type Phone, type TestServer } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** The reports this device holds, as the page lists them. */
const myReports = (page: Page) => page.getByRole('list', { name: 'Vos signalements' });

async function fillReport(page: Page, { operator = 'SFR', problem = 'Impossible d’appeler', setting = 'À l’intérieur', note = '' } = {}): Promise<void> {
  await page.getByRole('group', { name: 'Votre opérateur' }).getByText(operator, { exact: true }).click();
  await page.getByRole('group', { name: 'Qu’est-ce qui ne marche pas ?' }).getByText(problem, { exact: true }).click();
  await page.getByRole('group', { name: 'Où étiez-vous ?' }).getByText(setting, { exact: true }).click();
  if (note) await page.getByLabel('Précision (facultatif)').fill(note);
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
}

describe('resident reports (no account)', () => {
  let server: TestServer;
  let phone: Phone;

  beforeEach(async () => {
    server = await startServer();
    phone = await launchPhone();
  });
  afterEach(async () => {
    const cspViolations = [...phone.cspViolations];
    await phone.close();
    await server.close();
    expect(cspViolations).toEqual([]);
  });

  it('reports a dead spot offline, from the first screen, and the report arrives once when the network returns', async () => {
    const page = await openInstalled(phone.context, server.url);
    await page.getByRole('link', { name: 'Signaler une zone sans réseau' }).click();
    await page.getByRole('heading', { name: 'Signaler une zone sans réseau' }).waitFor();
    // The RGPD notice is on the page.
    const privacy = page.getByRole('region', { name: 'Vos données (RGPD)' });
    await privacy.getByText('adresse IP n’est pas conservée', { exact: false }).waitFor();
    await privacy.getByText('200 m', { exact: false }).waitFor();

    // No network from here on, even for reopening the page.
    await phone.context.setOffline(true);
    await page.reload();
    await page.getByText('Position du téléphone').waitFor();
    await fillReport(page, { note: 'rien dans tout le hameau' });
    await page.getByRole('status').filter({ hasText: 'Signalement enregistré sur ce téléphone' }).waitFor();
    await myReports(page).locator('[data-state="pending"]').waitFor();
    expect(await server.storedReports()).toEqual([]);

    await phone.context.setOffline(false);
    await myReports(page).locator('[data-state="sent"]').waitFor();
    const stored = await server.storedReports();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      operator: 'sfr',
      problem: 'no-calls',
      setting: 'indoor',
      positionSource: 'gps',
      lat: POSITION.latitude,
      lon: POSITION.longitude,
      accuracyM: POSITION.accuracy,
      note: 'rien dans tout le hameau',
    });
    // Anything else on the device was not sent again.
    await eventually(() => myReports(page).locator('li').count()).toBe(1);
    await expect(server.app.accounts.readingAttribution(stored[0]!.id)).resolves.toBeUndefined();
  });

  it('without GPS, the resident places a pin on a small map, offline', async () => {
    await phone.context.clearPermissions();
    const page = await openInstalled(phone.context, `${server.url}/#signaler`);
    // The map opens by itself when the position is refused.
    await page.getByText('La localisation est refusée').waitFor();
    const map = page.getByRole('application', { name: /touchez l’endroit/ });
    await map.waitFor();
    await page.locator('.pin-map .leaflet-tile-loaded').first().waitFor();

    await phone.context.setOffline(true);
    await fillReport(page, { operator: 'Orange', problem: 'Aucun réseau', setting: 'Dehors' });
    await page.getByRole('alert').filter({ hasText: 'Touchez la carte' }).waitFor();
    // The département's view is too far out for a point: the first tap zooms in there, the next places it.
    await page.getByText('Zoomez pour placer le point à moins de 100 m', { exact: false }).waitFor();
    await map.click();
    await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
    await eventually(() => page.getByText(/Point placé/).isVisible()).toBe(false);
    await map.click();
    await page.getByText(/Point placé \(à ± \d+ m près\)/).waitFor();
    await page.getByRole('group', { name: 'Qu’est-ce qui ne marche pas ?' }).getByText('Aucun réseau', { exact: true }).click();
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await myReports(page).locator('[data-state="pending"]').waitFor();

    await phone.context.setOffline(false);
    await myReports(page).locator('[data-state="sent"]').waitFor();
    const stored = await server.storedReports();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ operator: 'orange', problem: 'no-signal', setting: 'outdoor', positionSource: 'map' });
    expect(stored[0]!.accuracyM).toBeGreaterThan(0);
    expect(stored[0]!.accuracyM).toBeLessThanOrEqual(100);
  });
});
