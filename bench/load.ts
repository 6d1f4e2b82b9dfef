/**
 * `npm run bench:load [-- DEVICES READINGS REVIEWERS]` (default 200 devices × 1,000 readings,
 * 8 reviewers): many devices syncing at once while reviewers look at the map, against the real
 * server (buildApp) in child processes on 127.0.0.1.
 *
 * BENCH_LOAD_RUNS lists the setups to load, one after the other in the same run, each on a
 * fresh database, so that a figure stands beside its baseline measured under the same machine
 * load: `sqlite:1` (default; SQLite in a temporary directory, one process, as SQLite allows),
 * `postgres:N` (N server processes on one throwaway schema of BENCH_LOAD_POSTGRES_URL, else
 * COUVERTURE_TEST_POSTGRES_URL; the schema is dropped at the end); `:all-at-once` after either
 * lets every upload in at once, as before upload turns (src/server/routes/upload-admission.ts),
 * e.g. `BENCH_LOAD_RUNS=postgres:2:all-at-once,postgres:2`. With several processes,
 * each listens on its own port and the clients send each request to the next process in turn:
 * what nginx's `upstream` without stickiness does (deploy/nginx/couverture.conf).
 *
 * The devices empty their outboxes as the app does (bench/load-clients.ts): batches of 500,
 * the phone's 30 s timeout, its back-off before sending again, 5 % of answers lost on the way
 * back. Prints per setup: uploads over 30 s, p50/p95/max upload time (and p95 of those answered
 * 200, without the quick 503s « come back later »), 5xx, per-route latency,
 * server CPU and memory, readings acknowledged to the phones vs stored (equal, each once), and
 * the machine's load average (`uptime`); then the setups side by side. Exits 1 on any error or
 * a count that does not match. Everything is removed at the end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { UPLOAD_TIMEOUT_MS } from '../src/sync/upload.ts';
import { deviceCounts, devicePlan, Recorder, ROUTES, runDevice, runReviewer, type DevicePlan } from './load-clients.ts';
import type { BenchStore, ServerArguments, ServerCommand, ServerMessage } from './load-shared.ts';
import { percentile } from './percentile.ts';

const REVIEWER_THINK_MS = 1000;

function argument(index: number, fallback: number, min: number): number {
  const raw = process.argv[2 + index];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`Usage: npm run bench:load -- [devices ≥ 1] [readings per device ≥ 1] [reviewers ≥ 0]; got « ${raw} »`);
    process.exit(1);
  }
  return value;
}
const devices = argument(0, 200, 1);
const readingsPerDevice = argument(1, 1000, 1);
const reviewers = argument(2, 8, 0);

interface Setup {
  store: 'sqlite' | 'postgres';
  processes: number;
  allAtOnce: boolean;
  label: string;
}

function setups(raw: string): Setup[] {
  return raw.split(',').map((item) => {
    const match = /^(sqlite|postgres):([1-8])(:all-at-once)?$/.exec(item.trim());
    if (!match || (match[1] === 'sqlite' && match[2] !== '1')) {
      console.error(
        `BENCH_LOAD_RUNS: « ${item} » : attendu sqlite:1 ou postgres:N (N de 1 à 8), suivis ou non de :all-at-once, séparés par des virgules ; SQLite n'a qu'un processus`,
      );
      process.exit(1);
    }
    const processes = Number(match[2]);
    const allAtOnce = match[3] !== undefined;
    return {
      store: match[1] as Setup['store'],
      processes,
      allAtOnce,
      label: `${match[1] === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${processes} process${processes > 1 ? 'es' : ''}${allAtOnce ? ', all at once' : ''}`,
    };
  });
}
const runs = setups(process.env.BENCH_LOAD_RUNS ?? 'sqlite:1');
const postgresUrl = process.env.BENCH_LOAD_POSTGRES_URL ?? process.env.COUVERTURE_TEST_POSTGRES_URL;
if (runs.some((run) => run.store === 'postgres') && !postgresUrl) {
  console.error(
    'BENCH_LOAD_RUNS=postgres:N demande une base où créer un schéma jetable : BENCH_LOAD_POSTGRES_URL=postgres://… (ou COUVERTURE_TEST_POSTGRES_URL)',
  );
  process.exit(1);
}

/** A server process, and a way to ask it something and wait for the answer of that type. */
interface ServerProcess {
  child: ChildProcess;
  next: <T extends ServerMessage['type']>(type: T, command?: ServerCommand) => Promise<Extract<ServerMessage, { type: T }>>;
}

