import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { createCommuneOutlines } from '../../src/server/communes/outlines.ts';
import { addUser, makeReport, openTestApp, postReports, signIn, TEST_OUTLINES, TEST_PASSWORD, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * The server the API fuzz throws requests at: the real app on a real store (a SQLite file, or
 * a PostgreSQL schema in the `fuzz-postgres` project), with one account of each role signed
 * in both ways, and one resource of each kind for the routes that take an id. A second
 * connection, of the test's own, watches the data.
 */

export const ROLES = ['agent', 'reviewer', 'admin'] as const;
export type FuzzRole = (typeof ROLES)[number];

/** What a request says about who sends it. */
export type Auth =
  | { kind: 'none' }
  | { kind: 'session' | 'session-without-csrf' | 'session-wrong-csrf' | 'token'; role: FuzzRole }
  | { kind: 'unknown-token' | 'garbage-cookie' | 'garbage-authorization'; value: string };

export const CELL = cellIdAt(3.5494, 43.7339)!;
export const TARGET_EMAIL = 'agent-fuzz-cible@example.fr';

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
  /**
   * Moves whenever a write commits: SQLite's PRAGMA data_version (another connection's
   * commits only); on PostgreSQL the next transaction id of the whole server, which other
   * databases' writers move too, so there it only proves something when it stands still.
   */
  commitMark(): Promise<number>;
  /**
   * A digest of every table's content but the rate-limit counters (which count refused
   * requests too, by design) and the migrations' bookkeeping: what "the database is
   * unchanged" means.
   */
  contentDigest(): Promise<string>;
  counts(): Promise<Counts>;
  readingExists(id: string): Promise<boolean>;
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
  // The address POST /api/v1/session's seed signs in with, so that sign-ins can succeed too.
  const target = await addUser(app, { communes: ['34010'], email: TARGET_EMAIL });
  const spareTokens: string[] = [];
  for (const caller of Object.values(tokens)) {
    // Each token is marked used on its first request, once a minute at most, and the test
    // clock stands still: after this, only the fuzzed requests themselves can write.
    await expectStatus(app.inject({ method: 'GET', url: '/api/v1/tokens', headers: caller.headers }), 200);
    // A token makes no token: the spare one comes from a session of the same account.
    const session = await signIn(app, caller.email);
    const spare = await expectStatus(
      app.inject({ method: 'POST', url: '/api/v1/tokens', headers: session, payload: { name: 'à révoquer', password: TEST_PASSWORD } }),
      201,
    );
    spareTokens.push(spare.id);
  }
  const zone = await expectStatus(
    app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: sessions.reviewer.headers,
      payload: { name: 'Vallée de l’Hérault', cells: [CELL], need: 'habitations' },
    }),
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

  const watcher = server.location.kind === 'sqlite' ? watchSqlite(server.location.file) : await watchPostgres(server.location.url);
  return {
    server,
    app,
    sessions,
    tokens,
    target,
    ids: { zone: zone.id, campaign: campaign.id, report: report.id, spareTokens },
    ...watcher,
    async close() {
      await watcher.close();
      await server.close();
    },
  };
}

/** Tables whose content is not the data: counters count refused requests too, by design. */
const UNWATCHED = ['counters', 'server_secrets', 'schema_migrations'];

type Watcher = Pick<World, 'commitMark' | 'contentDigest' | 'counts' | 'readingExists'> & { close(): Promise<void> };

/** A read-only connection to the file, synchronous underneath: the fast path. */
function watchSqlite(file: string): Watcher {
  const watcher = new Database(file, { readonly: true, fileMustExist: true });
  const countStatements = COUNTED.map((table) => [table, watcher.prepare(`SELECT count(*) AS n FROM ${table}`)] as const);
  const readingById = watcher.prepare('SELECT 1 FROM readings WHERE id = ?');
  const contentTables = watcher
    .prepare<string[], string>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT IN (${UNWATCHED.map(() => '?').join(', ')}) ORDER BY name`,
    )
    .pluck()
    .all(...UNWATCHED)
    .map((table) => watcher.prepare(`SELECT * FROM "${table}"`));
  return {
    commitMark: async () => watcher.pragma('data_version', { simple: true }) as number,
    contentDigest: async () => {
      const hash = createHash('sha256');
      for (const statement of contentTables) hash.update(JSON.stringify(statement.raw().all()));
      return hash.digest('base64');
    },
    counts: async () => Object.fromEntries(countStatements.map(([table, statement]) => [table, (statement.get() as { n: number }).n])) as Counts,
    readingExists: async (id) => readingById.get(id) !== undefined,
    close: async () => {
      watcher.close();
    },
  };
}

/**
 * A connection of its own to the store's schema (its URL sets the search_path), out of any
 * transaction, so each statement sees every commit before it. The digest is taken by the
 * server in one statement, hence from one snapshot: each table's rows as text (every column,
 * as stored), sorted, hashed.
 */
async function watchPostgres(url: string): Promise<Watcher> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1)) ORDER BY table_name`,
      [UNWATCHED],
    )
  ).rows.map((row) => row.name);
  if (!COUNTED.every((table) => tables.includes(table))) throw new Error(`Le fuzz ne voit pas les tables du schéma : ${tables.join(', ')}`);
  const digestSql = `SELECT md5(string_agg(digest, ',' ORDER BY name)) AS digest FROM (${tables
    .map(
      (table) =>
        `SELECT '${table}' AS name, count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C")), '') AS digest FROM "${table}" t`,
    )
    .join(' UNION ALL ')}) per_table`;
  const countsSql = `SELECT ${COUNTED.map((table) => `(SELECT count(*) FROM "${table}")::integer AS "${table}"`).join(', ')}`;
  return {
    commitMark: async () => Number((await client.query<{ xmax: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax')).rows[0]!.xmax),
    contentDigest: async () => (await client.query<{ digest: string }>(digestSql)).rows[0]!.digest,
    counts: async () => (await client.query<Counts>(countsSql)).rows[0]!,
    readingExists: async (id) => (await client.query('SELECT 1 FROM readings WHERE id = $1', [id])).rowCount === 1,
    close: () => client.end(),
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
