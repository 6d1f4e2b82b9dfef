import { brotliDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS, type CoverageFilters } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import { operatorFilters } from '../../src/domain/grid/coverage-query.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { surveyTwoDepartements } from '../security/two-departements-cells.ts';
import { tableRows } from '../support/test-store.ts';
import { cellsAppOver, countTileBuilds } from './cells-app.ts';
import { addUser, makeReading, makeReport, postReadings, postReports, SAINT_GUILHEM, useTempDir, useTestApps, type Caller, type TestApp } from './fixtures.ts';

/**
 * The map's tiles kept in the database (cache/stored-answers.ts, storage/kept-answer-store.ts):
 * what the warmer built before a restart is loaded, not built again, by the next process on the
 * same database, with the same bytes and ETag; an answer kept for an older state of its tile,
 * or before a change everywhere, is never served as current. "A build" is a read of the grid's
 * rows for a tile (cells-app.ts's countTileBuilds). On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Saint-Guilhem's tile at 1 km: the Hérault's view, kept for the default filters and each operator. */
const TILE: CellTile = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 1000)!);

/** Views kept at 1 km: the default, an operator alone, the readings' technology alone, their setting alone. */
const KEPT_FILTERS: CoverageFilters[] = [
  DEFAULT_FILTERS,
  operatorFilters('sfr'),
  { ...DEFAULT_FILTERS, technology: '4G' },
  { ...DEFAULT_FILTERS, setting: 'outdoor' },
];
/** The same view's name in the maps of answers below. */
const nameOf = (filters: CoverageFilters) => `${filters.operators} ${filters.technology ?? ''} ${filters.setting ?? ''}`;

/**
 * A process of the app on `store` keeping the page's tiles built from its start, its builds
 * counted from the moment it listens; `before` runs before (the survey, for the first process).
 */
async function warmingApp<T>(store?: Store, before: (app: TestApp) => Promise<T> = async () => undefined as T) {
  const server = await cellsAppOver(openApp, { ...(store && { store }), atStart: true });
  const made = await before(server);
  const builds = countTileBuilds(server.store);
  await server.listen();
  const view = (caller: Caller, filters: CoverageFilters = DEFAULT_FILTERS, headers: Record<string, string> = {}) =>
    server.viewTile(TILE, caller, { filters, headers: { 'accept-encoding': 'br', ...headers } });
  return { ...server, ...made, view, builds };
}

/** The survey of two départements and an admin, made before the first process listens. */
const survey = async ({ app }: TestApp) => ({ ...(await surveyTwoDepartements(app)), admin: await addUser(app, { role: 'admin' }) });

/** A second process on the first one's database, the first one stopped. */
async function restart(first: TestApp) {
  await first.app.close();
  return warmingApp(await openStore(first.location));
}

