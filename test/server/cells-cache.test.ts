import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompactOperatorStatsSchema } from '../../src/domain/api/cells.ts';
import { cellsFromCompact } from '../../src/domain/grid/compact-cells.ts';
import { createAnswerCache } from '../../src/server/cache/answer-cache.ts';
import { GRID_CHANGING_METHODS, withGridVersion } from '../../src/server/storage/grid-version.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { addUser, makeReport, useTestApps, postReadings, postReports, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { AROUND, CELL_A, levelReading, pointIn, surveyThreeCells } from './grid-helpers.ts';

/**
 * GET /api/v1/cells's kept answers: the ETag is known from the store's grid version before
 * anything is built, a repeat view is a 304 without reading a row, a repeat request of the
 * same scope is served from the cache, and every kind of write that changes the cells makes
 * a new version. The compact format carries the same cells. On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;
afterEach(() => {
  vi.restoreAllMocks();
});

const URL_AROUND = `/api/v1/cells?bbox=${AROUND}`;

async function surveyedApp() {
  server = await openApp();
  return { server, app: server.app, store: server.store, ...(await surveyThreeCells(server.app)) };
}

async function etagOf(app: TestApp['app'], caller: Caller, url = URL_AROUND): Promise<string> {
  const response = await app.inject({ method: 'GET', url, headers: caller.headers });
  expect(response.statusCode).toBe(200);
  return response.headers.etag as string;
}

/** The same query sent back with `etag`: 200 (a new answer) or 304. */
async function revalidate(app: TestApp['app'], caller: Caller, etag: string, url = URL_AROUND) {
  return app.inject({ method: 'GET', url, headers: { ...caller.headers, 'if-none-match': etag } });
}

