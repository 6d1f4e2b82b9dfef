/**
 * `npm run bench:load [-- DEVICES READINGS REVIEWERS]` (default 200 devices × 1,000 readings,
 * 8 reviewers): many devices syncing at once while reviewers look at the map, against the real
 * server (buildApp + SQLite in a temporary directory) in a child process on 127.0.0.1.
 * Prints throughput, median and p99 latency per route, errors (non-2xx, network, or an answer
 * that does not account for every reading sent), the server process's memory before, at its
 * peak and after the load, and checks that the database holds every reading exactly once.
 * Exits 1 on any error or a count that does not match. Everything is removed at the end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { devicePlan, Recorder, ROUTES, runDevice, runReviewer, type DeviceCounts } from './load-clients.ts';
import type { ServerCommand, ServerMessage } from './load-shared.ts';

const REVIEWER_THINK_MS = 1000;
/** The phone gives up on an upload after this long and sends the batch again later (UPLOAD_TIMEOUT_MS, src/sync/upload.ts). */
const PHONE_UPLOAD_TIMEOUT_MS = 30_000;

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

/** The server process, and a way to ask it something and wait for the answer of that type. */
function startServer(dataDir: string): {
  child: ChildProcess;
  next: <T extends ServerMessage['type']>(type: T, command?: ServerCommand) => Promise<Extract<ServerMessage, { type: T }>>;
} {
  const child = fork(new URL('./load-server.ts', import.meta.url).pathname, [dataDir, String(devices), String(reviewers)], {
    // BENCH_LOAD_CPU_PROF=DIR: a V8 CPU profile of the server process, to see where its time goes.
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const n = (value: number) => Math.round(value).toLocaleString('en-US');

// BENCH_LOAD_DIR=/dev/shm puts the database in memory: the difference with the disk is what the disk costs.
const dir = await mkdtemp(join(process.env.BENCH_LOAD_DIR ?? tmpdir(), 'couverture-bench-load-'));
let server: ReturnType<typeof startServer> | undefined;
let failed = false;
try {
  // Plans made before the clock starts, so generating readings costs the measure nothing.
  const plans = Array.from({ length: devices }, (_, device) => devicePlan(device, readingsPerDevice));
  const requestsPlanned = plans.reduce((sum, p) => sum + p.batches.length + p.resent.size + p.doubled.size, 0);
  const duplicatesPlanned = plans.reduce((sum, p) => sum + [...p.resent, ...p.doubled].reduce((s, b) => s + p.batches[b]!.length, 0), 0);

  server = startServer(dir);
  const ready = await server.next('ready');
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  const before = await server.next('memory', { type: 'memory', collect: true });
  server.child.send({ type: 'reset-peak' } satisfies ServerCommand);

  const recorder = new Recorder();
  const counts: DeviceCounts = { accepted: 0, duplicates: 0 };
  let devicesDone = false;
  const start = performance.now();
  const reviewing = Array.from({ length: reviewers }, (_, r) => runReviewer(recorder, baseUrl, ready.reviewerTokens[r]!, REVIEWER_THINK_MS, () => devicesDone));
  await Promise.all(plans.map((plan, device) => runDevice(recorder, baseUrl, ready.deviceTokens[device]!, plan, counts)));
  const seconds = (performance.now() - start) / 1000;
  devicesDone = true;
  const peak = await server.next('memory', { type: 'memory', collect: false });
  await Promise.all(reviewing);
  const after = await server.next('memory', { type: 'memory', collect: true });
  await server.next('stopped', { type: 'stop' });

  const db = new Database(join(dir, 'couverture.sqlite'), { readonly: true });
  const storedIds = new Set(db.prepare('SELECT id FROM readings').pluck().all() as string[]);
  const storedRows = db.prepare('SELECT count(*) FROM readings').pluck().get() as number;
  db.close();
  const expected = devices * readingsPerDevice;
  const missing = plans.reduce((sum, p) => sum + p.batches.flat().filter((r) => !storedIds.has(r.id)).length, 0);

  const uploads = recorder.latencies.get(ROUTES.upload)?.length ?? 0;
  console.log(
    `\nLoad: ${n(devices)} devices × ${n(readingsPerDevice)} readings (batches of 100–500; ${n(duplicatesPlanned)} readings sent again, ` +
      `once accepted or racing themselves), ${reviewers} reviewers (${REVIEWER_THINK_MS / 1000} s between queries); ` +
      `server in its own process, loopback, SQLite WAL in ${dir}; machine load average ${loadavg()[0]!.toFixed(1)} at start\n`,
  );
  console.log(`${'route'.padEnd(42)}${'requests'.padStart(9)}${'median'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}${'errors'.padStart(8)}`);
  for (const route of Object.values(ROUTES)) {
    const times = [...(recorder.latencies.get(route) ?? [])].sort((a, b) => a - b);
    const errors = recorder.errors.filter((e) => e.route === route).length;
    const ms = (v: number) => `${Number.isNaN(v) ? '–' : v.toFixed(0)} ms`.padStart(10);
    console.log(
      `${route.padEnd(42)}${n(times.length).padStart(9)}${ms(percentile(times, 50))}${ms(percentile(times, 99))}${ms(times.at(-1) ?? NaN)}${String(errors).padStart(8)}`,
    );
  }
  console.log(
    `\nThroughput: ${n(counts.accepted)} readings stored in ${seconds.toFixed(1)} s = ${n(counts.accepted / seconds)} readings/s; ` +
      `${n(recorder.requests / seconds)} requests/s (${n(uploads)} uploads of ${n(requestsPlanned)} planned, ${n(recorder.requests - uploads)} reviewer queries)`,
  );
  const slow = (recorder.latencies.get(ROUTES.upload) ?? []).filter((ms) => ms > PHONE_UPLOAD_TIMEOUT_MS).length;
  console.log(`Uploads slower than the phone's ${PHONE_UPLOAD_TIMEOUT_MS / 1000} s timeout (a phone would have sent them again): ${n(slow)} of ${n(uploads)}`);
  console.log(`Duplicates answered: ${n(counts.duplicates)} (expected ${n(duplicatesPlanned)})`);
  console.log(`Errors: ${recorder.errors.length}`);
  for (const { route, detail } of recorder.errors.slice(0, 10)) console.log(`  ${route}: ${detail}`);

  const cpuMs = peak.cpuMs - before.cpuMs;
  const cpu = (cpuMs / 1000 / seconds) * 100;
  console.log(
    `\nServer process: CPU ${cpu.toFixed(0)} % of one core during the load; event loop held up p50 ${peak.loopDelay.p50.toFixed(0)} ms, ` +
      `p99 ${peak.loopDelay.p99.toFixed(0)} ms, max ${peak.loopDelay.max.toFixed(0)} ms; ` +
      `${mb(peak.bytesWritten - before.bytesWritten)} written to disk`,
  );
  // CPU time per reading does not depend on what else the machine runs: it bounds what one core can take.
  console.log(
    `Server CPU per 1,000 readings stored (uploads and reviewer queries together): ${((cpuMs / counts.accepted) * 1000).toFixed(0)} ms, ` +
      `so one core fully given to the server would store about ${n(counts.accepted / (cpuMs / 1000))} readings/s under this mix`,
  );
  console.log(`${'memory'.padEnd(30)}${'RSS'.padStart(10)}${'heap used'.padStart(12)}${'heap total'.padStart(12)}${'external'.padStart(10)}`);
  const row = (label: string, m: { rss: number; heapUsed: number; heapTotal: number; external: number }) =>
    console.log(`${label.padEnd(30)}${mb(m.rss).padStart(10)}${mb(m.heapUsed).padStart(12)}${mb(m.heapTotal).padStart(12)}${mb(m.external).padStart(10)}`);
  row('before (accounts made, GC)', before.now);
  row('peak (sampled every 100 ms)', { ...peak.peak, rss: Math.max(peak.peak.rss, peak.peak.rssHighWater) });
  row('after (load over, GC)', after.now);

  const exact = storedRows === expected && storedIds.size === expected && missing === 0 && counts.accepted === expected;
  console.log(
    `\nDatabase: ${n(storedRows)} readings, expected ${n(devices)} × ${n(readingsPerDevice)} = ${n(expected)}; ` +
      `${n(missing)} missing, ${n(storedRows - storedIds.size)} stored twice, ${n(counts.accepted)} accepted in answers: ${exact ? 'exact' : 'MISMATCH'}\n`,
  );
  failed = !exact || recorder.errors.length > 0 || counts.duplicates !== duplicatesPlanned;
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  if (server && server.child.exitCode === null) server.child.kill();
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
