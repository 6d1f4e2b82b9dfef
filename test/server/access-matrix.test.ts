import { readFileSync } from 'node:fs';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_ERROR_CODE } from '../../src/domain/account.ts';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { MESSAGES } from '../../src/server/access/enforce.ts';
import { ROUTE_ACCESS, ruleFor, type RouteKey, type RouteRule } from '../../src/server/access/route-access.ts';
import { createCommuneOutlines } from '../../src/server/communes/outlines.ts';
import {
  addUser,
  makeReading,
  makeReport,
  openTestApp,
  postReports,
  signIn,
  TEST_OUTLINES,
  TEST_PASSWORD,
  useTempDir,
  type Caller,
  type TestApp,
} from './fixtures.ts';

/**
 * The access-control matrix: every route of the route table × every kind of caller → the
 * status expected, derived from the table itself (plus the data-scope rules of scope.ts
 * where a route has them). A route added to the server without a rule makes it refuse to
 * start; a rule without a request below does not compile; a route registered but absent
 * from the table fails the first test.
 */

const PERSONAS = ['anonymous', 'residentPage', 'agentA', 'agentB', 'reviewer34', 'reviewer30', 'admin', 'agentAToken'] as const;
type Persona = (typeof PERSONAS)[number];

interface World {
  app: FastifyInstance;
  callers: Record<Exclude<Persona, 'anonymous' | 'residentPage'>, Caller>;
  /** An agent that the admin-only routes act upon. */
  target: Caller;
  /** A report in Hérault (34). */
  reportId: string;
  /** A zone of Hérault (34). */
  zoneId: string;
  /** A campaign in Saint-Guilhem-le-Désert (34261), made by reviewer34. */
  campaignId: string;
}

/** The 200 m cell of Saint-Guilhem-le-Désert, where makeReading() records. */
const CELL = cellIdAt(3.5494, 43.7339)!;
const BBOX = '3.5,43.7,3.6,43.8';
const ZONE_DRAFT = { name: 'Vallée de l’Hérault', cells: [CELL], need: 'habitations' };
let zonesDrafted = 0;
/** ZONE_DRAFT on a cell no open zone holds yet (a cell is filed once): Saint-Guilhem's, then those north of it. */
function zoneDraft() {
  const [, north, east] = /N(\d+)E(\d+)$/.exec(CELL)!;
  return { ...ZONE_DRAFT, cells: [`CRS3035RES200mN${Number(north) + 200 * zonesDrafted++}E${east}`] };
}

const CAMPAIGN_DRAFT = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'free'] };

async function createCampaign(app: FastifyInstance, headers: Record<string, string>): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/campaigns', headers, payload: CAMPAIGN_DRAFT });
  if (created.statusCode !== 201) throw new Error(created.body);
  return created.json().id;
}

async function createZone(app: FastifyInstance, headers: Record<string, string>): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/zones', headers, payload: zoneDraft() });
  if (created.statusCode !== 201) throw new Error(created.body);
  return created.json().id;
}

interface Probe {
  url: string;
  payload?: object;
  /** Sent with the caller's own (e.g. a content type other than JSON). */
  headers?: Record<string, string>;
  /** Status when the caller is allowed. */
  ok: number;
  /** Callers the data-scope rules refuse although the table lets them in (→ 403). */
  outOfScope?: Persona[];
  /** Callers who may not even know the resource exists (→ 404). */
  notFound?: Persona[];
}

let seq = 0;
const unique = () => `${++seq}`;

