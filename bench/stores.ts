/**
 * `npx tsx bench/stores.ts [N]` (default 50,000; part of `npm run bench`): SQLite and
 * PostgreSQL side by side, on the same generated readings. For each store: ingest through
 * `store.ingest` in batches of 500 with the coverage grid maintained, by one writer, then by
 * four writers at once (four stores on one database, as four app processes would be; SQLite
 * lets one write at a time), the same batches resent (all duplicates), then the reviewers'
 * queries: GET /api/v1/cells over the département at 1 km and a commune at 200 m, and the
 * map's clusters at zoom 9, median of several runs.
 *
 * PostgreSQL: the database at COUVERTURE_BENCH_POSTGRES_URL, else COUVERTURE_TEST_POSTGRES_URL
 * (a fresh schema, dropped at the end); neither set, SQLite alone is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/server/storage/open-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { newTestLocation } from '../test/support/test-store.ts';
import { COMMUNE, HERAULT, heraultBatches } from './herault-readings.ts';
import { benchApp, signedInCookie } from './review-app.ts';

const BATCH = 500;
const WRITERS = 4;
/** Batches sent again, all duplicates by then (fewer when N is small). */
const RESENT_BATCHES = 20;
const count = Number(process.argv[2] ?? 50_000);
if (!Number.isInteger(count) || count < BATCH * WRITERS) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH * WRITERS}, got ${process.argv[2]}`);
  process.exit(1);
}
const postgresUrl = process.env.COUVERTURE_BENCH_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;

type Kind = 'sqlite' | 'postgres';
interface Figures {
  oneWriter: number;
  fourWriters: number;
  resent: number;
  departementMs: number;
  communeMs: number;
  clustersMs: number;
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

async function medianMs(runs: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await seconds(run)) * 1000);
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function measure(kind: Kind, dir: string): Promise<Figures> {
  if (kind === 'postgres') process.env.COUVERTURE_TEST_POSTGRES_URL = postgresUrl;
  const { location, drop } = await newTestLocation(dir, kind);
  const stores: Store[] = [];
  try {
    for (let i = 0; i < WRITERS; i += 1) stores.push(await openStore(location));
    const store = stores[0]!;
    const first = [...heraultBatches(count / 2, BATCH, 7)];
    const second = [...heraultBatches(count, BATCH, 7)].slice(first.length);
    const ingest = async (writer: Store, batches: typeof first) => {
      for (const { readings, places } of batches) {
        const result = await writer.ingest(readings, places);
        if (result.accepted.length + result.duplicates.length !== readings.length) throw new Error(`${kind}: batch not stored`);
      }
    };
    const oneWriter = await seconds(() => ingest(store, first));
    const fourWriters = await seconds(() =>
      Promise.all(
        stores.map((writer, w) =>
          ingest(
            writer,
            second.filter((_, i) => i % WRITERS === w),
          ),
        ),
      ),
    );
    const resent = await seconds(() => ingest(store, first.slice(0, RESENT_BATCHES)));

    const app = benchApp(store);
    const headers = await signedInCookie(app, { email: 'bench@example.fr', role: 'reviewer' });
    const box = (b: typeof HERAULT) => `${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;
    const get = (url: string) => async () => {
      const response = await app.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    };
    const departementMs = await medianMs(9, get(`/api/v1/cells?bbox=${box(HERAULT)}&resolution=1000`));
    const communeMs = await medianMs(15, get(`/api/v1/cells?bbox=${box(COMMUNE)}`));
    const clustersMs = await medianMs(9, () => store.clusters({ zoom: 9, bbox: HERAULT, scope: { kind: 'departement', departement: '34' } }));
    await app.close();
    return { oneWriter, fourWriters, resent, departementMs, communeMs, clustersMs };
  } finally {
    for (const store of stores) await store.close();
    await drop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'couverture-bench-stores-'));
try {
  const kinds: Kind[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  const figures = new Map<Kind, Figures>();
  for (const kind of kinds) figures.set(kind, await measure(kind, dir));

  const half = count / 2;
  const resentCount = Math.min(RESENT_BATCHES * BATCH, half);
  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;
  const rows: [string, (f: Figures) => string, (f: Figures) => number][] = [
    [`ingest ${half.toLocaleString('en-US')}, one writer`, (f) => rate(half, f.oneWriter), (f) => f.oneWriter],
    [`ingest ${half.toLocaleString('en-US')}, ${WRITERS} writers at once`, (f) => rate(half, f.fourWriters), (f) => f.fourWriters],
    [`resend ${resentCount.toLocaleString('en-US')} (all duplicates)`, (f) => rate(resentCount, f.resent), (f) => f.resent],
    ['GET /api/v1/cells, Hérault at 1 km', (f) => `${f.departementMs.toFixed(0)} ms`, (f) => f.departementMs],
    ['GET /api/v1/cells, Montpellier at 200 m', (f) => `${f.communeMs.toFixed(0)} ms`, (f) => f.communeMs],
    ['clusters, Hérault at zoom 9', (f) => `${f.clustersMs.toFixed(0)} ms`, (f) => f.clustersMs],
  ];
  console.log(`\nStores side by side: ${count.toLocaleString('en-US')} readings over the Hérault, batches of ${BATCH}, grid maintained\n`);
  console.log(
    `${'measure'.padEnd(42)}${'SQLite'.padStart(12)}${kinds.includes('postgres') ? `${'PostgreSQL'.padStart(14)}${'time PG/SQLite'.padStart(16)}` : ''}`,
  );
  const sqlite = figures.get('sqlite')!;
  const postgres = figures.get('postgres');
  for (const [label, shown, time] of rows) {
    let line = `${label.padEnd(42)}${shown(sqlite).padStart(12)}`;
    if (postgres) line += `${shown(postgres).padStart(14)}${(time(postgres) / time(sqlite)).toFixed(2).padStart(16)}`;
    console.log(line);
  }
  if (!postgres) console.log('\n(PostgreSQL not measured: set COUVERTURE_BENCH_POSTGRES_URL or COUVERTURE_TEST_POSTGRES_URL.)');
  console.log();
} finally {
  await rm(dir, { recursive: true, force: true });
}
