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
import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import { buildApp } from '../src/server/app.ts';
import { createCommunes } from '../src/server/communes/communes.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

const BATCH = 500;
const NOW = Date.parse('2026-05-04T12:00:00Z');
const HERAULT = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
/** Montpellier's commune, about 11 km × 9 km. */
const COMMUNE = { minLon: 3.8, minLat: 43.56, maxLon: 3.94, maxLat: 43.65 };
const CONTRIBUTORS = 60;
const QUERY_RUNS = { departement: 15, commune: 40 };

const count = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(count) || count < BATCH) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH}, got ${process.argv[2]}`);
  process.exit(1);
}

function* batches(seed: number): Generator<{ readings: Reading[]; places: ReadingPlacement[] }> {
  const next = seededRandom(seed);
  const between = (min: number, max: number) => min + next() * (max - min);
  for (let done = 0; done < count; done += BATCH) {
    const readings: Reading[] = [];
    const places: ReadingPlacement[] = [];
    for (let i = 0; i < Math.min(BATCH, count - done); i += 1) {
      const n = done + i;
      // A tenth of the readings along "roads" (denser cells), the rest spread over the département.
      const onRoad = next() < 0.1;
      const lat = onRoad ? 43.6 + between(-0.002, 0.002) : between(HERAULT.minLat, HERAULT.maxLat);
      readings.push({
        id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        recordedAt: new Date(NOW - between(0, 180 * 86_400_000)).toISOString(),
        lat: Number(lat.toFixed(6)),
        lon: Number(between(HERAULT.minLon, HERAULT.maxLon).toFixed(6)),
        accuracyM: Math.round(between(3, 60)),
        operator: OPERATORS[Math.floor(next() * OPERATORS.length)]!,
        technology: next() < 0.85 ? '4G' : '3G',
        signalDbm: Math.round(between(-118, -75)),
        setting: next() < 0.8 ? 'outdoor' : 'indoor',
        voice: next() < 0.9 ? 'ok' : 'failed',
        source: 'agent',
      });
      places.push({ accountId: `agent-${Math.floor(next() * CONTRIBUTORS)}`, commune: null, departement: '34', outsideCommunes: false });
    }
    yield { readings, places };
  }
}

async function ingestAll(store: Store, label: string): Promise<number> {
  const start = performance.now();
  let done = 0;
  let lastReport = start;
  for (const { readings, places } of batches(7)) {
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
  const app = buildApp({
    store,
    tiles: { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'bench', maxZoom: 19 },
    now: () => NOW,
    communes: createCommunes([]),
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  await app.accounts.createUser({ email: 'bench@example.fr', name: 'Banc', password: 'mot de passe du banc', role: 'reviewer', departement: '34' });
  const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'bench@example.fr', password: 'mot de passe du banc' } });
  const headers = { cookie: String(session.headers['set-cookie']).split(';')[0]! };
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
