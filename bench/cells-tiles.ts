/**
 * `BENCH_CELLS_TILES=1` mode of bench/cells.ts: what a reviewer's map gets since it asks the grid a
 * tile at a time (src/app/cells/tile-loader.ts), beside the same view asked as one box, in the
 * same run on the same database. Two views: the whole Hérault at 1 km and Montpellier at 200 m,
 * each the tiles `tilesCovering` gives for its box, asked as the page asks them (its URL helper,
 * its filters, 6 at a time, nearest the centre first), timed to the last byte of the last
 * tile. Four moments (BENCH_CELLS_TILE_RUNS views each, default 7; median and p95 over views):
 *
 * - cold: an app keeping no answer (every tile built in the request), like the first views after a
 *   start (the box: `coldView`'s nudged box, same app options);
 * - warm: the app as the server runs it (`cellsWarm.atStart`: the tiles holding data kept built
 *   from its start), once its start's pass is done: its first view (the box's is a cold build),
 *   then views answered before;
 * - after an upload out of the view's tiles (Béziers for Montpellier, Marseille for the whole
 *   Hérault): the view's tiles are other tiles, so they may still be answered from the cache;
 * - after an upload inside the view: the tiles holding it answer their previous answer (stale)
 *   while rebuilding, and how long after the upload every tile is fresh again.
 *
 * - restart (BENCH_CELLS_TILE_STATES must name it): once the running app's start's pass has kept
 *   every tile in the database (cache/stored-answers.ts), a new app on the same database, as a
 *   restarted server: each view's first view right after it listens (before its own pass), the
 *   Hérault's view for one operator, for 4G alone, outdoors alone and a period too, each beside
 *   a cold build by the app keeping nothing (of the 4G alone for the default and the operator's
 *   views, of the same filters for the others) in the same run; then its start's pass with the
 *   tiles in the database, and the kept answers' table's size.
 *
 * - filters (BENCH_CELLS_TILE_STATES must name it): the cold views for filters other than the
 *   page's default beside it, and where one cold build's time goes (bench/cells-filters.ts).
 *
 * BENCH_CELLS_TILE_STATES=cold,warm limits the moments; BENCH_CELLS_CASES as for the bench;
 * BENCH_CELLS_CACHE_MB sets the running app's answer cache as CELLS_CACHE_MB sets the server's.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DEFAULT_FILTERS, cellsTileUrl, formatBbox, filterParams, type CoverageFilters, type LonLatBounds } from '../src/app/cells/coverage-filters.ts';
import { operatorFilters } from '../src/domain/grid/coverage-query.ts';
import { tilesInSight } from '../src/app/cells/view-tiles.ts';
import { TILE_REQUESTS_AT_ONCE } from '../src/app/cells/tile-loader.ts';
import { DEFAULT_SECURITY } from '../src/server/config.ts';
import type { WarmPass } from '../src/server/cache/answer-warmer.ts';
import type { Store } from '../src/server/storage/store.ts';
import { COMMUNE, HERAULT, heraultBatches } from './herault-readings.ts';
import { benchApp, signedInCookie } from './review-app.ts';
import { FILTERED_VIEWS, timeFilteredViews } from './cells-filters.ts';
import { percentile } from './percentile.ts';

type BenchApp = ReturnType<typeof benchApp>;
interface Answer {
  statusCode: number;
  rawPayload: Buffer;
  headers: Record<string, unknown>;
  body: string;
}
interface View {
  ms: number;
  bytes: number;
  /** Answers marked `Cache-Status: …stale…` (the previous answer while rebuilding). */
  stale: number;
}

const BR = { 'accept-encoding': 'br' };

function summary(views: View[]): string {
  const times = views.map((view) => view.ms).sort((a, b) => a - b);
  const bytes = views.map((view) => view.bytes).sort((a, b) => a - b);
  const stale = views.reduce((sum, view) => sum + view.stale, 0);
  return (
    `median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, ` +
    `${(percentile(bytes, 50) / 1e6).toFixed(3)} MB brotli${stale > 0 ? `, ${stale} stale answers` : ''}`
  );
}

