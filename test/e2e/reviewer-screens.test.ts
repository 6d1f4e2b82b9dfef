import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt, formatCellId, type CellRef } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading, Setting } from '../../src/domain/reading.ts';
import type { Zone } from '../../src/domain/zone.ts';
import { blockingViolations } from './axe.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

/**
 * Issue 15 (reviewer side): a reviewer tried the app on a 1366×900 screen. Zones filed once,
 * the coverage screen (every setting, a named cell whose panel fits, a hint that is not an
 * error, counts that match the map), reports that open the map where they are, the printed
 * dossier (checked in Chromium's own PDF, through poppler's pdftotext and pdftoppm), axe-core
 * and the document title on each reviewer screen.
 */

const run = promisify(execFile);
const CELL_A: CellRef = cellAt(POSITION.longitude, POSITION.latitude)!;
const CELL_B: CellRef = { ...CELL_A, east: CELL_A.east + 200 };
const ID_A = formatCellId(CELL_A);
const ID_B = formatCellId(CELL_B);
const VIEW = `view=16/${POSITION.latitude}/${POSITION.longitude}`;
/** The app's error red (--danger), as computed. */
const ERROR_RED = 'rgb(179, 38, 30)';

/**
 * Four readings per operator in each cell, straight into the store as an import would leave
 * them (in a vehicle: the setting the old default hid): only Orange covers, a zone grise.
 * Four, since three alike are across 50 % at 95 % and decide nothing (interval rule, issue 17).
 */
async function seedZoneGrise(server: TestServer, cells: CellRef[], setting: Setting = 'vehicle'): Promise<void> {
  const readings: Reading[] = cells.flatMap((cell) => {
    const [lon, lat] = cellCentre(cell);
    return OPERATORS.flatMap((operator) =>
      [0, 1, 2, 3].map((i) => ({
        id: crypto.randomUUID(),
        recordedAt: new Date(Date.parse('2026-05-04T08:00:00Z') + i * 60_000).toISOString(),
        lat,
        lon,
        accuracyM: 10,
        operator,
        technology: '4G' as const,
        signalBars: operator === 'orange' ? 4 : 1,
        setting,
        voice: operator === 'orange' ? ('ok' as const) : ('failed' as const),
        source: 'import' as const,
      })),
    );
  });
  const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
  await server.store.ingest(
    readings,
    readings.map(() => place),
  );
}

async function reviewerDesk(launch: ServerWithPhones['launch'], server: TestServer, reviewer: TestUser, hash: string): Promise<Page> {
  const desk = await launch({ desktop: true });
  return openSignedIn(desk.context, `${server.url}/${hash}`, reviewer);
}

