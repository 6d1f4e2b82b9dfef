import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { GridVersionSource } from '../grid-version.ts';

/**
 * SQLite's grid version (grid-version.ts): one server process writes the file, so a counter
 * in memory, bumped by the store's own writers, is enough; beside it, `PRAGMA data_version`,
 * which changes when another connection (`npm run communes`, `npm run admin`…) has committed
 * to the file, and a token drawn at open, so that a version never repeats across restarts
 * (a browser's ETag from before a restart must not match what the restarted server builds).
 */
export function sqliteGridVersion(db: Database.Database): GridVersionSource {
  const opened = randomBytes(6).toString('base64url').replaceAll('_', '.');
  let bumps = 0;
  return {
    async read() {
      return `${opened}-${bumps}-${db.pragma('data_version', { simple: true })}`;
    },
    async bump() {
      bumps += 1;
    },
  };
}
