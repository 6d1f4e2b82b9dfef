import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { createCommuneOutlines } from '../../src/server/communes/outlines.ts';
import { addUser, makeReport, openTestApp, postReports, TEST_OUTLINES, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * The server the API fuzz throws requests at: the real app on a real SQLite file, with one
 * account of each role signed in both ways, and one resource of each kind for the routes
 * that take an id. A second, read-only connection watches the file.
 */

export const ROLES = ['agent', 'reviewer', 'admin'] as const;
export type FuzzRole = (typeof ROLES)[number];

/** What a request says about who sends it. */
export type Auth =
  | { kind: 'none' }
  | { kind: 'session' | 'session-without-csrf' | 'session-wrong-csrf' | 'token'; role: FuzzRole }
  | { kind: 'unknown-token' | 'garbage-cookie' | 'garbage-authorization'; value: string };

export const CELL = cellIdAt(3.5494, 43.7339)!;

/** Tables whose row counts the fuzz follows, request by request. */
export const COUNTED = ['readings', 'reports', 'users', 'zones', 'campaigns', 'api_tokens'] as const;
export type Counts = Record<(typeof COUNTED)[number], number>;

export interface World {
  server: TestApp;
  app: FastifyInstance;
  sessions: Record<FuzzRole, Caller>;
  tokens: Record<FuzzRole, Caller>;
  /** An agent the admin routes may change (never one of the callers above). */
  target: Caller;
  ids: { zone: string; campaign: string; report: string; spareTokens: string[] };
  /** Changes whenever another connection commits (SQLite's PRAGMA data_version). */
  dataVersion(): number;
  /**
   * A digest of every table's content but the rate-limit counters (which count refused
   * requests too, by design): what "the database is unchanged" means.
   */
  contentDigest(): string;
  counts(): Counts;
  readingExists(id: string): boolean;
  close(): Promise<void>;
}

export async function openWorld(dir: string): Promise<World> {
  const server = await openTestApp(dir, { communeOutlines: createCommuneOutlines(TEST_OUTLINES) });
  const { app } = server;
  const report = makeReport();
  await postReports(app, [report]);
  const sessions = {
    agent: await addUser(app, { communes: ['34261'] }),
    reviewer: await addUser(app, { role: 'reviewer', departement: '34' }),
    admin: await addUser(app, { role: 'admin' }),
  };
  const tokens = {
    agent: await addUser(app, { communes: ['34261'] }, 'token'),
    reviewer: await addUser(app, { role: 'reviewer', departement: '34' }, 'token'),
    admin: await addUser(app, { role: 'admin' }, 'token'),
  };
  const target = await addUser(app, { communes: ['34010'] });
  const spareTokens: string[] = [];
  for (const caller of Object.values(tokens)) {
    // Each token is marked used on its first request, once a minute at most, and the test
    // clock stands still: after this, only the fuzzed requests themselves can write.
    await expectStatus(app.inject({ method: 'GET', url: '/api/v1/tokens', headers: caller.headers }), 200);
    const spare = await expectStatus(app.inject({ method: 'POST', url: '/api/v1/tokens', headers: caller.headers, payload: { name: 'à révoquer' } }), 201);
    spareTokens.push(spare.id);
  }
  const zone = await expectStatus(
    app.inject({ method: 'POST', url: '/api/v1/zones', headers: sessions.reviewer.headers, payload: { name: 'Vallée de l’Hérault', cells: [CELL], need: 'habitations' } }),
    201,
  );
  const campaign = await expectStatus(
    app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: sessions.reviewer.headers,
      payload: { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'free'] },
    }),
    201,
  );

  // The fuzz project runs on SQLite only: its file's change counter says whether anything was written.
  if (server.location.kind !== 'sqlite') throw new Error('The fuzz world watches a SQLite file');
  const watcher = new Database(server.location.file, { readonly: true, fileMustExist: true });
  const countStatements = COUNTED.map((table) => [table, watcher.prepare(`SELECT count(*) AS n FROM ${table}`)] as const);
  const readingById = watcher.prepare('SELECT 1 FROM readings WHERE id = ?');
  const contentTables = watcher
    .prepare<[], string>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT IN ('counters', 'server_secrets') ORDER BY name`,
    )
    .pluck()
    .all()
    .map((table) => watcher.prepare(`SELECT * FROM "${table}"`));
  return {
    server,
    app,
    sessions,
    tokens,
    target,
    ids: { zone: zone.id, campaign: campaign.id, report: report.id, spareTokens },
    dataVersion: () => watcher.pragma('data_version', { simple: true }) as number,
    contentDigest: () => {
      const hash = createHash('sha256');
      for (const statement of contentTables) hash.update(JSON.stringify(statement.raw().all()));
      return hash.digest('base64');
    },
    counts: () => Object.fromEntries(countStatements.map(([table, statement]) => [table, (statement.get() as { n: number }).n])) as Counts,
    readingExists: (id) => readingById.get(id) !== undefined,
    async close() {
      watcher.close();
      await server.close();
    },
  };
}

async function expectStatus(pending: Promise<{ statusCode: number; body: string; json(): { id: string } }>, status: number): Promise<{ id: string }> {
  const response = await pending;
  if (response.statusCode !== status) throw new Error(`préparation du fuzz : ${response.statusCode} ${response.body}`);
  return response.json();
}

/** The headers for an Auth; a `session` for sign-out is a fresh one, so the shared sessions survive. */
export async function headersFor(world: World, auth: Auth, fresh: boolean): Promise<Record<string, string>> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'token':
      return world.tokens[auth.role].headers;
    case 'unknown-token':
      return { authorization: `Bearer cvt_${auth.value}` };
    case 'garbage-authorization':
      return { authorization: auth.value };
    case 'garbage-cookie':
      return { cookie: `couverture_session=${auth.value}` };
    default: {
      const caller = world.sessions[auth.role];
      const headers = fresh ? (await addUser(world.app, { role: auth.role, ...(auth.role === 'agent' && { communes: ['34261'] }) })).headers : caller.headers;
      if (auth.kind === 'session') return headers;
      if (auth.kind === 'session-wrong-csrf') return { cookie: headers.cookie!, 'x-csrf-token': 'x'.repeat(43) };
      return { cookie: headers.cookie! };
    }
  }
}
