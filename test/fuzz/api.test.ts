import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, type RouteKey } from '../../src/server/access/route-access.ts';
import { makeReading, makeReport, TEST_PASSWORD, useTempDir } from '../server/fixtures.ts';
import { TEST_STORE_KIND } from '../support/test-store.ts';
import { CELL, COUNTED, headersFor, openWorld, ROLES, TARGET_EMAIL, type Auth, type Counts, type World } from './api-world.ts';
import { FUZZ_RUNS, runs } from './budget.ts';
import { FAILED_RUNS } from './failed-runs.ts';
import { contentType, jsonText, mutated, pathParam, queryString, rawBody } from './hostile.ts';

/**
 * Every API route of the access table (a new route is fuzzed as soon as it has a rule),
 * under malformed, oversized, mistyped and hostile requests, with and without credentials,
 * on SQLite (project `fuzz`) and on PostgreSQL (`fuzz-postgres`), which refuses more input.
 * For each request: no 5xx; a 4xx says what is wrong in French as {"error": "…"} and writes
 * nothing (every table's content is as before, but the rate-limit counters, which count
 * refused requests too); a 2xx changes the row counts only as the
 * route's answer says (readings stored = readings accepted…), and valid readings or reports
 * mixed among hostile ones are stored.
 */

const ROUTES = Object.keys(ROUTE_ACCESS) as RouteKey[];
const PER_ROUTE = FUZZ_RUNS / ROUTES.length;

/** Query parameters any route might be asked for, so unknown-parameter handling is exercised too. */
const QUERY_NAMES = [
  'bbox',
  'tile',
  'since',
  'limit',
  'cursor',
  'zoom',
  'operator',
  'technology',
  'setting',
  'from',
  'to',
  'resolution',
  'bytes',
  't',
  'q',
  'commune',
  'departement',
  'status',
  'hidden',
  'campaign',
];

interface Seed {
  query?: Record<string, string>;
  /** A valid body; called per request, so ids are fresh. */
  body?: () => unknown;
}

let seq = 0;
/** A plausible request for the routes that take parameters or a body; any route not listed is fuzzed from nothing. */
/** The cell north of CELL, which the world's zone holds: a cell is filed in one open zone only. */
const FREE_CELL = CELL.replace(/N(\d+)/, (_, north: string) => `N${Number(north) + 200}`);

