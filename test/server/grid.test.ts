import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { coarsenGrid, gridFromJson, gridToJson } from '../../src/domain/grid/grid-accumulator.ts';
import { readingLevel } from '../../src/domain/level.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { canonicalJson, type Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import { MIGRATIONS, openSqliteStore, SCHEMA_VERSION } from '../../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { addUser, makeReading, makeReport, NIMES, openTestApp, postReadings, postReports, useTempDir, type TestApp } from './fixtures.ts';
import {
  AROUND,
  byCell,
  CELL_A,
  CELL_B,
  CELL_C,
  EVERY_MONTH,
  getCells,
  ID_A,
  ID_B,
  ID_C,
  levelReading,
  pointIn,
  recomputed,
  storedGrid,
} from './grid-helpers.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';

const tempDir = useTempDir();
let server: TestApp | undefined;
const stores: Store[] = [];
const testStores: TestStore[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const store of stores.splice(0)) await store.close();
  for (const testStore of testStores.splice(0)) await testStore.dispose();
});

/** A fresh store of the kind the suite runs on (SQLite or PostgreSQL). */
async function openStore(): Promise<Store> {
  const testStore = await openTestStore(tempDir());
  testStores.push(testStore);
  return testStore.store;
}

async function open(options: Parameters<typeof openTestApp>[1] = {}): Promise<TestApp> {
  server = await openTestApp(tempDir(), options);
  return server;
}

function randomReading(next: () => number): Reading {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const technology = pick(['4G', '4G', '3G', '5G', 'none'] as const);
  const month = pick(['2026-03', '2026-04', '2026-05']);
  const base = makeReading({
    lat: Number((43.73 + (next() - 0.5) * 0.01).toFixed(6)),
    lon: Number((3.549 + (next() - 0.5) * 0.014).toFixed(6)),
    recordedAt: `${month}-0${1 + Math.floor(next() * 3)}T0${Math.floor(next() * 9)}:15:00.000+02:00`,
    operator: pick(OPERATORS),
    technology,
    setting: pick(['outdoor', 'outdoor', 'indoor', 'vehicle'] as const),
    voice: pick(['ok', 'failed', 'dropped', 'not-tested'] as const),
    source: next() < 0.05 ? 'resident' : 'agent',
  });
  if (technology === 'none') {
    const { signalDbm: _, ...rest } = base;
    return rest;
  }
  const dbm = { '4G': [-135, -70], '3G': [-118, -60], '5G': [-130, -50] }[technology];
  return next() < 0.2
    ? { ...base, signalDbm: undefined as never, signalBars: Math.floor(next() * 5) }
    : { ...base, signalDbm: Math.round(dbm[0]! + next() * (dbm[1]! - dbm[0]!)) };
}