function startServer(args: ServerArguments): ServerProcess {
  const child = fork(new URL('./load-server.ts', import.meta.url).pathname, [JSON.stringify(args)], {
    // BENCH_LOAD_CPU_PROF=DIR: a V8 CPU profile of each server process, to see where its time goes.
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_LOAD_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_LOAD_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ServerMessage['type']>(type: T, command?: ServerCommand) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type === 'failed') reject(new Error(`server: ${message.error}`));
        else if (message.type === type) resolve(message as Extract<ServerMessage, { type: T }>);
        else return;
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onExit = (code: number | null) => reject(new Error(`the server process ended (exit ${code}) before answering « ${type} »`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (command) child.send(command);
    });
  return { child, next };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const s1 = (ms: number) => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(1)} s`);
const load = () => loadavg()[0]!.toFixed(1);

/** One setup's figures, for the table that puts the setups side by side. */
interface Outcome {
  label: string;
  uploads: number;
  overTimeout: number;
  p50: number;
  p95: number;
  max: number;
  /** p95 of the uploads answered 200 alone (those that stored or acknowledged readings). */
  p95Answered: number;
  unavailable: number;
  errors: number;
  acknowledged: number;
  stored: number;
  exact: boolean;
  seconds: number;
  loadAtStart: string;
  loadAtEnd: string;
}

/** The ids the database holds, and its row count (an id stored twice would count twice). */
async function storedReadings(where: BenchStore): Promise<{ ids: Set<string>; rows: number }> {
  if (where.kind === 'sqlite') {
    const db = new Database(where.file, { readonly: true });
    try {
      return {
        ids: new Set(db.prepare('SELECT id FROM readings').pluck().all() as string[]),
        rows: db.prepare('SELECT count(*) FROM readings').pluck().get() as number,
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: where.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${where.schema}.readings`);
    return { ids: new Set(rows.map((row) => row.id)), rows: rows.length };
  } finally {
    await client.end();
  }
}