describe('the map’s tiles kept in the database', () => {
  it('a restarted app answers the tiles the warmer built before, without building them, with the same bytes and ETag', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault, admin } = first;
    const pass = await first.nextPass(0);
    expect(pass.rebuilt).toBeGreaterThan(0);
    const before = new Map<string, { etag: unknown; encoding: unknown; bytes: Buffer }>();
    for (const [who, caller] of [
      ['herault', herault],
      ['admin', admin],
    ] as const) {
      for (const filters of KEPT_FILTERS) {
        const response = await first.view(caller, filters);
        expect(response.statusCode, response.body).toBe(200);
        before.set(`${who} ${nameOf(filters)}`, { etag: response.headers.etag, encoding: response.headers['content-encoding'], bytes: response.rawPayload });
      }
    }

    const second = await restart(first);
    // The start's pass loads every kept tile instead of building it.
    expect(await second.nextPass(0)).toMatchObject({ rebuilt: pass.rebuilt, failed: 0 });
    expect(second.builds()).toBe(0);
    for (const [who, caller] of [
      ['herault', herault],
      ['admin', admin],
    ] as const) {
      for (const filters of KEPT_FILTERS) {
        const response = await second.view(caller, filters);
        expect(response.statusCode, response.body).toBe(200);
        // An operator's view of a tile may be too small to compress.
        expect(
          { etag: response.headers.etag, encoding: response.headers['content-encoding'], bytes: response.rawPayload },
          `${who} ${nameOf(filters)}`,
        ).toEqual(before.get(`${who} ${nameOf(filters)}`));
        // The browser's copy from before the restart is still the answer.
        expect((await second.view(caller, filters, { 'if-none-match': String(response.headers.etag) })).statusCode).toBe(304);
      }
    }
    // Text made again from the kept brotli for a client taking no encoding.
    const plain = await second.view(herault, DEFAULT_FILTERS, { 'accept-encoding': 'identity' });
    expect(before.get(`herault ${nameOf(DEFAULT_FILTERS)}`)!.encoding).toBe('br');
    expect(plain.body).toBe(brotliDecompressSync(before.get(`herault ${nameOf(DEFAULT_FILTERS)}`)!.bytes).toString('utf8'));
    expect(second.builds()).toBe(0);
  });

  it('serves after a restart, byte for byte, what a fresh build of the same code gives, as the rows hold it', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault, admin } = first;
    await first.nextPass(0);
    const second = await restart(first);
    await second.nextPass(0);
    expect(second.builds()).toBe(0);
    // A third process of the same database that finds nothing kept: it builds each view.
    const fresh = await openApp({ store: await openStore(first.location) });
    vi.spyOn(fresh.store, 'keptAnswers').mockResolvedValue([]);
    const freshBuilds = countTileBuilds(fresh.store);
    const rows = (await tableRows(first.location, ['kept_answers'])).kept_answers as { brotli: Uint8Array }[];
    const kept = new Set(rows.map((row) => brotliDecompressSync(row.brotli).toString('utf8')));
    for (const caller of [herault, admin]) {
      for (const filters of KEPT_FILTERS) {
        const loaded = await second.view(caller, filters, { 'accept-encoding': 'identity' });
        const built = await fresh.app.inject({ method: 'GET', url: cellsTileUrl(filters, TILE), headers: caller.headers });
        expect(built.statusCode, built.body).toBe(200);
        expect(loaded.body, `${caller.email} ${nameOf(filters)}`).toBe(built.body);
        expect(loaded.headers.etag).toBe(built.headers.etag);
        expect(kept.has(built.body)).toBe(true);
      }
    }
    expect(freshBuilds()).toBe(2 * KEPT_FILTERS.length);
    expect(second.builds()).toBe(0);
  });

  it('a process missing a tile in memory loads it from the database when another process kept it', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault } = first;
    await first.nextPass(0);
    const kept = await first.view(herault);
    // Another process of the same database that keeps nothing built by itself.
    const other = await openApp({ store: await openStore(first.location) });
    const builds = countTileBuilds(other.store);
    const response = await other.app.inject({
      method: 'GET',
      url: cellsTileUrl(DEFAULT_FILTERS, TILE),
      headers: { 'accept-encoding': 'br', ...herault.headers },
    });
    expect({ etag: response.headers.etag, bytes: response.rawPayload }).toEqual({ etag: kept.headers.etag, bytes: kept.rawPayload });
    expect(builds()).toBe(0);
  });

  it('never serves an answer kept for an older state of its tile: new data in it, while stopped, is built', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault, agent } = first;
    await first.nextPass(0);
    const old = await first.view(herault);
    const readings = (body: string) => (JSON.parse(body) as { cells: { readings: number }[] }).cells.reduce((sum, cell) => sum + cell.readings, 0);
    const oldReadings = readings(brotliDecompressSync(old.rawPayload).toString('utf8'));
    // Written by another process while the first is stopped: the kept rows are the older state's.
    await first.app.close();
    const writer = await openApp({ store: await openStore(first.location) });
    expect((await postReadings(writer.app, [makeReading({ ...SAINT_GUILHEM, operator: 'bouygues' })], agent)).statusCode).toBe(200);
    await writer.close();

    const second = await warmingApp(await openStore(first.location));
    await second.nextPass(0);
    const response = await second.view(herault, DEFAULT_FILTERS, { 'accept-encoding': 'identity' });
    expect(readings(response.body)).toBe(oldReadings + 1);
    expect(response.headers.etag).not.toBe(old.headers.etag);
    expect(second.builds()).toBeGreaterThan(0);
  });

  it('never serves an answer kept before a change everywhere (population, declared coverage, communes), by any process', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault } = first;
    await first.nextPass(0);
    const old = await first.view(herault);
    await first.app.close();
    const centre = cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!;
    await first.store.importPopulation([{ north: centre.north, east: centre.east, inhabitants: 12, households: 5, dwellings: null, edition: '2021' }]);

    const second = await warmingApp(await openStore(first.location));
    await second.nextPass(0);
    const response = await second.view(herault, DEFAULT_FILTERS, { 'accept-encoding': 'identity' });
    expect(response.headers.etag).not.toBe(old.headers.etag);
    const cells = (response.json() as { cells: { inhabitants: number | null }[] }).cells;
    expect(cells.some((cell) => (cell.inhabitants ?? 0) > 0)).toBe(true);
  });

  it('keeps one row per query: a tile rebuilt after new data replaces its older answer', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault, agent } = first;
    const pass = await first.nextPass(0);
    expect(await countRows(first)).toBe(pass.rebuilt);
    expect((await postReadings(first.app, [makeReading({ ...SAINT_GUILHEM, operator: 'bouygues' })], agent)).statusCode).toBe(200);
    const next = await first.nextPass(1);
    expect(next.rebuilt).toBeGreaterThan(0);
    expect(await countRows(first)).toBe(pass.rebuilt);
    expect((await first.view(herault)).statusCode).toBe(200);
  });
});

