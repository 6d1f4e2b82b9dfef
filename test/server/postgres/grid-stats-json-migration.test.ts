import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupStats } from '../../../src/domain/grid/group-stats.ts';
import { toStoredStats } from '../../../src/domain/grid/stored-stats.ts';
import type { Reading } from '../../../src/domain/reading.ts';
import { baseCellOf, pendingGrid, type PendingRow } from '../../../src/server/storage/grid-batch.ts';
import { createPool } from '../../../src/server/storage/postgres/postgres-db.ts';
import { migratePostgres } from '../../../src/server/storage/postgres/postgres-migrations.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import { newTestLocation } from '../../support/test-store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { EVERY_MONTH, recomputed, storedGrid } from '../grid-helpers.ts';

/**
 * Migration 16 (postgres-migrations.ts): the grid's stats go from `jsonb` to `json`. The rows
 * stored before keep what they say, and a process of the version before, still writing `jsonb`
 * values during a rolling update (its statements copied here as it sends them: the rows as one
 * `jsonb` document), keeps writing rows that this version reads.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };
const GROUP_COLUMNS = ['resolution_m', 'north', 'east', 'operator', 'technology', 'setting', 'month', 'departement'];
const TOTAL_COLUMNS = GROUP_COLUMNS.filter((name) => name !== 'month');

/** The version before's relation of rows: one `jsonb` document, the stats taken out as `jsonb`. */
function olderRowsSql(columns: string[]): string {
  const fields = columns.map((name, i) => `(r.v->>${i})${i < 3 ? '::int' : ''} AS ${name}`);
  return `(SELECT ${fields.join(', ')}, r.v->${columns.length} AS stats FROM jsonb_array_elements($1::jsonb) AS r(v)) AS u`;
}

/** The grid rows of `readings` (all placed as PLACED), as the version before wrote new ones. */
async function olderInsert(pool: pg.Pool, readings: Reading[]): Promise<void> {
  for (const [table, columns, rows] of gridRows(readings)) {
    await pool.query(`INSERT INTO ${table} (${columns.join(', ')}, stats) SELECT ${columns.join(', ')}, stats FROM ${olderRowsSql(columns)}`, [
      JSON.stringify(rows.map(([values, stats]) => [...values, toStoredStats(stats)])),
    ]);
  }
}

/** Every grid row of `readings` set to their stats, as the version before wrote rows back after a merge. */
async function olderUpdate(pool: pg.Pool, readings: Reading[]): Promise<void> {
  for (const [table, columns, rows] of gridRows(readings)) {
    const match = columns.map((name) => `t.${name} = u.${name}`).join(' AND ');
    await pool.query(`UPDATE ${table} t SET stats = u.stats FROM ${olderRowsSql(columns)} WHERE ${match}`, [
      JSON.stringify(rows.map(([values, stats]) => [...values, toStoredStats(stats)])),
    ]);
  }
}

function gridRows(readings: Reading[]): [table: string, columns: string[], rows: PendingRow<GroupStats>[]][] {
  const pending = pendingGrid();
  for (const reading of readings) pending.addReading(reading, PLACED.accountId, PLACED.departement, baseCellOf(reading.lon, reading.lat));
  const { groups, totals } = pending.take();
  return [
    ['grid_groups', GROUP_COLUMNS, groups],
    ['grid_totals', TOTAL_COLUMNS, totals],
  ];
}

describe('upgrading a PostgreSQL grid to stats stored as json (schema 15 → 16)', () => {
  it('keeps the stats stored before, and reads what a process of the version before writes during the update', async () => {
    const { location, drop } = await newTestLocation(tempDir(), 'postgres');
    cleanups.push(drop);
    if (location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const pool = createPool(location.url);
    cleanups.push(() => pool.end());
    expect(await migratePostgres(pool, 15)).toHaveLength(15);

    const before = [0, 1, 2].map((k) => makeReading({ lat: SAINT_GUILHEM.lat + k * 0.003, lon: SAINT_GUILHEM.lon, signalDbm: -80 - k }));
    await olderInsert(pool, before);

    expect(await migratePostgres(pool)).toEqual([16]);
    const types = await pool.query<{ table_name: string; data_type: string }>(
      `SELECT table_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = 'stats' AND table_name IN ('grid_groups', 'grid_totals') ORDER BY table_name`,
    );
    expect(types.rows).toEqual([
      { table_name: 'grid_groups', data_type: 'json' },
      { table_name: 'grid_totals', data_type: 'json' },
    ]);

    const store = await openPostgresStore(location.url, { gridRollUp: { quietMs: Infinity, eagerAt: Infinity } });
    cleanups.push(() => store.close());
    const expectGrid = async (readings: Reading[]) => {
      const places = new Map(readings.map((reading) => [reading.id, PLACED]));
      for (const resolution of [200, 1000, 10_000] as const) {
        expect(await storedGrid(store, resolution)).toEqual(recomputed(readings, places, resolution));
        if (resolution !== 10_000) expect(await storedGrid(store, resolution, undefined, EVERY_MONTH)).toEqual(recomputed(readings, places, resolution));
      }
    };
    await expectGrid(before);

    // During the rolling update, far from the others (rows of their own): a new row written,
    // then a second reading merged into it and written back, both with jsonb values.
    const far = { lat: SAINT_GUILHEM.lat + 0.3, lon: SAINT_GUILHEM.lon };
    const first = makeReading({ ...far, signalDbm: -110 });
    const second = makeReading({ ...far, signalDbm: -70 });
    await olderInsert(pool, [first]);
    await olderUpdate(pool, [first, second]);
    await expectGrid([...before, first, second]);

    // And this version merges into them.
    const third = makeReading({ ...far, signalDbm: -90 });
    await store.ingest([third], [PLACED]);
    await expectGrid([...before, first, second, third]);
  });
});
