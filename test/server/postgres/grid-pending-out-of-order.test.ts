import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cellAt, coarserCell, type CellRef } from '../../../src/domain/grid/cell-id.ts';
import type { Reading } from '../../../src/domain/reading.ts';
import type { GridRollUpOptions } from '../../../src/server/storage/grid-roll-up.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import { withClient } from '../../support/test-store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { EVERY_MONTH, pointIn, recomputed, storedGrid } from '../grid-helpers.ts';
import { useStores } from './stores.ts';

/**
 * The readings pending for the grid, one `grid_pending_batches` row per upload
 * (postgres-grid-roll-up.ts), when two processes' uploads commit in the other order than their
 * seqs were drawn: the upload with the LOWER seqs commits after a roll-up has taken the one
 * with the higher seqs (and so after a drain's mark past its seqs). Its readings are rolled up
 * by the next read, once: the grid equals the one built from every reading, nothing is left
 * pending, and no reading is counted twice.
 */

const { open } = useStores(useTempDir());

const NO_BACKGROUND: GridRollUpOptions = { quietMs: Infinity, eagerAt: Infinity };
const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };
const UNIT = coarserCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!, 10_000);
const OTHER_UNIT: CellRef = { ...UNIT, east: UNIT.east + 10_000 };

function readingsIn(unit: CellRef, count: number, dbm: number): Reading[] {
  return Array.from({ length: count }, (_, k) => makeReading({ ...pointIn({ ...unit, resolutionM: 200 }, 2 + k * 0.3, 4.5), signalDbm: dbm - k }));
}

const placed = (readings: Reading[]) => readings.map(() => PLACED);

describe('uploads of two processes committing out of their seqs’ order', () => {
  it('roll up the late upload’s readings at the next read, each once', async () => {
    const first = await open('postgres');
    if (first.location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const url = first.location.url;
    const a = await openPostgresStore(url, { gridRollUp: NO_BACKGROUND });
    const b = await openPostgresStore(url, { gridRollUp: NO_BACKGROUND });
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      // A reading in UNIT, rolled up: its counter row exists, for the blocker to lock.
      const setup = readingsIn(UNIT, 1, -80);
      await a.ingest(setup, placed(setup));
      await storedGrid(a, 1000);

      // Process A's upload draws its seqs, stores its readings and marks them pending, then
      // waits on UNIT's counter (held by the blocker) before it can commit.
      await blocker.query('BEGIN');
      await blocker.query('SELECT changes FROM grid_unit_changes WHERE north = $1 AND east = $2 FOR UPDATE', [UNIT.north, UNIT.east]);
      const late = readingsIn(UNIT, 4, -90);
      const lateIngest = a.ingest(late, placed(late));
      const { rows: pid } = await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await expect
        .poll(async () => (await blocker.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid[0]!.pid])).rowCount, {
          timeout: 10_000,
        })
        .toBe(1);

      // Process B's upload, later seqs, commits first, and B's read rolls it up.
      const early = readingsIn(OTHER_UNIT, 3, -100);
      expect((await b.ingest(early, placed(early))).accepted).toHaveLength(3);
      const between = await storedGrid(b, 1000);
      expect(between).toEqual(recomputed([...setup, ...early], placesOf([...setup, ...early]), 1000));

      await blocker.query('COMMIT');
      expect((await lateIngest).accepted).toHaveLength(4);
      const seqs = await withClient(url, (client) =>
        client.query<{ id: string; seq: number }>('SELECT id, seq::int FROM readings WHERE id = ANY($1::text[])', [[...late, ...early].map((r) => r.id)]),
      );
      const seqOf = new Map(seqs.rows.map((row) => [row.id, row.seq]));
      // The scenario itself: the late upload's seqs are all below the early one's.
      expect(Math.max(...late.map((r) => seqOf.get(r.id)!))).toBeLessThan(Math.min(...early.map((r) => seqOf.get(r.id)!)));

      const all = [...setup, ...late, ...early];
      for (const store of [a, b]) {
        expect(await storedGrid(store, 200, undefined, EVERY_MONTH)).toEqual(recomputed(all, placesOf(all), 200));
        expect(await storedGrid(store, 1000)).toEqual(recomputed(all, placesOf(all), 1000));
        expect((await storedGrid(store, 10_000)).groups).toEqual(recomputed(all, placesOf(all), 10_000).groups);
      }
      const { rows } = await withClient(url, (client) =>
        client.query<{ rows: number; readings: number }>(
          'SELECT count(*)::int AS rows, coalesce(sum(cardinality(seqs)), 0)::int AS readings FROM grid_pending_batches',
        ),
      );
      expect(rows[0]).toEqual({ rows: 0, readings: 0 });
    } finally {
      await blocker.end();
      await a.close();
      await b.close();
    }
  }, 60_000);
});

function placesOf(readings: Reading[]): Map<string, ReadingPlacement> {
  return new Map(readings.map((reading) => [reading.id, PLACED]));
}