const SEEDS: Partial<Record<RouteKey, Seed>> = {
  'POST /api/v1/session': { body: () => ({ email: TARGET_EMAIL, password: TEST_PASSWORD }) },
  'POST /api/v1/readings': {
    body: () => ({
      readings: [
        makeReading(),
        makeReading({ technology: '5G', signalDbm: -90 }),
        makeReading({ lat: 43.6109, lon: 3.8772 }),
        // Every optional field, so that mutations reach them too.
        makeReading({
          altitudeM: 120,
          speedMps: 1.5,
          headingDeg: 270,
          positionAgeMs: 2_000,
          signalBars: 1,
          note: 'sous le pont',
          trackId: randomUUID(),
          campaignId: world.ids.campaign,
          communeInsee: '34261',
          extra: { mcc: 208, mnc: 1, cellId: '1234567', format: 'towercollector' },
          connection: { available: true, type: 'cellular', effectiveType: '4g', downlinkMbps: 1.2, rttMs: 300 },
          probe: {
            startedAt: '2026-05-04T10:15:05.000+02:00',
            durationMs: 4_000,
            result: 'reachable',
            latencyMs: 180,
            latencySamples: 3,
            downloadKbps: 900,
            uploadKbps: 300,
          },
          callTest: { startedAt: '2026-05-04T10:16:00.000+02:00', durationS: 60 },
        }),
      ],
    }),
  },
  'GET /api/v1/readings': { query: { bbox: '3.5,43.7,3.6,43.8', limit: '50', operator: 'orange' } },
  'POST /api/v1/reports': {
    body: () => ({ reports: [makeReport({ lat: 43 + Math.random(), lon: 3 + Math.random() }), makeReport({ note: 'aucun réseau près de l’église' })] }),
  },
  'GET /api/v1/reports': { query: { bbox: '3.5,43.7,3.6,43.8' } },
  'PATCH /api/v1/reports/:id': { body: () => ({ hidden: true, reason: 'spam' }) },
  'POST /api/v1/tokens': { body: () => ({ name: `jeton ${++seq}`, password: TEST_PASSWORD }) },
  'POST /api/v1/users': {
    body: () => ({ email: `fuzz-${++seq}@example.fr`, name: 'Agent du fuzz', password: TEST_PASSWORD, role: 'agent', communes: ['34261'] }),
  },
  'PATCH /api/v1/users/:id': { body: () => ({ name: `Renommé ${++seq}`, communes: ['34261', '34010'] }) },
  'GET /api/v1/communes': { query: { q: 'montp' } },
  'GET /api/v1/audit': { query: { limit: '10' } },
  'GET /api/v1/cells': {
    query: { bbox: '3.5,43.7,3.6,43.8', operator: 'orange', technology: '4G', setting: 'outdoor', from: '2026-01', to: '2026-12', resolution: '200' },
  },
  'GET /api/v1/zones': { query: { departement: '34' } },
  'POST /api/v1/zones': { query: { departement: '34' }, body: () => ({ name: `Zone ${++seq}`, cells: [FREE_CELL], need: 'habitations', notes: 'vue du col' }) },
  'GET /api/v1/zones/suggestions': { query: { bbox: '3.5,43.7,3.6,43.8' } },
  'PATCH /api/v1/zones/:id': { body: () => ({ name: `Renommée ${++seq}`, cells: [CELL], need: 'autre', needDetail: 'gîtes', notes: 'revue' }) },
  'POST /api/v1/zones/:id/status': { body: () => ({ status: 'retenue', reason: 'mesures concordantes' }) },
  'GET /api/v1/probe': { query: { bytes: '1000', t: 'fuzz' } },
  'POST /api/v1/campaigns': {
    body: () => ({
      communeInsee: '34261',
      startsOn: '2026-05-04',
      endsOn: '2026-05-29',
      operators: ['orange', 'free'],
      name: `Campagne ${++seq}`,
      testNumber: '06 12 34 56 78',
      agentIds: [world.sessions.agent.id],
    }),
  },
  'PATCH /api/v1/campaigns/:id': {
    body: () => ({ name: `Renommée ${++seq}`, endsOn: '2026-06-30', testNumber: null, agentIds: [world.sessions.agent.id, world.tokens.agent.id] }),
  },
  'GET /api/v1/campaign-agents': { query: { commune: '34261' } },
};

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' } as const), weight: 2 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session', role }) as const), weight: 4 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'token', role }) as const), weight: 4 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session-without-csrf', role }) as const), weight: 1 },
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'session-wrong-csrf', role }) as const), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('unknown-token', 'garbage-cookie', 'garbage-authorization'),
        fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
      )
      .map(([kind, value]) => ({ kind, value }) as Auth),
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
const FRENCH =
  /[àâçéèêëîïôûùœ«»’]|\b(le|la|les|des|du|un|une|est|pas|ou|et|pour|avec|dans|sur|au|aux|de|ne|ce|cet|cette|aucun|aucune|en|il|se|votre|vos|trop|plus|ni|sans|par|rien|doit|attendu|envoyez|champ|adresse|jeton|paramètre|inconnu\w*|manquant\w*)\b/i;
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
  if (route === 'POST /api/v1/reports' && status === 200) {
    // Every valid report is accepted, but a repeat (same public cell and hour) or a resent id adds no row, and the answer does not say which (issue 14).
    expect(delta.reports, `${route} → ${status}`).toBeLessThanOrEqual((answer().accepted as unknown[]).length);
    expected.reports = Math.max(0, delta.reports);
  }
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
async function checkBatch(world: World, body: Body, field: 'readings' | 'reports', answer: Record<string, unknown>): Promise<void> {
  const accepted = answer.accepted as string[];
  const duplicates = answer.duplicates as string[];
  const rejected = answer.rejected as unknown[];
  for (const id of accepted) if (field === 'readings') expect(await world.readingExists(id), id).toBe(true);
  if (typeof body.payload !== 'string') return;
  const items = (JSON.parse(body.payload) as Record<string, unknown>)[field];
  expect(Array.isArray(items), 'un 200 pour un lot qui n’est pas un tableau').toBe(true);
  expect(accepted.length + duplicates.length + rejected.length, 'chaque élément dans une seule liste').toBe((items as unknown[]).length);
  const valid = new Set((((body.seed as Record<string, unknown> | undefined)?.[field] as unknown[] | undefined) ?? []).map((item) => JSON.stringify(item)));
  const stored = new Set([...accepted, ...duplicates]);
  for (const item of items as unknown[]) {
    if (valid.has(stringified(item) ?? '')) expect(stored.has((item as { id: string }).id), `valide mais pas enregistré : ${JSON.stringify(item)}`).toBe(true);
  }
}

