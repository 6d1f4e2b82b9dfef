import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { CounterStore } from '../counter-store.ts';

/** The PostgreSQL side of counter-store.ts: tables `counters` and `server_secrets` (migration 2). */
export function createPostgresCounters(pool: pg.Pool): CounterStore {
  return {
    async countHit(key, windowMs, nowMs) {
      // One statement: the row lock of the upsert orders two processes' hits on one key.
      const { rows } = await pool.query<{ count: number; reset_at_ms: number }>(
        `INSERT INTO counters AS c (key, count, reset_at_ms) VALUES ($1, 1, $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN c.reset_at_ms <= $2::bigint THEN 1 ELSE c.count + 1 END,
           reset_at_ms = CASE WHEN c.reset_at_ms <= $2::bigint THEN $2::bigint + $3::bigint ELSE c.reset_at_ms END
         RETURNING count, reset_at_ms`,
        [key, nowMs, windowMs],
      );
      return { count: rows[0]!.count, resetAtMs: rows[0]!.reset_at_ms };
    },
    async peekHits(key, nowMs) {
      const { rows } = await pool.query<{ count: number; reset_at_ms: number }>('SELECT count, reset_at_ms FROM counters WHERE key = $1 AND reset_at_ms > $2', [
        key,
        nowMs,
      ]);
      return rows[0] && { count: rows[0].count, resetAtMs: rows[0].reset_at_ms };
    },
    async clearHits(key) {
      await pool.query('DELETE FROM counters WHERE key = $1', [key]);
    },
    async deleteEndedCounters(nowMs) {
      return (await pool.query('DELETE FROM counters WHERE reset_at_ms <= $1', [nowMs])).rowCount ?? 0;
    },
    async serverSecret(name) {
      // The first process to ask draws it; a concurrent one's insert does nothing and both read the same.
      await pool.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
      const { rows } = await pool.query<{ value: Buffer }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
      return rows[0]!.value;
    },
  };
}
