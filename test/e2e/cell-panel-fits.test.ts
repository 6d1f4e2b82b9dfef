import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

const CELL = cellAt(POSITION.longitude, POSITION.latitude)!;
const SHOTS = process.env.COUVERTURE_SCREENSHOTS;
const VIEW = `view=16/${POSITION.latitude}/${POSITION.longitude}`;

/**
 * One cell where the four verdicts' badges all show, the longest (« insuffisant ») included:
 * four readings alike for three operators, a single one for Free.
 */
function everyVerdict(): Reading[] {
  const [lon, lat] = cellCentre(CELL);
  const reading = (operator: Reading['operator'], signalBars: number, i: number): Reading => ({
    id: crypto.randomUUID(),
    recordedAt: new Date(Date.parse('2026-05-04T08:00:00Z') + i * 60_000).toISOString(),
    lat,
    lon,
    accuracyM: 10,
    operator,
    technology: '4G',
    signalBars,
    setting: 'outdoor',
    source: 'import',
  });
  return [...[0, 1, 2, 3].flatMap((i) => [reading('orange', 4, i), reading('sfr', 2, i), reading('bouygues', 0, i)]), reading('free', 1, 0)];
}

/** What sticks out of its own table cell in the panel's operator table (by more than a pixel), described. */
function outOfTheirCells(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'Statistiques par opérateur' }).evaluate((table) => {
    const out: string[] = [];
    for (const cell of table.querySelectorAll('th, td')) {
      const outer = cell.getBoundingClientRect();
      for (const inner of cell.querySelectorAll('*')) {
        const box = inner.getBoundingClientRect();
        if (box.left < outer.left - 1 || box.right > outer.right + 1)
          out.push(
            `« ${inner.textContent} » ${Math.round(box.left)}–${Math.round(box.right)} outside its cell ${Math.round(outer.left)}–${Math.round(outer.right)}`,
          );
      }
    }
    return out;
  });
}

/**
 * A reviewer found the « insuffisant » badge running into the next column of the cell panel's
 * operator table at 1366×900 (« insuffisant1 (1) »): every badge stays inside its own cell, on
 * the desk and on a 360×640 phone.
 */
describe('the cell panel’s operator table', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('keeps each verdict badge inside its column, on a desk and on a phone', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    const readings = everyVerdict();
    const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
    await server.store.ingest(
      readings,
      readings.map(() => place),
    );
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?${VIEW}`, reviewer);
    for (const viewport of [
      { width: 1366, height: 900 },
      { width: 360, height: 640 },
    ]) {
      await page.setViewportSize(viewport);
      await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
      const map = (await page.locator('.coverage-map').boundingBox())!;
      await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
      await page.getByRole('heading', { name: new RegExp(`maille 200 m n° ${formatCellId(CELL)}`) }).waitFor();
      const stats = page.getByRole('table', { name: 'Statistiques par opérateur' });
      await stats.getByRole('row', { name: /Free/ }).getByText('insuffisant', { exact: true }).waitFor();
      if (SHOTS) await stats.screenshot({ path: `${SHOTS}/cell-panel-${viewport.width}.png` });
      expect(await outOfTheirCells(page), `${viewport.width}×${viewport.height}`).toEqual([]);
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(viewport.width);
    }
  });
});