/** One request per route of the table: a well-formed one, so that "allowed" means its success status. */
const PROBES: Record<RouteKey, (world: World, persona: Persona, headers: Record<string, string>) => Promise<Probe>> = {
  'GET /api/v1/health': async () => ({ url: '/api/v1/health', ok: 200 }),
  'GET /api/v1/config': async () => ({ url: '/api/v1/config', ok: 200 }),
  'POST /api/v1/session': async (w) => ({ url: '/api/v1/session', payload: { email: w.target.email, password: TEST_PASSWORD }, ok: 200 }),
  'GET /api/v1/session': async () => ({ url: '/api/v1/session', ok: 200 }),
  'DELETE /api/v1/session': async () => ({ url: '/api/v1/session', ok: 204 }),
  'POST /api/v1/session/password': async (w, _persona, headers) => {
    // The caller's password becomes another one first, and the probe sets it back: every
    // account keeps TEST_PASSWORD for the signIn() of the CSRF test below.
    const other = `un autre mot de passe ${unique()}`;
    if (headers.cookie)
      await w.app.inject({ method: 'POST', url: '/api/v1/session/password', headers, payload: { currentPassword: TEST_PASSWORD, newPassword: other } });
    return { url: '/api/v1/session/password', payload: { currentPassword: other, newPassword: TEST_PASSWORD }, ok: 200 };
  },
  'POST /api/v1/readings': async () => ({ url: '/api/v1/readings', payload: { readings: [makeReading()] }, ok: 200 }),
  'GET /api/v1/readings': async () => ({ url: '/api/v1/readings', ok: 200 }),
  'POST /api/v1/reports': async () => ({ url: '/api/v1/reports', payload: { reports: [makeReport({ lat: 43 + Math.random() })] }, ok: 200 }),
  'GET /api/v1/reports': async () => ({ url: '/api/v1/reports', ok: 200 }),
  'PATCH /api/v1/reports/:id': async (w) => ({
    url: `/api/v1/reports/${w.reportId}`,
    payload: { hidden: false, reason: 'vérifié' },
    ok: 200,
    outOfScope: ['reviewer30'],
  }),
  'GET /api/v1/tokens': async () => ({ url: '/api/v1/tokens', ok: 200 }),
  // A token makes no token (test/security/token-mints-token.test.ts); a session confirms its password.
  'POST /api/v1/tokens': async () => ({ url: '/api/v1/tokens', payload: { name: 'matrice', password: TEST_PASSWORD }, ok: 201, outOfScope: ['agentAToken'] }),
  'DELETE /api/v1/tokens/:id': async (w, persona) => {
    // Each signed-in caller revokes a token of their own, made from a session; the others try the target's.
    const owner = persona === 'anonymous' || persona === 'residentPage' ? w.target : w.callers[persona];
    const session = await signIn(w.app, owner.email);
    const created = await w.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: session, payload: { name: 'à révoquer', password: TEST_PASSWORD } });
    return { url: `/api/v1/tokens/${created.json().id}`, ok: 204 };
  },
  'GET /api/v1/users': async () => ({ url: '/api/v1/users', ok: 200 }),
  'POST /api/v1/users': async () => ({
    url: '/api/v1/users',
    payload: { email: `nouveau-${unique()}@example.fr`, name: 'Nouvel agent', password: TEST_PASSWORD, role: 'agent', communes: ['34261'] },
    ok: 201,
  }),
  'PATCH /api/v1/users/:id': async (w) => ({ url: `/api/v1/users/${w.target.id}`, payload: { name: `Renommé ${unique()}` }, ok: 200 }),
  'DELETE /api/v1/users/:id/sessions': async (w) => ({ url: `/api/v1/users/${w.target.id}/sessions`, ok: 200 }),
  'GET /api/v1/communes': async () => ({ url: '/api/v1/communes?q=montp', ok: 200 }),
  'GET /api/v1/communes/:code/outline': async () => ({ url: '/api/v1/communes/34261/outline', ok: 200 }),
  'GET /api/v1/audit': async () => ({ url: '/api/v1/audit', ok: 200 }),
  'GET /api/v1/cells': async () => ({ url: `/api/v1/cells?bbox=${BBOX}`, ok: 200 }),
  'GET /api/v1/cells/:cellId/readings': async () => ({ url: `/api/v1/cells/${CELL}/readings`, ok: 200 }),
  'GET /api/v1/zones': async () => ({ url: '/api/v1/zones', ok: 200 }),
  'POST /api/v1/zones': async () => ({ url: '/api/v1/zones?departement=34', payload: zoneDraft(), ok: 201, outOfScope: ['reviewer30'] }),
  'GET /api/v1/zones/suggestions': async () => ({ url: `/api/v1/zones/suggestions?bbox=${BBOX}`, ok: 200 }),
  'GET /api/v1/zones/:id': async (w) => ({ url: `/api/v1/zones/${w.zoneId}`, ok: 200, outOfScope: ['reviewer30'] }),
  'PATCH /api/v1/zones/:id': async (w) => ({
    url: `/api/v1/zones/${w.zoneId}`,
    payload: { name: `Renommée ${unique()}` },
    ok: 200,
    outOfScope: ['reviewer30'],
  }),
  'POST /api/v1/zones/:id/status': async (w) => ({
    // A zone of its own for each caller, still « à étudier ».
    url: `/api/v1/zones/${await createZone(w.app, await signIn(w.app, w.callers.reviewer34.email))}/status`,
    payload: { status: 'retenue', reason: 'mesures concordantes' },
    ok: 200,
    outOfScope: ['reviewer30'],
  }),
  'POST /api/v1/zones/:id/remeasure': async (w) => {
    // A zone of its own for each caller, moved to « arrêtée » by its département's reviewer.
    const headers = await signIn(w.app, w.callers.reviewer34.email);
    const id = await createZone(w.app, headers);
    for (const move of [{ status: 'retenue' }, { status: 'transmise' }, { status: 'arretee', followUp: { arreteDate: '2026-01-15' } }]) {
      const moved = await w.app.inject({ method: 'POST', url: `/api/v1/zones/${id}/status`, headers, payload: { ...move, reason: 'étape' } });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    return { url: `/api/v1/zones/${id}/remeasure`, payload: { startsOn: '2026-05-04', endsOn: '2026-05-31' }, ok: 201, outOfScope: ['reviewer30'] };
  },
  'GET /api/v1/zones/:id/dossier.geojson': async (w) => ({ url: `/api/v1/zones/${w.zoneId}/dossier.geojson`, ok: 200, outOfScope: ['reviewer30'] }),
  'GET /api/v1/zones/:id/dossier.json': async (w) => ({ url: `/api/v1/zones/${w.zoneId}/dossier.json`, ok: 200, outOfScope: ['reviewer30'] }),
  'GET /api/v1/zones/:id/readings.csv': async (w) => ({ url: `/api/v1/zones/${w.zoneId}/readings.csv`, ok: 200, outOfScope: ['reviewer30'] }),
  'GET /api/v1/zones.csv': async () => ({ url: '/api/v1/zones.csv', ok: 200 }),
  'GET /api/v1/departements/:code/summary': async () => ({ url: '/api/v1/departements/34/summary', ok: 200, outOfScope: ['reviewer30'] }),
  'GET /api/v1/departements/:code/summary.csv': async () => ({ url: '/api/v1/departements/34/summary.csv', ok: 200, outOfScope: ['reviewer30'] }),
  'GET /api/v1/zones.geojson': async () => ({ url: '/api/v1/zones.geojson', ok: 200 }),
  'GET /api/v1/probe': async () => ({ url: '/api/v1/probe?bytes=1000&t=matrice', ok: 200 }),
  'POST /api/v1/probe': async () => ({ url: '/api/v1/probe', payload: Buffer.alloc(1000), headers: { 'content-type': 'application/octet-stream' }, ok: 200 }),
  'POST /api/v1/qos/upload': async () => ({
    url: '/api/v1/qos/upload',
    payload: Buffer.alloc(1000),
    headers: { 'content-type': 'application/octet-stream' },
    ok: 200,
  }),
  'GET /api/v1/qos/download': async () => ({ url: '/api/v1/qos/download?bytes=1000&t=matrice', ok: 200 }),
  'GET /api/v1/qos/page': async () => ({ url: '/api/v1/qos/page?t=matrice', ok: 200 }),
  'GET /api/v1/qos/page/:asset': async () => ({ url: '/api/v1/qos/page/app.js?t=matrice', ok: 200 }),
  'GET /api/v1/campaigns': async () => ({ url: '/api/v1/campaigns', ok: 200 }),
  'POST /api/v1/campaigns': async () => ({ url: '/api/v1/campaigns', payload: CAMPAIGN_DRAFT, ok: 201, outOfScope: ['agentB', 'reviewer30'] }),
  'GET /api/v1/campaigns/:id': async (w) => ({ url: `/api/v1/campaigns/${w.campaignId}`, ok: 200, notFound: ['agentB', 'reviewer30'] }),
  'PATCH /api/v1/campaigns/:id': async (w) => ({
    url: `/api/v1/campaigns/${w.campaignId}`,
    payload: { name: `Renommée ${unique()}` },
    ok: 200,
    // Agent A records in its commune, so sees it, but did not create it.
    outOfScope: ['agentA', 'agentAToken'],
    notFound: ['agentB', 'reviewer30'],
  }),
  'DELETE /api/v1/campaigns/:id': async (w) => ({
    // A campaign of its own for each caller, made by reviewer34.
    url: `/api/v1/campaigns/${await createCampaign(w.app, await signIn(w.app, w.callers.reviewer34.email))}`,
    ok: 204,
    outOfScope: ['agentA', 'agentAToken'],
    notFound: ['agentB', 'reviewer30'],
  }),
  'GET /api/v1/campaigns/:id/progress': async (w) => ({ url: `/api/v1/campaigns/${w.campaignId}/progress`, ok: 200, notFound: ['agentB', 'reviewer30'] }),
  'GET /api/v1/campaigns/:id/sampling-plan': async (w) => ({
    url: `/api/v1/campaigns/${w.campaignId}/sampling-plan`,
    ok: 200,
    notFound: ['agentB', 'reviewer30'],
  }),
  'GET /api/v1/campaigns/:id/sampling-plan.csv': async (w) => ({
    url: `/api/v1/campaigns/${w.campaignId}/sampling-plan.csv`,
    ok: 200,
    notFound: ['agentB', 'reviewer30'],
  }),
  'GET /api/v1/exports/arcep-qos.csv': async (w) => ({
    url: `/api/v1/exports/arcep-qos.csv?campaign=${w.campaignId}`,
    ok: 200,
    notFound: ['agentB', 'reviewer30'],
  }),
  'GET /api/v1/exports/arcep-qos.schema.json': async () => ({ url: '/api/v1/exports/arcep-qos.schema.json', ok: 200 }),
  'GET /api/v1/campaign-agents': async () => ({ url: '/api/v1/campaign-agents?commune=34261', ok: 200, outOfScope: ['agentB', 'reviewer30'] }),
  'GET /api/v1/open-data/grid.csv': async () => ({ url: '/api/v1/open-data/grid.csv', ok: 200 }),
  'GET /api/v1/open-data/grid.geojson': async () => ({ url: '/api/v1/open-data/grid.geojson', ok: 200 }),
  'GET /api/v1/open-data/grid.schema.json': async () => ({ url: '/api/v1/open-data/grid.schema.json', ok: 200 }),
  'GET /api/v1/open-data/datapackage.json': async () => ({ url: '/api/v1/open-data/datapackage.json', ok: 200 }),
};