describe('the grid kept by the store', () => {
  it('equals a recomputation from every reading after batches with duplicates, conflicts and residents', async () => {
    const store = await openStore();
    const next = seededRandom(42);
    const accounts = ['a1', 'a2', 'a3', null];
    const departements = ['34', '34', '30', null];
    const accepted: Reading[] = [];
    const places = new Map<string, ReadingPlacement>();
    let previous: Reading[] = [];
    for (let batch = 0; batch < 6; batch += 1) {
      const fresh = Array.from({ length: 150 }, () => randomReading(next));
      const placements = fresh.map(() => ({
        accountId: accounts[Math.floor(next() * accounts.length)]!,
        commune: null,
        departement: departements[Math.floor(next() * departements.length)]!,
        outsideCommunes: false,
      }));
      // Retries of the previous batch (duplicates), a conflicting copy, and a repeat within the batch.
      const retries = previous.slice(0, 20);
      const conflict = previous[20] && { ...previous[20], accuracyM: previous[20].accuracyM + 1 };
      const sent = [...fresh, ...retries, ...(conflict ? [conflict] : []), fresh[0]!];
      const sentPlaces = [...placements, ...retries.map(() => placements[0]!), ...(conflict ? [placements[0]!] : []), placements[0]!];
      const result = await store.ingest(sent, sentPlaces);
      expect(result.accepted).toHaveLength(fresh.length);
      expect(result.duplicates).toHaveLength(retries.length + 1);
      expect(result.conflicts).toHaveLength(conflict ? 1 : 0);
      fresh.forEach((r, i) => places.set(r.id, placements[i]!));
      accepted.push(...fresh);
      previous = fresh;

      expect(await storedGrid(store, 200)).toEqual(recomputed(accepted, places));
    }
    expect(await storedGrid(store, 1000)).toEqual(recomputed(accepted, places, 1000));
    expect(await storedGrid(store, 200, ['34'])).toEqual(recomputed(accepted, places, 200, ['34']));
    expect((await storedGrid(store, 200)).groups.length).toBeGreaterThan(50);
    expect((await storedGrid(store, 200)).residents.length).toBeGreaterThan(5);
  });

  it('keeps its all-periods rows equal to the merge of its month rows, through duplicates, reports hidden and shown, and placing', async () => {
    const store = await openStore();
    const next = seededRandom(7);
    const reportOptions = { receivedAt: '2026-05-04T12:00:00.000Z' };
    const reports: Report[] = [];
    let previous: Reading[] = [];
    const accepted: Reading[] = [];
    const places = new Map<string, ReadingPlacement>();
    // Each 1 km and 10 km all-periods row is the merge of the month rows, and the grid they give equals a recomputation.
    const check = async () => {
      for (const resolutionM of [200, 1000] as const) {
        expect(await storedGrid(store, resolutionM)).toEqual(await storedGrid(store, resolutionM, undefined, EVERY_MONTH));
        expect(await storedGrid(store, resolutionM, ['34'])).toEqual(await storedGrid(store, resolutionM, ['34'], EVERY_MONTH));
      }
      const tenKm = await storedGrid(store, 10_000);
      expect(tenKm).toEqual(gridToJson(coarsenGrid(gridFromJson(await storedGrid(store, 1000, undefined, EVERY_MONTH)), 10_000)));
      const recomputedGroups = recomputed(accepted, places, 10_000).groups;
      expect(tenKm.groups).toEqual(recomputedGroups);
    };
    for (let batch = 0; batch < 4; batch += 1) {
      const fresh = Array.from({ length: 120 }, () => ({ ...randomReading(next), lon: Number((3.4 + next() * 0.4).toFixed(6)) }));
      const placements = fresh.map(() => ({
        accountId: next() < 0.5 ? 'a1' : 'a2',
        commune: null,
        departement: next() < 0.3 ? null : '34',
        outsideCommunes: false,
      }));
      const retries = previous.slice(0, 15);
      const result = await store.ingest([...fresh, ...retries, fresh[0]!], [...placements, ...retries.map(() => placements[0]!), placements[0]!]);
      expect(result.duplicates).toHaveLength(retries.length + 1);
      fresh.forEach((r, i) => places.set(r.id, placements[i]!));
      accepted.push(...fresh);
      previous = fresh;
      const sent = Array.from({ length: 5 }, () => makeReport({ lat: 43.73 + (next() - 0.5) * 0.01, lon: 3.4 + next() * 0.4, operator: OPERATORS[batch]! }));
      await store.ingestReports(
        sent.map((report) => ({ report, commune: '34261', departement: '34' })),
        reportOptions,
      );
      reports.push(...sent);
      await check();
    }
    await store.setReportHidden(reports[0]!.id, true, 'test');
    await store.setReportHidden(reports[0]!.id, true, 'test'); // twice counts once
    await store.setReportHidden(reports[3]!.id, true, 'test');
    await check();
    expect((await storedGrid(store, 1000)).residents.reduce((sum, r) => sum + r.count, 0)).toBeGreaterThan(0);
    await store.setReportHidden(reports[3]!.id, false, null);
    await check();
    // Placing the unplaced readings rebuilds their cells, all-periods rows (10 km ones too) included.
    await store.placeAgain(0, (row) =>
      row.commune === null ? { commune: '34261', departement: '34', placement: 'outline', outsideCommunes: row.outsideCommunes } : null,
    );
    for (const [id, place] of places) if (place.departement === null) places.set(id, { ...place, commune: '34261', departement: '34' });
    await check();
    expect((await storedGrid(store, 200, ['34'])).groups).toEqual(recomputed(accepted, places, 200, ['34']).groups);
  });

  it('moves readings to their département when they are placed at start', async () => {
    const store = await openStore();
    const readings = [makeReading(), makeReading({ operator: 'sfr' }), makeReading({ ...NIMES })];
    await store.ingest(readings);
    expect((await storedGrid(store, 200, ['34'])).groups).toEqual([]);
    await store.placeAgain(0, ({ lat }) => ({
      commune: lat > 43.8 ? '30189' : '34261',
      departement: lat > 43.8 ? '30' : '34',
      placement: 'outline',
      outsideCommunes: false,
    }));
    const places = new Map(readings.map((r) => [r.id, { accountId: null, commune: null, departement: r.lat > 43.8 ? '30' : '34', outsideCommunes: false }]));
    expect(await storedGrid(store, 200, ['34'])).toEqual(recomputed(readings, places, 200, ['34']));
    expect(await storedGrid(store, 1000, ['30'])).toEqual(recomputed(readings, places, 1000, ['30']));
    expect(await storedGrid(store, 200)).toEqual(recomputed(readings, places));
  });

  it('is filled from the readings and visible reports already stored when a schema-2 database is upgraded', async () => {
    const file = join(tempDir(), 'version-2.sqlite');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!);
    db.exec(MIGRATIONS[1]!);
    db.pragma('user_version = 2');
    const readings = [makeReading(), makeReading({ ...pointIn(CELL_B, 0.5, 0.5), operator: 'free' }), makeReading({ ...NIMES })];
    const insert = db.prepare(`
      INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at, account_id, commune, departement)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    readings.forEach((r, i) =>
      insert.run(
        r.id,
        r.recordedAt,
        Date.parse(r.recordedAt),
        r.lat,
        r.lon,
        r.operator,
        r.technology,
        readingLevel(r),
        r.source,
        canonicalJson(r),
        '2026-05-01T00:00:00Z',
        i === 0 ? 'a1' : null,
        null,
        i === 2 ? '30' : '34',
      ),
    );
    const report = makeReport();
    const hidden = makeReport();
    const insertReport = db.prepare(`
      INSERT INTO reports (id, reported_at_ms, lat, lon, operator, problem, setting, commune, departement, body, received_at, hidden)
      VALUES (?, ?, ?, ?, ?, ?, ?, '34261', '34', ?, '2026-05-01T00:00:00Z', ?)`);
    for (const [r, h] of [
      [report, 0],
      [hidden, 1],
    ] as const)
      insertReport.run(r.id, Date.parse(r.reportedAt), r.lat, r.lon, r.operator, r.problem, r.setting, JSON.stringify(r), h);
    db.close();

    const store = openSqliteStore(file);
    stores.push(store);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const places = new Map(
      readings.map((r, i) => [r.id, { accountId: i === 0 ? 'a1' : null, commune: null, departement: i === 2 ? '30' : '34', outsideCommunes: false }]),
    );
    const expected = recomputed(readings, places);
    expect((await storedGrid(store, 200)).groups).toEqual(expected.groups);
    expect((await storedGrid(store, 200)).residents).toEqual([{ cell: ID_A, operator: 'sfr', count: 1, firstMs: null, lastMs: null }]);
    // The cell column was filled too: the cell's readings are found.
    expect((await store.readingsInCells({ cells: [CELL_A], limit: 10 })).readings.map((r) => r.id)).toEqual([readings[0]!.id]);
  });
});

describe('GET /api/v1/cells', () => {
  /** Cell A: orange BC, the others CL or PC (zone grise); B: all PC (zone blanche); C: orange and sfr TBC (covered). */
  async function surveyed(app: TestApp['app']) {
    const agents = [await addUser(app), await addUser(app), await addUser(app)];
    const post = async (agent: number, readings: Reading[]) => {
      const response = await postReadings(app, readings, agents[agent]!);
      expect(response.json().accepted).toHaveLength(readings.length);
    };
    const inA = (fx: number) => pointIn(CELL_A, fx, 0.5);
    // Four readings per operator and cell: three alike (44–100 % at 95 %) no longer decide since
    // the interval rule (issue 17, docs/coverage-rules.md « Statistics »); four (51–100 %) do.
    // Four per operator in A, one per agent and a fourth by the first, one on A's east border (still A).
    for (const [operator, level] of [
      ['orange', 'BC'],
      ['sfr', 'PC'],
      ['bouygues', 'CL'],
      ['free', 'CL'],
    ] as const) {
      for (const agent of [0, 1, 2, 0]) {
        await post(agent, [levelReading(level, { operator, ...inA(agent === 2 ? 0.9999 : 0.3), recordedAt: '2026-05-02T10:00:00.000+02:00' })]);
      }
    }
    // B: just across the border, every operator without coverage, one agent.
    for (const operator of OPERATORS) {
      await post(
        0,
        [0, 1, 2, 3].map(() => levelReading('PC', { operator, ...pointIn(CELL_B, 0.0001, 0.5), recordedAt: '2026-03-10T10:00:00.000+01:00' })),
      );
    }
    // C: two operators at TBC; an indoor reading that outdoor views leave out.
    await post(
      1,
      [0, 1, 2, 3].flatMap(() => [
        levelReading('TBC', { operator: 'orange', ...pointIn(CELL_C, 0.5, 0.0001) }),
        levelReading('TBC', { operator: 'sfr', ...pointIn(CELL_C, 0.5, 0.5) }),
      ]),
    );
    await post(1, [levelReading('PC', { operator: 'free', setting: 'indoor', ...pointIn(CELL_C, 0.5, 0.5) })]);
    return agents;
  }

  it('judges cells from readings across cell borders and operators', async () => {
    const { app } = await open();
    await surveyed(app);
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const response = await getCells(app, reviewer.headers, `bbox=${AROUND}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/geo+json');
    const body = response.json();
    const cells = byCell(body);
    expect(Object.keys(cells).sort()).toEqual([ID_A, ID_B, ID_C].sort());
    expect(cells[ID_A]).toMatchObject({ zone: 'zone-grise', covering: ['orange'], readings: 16, contributors: 3, residentReports: 0 });
    expect(cells[ID_A].operators.orange).toMatchObject({
      verdict: 'BC',
      readings: 4,
      contributors: 3,
      levelShares: { TBC: 0, BC: 1, CL: 0, PC: 0 },
      medianLevel: 'BC',
      medianDbm: -105,
      callSuccessRate: 1,
      firstAt: '2026-05-02T08:00:00.000Z',
      lastAt: '2026-05-02T08:00:00.000Z',
    });
    expect(cells[ID_A].operators.sfr).toMatchObject({ verdict: 'PC', callSuccessRate: 0 });
    expect(cells[ID_B]).toMatchObject({ zone: 'zone-blanche', readings: 16, contributors: 1 });
    expect(cells[ID_C]).toMatchObject({ zone: 'covered', covering: ['orange', 'sfr'], readings: 8 });
    // The share the verdict is decided on, with its interval: 4 of 4 at BC or better, 51–100 %.
    expect(cells[ID_A].operators.orange.figures.coverage).toMatchObject({ successes: 4, trials: 4, rate: 1, high: 1 });
    expect(cells[ID_A].operators.orange.figures.coverageSide).toBe('above');
    expect(cells[ID_C].operators.free).toBeUndefined();
    const feature = body.features.find((f: { id: string }) => f.id === ID_A);
    expect(feature.geometry.type).toBe('Polygon');
    expect(feature.geometry.coordinates[0]).toHaveLength(5);
  });

  it('filters by operator, technology, setting and period, and merges coarser cells', async () => {
    const { app } = await open();
    await surveyed(app);
    const admin = await addUser(app, { role: 'admin' });
    const get = async (query: string) => {
      const response = await getCells(app, admin.headers, `bbox=${AROUND}&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return byCell(response.json());
    };

    const orange = await get('operator=orange');
    expect(Object.keys(orange[ID_A].operators)).toEqual(['orange']);
    expect(orange[ID_A].zone).toBe('insufficient');
    expect(Object.keys(await get('technology=3G'))).toEqual([]);
    expect(Object.keys(await get('technology=none')).sort()).toEqual([ID_A, ID_B].sort());
    const indoor = await get('setting=indoor');
    expect(Object.keys(indoor)).toEqual([ID_C]);
    expect(indoor[ID_C].operators.free.readings).toBe(1);
    expect((await get('setting=outdoor,indoor'))[ID_C].readings).toBe(9);

    expect(Object.keys(await get('from=2026-04')).sort()).toEqual([ID_A, ID_C].sort());
    expect(Object.keys(await get('to=2026-03'))).toEqual([ID_B]);
    expect(Object.keys(await get('from=2026-03&to=2026-03'))).toEqual([ID_B]);

    const coarse = await get('resolution=1000');
    const ids = Object.keys(coarse);
    expect(ids.every((id) => id.startsWith('CRS3035RES1000m'))).toBe(true);
    const total = Object.values(coarse).reduce((sum: number, cell: { readings: number }) => sum + cell.readings, 0);
    expect(total).toBe(40);
    expect(Object.keys(await get('resolution=5000'))).toHaveLength(1);
  });

  it('shows each person only their scope', async () => {
    const { app } = await open();
    await surveyed(app);
    const count = async (headers: Record<string, string>) => (await getCells(app, headers, `bbox=${AROUND}`)).json().features.length;
    expect(await count((await addUser(app, { role: 'reviewer', departement: '30' })).headers)).toBe(0);
    expect(await count((await addUser(app, { role: 'reviewer', departement: '34' })).headers)).toBe(3);
    expect(await count((await addUser(app, { communes: ['34172'] })).headers)).toBe(3);
    expect(await count((await addUser(app, { communes: ['30189'] })).headers)).toBe(0);
    expect(await count((await addUser(app, { role: 'admin' })).headers)).toBe(3);
    expect((await app.inject({ method: 'GET', url: `/api/v1/cells?bbox=${AROUND}` })).statusCode).toBe(401);
  });

  it('counts residents’ visible reports per cell, apart from the verdict', async () => {
    const { app } = await open();
    await surveyed(app);
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const report = makeReport({ ...pointIn(CELL_A, 0.5, 0.5) });
    await postReports(app, [report, makeReport({ ...pointIn(CELL_A, 0.1, 0.9), operator: 'orange', problem: 'no-calls' })]);
    // Alone on a cell, reports flag it to survey but make no verdict.
    await postReports(app, [makeReport({ lat: 43.7395, lon: 3.5445 })]);
    const cells = async () => byCell((await getCells(app, reviewer.headers, `bbox=${AROUND}`)).json());
    const before = await cells();
    expect(before[ID_A]).toMatchObject({ zone: 'zone-grise', residentReports: 2 });
    const flagged = Object.values(before).find((cell) => cell.readings === 0);
    expect(flagged).toMatchObject({ zone: 'insufficient', toSurvey: true, residentReports: 1, operators: {} });

    const hide = (hidden: boolean) =>
      app.inject({ method: 'PATCH', url: `/api/v1/reports/${report.id}`, headers: reviewer.headers, payload: { hidden, reason: 'publicité' } });
    expect((await hide(true)).statusCode).toBe(200);
    expect((await cells())[ID_A].residentReports).toBe(1);
    expect((await hide(true)).statusCode).toBe(200); // hiding twice counts once
    expect((await cells())[ID_A].residentReports).toBe(1);
    expect((await hide(false)).statusCode).toBe(200);
    expect((await cells())[ID_A].residentReports).toBe(2);
    // operator filter applies to reports too
    expect(byCell((await getCells(app, reviewer.headers, `bbox=${AROUND}&operator=orange`)).json())[ID_A].residentReports).toBe(1);
  });

  it('takes its verdict thresholds from the configuration', async () => {
    const { app } = await open({ grid: { minReadings: 5 } });
    await surveyed(app);
    const admin = await addUser(app, { role: 'admin' });
    const cells = byCell((await getCells(app, admin.headers, `bbox=${AROUND}`)).json());
    expect(cells[ID_A].zone).toBe('insufficient');
    expect(cells[ID_A].operators.orange.verdict).toBe('insufficient');
  });

  it('answers 400 with a clear message to bad input', async () => {
    const { app } = await open();
    const admin = await addUser(app, { role: 'admin' });
    const error = async (query: string) => {
      const response = await getCells(app, admin.headers, query);
      expect(response.statusCode, query).toBe(400);
      return response.json().error as string;
    };
    expect(await error('')).toMatch(/bbox ou tile manquant/);
    expect(await error('bbox=3,43,4')).toMatch(/quatre nombres/);
    expect(await error(`bbox=${AROUND}&operator=orange,bytel`)).toMatch(/operator=« orange,bytel ».*« bytel ».*orange, sfr, bouygues, free/);
    expect(await error(`bbox=${AROUND}&technology=6G`)).toMatch(/technology/);
    expect(await error(`bbox=${AROUND}&setting=dehors`)).toMatch(/outdoor, indoor, vehicle/);
    expect(await error(`bbox=${AROUND}&from=2026-13`)).toMatch(/AAAA-MM/);
    expect(await error(`bbox=${AROUND}&from=2026-05&to=2026-04`)).toMatch(/inversez/);
    expect(await error(`bbox=${AROUND}&resolution=300`)).toMatch(/200, 1000, 2000, 5000, 10000/);
    expect(await error(`bbox=${AROUND}&zoom=3`)).toMatch(/Paramètre inconnu : « zoom »/);
    // The whole Hérault at 200 m is too many cells; at 1 km it is fine.
    expect(await error('bbox=2.54,43.21,4.19,43.97')).toMatch(/trop grande.*resolution=1000/);
    expect((await getCells(app, admin.headers, 'bbox=2.54,43.21,4.19,43.97&resolution=1000')).statusCode).toBe(200);
    // Outside EPSG:3035's area (Réunion): no grid, an empty answer.
    expect((await getCells(app, admin.headers, 'bbox=55.2,-21.4,55.8,-20.9')).json()).toEqual({ type: 'FeatureCollection', features: [] });
  });
});

describe('GET /api/v1/cells/:cellId/readings', () => {
  it('lists the readings of one cell in the reader’s scope, not its neighbours’', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const inA = [makeReading({ ...pointIn(CELL_A, 0.9999, 0.5) }), makeReading({ ...pointIn(CELL_A, 0.2, 0.2), operator: 'free' })];
    const inB = makeReading({ ...pointIn(CELL_B, 0.0001, 0.5) });
    await postReadings(app, [...inA, inB], agent);
    const reviewer34 = await addUser(app, { role: 'reviewer', departement: '34' });
    const reviewer30 = await addUser(app, { role: 'reviewer', departement: '30' });

    const response = await app.inject({ method: 'GET', url: `/api/v1/cells/${ID_A}/readings`, headers: reviewer34.headers });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.features.map((f: { id: string }) => f.id)).toEqual(inA.map((r) => r.id));
    expect(body.features[0].properties).toMatchObject({ commune: '34261', outsideCommunes: false, level: 'BC' });
    expect(JSON.stringify(body)).not.toContain(agent.id);

    const paged = (await app.inject({ method: 'GET', url: `/api/v1/cells/${ID_A}/readings?limit=1`, headers: reviewer34.headers })).json();
    expect(paged.features).toHaveLength(1);
    const rest = (
      await app.inject({ method: 'GET', url: `/api/v1/cells/${ID_A}/readings?limit=1&cursor=${paged.nextCursor}`, headers: reviewer34.headers })
    ).json();
    expect(rest.features.map((f: { id: string }) => f.id)).toEqual([inA[1]!.id]);

    const coarse = `CRS3035RES1000mN${Math.floor(CELL_A.north / 1000) * 1000}E${Math.floor(CELL_A.east / 1000) * 1000}`;
    const all = (await app.inject({ method: 'GET', url: `/api/v1/cells/${coarse}/readings`, headers: reviewer34.headers })).json();
    expect(all.features.length).toBeGreaterThanOrEqual(CELL_A.east % 1000 === 800 ? 2 : 3);

    expect((await app.inject({ method: 'GET', url: `/api/v1/cells/${ID_A}/readings`, headers: reviewer30.headers })).json().features).toEqual([]);
    for (const bad of ['CRS3035RES200mN1E2', 'CRS3035RES500mN2000000E4000000', 'maille']) {
      const refused = await app.inject({ method: 'GET', url: `/api/v1/cells/${bad}/readings`, headers: reviewer34.headers });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatch(/Maille inconnue/);
    }
    expect((await app.inject({ method: 'GET', url: `/api/v1/cells/${ID_A}/readings?cursor=zz`, headers: reviewer34.headers })).statusCode).toBe(400);
    expect(ID_C).toMatch(/^CRS3035RES200m/);
  });
});
