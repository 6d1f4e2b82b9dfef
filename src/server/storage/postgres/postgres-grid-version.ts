import type pg from 'pg';
import type { GridVersionSource } from '../grid-version.ts';
import { postgresTileVersions } from './postgres-grid-units.ts';

/**
 * PostgreSQL's grid versions (grid-version.ts): any number of processes write, so the versions
 * live in the database: the store-wide one as the sequence `grid_version` (migration 11), the
 * tiles' as the sequence `grid_everywhere_version` with their units' counters (migration 12,
 * postgres-grid-units.ts). Sequences rather than one-row tables: `nextval` takes no row lock
 * (two ingests in two processes do not wait for each other) and is not rolled back, and
 * `last_value` reads it without a transaction. Bumped after the writer's commit, never inside
 * its transaction: a reader that saw the new number before the commit would cache the old rows
 * under it. (The units' counters are the exception, counted inside it: grid-unit-versions.ts
 * says why that is safe for them.) Both say what was acknowledged, not what was rolled up:
 * every read of grid rows rolls up first (grid-roll-up.ts), so an answer is never older than its version.
 */
export async function postgresGridVersion(pool: pg.Pool): Promise<GridVersionSource> {
  const source: GridVersionSource = {
    async read() {
      const { rows } = await pool.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM grid_version');
      const row = rows[0];
      return row?.is_called ? String(row.last_value) : '0';
    },
    async bump(change) {
      await pool.query(
        change === 'changes-grid-everywhere' ? `SELECT nextval('grid_everywhere_version'), nextval('grid_version')` : `SELECT nextval('grid_version')`,
      );
    },
    async readTiles(tiles) {
      return postgresTileVersions(pool, tiles);
    },
  };
  // A process starts with the communes it loads then (main.ts) and after migrations that may have refilled the grid.
  await source.bump('changes-grid-everywhere');
  return source;
}
