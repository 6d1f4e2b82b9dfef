/**
 * `npx tsx bench/cells.ts [N]` (default 1,000,000): stores N generated readings over the Hérault
 * through the store's `ingest` in batches of 500 with the coverage grid maintained, then times
 * GET /api/v1/cells (inject()) over the whole département at 1 km and over a commune-size box
 * at 200 m: median and p95. Also stores the same readings in a second database without grid
 * maintenance, to give the grid's cost as a ratio of ingest rates. Temporary files, removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { COMMUNE, CONTRIBUTORS, HERAULT, heraultBatches } from './herault-readings.ts';
import { benchApp, signedInCookie } from './review-app.ts';

const BATCH = 500;
const QUERY_RUNS = { departement: 15, commune: 40 };

const count = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(count) || count < BATCH) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH}, got ${process.argv[2]}`);
  process.exit(1);
}

async function ingestAll(store: Store, label: string): Promise<number> {
  const start = performance.now();
  let done = 0;
  let lastReport = start;
  for (const { readings, places } of heraultBatches(count, BATCH, 7)) {
    const result = await store.ingest(readings, places);
    if (result.accepted.length !== readings.length) throw new Error(`${label}: batch not fully accepted`);
    done += readings.length;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      console.log(`  ${label}: ${done.toLocaleString('en')} readings, ${Math.round(done / ((lastReport - start) / 1000)).toLocaleString('en')}/s`);
    }
  }
  return (performance.now() - start) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeQueries(store: Store): Promise<void> {
  const app = benchApp(store);
  const headers = await signedInCookie(app, { email: 'bench@example.fr', role: 'reviewer' });
  const box = (b: typeof HERAULT) => `${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;
  const cases = [
    { name: 'département (Hérault) at 1 km', url: `/api/v1/cells?bbox=${box(HERAULT)}&resolution=1000`, runs: QUERY_RUNS.departement },
    { name: 'commune-size box (Montpellier) at 200 m', url: `/api/v1/cells?bbox=${box(COMMUNE)}`, runs: QUERY_RUNS.commune },
  ];
  for (const { name, url, runs } of cases) {
    const times: number[] = [];
    let features = 0;
    let bytes = 0;
    for (let i = 0; i < runs + 2; i += 1) {
      const start = performance.now();
      const response = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - start;
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (i >= 2) times.push(ms); // two warm-up runs
      features = response.json().features.length;
      bytes = response.body.length;
    }
    times.sort((a, b) => a - b);
    console.log(
      `GET /api/v1/cells, ${name}: median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms ` +
        `(${runs} runs, ${features.toLocaleString('en')} cells, ${(bytes / 1e6).toFixed(1)} MB)`,
    );
  }
  await app.close();
}

const dir = await mkdtemp(join(tmpdir(), 'couverture-bench-cells-'));
try {
  console.log(`${count.toLocaleString('en')} readings over the Hérault, batches of ${BATCH}, ${CONTRIBUTORS} contributors, 6 months`);
  const plain = openSqliteStore(join(dir, 'without-grid.sqlite'), { maintainGrid: false });
  const withoutGrid = await ingestAll(plain, 'without grid');
  await plain.close();
  await rm(join(dir, 'without-grid.sqlite'), { force: true });
  console.log(`ingest without the grid: ${withoutGrid.toFixed(1)} s, ${Math.round(count / withoutGrid).toLocaleString('en')} readings/s`);

  const store = openSqliteStore(join(dir, 'with-grid.sqlite'));
  const withGrid = await ingestAll(store, 'with grid');
  console.log(`ingest with the grid:    ${withGrid.toFixed(1)} s, ${Math.round(count / withGrid).toLocaleString('en')} readings/s`);
  console.log(`grid maintenance: ingest rate × ${(withoutGrid / withGrid).toFixed(2)} (with / without)`);
  await timeQueries(store);
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
