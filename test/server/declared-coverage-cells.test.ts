import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCellId } from '../../src/domain/grid/cell-id.ts';
import { rankSuggestions } from '../../src/domain/grid/zone-suggestion.ts';
import type { Operator } from '../../src/domain/operators.ts';
import { importDeclaredCoverage } from '../../src/server/data-import/declared-coverage.ts';
import { writeGeoPackage, type CoverageShape, type LaeaRect } from './declared-coverage-files.ts';
import { addUser, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';
import { AROUND, byCell, CELL_A, getCells, ID_A, levelReading, pointIn } from './grid-helpers.ts';

const tempDir = useTempDir();
let opened: TestApp | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

const { east: E, north: N } = CELL_A;
// 6 km wide: every 1 km and 2 km cell holding A lies wholly inside.
const AROUND_A: LaeaRect = [E - 3000, N - 3000, E + 3000, N + 3000];

/** Imports one operator's map declaring `niveau` over the square around cell A. */
async function declare(app: TestApp, operator: Operator | string, technology: string, niveau: string, date = '2026-07-01'): Promise<void> {
  const file = join(tempDir(), `${operator}-${technology}-${date}.gpkg`);
  const shapes: CoverageShape[] = [{ rect: AROUND_A, properties: { operateur: operator, techno: technology, niveau, date, dept: '34' } }];
  writeGeoPackage(file, shapes);
  await importDeclaredCoverage([file], app.store, new Date('2026-11-02T09:00:00Z'));
}

/** Cell A, measured: sfr very good, the others without coverage (a zone grise); 12 readings each from three agents (a firm verdict). */
async function survey(app: TestApp['app']): Promise<void> {
  const agents = [await addUser(app), await addUser(app), await addUser(app)];
  for (const [operator, level] of [
    ['orange', 'PC'],
    ['sfr', 'TBC'],
    ['bouygues', 'PC'],
    ['free', 'PC'],
  ] as const) {
    for (const agent of agents) {
      const readings = [0.2, 0.4, 0.6, 0.8].map((fx) => levelReading(level, { operator, ...pointIn(CELL_A, fx, 0.5) }));
      expect((await postReadings(app, readings, agent)).json().accepted).toHaveLength(readings.length);
    }
  }
}

describe('GET /api/v1/cells: declared coverage and discrepancies', () => {
  it('gives each cell the operators’ declared levels, and the operators whose map says covered where measurements say not', { timeout: 60_000 }, async () => {
    opened = await openTestApp(tempDir());
    await survey(opened.app);
    await declare(opened, '20801', '4G', 'Très bonne couverture');
    await declare(opened, '20810', '4G', 'Bonne couverture');
    await declare(opened, '20815', '4G', 'Couverture limitée');
    const reviewer = await addUser(opened.app, { role: 'reviewer', departement: '34' });

    const response = await getCells(opened.app, reviewer.headers, `bbox=${AROUND}`);
    expect(response.statusCode).toBe(200);
    const cell = byCell(response.json())[ID_A];
    expect(cell.operators.orange.verdict).toBe('PC');
    expect(cell.operators.sfr.verdict).toBe('TBC');
    // Bouygues has no map loaded: absent. Free declares CL where it measures PC: no contestation.
    expect(cell.declared).toEqual({ orange: 'TBC', sfr: 'BC', free: 'CL' });
    expect(cell.discrepancy).toEqual(['orange']);

    // 1 km cells read the stored 1 km levels; 2 km cells the majority of their 1 km cells.
    for (const resolution of [1000, 2000]) {
      const coarse = (await getCells(opened.app, reviewer.headers, `bbox=${AROUND}&resolution=${resolution}`)).json();
      expect(coarse.features).toHaveLength(1);
      expect(coarse.features[0].properties).toMatchObject({ declared: { orange: 'TBC', sfr: 'BC', free: 'CL' }, discrepancy: ['orange'] });
    }
  });

  it('takes the technology filter’s map, else the best any technology declares', { timeout: 60_000 }, async () => {
    opened = await openTestApp(tempDir());
    await survey(opened.app);
    await declare(opened, 'orange', '4G', 'TBC');
    await declare(opened, 'orange', '2G', 'CL');
    const reviewer = await addUser(opened.app, { role: 'reviewer', departement: '34' });
    const cellA = async (query: string) => byCell((await getCells(opened!.app, reviewer.headers, `bbox=${AROUND}${query}`)).json())[ID_A];

    expect(await cellA('')).toMatchObject({ declared: { orange: 'TBC' }, discrepancy: ['orange'] });
    expect(await cellA('&technology=none,2G')).toMatchObject({ declared: { orange: 'CL' }, discrepancy: [] });
  });

  it('answers empty declared levels and no discrepancy where no map is loaded', async () => {
    opened = await openTestApp(tempDir());
    await survey(opened.app);
    const reviewer = await addUser(opened.app, { role: 'reviewer', departement: '34' });
    const cell = byCell((await getCells(opened.app, reviewer.headers, `bbox=${AROUND}`)).json())[formatCellId(CELL_A)];
    expect(cell).toMatchObject({ declared: {}, discrepancy: [] });
  });
});

describe('a zone’s dossier: the operators’ maps against the measurements', () => {
  it('states per operator « carte de l’opérateur : bonne couverture sur N mailles ; mesures : … » with the edition used', { timeout: 60_000 }, async () => {
    opened = await openTestApp(tempDir());
    await survey(opened.app);
    await declare(opened, '20801', '4G', 'Très bonne couverture', '2026-07-01');
    await declare(opened, '20815', '4G', 'Couverture limitée', '2026-04-01');
    const reviewer = await addUser(opened.app, { role: 'reviewer', departement: '34' });
    const outside = { ...CELL_A, east: CELL_A.east + 4000 };
    const draft = { name: 'Gorges de l’Hérault', cells: [ID_A, formatCellId(outside)], need: 'axe-routier' };
    const created = await opened.app.inject({ method: 'POST', url: '/api/v1/zones', headers: reviewer.headers, payload: draft });
    expect(created.statusCode).toBe(201);

    const dossier = (await opened.app.inject({ method: 'GET', url: `/api/v1/zones/${created.json().id}/dossier.json`, headers: reviewer.headers })).json();
    expect(dossier.declaredCoverage).toEqual([
      {
        operator: 'orange',
        label: 'Orange',
        editions: [{ technology: '4G', editionDate: '2026-07-01', source: '20801-4G-2026-07-01.gpkg' }],
        declaredGood: 1,
        declaredVeryGood: 1,
        cells: 2,
        measured: 'PC',
        discrepantCells: 1,
        sentence:
          'carte de l’opérateur : bonne couverture sur 1 maille sur 2 (dont très bonne sur 1) ; mesures : pas de couverture sur la zone, ' +
          '1 maille en écart avec la carte. Carte 4G, édition du 01/07/2026 (20801-4G-2026-07-01.gpkg).',
      },
      expect.objectContaining({ operator: 'free', declaredGood: 0, measured: 'PC', discrepantCells: 0 }),
    ]);
  });
});

describe('suggestions ranked by discrepancy', () => {
  it('count each suggestion’s cells in disagreement with an operator’s map, and can put those first', { timeout: 60_000 }, async () => {
    opened = await openTestApp(tempDir());
    await survey(opened.app);
    await declare(opened, '20801', '4G', 'Très bonne couverture');
    const reviewer = await addUser(opened.app, { role: 'reviewer', departement: '34' });
    const response = await opened.app.inject({ method: 'GET', url: `/api/v1/zones/suggestions?bbox=${AROUND}`, headers: reviewer.headers });
    expect(response.statusCode).toBe(200);
    const [suggestion] = response.json().suggestions;
    expect(suggestion).toMatchObject({ cells: [ID_A], discrepantCells: 1 });

    const plain = { ...suggestion, id: 'sans-écart', discrepantCells: 0 };
    expect(rankSuggestions([plain, suggestion], 'discrepancy').map((s) => s.id)).toEqual([suggestion.id, 'sans-écart']);
    expect(rankSuggestions([plain, suggestion], 'evidence').map((s) => s.id)).toEqual(['sans-écart', suggestion.id]);
  });
});
