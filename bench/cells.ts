/**
 * `BENCH_CELLS_READINGS=N npx tsx bench/cells.ts` (or `npx tsx bench/cells.ts N`; default
 * 200,000): stores N generated readings over the Hérault through the store's `ingest` in
 * batches of 500 with the coverage grid maintained, then times GET /api/v1/cells (inject())
 * over the whole département at 1 km and over a commune-size box at 200 m, median and p95:
 * before (GeoJSON built and compressed on every request, an app keeping no answer) beside
 * after (the page's `format=compact`): its cold first view (built, nothing kept), a repeat
 * view served from the answer cache (200) and one revalidated (304), the first view after a
 * new reading (the previous answer served stale while the new one builds) and how long until
 * the new one is there, then the same with the answers rebuilt in the background after new data
 * (cache/answer-warmer.ts: the view once that rebuild has landed, and how long after the new
 * reading it landed); and the bytes on the
 * wire as GeoJSON, gzip, brotli and compact brotli. Also stores the same readings in a second database without
 * grid maintenance, to give the grid's cost as a ratio of ingest rates (skipped with
 * BENCH_CELLS_GRID_ONLY=1). BENCH_CELLS_PROFILE=1 also profiles one département request (the
 * V8 profiler) and prints the functions it spent most time in. BENCH_CELLS_CASES=commune (or
 * département) times that case alone. BENCH_CELLS_COLD_ONLY=1 times only the cold views
 * (compact brotli, built, by an app keeping no answer: BENCH_CELLS_COLD_RUNS each, default 9,
 * each box nudged), and with BENCH_CELLS_BASELINE=<an older commit's tree, `git archive | tar
 * -x`, node_modules linked> that tree's app on the same database too, the two alternating so
 * that the machine's load weighs on both. BENCH_CELLS_TILES=1 times the views as the reviewers'
 * map asks them, a tile at a time, beside the same views asked as one box (bench/cells-tiles.ts). Temporary files, removed at the end,
 * unless BENCH_CELLS_DATA_DIR names a directory: the seeded database is kept there as
 * `with-grid-N.sqlite` and reused by the next run of the same N (seeding 1,000,000 takes
 * minutes), which then skips the ingest figures. Beware: the app places stored readings again
 * when it starts (app.ts's onReady) and the bench's readings are stored as placed with older
 * data than its communes, so a database's first run spends that long first (about 25 minutes
 * for 300,000 of 1,000,000 readings on this machine) before any request is timed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { WarmPass } from '../src/server/cache/answer-warmer.ts';
import type { Store } from '../src/server/storage/store.ts';
import { COMMUNE, CONTRIBUTORS, HERAULT, heraultBatches } from './herault-readings.ts';
import { timeTileViews } from './cells-tiles.ts';
import { benchApp, signedInCookie } from './review-app.ts';
import { percentile } from './percentile.ts';

const BATCH = 500;
const QUERY_RUNS = { departement: 15, commune: 40 };
/** The old path is seconds per département request at 1,000,000: fewer runs of it. */
const BEFORE_RUNS = 6;

