import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CounterStore } from '../counter-store.ts';

/** The SQLite side of counter-store.ts: tables `counters` and `server_secrets` (migration 7). */
export function createSqliteCounters(db: Database.Database): CounterStore {
  const countHit = db.prepare<{ key: string; nowMs: number; windowMs: number }, { count: number; reset_at_ms: number }>(`
    INSERT INTO counters (key, count, reset_at_ms) VALUES (@key, 1, @nowMs + @windowMs)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN reset_at_ms <= @nowMs THEN 1 ELSE count + 1 END,
      reset_at_ms = CASE WHEN reset_at_ms <= @nowMs THEN @nowMs + @windowMs ELSE reset_at_ms END
    RETURNING count, reset_at_ms`);
  const peekHits = db.prepare<[string, number], { count: number; reset_at_ms: number }>(
    'SELECT count, reset_at_ms FROM counters WHERE key = ? AND reset_at_ms > ?',
  );
  const clearHits = db.prepare<[string]>('DELETE FROM counters WHERE key = ?');
  const deleteEndedCounters = db.prepare<[number]>('DELETE FROM counters WHERE reset_at_ms <= ?');
  const insertSecret = db.prepare<[string, Buffer]>('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  const secretByName = db.prepare<[string], Buffer>('SELECT value FROM server_secrets WHERE name = ?').pluck();

  return {
    async countHit(key, windowMs, nowMs) {
      const row = countHit.get({ key, nowMs, windowMs })!;
      return { count: row.count, resetAtMs: row.reset_at_ms };
    },
    async peekHits(key, nowMs) {
      const row = peekHits.get(key, nowMs);
      return row && { count: row.count, resetAtMs: row.reset_at_ms };
    },
    async clearHits(key) {
      clearHits.run(key);
    },
    async deleteEndedCounters(nowMs) {
      return deleteEndedCounters.run(nowMs).changes;
    },
    async serverSecret(name) {
      insertSecret.run(name, randomBytes(32));
      return secretByName.get(name)!;
    },
  };
}
