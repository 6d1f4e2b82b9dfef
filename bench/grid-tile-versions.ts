/**
 * `npx tsx bench/grid-tile-versions.ts FILE.sqlite`: how long `store.gridTileVersions` takes
 * (storage/grid-unit-versions.ts), for the warmer's call (BENCH_TILES, default 1,000 tiles of
 * 1 km, 50 km each, around the Hérault) and a request's (one tile), on the SQLite file given
 * and, when COUVERTURE_BENCH_POSTGRES_URL or COUVERTURE_TEST_POSTGRES_URL is set, on a fresh
 * PostgreSQL schema holding the same counters.
 *
 * FILE is opened as the server would, so it is MIGRATED: pass a copy. Every 10 km cell that has
 * grid rows gets a counter (a few hundred changes each), as a database after months of uploads;
 * then every 10 km cell of the tiles does (a country covered: the worst case), and it is timed again.
 */
import { loadavg } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tileOfCell, tileUnits, type CellTile } from '../src/domain/grid/cell-tiles.ts';
import { openPostgresStore } from '../src/server/storage/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { newTestLocation, withClient } from '../test/support/test-store.ts';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npx tsx bench/grid-tile-versions.ts COPY-OF-A-DATABASE.sqlite');
  process.exit(1);
}
const TILE_COUNT = Number(process.env.BENCH_TILES ?? 1000);
const WARMER_RUNS = 30;
const REQUEST_RUNS = 2000;
const postgresUrl = process.env.COUVERTURE_BENCH_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;

/** TILE_COUNT tiles of 1 km in a square around the Hérault's (3,750 km E, 2,300 km N). */
function warmerTiles(): CellTile[] {
  const side = Math.ceil(Math.sqrt(TILE_COUNT));
  const corner = tileOfCell({ resolutionM: 1000, east: 3_750_000 - (side / 2) * 50_000, north: 2_300_000 - (side / 2) * 50_000 });
  return Array.from({ length: TILE_COUNT }, (_, index) => ({
    resolutionM: 1000,
    east: corner.east + (index % side) * 50_000,
    north: corner.north + Math.floor(index / side) * 50_000,
  }));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function time(store: Store, tiles: CellTile[], runs: number): Promise<string> {
  await store.gridTileVersions(tiles);
  const took: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    await store.gridTileVersions(tiles);
    took.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  took.sort((a, b) => a - b);
  return `median ${quantile(took, 0.5).toFixed(2)} ms, p95 ${quantile(took, 0.95).toFixed(2)} ms (${runs} runs)`;
}

async function measure(name: string, store: Store, units: number): Promise<void> {
  const tiles = warmerTiles();
  const hit = tiles.find((_, index) => index === Math.floor(tiles.length / 2) + Math.floor(Math.sqrt(tiles.length) / 2))!;
  console.log(
    `${name}: ${units} counters; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  ${tiles.length} tiles of 1 km: ${await time(store, tiles, WARMER_RUNS)}`);
  console.log(`  1 tile of 1 km:     ${await time(store, [hit], REQUEST_RUNS)}`);
  console.log(`  1 tile of 200 m:    ${await time(store, [tileOfCell({ ...hit, resolutionM: 200 })], REQUEST_RUNS)}`);
}

/** Every 10 km cell of the tiles, with a few hundred changes. */
function everyUnit(tiles: CellTile[]): [number, number, number][] {
  return tiles.flatMap((tile) => tileUnits(tile).map((unit): [number, number, number] => [unit.north, unit.east, 100 + Math.floor(Math.random() * 900)]));
}

const sqlite = openSqliteStore(file);
const db = new Database(file);
db.exec(`INSERT OR IGNORE INTO grid_unit_changes (north, east, changes)
  SELECT DISTINCT north, east, 100 + abs(random() % 900) FROM grid_totals WHERE resolution_m = 10000`);
const stored = db.prepare<[], [number, number, number]>('SELECT north, east, changes FROM grid_unit_changes').raw().all();
await measure('SQLite, the 10 km cells with data', sqlite, stored.length);
const all = everyUnit(warmerTiles());
const add = db.prepare<[number, number, number]>('INSERT OR IGNORE INTO grid_unit_changes (north, east, changes) VALUES (?, ?, ?)');
db.transaction(() => {
  for (const unit of all) add.run(...unit);
})();
db.close();
await measure('SQLite, every 10 km cell of the tiles', sqlite, all.length);
await sqlite.close();

if (postgresUrl) {
  process.env.COUVERTURE_TEST_POSTGRES_URL = postgresUrl;
  const dir = await mkdtemp(join(tmpdir(), 'tile-versions-'));
  const { location, drop } = await newTestLocation(dir, 'postgres');
  if (location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
  const postgres = await openPostgresStore(location.url);
  const fill = (units: [number, number, number][]) =>
    withClient(location.url, (client) =>
      client.query(
        `INSERT INTO grid_unit_changes (north, east, changes) SELECT * FROM unnest($1::int[], $2::int[], $3::bigint[])
         ON CONFLICT (north, east) DO NOTHING`,
        [units.map((unit) => unit[0]), units.map((unit) => unit[1]), units.map((unit) => unit[2])],
      ),
    );
  try {
    await fill(stored);
    await measure('PostgreSQL, the 10 km cells with data', postgres, stored.length);
    await fill(all);
    await measure('PostgreSQL, every 10 km cell of the tiles', postgres, all.length);
  } finally {
    await postgres.close();
    await drop();
    await rm(dir, { recursive: true });
  }
}
