import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import type { StoreLocation } from '../../src/server/storage/open-store.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { runServerCommand } from '../support/server-process.ts';
import { openTestStore, withClient, type TestStore } from '../support/test-store.ts';
import { makeReport, useCommandDatabases, useTempDir } from './fixtures.ts';
import { CELL_A, EVERY_MONTH, levelReading, pointIn, recomputed, storedGrid } from './grid-helpers.ts';

const tempDir = useTempDir();
const commandDatabase = useCommandDatabases(tempDir);
const testStores: TestStore[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const testStore of testStores.splice(0)) await testStore.dispose();
});

/** Readings in two 10 km squares (Saint-Guilhem's and 20 km east of it), over three months, by two agents and two départements. */
function surveyReadings(): { readings: Reading[]; places: Map<string, ReadingPlacement> } {
  const readings: Reading[] = [];
  const places = new Map<string, ReadingPlacement>();
  const levels = ['TBC', 'BC', 'CL', 'PC'] as const;
  const operators = ['orange', 'sfr', 'bouygues', 'free'] as const;
  for (let i = 0; i < 48; i += 1) {
    const cell = { ...CELL_A, north: CELL_A.north + (i % 3) * 200, east: CELL_A.east + (i % 2) * 20_000 + (i % 4) * 1_000 };
    const reading = levelReading(levels[i % 4]!, {
      ...pointIn(cell, 0.3 + (i % 5) / 10, 0.5),
      operator: operators[Math.floor(i / 4) % 4]!,
      recordedAt: `2026-0${3 + (i % 3)}-1${i % 10}T10:15:00.000+02:00`,
      setting: i % 7 === 0 ? 'indoor' : 'outdoor',
    });
    readings.push(reading);
    places.set(reading.id, { accountId: i % 2 === 0 ? 'agent-1' : 'agent-2', commune: null, departement: i % 5 === 0 ? '30' : '34', outsideCommunes: false });
  }
  return { readings, places };
}

/** Residents' reports, each in its own cell and hour (none collapsed into another). */
function residentReports(): Report[] {
  return [0, 1, 2].map((i) =>
    makeReport({ ...pointIn({ ...CELL_A, north: CELL_A.north + 2_000 + i * 400 }, 0.5, 0.5), reportedAt: `2026-05-0${4 + i}T10:15:00.000+02:00` }),
  );
}

/** What the map reads at each stored resolution, month rows and all-periods rows alike. */
async function everyView(store: Store) {
  return {
    month200: await storedGrid(store, 200),
    month1000: await storedGrid(store, 1000, undefined, EVERY_MONTH),
    total1000: await storedGrid(store, 1000),
    total10000: await storedGrid(store, 10_000),
    herault1000: await storedGrid(store, 1000, ['34']),
  };
}

/** The same, recomputed from scratch by the domain's code. */
function expectedViews(readings: Reading[], places: Map<string, ReadingPlacement>, reports: Report[]) {
  return {
    month200: recomputed(readings, places, 200, undefined, reports),
    month1000: recomputed(readings, places, 1000, undefined, reports),
    total1000: recomputed(readings, places, 1000, undefined, reports),
    total10000: recomputed(readings, places, 10_000, undefined, reports),
    herault1000: recomputed(readings, places, 1000, ['34'], reports),
  };
}

const GROUP_COLUMNS = ['resolution_m', 'north', 'east', 'operator', 'technology', 'setting', 'month', 'departement', 'stats'];
const TOTAL_COLUMNS = GROUP_COLUMNS.filter((column) => column !== 'month');

/**
 * Damage of every kind a grid could be left with: rows missing at each resolution, a count
 * doubled, and rows where nothing was ever recorded (squares of their own, 50 km and 100 km north).
 */
