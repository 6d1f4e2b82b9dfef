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
 * pending, one `grid_pending` row each, stay pending there, and the next server's first read of
 * the grid rolls them up, once; so do those a process of the version before still marks there
 * during a rolling update, beside this version's uploads; `grid_roll_ups` is gone.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };

describe('upgrading a PostgreSQL database with readings pending for the grid (schema 14 → 15)', () => {
  it('keeps them pending, with an older process’s uploads during the update, and the first read of the grid counts each once', async () => {
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
    // As a real server's inserts would have left it: the next seq after theirs.
    await pool.query(`SELECT setval(pg_get_serial_sequence('readings', 'seq'), 3)`);

    expect(await migratePostgres(pool, 15)).toEqual([15]);
    const tables = await withClient(location.url, (client) =>
      client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('grid_pending', 'grid_roll_ups')`,
      ),
    );
    expect(tables.rows).toEqual([{ name: 'grid_pending' }]);

    const store = await openPostgresStore(location.url, { gridRollUp: { quietMs: Infinity, eagerAt: Infinity } });
    cleanups.push(() => store.close());
    // During a rolling update: a process of the version before uploads (its row in grid_pending),
    // and this version uploads too.
    const older = makeReading({ lat: SAINT_GUILHEM.lat + 0.02, lon: SAINT_GUILHEM.lon, signalDbm: -95 });
    const olderValues = readingValues({ reading: older, body: canonicalJson(older), place: PLACED, cell: cellAt(older.lon, older.lat, 200), receivedAt });
    await pool.query(
      `WITH stored AS (INSERT INTO readings (${READING_COLUMN_NAMES.join(', ')}) VALUES (${olderValues.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING seq)
       INSERT INTO grid_pending (seq) SELECT seq FROM stored`,
      olderValues,
    );
    const newer = makeReading({ lat: SAINT_GUILHEM.lat + 0.03, lon: SAINT_GUILHEM.lon, signalDbm: -100 });
    await store.ingest([newer], [PLACED]);

    const all = [...readings, older, newer];
    const places = new Map(all.map((reading) => [reading.id, PLACED]));
    expect(await storedGrid(store, 1000)).toEqual(recomputed(all, places, 1000));
    expect(await storedGrid(store, 200)).toEqual(recomputed(all, places, 200));
    expect(
      (await pool.query('SELECT (SELECT count(*) FROM grid_pending_batches)::int AS batches, (SELECT count(*) FROM grid_pending)::int AS legacy')).rows,
    ).toEqual([{ batches: 0, legacy: 0 }]);
  });
});
