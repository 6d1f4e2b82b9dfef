/**
 * A server process under load, run by bench/load.ts as a child process (fork, IPC) so that its
 * memory and CPU are its own, not mixed with the load generator's. It opens the store it is
 * given (a SQLite file, or a PostgreSQL schema shared with the run's other processes), the
 * first process makes the accounts (one agent and one API token per device, a few reviewers
 * of the Hérault), then it listens on 127.0.0.1 and answers the parent's messages: memory
 * figures, then stop. Started with --expose-gc, so that "before" and "after" are measured on a
 * collected heap rather than on whatever garbage happens to be waiting.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../src/server/app.ts';
import { createCommunes } from '../src/server/communes/communes.ts';
import { openPostgresStore } from '../src/server/storage/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { CENTRES, type BenchStore, type MemoryFigures, type ServerArguments, type ServerCommand, type ServerMessage } from './load-shared.ts';

const { store: where, devices, reviewers, makeAccounts, allAtOnce } = JSON.parse(process.argv[2]!) as ServerArguments;
const send = (message: ServerMessage) => process.send!(message);

function memoryNow(): MemoryFigures {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

/**
 * The kernel's own high-water mark of the resident set: a sample every 100 ms can miss a
 * peak while the event loop is busy in SQLite, VmHWM cannot. Linux only; 0 elsewhere.
 */
function rssHighWater(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D+/g, '')) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Bytes this process had the kernel write to disk so far (/proc/self/io); 0 where unknown. */
function bytesWritten(): number {
  try {
    const line = readFileSync('/proc/self/io', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('write_bytes:'));
    return line ? Number(line.replace(/\D+/g, '')) : 0;
  } catch {
    return 0;
  }
}

/** Resets VmHWM to the current RSS (5 into clear_refs), so the peak is the load's, not the setup's. */
function resetRssHighWater(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the sampled peak stands alone.
  }
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

let peak = memoryNow();
const sampler = setInterval(() => {
  const now = memoryNow();
  peak = {
    rss: Math.max(peak.rss, now.rss),
    heapUsed: Math.max(peak.heapUsed, now.heapUsed),
    heapTotal: Math.max(peak.heapTotal, now.heapTotal),
    external: Math.max(peak.external, now.external),
  };
}, 100);

/** The store as main.ts opens it (openStore), the schema aside: PostgreSQL's pool at its default size. */
function openBenchStore(location: BenchStore): Store | Promise<Store> {
  return location.kind === 'sqlite' ? openSqliteStore(location.file) : openPostgresStore(location.url, { schema: location.schema });
}

async function start() {
  const store = await openBenchStore(where);
  const communes = createCommunes([...CENTRES]);
  const app = buildApp({
    store,
    communes,
    tiles: { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'bench', maxZoom: 19 },
    // Errors only, on stderr: a 5xx under load shows its cause here.
    logger: { level: 'error' },
    // 200 accounts to create before the clock starts: a cheap scrypt (sign-ins are not measured).
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    ...(allAtOnce && { uploadAdmission: { atOnce: Number.MAX_SAFE_INTEGER, maxWaitMs: Number.MAX_SAFE_INTEGER } }),
  });

  if (!makeAccounts) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    answerCommands(app, store);
    send({ type: 'ready', port: (app.server.address() as AddressInfo).port, deviceTokens: [], reviewerTokens: [] });
    return;
  }
  await app.accounts.createUser({ email: 'admin@load.test', name: 'Admin du banc', password: 'mot de passe du banc', role: 'admin' });
  const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'admin@load.test', password: 'mot de passe du banc' } });
  if (session.statusCode !== 200) throw new Error(`admin sign-in: ${session.statusCode} ${session.body}`);
  const headers = { cookie: String(session.headers['set-cookie']).split(';')[0]!, 'x-csrf-token': session.json().csrfToken as string };
  const tokenFor = async (userId: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: { name: 'banc de charge', userId, password: 'mot de passe du banc' },
    });
    if (response.statusCode !== 201) throw new Error(`token: ${response.statusCode} ${response.body}`);
    return `Bearer ${response.json().token as string}`;
  };

  const deviceTokens: string[] = [];
  for (let i = 0; i < devices; i += 1) {
    const commune = CENTRES[i % CENTRES.length]!.code;
    const { id } = await app.accounts.createUser({
      email: `agent-${i}@load.test`,
      name: `Agent ${i}`,
      password: 'mot de passe du banc',
      role: 'agent',
      communes: [commune],
    });
    deviceTokens.push(await tokenFor(id));
  }
  const reviewerTokens: string[] = [];
  for (let i = 0; i < reviewers; i += 1) {
    const { id } = await app.accounts.createUser({
      email: `reviewer-${i}@load.test`,
      name: `Relecteur ${i}`,
      password: 'mot de passe du banc',
      role: 'reviewer',
      departement: '34',
    });
    reviewerTokens.push(await tokenFor(id));
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  answerCommands(app, store);
  send({ type: 'ready', port: (app.server.address() as AddressInfo).port, deviceTokens, reviewerTokens });
}

/** The parent's questions (memory figures) and its order to stop. */
function answerCommands(app: { close(): Promise<unknown> }, store: Store): void {
  process.on('message', async (command: ServerCommand) => {
    if (command.type === 'memory') {
      if (command.collect) globalThis.gc?.();
      const { user, system } = process.cpuUsage();
      send({
        type: 'memory',
        now: memoryNow(),
        peak: { ...peak, rssHighWater: rssHighWater() },
        cpuMs: (user + system) / 1000,
        bytesWritten: bytesWritten(),
        loopDelay: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      });
    } else if (command.type === 'reset-peak') {
      peak = memoryNow();
      resetRssHighWater();
      loopDelay.reset();
    } else {
      clearInterval(sampler);
      await app.close();
      await store.close();
      send({ type: 'stopped' });
      process.disconnect();
    }
  });
}

start().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
