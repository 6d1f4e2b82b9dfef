import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { insertReadingCrowd, openSignedIn, recordReading, useFieldDay, syncBar, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** Far from the crowd, so that a zoomed-in view holds only them. */
const LONE_PROBED = { lat: 43.75, lon: 3.4 };
const TRIO = { lat: 43.5, lon: 3.85 };
const CROWD = 50_000;

/** The crowd, plus a lone reading with a probe result and a trio, far enough apart for a zoomed-in view to hold only them. */
async function insertCrowd(server: TestServer): Promise<void> {
  await insertReadingCrowd(server, CROWD);
  const reading = (at: { lat: number; lon: number }, extra: Partial<Reading> = {}): Reading => ({
    id: randomUUID(),
    recordedAt: '2026-05-04T06:00:00Z',
    ...at,
    accuracyM: 10,
    operator: 'sfr',
    technology: '4G',
    signalBars: 2,
    setting: 'outdoor',
    source: 'agent',
    ...extra,
  });
  const specials = [
    reading(LONE_PROBED, {
      probe: { startedAt: '2026-05-04T06:00:01Z', durationMs: 3000, result: 'reachable', latencyMs: 84, downloadKbps: 12_500, uploadKbps: 900 },
    }),
    ...[0, 1, 2].map((k) => reading({ lat: TRIO.lat + k * 0.0001, lon: TRIO.lon })),
  ];
  await server.store.ingest(
    specials,
    specials.map(() => ({ accountId: null, commune: '34261', departement: '34', outsideCommunes: false })),
  );
}

/** The sum of the counts written on the server's clusters on screen. */
function clusterTotal(page: Page): Promise<number> {
  return page
    .locator('.reading-cluster:not(.on-device)')
    .evaluateAll((clusters) => clusters.reduce((sum, cluster) => sum + Number((cluster as HTMLElement).dataset.count), 0));
}

describe('map', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('loads Leaflet only when opened, and shows the device’s and the server’s readings on the configured tiles', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await recordReading(page, { bars: '4' });
    await recordReading(page, { bars: '0' });
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect(requested.filter((url) => url.includes('LeafletMap'))).toEqual([]);

    await page.getByRole('link', { name: 'Carte' }).click();
    const legend = page.getByRole('list', { name: 'Légende' });
    await legend.getByText('Très bonne couverture (1 sur cet appareil)').waitFor();
    await legend.getByText('Pas de couverture (1 sur cet appareil)').waitFor();
    await page.getByText('2 relevés du serveur dans la vue').waitFor();
    expect(requested.some((url) => url.includes('LeafletMap'))).toBe(true);
    await expect.poll(() => server.tileRequests).toBeGreaterThan(0);
    await eventually(() => page.locator('.leaflet-control-attribution').textContent()).toContain('Tuiles de test');
  });

  it('lists every reading taken at one spot in one popup, speaks French, keeps its credit readable and its buttons under the header', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    // Three SIMs read on the same doorstep: three dots drawn on top of one another.
    await recordReading(page, { operator: 'Orange', bars: '4' });
    await recordReading(page, { operator: 'SFR', bars: '1' });
    await recordReading(page, { operator: 'Free Mobile', bars: '0' });
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.getByText('3 relevés du serveur dans la vue.').waitFor();

    // Leaflet's own texts, in French.
    await eventually(() => page.locator('.leaflet-control-zoom-in').getAttribute('title')).toBe('Zoomer');
    await eventually(() => page.locator('.leaflet-control-zoom-out').getAttribute('title')).toBe('Dézoomer');
    await eventually(() => page.locator('.leaflet-control-attribution a').first().getAttribute('title')).toBe('Bibliothèque JavaScript de cartes interactives');

    // One tap on the stack lists all three, each once (the device's copy and the server's are one reading).
    const box = (await page.getByRole('region', { name: 'Carte', exact: true }).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const popup = page.locator('.leaflet-popup-content');
    await popup.getByText('3 relevés à cet endroit').waitFor();
    for (const operator of ['Orange', 'SFR', 'Free Mobile']) await eventually(() => popup.getByText(`${operator} · 4G (LTE)`).count(), operator).toBe(1);
    await eventually(() => page.locator('.leaflet-popup-close-button').getAttribute('aria-label')).toBe('Fermer');

    // The credit line reads at 4.5:1 at least, text and links, over whatever tile lies under it.
    const contrasts = await page.locator('.leaflet-control-attribution').evaluate((credit) => {
      const rgba = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4))
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      const background = rgba(getComputedStyle(credit).backgroundColor);
      const ratio = (element: Element) => {
        const [a, b] = [luminance(rgba(getComputedStyle(element).color)), luminance(background)].sort((x, y) => y - x);
        return (a! + 0.05) / (b! + 0.05);
      };
      return { opaque: (background[3] ?? 1) === 1, text: ratio(credit), links: [...credit.querySelectorAll('a')].map(ratio) };
    });
    expect(contrasts.opaque).toBe(true);
    expect(contrasts.text).toBeGreaterThanOrEqual(4.5);
    for (const link of contrasts.links) expect(link).toBeGreaterThanOrEqual(4.5);

    // Scrolled until the zoom buttons pass under the sticky header: the header is drawn over them.
    const header = (await page.locator('.app-header').boundingBox())!;
    const zoomIn = (await page.locator('.leaflet-control-zoom-in').boundingBox())!;
    await page.evaluate((by) => window.scrollBy(0, by), zoomIn.y + zoomIn.height / 2 - (header.y + header.height / 2));
    const onTop = await page.evaluate(() => {
      const button = document.querySelector('.leaflet-control-zoom-in')!.getBoundingClientRect();
      return document.elementFromPoint(button.left + button.width / 2, button.top + button.height / 2)?.closest('.app-header') !== null;
    });
    expect(onTop).toBe(true);
  });

  it('still opens offline, from the precached app, with the device’s readings', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await recordReading(page, { bars: '3' });
    await page.reload();
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.getByRole('list', { name: 'Légende' }).getByText('Bonne couverture (1 sur cet appareil)').waitFor();
    await page.getByText('Hors ligne : seuls les relevés de cet appareil sont affichés.').waitFor();
  });

  it('shows 50,000 server readings as clusters, filters them, follows the agent, and opens a reading’s probe result', async () => {
    await insertCrowd(server);
    await phone.context.setGeolocation({ latitude: LONE_PROBED.lat, longitude: LONE_PROBED.lon, accuracy: 15 });
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Carte' }).click();

    // Département scale: every reading of the view, counted on the clusters.
    await expect.poll(() => clusterTotal(page), { timeout: 15_000 }).toBe(CROWD + 4);
    await eventually(() => page.locator('.reading-cluster').count()).toBeLessThan(400);
    await page.getByText(/^50\s004 relevés du serveur dans la vue, regroupés/).waitFor();

    // A filter applies to the next answer; the page stays responsive enough to show it within the poll's bound.
    const orange = page.getByRole('group', { name: 'Opérateurs affichés' }).getByLabel('Orange');
    await orange.uncheck();
    await expect.poll(() => clusterTotal(page), { timeout: 5000 }).toBe(CROWD - CROWD / 4 + 4);
    await page.reload();
    await page.getByRole('link', { name: 'Carte' }).click();
    await eventually(() => page.getByRole('group', { name: 'Opérateurs affichés' }).getByLabel('Orange').isChecked()).toBe(false);
    await page.getByRole('group', { name: 'Opérateurs affichés' }).getByLabel('Orange').check();
    await expect.poll(() => clusterTotal(page), { timeout: 5000 }).toBe(CROWD + 4);

    // « Me suivre »: the map zooms in on the agent (points now), and moves with them.
    await page.getByRole('button', { name: 'Me suivre' }).click();
    await page.getByText('1 relevé du serveur dans la vue.').waitFor();
    await eventually(() => page.locator('.reading-cluster').count()).toBe(0);
    const box = (await page.getByRole('region', { name: 'Carte', exact: true }).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const popup = page.locator('.leaflet-popup-content');
    await popup.getByText(/^Sonde : Serveur joignable · 84 ms · ↓ 12,5 Mbit\/s · ↑ 0,9 Mbit\/s$/).waitFor();
    await popup.getByText('SFR · 4G (LTE)').waitFor();

    await phone.context.setGeolocation({ latitude: TRIO.lat, longitude: TRIO.lon, accuracy: 15 });
    await page.getByText('3 relevés du serveur dans la vue.').waitFor();
    await eventually(() => page.getByRole('button', { name: 'Me suivre' }).getAttribute('aria-pressed')).toBe('true');
  });
});
