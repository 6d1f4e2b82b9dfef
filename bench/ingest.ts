/**
 * `npx tsx bench/ingest.ts [N]` (or BENCH_N=N; default 20,000), batches of 500 like the phones send:
 *
 * 1. The coverage grid's cost (issue 19): `store.ingest` of the same N readings, in the same
 *    batches, into a fresh store that keeps the grid up to date and into a fresh one that does
 *    not (`maintainGrid: false`: the same inserts, placements, transactions and duplicate
 *    checks, only the grid left out), on SQLite and on PostgreSQL (a fresh schema of
 *    COUVERTURE_BENCH_POSTGRES_URL, else COUVERTURE_TEST_POSTGRES_URL; neither set, SQLite
 *    alone). The grid is rolled up after the ingest's transaction: the with-grid path's time
 *    counts its roll-ups too, and a third store rolls up after every batch (the worst case;
 *    grid-upkeep.ts). Two workloads: readings spread over the whole Hérault (bench/herault-readings.ts,
 *    the grid's worst case, nearly a row per reading) and phones' uploads, each batch one agent
 *    driving (bench/herault-tracks.ts); ids random v4 UUIDs as the phones make (seeded), not
 *    the generators' numbered ones. The two stores take each batch in turn (lockstep), so
 *    that a busy machine's swings weigh on both; BENCH_INGEST_ROUNDS rounds (default 3) of
 *    fresh stores, the medians and their ratio printed.
 * 2. POST /api/v1/readings (inject() and a real socket) against SQLite alone inserting the same
 *    rows into the same tables; then bounding-box queries over them. BENCH_INGEST_GRID_ONLY=1
 *    skips this part.
 *
 * Everything happens in a temporary directory (and schemas), removed at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { Bbox } from '../src/domain/geojson.ts';
import { readingLevel } from '../src/domain/level.ts';
import { OPERATORS } from '../src/domain/operators.ts';
import { canonicalJson, type Reading } from '../src/domain/reading.ts';
import { buildApp } from '../src/server/app.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { printGridUpkeep } from './grid-upkeep.ts';

const BATCH = 500;
const TILES = { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'bench', maxZoom: 19 };
/** The readings are spread over Hérault; the query asks for the Montpellier area. */
const HERAULT: Bbox = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
const MONTPELLIER: Bbox = { minLon: 3.75, minLat: 43.55, maxLon: 3.95, maxLat: 43.68 };

const count = Number(process.argv[2] ?? process.env.BENCH_N ?? 20_000);
if (!Number.isInteger(count) || count < BATCH) {
  console.error(`Readings to generate: expected an integer ≥ ${BATCH}, got ${process.argv[2] ?? process.env.BENCH_N}`);
  process.exit(1);
}

function randomReading(): Reading {
  const between = (min: number, max: number) => min + Math.random() * (max - min);
  return {
    id: randomUUID(),
    recordedAt: new Date(Date.now() - between(0, 30 * 86_400_000)).toISOString(),
    lat: Number(between(HERAULT.minLat, HERAULT.maxLat).toFixed(6)),
    lon: Number(between(HERAULT.minLon, HERAULT.maxLon).toFixed(6)),
    accuracyM: Math.round(between(3, 60)),
    operator: OPERATORS[Math.floor(Math.random() * OPERATORS.length)]!,
    technology: '4G',
    signalDbm: Math.round(between(-135, -70)),
    setting: 'outdoor',
    voice: Math.random() < 0.9 ? 'ok' : 'failed',
    source: 'agent',
  };
}

function batches<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
}

