import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { GridVersionSource } from '../grid-version.ts';
import { sqliteTileVersions } from './sqlite-grid-units.ts';

/**
 * SQLite's grid versions (grid-version.ts): one server process writes the file, so counters in
 * memory, bumped by the store's own writers, are enough; beside them, `PRAGMA data_version`,
 * which changes when another connection (`npm run communes`, `npm run admin`…) has committed
 * to the file, and a token drawn at open, so that a version never repeats across restarts
 * (a browser's ETag from before a restart must not match what the restarted server builds).
 * A tile's version is the part that changes everywhere (the token, the changes everywhere and
 * `data_version`: another process's writes are not told apart) with its units' counters
 * (sqlite-grid-units.ts). Both say what was acknowledged, not what was rolled up: every read of
 * grid rows rolls up first (grid-roll-up.ts), so an answer built is never older than its version.
 */
export function sqliteGridVersion(db: Database.Database): GridVersionSource {
  const opened = randomBytes(6).toString('base64url').replaceAll('_', '.');
  let bumps = 0;
  let everywhere = 0;
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
  return {
    async read() {
      return `${opened}-${bumps}-${dataVersion()}`;
    },
    async bump(change) {
      bumps += 1;
      if (change === 'changes-grid-everywhere') everywhere += 1;
    },
    async readTiles(tiles) {
      return sqliteTileVersions(db, tiles, `${opened}-${everywhere}-${dataVersion()}`);
    },
  };
}
