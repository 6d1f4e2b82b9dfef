/**
 * `npx tsx bench/readings-map.ts [N]` (default 200,000): stores N generated readings over the
 * Hérault (store `ingest`, batches of 500, no grid upkeep: only the readings matter here), then
 * times GET /api/v1/readings (inject()) over the whole département as a map asks for it:
 * zoomed out (zoom 9 and 12: clusters of the whole box, one answer) against the points
 * (no zoom: the first page of 5,000, then every page, once). Median and p95, for a reviewer of the
 * département and for an admin. Temporary files, removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { benchApp, signedInCookie } from './review-app.ts';
import { percentile } from './percentile.ts';

const BATCH = 500;
const NOW = Date.parse('2026-05-04T12:00:00Z');
const HERAULT = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
const BOX = `${HERAULT.minLon},${HERAULT.minLat},${HERAULT.maxLon},${HERAULT.maxLat}`;
const RUNS = 15;

const count = Number(process.argv[2] ?? 200_000);
if (!Number.isInteger(count) || count < BATCH) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH}, got ${process.argv[2]}`);
  process.exit(1);
}

function* batches(): Generator<{ readings: Reading[]; places: ReadingPlacement[] }> {
  const next = seededRandom(11);
  const between = (min: number, max: number) => min + next() * (max - min);
  for (let done = 0; done < count; done += BATCH) {
    const readings: Reading[] = [];
    const places: ReadingPlacement[] = [];
    for (let i = 0; i < Math.min(BATCH, count - done); i += 1) {
      // A tenth along a "road" (dense squares), the rest spread over the département.
      const onRoad = next() < 0.1;
      readings.push({
        id: `00000000-0000-4000-8000-${(done + i).toString(16).padStart(12, '0')}`,
        recordedAt: new Date(NOW - between(0, 180 * 86_400_000)).toISOString(),
        lat: Number((onRoad ? 43.6 + between(-0.002, 0.002) : between(HERAULT.minLat, HERAULT.maxLat)).toFixed(6)),
        lon: Number(between(HERAULT.minLon, HERAULT.maxLon).toFixed(6)),
        accuracyM: Math.round(between(3, 60)),
        operator: OPERATORS[Math.floor(next() * OPERATORS.length)]!,
        technology: next() < 0.85 ? '4G' : '3G',
        signalDbm: Math.round(between(-125, -75)),
        setting: next() < 0.8 ? 'outdoor' : 'indoor',
        voice: next() < 0.9 ? 'ok' : 'failed',
        source: 'agent',
      });
      places.push({ accountId: `agent-${Math.floor(next() * 60)}`, commune: null, departement: '34', outsideCommunes: false });
    }
    yield { readings, places };
  }
}

/** Times `request` (which answers features and bytes): `warmUps` runs, then `runs`. */
async function time(
  name: string,
  { runs, warmUps }: { runs: number; warmUps: number },
  request: () => Promise<{ features: number; bytes: number; requests: number }>,
): Promise<void> {
  const times: number[] = [];
  // CPU time too: on a shared machine the wall clock also counts other processes' turns.
  const cpuTimes: number[] = [];
  let last = { features: 0, bytes: 0, requests: 0 };
  for (let i = 0; i < runs + warmUps; i += 1) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    last = await request();
    const cpu = process.cpuUsage(cpuStart);
    if (i >= warmUps) {
      times.push(performance.now() - start);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  console.log(
    `  ${name}: median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, ` +
      `median CPU ${percentile(cpuTimes, 50).toFixed(0)} ms ` +
      `(${runs} runs; ${last.features.toLocaleString('en')} features, ${(last.bytes / 1e6).toFixed(2)} MB, ${last.requests} request${last.requests > 1 ? 's' : ''})`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'couverture-bench-readings-map-'));
try {
  const store = openSqliteStore(join(dir, 'bench.sqlite'), { maintainGrid: false });
  const ingestStart = performance.now();
  for (const { readings, places } of batches()) await store.ingest(readings, places);
  console.log(`${count.toLocaleString('en')} readings over the Hérault stored in ${((performance.now() - ingestStart) / 1000).toFixed(1)} s`);

  const app = benchApp(store);

  const get = async (url: string, headers: Record<string, string>) => {
    const response = await app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    return { body: response.json(), bytes: response.body.length };
  };
  for (const who of ['reviewer', 'admin'] as const) {
    const headers = await signedInCookie(app, { email: `${who}@example.fr`, role: who });
    console.log(`GET /api/v1/readings over the Hérault, as ${who === 'reviewer' ? 'its reviewer' : 'an admin'}:`);
    for (const zoom of [9, 12]) {
      await time(`zoom=${zoom}, clusters`, { runs: RUNS, warmUps: 2 }, async () => {
        const { body, bytes } = await get(`/api/v1/readings?bbox=${BOX}&zoom=${zoom}`, headers);
        return { features: body.features.length, bytes, requests: 1 };
      });
    }
    await time('points, first page of 5,000', { runs: RUNS, warmUps: 2 }, async () => {
      const { body, bytes } = await get(`/api/v1/readings?bbox=${BOX}&limit=5000`, headers);
      return { features: body.features.length, bytes, requests: 1 };
    });
    await time('points, every page of 5,000', { runs: 1, warmUps: 0 }, async () => {
      let features = 0;
      let bytes = 0;
      let requests = 0;
      let cursor: string | undefined;
      do {
        const page = await get(`/api/v1/readings?bbox=${BOX}&limit=5000${cursor ? `&cursor=${cursor}` : ''}`, headers);
        features += page.body.features.length;
        bytes += page.bytes;
        requests += 1;
        cursor = page.body.nextCursor;
      } while (cursor);
      return { features, bytes, requests };
    });
  }
  await app.close();
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
