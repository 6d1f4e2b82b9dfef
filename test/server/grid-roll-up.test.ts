import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tileOfCell } from '../../src/domain/grid/cell-tiles.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { StoreLocation } from '../../src/server/storage/open-store.ts';
import type { GridRollUpOptions } from '../../src/server/storage/grid-roll-up.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { newTestLocation, TEST_STORE_KIND, withClient } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { CELL_A, EVERY_MONTH, pointIn, recomputed, storedGrid } from './grid-helpers.ts';

/**
 * The grid rolled up after the ingest's transaction (src/server/storage/grid-roll-up.ts): an
 * ingest only marks its readings pending; a read of the grid or of its versions, a quiet moment
 * after uploads and a close roll them up. Whatever the order of those, the grid read equals the
 * grid built from scratch from the readings stored, each counted once, through a process gone
 * before its roll-up, duplicates and placing again.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** No background roll-up unless asked: only reads, closes (and the test) roll up. */
const NO_BACKGROUND: GridRollUpOptions = { quietMs: Infinity, eagerAt: Infinity };

async function openAt(location: StoreLocation, gridRollUp: GridRollUpOptions = NO_BACKGROUND): Promise<Store> {
  const store = location.kind === 'sqlite' ? openSqliteStore(location.file, { gridRollUp }) : await openPostgresStore(location.url, { gridRollUp });
  cleanups.push(() => store.close());
  return store;
}

async function freshLocation(): Promise<StoreLocation> {
  const { location, drop } = await newTestLocation(tempDir());
  cleanups.push(drop);
  return location;
}

/** Readings stored and not rolled up yet, and grid rows, as the database holds them (another connection). */
async function inDatabase(location: StoreLocation): Promise<{ pending: number; gridRows: number }> {
  const sql = {
    sqlite: 'SELECT (SELECT count(*) FROM readings WHERE seq > (SELECT seq FROM grid_rolled_up)) AS pending, (SELECT count(*) FROM grid_groups) AS grid_rows',
    postgres:
      'SELECT (SELECT coalesce(sum(cardinality(seqs)), 0) FROM grid_pending_batches)::int AS pending, (SELECT count(*) FROM grid_groups)::int AS grid_rows',
  };
  if (location.kind === 'postgres') {
    const { rows } = await withClient(location.url, (client) => client.query<{ pending: number; grid_rows: number }>(sql.postgres));
    return { pending: rows[0]!.pending, gridRows: rows[0]!.grid_rows };
  }
  const db = new Database(location.file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare<[], { pending: number; grid_rows: number }>(sql.sqlite).get()!;
    return { pending: row.pending, gridRows: row.grid_rows };
  } finally {
    db.close();
  }
}

const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };

/** `count` readings in a patch of 200 m cells around CELL_A and one 20 km away, of a few operators, months and sources. */
function someReadings(count: number, seed = 0): Reading[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i + seed;
    const corner = k % 5 === 0 ? { ...CELL_A, east: CELL_A.east + 20_000 } : CELL_A;
    return makeReading({
      ...pointIn({ ...corner, resolutionM: 200 }, (k % 3) + 0.5, ((k >> 2) % 2) + 0.5),
      operator: OPERATORS[k % 3]!,
      recordedAt: k % 2 === 0 ? '2026-04-15T10:00:00.000Z' : '2026-05-02T08:00:00.000Z',
      signalDbm: -80 - (k % 40),
      source: k % 7 === 0 ? 'resident' : 'agent',
    });
  });
}

/** The grid the store answers, at 200 m by month and 1 km and 10 km for all periods, beside the one built from scratch. */
async function expectGridOf(store: Store, readings: Reading[], places: Map<string, ReadingPlacement>): Promise<void> {
  expect(await storedGrid(store, 200, undefined, EVERY_MONTH)).toEqual(recomputed(readings, places, 200));
  expect(await storedGrid(store, 1000)).toEqual(recomputed(readings, places, 1000));
  expect((await storedGrid(store, 10_000)).groups).toEqual(recomputed(readings, places, 10_000).groups);
}

const placesOf = (readings: Reading[], place: ReadingPlacement = PLACED) => new Map(readings.map((r) => [r.id, place]));

