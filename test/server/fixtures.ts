import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../src/domain/account.ts';
import { API_ANSWERS } from '../../src/domain/api/index.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { createCommunes, type Centre } from '../../src/server/communes/communes.ts';
import type { CommuneOutlineFeature } from '../../src/server/communes/outlines.ts';
import { DEFAULT_SECURITY, type SecuritySettings } from '../../src/server/config.ts';
import type { StoreLocation } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { newTestLocation, openTestStore, TEST_STORE_KIND } from '../support/test-store.ts';

/** The server's clock in tests: readings are recorded a little before it. */
export const NOW = Date.parse('2026-05-04T12:00:00Z');

export const TEST_TILES = { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'Tuiles de test', maxZoom: 18 };

/** A valid reading (4G, 3 bars, Saint-Guilhem-le-Désert) with a fresh id. */
export function makeReading(overrides: Partial<Reading> = {}): Reading {
  return {
    id: randomUUID(),
    recordedAt: '2026-05-04T10:15:00.000+02:00',
    lat: 43.7339,
    lon: 3.5494,
    accuracyM: 12,
    operator: 'orange',
    technology: '4G',
    signalDbm: -105,
    setting: 'outdoor',
    voice: 'ok',
    source: 'agent',
    ...overrides,
  };
}

/** A fresh temporary directory for the calling test file, removed after its last test. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'couverture-server-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useTempDir(): the directory exists only while tests run');
    return dir;
  };
}

/**
 * Empty databases of the kind the tests run on, as the command-line scripts and main.ts find
 * them from their environment (DATA_DIR, or DATABASE_URL on PostgreSQL); each test's are
 * dropped after it.
 */
export interface CommandDatabase {
  env: Record<string, string>;
  location: StoreLocation;
}

export function useCommandDatabases(tempDir: () => string): () => Promise<CommandDatabase> {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const drop of drops.splice(0).reverse()) await drop();
  });
  return async (): Promise<CommandDatabase> => {
    if (TEST_STORE_KIND === 'postgres') {
      const made = await newTestLocation(tempDir(), 'postgres');
      drops.push(made.drop);
      if (made.location.kind !== 'postgres') throw new Error('unreachable');
      return { env: { DATABASE_URL: made.location.url }, location: made.location };
    }
    const dataDir = await mkdtemp(join(tempDir(), 'data-'));
    return { env: { DATA_DIR: dataDir }, location: { kind: 'sqlite', file: join(dataDir, 'couverture.sqlite') } };
  };
}

/** A few real commune centres (Hérault, and Nîmes in the Gard) for placing readings in tests. */
export const TEST_CENTRES: Centre[] = [
  { code: '34261', lat: 43.7339, lon: 3.5494 }, // Saint-Guilhem-le-Désert: where makeReading() records
  { code: '34010', lat: 43.6856, lon: 3.5869 }, // Aniane
  { code: '34172', lat: 43.6109, lon: 3.8772 }, // Montpellier
  { code: '34003', lat: 43.3108, lon: 3.4758 }, // Agde
  { code: '30189', lat: 43.8367, lon: 4.3601 }, // Nîmes
];
/**
 * Two commune outlines as geo.api.gouv.fr serves them (code, nom; rough squares here): a
 * Polygon for Saint-Guilhem-le-Désert and a MultiPolygon for Aniane.
 */
export const TEST_OUTLINES: CommuneOutlineFeature[] = [
  {
    type: 'Feature',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [3.5, 43.7],
          [3.6, 43.7],
          [3.6, 43.78],
          [3.5, 43.78],
          [3.5, 43.7],
        ],
      ],
    },
    properties: { code: '34261', nom: 'Saint-Guilhem-le-Désert' },
  },
  {
    type: 'Feature',
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [3.55, 43.65],
            [3.62, 43.65],
            [3.62, 43.7],
            [3.55, 43.7],
            [3.55, 43.65],
          ],
        ],
        [
          [
            [3.63, 43.66],
            [3.64, 43.66],
            [3.64, 43.67],
            [3.63, 43.66],
          ],
        ],
      ],
    },
    properties: { code: '34010', nom: 'Aniane' },
  },
];
export const SAINT_GUILHEM = { lat: 43.7339, lon: 3.5494 };
export const MONTPELLIER = { lat: 43.6109, lon: 3.8772 };
export const NIMES = { lat: 43.8367, lon: 4.3601 };

/** Cheap enough for tests; the stored hash says which cost made it. */
export const TEST_PASSWORD_COST = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_PASSWORD = 'mot de passe de test';

/** Limits high enough never to get in the way, except in tests that lower them. */
export const RELAXED_SECURITY: SecuritySettings = {
  ...DEFAULT_SECURITY,
  rateLimits: {
    reports: { max: 10_000, windowS: 60 },
    login: { max: 10_000, windowS: 60 },
    loginFailuresPerEmail: { max: 10_000, windowS: 60 },
    publicReads: { max: 10_000, windowS: 60 },
    probe: { max: 10_000, windowS: 60 },
    qos: { max: 10_000, windowS: 60 },
  },
};

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  /** Where the store keeps its data (a SQLite file, or a PostgreSQL schema: see test/support/test-store.ts). */
  location: StoreLocation;
  close(): Promise<void>;
}

