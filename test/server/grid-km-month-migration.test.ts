import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { toStoredStats } from '../../src/domain/grid/stored-stats.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { wholeRange } from '../../src/server/grid/coverage.ts';
import type { GridGroupRow } from '../../src/server/storage/grid-store.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import { SCHEMA_VERSION } from '../../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { newTestLocation, tableRows, withClient } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { CELL_A, CELL_B, CELL_C, EVERY_MONTH, pointIn, recomputed, storedGrid } from './grid-helpers.ts';

/**
 * The grid keeps its month rows of stats at 200 m only (issue 19: a row fewer written per
 * reading at ingest); a view with a period at 1 km merges them. A database of before holds
 * 1 km month rows too: the migration removes them, and the 1 km answers stay the same, on
 * either store.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PLACE: ReadingPlacement = { accountId: 'a1', commune: null, departement: '34', outsideCommunes: false };
const OTHER_PLACE: ReadingPlacement = { accountId: 'a2', commune: null, departement: '30', outsideCommunes: false };

const at = (cell: typeof CELL_A, fx: number, overrides: Partial<Reading> = {}) => makeReading({ ...pointIn(cell, fx, 0.5), ...overrides });
/** Readings of two months, two départements, operators and settings, in three neighbouring 200 m cells. */
const READINGS = [
  at(CELL_A, 0.2),
  at(CELL_A, 0.6, { signalDbm: -112, voice: 'failed' }),
  at(CELL_B, 0.5, { recordedAt: '2026-03-14T09:00:00.000Z' }),
  at(CELL_B, 0.3, { operator: 'sfr', setting: 'indoor' }),
  at(CELL_C, 0.5, { recordedAt: '2026-03-20T17:30:00.000Z', signalDbm: -101 }),
  at(CELL_C, 0.7),
];
const PLACES = READINGS.map((_, i) => (i === 3 ? OTHER_PLACE : PLACE));

const kmMonthQuery = (months: { fromMonth: string; toMonth: string }) => ({
  ...wholeRange(1000),
  resolutionM: 1000 as const,
  scope: { kind: 'all' as const },
  ...months,
});

async function kmMonthRowsOf(store: Store): Promise<GridGroupRow[]> {
  return store.gridGroups(kmMonthQuery(EVERY_MONTH));
}

it('answers a period at 1 km from the 200 m month rows, as the readings aggregated from scratch', async () => {
  const { location, drop } = await newTestLocation(tempDir());
  cleanups.push(drop);
  const store = await openStore(location);
  cleanups.push(() => store.close());
  await store.ingest(READINGS, PLACES);

  const places = new Map(READINGS.map((r, i) => [r.id, PLACES[i]!]));
  expect(await storedGrid(store, 1000, undefined, EVERY_MONTH)).toEqual(recomputed(READINGS, places, 1000));
  expect(await storedGrid(store, 1000, ['34'], EVERY_MONTH)).toEqual(recomputed(READINGS, places, 1000, ['34']));
  // One month only: the March readings.
  const march = READINGS.filter((r) => r.recordedAt.startsWith('2026-03'));
  const rows = await store.gridGroups(kmMonthQuery({ fromMonth: '2026-03', toMonth: '2026-03' }));
  expect(rows.reduce((sum, row) => sum + row.stats.readings, 0)).toBe(march.length);
  expect(new Set(rows.map((row) => row.month))).toEqual(new Set(['2026-03']));

  const { grid_groups: stored } = await tableRows(location, ['grid_groups']);
  expect(new Set((stored as { resolution_m: number }[]).map((row) => row.resolution_m))).toEqual(new Set([200]));
});

it('removes the 1 km month rows a database of before holds, its 1 km answers unchanged', async () => {
  const { location, drop } = await newTestLocation(tempDir());
  cleanups.push(drop);
  const before = await openStore(location);
  await before.ingest(READINGS, PLACES);
  const answer = await kmMonthRowsOf(before);
  expect(answer.length).toBeGreaterThan(1);
  await before.close();

  // The database as the version before left it: each 1 km month row stored beside its 200 m ones.
  const oldRows = answer.map((row) => {
    const [, north, east] = /N(\d+)E(\d+)$/.exec(row.cell)!.map(Number);
    return [1000, north, east, row.operator, row.technology, row.setting, row.month, row.departement ?? '', JSON.stringify(toStoredStats(row.stats))];
  });
  const insert = `INSERT INTO grid_groups (resolution_m, north, east, operator, technology, setting, month, departement, stats)`;
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    const statement = db.prepare(`${insert} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const row of oldRows) statement.run(...row);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
  } else {
    await withClient(location.url, async (client) => {
      for (const row of oldRows) await client.query(`${insert} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`, row);
      await client.query('DELETE FROM schema_migrations WHERE version >= 12');
    });
  }

  const after = await openStore(location);
  cleanups.push(() => after.close());
  const { grid_groups: stored } = await tableRows(location, ['grid_groups']);
  expect((stored as { resolution_m: number }[]).filter((row) => row.resolution_m === 1000)).toEqual([]);
  expect(await kmMonthRowsOf(after)).toEqual(answer);
});