async function withPostgres(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function loadOnce(setup: Setup, plans: DevicePlan[]): Promise<Outcome> {
  const dir = await mkdtemp(join(process.env.BENCH_LOAD_DIR ?? tmpdir(), 'couverture-bench-load-'));
  const where: BenchStore =
    setup.store === 'sqlite'
      ? { kind: 'sqlite', file: join(dir, 'couverture.sqlite') }
      : { kind: 'postgres', url: postgresUrl!, schema: `bench_load_${randomUUID().replaceAll('-', '')}` };
  const servers: ServerProcess[] = [];
  try {
    // The first process migrates and makes the accounts; the others join the database it made.
    const first = startServer({ store: where, devices, reviewers, makeAccounts: true, allAtOnce: setup.allAtOnce });
    servers.push(first);
    const ready = await first.next('ready');
    const ports = [ready.port];
    for (let p = 1; p < setup.processes; p += 1) {
      const other = startServer({ store: where, devices, reviewers, makeAccounts: false, allAtOnce: setup.allAtOnce });
      servers.push(other);
      ports.push((await other.next('ready')).port);
    }
    let turn = 0;
    const serverUrl = () => `http://127.0.0.1:${ports[turn++ % ports.length]}`;

    const before = await Promise.all(servers.map((server) => server.next('memory', { type: 'memory', collect: true })));
    for (const server of servers) server.child.send({ type: 'reset-peak' } satisfies ServerCommand);

    const recorder = new Recorder();
    const counts = deviceCounts();
    let devicesDone = false;
    const loadAtStart = load();
    const start = performance.now();
    const reviewing = Array.from({ length: reviewers }, (_, r) =>
      runReviewer(recorder, serverUrl, ready.reviewerTokens[r]!, REVIEWER_THINK_MS, () => devicesDone),
    );
    await Promise.all(plans.map((plan, device) => runDevice(recorder, serverUrl, ready.deviceTokens[device]!, plan, counts)));
    const seconds = (performance.now() - start) / 1000;
    const loadAtEnd = load();
    devicesDone = true;
    const peak = await Promise.all(servers.map((server) => server.next('memory', { type: 'memory', collect: false })));
    await Promise.all(reviewing);
    const after = await Promise.all(servers.map((server) => server.next('memory', { type: 'memory', collect: true })));
    await Promise.all(servers.map((server) => server.next('stopped', { type: 'stop' })));

    const stored = await storedReadings(where);
    const expected = devices * readingsPerDevice;
    const missing = plans.reduce((sum, p) => sum + p.readings.filter((r) => !stored.ids.has(r.id)).length, 0);
    const uploadTimes = [...(recorder.latencies.get(ROUTES.upload) ?? [])].sort((a, b) => a - b);
    const overTimeout = counts.timedOut;

    console.log(
      `\n== ${setup.label}: ${n(devices)} devices × ${n(readingsPerDevice)} readings, ${reviewers} reviewers; ` +
        `${where.kind === 'sqlite' ? `SQLite WAL in ${dir}` : `PostgreSQL schema ${where.schema}`}; load average ${loadAtStart} at start, ${loadAtEnd} at end\n`,
    );
    console.log(
      `${'route'.padEnd(42)}${'requests'.padStart(9)}${'median'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}${'errors'.padStart(8)}`,
    );
    for (const route of Object.values(ROUTES)) {
      const times = [...(recorder.latencies.get(route) ?? [])].sort((a, b) => a - b);
      const errors = recorder.errors.filter((e) => e.route === route).length;
      const ms = (v: number) => `${Number.isNaN(v) ? '–' : v.toFixed(0)} ms`.padStart(10);
      console.log(
        `${route.padEnd(42)}${n(times.length).padStart(9)}${ms(percentile(times, 50))}${ms(percentile(times, 95))}${ms(percentile(times, 99))}${ms(times.at(-1) ?? NaN)}${String(errors).padStart(8)}`,
      );
    }
    const done = [...counts.deviceDone].sort((a, b) => a - b);
    const answered = [...counts.answeredMs].sort((a, b) => a - b);
    console.log(
      `\nUploads given up at the phone's ${UPLOAD_TIMEOUT_MS / 1000} s timeout (sent again after the back-off): ${n(overTimeout)} of ${n(uploadTimes.length)}; ` +
        `answered 5xx/429: ${n(counts.unavailable)}; answers lost on the way back (planned): ${n(counts.lostAnswers)}`,
    );
    console.log(
      `Uploads answered 200 (readings stored or acknowledged): ${n(answered.length)}, median ${s1(percentile(answered, 50))}, p95 ${s1(percentile(answered, 95))}, max ${s1(answered.at(-1) ?? NaN)}`,
    );
    console.log(
      `Throughput: ${n(expected)} readings in ${seconds.toFixed(1)} s = ${n(expected / seconds)} readings/s; ` +
        `a device's whole outbox acknowledged after median ${s1(percentile(done, 50))}, p95 ${s1(percentile(done, 95))}, max ${s1(done.at(-1) ?? NaN)}`,
    );
    console.log(`Errors: ${recorder.errors.length}`);
    for (const { route, detail } of recorder.errors.slice(0, 10)) console.log(`  ${route}: ${detail}`);

    for (let p = 0; p < servers.length; p += 1) {
      const cpuMs = peak[p]!.cpuMs - before[p]!.cpuMs;
      const rssPeak = Math.max(peak[p]!.peak.rss, peak[p]!.peak.rssHighWater);
      console.log(
        `Server process ${p + 1}: CPU ${((cpuMs / 1000 / seconds) * 100).toFixed(0)} % of one core, ${((cpuMs / expected) * 1000).toFixed(0)} ms per 1,000 readings stored; ` +
          `event loop held up p99 ${peak[p]!.loopDelay.p99.toFixed(0)} ms, max ${peak[p]!.loopDelay.max.toFixed(0)} ms; ` +
          `RSS ${mb(before[p]!.now.rss)} before, ${mb(rssPeak)} at the peak, ${mb(after[p]!.now.rss)} after` +
          (where.kind === 'sqlite' ? `; ${mb(peak[p]!.bytesWritten - before[p]!.bytesWritten)} written to disk` : ''),
      );
    }

    // Acknowledged: what the phones dropped from their outboxes. Answers lost or given up on
    // may have stored readings no answer the phone saw called accepted: those came back as duplicates.
    const exact =
      stored.rows === expected &&
      stored.ids.size === expected &&
      missing === 0 &&
      counts.acknowledged.size === expected &&
      counts.accepted <= expected &&
      (overTimeout > 0 || counts.accepted === expected);
    console.log(
      `Database: ${n(stored.rows)} readings stored, ${n(counts.acknowledged.size)} acknowledged to the phones, expected ${n(expected)}; ` +
        `${n(missing)} missing, ${n(stored.rows - stored.ids.size)} stored twice, ${n(counts.accepted)} « accepted » in the answers, ${n(counts.duplicates)} « duplicates »: ` +
        `${exact ? 'exact' : 'MISMATCH'}`,
    );
    return {
      label: setup.label,
      uploads: uploadTimes.length,
      overTimeout,
      p50: percentile(uploadTimes, 50),
      p95: percentile(uploadTimes, 95),
      max: uploadTimes.at(-1) ?? NaN,
      p95Answered: percentile(answered, 95),
      unavailable: counts.unavailable,
      errors: recorder.errors.length,
      acknowledged: counts.acknowledged.size,
      stored: stored.rows,
      exact,
      seconds,
      loadAtStart,
      loadAtEnd,
    };
  } finally {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill();
    await rm(dir, { recursive: true, force: true });
    if (where.kind === 'postgres') await withPostgres(where.url, (client) => client.query(`DROP SCHEMA IF EXISTS ${where.schema} CASCADE`));
  }
}

let failed = false;
try {
  // Plans made before the clock starts, so generating readings costs the measure nothing.
  const outcomes: Outcome[] = [];
  for (const setup of runs) {
    const plans = Array.from({ length: devices }, (_, device) => devicePlan(device, readingsPerDevice));
    outcomes.push(await loadOnce(setup, plans));
  }
  console.log(`\n${n(devices)} devices × ${n(readingsPerDevice)} readings, ${reviewers} reviewers, each setup on a fresh database, one after the other:\n`);
  const columns = [
    'setup',
    'uploads',
    `> ${UPLOAD_TIMEOUT_MS / 1000} s`,
    'p50',
    'p95',
    'max',
    'p95 200',
    '5xx',
    'errors',
    'acknowledged',
    'stored',
    'time',
    'load avg',
  ];
  const widths = [40, 9, 8, 9, 9, 9, 9, 6, 8, 14, 10, 9, 12];
  const line = (cells: string[]) => console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(''));
  line(columns);
  for (const o of outcomes) {
    line([
      o.label,
      n(o.uploads),
      n(o.overTimeout),
      s1(o.p50),
      s1(o.p95),
      s1(o.max),
      s1(o.p95Answered),
      n(o.unavailable),
      n(o.errors),
      `${n(o.acknowledged)}${o.exact ? '' : ' ✗'}`,
      n(o.stored),
      `${o.seconds.toFixed(0)} s`,
      `${o.loadAtStart} → ${o.loadAtEnd}`,
    ]);
  }
  console.log('');
  failed = outcomes.some((o) => !o.exact || o.errors > 0);
} catch (error) {
  console.error(error);
  failed = true;
}
process.exit(failed ? 1 : 0);
