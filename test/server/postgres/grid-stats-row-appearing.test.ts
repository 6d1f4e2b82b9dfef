import { describe, expect, it } from 'vitest';
import { cellAt } from '../../../src/domain/grid/cell-id.ts';
import type { GridQuery } from '../../../src/server/storage/grid-store.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import { withClient } from '../../support/test-store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { useStores } from './stores.ts';

/**
 * The grid's stats rows are written on the grid's turn only, and a roll-up inserts the rows it
 * did not find with a plain INSERT (postgres-grid.ts). Should a row of its keys appear between
 * its read and its insert after all (a writer not taking the turn), the roll-up fails whole
 * rather than skip the row: its readings stay pending, and the next roll-up merges them into
 * that row. Nothing is lost, nothing counted twice.
 */

const { open } = useStores(useTempDir());
const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };
const CELL = cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!;
/** The 200 m month row of the reading below (grid_groups' primary key, in order). */
const KEY = [200, CELL.north, CELL.east, 'orange', '4G', 'outdoor', '2026-05', '34'];
/** Another phone's reading in that row, in the stored one-reading form: contributor, level, dBm, call, SMS, time. */
const ALIEN_STATS = JSON.stringify(['a2', 0, -90, 3, 2, Date.parse('2026-05-04T09:00:00Z')]);
const WHOLE_CELL: GridQuery = {
  resolutionM: 200,
  north: [CELL.north, CELL.north],
  east: [CELL.east, CELL.east],
  scope: { kind: 'all' },
  fromMonth: '2026-05',
  toMonth: '2026-05',
};

describe('a stats row appearing during a roll-up (PostgreSQL)', () => {
  it('fails the roll-up, keeps its readings pending, and the next one merges them into the row', async () => {
    const test = await open('postgres');
    if (test.location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const { url } = test.location;
    // Rolled up only when the grid is read, so that the test says when.
    const store = await openPostgresStore(url, { gridRollUp: { quietMs: Number.POSITIVE_INFINITY, eagerAt: Number.POSITIVE_INFINITY } });
    try {
      const reading = makeReading({ ...SAINT_GUILHEM });
      await store.ingest([reading], [PLACED]);

      await withClient(url, async (other) => {
        await other.query('BEGIN');
        await other.query(
          `INSERT INTO grid_groups (resolution_m, north, east, operator, technology, setting, month, departement, stats)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json)`,
          [...KEY, ALIEN_STATS],
        );
        // The roll-up does not see the uncommitted row, inserts its own, and waits for this transaction.
        const read = store.gridGroups(WHOLE_CELL);
        read.catch(() => undefined);
        await expect
          .poll(
            async () => {
              const { rows } = await other.query<{ waiting: number }>(
                'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))',
              );
              return rows[0]!.waiting;
            },
            { timeout: 10_000 },
          )
          .toBe(1);
        await other.query('COMMIT');
        await expect(read).rejects.toThrow(/duplicate key/);
      });

      await withClient(url, async (client) => {
        const pending = await client.query<{ seqs: string[] }>('SELECT seqs FROM grid_pending_batches');
        expect(pending.rows.map((row) => row.seqs.length)).toEqual([1]);
        const rows = await client.query('SELECT stats::text AS stats FROM grid_groups');
        expect(rows.rows).toEqual([{ stats: ALIEN_STATS }]);
      });

      // The next read rolls the reading up again, into the row now stored.
      const [row, ...others] = await store.gridGroups(WHOLE_CELL);
      expect(others).toEqual([]);
      expect(row!.stats.readings).toBe(2);
      expect(row!.stats.contributors).toEqual(['a1', 'a2']);
      expect(row!.stats.levels).toEqual({ TBC: 1, BC: 1, CL: 0, PC: 0 });
      await withClient(url, async (client) => {
        expect((await client.query('SELECT 1 FROM grid_pending_batches')).rowCount).toBe(0);
      });
    } finally {
      await store.close();
    }
  });
});
