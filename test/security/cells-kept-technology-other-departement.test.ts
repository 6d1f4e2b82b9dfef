import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FILTERS, type CoverageFilters } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell } from '../../src/domain/grid/cell-tiles.ts';
import { cellsAppOver, countTileBuilds } from '../server/cells-app.ts';
import { makeReading, postReadings, SAINT_GUILHEM, useTempDir, useTestApps } from '../server/fixtures.ts';
import { surveyTwoDepartements } from './two-departements-cells.ts';

/**
 * Attack: the server keeps built, at 1 km, each technology's and each setting's view of a tile
 * among those of its readings (routes/cells.ts's keptTileViews). Were that list made from every
 * reading in the tile, a Hérault reviewer would find the 5G view of a tile across the border
 * answered at once (kept) when only the Gard measured 5G there, and built when nobody did: the
 * time of an answer with no cell would tell them what the Gard's agents measured. Each scope's
 * list is made from the readings that scope sees (grid/tiles-with-data.ts): the Gard's 5G view
 * is kept, the Hérault's is built by its request like any view nobody of its scope measured.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Sommières (30), in the same 50 km tile at 1 km as Saint-Guilhem (34). */
const SOMMIERES = { lat: 43.783, lon: 4.089 };
const TILE = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 1000)!);
const FIVE_G: CoverageFilters = { ...DEFAULT_FILTERS, technology: '5G' };

describe('the technologies’ views kept at 1 km, across the border', () => {
  it('keeps the 5G view of a tile for the scope that measured 5G in it, never for another scope’s reviewers', async () => {
    const server = await cellsAppOver(openApp, { atStart: true });
    const { agent, herault, gard } = await surveyTwoDepartements(server.app);
    expect(tileOfCell(cellAt(SOMMIERES.lon, SOMMIERES.lat, 1000)!)).toEqual(TILE);
    expect((await postReadings(server.app, [makeReading({ ...SOMMIERES, technology: '5G', signalDbm: -85 })], agent)).statusCode).toBe(200);
    await server.listen();
    await server.nextPass(0);
    const builds = countTileBuilds(server.store);

    const gardView = await server.viewTile(TILE, gard, { filters: FIVE_G });
    expect(gardView.statusCode, gardView.body).toBe(200);
    expect((gardView.json() as { cells: unknown[] }).cells).toHaveLength(1);
    expect(builds()).toBe(0);

    const heraultView = await server.viewTile(TILE, herault, { filters: FIVE_G });
    expect(heraultView.statusCode, heraultView.body).toBe(200);
    expect((heraultView.json() as { cells: unknown[] }).cells).toEqual([]);
    // Built by its request: nothing kept for the Hérault says the Gard measured 5G there.
    expect(builds()).toBe(1);
    // The Hérault's own technology's view is kept for it.
    expect((await server.viewTile(TILE, herault, { filters: { ...DEFAULT_FILTERS, technology: '4G' } })).statusCode).toBe(200);
    expect(builds()).toBe(1);
  });
});
