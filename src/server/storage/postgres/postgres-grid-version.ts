import type pg from 'pg';
import type { GridVersionSource } from '../grid-version.ts';

/**
 * PostgreSQL's grid version (grid-version.ts): any number of processes write, so the version
 * lives in the database, as the sequence `grid_version` (migration 11). A sequence rather
 * than a one-row table: `nextval` takes no row lock (two ingests in two processes do not wait
 * for each other) and is not rolled back, and `last_value` reads it without a transaction.
 * Bumped after the writer's commit, never inside its transaction: a reader that saw the new
 * number before the commit would cache the old rows under it.
 */
export async function postgresGridVersion(pool: pg.Pool): Promise<GridVersionSource> {
  const source: GridVersionSource = {
    async read() {
      const { rows } = await pool.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM grid_version');
      const row = rows[0];
      return row?.is_called ? String(row.last_value) : '0';
    },
    async bump() {
      await pool.query(`SELECT nextval('grid_version')`);
    },
  };
  // A process starts with the communes it loads then (main.ts) and after migrations that may have refilled the grid.
  await source.bump();
  return source;
}