const ROUTES = Object.keys(ROUTE_ACCESS) as RouteKey[];

/** What the table (and the probe's scope rules) say this caller gets. */
function expectedStatus(rule: RouteRule, persona: Persona, probe: Probe): number {
  const signedIn = persona !== 'anonymous' && persona !== 'residentPage';
  const byToken = persona === 'agentAToken';
  const role = persona.startsWith('agent') ? 'agent' : persona.startsWith('reviewer') ? 'reviewer' : 'admin';
  if (rule.access === 'public') return probe.ok;
  if (!signedIn) return 401;
  if (rule.access === 'session' && byToken) return 401;
  if (Array.isArray(rule.access) && !rule.access.includes(role)) return 403;
  if (probe.notFound?.includes(persona)) return 404;
  if (probe.outOfScope?.includes(persona)) return 403;
  return probe.ok;
}

const tempDir = useTempDir();
let server: TestApp;
let world: World;

/** A fresh world for each route, so that one route's effects (sign-out, revocations) do not leak into another's. */
async function makeWorld(): Promise<World> {
  server = await openTestApp(tempDir(), { communeOutlines: createCommuneOutlines(TEST_OUTLINES) });
  // A new store each world: its zones may start again at Saint-Guilhem's cell (north of it leaves the Hérault after a few dozen).
  zonesDrafted = 0;
  const { app } = server;
  const report = makeReport();
  await postReports(app, [report]);
  const callers = {
    agentA: await addUser(app, { communes: ['34261'] }),
    agentB: await addUser(app, { communes: ['34172'] }),
    reviewer34: await addUser(app, { role: 'reviewer', departement: '34' }),
    reviewer30: await addUser(app, { role: 'reviewer', departement: '30' }),
    admin: await addUser(app, { role: 'admin' }),
    agentAToken: await addUser(app, { communes: ['34261'] }, 'token'),
  };
  return {
    app,
    reportId: report.id,
    zoneId: await createZone(app, await signIn(app, callers.reviewer34.email)),
    campaignId: await createCampaign(app, await signIn(app, callers.reviewer34.email)),
    target: await addUser(app, { communes: ['34010'] }),
    callers,
  };
}