/** JSON.stringify recurses: an item nested 50,000 deep (hostile.ts) overflows the stack, and is no valid item anyway. */
function stringified(item: unknown): string | undefined {
  try {
    return JSON.stringify(item);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

const tempDir = useTempDir();
let world: World;

beforeAll(async () => {
  world = await openWorld(tempDir());
}, 60_000);

afterAll(async () => {
  await world?.close();
  const byStatus = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  console.log(`fuzz API (${TEST_STORE_KIND}) : ${total} requêtes sur ${requested.size} routes (${byStatus})`);
});

/**
 * Each seed as it is, sent by an admin, succeeds: else its mutations would all be refused at
 * the first check and never reach the code behind it (a zone need that does not exist once
 * kept every PATCH of a zone at 400). Before the fuzz, which may delete the campaign; the zone
 * goes back to its first step after, so that the fuzz may move it again.
 */
describe('the seeds', () => {
  const idFor: Record<string, () => string> = {
    reports: () => world.ids.report,
    users: () => world.target.id,
    zones: () => world.ids.zone,
    campaigns: () => world.ids.campaign,
  };
  it.each(Object.keys(SEEDS) as RouteKey[])('%s', async (route) => {
    const [method, template] = route.split(' ') as [HTTPMethods, string];
    const { query = {}, body } = SEEDS[route]!;
    const url = template.replace(':id', () => idFor[template.split('/')[3]!]!()) + (Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : '');
    const headers = route === 'POST /api/v1/session' ? {} : world.sessions.admin.headers;
    const response = await world.app.inject({ method, url, headers, ...(body && { payload: body() as object }) });
    expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(300);
    if (route === 'POST /api/v1/readings' || route === 'POST /api/v1/reports') expect(response.json().rejected).toEqual([]);
    if (route === 'POST /api/v1/zones/:id/status') {
      const back = await world.app.inject({ method, url, headers, payload: { status: 'a-etudier', reason: 'remise à l’étude' } });
      expect(back.statusCode, back.body).toBe(200);
    }
  });
});

/** The property fuzzed for one route: any request to it is answered as the file's comment says. */
function routeProperty(route: RouteKey) {
  const [method, template] = route.split(' ') as [HTTPMethods, string];
  const seed = SEEDS[route];
  const realIds = [world.ids.zone, world.ids.campaign, world.ids.report, world.target.id, CELL, '34261', ...world.ids.spareTokens];
  const params = (template.match(/:\w+/g) ?? []).map(() => pathParam(realIds));
  const request = fc.record({
    auth,
    params: params.length === 0 ? fc.constant([] as string[]) : fc.tuple(...params),
    query: queryString(seed?.query ?? {}, QUERY_NAMES),
    body:
      method === 'GET' || method === 'DELETE'
        ? fc.oneof({ arbitrary: fc.constant({ payload: undefined } as Body), weight: 8 }, { arbitrary: bodyFor(seed), weight: 1 })
        : bodyFor(seed),
    contentType,
    // Anything else the client may add: a bogus CSRF header, an origin, an accept.
    accept: fc.constantFrom(undefined, 'text/html', '*/*', 'application/xml'),
  });

  return fc.asyncProperty(request, async ({ auth: who, params: values, query, body, contentType: type, accept }) => {
    const { payload } = body;
    let index = 0;
    const url = template.replace(/:\w+/g, () => values[index++]!) + query;
    const headers = { ...(await headersFor(world, who, route === 'DELETE /api/v1/session')) };
    if (payload !== undefined && type !== undefined) headers['content-type'] = type;
    if (accept !== undefined) headers.accept = accept;
    const markBefore = await world.commitMark();
    const digestBefore = await world.contentDigest();
    const before = await world.counts();

    const response = await world.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

    total += 1;
    requested.set(route, (requested.get(route) ?? 0) + 1);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const what = `${method} ${url.slice(0, 200)} [${who.kind}] ${typeof payload === 'string' ? payload.slice(0, 200) : String(payload?.length ?? '')}`;
    expect(response.statusCode, `${what} → ${response.body.slice(0, 500)}`).toBeLessThan(500);
    // No `__proto__` or `constructor.prototype` key reached Object.prototype.
    expect(
      Object.getOwnPropertyNames(Object.prototype).filter((name) => !PROTOTYPE_NAMES.has(name)),
      what,
    ).toEqual([]);
    const after = await world.counts();
    if (response.statusCode >= 400) {
      checkClientError(response);
      expect(await world.contentDigest(), `${what} → ${response.statusCode} a écrit dans la base`).toBe(digestBefore);
      expect(after).toEqual(before);
      return;
    }
    checkCounts(route, response.statusCode, before, after, () => response.json());
    // The watcher does see commits, and so does the digest (else the 4xx check above would prove nothing).
    if (COUNTED.some((table) => after[table] !== before[table])) {
      expect(await world.commitMark(), what).not.toBe(markBefore);
      expect(await world.contentDigest(), what).not.toBe(digestBefore);
    }
    if (response.statusCode === 200 && (route === 'POST /api/v1/readings' || route === 'POST /api/v1/reports')) {
      const field = route === 'POST /api/v1/readings' ? 'readings' : 'reports';
      await checkBatch(world, body, field, response.json());
    }
  });
}

describe('API fuzz', () => {
  it.each(ROUTES)('%s', async (route) => {
    await fc.assert(routeProperty(route), runs(PER_ROUTE));
    expect(requested.get(route)).toBeGreaterThanOrEqual(1);
  });
});

/**
 * Every run of `npm run test:fuzz` that ever failed, replayed exactly (fast-check's `seed` and
 * `path`, as its report prints them) by every `npm test`: fixed once, it stays fixed.
 */
describe('seeds that once failed', () => {
  it.each(FAILED_RUNS)('$route, seed $seed, path $path', async ({ route, seed, path }) => {
    await fc.assert(routeProperty(route), { seed, path, endOnFailure: true });
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
    expect(response.json()).toEqual({ error: 'Codes INSEE inconnus : « {"toString":""} », « "" »' });
  });

  it('a path parameter over fastify’s 100 characters: 414 in French, without echoing the path', async () => {
    const response = await world.app.inject({ method: 'GET', url: `/api/v1/zones/${'9'.repeat(5_000)}`, headers: world.sessions.reviewer.headers });
    expect(response.statusCode).toBe(414);
    checkClientError(response);
    expect(response.body).not.toContain('999');
  });

  it('an empty agent id in a campaign: 400 in French, not valibot’s English', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: world.sessions.reviewer.headers,
      payload: { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'], agentIds: [world.sessions.agent.id, ''] },
    });
    expect(response.statusCode).toBe(400);
    checkClientError(response);
    expect(response.json().error).toContain('L’identifiant d’un agent est vide');
  });

  it('a body field named « undefined »: echoed between « », which the French check skips (seed 508192870, issue 14)', async () => {
    const response = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${world.target.id}`,
      headers: world.sessions.admin.headers,
      payload: { undefined: 1 },
    });
    expect(response.statusCode).toBe(400);
    checkClientError(response);
    expect(response.json().error).toMatch(/^Champs inconnus : « undefined »\./);
  });

  it('a zone move without its reason: the missing field named in French', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/zones/${world.ids.zone}/status`,
      headers: world.tokens.reviewer.headers,
      payload: { status: 'retenue' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Champ obligatoire manquant : reason' });
  });
});
