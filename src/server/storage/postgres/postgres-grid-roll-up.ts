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
 *
 * During a rolling update, processes of the version before still mark their readings pending
 * one row each in `grid_pending` (migration 15 keeps it): a roll-up takes those first, and a
 * rebuild counts them as pending too, so their readings are rolled up once, by either version.
 */

export function postgresGridRollUp(pool: pg.Pool): GridRollUpSource {
  return {
    async lastPending() {
      const { rows } = await pool.query<{ last: string | null }>(
        'SELECT greatest((SELECT max(last_seq) FROM grid_pending_batches), (SELECT max(seq) FROM grid_pending)) AS last',
      );
      return rows[0]!.last === null ? undefined : Number(rows[0]!.last);
    },
    async rollUp(limit, upTo) {
      return inTransaction(pool, async (client) => {
        await takeGridTurn(client);
        // First what a process of the version before left, a row per reading (migration 15:
        // during a rolling update), then this version's rows, up to the chunk between them.
        const { rows: legacy } = await client.query<{ body: string; account_id: string | null; departement: string | null }>(
          `WITH taken AS (
             DELETE FROM grid_pending WHERE seq IN (SELECT seq FROM grid_pending WHERE seq <= $2 ORDER BY seq LIMIT $1) RETURNING seq)
           SELECT r.body, r.account_id, r.departement FROM taken JOIN readings r ON r.seq = taken.seq ORDER BY r.seq`,
          [limit, upTo],
        );
        const batch = gridBatch();
        const add = (row: { body: string; account_id: string | null; departement: string | null }) => {
          const reading = JSON.parse(row.body) as Reading;
          batch.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
        };
        for (const row of legacy) add(row);
        if (legacy.length >= limit) {
          await batch.flush(client);
          return legacy.length;
        }
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
          [limit - legacy.length, upTo],
        );
        if (rows.length === 0 && legacy.length === 0) return 0;
        // The units' counters were counted by the ingest (postgres-readings.ts).
        for (const row of rows) add(row);
        await batch.flush(client);
        return legacy.length + (rows[0]?.taken ?? 0);
      });
    },
  };
}
