import fc from 'fast-check';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, type RouteKey } from '../../src/server/access/route-access.ts';
import { makeReading, makeReport, TEST_PASSWORD, useTempDir } from '../server/fixtures.ts';
import { CELL, COUNTED, headersFor, openWorld, ROLES, type Auth, type Counts, type World } from './api-world.ts';
import { FUZZ_RUNS, runs } from './budget.ts';
import { contentType, hostileString, jsonText, mutated, pathParam, queryString, rawBody } from './hostile.ts';

/**
 * Every API route of the access table (a new route is fuzzed as soon as it has a rule),
 * under malformed, oversized, mistyped and hostile requests, with and without credentials.
 * For each request: no 5xx; a 4xx says what is wrong in French as {"error": "…"} and writes
 * nothing (every table's content is as before, but the rate-limit counters, which count
 * refused requests too); a 2xx changes the row counts only as the
 * route's answer says (readings stored = readings accepted…), and valid readings or reports
 * mixed among hostile ones are stored.
 */

const ROUTES = Object.keys(ROUTE_ACCESS) as RouteKey[];
const PER_ROUTE = FUZZ_RUNS / ROUTES.length;

/** Query parameters any route might be asked for, so unknown-parameter handling is exercised too. */
const QUERY_NAMES = ['bbox', 'since', 'limit', 'cursor', 'zoom', 'operator', 'technology', 'setting', 'from', 'to', 'resolution', 'bytes', 't', 'q', 'commune', 'departement', 'status', 'hidden', 'campaign'];

interface Seed {
  query?: Record<string, string>;
  /** A valid body; called per request, so ids are fresh. */
  body?: () => unknown;
}

let seq = 0;
/** A plausible request for the routes that take parameters or a body; any route not listed is fuzzed from nothing. */
const SEEDS: Partial<Record<RouteKey, Seed>> = {
  'POST /api/v1/session': { body: () => ({ email: 'agent-fuzz-cible@example.fr', password: TEST_PASSWORD }) },
  'POST /api/v1/readings': { body: () => ({ readings: [makeReading(), makeReading({ technology: '5G', signalDbm: -90 }), makeReading({ lat: 43.6109, lon: 3.8772 })] }) },
  'GET /api/v1/readings': { query: { bbox: '3.5,43.7,3.6,43.8', limit: '50', operator: 'orange' } },
  'POST /api/v1/reports': { body: () => ({ reports: [makeReport({ lat: 43 + Math.random(), lon: 3 + Math.random() }), makeReport()] }) },
  'GET /api/v1/reports': { query: { bbox: '3.5,43.7,3.6,43.8' } },
  'PATCH /api/v1/reports/:id': { body: () => ({ hidden: true, reason: 'spam' }) },
  'POST /api/v1/tokens': { body: () => ({ name: `jeton ${++seq}` }) },
  'POST /api/v1/users': {
    body: () => ({ email: `fuzz-${++seq}@example.fr`, name: 'Agent du fuzz', password: TEST_PASSWORD, role: 'agent', communes: ['34261'] }),
  },
  'PATCH /api/v1/users/:id': { body: () => ({ name: `Renommé ${++seq}`, communes: ['34261', '34010'] }) },
  'GET /api/v1/communes': { query: { q: 'montp' } },
  'GET /api/v1/audit': { query: { limit: '10' } },
  'GET /api/v1/cells': { query: { bbox: '3.5,43.7,3.6,43.8', operator: 'orange', technology: '4G', setting: 'outdoor', from: '2026-01-01', to: '2026-12-31' } },
  'GET /api/v1/zones': { query: { departement: '34', status: 'a-etudier' } },
  'POST /api/v1/zones': { query: { departement: '34' }, body: () => ({ name: `Zone ${++seq}`, cells: [CELL], need: 'habitations', notes: 'vue du col' }) },
  'GET /api/v1/zones/suggestions': { query: { bbox: '3.5,43.7,3.6,43.8' } },
  'PATCH /api/v1/zones/:id': { body: () => ({ name: `Renommée ${++seq}`, cells: [CELL], need: 'entreprises', notes: 'revue' }) },
  'POST /api/v1/zones/:id/status': { body: () => ({ status: 'retenue', reason: 'mesures concordantes' }) },
  'GET /api/v1/probe': { query: { bytes: '1000', t: 'fuzz' } },
  'POST /api/v1/campaigns': { body: () => ({ communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'free'], name: `Campagne ${++seq}` }) },
  'PATCH /api/v1/campaigns/:id': { body: () => ({ name: `Renommée ${++seq}`, endsOn: '2026-06-30' }) },
  'GET /api/v1/campaign-agents': { query: { commune: '34261' } },
  'GET /api/v1/open-data/grid.csv': { query: { operator: 'orange' } },
};

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' } as const), weight: 2 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session', role }) as const), weight: 4 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'token', role }) as const), weight: 4 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session-without-csrf', role }) as const), weight: 1 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session-wrong-csrf', role }) as const), weight: 1 },
  {
    arbitrary: fc.tuple(fc.constantFrom('unknown-token', 'garbage-cookie', 'garbage-authorization'), fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 })).map(
      ([kind, value]) => ({ kind, value }) as Auth,
    ),
    weight: 1,
  },
);

