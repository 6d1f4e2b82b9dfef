import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Reading } from '../src/domain/reading.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { openPostgresStore } from '../src/server/storage/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { newTestLocation, withClient } from '../test/support/test-store.ts';
import { heraultBatches } from './herault-readings.ts';
import { heraultTracks } from './herault-tracks.ts';

/**
 * bench/ingest.ts's first part: `store.ingest` of the same batches into a fresh store with the
 * coverage grid kept up to date and into a fresh one without (`maintainGrid: false`), on each
 * store, and the ratio of their rates (issue 19's target: ≥ 0.5×). Beside the wall clock, the
 * CPU each path took (this process's, plus on PostgreSQL its server processes' from /proc),
 * whose ratio swings far less than the wall clock's when other work shares the machine.
 *
 * The grid is rolled up after the ingest's transaction (src/server/storage/grid-roll-up.ts):
 * the with-grid path is timed as every batch's ingest PLUS its roll-ups, done in the timed span
 * where the server's background would do them (as soon as {@link EAGER_AT} readings are
 * pending) and a final one for the rest. Beside it, the worst case: a roll-up after every
 * batch, as if a reviewer read the grid after every upload. The three stores take each batch
 * in turn. A roll-up is asked the way a reader asks it, through a read of grid rows ({@link rollUp}:
 * a version read does not wait for one).
 */

type Batch = { readings: Reading[]; places: ReadingPlacement[] };

/** A read of grid rows over no cell: it rolls up what is pending first, and reads nothing. */
const rollUp = (store: Store) => store.gridReports({ resolutionM: 10_000, north: [0, -1], east: [0, -1], scope: { kind: 'all' } }).then(() => undefined);
/** What the server's background roll-up waits for under a steady flow of uploads (grid-roll-up.ts's default `eagerAt`). */
const EAGER_AT = 10_000;
/** The bench rolls up itself, inside its timed spans. */
const NO_BACKGROUND = { quietMs: Infinity, eagerAt: Infinity };
type Kind = 'sqlite' | 'postgres';

const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const postgresUrl = process.env.COUVERTURE_BENCH_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;

let files = 0;

/** A fresh, empty store of `kind`, how to read the CPU its server processes used (0 for SQLite), and how to remove it. */
async function freshStore(kind: Kind, dir: string, maintainGrid: boolean): Promise<{ store: Store; serverCpuMs(): Promise<number>; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = openSqliteStore(join(dir, `grid-upkeep-${++files}.sqlite`), { maintainGrid, gridRollUp: NO_BACKGROUND });
    return { store, serverCpuMs: async () => 0, dispose: () => store.close() };
  }
  process.env.COUVERTURE_TEST_POSTGRES_URL = postgresUrl;
  const { location, drop } = await newTestLocation(dir, 'postgres');
  if (location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
  // Named, so that its server processes can be found (pg_stat_activity) and their CPU read.
  const name = `bench-grid-upkeep-${process.pid}-${++files}`;
  const url = new URL(location.url);
  url.searchParams.set('application_name', name);
  const store = await openPostgresStore(url.toString(), { maintainGrid, gridRollUp: NO_BACKGROUND });
  const backends = new Map<number, number>();
  return {
    store,
    async serverCpuMs() {
      const { rows } = await withClient(postgresUrl!, (client) =>
        client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [name]),
      );
      for (const { pid } of rows) backends.set(pid, Math.max(backends.get(pid) ?? 0, processCpuMs(pid)));
      return [...backends.values()].reduce((sum, ms) => sum + ms, 0);
    },
    async dispose() {
      await store.close();
      await drop();
    },
  };
}

/** User and system CPU a process of this machine has used so far (/proc/<pid>/stat), in ms; 0 once gone. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
/** USER_HZ, 100 on Linux whatever the kernel's own tick. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Time a path took: wall clock, and CPU (this process's, plus its database server's). */
type Spent = { seconds: number; cpuMs: number };

type Path = 'without' | 'withGrid' | 'everyBatch';
const PATHS: readonly Path[] = ['without', 'withGrid', 'everyBatch'];