describe('the kept rows nobody will be served', () => {
  it('drops the rows of the tiles whose last report was hidden, at the next pass', async () => {
    const first = await warmingApp(undefined, survey);
    const { herault } = first;
    // Agde (34), 45 km from Saint-Guilhem: its finer tiles hold this report alone.
    const report = makeReport({ lat: 43.3108, lon: 3.4758 });
    expect((await postReports(first.app, [report])).statusCode).toBe(200);
    const pass = await first.nextPass(0);
    expect(await countRows(first)).toBe(pass.checked);
    const hide = await first.app.inject({
      method: 'PATCH',
      url: `/api/v1/reports/${report.id}`,
      headers: herault.headers,
      payload: { hidden: true, reason: 'publicité' },
    });
    expect(hide.statusCode).toBe(200);
    const next = await first.nextPass(1);
    expect(next.checked).toBeLessThan(pass.checked);
    expect(await countRows(first)).toBe(next.checked);
  });

  it('drops at a start the rows its views do not hold (another key an older server kept)', async () => {
    const first = await warmingApp(undefined, survey);
    const pass = await first.nextPass(0);
    await first.app.close();
    const [kept] = await first.store.keptAnswers([(await first.store.keptAnswerQueries())[0]!]);
    await first.store.keepAnswer({ ...kept!, query: `ancienne forme|${kept!.query}` });
    expect(await countRows(first)).toBe(pass.checked + 1);

    const second = await restart(first);
    expect(await second.nextPass(0)).toMatchObject({ checked: pass.checked, rebuilt: pass.checked });
    expect(second.builds()).toBe(0);
    expect(await countRows(first)).toBe(pass.checked);
  });
});

/** Rows of the kept answers' table, whichever the store. */
async function countRows(app: TestApp): Promise<number> {
  return (await tableRows(app.location, ['kept_answers'])).kept_answers!.length;
}
