import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../../src/domain/grid/cell-id.ts';
import { canonicalJson, type Reading } from '../../../src/domain/reading.ts';
import { READING_COLUMN_NAMES, readingValues } from '../../../src/server/storage/insert-columns.ts';
import { createPool } from '../../../src/server/storage/postgres/postgres-db.ts';
import { migratePostgres } from '../../../src/server/storage/postgres/postgres-migrations.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import { newTestLocation, withClient } from '../../support/test-store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { recomputed, storedGrid } from '../grid-helpers.ts';

/**
 * Migration 15 (postgres-migrations.ts): readings a server of schema 14 acknowledged and left
 * pending, one `grid_pending` row each, stay pending as one `grid_pending_batches` row, and the
 * next server's first read of the grid rolls them up, once; `grid_roll_ups` is gone.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };

describe('upgrading a PostgreSQL database with readings pending for the grid (schema 14 → 15)', () => {
  it('keeps them pending, and the first read of the grid counts each once', async () => {
    const { location, drop } = await newTestLocation(tempDir(), 'postgres');
    cleanups.push(drop);
    if (location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const pool = createPool(location.url);
    cleanups.push(() => pool.end());
    expect(await migratePostgres(pool, 14)).toHaveLength(14);

    // As schema 14's ingest left them: the readings, and a grid_pending row for each.
    const readings: Reading[] = [0, 1, 2].map((k) => makeReading({ lat: SAINT_GUILHEM.lat + k * 0.003, lon: SAINT_GUILHEM.lon, signalDbm: -80 - k }));
    const receivedAt = new Date().toISOString();
    for (const [index, reading] of readings.entries()) {
      const values = readingValues({ reading, body: canonicalJson(reading), place: PLACED, cell: cellAt(reading.lon, reading.lat, 200), receivedAt });
      await pool.query(
        `INSERT INTO readings (seq, ${READING_COLUMN_NAMES.join(', ')}) OVERRIDING SYSTEM VALUE
         VALUES (${[index + 1, ...values].map((_, i) => `$${i + 1}`).join(', ')})`,
        [index + 1, ...values],
      );
    }
    await pool.query('INSERT INTO grid_pending (seq) VALUES (1), (2), (3)');

    expect(await migratePostgres(pool)).toEqual([15]);
    const { rows } = await pool.query<{ last_seq: number; seqs: string[] }>('SELECT last_seq, seqs FROM grid_pending_batches');
    expect(rows.map((row) => ({ last: row.last_seq, seqs: row.seqs.map(Number) }))).toEqual([{ last: 3, seqs: [1, 2, 3] }]);
    const tables = await withClient(location.url, (client) =>
      client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('grid_pending', 'grid_roll_ups')`,
      ),
    );
    expect(tables.rows).toEqual([]);

    const store = await openPostgresStore(location.url, { gridRollUp: { quietMs: Infinity, eagerAt: Infinity } });
    cleanups.push(() => store.close());
    const places = new Map(readings.map((reading) => [reading.id, PLACED]));
    expect(await storedGrid(store, 1000)).toEqual(recomputed(readings, places, 1000));
    expect(await storedGrid(store, 200)).toEqual(recomputed(readings, places, 200));
    expect((await pool.query('SELECT count(*)::int AS n FROM grid_pending_batches')).rows).toEqual([{ n: 0 }]);
  });
});
