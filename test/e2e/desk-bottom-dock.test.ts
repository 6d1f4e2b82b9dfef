import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

const CELL = cellAt(POSITION.longitude, POSITION.latitude)!;

/** Four readings per operator in the phone's cell, straight into the store: a cell panel with a long list of readings. */
async function seedCell(server: TestServer): Promise<void> {
  const [lon, lat] = cellCentre(CELL);
  const readings: Reading[] = OPERATORS.flatMap((operator) =>
    [0, 1, 2, 3].map((i) => ({
      id: crypto.randomUUID(),
      recordedAt: new Date(Date.parse('2026-05-04T08:00:00Z') + i * 60_000).toISOString(),
      lat,
      lon,
      accuracyM: 10,
      operator,
      technology: '4G' as const,
      signalBars: operator === 'orange' ? 4 : 1,
      setting: 'outdoor' as const,
      source: 'import' as const,
    })),
  );
  const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
  await server.store.ingest(
    readings,
    readings.map(() => place),
  );
}

// Issue 15 left this at 1366×900: the news at the bottom of the window (« Couverture est prête
// à fonctionner sans réseau ») covered the end of the coverage screen's side panel, which
// sticks to the window and so could not be scrolled clear of it as the rest of a page can.
describe('the bottom dock at a 1366×900 desk', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('leaves the end of the coverage screen’s side panel above the « prête à fonctionner sans réseau » news', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seedCell(server);
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?view=16/${POSITION.latitude}/${POSITION.longitude}`, reviewer);
    await page.getByRole('status').filter({ hasText: 'prête à fonctionner sans réseau' }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    const map = (await page.locator('.coverage-map').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    await page.getByRole('list', { name: 'Relevés de la maille' }).waitFor();

    // The page scrolled until the panel sticks under the header, then to its end; the panel
    // scrolled to its end: its last line is above the dock, wherever the page stands.
    const side = page.locator('.coverage-side');
    await side.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    const stuckAt = await side.evaluate((element) => element.getBoundingClientRect().top + window.scrollY - Number.parseFloat(getComputedStyle(element).top));
    for (const y of [stuckAt, await page.evaluate(() => document.documentElement.scrollHeight)]) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      await expect
        .poll(async () => {
          const panelBottom = await side.evaluate((element) => element.getBoundingClientRect().bottom);
          const dockTop = await page.locator('.bottom-dock').evaluate((element) => element.getBoundingClientRect().top);
          return panelBottom <= dockTop + 1 || `page at ${y} px: the panel ends at ${panelBottom} px, the dock starts at ${dockTop} px`;
        })
        .toBe(true);
    }
  });
});
