import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellAt, coarserCell } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, tileSideM, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import { GRID_CHANGING_METHODS, withGridVersion, type GridChange, type StoreWithoutVersions } from '../../src/server/storage/grid-version.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { newTestLocation, openTestStore, withClient } from '../support/test-store.ts';
import { makeReading, makeReport, MONTPELLIER, NIMES, SAINT_GUILHEM, useTempDir } from './fixtures.ts';
import { pointIn } from './grid-helpers.ts';

/**
 * GridVersionStore.gridTileVersions (grid-unit-versions.ts): a tile's version changes after a
 * write in one of its 10 km cells, or after one that changes every tile, and after nothing else.
 */

const tempDir = useTempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshStore(): Promise<Store> {
  const test = await openTestStore(tempDir());
  cleanups.push(() => test.dispose());
  return test.store;
}

/** The 10 km cell holding Saint-Guilhem-le-Désert, and a point in it. */
const UNIT = coarserCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!, 10_000);
const IN_UNIT = pointIn(UNIT, 0.5, 0.5);

/** The tiles holding UNIT at 200 m, 1 km and 10 km, then tiles beside each (east of it, not holding it). */
function tilesAround(): { holding: CellTile[]; beside: CellTile[] } {
  const holding = [200, 1000, 10_000].map((resolutionM) => tileOfCell({ ...UNIT, resolutionM }));
  const beside = holding.flatMap((tile) => [
    { ...tile, east: tile.east + tileSideM(tile.resolutionM) },
    { ...tile, north: tile.north - tileSideM(tile.resolutionM) },
  ]);
  return { holding, beside };
}

/** Which of `tiles` have another version after `write` than before it. */
async function changedBy(store: Store, tiles: CellTile[], write: () => Promise<unknown>): Promise<boolean[]> {
  const before = await store.gridTileVersions(tiles);
  await write();
  const after = await store.gridTileVersions(tiles);
  expect(after).toHaveLength(tiles.length);
  return after.map((version, index) => version !== before[index]);
}

describe('per-tile grid versions', () => {
  it('change for the tiles holding an upload’s 10 km cell, at every resolution, and for no other tile', async () => {
    const store = await freshStore();
    const { holding, beside } = tilesAround();
    const tiles = [...holding, ...beside];
    const expected = [...holding.map(() => true), ...beside.map(() => false)];
    expect(await changedBy(store, tiles, () => store.ingest([makeReading(IN_UNIT), makeReading(pointIn(UNIT, 0.1, 0.9))]))).toEqual(expected);
    // Again: counters grow, versions never come back.
    const seen = new Set((await store.gridTileVersions(holding)).map((version, index) => `${index}:${version}`));
    expect(await changedBy(store, tiles, () => store.ingest([makeReading(IN_UNIT)]))).toEqual(expected);
    for (const [index, version] of (await store.gridTileVersions(holding)).entries()) expect(seen.has(`${index}:${version}`)).toBe(false);
    // A resident's reading counts in the grid too.
    expect(await changedBy(store, tiles, () => store.ingest([makeReading({ ...IN_UNIT, source: 'resident' })]))).toEqual(expected);
  });

  it('change for a resident report’s tiles when it is stored, hidden and shown again, and for no other tile', async () => {
    const store = await freshStore();
    const { holding, beside } = tilesAround();
    const tiles = [...holding, ...beside];
    const expected = [...holding.map(() => true), ...beside.map(() => false)];
    const report = makeReport(IN_UNIT);
    const item = { report, commune: '34261', departement: '34' };
    expect(await changedBy(store, tiles, () => store.ingestReports([item], { receivedAt: new Date().toISOString() }))).toEqual(expected);
    expect(await changedBy(store, tiles, () => store.setReportHidden(report.id, true, 'test'))).toEqual(expected);
    expect(await changedBy(store, tiles, () => store.setReportHidden(report.id, false, null))).toEqual(expected);
  });

  it('leave every tile alone for a write elsewhere, and change every tile for a change everywhere', async () => {
    const store = await freshStore();
    const { holding, beside } = tilesAround();
    const tiles = [...holding, ...beside];
    // Montpellier is ~30 km east of Saint-Guilhem: in another 200 m tile, maybe in the same 1 km or 10 km one.
    const montpellier = coarserCell(cellAt(MONTPELLIER.lon, MONTPELLIER.lat, 200)!, 10_000);
    const holdsMontpellier = (tile: CellTile) => {
      const side = tileSideM(tile.resolutionM);
      return montpellier.east >= tile.east && montpellier.east < tile.east + side && montpellier.north >= tile.north && montpellier.north < tile.north + side;
    };
    expect(holdsMontpellier(holding[0]!)).toBe(false);
    expect(await changedBy(store, tiles, () => store.ingest([makeReading(MONTPELLIER)]))).toEqual(tiles.map(holdsMontpellier));
    const storeWide = await store.gridVersion();
    expect(
      await changedBy(store, tiles, () =>
        store.importPopulation([{ north: UNIT.north + 200_000, east: UNIT.east, inhabitants: 3, households: 1, dwellings: null, edition: '2021' }]),
      ),
    ).toEqual(tiles.map(() => true));
    expect(await store.gridVersion()).not.toBe(storeWide);
  });

  it('keep the store-wide version changing after every kind of write', async () => {
    const store = await freshStore();
    const first = await store.gridVersion();
    await store.ingest([makeReading(IN_UNIT)]);
    const second = await store.gridVersion();
    expect(second).not.toBe(first);
    await store.importPopulation([{ north: UNIT.north, east: UNIT.east, inhabitants: 3, households: 1, dwellings: null, edition: '2021' }]);
    expect(await store.gridVersion()).not.toBe(second);
  });

  it('answer every tile asked, in order, none for none, and tiles far apart in one call', async () => {
    const store = await freshStore();
    await store.ingest([makeReading(IN_UNIT)]);
    expect(await store.gridTileVersions([])).toEqual([]);
    const here = tileOfCell({ ...UNIT, resolutionM: 1000 });
    const far = { ...here, north: here.north + 1_000_000 };
    const [hereVersion, farVersion, hereAgain] = await store.gridTileVersions([here, far, here]);
    expect(hereVersion).toBe(hereAgain);
    expect(farVersion).not.toBe(hereVersion);
    expect(await store.gridTileVersions([far])).toEqual([farVersion]);
    expect(hereVersion).toMatch(/^[A-Za-z0-9.-]+$/);
    // Asked together at every resolution (read by blocks of the sides' common divisor) or one by one: the same.
    await store.ingest([makeReading(pointIn(UNIT, 0.2, 0.2)), makeReading(MONTPELLIER), makeReading(NIMES)]);
    const everyResolution = [200, 1000, 2000, 5000, 10_000].flatMap((resolutionM) =>
      [SAINT_GUILHEM, MONTPELLIER, NIMES].map(({ lon, lat }) => tileOfCell(cellAt(lon, lat, resolutionM)!)),
    );
    const oneByOne = await Promise.all(everyResolution.map(async (tile) => (await store.gridTileVersions([tile]))[0]));
    expect(await store.gridTileVersions(everyResolution)).toEqual(oneByOne);
    expect(new Set(oneByOne.map((version) => version!.split('.').at(-1))).size).toBeGreaterThan(1);
  });

  it('leave versions of a batch of duplicates alone or change them, but change them for any new reading in it', async () => {
    const store = await freshStore();
    const { holding } = tilesAround();
    const reading = makeReading(IN_UNIT);
    await store.ingest([reading]);
    const before = await store.gridTileVersions(holding);
    await store.ingest([reading]);
    const afterDuplicates = await store.gridTileVersions(holding);
    // Either is right; this store leaves them alone (nothing in the grid changed).
    expect(afterDuplicates).toEqual(before);
    expect(await changedBy(store, holding, () => store.ingest([reading, makeReading(IN_UNIT)]))).toEqual(holding.map(() => true));
  });
});