function headersOf(persona: Persona): Record<string, string> {
  if (persona === 'anonymous') return {};
  // The public report page: a same-origin browser request with no session cookie.
  if (persona === 'residentPage') return { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
  return world.callers[persona].headers;
}

describe('access-control matrix', () => {
  it('covers every API route the server registers, and only those', async () => {
    const probe = await openTestApp(tempDir());
    const registered: string[] = [];
    probe.app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api')) return;
      for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
    });
    await probe.app.ready();
    await probe.close();
    expect(registered.sort()).toEqual([...ROUTES].sort());
  });

  it('is documented route by route in docs/security.md', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    for (const route of ROUTES) expect(doc, route).toContain(`| \`${route}\` |`);
  });

  it('refuses to start with an API route that has no access rule', async () => {
    const probe = await openTestApp(tempDir());
    expect(() => probe.app.get('/api/v1/oubliee', async () => 'secret')).toThrow(/GET \/api\/v1\/oubliee n’a pas de règle d’accès/);
    await probe.close();
  });

  describe.each(ROUTES)('%s', (route) => {
    const [method, url] = route.split(' ') as [HTTPMethods, string];
    const rule = ruleFor(method, url)!;

    beforeAll(async () => {
      world = await makeWorld();
    });
    afterAll(async () => {
      await server.close();
    });

    it.each(PERSONAS)(`%s`, async (persona) => {
      const headers = headersOf(persona);
      const probe = await PROBES[route](world, persona, headers);
      const response = await world.app.inject({
        method,
        url: probe.url,
        headers: { ...headers, ...probe.headers },
        ...(probe.payload && { payload: probe.payload }),
      });
      const expected = expectedStatus(rule, persona, probe);
      expect(response.statusCode, response.body).toBe(expected);
      if (expected === 401 || expected === 403 || expected === 404) {
        expect(response.json()).toEqual({ error: expect.any(String) });
        expect(response.headers['cache-control']).toBe('no-store');
      }
    });

    if (rule.csrf) {
      it('refuses the session cookie without its CSRF token (403)', async () => {
        // A session of its own: the matrix above may have signed the admin out.
        const headers = await signIn(world.app, world.callers.admin.email);
        const probe = await PROBES[route](world, 'admin', headers);
        const response = await world.app.inject({
          method,
          url: probe.url,
          headers: { cookie: headers.cookie!, ...probe.headers },
          ...(probe.payload && { payload: probe.payload }),
        });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ error: MESSAGES.csrf, code: CSRF_ERROR_CODE });
      });
    }
  });
});