/** `urls` asked `parallel` at a time in their order, timed until the last answer's last byte. */
async function askAll(app: BenchApp, headers: Record<string, string>, urls: string[], parallel = TILE_REQUESTS_AT_ONCE): Promise<View> {
  let next = 0;
  let bytes = 0;
  let stale = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      const response = (await app.inject({ method: 'GET', url, headers: { ...headers, ...BR } })) as unknown as Answer;
      if (response.statusCode !== 200) throw new Error(`${url}: expected 200, got ${response.statusCode} ${response.body.slice(0, 200)}`);
      bytes += response.rawPayload.length;
      if (String(response.headers['cache-status'] ?? '').includes('stale')) stale += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, urls.length) }, worker));
  return { ms: performance.now() - start, bytes, stale };
}

/** A reading stored at a place (a generated one moved there), as a phone would upload it. */
async function uploadAt(store: Store, lon: number, lat: number, seed: number): Promise<void> {
  const { readings, places } = heraultBatches(1, 1, seed).next().value!;
  const result = await store.ingest([{ ...readings[0]!, id: randomUUID(), lon, lat, recordedAt: new Date().toISOString() }], [places[0]!]);
  if (result.accepted.length !== 1) throw new Error('the uploaded reading was not stored');
}

export async function timeTileViews(store: Store, file: string): Promise<void> {
  const runs = Number(process.env.BENCH_CELLS_TILE_RUNS ?? 7);
  const states = new Set((process.env.BENCH_CELLS_TILE_STATES ?? 'cold,warm,elsewhere,inside').split(','));
  const only = process.env.BENCH_CELLS_CASES;
  const email = (who: string) => `bench-${who}-${Date.now()}-${randomUUID().slice(0, 8)}@example.fr`;
  const bounds = (b: typeof HERAULT): LonLatBounds => ({ west: b.minLon, south: b.minLat, east: b.maxLon, north: b.maxLat });
  const cases = [
    // Elsewhere: out of the view's tiles (Béziers for Montpellier; for the whole département, Marseille, past its tiles).
    { name: 'département (Hérault) at 1 km', box: bounds(HERAULT), resolutionM: 1000, inside: [3.32, 43.72] as const, elsewhere: [5.4, 43.3] as const },
    {
      name: 'commune-size box (Montpellier) at 200 m',
      box: bounds(COMMUNE),
      resolutionM: 200,
      inside: [3.87, 43.61] as const,
      elsewhere: [3.22, 43.35] as const,
    },
  ];
  const filters = DEFAULT_FILTERS;
  // Two apps on the store: one keeping nothing (every tile built in the request), one as the
  // server runs. One sign-in (the sign-in route limits attempts; sessions live in the store).
  // The bench's clock stands still (herault-readings.ts's NOW): a database's sign-in counters
  // never age, and earlier runs may have used up the limit.
  const security = { rateLimits: { ...DEFAULT_SECURITY.rateLimits, login: { max: 1_000_000, windowS: 1 } } };
  // Nor does it load what another app kept in the database (cache/stored-answers.ts): the
  // running app below, or an earlier run on the same database.
  const coldApp = benchApp({ ...store, keptAnswers: async () => [] }, { cellsCacheBytes: 0, cellsWarm: { minutes: 0 }, security });
  // The running server: the tiles holding data kept built from its start (main.ts's CELLS_WARM_AT_START).
  let passWaiters: ((pass: WarmPass) => void)[] = [];
  const cacheMb = process.env.BENCH_CELLS_CACHE_MB;
  const app = benchApp(store, {
    security,
    // The server's CELLS_CACHE_MB (default 64): kept tiles fill at most half of it.
    ...(cacheMb && { cellsCacheBytes: Number(cacheMb) * 1024 * 1024 }),
    cellsWarm: {
      atStart: true,
      onPass: (pass) => {
        for (const resolve of passWaiters) resolve(pass);
        passWaiters = [];
      },
    },
  });
  const headers = await signedInCookie(app, { email: email('tiles'), role: 'reviewer' });
  const warmsAtStart = ['warm', 'elsewhere', 'inside'].some((state) => states.has(state));
  if (warmsAtStart) {
    // The start's pass begins once the app listens (inject alone never does).
    const firstPass = new Promise<WarmPass>((resolve) => passWaiters.push(resolve));
    const started = performance.now();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const pass = await firstPass;
    console.log(
      `the start's warm pass: ${pass.rebuilt} answers built (${pass.failed} failed) of ${pass.checked} checked in ${(pass.ms / 1000).toFixed(1)} s, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s after listening (load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
    );
  }
  const selected = cases.filter((c) => !only || c.name.startsWith(only));
  for (const { name, box, resolutionM, inside, elsewhere } of selected) {
    const tileUrls = tilesInSight(box, resolutionM).map((tile) => cellsTileUrl(filters, tile));
    const boxUrl = (i: number) =>
      `/api/v1/cells?bbox=${formatBbox({ ...box, west: box.west - i * 0.0001 })}&resolution=${resolutionM}&${filterParams(filters).join('&')}&format=compact`;
    console.log(
      `GET /api/v1/cells, ${name}: ${tileUrls.length} tiles (${TILE_REQUESTS_AT_ONCE} at a time) beside one box, ${runs} views each (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    if (states.has('cold')) {
      // Cold: nothing kept; the two ways alternate so that the machine's load weighs on both.
      const tiles: View[] = [];
      const boxes: View[] = [];
      for (let i = 0; i <= runs; i += 1) {
        const pair = [() => askAll(coldApp, headers, tileUrls), () => askAll(coldApp, headers, [boxUrl(i)], 1)] as const;
        const [first, second] = i % 2 === 0 ? pair : [pair[1], pair[0]];
        const a = await first();
        const b = await second();
        if (i === 0) continue; // a warm-up
        (i % 2 === 0 ? tiles : boxes).push(a);
        (i % 2 === 0 ? boxes : tiles).push(b);
      }
      console.log(`  cold (nothing kept), tiles: ${summary(tiles)}`);
      console.log(`  cold (nothing kept), box:   ${summary(boxes)}`);
    }
    if (!warmsAtStart) continue;
    // A colleague's view: no If-None-Match (inject sends none), the answers kept by the app.
    const colleague = headers;
    const fixedBox = boxUrl(0);
    const firstTiles = await askAll(app, headers, tileUrls);
    const firstBox = await askAll(app, headers, [fixedBox], 1);
    console.log(`  first view after the start's warm pass: tiles ${summary([firstTiles])}; box ${summary([firstBox])}`);
    const views = async (moment: string, before: () => Promise<void>) => {
      const tiles: View[] = [];
      const boxes: View[] = [];
      for (let i = 0; i < runs; i += 1) {
        await before();
        // Each side right after its own upload's moment: the tiles first on even runs, the box first on odd ones.
        const sides = [
          () => askAll(app, colleague, tileUrls).then((v) => tiles.push(v)),
          () => askAll(app, colleague, [fixedBox], 1).then((v) => boxes.push(v)),
        ];
        for (const side of i % 2 === 0 ? sides : sides.reverse()) await side();
      }
      console.log(`  ${moment}, tiles: ${summary(tiles)}`);
      console.log(`  ${moment}, box:   ${summary(boxes)}`);
    };
    if (states.has('warm')) await views('warm (after the start, answered before)', async () => undefined);
    if (states.has('elsewhere')) {
      let seed = 100;
      await views(`after an upload elsewhere (${elsewhere.join(', ')})`, () => uploadAt(store, elsewhere[0], elsewhere[1], seed++));
    }
    if (states.has('inside')) {
      let seed = 200;
      await views(`after an upload inside the view (${inside.join(', ')})`, () => uploadAt(store, inside[0], inside[1], seed++));
      // How long until every tile (and the box) is fresh again after one more upload.
      await uploadAt(store, inside[0], inside[1], seed++);
      const uploaded = performance.now();
      const freshAfter = async (urls: string[]) => {
        for (;;) {
          const view = await askAll(app, colleague, urls, urls.length > 1 ? TILE_REQUESTS_AT_ONCE : 1);
          if (view.stale === 0) return performance.now() - uploaded;
          await sleep(50);
        }
      };
      const tilesFresh = await freshAfter(tileUrls);
      const boxFresh = await freshAfter([fixedBox]);
      console.log(`  after an upload inside the view, every answer fresh again: tiles ${tilesFresh.toFixed(0)} ms, box ${boxFresh.toFixed(0)} ms after it`);
    }
  }
  if (states.has('filters')) await timeFilteredViews(store, coldApp, headers, selected, runs, askAll);
  if (states.has('restart')) await timeRestart(store, file, cases, headers, security, coldApp);
  await coldApp.close();
  await app.close();
}

/** The `restart` moment (see the top): a new app on the database the running one kept its tiles in. */
async function timeRestart(
  store: Store,
  file: string,
  cases: { name: string; box: LonLatBounds; resolutionM: number }[],
  headers: Record<string, string>,
  security: NonNullable<Parameters<typeof benchApp>[1]>['security'],
  coldApp: BenchApp,
): Promise<void> {
  const db = new Database(file, { readonly: true });
  const table = db.prepare('SELECT count(*) AS rows, sum(length(brotli)) AS brotli, sum(length(query)) AS queries FROM kept_answers').get() as {
    rows: number;
    brotli: number;
    queries: number;
  };
  db.close();
  console.log(
    `kept answers in the database: ${table.rows} rows, ${(table.brotli / 1e6).toFixed(1)} MB of brotli, ${(table.queries / 1e6).toFixed(2)} MB of queries`,
  );
  let passed: (pass: WarmPass) => void = () => undefined;
  const firstPass = new Promise<WarmPass>((resolve) => {
    passed = resolve;
  });
  const restarted = benchApp(store, { security, cellsWarm: { atStart: true, onPass: (pass) => passed(pass) } });
  const listening = performance.now();
  await restarted.listen({ port: 0, host: '127.0.0.1' });
  // Each beside a cold build: of the 4G alone for the default and an operator's view (as before
  // the technologies' views were kept too), of the same filters for the others.
  const views: [string, (typeof cases)[number], CoverageFilters, CoverageFilters][] = [
    ...cases.map((c) => [c.name, c, DEFAULT_FILTERS, { ...DEFAULT_FILTERS, technology: '4G' }] as [string, typeof c, CoverageFilters, CoverageFilters]),
    [`${cases[0]!.name}, orange alone`, cases[0]!, operatorFilters('orange'), { ...operatorFilters('orange'), technology: '4G' }],
    ...FILTERED_VIEWS.slice(1).map(
      ([label, filters]) => [`${cases[0]!.name}, ${label}`, cases[0]!, filters, filters] as [string, (typeof cases)[number], CoverageFilters, CoverageFilters],
    ),
  ];
  for (const [name, { box, resolutionM }, filters, coldFilters] of views) {
    const urls = tilesInSight(box, resolutionM).map((tile) => cellsTileUrl(filters, tile));
    const restartedView = await askAll(restarted, headers, urls);
    const coldUrls = tilesInSight(box, resolutionM).map((tile) => cellsTileUrl(coldFilters, tile));
    const coldView = await askAll(coldApp, headers, coldUrls);
    console.log(
      `  restarted, first view, ${name}: ${summary([restartedView])}; built by an app keeping nothing (${filterParams(coldFilters).join('&')}): ${summary([coldView])}`,
    );
  }
  const pass = await firstPass;
  console.log(
    `  restarted, its start's pass with the tiles in the database: ${pass.rebuilt} answers loaded or built (${pass.failed} failed) of ${pass.checked} in ${(pass.ms / 1000).toFixed(1)} s, ` +
      `${((performance.now() - listening) / 1000).toFixed(1)} s after listening (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
  );
  await restarted.close();
}
