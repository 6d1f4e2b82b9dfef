import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore } from '../src/server/storage/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { newTestLocation } from '../test/support/test-store.ts';
import { heraultBatches } from './herault-readings.ts';
import { percentile } from './percentile.ts';

/**
 * `npm run grid -- rebuild` (GridStore.rebuildGrid, src/server/storage/grid-rebuild.ts) on each
 * store: `count` readings spread over the Hérault (default 100,000) stored through `ingest` with
 * the grid kept up to date, timed (the baseline), then the whole grid rebuilt from them, timed,
 * and the ratio of the two. Meanwhile an upload of 500 readings goes every 200 ms, as a
 * running server would take them, and the bench prints how long they took (a rebuild that held
 * the store for a whole square's transaction after another would show here).
 *
 *   npx tsx bench/grid-rebuild.ts [count]       SQLite, and PostgreSQL when
 *                                               COUVERTURE_TEST_POSTGRES_URL names a database
 */

const count = Number(process.argv[2] ?? 100_000);
const BATCH = 1000;
const UPLOAD = 500;
const UPLOAD_EVERY_MS = 200;
const postgresUrl = process.env.COUVERTURE_BENCH_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;

async function measure(kind: 'sqlite' | 'postgres', dir: string): Promise<void> {
  let store: Store;
  let drop: () => Promise<void> = async () => undefined;
  if (kind === 'sqlite') {
    store = openSqliteStore(join(dir, 'rebuild.sqlite'));
  } else {
    process.env.COUVERTURE_TEST_POSTGRES_URL = postgresUrl;
    const made = await newTestLocation(dir, 'postgres');
    if (made.location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
    store = await openPostgresStore(made.location.url);
    drop = made.drop;
  }
  try {
    const rollUp = () => store.gridReports({ resolutionM: 10_000, north: [0, -1], east: [0, -1], scope: { kind: 'all' } });
    const ingestStarted = performance.now();
    for (const { readings, places } of heraultBatches(count, BATCH, 1)) await store.ingest(readings, places);
    await rollUp();
    const ingestMs = performance.now() - ingestStarted;

    // Uploads beside the rebuild: new readings (other ids), each batch awaited before the next is due.
    const uploads: number[] = [];
    let rebuilding = true;
    const uploader = (async () => {
      for (const { readings, places } of heraultBatches(1_000_000, UPLOAD, 2)) {
        if (!rebuilding) break;
        const fresh = readings.map((reading) => ({ ...reading, id: reading.id.replace(/^00000000/, '11111111') }));
        const started = performance.now();
        await store.ingest(fresh, places);
        uploads.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, UPLOAD_EVERY_MS));
      }
    })();
    const rebuildStarted = performance.now();
    const done = await store.rebuildGrid();
    const rebuildMs = performance.now() - rebuildStarted;
    rebuilding = false;
    await uploader;
    uploads.sort((a, b) => a - b);
    console.log(
      `${kind}: ${count.toLocaleString('en')} readings stored with the grid in ${(ingestMs / 1000).toFixed(1)} s; ` +
        `the grid rebuilt in ${(rebuildMs / 1000).toFixed(1)} s (${(rebuildMs / ingestMs).toFixed(2)}× the ingest), ` +
        `${done.units} squares of 10 km, ${done.cells} cells of 1 km; ` +
        `${uploads.length} uploads of ${UPLOAD} meanwhile: median ${percentile(uploads, 50).toFixed(0)} ms, p95 ${percentile(uploads, 95).toFixed(0)} ms, max ${(uploads.at(-1) ?? 0).toFixed(0)} ms`,
    );
  } finally {
    await store.close();
    await drop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'couverture-bench-rebuild-'));
try {
  console.log(`Grid rebuild, load average ${loadavg()[0]!.toFixed(1)}`);
  await measure('sqlite', dir);
  if (postgresUrl) await measure('postgres', dir);
  else console.log('postgres: skipped (COUVERTURE_TEST_POSTGRES_URL unset)');
} finally {
  await rm(dir, { recursive: true, force: true });
}