/** The migrations adding the counters (sqlite-migrations.ts 16., postgres-migrations.ts 12.); later ones run again (IF NOT EXISTS). */
const SQLITE_COUNTERS_MIGRATION = 16;
const POSTGRES_COUNTERS_MIGRATION = 12;

describe('a bump that fails after its write committed', () => {
  it('is owed, and settled before any tile version is read (the read fails as busy until then)', async () => {
    // The background retry waits: only the reads settle the bump here.
    vi.useFakeTimers();
    cleanups.push(async () => vi.useRealTimers());
    let everywhere = 0;
    let busy = true;
    const bump = vi.fn(async (change: GridChange) => {
      if (busy) throw new Error('base occupée');
      if (change === 'changes-grid-everywhere') everywhere += 1;
    });
    const fake = { ...Object.fromEntries(GRID_CHANGING_METHODS.map((name) => [name, async () => []])), forgetKeptAnswers: async () => undefined };
    const store = withGridVersion(fake as unknown as StoreWithoutVersions, {
      read: async () => 'v',
      bump,
      readTiles: async (tiles) => tiles.map(() => `${everywhere}.0`),
    });
    const tile = tileOfCell({ ...UNIT, resolutionM: 1000 });
    await store.importPopulation([]);
    // A local write's failed bump afterwards does not stand for the change everywhere still owed.
    await store.ingest([]);
    await expect(store.gridTileVersions([tile])).rejects.toThrow('base occupée');
    busy = false;
    await expect(store.gridTileVersions([tile])).resolves.toEqual(['1.0']);
    await expect(store.gridTileVersions([tile])).resolves.toEqual(['1.0']);
    expect(bump.mock.calls.map(([change]) => change)).toEqual([
      'changes-grid-everywhere',
      'changes-grid-locally',
      'changes-grid-everywhere',
      'changes-grid-everywhere',
    ]);
  });
});

describe('an old database migrated', () => {
  it('gets the counters and answers tile versions that change with its writes', async () => {
    const { location, drop } = await newTestLocation(tempDir());
    cleanups.push(drop);
    // The database as the version before per-tile versions left it: data, no counters.
    const before = await openStore(location);
    await before.ingest([makeReading(IN_UNIT)]);
    await before.close();
    if (location.kind === 'sqlite') {
      const db = new Database(location.file);
      db.exec('DROP TABLE grid_unit_changes');
      db.pragma(`user_version = ${SQLITE_COUNTERS_MIGRATION - 1}`);
      db.close();
    } else {
      await withClient(location.url, async (client) => {
        await client.query('DROP TABLE grid_unit_changes; DROP SEQUENCE grid_everywhere_version');
        await client.query('DELETE FROM schema_migrations WHERE version >= $1', [POSTGRES_COUNTERS_MIGRATION]);
      });
    }
    const store = await openStore(location);
    cleanups.push(() => store.close());
    const { holding, beside } = tilesAround();
    const tiles = [...holding, ...beside];
    expect(await store.gridTileVersions(tiles)).toHaveLength(tiles.length);
    expect(await changedBy(store, tiles, () => store.ingest([makeReading(IN_UNIT)]))).toEqual([...holding.map(() => true), ...beside.map(() => false)]);
  });
});
