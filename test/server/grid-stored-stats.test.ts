import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { fromStoredStats, type StoredStats } from '../../src/domain/grid/stored-stats.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { openStore, type StoreLocation } from '../../src/server/storage/open-store.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import { newTestLocation, tableRows, withClient } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { CELL_A, CELL_B, CELL_C, EVERY_MONTH, pointIn, recomputed, storedGrid } from './grid-helpers.ts';

/**
 * The grid's statistics are stored as a positional array (src/domain/grid/stored-stats.ts); a
 * database written before holds them as objects, and is not rewritten: its rows read as they
 * are, and take new readings into them, on either store.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STATS_TABLES = ['grid_groups', 'grid_totals'] as const;
const PLACE: ReadingPlacement = { accountId: 'a1', commune: null, departement: '34', outsideCommunes: false };

/** Every grid row's stats rewritten as the object, as the version before left them. */
async function toObjectForm(location: StoreLocation): Promise<void> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    for (const table of STATS_TABLES) {
      const rows = db.prepare<[], Record<string, string | number>>(`SELECT * FROM ${table}`).all();
      for (const { stats, ...key } of rows) {
        const where = Object.keys(key).map((name) => `${name} = @${name}`);
        const object = JSON.stringify(fromStoredStats(JSON.parse(stats as string) as StoredStats));
        db.prepare(`UPDATE ${table} SET stats = @stats WHERE ${where.join(' AND ')}`).run({ ...key, stats: object });
      }
    }
    db.close();
    return;
  }
  await withClient(location.url, async (client) => {
    for (const table of STATS_TABLES) {
      const { rows } = await client.query<Record<string, unknown> & { stats: StoredStats }>(`SELECT * FROM ${table}`);
      for (const { stats, ...key } of rows) {
        const names = Object.keys(key);
        await client.query(`UPDATE ${table} SET stats = $1::jsonb WHERE ${names.map((name, i) => `${name} = $${i + 2}`).join(' AND ')}`, [
          JSON.stringify(fromStoredStats(stats)),
          ...names.map((name) => key[name]),
        ]);
      }
    }
  });
}

/** How each grid row's stats are stored: 'object' or 'array'. */
async function storedForms(location: StoreLocation): Promise<string[]> {
  const rows = await tableRows(location, STATS_TABLES);
  return STATS_TABLES.flatMap((table) =>
    rows[table]!.map((row) => {
      const stats = (row as { stats: unknown }).stats;
      const parsed = typeof stats === 'string' ? JSON.parse(stats) : stats;
      return Array.isArray(parsed) ? 'array' : 'object';
    }),
  );
}

it('reads rows stored as objects and merges new readings into them', async () => {
  const { location, drop } = await newTestLocation(tempDir());
  cleanups.push(drop);
  const at = (cell: typeof CELL_A, fx: number, overrides: Partial<Reading> = {}) => makeReading({ ...pointIn(cell, fx, 0.5), ...overrides });
  const before = [at(CELL_A, 0.2), at(CELL_A, 0.4, { signalDbm: -110 }), at(CELL_B, 0.5, { operator: 'sfr' }), at(CELL_C, 0.5, { voice: 'failed' })];
  const first = await openStore(location);
  await first.ingest(
    before,
    before.map(() => PLACE),
  );
  await first.close();
  await toObjectForm(location);
  expect(new Set(await storedForms(location))).toEqual(new Set(['object']));

  const store = await openStore(location);
  cleanups.push(() => store.close());
  const places = new Map([...before].map((r) => [r.id, PLACE]));
  for (const resolutionM of [200, 1000] as const) {
    expect(await storedGrid(store, resolutionM, undefined, EVERY_MONTH)).toEqual(recomputed(before, places, resolutionM));
  }

  // Into the rows of CELL_A and CELL_B (and their 1 km and 10 km rows); CELL_C's stay as they were.
  const after = [at(CELL_A, 0.6, { signalDbm: -80 }), at(CELL_B, 0.7, { operator: 'sfr', voice: 'dropped' }), at(CELL_B, 0.7, { operator: 'free' })];
  await store.ingest(
    after,
    after.map(() => ({ ...PLACE, accountId: 'a2' })),
  );
  for (const r of after) places.set(r.id, { ...PLACE, accountId: 'a2' });
  const all = [...before, ...after];
  for (const resolutionM of [200, 1000] as const) {
    expect(await storedGrid(store, resolutionM, undefined, EVERY_MONTH)).toEqual(recomputed(all, places, resolutionM));
  }
  expect(await storedGrid(store, 1000)).toEqual(recomputed(all, places, 1000));
  expect((await storedGrid(store, 10_000)).groups).toEqual(recomputed(all, places, 10_000).groups);
  // Rows written again take the array form; CELL_C's 200 m row is still an object.
  const forms = await storedForms(location);
  expect(forms).toContain('array');
  expect(forms).toContain('object');
});