async function mapCentre(page: Page): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.coverage-map').boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Elements of `selector` that stick out of it sideways (by more than a pixel), described; a map clips its own tiles. */
function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((root) => {
    const outer = root.getBoundingClientRect();
    const out: string[] = [];
    if (root.scrollWidth > root.clientWidth + 1) out.push(`${selector} scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    for (const element of root.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || (element.closest('.leaflet-container') !== element && element.closest('.leaflet-container'))) continue;
      if (box.left < outer.left - 1 || box.right > outer.right + 1)
        out.push(
          `${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.left)}–${Math.round(box.right)} outside ${Math.round(outer.left)}–${Math.round(outer.right)}`,
        );
    }
    return out;
  }, selector);
}

describe('reviewer screens at 1366×900 (issue 15)', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('« Couverture »: every setting by default, a cell named by its commune whose panel fits, counts as drawn, a suggestion filed once, a hint not in red', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seedZoneGrise(server, [CELL_A, CELL_B]);
    const page = await reviewerDesk(launch, server, reviewer, `#couverture?${VIEW}`);
    await expect.poll(() => page.title()).toBe('Carte de couverture · Couverture');

    // « Toutes » is the default: the vehicle readings of imports show.
    const status = page.getByRole('status').filter({ hasText: 'dans la vue' });
    await status.filter({ hasText: '2 mailles de 200 m dans la vue' }).waitFor();
    await eventually(() => page.getByLabel('Situation').inputValue()).toBe('');
    await eventually(() => page.getByLabel('Situation').locator('option:checked').textContent()).toBe('Toutes');
    await page.getByLabel('Situation').selectOption('outdoor');
    await status.filter({ hasText: '0 maille de 200 m dans la vue' }).waitFor();
    await page.getByLabel('Situation').selectOption('');
    await status.filter({ hasText: '2 mailles de 200 m dans la vue' }).waitFor();

    // The legend counts what the map draws: two cells, no zone yet.
    const legend = page.getByRole('list', { name: 'Légende des mailles' });
    await legend.getByText('Zone grise (un seul opérateur) : 2').waitFor();
    await legend.getByText('Zone en cours (0 dans la vue)').waitFor();
    await eventually(() => page.locator('.coverage-map path.leaflet-interactive, .coverage-map canvas').count()).toBeGreaterThan(0);

    // The cell's panel: named by its commune, its table and readings inside the side panel.
    const centre = await mapCentre(page);
    await page.mouse.click(centre.x, centre.y);
    await page.getByRole('heading', { name: `Saint-Guilhem-le-Désert — maille 200 m n° ${ID_A}` }).waitFor();
    const stats = page.getByRole('table', { name: 'Statistiques par opérateur' });
    await eventually(() => stats.getByRole('row', { name: /Orange/ }).textContent()).toMatch(/^OrangeTBC4 \(1\)100 \/ 0 \/ 0 \/ 0 %/);
    await eventually(() => stats.getByRole('row', { name: /SFR/ }).textContent()).toMatch(/^SFRCL4 \(1\)0 \/ 0 \/ 100 \/ 0 %/);
    await expect.poll(() => page.getByRole('list', { name: 'Relevés de la maille' }).getByRole('listitem').count()).toBe(16);
    expect(await overflowing(page, '.cell-panel')).toEqual([]);
    expect(await overflowing(page, '.coverage-side')).toEqual([]);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(1366);
    const panel = (await page.locator('.cell-panel').boundingBox())!;
    expect(panel.x + panel.width).toBeLessThanOrEqual(1366);
    // The verdict badges say what they mean, from the one table the dossier uses too.
    await page.locator('.cell-panel .verdict-key').getByText('mesures insuffisantes').waitFor();
    expect(await blockingViolations(page), 'coverage screen with a cell panel').toEqual([]);

    // « Créer cette zone », clicked twice at once: one zone; the suggestion goes at once.
    const suggestions = page.getByRole('list', { name: 'Zones suggérées' });
    await suggestions.getByText('2 mailles (0 blanche, 2 grises) · 32 relevés · 1 contributeur').waitFor();
    await suggestions.getByRole('button', { name: 'Créer cette zone' }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Zone « Zone suggérée n° 1 (2 mailles) » créée' }).waitFor();
    await page.getByText('Aucune zone blanche ou grise dans la vue.').waitFor();
    await legend.getByText('Zone en cours (1 dans la vue)').waitFor();
    const zones = await server.store.listZones('34');
    expect(zones.map((zone) => zone.cells)).toEqual([[ID_A, ID_B]]);

    // Selecting a filed cell into another zone: the server's 409 names the zone.
    await page.getByText('La sélectionne', { exact: true }).click();
    await page.mouse.click(centre.x, centre.y);
    await page.getByRole('button', { name: 'Créer une zone' }).click();
    const form = page.getByRole('form', { name: 'Créer une zone' });
    await form.getByLabel('Nom de la zone').fill('Doublon');
    await form.getByRole('button', { name: 'Créer la zone (1 maille)' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: `Cette maille est déjà dans la zone « Zone suggérée n° 1 (2 mailles) » (n° ${zones[0]!.id}, À étudier)` })
      .waitFor();
    expect(await server.store.listZones('34')).toHaveLength(1);

    // Zoomed out, « zoom in for suggestions » is advice, not an error.
    await page.evaluate(() => (window.location.hash = '#zones'));
    await page.getByRole('heading', { name: /Zones candidates/ }).waitFor();
    await page.evaluate((view) => (window.location.hash = `#couverture?${view}`), `view=10/${POSITION.latitude}/${POSITION.longitude}`);
    const advice = page.locator('.coverage-side').getByText('Zoomez sur une commune pour voir les zones suggérées.');
    await advice.waitFor();
    await eventually(() => advice.getAttribute('role')).toBe('status');
    await expect(advice.evaluate((element) => getComputedStyle(element).color)).resolves.not.toBe(ERROR_RED);
    await eventually(() => page.locator('.coverage-side [role="alert"]').count()).toBe(0);
  });

  it('« Signalements »: a report names its commune and opens the coverage map on its cell', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seedZoneGrise(server, [CELL_A]);
    const [lon, lat] = cellCentre(CELL_A);
    const sent = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reports: [
          {
            id: crypto.randomUUID(),
            reportedAt: new Date().toISOString(),
            lat: lat + 0.0003,
            lon: lon + 0.0003,
            accuracyM: 15,
            positionSource: 'gps',
            operator: 'sfr',
            problem: 'no-signal',
            setting: 'outdoor',
          },
        ],
      }),
    });
    expect(sent.status, await sent.text()).toBe(200);

    const page = await reviewerDesk(launch, server, reviewer, '#signalements');
    await expect.poll(() => page.title()).toBe('Signalements des habitants · Couverture');
    const card = page.getByRole('list', { name: 'Signalements' }).getByRole('listitem').first();
    await card.getByText(/^Saint-Guilhem-le-Désert \(34261\) · /).waitFor();
    expect(await blockingViolations(page), 'reports screen').toEqual([]);

    await card.getByRole('link', { name: 'Voir sur la carte de couverture' }).click();
    await page.getByRole('heading', { level: 2, name: /^Couverture/ }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    // The map's centre is the report's cell: a click there opens it.
    const centre = await mapCentre(page);
    await page.mouse.click(centre.x, centre.y);
    await page.getByRole('heading', { name: `Saint-Guilhem-le-Désert — maille 200 m n° ${ID_A}` }).waitFor();
  });

  it('the zones list and the printed A4 dossier: the whole zone framed, verdict colours printed, every row on paper, nothing cut', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    // A dossier's evidence is outdoors (the rule's).
    await seedZoneGrise(server, [CELL_A, CELL_B], 'outdoor');
    // A zone with a long history and long notes, as after months of instruction: three pages.
    const at = '2026-05-04T12:00:00.000Z';
    const by = { id: reviewer.id, name: reviewer.name };
    const zone: Omit<Zone, 'history' | 'followUp'> = {
      id: crypto.randomUUID(),
      departement: '34',
      name: 'Gorges du Verdus',
      cells: [ID_A, ID_B],
      need: 'axe-routier',
      notes: `${'Route départementale sans réseau dans les virages, appels d’urgence impossibles. '.repeat(20)}Fin des notes.`,
      communes: ['34261'],
      status: 'a-etudier',
      createdAt: at,
      updatedAt: at,
    };
    await server.store.createZone(zone, { at, by, from: null, to: 'a-etudier', reason: 'Zone créée' });
    const reasons: string[] = [];
    for (let round = 1; round <= 12; round += 1) {
      for (const [from, to] of [
        ['a-etudier', 'retenue'],
        ['retenue', 'a-etudier'],
      ] as const) {
        const reason = `Étape ${round}${to === 'retenue' ? 'a' : 'b'} : avis de la commission du ${round} mai`;
        reasons.push(reason);
        expect(await server.store.moveZone(zone.id, { at, by, from, to, reason })).toBe(true);
      }
    }

    const page = await reviewerDesk(launch, server, reviewer, '#zones');
    await page.getByRole('listitem', { name: 'Gorges du Verdus' }).waitFor();
    await expect.poll(() => page.title()).toBe('Zones candidates · Couverture');
    expect(await blockingViolations(page), 'zones list').toEqual([]);

    await page.getByRole('listitem', { name: 'Gorges du Verdus' }).getByRole('link', { name: 'Page imprimable' }).click();
    const sheet = page.getByRole('article', { name: 'Gorges du Verdus' });
    await sheet.getByRole('table', { name: 'Par opérateur' }).waitFor();
    await expect.poll(() => page.title()).toBe('Dossier de zone · Couverture');
    await sheet.locator('.dossier-map path').nth(2).waitFor();
    expect(await blockingViolations(page), 'dossier').toEqual([]);

    // Laid out for print, as wide as an A4 sheet's text (210 − 2 × 12 mm): every cell inside the map, nothing wider than the sheet.
    await page.setViewportSize({ width: Math.round((186 / 25.4) * 96), height: 900 });
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => cellsOutsideMap(page), { message: 'the map frames every cell of the zone' }).toEqual([]);
    expect(await overflowing(page, '.dossier-sheet')).toEqual([]);
    const pdf = await page.pdf({ format: 'A4' });
    await page.emulateMedia({ media: 'screen' });

    const dir = await mkdtemp(join(tmpdir(), 'couverture-dossier-'));
    try {
      const file = join(dir, 'dossier.pdf');
      await writeFile(file, pdf);
      const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
      const pages = text.split('\f').filter((page) => page.trim().length > 0);
      // Issue 17 added the figures behind each verdict (intervals, tests per protocol): the long
      // history now ends on a third page, no more.
      expect(pages, 'the long history takes a third page, no more').toHaveLength(3);
      // Each operator's row in both tables and its figures with their intervals, and the calls' total.
      for (const row of ['Orange', 'SFR', 'Bouygues', 'Free Mobile']) expect(text.match(new RegExp(row, 'g'))?.length, row).toBe(3);
      // Orange's 8 readings at BC or better, with their interval (two columns when printed).
      expect(text).toContain('100 % [68–100 %] sur 8 relevés');
      expect(text).toMatch(/Tous\s+32\s+8 \(25 %\)\s+24\s+0/);
      expect(text).toMatch(/Relevés\s+.*\n\s*2\s+32\s+1/);
      for (const reason of reasons) expect(text.replace(/\s+/g, ' ')).toContain(reason);
      expect(text).toContain('Fin des notes.');

      await run('pdftoppm', ['-r', '60', file, join(dir, 'page')]);
      const images = (await readdir(dir)).filter((name) => name.endsWith('.ppm')).sort();
      expect(images).toHaveLength(3);
      const first = parsePpm(await readFile(join(dir, images[0]!)));
      // The legend's zone-grise swatch and the verdict badges (CL, TBC) print in their colours.
      for (const [name, colour] of [
        ['zone grise', [0xf2, 0x99, 0x00]],
        ['CL', [0x9a, 0x5b, 0x00]],
        ['TBC', [0x1a, 0x7f, 0x37]],
      ] as const) {
        expect(countNear(first, colour), `${name} pixels on page 1`).toBeGreaterThan(10);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Cells drawn on the dossier's map whose outline crosses its edge. */
function cellsOutsideMap(page: Page): Promise<string[]> {
  return page.locator('.dossier-map').evaluate((map) => {
    const frame = map.getBoundingClientRect();
    return [...map.querySelectorAll('path')].flatMap((path, i) => {
      const box = path.getBoundingClientRect();
      const inside = box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
      return inside
        ? []
        : [
            `path ${i}: ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} outside ${Math.round(frame.left)},${Math.round(frame.top)}–${Math.round(frame.right)},${Math.round(frame.bottom)}`,
          ];
    });
  });
}

interface Image {
  width: number;
  height: number;
  rgb: Buffer;
}

/** pdftoppm's default output: binary PPM (P6), 8 bits per channel. */
function parsePpm(data: Buffer): Image {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: data.subarray(header[0].length, header[0].length + width * height * 3) };
}

/** Pixels within a few levels of `colour` (anti-aliasing and colour management aside). */
function countNear({ rgb }: Image, colour: readonly [number, number, number], tolerance = 8): number {
  let count = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    if (Math.abs(rgb[i]! - colour[0]) <= tolerance && Math.abs(rgb[i + 1]! - colour[1]) <= tolerance && Math.abs(rgb[i + 2]! - colour[2]) <= tolerance)
      count += 1;
  }
  return count;
}
