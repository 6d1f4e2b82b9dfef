import { brotliDecompressSync } from 'node:zlib';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell } from '../../src/domain/grid/cell-tiles.ts';
import { CompactCellSchema, CompactCellsAnswerSchema, CompactOperatorStatsSchema } from '../../src/domain/api/cells.ts';
import { FORMAT_SAMPLE_TILE, formatSampleReads } from '../../src/server/cache/answer-format-sample.ts';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { surveyTwoDepartements } from '../security/two-departements-cells.ts';
import { cellsAppOver, countTileBuilds } from './cells-app.ts';
import { addUser, SAINT_GUILHEM, TEST_CENTRES, useTempDir, useTestApps } from './fixtures.ts';

/**
 * The tile answers' format, derived (cache/stored-answers.ts, cache/answer-format-sample.ts):
 * each process builds the page's answer of a fixed sample of rows through the same code as
 * every tile's, and that text is part of the version answers are kept under in the database.
 * A process whose code writes answers otherwise never serves those another process's code
 * kept; the sample gives every field of the answer a value, so that a change to any field
 * changes it. On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Saint-Guilhem's tile at 1 km: the Hérault's view, kept for the default filters. */
const TILE = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 1000)!);

/** Whether a field says something: not null, not an empty list or record. */
function informative(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** `store`'s reads answered by the format sample's rows, as the sample's build reads them. */
function readSample(store: Store): void {
  const sample = formatSampleReads();
  vi.spyOn(store, 'gridGroups').mockImplementation(sample.gridGroups);
  vi.spyOn(store, 'gridReports').mockImplementation(sample.gridReports);
  vi.spyOn(store, 'populationIn').mockImplementation(sample.populationIn);
  vi.spyOn(store, 'declaredCells').mockImplementation(sample.declaredCells);
}

describe('the tile answers’ format, derived from a sample', () => {
  it('the sample’s answer is a valid compact answer giving every field of a cell and of an operator’s figures a value', async () => {
    const { app, store } = await openApp();
    const admin = await addUser(app, { role: 'admin' });
    readSample(store);
    const response = await app.inject({ method: 'GET', url: cellsTileUrl(DEFAULT_FILTERS, FORMAT_SAMPLE_TILE), headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    const answer = v.parse(CompactCellsAnswerSchema, response.json());
    expect(answer.cells.length).toBeGreaterThan(1);
    const silent = (keys: string[], values: Record<string, unknown>[]) => keys.filter((key) => !values.some((value) => informative(value[key])));
    expect(silent(Object.keys(CompactCellSchema.entries), answer.cells), 'fields of a cell the sample leaves empty').toEqual([]);
    const operators = answer.cells.flatMap((cell) => Object.values(cell.operators));
    expect(silent(Object.keys(CompactOperatorStatsSchema.entries), operators), 'figures of an operator the sample leaves empty').toEqual([]);
    const figures = operators.map((stats) => stats.figures as unknown as Record<string, unknown>);
    expect(silent(Object.keys(figures[0]!), figures), 'figures the sample leaves empty').toEqual([]);
  });

  it('a process whose code writes the answers otherwise builds its tiles instead of serving those another process kept', async () => {
    const first = await cellsAppOver(openApp, { atStart: true });
    const { herault } = await surveyTwoDepartements(first.app);
    await first.listen();
    expect((await first.nextPass(0)).rebuilt).toBeGreaterThan(0);
    const kept = await first.viewTile(TILE, herault, { headers: { 'accept-encoding': 'br' } });
    const keptText = brotliDecompressSync(kept.rawPayload).toString('utf8');
    expect(keptText).toContain('"name":"Hérault"');
    await first.app.close();

    // The next release names the Hérault otherwise (its shipped names): the same rows, another text.
    const communes = createCommunes(TEST_CENTRES);
    const renamed = { ...communes, departementName: (code: string) => (code === '34' ? 'Hérault (34)' : communes.departementName(code)) };
    const second = await cellsAppOver((options) => openApp({ ...options, communes: renamed }), { store: await openStore(first.location), atStart: true });
    const builds = countTileBuilds(second.store);
    await second.listen();
    await second.nextPass(0);
    expect(builds()).toBeGreaterThan(0);
    const response = await second.viewTile(TILE, herault, { headers: { 'accept-encoding': 'identity' } });
    expect(response.headers['x-grid-version-served']).not.toBe(kept.headers['x-grid-version-served']);
    expect(response.headers.etag).not.toBe(kept.headers.etag);
    expect(response.body).toContain('"name":"Hérault (34)"');
    expect(response.body).toBe(keptText.replaceAll('"name":"Hérault"', '"name":"Hérault (34)"'));
  });

  it('reads again what the version is made of after a failed read, instead of failing every tile until a restart', async () => {
    const { app, store } = await openApp();
    const { herault } = await surveyTwoDepartements(app);
    vi.spyOn(store, 'referenceGeneration').mockRejectedValueOnce(new Error('base occupée'));
    const view = () => app.inject({ method: 'GET', url: cellsTileUrl(DEFAULT_FILTERS, TILE), headers: herault.headers });
    expect((await view()).statusCode).toBe(500);
    const again = await view();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().cells.length).toBeGreaterThan(0);
  });
});
