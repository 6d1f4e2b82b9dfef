import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/server/storage/open-store.ts';
import { newTestLocation, withClient } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { EVERY_MONTH, storedGrid } from './grid-helpers.ts';

/**
 * A deployment upgraded from before the grid counted conforming tests (`tests` in its stats):
 * the migration after declared coverage refills the grid from the stored readings, so that
 * its call tests are counted, on either store.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The SQLite migration that refills the grid (sqlite-migrations.ts, 15.). */
const REFILL_MIGRATION = 15;
const STARTED = '2026-05-02T10:00:00.000+02:00';
/** The stats without `tests`, in any of their stored forms (src/domain/grid/stored-stats.ts): an object, one reading's array, any group's. */
const WITHOUT_TESTS_SQLITE = `CASE WHEN json_type(stats) = 'object' THEN json_remove(stats, '$.tests')
  WHEN json_type(stats, '$[0]') = 'text' THEN json_remove(stats, '$[6]') ELSE json_remove(stats, '$[8]') END`;
const WITHOUT_TESTS_POSTGRES = `CASE WHEN jsonb_typeof(stats::jsonb) = 'object' THEN stats::jsonb - 'tests'
  WHEN jsonb_typeof(stats::jsonb -> 0) = 'string' THEN stats::jsonb - 6 ELSE stats::jsonb - 8 END`;

it('counts the conforming call test of a reading aggregated before tests were counted', async () => {
  const { location, drop } = await newTestLocation(tempDir());
  cleanups.push(drop);
  const reading = makeReading({ voice: 'ok', callTest: { startedAt: STARTED, durationS: 61 } });

  // The database as the previous version left it: the reading stored, its grid rows without `tests`.
  const before = await openStore(location);
  await before.ingest([reading]);
  await before.close();
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    for (const table of ['grid_groups', 'grid_totals']) db.exec(`UPDATE ${table} SET stats = ${WITHOUT_TESTS_SQLITE}`);
    // Back before migration 15 (the refill); the later ones run again (they may: IF NOT EXISTS).
    db.pragma(`user_version = ${REFILL_MIGRATION - 1}`);
    db.close();
  } else {
    await withClient(location.url, async (client) => {
      for (const table of ['grid_groups', 'grid_totals']) await client.query(`UPDATE ${table} SET stats = ${WITHOUT_TESTS_POSTGRES}`);
      // Back before migration 10 (the refill); the later ones run again (they may: IF NOT EXISTS).
      await client.query('DELETE FROM schema_migrations WHERE version >= 10');
    });
  }
  const store = await openStore(location);
  cleanups.push(() => store.close());
  const callTally = { success: 1, partial: 0, failure: 0 };
  for (const months of [EVERY_MONTH, undefined]) {
    for (const resolutionM of [200, 1000] as const) {
      const groups = (await storedGrid(store, resolutionM, undefined, months)).groups;
      expect(groups).toHaveLength(1);
      expect(groups[0]!.stats.tests?.['map-check']?.call).toEqual(callTally);
    }
  }
});