/**
 * The real app on a new store (SQLite file in `dir`, or a fresh PostgreSQL schema when the
 * tests run on PostgreSQL), with the test clock and tiles. `options.store` replaces it.
 */
export async function openTestApp(dir: string, options: Partial<AppOptions> = {}): Promise<TestApp> {
  const opened = await openTestStore(dir);
  const store = options.store ?? opened.store;
  const app = buildApp({
    store,
    tiles: TEST_TILES,
    now: () => NOW,
    communes: createCommunes(TEST_CENTRES),
    passwordCost: TEST_PASSWORD_COST,
    security: RELAXED_SECURITY,
    // A write is seen at the next view (test/server/cells-stale.test.ts turns stale answers on).
    cellsStaleSeconds: 0,
    // Nor rebuilt in the background (test/server/cells-warm.test.ts turns that on).
    cellsWarm: { minutes: 0 },
    ...options,
  });
  checkAnswersAgainstContract(app);
  return {
    app,
    store,
    location: opened.location,
    async close() {
      await app.close();
      if (store !== opened.store) await store.close();
      await opened.dispose();
    },
  };
}

/**
 * Opens the calling file's test apps (openTestApp in `tempDir()`), each closed after the test
 * that opened it; closing one earlier in the test is allowed (its close runs once).
 */
export function useTestApps(tempDir: () => string): (options?: Partial<AppOptions>) => Promise<TestApp> {
  const opened: TestApp[] = [];
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
  });
  return async (options) => {
    const app = await openTestApp(tempDir(), options);
    let closing: Promise<void> | undefined;
    const once: TestApp = { ...app, close: () => (closing ??= app.close()) };
    opened.push(once);
    return once;
  };
}

/**
 * Every successful JSON answer of a route the contract lists (src/domain/api/) is parsed by its
 * schema, in every server test that goes through openTestApp: an answer that strays from the
 * contract turns into a 500 whose message names the route and the fields at fault.
 */
export function checkAnswersAgainstContract(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const schema = API_ANSWERS[`${request.method} ${request.routeOptions.url ?? ''}`];
    if (!schema || reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    const result = v.safeParse(schema, JSON.parse(payload));
    if (result.success) return payload;
    const fields = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(racine)'} : ${issue.message}`).join(' ; ');
    reply.code(500);
    return JSON.stringify({ error: `Réponse hors contrat (src/domain/api/) de ${request.method} ${request.routeOptions.url} : ${fields}` });
  });
}

/** Someone signed in: the headers to send as them (cookie and CSRF token, or a bearer token). */
export interface Caller {
  id: string;
  email: string;
  headers: Record<string, string>;
}

export interface UserSpec {
  role?: Role;
  communes?: string[];
  departement?: string;
  email?: string;
}

let users = 0;

/** Creates an account (through app.accounts, as the browser tests do) and signs it in. */
export async function addUser(app: FastifyInstance, spec: UserSpec = {}, via: 'session' | 'token' = 'session'): Promise<Caller> {
  const role = spec.role ?? 'agent';
  const email = spec.email ?? `${role}-${++users}@example.fr`;
  const { id } = await app.accounts.createUser({
    email,
    name: `Personne ${users}`,
    password: TEST_PASSWORD,
    role,
    ...(role === 'agent' && { communes: spec.communes ?? ['34261'] }),
    ...(role === 'reviewer' && { departement: spec.departement ?? '34' }),
  });
  if (via === 'token') return { id, email, headers: await bearerFor(app, email) };
  return { id, email, headers: await signIn(app, email) };
}

/** Signs in; answers the cookie and CSRF headers to send with the session. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Record<string, string>> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  expect(response.statusCode, response.body).toBe(200);
  return { cookie: sessionCookie(response), 'x-csrf-token': response.json().csrfToken };
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const text = Array.isArray(header) ? header[0]! : header!;
  return text.split(';')[0]!;
}

async function bearerFor(app: FastifyInstance, email: string): Promise<Record<string, string>> {
  const session = await signIn(app, email);
  const response = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: session, payload: { name: 'tests', password: TEST_PASSWORD } });
  expect(response.statusCode, response.body).toBe(201);
  return { authorization: `Bearer ${response.json().token}` };
}

export function postReadings(app: FastifyInstance, readings: unknown[], caller: Pick<Caller, 'headers'>): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/readings', headers: caller.headers, payload: { readings } });
}

/** A valid resident's report at Saint-Guilhem-le-Désert with a fresh id. */
export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    id: randomUUID(),
    reportedAt: '2026-05-04T10:15:00.000+02:00',
    lat: 43.7339,
    lon: 3.5494,
    accuracyM: 15,
    positionSource: 'gps',
    operator: 'sfr',
    problem: 'no-signal',
    setting: 'outdoor',
    ...overrides,
  };
}

export function postReports(app: FastifyInstance, reports: unknown[], headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: { reports } });
}