describe('the grid rolled up after the ingest', () => {
  it('marks an upload’s readings pending, writes no grid row, and rolls them up before the grid is read', async () => {
    const location = await freshLocation();
    const store = await openAt(location);
    const readings = someReadings(12);
    await store.ingest(
      readings,
      readings.map(() => PLACED),
    );
    expect(await inDatabase(location)).toEqual({ pending: 12, gridRows: 0 });
    await expectGridOf(store, readings, placesOf(readings));
    expect((await inDatabase(location)).pending).toBe(0);
  });

  it('changes the versions of what an upload touched at once, without waiting for its roll-up', async () => {
    // A version read that waited for the roll-up kept every reviewer's view waiting while 200
    // phones uploaded (bench/load.ts); the versions say what was acknowledged, the rows' read rolls up.
    const location = await freshLocation();
    const store = await openAt(location);
    const here = tileOfCell({ ...CELL_A, resolutionM: 1000 });
    const away = tileOfCell({ ...CELL_A, north: CELL_A.north + 200_000, resolutionM: 1000 });
    const version = await store.gridVersion();
    const [hereBefore, awayBefore] = await store.gridTileVersions([here, away]);
    const readings = someReadings(5).map((reading) => ({ ...reading, source: 'agent' as const }));
    await store.ingest(
      readings,
      readings.map(() => PLACED),
    );
    expect(await store.gridVersion()).not.toBe(version);
    const [hereAfter, awayAfter] = await store.gridTileVersions([here, away]);
    expect(hereAfter).not.toBe(hereBefore);
    expect(awayAfter).toBe(awayBefore);
    expect((await inDatabase(location)).pending).toBe(5);
    await expectGridOf(store, readings, placesOf(readings));
    expect((await inDatabase(location)).pending).toBe(0);
  });

  it('rolls up in the background once uploads are quiet, without a reader', async () => {
    const location = await freshLocation();
    const store = await openAt(location, { quietMs: 0 });
    const readings = someReadings(6);
    await store.ingest(
      readings,
      readings.map(() => PLACED),
    );
    await expect.poll(async () => (await inDatabase(location)).pending, { timeout: 10_000 }).toBe(0);
    expect((await inDatabase(location)).gridRows).toBeGreaterThan(0);
    await expectGridOf(store, readings, placesOf(readings));
  });

  it('keeps what a process acknowledged and never rolled up for the next one to roll up, once', async () => {
    const location = await freshLocation();
    const gone = await openAt(location);
    const readings = someReadings(9);
    await gone.ingest(
      readings,
      readings.map(() => PLACED),
    );
    // The process that acknowledged them stops answering before any roll-up: another opens the same data.
    const next = await openAt(location);
    await expectGridOf(next, readings, placesOf(readings));
    await gone.close();
    await expectGridOf(next, readings, placesOf(readings));
    await next.close();
    const reopened = await openAt(location);
    await expectGridOf(reopened, readings, placesOf(readings));
  });

  it('never marks a reading pending twice: an upload sent again, whole or changed, adds nothing', async () => {
    const location = await freshLocation();
    const store = await openAt(location);
    const readings = someReadings(8);
    const placements = readings.map(() => PLACED);
    await store.ingest(readings, placements);
    const again = await store.ingest([...readings, { ...readings[0]!, accuracyM: 99 }, readings[1]!], [...placements, PLACED, PLACED]);
    expect(again.accepted).toEqual([]);
    expect((await inDatabase(location)).pending).toBe(8);
    await expectGridOf(store, readings, placesOf(readings));
    await store.ingest(readings, placements);
    expect((await inDatabase(location)).pending).toBe(0);
    await expectGridOf(store, readings, placesOf(readings));
  });

  it('counts each reading once when placing again rebuilds cells while some of their readings are pending', async () => {
    const location = await freshLocation();
    const store = await openAt(location);
    const unplaced: ReadingPlacement = { accountId: 'a2', commune: null, departement: null, outsideCommunes: false };
    const rolled = someReadings(10);
    await store.ingest(
      rolled,
      rolled.map(() => unplaced),
    );
    await storedGrid(store, 1000);
    // In the same cells, still pending when their cells are rebuilt.
    const pending = someReadings(10, 3);
    await store.ingest(
      pending,
      pending.map(() => unplaced),
    );
    expect((await inDatabase(location)).pending).toBe(10);
    await store.placeAgain(0, (row) => ({ commune: '34261', departement: '34', placement: 'outline', outsideCommunes: row.outsideCommunes }));
    const all = [...rolled, ...pending];
    const places = placesOf(all, { ...unplaced, commune: '34261', departement: '34' });
    await expectGridOf(store, all, places);
    expect(await storedGrid(store, 200, ['34'], EVERY_MONTH)).toEqual(recomputed(all, places, 200, ['34']));
  });
});

/** What happens next: an upload, a read of the grid (through its version or its rows), or a turn of the event loop for the background. */
const arbStep = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('upload' as const), count: fc.integer({ min: 1, max: 12 }), resend: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('version' as const, 'tiles' as const, 'rows' as const, 'turn' as const) }) },
);

describe('any interleaving of uploads, reads and background roll-ups', () => {
  it('reads a grid equal to the one built from scratch from every reading acknowledged before the read', async () => {
    let seed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbStep, { minLength: 2, maxLength: 10 }),
        fc.constantFrom<GridRollUpOptions>(NO_BACKGROUND, { quietMs: 0 }, { quietMs: 0, eagerAt: 5 }, { quietMs: Infinity, eagerAt: 1 }),
        async (steps, options) => {
          const location = await freshLocation();
          const store = await openAt(location, options);
          const stored: Reading[] = [];
          const places = new Map<string, ReadingPlacement>();
          for (const step of steps) {
            if (step.kind === 'upload') {
              const fresh = someReadings(step.count, (seed += 17));
              const sent = step.resend && stored.length > 0 ? [...fresh, stored[0]!] : fresh;
              const placements = sent.map((_, i) => (i % 2 === 0 ? PLACED : { ...PLACED, accountId: null, departement: '30' }));
              await store.ingest(sent, placements);
              fresh.forEach((r, i) => places.set(r.id, placements[i]!));
              stored.push(...fresh);
            } else if (step.kind === 'version') {
              await store.gridVersion();
            } else if (step.kind === 'tiles') {
              await store.gridTileVersions([]);
            } else if (step.kind === 'rows') {
              expect(await storedGrid(store, 1000)).toEqual(recomputed(stored, places, 1000));
            } else {
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
          await expectGridOf(store, stored, places);
          expect(await storedGrid(store, 1000, ['30'])).toEqual(recomputed(stored, places, 1000, ['30']));
          expect((await inDatabase(location)).pending).toBe(0);
        },
      ),
      // Each run opens a store (a schema on PostgreSQL): fewer runs there.
      { numRuns: TEST_STORE_KIND === 'postgres' ? 10 : 25, seed: 26 },
    );
  }, 180_000);
});
