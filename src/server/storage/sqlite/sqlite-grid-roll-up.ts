import type Database from 'better-sqlite3';
import type { Reading } from '../../../domain/reading.ts';
import { baseCellOf } from '../grid-batch.ts';
import type { GridRollUpSource } from '../grid-roll-up.ts';
import type { createSqliteGrid } from './sqlite-grid.ts';

/**
 * SQLite's grid roll-ups (grid-roll-up.ts). One writer at a time, and `seq` an AUTOINCREMENT
 * rowid: transactions commit their readings in `seq` order and a seq is never used twice, so
 * the pending readings are exactly those above a watermark, `grid_rolled_up.seq`
 * (sqlite-migrations.ts): an ingest writes nothing for the grid. A roll-up is an IMMEDIATE
 * transaction (the write lock first) that reads the readings above the watermark, writes their
 * rows and moves the watermark past them.
 */

/** The watermark: every reading at or below it is in the grid (readings above it wait for a roll-up). */
export const ROLLED_UP_SQL = '(SELECT seq FROM grid_rolled_up)';

export function sqliteGridRollUp(db: Database.Database, grid: ReturnType<typeof createSqliteGrid>): GridRollUpSource {
  const lastPending = db.prepare<[], number>(`SELECT seq FROM readings WHERE seq > ${ROLLED_UP_SQL} ORDER BY seq DESC LIMIT 1`).pluck();
  const pendingReadings = db.prepare<[number, number], { seq: number; body: string; account_id: string | null; departement: string | null }>(
    `SELECT seq, body, account_id, departement FROM readings WHERE seq > ${ROLLED_UP_SQL} AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const moveWatermark = db.prepare<[number]>('UPDATE grid_rolled_up SET seq = ?');
  const rollUp = db.transaction((limit: number, upTo: number): number => {
    const rows = pendingReadings.all(upTo, limit);
    if (rows.length === 0) return 0;
    // The units' counters were counted by the ingest (sqlite-readings.ts).
    const batch = grid.batch();
    for (const row of rows) {
      const reading = JSON.parse(row.body) as Reading;
      batch.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
    }
    batch.flush();
    moveWatermark.run(rows[rows.length - 1]!.seq);
    return rows.length;
  });
  return {
    async lastPending() {
      return lastPending.get();
    },
    async rollUp(limit, upTo) {
      return rollUp.immediate(limit, upTo);
    },
  };
}
