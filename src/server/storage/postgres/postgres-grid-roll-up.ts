import type pg from 'pg';
import type { Reading } from '../../../domain/reading.ts';
import { baseCellOf } from '../grid-batch.ts';
import type { GridRollUpSource } from '../grid-roll-up.ts';
import { inTransaction } from './postgres-db.ts';
import { gridBatch, takeGridTurn } from './postgres-grid.ts';

/**
 * PostgreSQL's grid roll-ups (grid-roll-up.ts). Several processes ingest at once and their seqs,
 * drawn from one sequence, commit in any order: the pending readings are listed, one row per
 * ingest statement in `grid_pending_batches` (its last seq and every seq it stored;
 * postgres-migrations.ts), inserted by that very statement, so a reading is pending exactly
 * when its ingest has committed. A row per reading cost an index entry written and deleted
 * for each (docs/performance.md, ingest's eighth pass).
 *
 * A roll-up takes the grid's turn (`takeGridTurn`, an advisory lock across processes), deletes
 * whole rows of `grid_pending_batches` in order of their last seq (at most up to the mark, until
 * its chunk of readings is reached: a row is never split) and reads their readings in the same
 * statement, and writes their grid rows (postgres-grid.ts's batch), in one transaction:
 * committed together, or not at all and the rows stay pending. (The 10 km cells' counters were
 * counted by the ingest.) Taking turns, no two roll-ups take the same reading; a rebuild from
 * the readings (postgres-grid.ts's `rebuildGrid`, placing again) takes the same turn and counts
 * only readings no longer pending.
 */

export function postgresGridRollUp(pool: pg.Pool): GridRollUpSource {
  return {
    async lastPending() {
      const { rows } = await pool.query<{ last: number | null }>('SELECT max(last_seq) AS last FROM grid_pending_batches');
      return rows[0]!.last ?? undefined;
    },
    async rollUp(limit, upTo) {
      return inTransaction(pool, async (client) => {
        await takeGridTurn(client);
        // `before`: the readings of the rows ahead of this one. The count of readings taken
        // comes with each row read (a full chunk says more may be pending).
        const { rows } = await client.query<{ taken: number; body: string; account_id: string | null; departement: string | null }>(
          `WITH chunk AS (
             SELECT last_seq FROM (
               SELECT last_seq, sum(cardinality(seqs)) OVER (ORDER BY last_seq) - cardinality(seqs) AS before
               FROM grid_pending_batches WHERE last_seq <= $2) AS c
             WHERE before < $1),
           taken AS (DELETE FROM grid_pending_batches p USING chunk WHERE p.last_seq = chunk.last_seq RETURNING p.seqs),
           seqs AS (SELECT unnest(seqs) AS seq FROM taken)
           SELECT (SELECT count(*) FROM seqs)::int AS taken, r.body, r.account_id, r.departement
           FROM seqs JOIN readings r ON r.seq = seqs.seq ORDER BY r.seq`,
          [limit, upTo],
        );
        if (rows.length === 0) return 0;
        // The units' counters were counted by the ingest (postgres-readings.ts).
        const batch = gridBatch();
        for (const row of rows) {
          const reading = JSON.parse(row.body) as Reading;
          batch.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
        }
        await batch.flush(client);
        return rows[0]!.taken;
      });
    },
  };
}
