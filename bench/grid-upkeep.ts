import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Reading } from '../src/domain/reading.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { openPostgresStore } from '../src/server/storage/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { newTestLocation } from '../test/support/test-store.ts';
import { heraultBatches } from './herault-readings.ts';
import { heraultTracks } from './herault-tracks.ts';

/**
 * bench/ingest.ts's first part: `store.ingest` of the same batches into a fresh store with the
 * coverage grid kept up to date and into a fresh one without (`maintainGrid: false`), on each
 * store, and the ratio of their rates (issue 19's target: ≥ 0.5×).
 */

type Batch = { readings: Reading[]; places: ReadingPlacement[] };
type Kind = 'sqlite' | 'postgres';

const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const postgresUrl = process.env.COUVERTURE_BENCH_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;

let files = 0;

/** A fresh, empty store of `kind` and how to remove it. */
async function freshStore(kind: Kind, dir: string, maintainGrid: boolean): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = openSqliteStore(join(dir, `grid-upkeep-${++files}.sqlite`), { maintainGrid });
    return { store, dispose: () => store.close() };
  }
  process.env.COUVERTURE_TEST_POSTGRES_URL = postgresUrl;
  const { location, drop } = await newTestLocation(dir, 'postgres');
  if (location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
  const store = await openPostgresStore(location.url, { maintainGrid });
  return {
    store,
    async dispose() {
      await store.close();
      await drop();
    },
  };
}

/**
 * Seconds to ingest every batch into two fresh stores, one without the grid and one with it,
 * batch by batch in lockstep (which goes first alternating): on a shared machine whose load
 * swings by the second, both paths then meet the same load.
 */
async function ingestSeconds(kind: Kind, dir: string, batches: readonly Batch[]): Promise<{ without: number; withGrid: number }> {
  const plain = await freshStore(kind, dir, false);
  const gridded = await freshStore(kind, dir, true);
  const spent = { without: 0, withGrid: 0 };
  const timed = async (store: Store, { readings, places }: Batch) => {
    const start = performance.now();
    const result = await store.ingest(readings, places);
    if (result.accepted.length !== readings.length) throw new Error(`${kind}: a batch was not fully accepted`);
    return (performance.now() - start) / 1000;
  };
  try {
    for (const [i, batch] of batches.entries()) {
      if (i % 2 === 0) {
        spent.without += await timed(plain.store, batch);
        spent.withGrid += await timed(gridded.store, batch);
      } else {
        spent.withGrid += await timed(gridded.store, batch);
        spent.without += await timed(plain.store, batch);
      }
    }
    return spent;
  } finally {
    await plain.dispose();
    await gridded.dispose();
  }
}

/**
 * The batches with ids as the phones make them, random version 4 UUIDs (crypto.randomUUID),
 * drawn from a seed so that every store gets the same: the generators number theirs in order,
 * which would make the readings' unique id index an append, cheaper than in production.
 */
function withRandomIds(batches: Batch[]): Batch[] {
  const next = seededRandom(19);
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(next() * 16).toString(16)).join('');
  return batches.map(({ readings, places }) => ({
    readings: readings.map((reading) => ({ ...reading, id: `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}` })),
    places,
  }));
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function printGridUpkeep(count: number, batchSize: number, dir: string): Promise<void> {
  const kinds: Kind[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  const workloads = [
    { name: 'spread over the Hérault', batches: withRandomIds([...heraultBatches(count, batchSize, 7)]) },
    { name: 'phones driving (a track per batch)', batches: withRandomIds([...heraultTracks(count, batchSize, 7)]) },
  ];
  console.log(
    `\nGrid upkeep: store.ingest of ${count.toLocaleString('en-US')} readings in batches of ${batchSize}, with the grid kept up to date vs without (maintainGrid: false),`,
  );
  console.log(
    `random v4 ids, batch by batch in lockstep, median of ${ROUNDS} rounds, fresh stores each round; load average ${loadavg()[0]!.toFixed(2)} at the start`,
  );
  if (!postgresUrl) console.log('(PostgreSQL not measured: set COUVERTURE_BENCH_POSTGRES_URL or COUVERTURE_TEST_POSTGRES_URL)');
  console.log(`\n${'store'.padEnd(12)}${'workload'.padEnd(38)}${'without grid'.padStart(14)}${'with grid'.padStart(14)}${'with / without'.padStart(16)}`);
  for (const kind of kinds) {
    // Warm-up, not measured: statements prepared, the JIT done with both paths.
    await ingestSeconds(kind, dir, workloads[0]!.batches.slice(0, 4));
    for (const { name, batches } of workloads) {
      const without: number[] = [];
      const withGrid: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const spent = await ingestSeconds(kind, dir, batches);
        without.push(spent.without);
        withGrid.push(spent.withGrid);
      }
      const rate = (seconds: number) => `${Math.round(count / seconds).toLocaleString('en-US')}/s`;
      console.log(
        `${kind.padEnd(12)}${name.padEnd(38)}${rate(median(without)).padStart(14)}${rate(median(withGrid)).padStart(14)}${`${(median(without) / median(withGrid)).toFixed(2)}×`.padStart(16)}`,
      );
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
}