/**
 * Time to ingest every batch into three fresh stores: one without the grid, one with it rolled
 * up as the server's background would, one rolled up after every batch; batch by batch in
 * lockstep (which goes first turning): on a shared machine whose load swings by the second,
 * the paths then meet the same load.
 */
async function ingestSpent(kind: Kind, dir: string, batches: readonly Batch[]): Promise<Record<Path, Spent>> {
  const stores = { without: await freshStore(kind, dir, false), withGrid: await freshStore(kind, dir, true), everyBatch: await freshStore(kind, dir, true) };
  const spent = Object.fromEntries(PATHS.map((path) => [path, { seconds: 0, cpuMs: 0 }])) as Record<Path, Spent>;
  let pending = 0;
  const timed = async (path: Path, work: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await work();
    spent[path].seconds += (performance.now() - start) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    spent[path].cpuMs += (user + system) / 1000;
  };
  const ingest = async (path: Path, { readings, places }: Batch) => {
    const store = stores[path].store;
    const result = await store.ingest(readings, places);
    if (result.accepted.length !== readings.length) throw new Error(`${kind}: a batch was not fully accepted`);
    if (path === 'everyBatch') await rollUp(store);
    if (path === 'withGrid' && (pending += readings.length) >= EAGER_AT) {
      await rollUp(store);
      pending = 0;
    }
  };
  try {
    const serverBefore = Object.fromEntries(await Promise.all(PATHS.map(async (path) => [path, await stores[path].serverCpuMs()]))) as Record<Path, number>;
    for (const [i, batch] of batches.entries()) {
      for (let k = 0; k < PATHS.length; k += 1) {
        const path = PATHS[(i + k) % PATHS.length]!;
        await timed(path, () => ingest(path, batch));
      }
    }
    // What is left for the background once the uploads stop: part of the with-grid path's cost.
    await timed('withGrid', () => rollUp(stores.withGrid.store));
    for (const path of PATHS) spent[path].cpuMs += (await stores[path].serverCpuMs()) - serverBefore[path];
    return spent;
  } finally {
    for (const path of PATHS) await stores[path].dispose();
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
  console.log(
    `\n${'store'.padEnd(12)}${'workload'.padEnd(38)}${'without grid'.padStart(14)}${'with grid'.padStart(14)}${'with / without'.padStart(16)}${'CPU without'.padStart(14)}${'CPU with'.padStart(12)}${'CPU ratio'.padStart(12)}${'every batch'.padStart(14)}${'its CPU'.padStart(12)}`,
  );
  console.log(
    `(with grid: every batch's ingest plus a roll-up at each ${EAGER_AT.toLocaleString('en-US')} readings pending and the last one; every batch: a roll-up after each batch, as if the grid were read after every upload)`,
  );
  for (const kind of kinds) {
    // Warm-up, not measured: statements prepared, the JIT done with both paths.
    await ingestSpent(kind, dir, workloads[0]!.batches.slice(0, 4));
    for (const { name, batches } of workloads) {
      const without: Spent[] = [];
      const withGrid: Spent[] = [];
      const everyBatch: Spent[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const spent = await ingestSpent(kind, dir, batches);
        without.push(spent.without);
        withGrid.push(spent.withGrid);
        everyBatch.push(spent.everyBatch);
      }
      const seconds = (spent: Spent[]) => median(spent.map((s) => s.seconds));
      const cpuMs = (spent: Spent[]) => median(spent.map((s) => s.cpuMs));
      const rate = (s: number) => `${Math.round(count / s).toLocaleString('en-US')}/s`;
      const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
      console.log(
        `${kind.padEnd(12)}${name.padEnd(38)}${rate(seconds(without)).padStart(14)}${rate(seconds(withGrid)).padStart(14)}${`${(seconds(without) / seconds(withGrid)).toFixed(2)}×`.padStart(16)}` +
          `${ms(cpuMs(without)).padStart(14)}${ms(cpuMs(withGrid)).padStart(12)}${`${(cpuMs(without) / cpuMs(withGrid)).toFixed(2)}×`.padStart(12)}` +
          `${`${(seconds(without) / seconds(everyBatch)).toFixed(2)}×`.padStart(14)}${`${(cpuMs(without) / cpuMs(everyBatch)).toFixed(2)}×`.padStart(12)}`,
      );
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
}