interface Body {
  payload: string | Buffer | undefined;
  /** The valid body the payload was mutated from. */
  seed?: unknown;
}

/** A request body: the route's valid body mutated, any JSON, or one of the raw bombs. */
function bodyFor(seed: Seed | undefined): fc.Arbitrary<Body> {
  const options: fc.WeightedArbitrary<Body>[] = [
    { arbitrary: fc.constant({ payload: undefined }), weight: seed?.body ? 1 : 6 },
    { arbitrary: jsonText.map((payload) => ({ payload })), weight: 3 },
    { arbitrary: rawBody.map((payload) => ({ payload })), weight: 2 },
  ];
  const makeBody = seed?.body;
  if (makeBody) {
    options.push({
      arbitrary: fc.nat().chain(() => {
        const valid = makeBody();
        return mutated(valid).map((payload) => ({ payload, seed: valid }));
      }),
      weight: 10,
    });
  }
  return fc.oneof(...options);
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

const requested = new Map<string, number>();
const statuses = new Map<number, number>();
let total = 0;

/** French, not one of fastify's or a library's English messages leaking through. */
const FRENCH = /[àâçéèêëîïôûùœ«»’]|\b(le|la|les|des|du|un|une|est|pas|ou|et|pour|avec|dans|sur|au|aux|de|ne|ce|cet|cette|aucun|aucune|en|il|se|votre|vos|trop|plus|ni|sans|par|rien|doit|attendu|envoyez|champ|adresse|jeton|paramètre|inconnu\w*|manquant\w*)\b/i;
const ENGLISH = /\b(the|is|are|must|should|exceeding|Unexpected|Object contains|not found|is required|Invalid|Cannot|undefined|property)\b/;

function checkClientError(response: LightMyRequestResponse): void {
  expect(response.headers['content-type'], response.body).toMatch(/^application\/json/);
  const body = response.json() as { error?: unknown };
  expect(typeof body.error, response.body).toBe('string');
  const error = body.error as string;
  expect(error.trim().length, response.body).toBeGreaterThan(0);
  // What the message quotes back from the request (« … ») may be in any language.
  const own = error.replace(/«[^»]*»/g, '');
  expect(own, `message en français attendu (${response.statusCode}) : ${error.slice(0, 300)}`).toMatch(FRENCH);
  expect(own, `message en anglais (${response.statusCode}) : ${error.slice(0, 300)}`).not.toMatch(ENGLISH);
}

/** How the row counts may move on a success of this route. */
function checkCounts(route: RouteKey, status: number, before: Counts, after: Counts, answer: () => Record<string, unknown>): void {
  const delta = Object.fromEntries(COUNTED.map((table) => [table, after[table] - before[table]])) as Counts;
  const expected: Counts = { readings: 0, reports: 0, users: 0, zones: 0, campaigns: 0, api_tokens: 0 };
  if (route === 'POST /api/v1/readings' && status === 200) expected.readings = (answer().accepted as unknown[]).length;
  if (route === 'POST /api/v1/reports' && status === 200) expected.reports = (answer().accepted as unknown[]).length;
  if (route === 'POST /api/v1/users' && status === 201) expected.users = 1;
  if (route === 'POST /api/v1/zones' && status === 201) expected.zones = 1;
  if (route === 'POST /api/v1/campaigns' && status === 201) expected.campaigns = 1;
  if (route === 'DELETE /api/v1/campaigns/:id' && status === 204) expected.campaigns = -1;
  if (route === 'POST /api/v1/tokens' && status === 201) expected.api_tokens = 1;
  if (route === 'DELETE /api/v1/tokens/:id' && status === 204) expected.api_tokens = -1;
  expect(delta, `${route} → ${status}`).toEqual(expected);
}

/**
 * A batch's answer accounts for every item once, what it accepted is in the database, and the
 * items that reached the server exactly as the seed made them (valid, among hostile ones) were
 * stored: accepted, or already there.
 */
function checkBatch(world: World, body: Body, field: 'readings' | 'reports', answer: Record<string, unknown>): void {
  const accepted = answer.accepted as string[];
  const duplicates = answer.duplicates as string[];
  const rejected = answer.rejected as unknown[];
  for (const id of accepted) if (field === 'readings') expect(world.readingExists(id), id).toBe(true);
  if (typeof body.payload !== 'string') return;
  const items = (JSON.parse(body.payload) as Record<string, unknown>)[field];
  expect(Array.isArray(items), 'un 200 pour un lot qui n’est pas un tableau').toBe(true);
  expect(accepted.length + duplicates.length + rejected.length, 'chaque élément dans une seule liste').toBe((items as unknown[]).length);
  const valid = new Set(((body.seed as Record<string, unknown> | undefined)?.[field] as unknown[] | undefined ?? []).map((item) => JSON.stringify(item)));
  const stored = new Set([...accepted, ...duplicates]);
  for (const item of items as unknown[]) {
    if (valid.has(JSON.stringify(item))) expect(stored.has((item as { id: string }).id), `valide mais pas enregistré : ${JSON.stringify(item)}`).toBe(true);
  }
}

const tempDir = useTempDir();
let world: World;

beforeAll(async () => {
  world = await openWorld(tempDir());
}, 60_000);

afterAll(async () => {
  await world?.close();
  const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
  console.log(`fuzz API : ${total} requêtes sur ${requested.size} routes (${byStatus})`);
});

describe('API fuzz', () => {
  it.each(ROUTES)('%s', async (route) => {
    const [method, template] = route.split(' ') as [HTTPMethods, string];
    const seed = SEEDS[route];
    const realIds = [world.ids.zone, world.ids.campaign, world.ids.report, world.target.id, CELL, '34261', ...world.ids.spareTokens];
    const params = (template.match(/:\w+/g) ?? []).map(() => pathParam(realIds));
    const request = fc.record({
      auth,
      params: params.length === 0 ? fc.constant([] as string[]) : fc.tuple(...params),
      query: queryString(seed?.query ?? {}, QUERY_NAMES),
      body: method === 'GET' || method === 'DELETE' ? fc.oneof({ arbitrary: fc.constant({ payload: undefined } as Body), weight: 8 }, { arbitrary: bodyFor(seed), weight: 1 }) : bodyFor(seed),
      contentType,
      // Anything else the client may add: a bogus CSRF header, an origin, an accept.
      accept: fc.constantFrom(undefined, 'text/html', '*/*', 'application/xml'),
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ auth: who, params: values, query, body, contentType: type, accept }) => {
        const { payload } = body;
        let index = 0;
        const url = template.replace(/:\w+/g, () => values[index++]!) + query;
        const headers = { ...(await headersFor(world, who, route === 'DELETE /api/v1/session')) };
        if (payload !== undefined && type !== undefined) headers['content-type'] = type;
        if (accept !== undefined) headers.accept = accept;
        const versionBefore = world.dataVersion();
        const digestBefore = world.contentDigest();
        const before = world.counts();

        const response = await world.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

        total += 1;
        requested.set(route, (requested.get(route) ?? 0) + 1);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const what = `${method} ${url.slice(0, 200)} [${who.kind}] ${typeof payload === 'string' ? payload.slice(0, 200) : String(payload?.length ?? '')}`;
        expect(response.statusCode, `${what} → ${response.body.slice(0, 500)}`).toBeLessThan(500);
        // No `__proto__` or `constructor.prototype` key reached Object.prototype.
        expect(Object.getOwnPropertyNames(Object.prototype).filter((name) => !PROTOTYPE_NAMES.has(name)), what).toEqual([]);
        const after = world.counts();
        if (response.statusCode >= 400) {
          checkClientError(response);
          expect(world.contentDigest(), `${what} → ${response.statusCode} a écrit dans la base`).toBe(digestBefore);
          expect(after).toEqual(before);
          return;
        }
        checkCounts(route, response.statusCode, before, after, () => response.json());
        // The watcher does see commits (else the 4xx check above would prove nothing).
        if (COUNTED.some((table) => after[table] !== before[table])) expect(world.dataVersion()).not.toBe(versionBefore);
        if (response.statusCode === 200 && (route === 'POST /api/v1/readings' || route === 'POST /api/v1/reports')) {
          const field = route === 'POST /api/v1/readings' ? 'readings' : 'reports';
          checkBatch(world, body, field, response.json());
        }
      }),
      runs(PER_ROUTE),
    );
    expect(requested.get(route)).toBeGreaterThanOrEqual(1);
  });
});

/** What the fuzz found, pinned so that it stays fixed whatever the random seed. */
describe('found by the fuzz', () => {
  it('an agent’s communes holding an object whose toString is not a function: 400, not 500', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...world.sessions.admin.headers, 'content-type': 'application/json' },
      payload: '{"email":"fuzz-regression@example.fr","name":"Agent","password":"mot de passe de test","role":"agent","communes":["34261",{"toString":""},""]}',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: 'Codes INSEE inconnus : {"toString":""}, ""' });
  });

  it('a path parameter over fastify’s 100 characters: 414 in French, without echoing the path', async () => {
    const response = await world.app.inject({ method: 'GET', url: `/api/v1/zones/${'9'.repeat(5_000)}`, headers: world.sessions.reviewer.headers });
    expect(response.statusCode).toBe(414);
    checkClientError(response);
    expect(response.body).not.toContain('999');
  });

  it('a zone move without its reason: the missing field named in French', async () => {
    const response = await world.app.inject({ method: 'POST', url: `/api/v1/zones/${world.ids.zone}/status`, headers: world.tokens.reviewer.headers, payload: { status: 'retenue' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Champ obligatoire manquant : reason' });
  });
});