async function damageGrid(location: StoreLocation): Promise<void> {
  const statements = [
    'DELETE FROM grid_groups WHERE resolution_m = 200 AND north % 400 = 0',
    'DELETE FROM grid_totals WHERE resolution_m = 10000',
    'UPDATE grid_report_totals SET count = count * 2',
    'DELETE FROM grid_reports WHERE resolution_m = 1000',
    // 10 km rows alone, 100 km north: no finer row nor reading stands beside them.
    `INSERT INTO grid_totals (${TOTAL_COLUMNS.join(', ')})
     SELECT 10000, north - north % 10000 + 100000, east - east % 10000, operator, technology, setting, departement, stats
     FROM grid_totals WHERE resolution_m = 1000 ON CONFLICT DO NOTHING`,
    `INSERT INTO grid_groups (${GROUP_COLUMNS.join(', ')}) SELECT ${GROUP_COLUMNS.join(', ').replace('north', 'north + 50000')} FROM grid_groups`,
    `INSERT INTO grid_totals (${TOTAL_COLUMNS.join(', ')}) SELECT ${TOTAL_COLUMNS.join(', ').replace('north', 'north + 50000')} FROM grid_totals`,
  ];
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    try {
      for (const sql of statements) db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  await withClient(location.url, async (client) => {
    for (const sql of statements) await client.query(sql);
  });
}

describe('rebuildGrid', () => {
  it('recomputes every row from the readings and visible reports, counts a reading waiting for its roll-up once, and drops rows nothing stands for', async () => {
    const testStore = await openTestStore(tempDir());
    testStores.push(testStore);
    const { store, location } = testStore;
    const { readings, places } = surveyReadings();
    const [last, ...first] = readings;
    await store.ingest(
      first,
      first.map((reading) => places.get(reading.id)!),
    );
    const reports = residentReports();
    const hidden = makeReport({ ...pointIn({ ...CELL_A, north: CELL_A.north + 4_000 }, 0.5, 0.5), operator: 'free' });
    await store.ingestReports(
      [...reports, hidden].map((report) => ({ report, commune: null, departement: '34' })),
      { receivedAt: '2026-05-04T12:00:00.000Z' },
    );
    await store.setReportHidden(hidden.id, true, 'doublon');
    const expected = expectedViews(readings, places, reports);
    expect((await everyView(store)).total10000).toEqual(expectedViews(first, places, reports).total10000);

    await damageGrid(location);
    const damaged = await everyView(store);
    for (const view of Object.keys(expected) as (keyof typeof expected)[]) {
      expect(damaged[view], `${view} damaged`).not.toEqual(expectedViews(first, places, reports)[view]);
    }

    // The last reading is stored just before: the rebuild rolls it up first, and counts it once.
    await store.ingest([last!], [places.get(last!.id)!]);
    const versionBefore = await store.gridVersion();
    const told: [number, number][] = [];
    const counts = await store.rebuildGrid((done, total) => told.push([done, total]));
    // Saint-Guilhem's square, the one 20 km east, the reports' (2 to 4 km north: the same as
    // Saint-Guilhem's or the next), and the damage's own 50 km north.
    expect(counts.units).toBe(told.length);
    expect(counts.units).toBeGreaterThanOrEqual(4);
    expect(told.at(-1)).toEqual([counts.units, counts.units]);
    expect(counts.cells).toBeGreaterThanOrEqual(counts.units);
    expect(await everyView(store)).toEqual(expected);
    expect(await store.gridVersion()).not.toBe(versionBefore);

    // Again: nothing moves.
    await store.rebuildGrid();
    expect(await everyView(store)).toEqual(expected);
  });

  it('rebuilds an empty grid to nothing', async () => {
    const testStore = await openTestStore(tempDir());
    testStores.push(testStore);
    expect(await testStore.store.rebuildGrid()).toEqual({ units: 0, cells: 0 });
  });
});

describe('npm run grid -- rebuild', () => {
  it('rebuilds the database the server uses, says how much, and refuses anything else with its usage', { timeout: 60_000 }, async () => {
    const { env, location } = await commandDatabase();
    const store = await openStore(location);
    stores.push(store);
    const { readings, places } = surveyReadings();
    await store.ingest(
      readings,
      readings.map((reading) => places.get(reading.id)!),
    );
    const expected = expectedViews(readings, places, []);
    expect(await everyView(store)).toEqual(expected);
    await damageGrid(location);
    expect(await everyView(store)).not.toEqual(expected);

    // Both survey squares, and the six the damage made (100 km north, then 50 km north of all).
    const result = await runServerCommand('grid.ts', ['rebuild'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Reconstruction de la grille de .+…$/m);
    expect(result.stdout).toMatch(/^Grille reconstruite : 8 carrés de 10 km, \d+ mailles de 1 km, en \d+\.\d s\.$/m);
    expect(await everyView(store)).toEqual(expected);

    for (const args of [[], ['rebuild', '--all'], ['reconstruire']]) {
      const refused = await runServerCommand('grid.ts', args, env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('npm run grid -- rebuild');
    }
  });
});