async function timed(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** The floor: prepared INSERTs of ready-made rows into the tables the store creates, one transaction per batch. */
async function sqliteAlone(file: string, readings: Reading[]): Promise<number> {
  await openSqliteStore(file).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insertReading = db.prepare(`
    INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at,
                          account_id, commune, departement, outside_communes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
  const insertPosition = db.prepare('INSERT INTO readings_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  const receivedAt = new Date().toISOString();
  const rows = readings.map((r) => [
    r.id,
    r.recordedAt,
    Date.parse(r.recordedAt),
    r.lat,
    r.lon,
    r.operator,
    r.technology,
    readingLevel(r),
    r.source,
    canonicalJson(r),
    receivedAt,
    'bench',
    null,
    null,
    0,
  ]);
  const insertBatch = db.transaction((batch: typeof rows) => {
    for (const row of batch) {
      const { lastInsertRowid } = insertReading.run(row);
      insertPosition.run(lastInsertRowid, row[4], row[4], row[3], row[3]);
    }
  });
  const seconds = await timed(() => batches(rows).forEach((batch) => insertBatch.immediate(batch)));
  db.close();
  return seconds;
}

/**
 * An admin account and a personal API token for it, as a script would post with: bearer
 * tokens need no CSRF token. The sign-in (scrypt) happens before the clock starts.
 */
async function bearerToken(app: FastifyInstance): Promise<string> {
  const email = `bench-${randomUUID()}@example.fr`;
  const password = randomUUID();
  await app.accounts.createUser({ email, name: 'Banc d’essai', password, role: 'admin' });
  const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  const headers = { cookie: String(session.headers['set-cookie']).split(';')[0]!, 'x-csrf-token': session.json().csrfToken };
  const token = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'bench', password } });
  if (token.statusCode !== 201) throw new Error(`Could not create a token: ${token.statusCode} ${token.body}`);
  return `Bearer ${token.json().token}`;
}

function checkAccepted(status: number, body: { accepted?: unknown[] }, expected: number): void {
  if (status !== 200 || body.accepted?.length !== expected) throw new Error(`Batch not fully accepted: ${status} ${JSON.stringify(body).slice(0, 300)}`);
}

/** POST /api/v1/readings through fastify's inject(): the server's work, without sockets. */
async function throughInject(store: Store, bodies: { json: string; size: number }[]): Promise<number> {
  const app = buildApp({ store, tiles: TILES });
  const authorization = await bearerToken(app);
  const seconds = await timed(async () => {
    for (const { json, size } of bodies) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/readings',
        headers: { 'content-type': 'application/json', authorization },
        payload: json,
      });
      checkAccepted(response.statusCode, response.json(), size);
    }
  });
  await app.close();
  return seconds;
}

/** The same over a real loopback socket with fetch, as a phone's requests arrive. */
async function throughSocket(store: Store, bodies: { json: string; size: number }[]): Promise<number> {
  const app = buildApp({ store, tiles: TILES });
  const authorization = await bearerToken(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/readings`;
  const seconds = await timed(async () => {
    for (const { json, size } of bodies) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: json });
      checkAccepted(response.status, (await response.json()) as { accepted?: unknown[] }, size);
    }
  });
  await app.close();
  return seconds;
}

async function medianMs(runs: number, run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: statements prepared, pages in the cache
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await timed(run)) * 1000);
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Part 2: the API's path against SQLite alone, then bounding-box queries. */
async function apiVsSqliteAlone(dir: string): Promise<void> {
  const readings = Array.from({ length: count }, randomReading);
  const bodies = batches(readings).map((batch) => ({ json: JSON.stringify({ readings: batch }), size: batch.length }));

  // Warm-up, not measured: the first path timed would otherwise pay for the JIT alone.
  const warmUp = openSqliteStore(join(dir, 'warm-up.sqlite'));
  await throughInject(warmUp, bodies.slice(0, 4));
  await warmUp.close();

  const alone = await sqliteAlone(join(dir, 'alone.sqlite'), readings);
  const injectStore = openSqliteStore(join(dir, 'inject.sqlite'));
  const inject = await throughInject(injectStore, bodies);
  const socketStore = openSqliteStore(join(dir, 'socket.sqlite'));
  const socket = await throughSocket(socketStore, bodies);
  await socketStore.close();

  const rate = (seconds: number) =>
    Math.round(count / seconds)
      .toLocaleString('en-US')
      .padStart(10);
  const line = (label: string, seconds: number) =>
    `${label.padEnd(40)}${seconds.toFixed(2).padStart(7)} s${rate(seconds)}/s${(alone / seconds).toFixed(2).padStart(10)}`;
  console.log(`\nIngest: ${count.toLocaleString('en-US')} readings in batches of ${BATCH}, SQLite WAL, synchronous=NORMAL\n`);
  console.log(`${'path'.padEnd(40)}${'time'.padStart(9)}${'rate'.padStart(12)}${'vs SQLite'.padStart(10)}`);
  console.log(line('SQLite alone (prepared INSERTs)', alone));
  console.log(line('POST /api/v1/readings, inject()', inject));
  console.log(line('POST /api/v1/readings, HTTP + fetch', socket));
  console.log(`\nThrough the API, storing takes ${(inject / alone).toFixed(1)}× the time SQLite alone needs (inject()).`);

  const app = buildApp({ store: injectStore, tiles: TILES });
  const authorization = await bearerToken(app);
  console.log(`\nBbox queries over the ${count.toLocaleString('en-US')} readings, first page (limit 5000), median of 11`);
  for (const [name, bbox] of [
    ['Montpellier area', MONTPELLIER],
    ['all of Hérault', HERAULT],
  ] as const) {
    const query = { bbox, limit: 5000 };
    const found = (await injectStore.query(query)).readings.length;
    const url = `/api/v1/readings?bbox=${bbox.minLon},${bbox.minLat},${bbox.maxLon},${bbox.maxLat}&limit=5000`;
    const storeMs = await medianMs(11, () => injectStore.query(query));
    const getMs = await medianMs(11, () => app.inject({ method: 'GET', url, headers: { authorization } }));
    console.log(
      `${name.padEnd(18)}${found.toLocaleString('en-US').padStart(6)} readings   store.query() ${storeMs.toFixed(1).padStart(6)} ms   GET (GeoJSON) ${getMs.toFixed(1).padStart(6)} ms`,
    );
  }
  console.log();
  await app.close();
  await injectStore.close();
}

const dir = await mkdtemp(join(tmpdir(), 'couverture-bench-'));
try {
  await printGridUpkeep(count, BATCH, dir);
  if (process.env.BENCH_INGEST_GRID_ONLY !== '1') await apiVsSqliteAlone(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
