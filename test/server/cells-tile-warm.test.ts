import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FILTERS, type CoverageFilters } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, tileSideM, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import { createAnswerCache, type AnswerCache } from '../../src/server/cache/answer-cache.ts';
import { createAnswerWarmer, type WarmPass } from '../../src/server/cache/answer-warmer.ts';
import { operatorFilters } from '../../src/domain/grid/coverage-query.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { OPERATOR_VIEW_RESOLUTION_M } from '../../src/server/routes/cells.ts';
import { tilesWithData, type ReadingKinds } from '../../src/server/grid/tiles-with-data.ts';
import { SETTINGS } from '../../src/domain/reading.ts';
import { TECHNOLOGIES } from '../../src/domain/signal.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { surveyTwoDepartements } from '../security/two-departements-cells.ts';
import { cellsAppOver } from './cells-app.ts';
import { addUser, makeReading, NIMES, postReadings, useTempDir, useTestApps, type Caller } from './fixtures.ts';

/**
 * The map's tiles kept built (routes/cells.ts's `warm.atStart`, cache/answer-warmer.ts's
 * `keep`): once the server listens, the page's answer of every tile holding data, at every
 * resolution the map draws, for the admin and each département's reviewers, is built in the
 * background, so that a first view after a start is a lookup; after new data, one pass reads
 * every kept tile's version in one call and rebuilds only the tiles whose version changed. The
 * tests wait for the passes to be reported, never sleep. On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

const RESOLUTIONS = [200, 1000, 2000, 5000, 10_000];
/** Agde (34), 45 km from Saint-Guilhem: another 10 km cell, another 200 m tile. */
const AGDE = { lat: 43.3108, lon: 3.4758 };

async function warmingApp() {
  const server = await cellsAppOver(openApp, { atStart: true });
  const survey = await surveyTwoDepartements(server.app);
  const admin = await addUser(server.app, { role: 'admin' });
  const view = (tile: CellTile, caller: Caller, headers: Record<string, string> = {}, filters: CoverageFilters = DEFAULT_FILTERS) =>
    server.viewTile(tile, caller, { filters, headers });
  return { ...server, ...survey, admin, view };
}

/**
 * The page's views the warmer keeps: every tile holding data with the default filters, then
 * each operator alone at 1 km, then each technology and each setting alone among those of the
 * tile's readings the scope sees (routes/cells.ts's keptTileViews), for each scope.
 */
async function keptViews(store: Store) {
  const tiles = await tilesWithData(store);
  const oneKilometre = tiles.filter(({ tile }) => tile.resolutionM === OPERATOR_VIEW_RESOLUTION_M);
  const filtered = (filtersOf: (kinds: ReadingKinds) => CoverageFilters[]) =>
    oneKilometre.flatMap((kept) => filtersOf(kept.kinds).map((filters) => ({ ...kept, filters })));
  return [
    ...tiles.map((kept) => ({ ...kept, filters: DEFAULT_FILTERS as CoverageFilters })),
    ...filtered(() => OPERATORS.map(operatorFilters)),
    ...filtered(({ technologies }) => TECHNOLOGIES.filter((t) => technologies.has(t)).map((technology) => ({ ...DEFAULT_FILTERS, technology }))),
    ...filtered(({ settings }) => SETTINGS.filter((s) => settings.has(s)).map((setting) => ({ ...DEFAULT_FILTERS, setting }))),
  ];
}

/** Whether a tile holds a point's 10 km cell. */
function holds(tile: CellTile, point: { lat: number; lon: number }): boolean {
  const unit = cellAt(point.lon, point.lat, 10_000)!;
  const side = tileSideM(tile.resolutionM);
  return unit.east >= tile.east && unit.east < tile.east + side && unit.north >= tile.north && unit.north < tile.north + side;
}

