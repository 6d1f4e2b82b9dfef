import type pg from 'pg';
import type { Reading } from '../../../domain/reading.ts';
import { baseCellOf } from '../grid-batch.ts';
import type { GridRollUpSource } from '../grid-roll-up.ts';
import { inTransaction } from './postgres-db.ts';
import { gridBatch, takeGridTurn } from './postgres-grid.ts';

/**
 * PostgreSQL's grid roll-ups (grid-roll-up.ts). Several processes ingest at once and their seqs,
 * drawn from one sequence, commit in any order: the pending readings are listed, one row each
 * in `grid_pending` (postgres-migrations.ts), inserted by the ingest's own statement, so a reading is
 * pending exactly when its ingest has committed.
 *
 * A roll-up takes the grid's turn (`takeGridTurn`, an advisory lock across processes), deletes up to its
 * chunk of `grid_pending` rows in seq order and reads their readings in the same statement,
 * and writes their grid rows (postgres-grid.ts's batch), in one transaction: committed together,
 * or not at all and the rows stay pending. (The 10 km cells' counters were counted by the
 * ingest; `grid_roll_ups`, which the versions carried for a while, is no longer written.) Taking turns, no two roll-ups take the same reading; a rebuild
 * from the readings (postgres-grid.ts's `rebuildGrid`, placing again) takes the same turn and
 * counts only readings no longer pending.
 *
 */

export function postgresGridRollUp(pool: pg.Pool): GridRollUpSource {
  return {
    async lastPending() {
      const { rows } = await pool.query<{ last: string | null }>('SELECT max(seq) AS last FROM grid_pending');
      return rows[0]!.last === null ? undefined : Number(rows[0]!.last);
    },
    async rollUp(limit, upTo) {
      return inTransaction(pool, async (client) => {
        await takeGridTurn(client);
        const { rows } = await client.query<{ body: string; account_id: string | null; departement: string | null }>(
          `WITH taken AS (
             DELETE FROM grid_pending WHERE seq IN (SELECT seq FROM grid_pending WHERE seq <= $2 ORDER BY seq LIMIT $1) RETURNING seq)
           SELECT r.body, r.account_id, r.departement FROM taken JOIN readings r ON r.seq = taken.seq ORDER BY r.seq`,
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
        return rows.length;
      });
    },
  };
}
