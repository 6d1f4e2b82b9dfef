import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts } from '../../../src/server/accounts.ts';
import { createCommunes } from '../../../src/server/communes/communes.ts';
import { openStore } from '../../../src/server/storage/open-store.ts';
import type { Store } from '../../../src/server/storage/store.ts';
import { startServerProcess, type ServerProcess } from '../../support/server-process.ts';
import { newTestLocation } from '../../support/test-store.ts';
import { makeReading, makeReport, TEST_CENTRES, TEST_PASSWORD, TEST_PASSWORD_COST, useTempDir } from '../fixtures.ts';

/**
 * Two `src/server/main.ts` processes on one PostgreSQL database, as behind a load balancer:
 * the same batches sent to both at once are stored once, a session opened on one is valid
 * on the other, and rate limits count a client's requests on both together.
 */

const tempDir = useTempDir();
const REPORT_LIMIT = 4;
const FAILURE_LIMIT = 3;

let store: Store;
let drop: () => Promise<void>;
let servers: ServerProcess[] = [];
let urls: string[] = [];

beforeAll(async () => {
  const made = await newTestLocation(tempDir(), 'postgres');
  drop = made.drop;
  if (made.location.kind !== 'postgres') throw new Error('unreachable');
  store = await openStore(made.location);
  const accounts = createAccounts({ store, communes: createCommunes(TEST_CENTRES), now: Date.now, sessionDays: 1, passwordCost: TEST_PASSWORD_COST });
  await accounts.createUser({ email: 'agent@example.fr', name: 'Agente', password: TEST_PASSWORD, role: 'agent', communes: ['34261'] });
  await accounts.createUser({ email: 'relectrice@example.fr', name: 'Relectrice', password: TEST_PASSWORD, role: 'reviewer', departement: '34' });

  const centres = join(tempDir(), 'centres.csv');
  writeFileSync(centres, ['code,lat,lon', ...TEST_CENTRES.map((c) => `${c.code},${c.lat},${c.lon}`)].join('\n'));
  const env = {
    DATABASE_URL: made.location.url,
    PORT: '0',
    STATIC_DIR: join(tempDir(), 'no-dist'),
    COMMUNE_CENTRES_FILE: centres,
    REPORT_RATE_MAX: String(REPORT_LIMIT),
    LOGIN_EMAIL_RATE_MAX: String(FAILURE_LIMIT),
  };
  servers = [startServerProcess(env), startServerProcess(env)];
  urls = await Promise.all(servers.map((server) => server.listening));
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all(servers.map((server) => server.stop()));
  await store?.close();
  await drop?.();
  expect(codes).toEqual([0, 0]);
});

async function call(server: number, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  return fetch(new URL(path, urls[server]), {
    ...rest,
    ...(json !== undefined && { method: rest.method ?? 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }),
  });
}

async function signIn(server: number, email: string): Promise<Record<string, string>> {
  const response = await call(server, '/api/v1/session', { json: { email, password: TEST_PASSWORD } });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, 'x-csrf-token': ((await response.json()) as { csrfToken: string }).csrfToken };
}

describe('two app processes on one PostgreSQL database', () => {
  it('share sessions: signed in on one, recognised on the other, signed out on both', async () => {
    const session = await signIn(0, 'agent@example.fr');
    const there = await call(1, '/api/v1/session', { headers: session });
    expect(there.status).toBe(200);
    expect(await there.json()).toMatchObject({ user: { email: 'agent@example.fr' } });
    expect((await call(1, '/api/v1/session', { method: 'DELETE', headers: session })).status).toBe(204);
    expect((await call(0, '/api/v1/session', { headers: session })).status).toBe(401);
  });

  it('store each reading once when the same batches reach both at the same moment', async () => {
    const agent = await signIn(0, 'agent@example.fr');
    // 1,200 readings in overlapping batches of 300 (each reading in two batches), every batch sent to both processes at once.
    const readings = Array.from({ length: 1200 }, (_, i) =>
      makeReading({ lat: 43.7 + (i % 40) * 0.002, lon: 3.52 + Math.floor(i / 40) * 0.002, signalDbm: -80 - (i % 40) }),
    );
    const batches: (typeof readings)[] = [];
    for (let start = 0; start < readings.length; start += 150) batches.push(readings.slice(start, start + 300));
    const answers = await Promise.all(
      batches.flatMap((batch) => [0, 1].map((server) => call(server, '/api/v1/readings', { headers: agent, json: { readings: batch } }))),
    );
    const accepted: string[] = [];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { accepted: string[]; duplicates: string[]; rejected: unknown[]; conflicts?: string[] };
      expect(body.rejected).toEqual([]);
      accepted.push(...body.accepted);
    }
    expect(accepted.sort()).toEqual(readings.map((r) => r.id).sort());

    const stored = new Set<string>();
    for (let cursor: string | undefined; ; ) {
      const page = await store.query({ limit: 500, ...(cursor !== undefined && { cursor }) });
      for (const reading of page.readings) stored.add(reading.id);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(stored.size).toBe(readings.length);

    // The grid counted each reading once too, whichever process stored it.
    const rows = await store.gridGroups({ resolutionM: 10_000, north: [0, 10_000_000], east: [0, 10_000_000], scope: { kind: 'all' } });
    expect(rows.reduce((sum, row) => sum + row.stats.readings, 0)).toBe(readings.length);
    // And both processes answer the reviewer the same cells.
    const reviewer = await signIn(1, 'relectrice@example.fr');
    const cells = await Promise.all(
      [0, 1].map((server) => call(server, '/api/v1/cells?bbox=3.5,43.6,3.7,43.8&resolution=1000', { headers: reviewer }).then((r) => r.text())),
    );
    expect(cells[0]).toBe(cells[1]);
    expect(JSON.parse(cells[0]!).features.length).toBeGreaterThan(0);
  });

  it('count a client’s residents’ reports on both processes together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REPORT_LIMIT + 2; i += 1) {
      statuses.push((await call(i % 2, '/api/v1/reports', { json: { reports: [makeReport()] } })).status);
    }
    expect(statuses).toEqual([...Array<number>(REPORT_LIMIT).fill(200), 429, 429]);
  });

  it('count failed sign-ins for one e-mail on both processes together', async () => {
    for (let i = 0; i < FAILURE_LIMIT; i += 1) {
      expect((await call(i % 2, '/api/v1/session', { json: { email: 'relectrice@example.fr', password: 'pas le bon' } })).status).toBe(401);
    }
    for (const server of [0, 1]) {
      const refused = await call(server, '/api/v1/session', { json: { email: 'relectrice@example.fr', password: TEST_PASSWORD } });
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: string }).error).toMatch(/^Trop d’essais pour ce compte/);
    }
  });
});