describe('GET /api/v1/cells from the grid version', () => {
  it('answers 304 on the same version without reading a grid row, and serves a repeat request from the cache', async () => {
    const { app, store, reviewer } = await surveyedApp();
    const etag = await etagOf(app, reviewer);
    const groups = vi.spyOn(store, 'gridGroups');
    const reports = vi.spyOn(store, 'gridReports');
    const people = vi.spyOn(store, 'populationIn');

    const again = await revalidate(app, reviewer, etag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const repeat = await app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.headers.etag).toBe(etag);
    expect(repeat.json().features).toHaveLength(3);
    // A colleague of the same scope gets the same kept answer.
    const colleague = await addUser(app, { role: 'reviewer', departement: '34' });
    expect((await app.inject({ method: 'GET', url: URL_AROUND, headers: colleague.headers })).headers.etag).toBe(etag);

    expect(groups).not.toHaveBeenCalled();
    expect(reports).not.toHaveBeenCalled();
    expect(people).not.toHaveBeenCalled();
  });

  it('answers 200 with a new ETag after a reading lands', async () => {
    const { app, agent, reviewer } = await surveyedApp();
    const etag = await etagOf(app, reviewer);
    expect((await postReadings(app, [levelReading('PC', { operator: 'free', ...pointIn(CELL_A, 0.2, 0.2) })], agent)).statusCode).toBe(200);
    const after = await revalidate(app, reviewer, etag);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(
      after.json().features.find((f: { properties: { cellId: string } }) => f.properties.cellId.endsWith(`N${CELL_A.north}E${CELL_A.east}`)).properties
        .readings,
    ).toBe(5);
  });

  it('answers 200 with a new ETag after a resident’s report arrives, and again after a reviewer hides it', async () => {
    const { app, reviewer } = await surveyedApp();
    const report = makeReport({ operator: 'orange', ...pointIn(CELL_A, 0.5, 0.5) });
    const before = await etagOf(app, reviewer);
    expect((await postReports(app, [report])).statusCode).toBe(200);
    const afterReport = await revalidate(app, reviewer, before);
    expect(afterReport.statusCode).toBe(200);
    const withReport = afterReport.headers.etag as string;
    expect(withReport).not.toBe(before);
    const reportsIn = (body: { features: { properties: { residentReports: number } }[] }) =>
      body.features.reduce((sum, f) => sum + f.properties.residentReports, 0);
    expect(reportsIn(afterReport.json())).toBe(1);

    const hide = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reports/${report.id}`,
      headers: reviewer.headers,
      payload: { hidden: true, reason: 'doublon' },
    });
    expect(hide.statusCode).toBe(200);
    const afterHiding = await revalidate(app, reviewer, withReport);
    expect(afterHiding.statusCode).toBe(200);
    expect(afterHiding.headers.etag).not.toBe(withReport);
    expect(reportsIn(afterHiding.json())).toBe(0);
  });

  it('answers 200 with a new ETag after the declared coverage or the population changes', async () => {
    const { app, store, reviewer } = await surveyedApp();
    const etag = await etagOf(app, reviewer);
    await store.replaceDeclaredCoverage(
      {
        departement: '34',
        operator: 'orange',
        technology: '4G',
        source: 'orange-34.gpkg',
        editionDate: '2026-04-01',
        importedAt: '2026-05-04T12:00:00.000Z',
        polygons: 1,
        cells: { TBC: 1, BC: 0, CL: 0, none: 0 },
      },
      [{ resolutionM: 200, north: CELL_A.north, east: CELL_A.east, level: 'TBC' }],
    );
    const afterDeclared = await revalidate(app, reviewer, etag);
    expect(afterDeclared.statusCode).toBe(200);
    const declared = afterDeclared.json().features.map((f: { properties: { declared: object } }) => f.properties.declared);
    expect(declared).toContainEqual({ orange: 'TBC' });

    const withDeclared = afterDeclared.headers.etag as string;
    await store.importPopulation([{ north: CELL_A.north, east: CELL_A.east, inhabitants: 12, households: 5, dwellings: null, edition: '2021' }]);
    const afterPeople = await revalidate(app, reviewer, withDeclared);
    expect(afterPeople.statusCode).toBe(200);
    expect(afterPeople.json().features.map((f: { properties: { inhabitants: number | null } }) => f.properties.inhabitants)).toContain(12);
  });

  it('bumps the version after every grid-changing store method, even one that fails, and for no read', async () => {
    const bump = vi.fn(async () => undefined);
    const failing = async () => {
      throw new Error('refusé');
    };
    const fake = Object.fromEntries([...GRID_CHANGING_METHODS, 'gridGroups'].map((name) => [name, name === 'ingest' ? failing : async () => []]));
    const store = withGridVersion(fake as unknown as Omit<Store, 'gridVersion'>, { read: async () => 'v', bump });
    await store.gridGroups({ resolutionM: 1000, north: [0, 0], east: [0, 0], scope: { kind: 'all' } });
    expect(bump).not.toHaveBeenCalled();
    for (const name of GRID_CHANGING_METHODS) await (store[name] as () => Promise<unknown>)().catch(() => undefined);
    expect(bump).toHaveBeenCalledTimes(GRID_CHANGING_METHODS.length);
    // A failing method's own error reaches the caller even when the bump fails too.
    const bumpFails = async () => {
      throw new Error('base injoignable');
    };
    const bothFail = withGridVersion(fake as unknown as Omit<Store, 'gridVersion'>, { read: async () => 'v', bump: bumpFails });
    await expect(bothFail.ingest([])).rejects.toThrow('refusé');
    // A method that committed is not failed by its bump: the bump is owed, and settled before
    // the version is read (or the read fails), so no answer is kept under a stale version.
    let version = 1;
    let busy = true;
    const flakyBump = vi.fn(async () => {
      if (busy) throw new Error('base occupée');
      version += 1;
    });
    const owing = withGridVersion(fake as unknown as Omit<Store, 'gridVersion'>, { read: async () => String(version), bump: flakyBump });
    await expect(owing.ingestReports([], { receivedAt: '2026-12-05T10:00:00Z' })).resolves.toEqual([]);
    await expect(owing.gridVersion()).rejects.toThrow('base occupée');
    busy = false;
    await expect(owing.gridVersion()).resolves.toBe('2');
    await expect(owing.gridVersion()).resolves.toBe('2');
    expect(GRID_CHANGING_METHODS).toEqual(
      expect.arrayContaining([
        'ingest',
        'ingestReports',
        'setReportHidden',
        'replaceDeclaredCoverage',
        'importPopulation',
        'replaceCommuneShapes',
        'placeAgain',
      ]),
    );
  });

  it('refuses an unknown format in French', async () => {
    const { app, reviewer } = await surveyedApp();
    const response = await app.inject({ method: 'GET', url: `${URL_AROUND}&format=xml`, headers: reviewer.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/format=« xml » : attendu geojson \(par défaut\) ou compact/);
  });
});

describe('GET /api/v1/cells?format=compact', () => {
  it('decodes to the same cells and properties as the GeoJSON answer, at 200 m and 1 km, but the operators’ first and last instants', async () => {
    const { app, reviewer } = await surveyedApp();
    for (const url of [URL_AROUND, `${URL_AROUND}&resolution=1000`]) {
      const geojson = await app.inject({ method: 'GET', url, headers: reviewer.headers });
      const compact = await app.inject({ method: 'GET', url: `${url}&format=compact`, headers: reviewer.headers });
      expect(compact.statusCode).toBe(200);
      expect(compact.headers['content-type']).toContain('application/json');
      expect(compact.headers.etag).not.toBe(geojson.headers.etag);
      const answer = compact.json();
      expect(answer.format).toBe('compact');
      expect(answer.cells.length).toBeGreaterThan(0);
      const withoutInstants = geojson.json() as { features: { properties: { operators: Record<string, Record<string, unknown>> } }[] };
      for (const feature of withoutInstants.features) {
        for (const stats of Object.values(feature.properties.operators)) {
          expect(stats.firstAt).toEqual(expect.any(String));
          for (const key of Object.keys(stats)) if (!(key in CompactOperatorStatsSchema.entries)) delete stats[key];
        }
      }
      expect(cellsFromCompact(answer)).toEqual(withoutInstants);
      // What the page does not read is not sent: the instants (random milliseconds compress badly), the raw tallies.
      const operators = answer.cells.flatMap((cell: { operators: Record<string, Record<string, unknown>> }) => Object.values(cell.operators));
      expect(operators.length).toBeGreaterThan(0);
      for (const stats of operators) expect(Object.keys(stats).sort()).toEqual(Object.keys(CompactOperatorStatsSchema.entries).sort());
    }
  });
});

describe('the answer cache', () => {
  it('keeps answers up to its bound in bytes, the least recently used going first', async () => {
    const cache = createAnswerCache(25);
    const build = (body: string) => vi.fn(async () => ({ type: 'application/json', body }));
    const a = build('a'.repeat(10));
    await cache.get('a', a);
    await cache.get('b', build('b'.repeat(10)));
    await cache.get('a', a); // a is now the most recent
    await cache.get('c', build('c'.repeat(10))); // 30 bytes > 25: b goes
    expect(a).toHaveBeenCalledTimes(1);
    expect(cache.bytes).toBe(20);
    const b = build('b'.repeat(10));
    await cache.get('b', b);
    expect(b).toHaveBeenCalledTimes(1);
    // An answer larger than the whole bound is served, never kept.
    const huge = build('h'.repeat(30));
    await cache.get('h', huge);
    await cache.get('h', huge);
    expect(huge).toHaveBeenCalledTimes(2);
  });

  it('lets a query’s older answer go once a newer one is kept, so that rebuilt tiles never fill the warmer’s share with answers nobody is served', async () => {
    const cache = createAnswerCache(1_000);
    const build = (body: string) => async () => ({ type: 'application/json', body });
    const origin = (version: string, builtAt: number) => ({ query: 'tile', version, builtAt });
    await cache.get('v1|tile', build('1'.repeat(100)), origin('v1', 0));
    await cache.get('v2|tile', build('2'.repeat(100)), origin('v2', 1));
    expect(cache.has('v1|tile')).toBe(false);
    expect(cache.newest('tile')).toMatchObject({ key: 'v2|tile', version: 'v2' });
    expect(cache.bytes).toBe(100);
    // A build of an older version ending after the newer one's stays the older, the newest kept.
    await cache.get('v1|tile', build('1'.repeat(100)), origin('v1', 0));
    expect(cache.newest('tile')).toMatchObject({ key: 'v2|tile' });
    expect(cache.has('v2|tile')).toBe(true);
  });

  it('builds an answer once for requests that arrive while it is being built', async () => {
    const cache = createAnswerCache();
    const build = vi.fn(async () => ({ type: 'application/json', body: '{}' }));
    const [one, two] = await Promise.all([cache.get('k', build), cache.get('k', build)]);
    expect(one).toBe(two);
    expect(build).toHaveBeenCalledTimes(1);
  });
});