describe('the map’s tiles kept built from the start', () => {
  it('builds every tile holding data once the server listens, for each scope, so that the page’s first view of any is a lookup', async () => {
    const { store, herault, gard, admin, nextPass, view, listen } = await warmingApp();
    const kept = await keptViews(store);
    // Both places at every resolution, for the admin and each reviewer.
    expect(new Set(kept.map(({ tile }) => tile.resolutionM))).toEqual(new Set(RESOLUTIONS));
    await listen();
    const pass = await nextPass(0);
    expect(pass).toMatchObject({ checked: kept.length, rebuilt: kept.length, failed: 0 });

    const groups = vi.spyOn(store, 'gridGroups');
    const reports = vi.spyOn(store, 'gridReports');
    // Each operator's view too at 1 km, and the views of the readings' technology and setting
    // alone (4G, outdoors: the survey's), none of another's.
    expect(kept.filter(({ filters }) => filters.operators.length === 1).length).toBeGreaterThan(0);
    expect(new Set(kept.map(({ filters }) => filters.technology))).toEqual(new Set([undefined, '4G']));
    expect(new Set(kept.map(({ filters }) => filters.setting))).toEqual(new Set([undefined, 'outdoor']));
    for (const { tile, scope, filters } of kept) {
      const callers = scope.kind === 'all' ? [admin] : scope.departements[0] === '34' ? [herault] : [gard];
      for (const caller of callers) {
        const response = await view(tile, caller, { 'accept-encoding': 'br' }, filters);
        expect(response.statusCode, response.body).toBe(200);
        // An operator's view of a tile may be too small to compress.
        if (filters === DEFAULT_FILTERS) expect(response.headers['content-encoding']).toBe('br');
      }
    }
    expect(groups).not.toHaveBeenCalled();
    expect(reports).not.toHaveBeenCalled();

    // Held compressed only: a client taking no encoding, or gzip, gets the same text made again from it.
    const { tile } = kept.find(({ scope }) => scope.kind === 'all')!;
    const plain = await view(tile, admin, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const brotli = await view(tile, admin, { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(brotli.rawPayload).toString('utf8')).toBe(plain.body);
    const gzip = await view(tile, admin, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(plain.body);
    expect(plain.json().cells.length).toBeGreaterThan(0);
    expect(groups).not.toHaveBeenCalled();
  });

  it('skips a tile a request built before the pass, and leaves tiles without data to their request', async () => {
    const { store, admin, nextPass, view, listen } = await warmingApp();
    const kept = await keptViews(store);
    const nimes = tileOfCell(cellAt(NIMES.lon, NIMES.lat, 200)!);
    expect((await view(nimes, admin)).statusCode).toBe(200);
    await listen();
    expect(await nextPass(0)).toMatchObject({ checked: kept.length, rebuilt: kept.length - 1, failed: 0 });
    // A tile of the sea off Sète: nobody's data, nothing kept, built by its request.
    const empty = tileOfCell(cellAt(3.8, 43.2, 200)!);
    expect(kept.some(({ tile }) => tile.east === empty.east && tile.north === empty.north && tile.resolutionM === 200)).toBe(false);
    const groups = vi.spyOn(store, 'gridGroups');
    expect((await view(empty, admin)).json()).toMatchObject({ cells: [] });
    expect(groups).toHaveBeenCalled();
  });

  it('after new data, reads the kept tiles’ versions and rebuilds only the tiles whose version changed', async () => {
    const { app, store, agent, gard, admin, nextPass, view, listen } = await warmingApp();
    const kept = await keptViews(store);
    await listen();
    await nextPass(0);
    const tiles = kept.map(({ tile }) => tile);
    const before = await store.gridTileVersions(tiles);
    const areaVersions = vi.spyOn(store, 'gridTileVersions');

    expect((await postReadings(app, [makeReading({ ...NIMES, operator: 'bouygues' })], agent)).statusCode).toBe(200);
    const pass = await nextPass(1);
    const after = await store.gridTileVersions(tiles);
    const changed = kept.filter((_, i) => before[i] !== after[i]);
    // The tiles holding Nîmes changed (for the admin, the Gard, and the Hérault where a tile holds both), only those.
    expect(changed).toEqual(kept.filter(({ tile }) => holds(tile, NIMES)));
    expect(changed.length).toBeLessThan(kept.length);
    expect(pass).toMatchObject({ checked: kept.length, rebuilt: changed.length, failed: 0 });
    // One read of every kept tile's version for the pass (the others are this test's).
    expect(areaVersions.mock.calls.filter(([asked]) => asked.length === kept.length)).toHaveLength(2);

    const groups = vi.spyOn(store, 'gridGroups');
    const nimes = tileOfCell(cellAt(NIMES.lon, NIMES.lat, 1000)!);
    for (const caller of [gard, admin]) {
      const response = await view(nimes, caller);
      const cells = response.json().cells as { readings: number; operators: Record<string, unknown> }[];
      expect(cells.some((cell) => 'bouygues' in cell.operators)).toBe(true);
    }
    expect(groups).not.toHaveBeenCalled();
  });
});

describe('tiles with data since the start', () => {
  it('keeps built a tile whose first reading came after the start, from the next pass', async () => {
    const { store, agent, herault, nextPass, view, listen, app } = await warmingApp();
    await listen();
    const first = await nextPass(0);
    const agde = tileOfCell(cellAt(AGDE.lon, AGDE.lat, 200)!);
    expect((await tilesWithData(store)).some(({ tile }) => tile.east === agde.east && tile.north === agde.north && tile.resolutionM === 200)).toBe(false);

    expect((await postReadings(app, [makeReading({ ...AGDE, operator: 'sfr' })], agent)).statusCode).toBe(200);
    const pass = await nextPass(1);
    const kept = await keptViews(store);
    expect(pass.checked).toBe(kept.length);
    expect(pass.checked).toBeGreaterThan(first.checked);
    const groups = vi.spyOn(store, 'gridGroups');
    const response = await view(agde, herault);
    expect(response.statusCode).toBe(200);
    expect(response.json().cells).toHaveLength(1);
    expect(groups).not.toHaveBeenCalled();
  });
});

/** A warmer over `cache` whose data never changes (version v1 everywhere), its passes recorded. */
function warmerOver(cache: AnswerCache, bound: { keptBytes?: number } = {}) {
  const passes: WarmPass[] = [];
  const warmer = createAnswerWarmer<string>({
    cache,
    version: async () => 'v1',
    areaVersions: async (areas) => areas.map(() => 'v1'),
    keyOf: (version, query) => `${version}|${query}`,
    keepMs: 60_000,
    ...bound,
    quietMs: 0,
    pollMs: 5,
    now: () => 0,
    onError: (error) => {
      throw error;
    },
    onPass: (pass) => passes.push(pass),
  });
  return { warmer, passes };
}

describe('the warmer’s kept queries', () => {
  const build = (bytes: number) => async () => ({ type: 'application/json', body: 'x'.repeat(bytes) });

  it('builds kept queries only while the cache holds less than keptBytes, and never pushes out asked answers', async () => {
    const cache = createAnswerCache(10_000);
    const { warmer, passes } = warmerOver(cache, { keptBytes: 250 });
    try {
      warmer.keep(async () => ['a', 'b', 'c', 'd', 'e'].map((query) => ({ query, build: build(100), area: query })));
      await vi.waitFor(() => expect(passes).toHaveLength(1), { timeout: 5000, interval: 5 });
      expect(passes[0]).toMatchObject({ checked: 5, rebuilt: 3, failed: 0 });
      expect(['a', 'b', 'c', 'd', 'e'].map((query) => cache.has(`v1|${query}`))).toEqual([true, true, true, false, false]);
    } finally {
      await warmer.close();
    }
  });

  it('keeps the answers held for the warmer past a large asked answer, until a newer version of their query replaces them', async () => {
    const cache = createAnswerCache(10_000);
    const text = (bytes: number) => async () => ({ type: 'application/json', body: JSON.stringify({ cells: 'ab'.repeat(bytes / 2) }) });
    const origin = (query: string, version: string, builtAt: number) => ({ query, version, builtAt });
    await cache.get('v1|tile', text(4_000), origin('tile', 'v1', 0));
    await cache.compressedOnly('v1|tile', 'br');
    await cache.get('v1|box-1', text(3_000), origin('box-1', 'v1', 1));
    // An API client's large box: the older asked answer goes, the tile held for the warmer stays.
    await cache.get('v1|box-2', text(8_000), origin('box-2', 'v1', 2));
    expect([cache.has('v1|tile'), cache.has('v1|box-1'), cache.has('v1|box-2')]).toEqual([true, false, true]);

    // The tile changed and was rebuilt: its older answer goes.
    await cache.get('v2|tile', text(4_000), origin('tile', 'v2', 3));
    await cache.compressedOnly('v2|tile', 'br');
    await cache.get('v1|box-3', text(9_500), origin('box-3', 'v1', 4));
    expect([cache.has('v1|tile'), cache.has('v2|tile'), cache.has('v1|box-3')]).toEqual([false, true, true]);
  });

  it('holds kept answers in their first encoding only, their text made again from it when read', async () => {
    const cache = createAnswerCache(1_000_000);
    const text = JSON.stringify({ cells: Array.from({ length: 2000 }, (_, i) => ({ cellId: `cellule-${i % 7}`, readings: i % 3 })) });
    const { warmer, passes } = warmerOver(cache);
    try {
      warmer.keep(async () => [{ query: 'a', build: async () => ({ type: 'application/json', body: text }), area: 'a', encodings: ['br'] }]);
      await vi.waitFor(() => expect(passes).toHaveLength(1), { timeout: 5000, interval: 5 });
      const answer = await cache.get('v1|a', () => Promise.reject(new Error('built again')));
      const compressed = await cache.encoded('v1|a', answer, 'br');
      expect(cache.bytes).toBe(compressed.length);
      expect(compressed.length * 20).toBeLessThan(text.length);
      expect(answer.bytes).toBe(text.length);
      expect(answer.body).toBe(text);
    } finally {
      await warmer.close();
    }
  });
});