const asked = process.argv[2] ?? process.env.BENCH_CELLS_READINGS;
const count = Number(asked ?? 200_000);
const gridOnly = process.env.BENCH_CELLS_GRID_ONLY === '1';
if (!Number.isInteger(count) || count < BATCH) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH}, got ${asked}`);
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

interface Timing {
  median: number;
  p95: number;
}

async function timed(runs: number, request: () => Promise<{ statusCode: number; body: string }>, status: number): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i += 1) {
    const start = performance.now();
    const response = await request();
    const ms = performance.now() - start;
    if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
    if (i >= 2) times.push(ms); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}

/** The functions that took the most self time during `work`, from V8's CPU profiler. */
async function profile(work: () => Promise<unknown>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await work();
  const { profile: result } = await session.post('Profiler.stop');
  session.disconnect();
  const self = new Map<string, number>();
  const deltas = result.timeDeltas ?? [];
  const byId = new Map(result.nodes.map((node) => [node.id, node]));
  (result.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${frame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  profile of one request (${total.toFixed(0)} ms sampled), most self time:`);
  for (const [where, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${time.toFixed(0).padStart(6)} ms  ${where}`);
}

const ms = ({ median, p95 }: Timing) => `median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

function timing(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/**
 * `runs` times: one new reading stored, then `view` timed (the server answers the previous
 * answer, marked stale, and builds the current one in the background), then viewed again
 * every 20 ms until the answer is no longer stale.
 */
async function firstViewsAfterNewData(
  store: Store,
  runs: number,
  view: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
): Promise<{ view: Timing; landed: Timing; stale: number }> {
  const views: number[] = [];
  const landed: number[] = [];
  let stale = 0;
  const { readings, places } = heraultBatches(runs, runs, 11).next().value!;
  for (let i = 0; i < runs; i += 1) {
    // New ids each run: a reused database keeps the last run's readings.
    const accepted = await store.ingest([{ ...readings[i]!, id: randomUUID() }], [places[i]!]);
    if (accepted.accepted.length !== 1) throw new Error('the new reading was not stored');
    const start = performance.now();
    const response = await view();
    views.push(performance.now() - start);
    if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode} ${response.body.slice(0, 200)}`);
    if (!String(response.headers['cache-status'] ?? '').includes('stale')) continue;
    stale += 1;
    for (;;) {
      await sleep(20);
      if (!String((await view()).headers['cache-status'] ?? '').includes('stale')) break;
    }
    landed.push(performance.now() - start);
  }
  return { view: timing(views), landed: timing(landed.length > 0 ? landed : [Number.NaN]), stale };
}

/**
 * `runs` times: one new reading stored, then, once the app's background rebuild of the views
 * asked recently has landed (`nextPass`), `view` timed, as a reviewer looking a few seconds after
 * new data sees it: fresh, from the cache.
 */
async function viewsAfterWarmRebuild(
  store: Store,
  runs: number,
  nextPass: () => Promise<WarmPass>,
  view: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
): Promise<{ view: Timing; landed: Timing; fresh: number }> {
  const views: number[] = [];
  const landed: number[] = [];
  let fresh = 0;
  const { readings, places } = heraultBatches(runs, runs, 13).next().value!;
  // The warmer's timers do not hold the process (a server's socket does): this does meanwhile.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    for (let i = 0; i < runs; i += 1) {
      const stored = performance.now();
      const accepted = await store.ingest([{ ...readings[i]!, id: randomUUID() }], [places[i]!]);
      if (accepted.accepted.length !== 1) throw new Error('the new reading was not stored');
      // A pass for an older version (an earlier reading's) may end first: the one for this reading's.
      const version = await store.gridVersion();
      while ((await nextPass()).version !== version);
      landed.push(performance.now() - stored);
      const start = performance.now();
      const response = await view();
      views.push(performance.now() - start);
      if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (response.headers['cache-status'] === undefined) fresh += 1;
    }
  } finally {
    clearInterval(keepAlive);
  }
  return { view: timing(views), landed: timing(landed), fresh };
}

async function timeQueries(store: Store): Promise<void> {
  // Two apps on the same store: one keeping no answer (every request a cold build, as before
  // the cache: the old path, and the new format's cold view), one as the server runs.
  const cold = benchApp(store, { cellsCacheBytes: 0, cellsWarm: { minutes: 0 } });
  // Stale while rebuilding in the request's wake only (the previous pass), then with the
  // answers also rebuilt in the background after new data (as the server now runs).
  const warm = benchApp(store, { cellsWarm: { minutes: 0 } });
  let passWaiters: ((pass: WarmPass) => void)[] = [];
  const rebuilt = benchApp(store, {
    cellsWarm: {
      onPass: (pass) => {
        for (const resolve of passWaiters) resolve(pass);
        passWaiters = [];
      },
    },
  });
  const nextPass = () => new Promise<WarmPass>((resolve) => passWaiters.push(resolve));
  // New accounts each run: a reused database keeps the last run's.
  const email = (who: string) => `bench-${who}-${Date.now()}@example.fr`;
  const coldHeaders = await signedInCookie(cold, { email: email('cold'), role: 'reviewer' });
  const warmHeaders = await signedInCookie(warm, { email: email('warm'), role: 'reviewer' });
  const colleague = await signedInCookie(warm, { email: email('colleague'), role: 'reviewer' });
  const rebuiltHeaders = await signedInCookie(rebuilt, { email: email('rebuilt'), role: 'reviewer' });
  const box = (b: typeof HERAULT) => `${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;
  const cases = [
    { name: 'département (Hérault) at 1 km', url: `/api/v1/cells?bbox=${box(HERAULT)}&resolution=1000`, runs: QUERY_RUNS.departement },
    { name: 'commune-size box (Montpellier) at 200 m', url: `/api/v1/cells?bbox=${box(COMMUNE)}`, runs: QUERY_RUNS.commune },
  ];
  const br = { 'accept-encoding': 'br' };
  // BENCH_CELLS_CASES=commune (or département): only the cases whose name starts so.
  const only = process.env.BENCH_CELLS_CASES;
  for (const { name, url, runs } of cases.filter((c) => !only || c.name.startsWith(only))) {
    const compactUrl = `${url}&format=compact`;
    console.log(
      `  (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} at the start of this case)`,
    );
    const onCold = (target: string, extra: Record<string, string> = {}) => cold.inject({ method: 'GET', url: target, headers: { ...coldHeaders, ...extra } });
    const plain = await onCold(url);
    const features = (plain.json() as { features: unknown[] }).features.length;
    const gzipped = (await onCold(url, { 'accept-encoding': 'gzip' })).rawPayload.length;
    const brotli = (await onCold(url, br)).rawPayload.length;
    const compact = (await onCold(compactUrl)).rawPayload.length;
    const compactBrotli = (await onCold(compactUrl, br)).rawPayload.length;
    console.log(`GET /api/v1/cells, ${name}: ${features.toLocaleString('en')} cells, ${runs} runs each`);
    console.log(
      `  bytes on the wire: GeoJSON ${mb(plain.rawPayload.length)} → gzip ${mb(gzipped)}, brotli ${mb(brotli)} (÷${(plain.rawPayload.length / brotli).toFixed(0)}); ` +
        `compact ${mb(compact)} → brotli ${mb(compactBrotli)}`,
    );
    // Before: GeoJSON built (and compressed) on every request.
    const before = await timed(Math.min(runs, BEFORE_RUNS), () => onCold(url, br), 200);
    console.log(`  before, GeoJSON brotli, built each time:        ${ms(before)} (${Math.min(runs, BEFORE_RUNS)} runs)`);
    // After, cold: the page's compact answer, nothing kept (a first view after new data).
    const coldCompact = await timed(runs, () => onCold(compactUrl, br), 200);
    console.log(`  after, cold first view (compact brotli, built): ${ms(coldCompact)}`);
    // After, warm: one build, then the same view from a colleague (200 from the cache) and a revalidation (304).
    const onWarm = (headers: Record<string, string>, extra: Record<string, string> = {}) =>
      warm.inject({ method: 'GET', url: compactUrl, headers: { ...headers, ...br, ...extra } });
    const firstStart = performance.now();
    const first = await onWarm(warmHeaders);
    const firstMs = performance.now() - firstStart;
    const repeat = await timed(runs, () => onWarm(colleague), 200);
    const revalidated = await timed(runs, () => onWarm(warmHeaders, { 'if-none-match': String(first.headers.etag) }), 304);
    console.log(`  after, repeat view from the cache (200):        ${ms(repeat)}`);
    console.log(`  after, repeat view revalidated (304):           ${ms(revalidated)}, 0 bytes of body`);
    // After, the first view after new data: a reading stored, then the same view, answered with
    // the previous answer while the current one builds in the background; beside it, how long
    // until that build has landed (the new reading on screen at the next view).
    const afterNewData = await firstViewsAfterNewData(store, runs, () => onWarm(colleague));
    console.log(
      `  after, first view after new data (stale):      ${ms(afterNewData.view)} (${afterNewData.stale}/${runs} stale) — the new answer there ${ms(afterNewData.landed)} after`,
    );
    // After, with the background rebuild: one view to make the query recent, then new data, the
    // rebuild, and the view.
    const onRebuilt = () => rebuilt.inject({ method: 'GET', url: compactUrl, headers: { ...rebuiltHeaders, ...br } });
    if ((await onRebuilt()).statusCode !== 200) throw new Error('the view on the rebuilding app failed');
    const afterRebuild = await viewsAfterWarmRebuild(store, Math.min(runs, 15), nextPass, onRebuilt);
    console.log(
      `  after, view after new data, rebuilt in the background: ${ms(afterRebuild.view)} (${afterRebuild.fresh}/${Math.min(runs, 15)} fresh) — the rebuild landed ${ms(afterRebuild.landed)} after the new reading`,
    );
    // The bench's views of this case as a reviewer's session makes them: one cold build, then repeats.
    const session = [firstMs, ...Array.from({ length: runs - 1 }, (_, i) => (i % 2 === 0 ? repeat.median : revalidated.median))].sort((a, b) => a - b);
    console.log(
      `  after, p95 over the ${runs} views (1 cold at ${firstMs.toFixed(0)} ms, then repeats): ${percentile(session, 95).toFixed(0)} ms — p95 of cold views alone: ${coldCompact.p95.toFixed(0)} ms`,
    );
    if (process.env.BENCH_CELLS_PROFILE === '1' && name.startsWith('département')) await profile(() => onCold(compactUrl, br));
  }
  await cold.close();
  await warm.close();
  await rebuilt.close();
}

type BenchApp = ReturnType<typeof benchApp>;

/** `app`'s cold views of `url` (no answer kept): the `i`-th view's box nudged by `i` × 0.0001° west, so that no answer is shared. */
async function coldView(app: BenchApp, headers: Record<string, string>, url: string, i: number): Promise<{ ms: number; bytes: number }> {
  const nudged = url.replace(/bbox=([-\d.]+)/, (_, minLon: string) => `bbox=${(Number(minLon) - i * 0.0001).toFixed(5)}`);
  const start = performance.now();
  const response = await app.inject({ method: 'GET', url: nudged, headers: { ...headers, 'accept-encoding': 'br' } });
  const ms = performance.now() - start;
  if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode} ${response.body.slice(0, 200)}`);
  return { ms, bytes: response.rawPayload.length };
}

/**
 * The cold views alone (BENCH_CELLS_COLD_ONLY=1), and beside them those of the tree in
 * BENCH_CELLS_BASELINE on the same database, alternating (the first of each a warm-up).
 */
async function timeColdViews(store: Store, file: string): Promise<void> {
  const runs = Number(process.env.BENCH_CELLS_COLD_RUNS ?? 9);
  const baselineDir = process.env.BENCH_CELLS_BASELINE;
  const sides: { name: string; app: BenchApp; headers: Record<string, string>; close: () => Promise<void> }[] = [];
  const coldOptions = { cellsCacheBytes: 0, cellsWarm: { minutes: 0 } };
  const email = (who: string) => `bench-${who}-${Date.now()}@example.fr`;
  const app = benchApp(store, coldOptions);
  sides.push({ name: 'this tree', app, headers: await signedInCookie(app, { email: email('cold'), role: 'reviewer' }), close: () => app.close() });
  if (baselineDir) {
    const old = (await import(join(baselineDir, 'bench/review-app.ts'))) as typeof import('./review-app.ts');
    const oldStores = (await import(
      join(baselineDir, 'src/server/storage/sqlite/sqlite-store.ts')
    )) as typeof import('../src/server/storage/sqlite/sqlite-store.ts');
    const oldStore = oldStores.openSqliteStore(file);
    const oldApp = old.benchApp(oldStore, coldOptions);
    const headers = await old.signedInCookie(oldApp, { email: email('baseline'), role: 'reviewer' });
    sides.push({ name: `baseline ${baselineDir}`, app: oldApp, headers, close: async () => (await oldApp.close(), await oldStore.close()) });
  }
  const box = (b: typeof HERAULT) => `${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;
  const cases = [
    { name: 'département (Hérault) at 1 km', url: `/api/v1/cells?bbox=${box(HERAULT)}&resolution=1000&format=compact` },
    { name: 'commune-size box (Montpellier) at 200 m', url: `/api/v1/cells?bbox=${box(COMMUNE)}&format=compact` },
  ];
  for (const { name, url } of cases) {
    const times = new Map<string, number[]>(sides.map((side) => [side.name, []]));
    const bytes = new Map<string, number>();
    for (let i = 0; i <= runs; i += 1) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        const view = await coldView(side.app, side.headers, url, i);
        bytes.set(side.name, view.bytes);
        if (i > 0) times.get(side.name)!.push(view.ms);
      }
    }
    console.log(
      `GET /api/v1/cells, ${name}, cold views only (${runs} each, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    for (const side of sides) {
      const all = times.get(side.name)!;
      const sorted = [...all].sort((a, b) => a - b);
      console.log(
        `  ${side.name === 'this tree' ? 'after, cold first view (compact brotli, built)' : `${side.name}, cold first view`}: ${ms(timing(all))}, max ${sorted.at(-1)!.toFixed(0)} ms; ${mb(bytes.get(side.name)!)} brotli`,
      );
    }
    if (sides.length === 2) {
      const [now, before] = sides.map((side) => timing(times.get(side.name)!).median);
      console.log(`  cold median, this tree / baseline: ×${(now! / before!).toFixed(2)}`);
    }
  }
  for (const side of sides) await side.close();
}

const keptDir = process.env.BENCH_CELLS_DATA_DIR;
if (keptDir) await mkdir(keptDir, { recursive: true });
const dir = keptDir ?? (await mkdtemp(join(tmpdir(), 'couverture-bench-cells-')));
const seeded = join(dir, keptDir ? `with-grid-${count}.sqlite` : 'with-grid.sqlite');
const reused = keptDir !== undefined && existsSync(seeded);
try {
  console.log(`${count.toLocaleString('en')} readings over the Hérault, batches of ${BATCH}, ${CONTRIBUTORS} contributors, 6 months`);
  let withoutGrid: number | undefined;
  if (!gridOnly && !reused) {
    const plain = openSqliteStore(join(dir, 'without-grid.sqlite'), { maintainGrid: false });
    withoutGrid = await ingestAll(plain, 'without grid');
    await plain.close();
    await rm(join(dir, 'without-grid.sqlite'), { force: true });
    console.log(`ingest without the grid: ${withoutGrid.toFixed(1)} s, ${Math.round(count / withoutGrid).toLocaleString('en')} readings/s`);
  }

  const store = openSqliteStore(seeded);
  if (reused) console.log(`reusing ${seeded} (no ingest figures)`);
  else {
    const withGrid = await ingestAll(store, 'with grid');
    console.log(`ingest with the grid:    ${withGrid.toFixed(1)} s, ${Math.round(count / withGrid).toLocaleString('en')} readings/s`);
    if (withoutGrid !== undefined) console.log(`grid maintenance: ingest rate × ${(withoutGrid / withGrid).toFixed(2)} (with / without)`);
  }
  if (process.env.BENCH_CELLS_TILES === '1') await timeTileViews(store, seeded);
  else if (process.env.BENCH_CELLS_COLD_ONLY === '1') await timeColdViews(store, seeded);
  else await timeQueries(store);
  await store.close();
} finally {
  if (!keptDir) await rm(dir, { recursive: true, force: true });
}
