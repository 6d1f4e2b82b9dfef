import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS, type FieldSettings } from '../../src/domain/field-settings.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { OSM, PLAN_IGN } from '../../src/server/tile-sources.ts';
import { addUser, makeReading, NOW, openTestApp, postReadings, TEST_PASSWORD, TEST_PASSWORD_COST, TEST_TILES, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

describe('GET /api/v1/health', () => {
  it('answers ok, never from a cache', async () => {
    server = await openTestApp(tempDir());
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 when the store does not answer', async () => {
    server = await openTestApp(tempDir());
    await server.store.close();
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', error: expect.stringContaining('base de données') });
  });
});

describe('GET /api/v1/config', () => {
  it('gives the base map the page should draw: the one given as `tiles`, as source "custom"', async () => {
    server = await openTestApp(tempDir());
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      tiles: TEST_TILES,
      tileSources: {
        sources: [{ id: 'custom', label: 'Fond de carte local', ...TEST_TILES, minZoom: 0, allowsPrefetch: false, averageTileBytes: 20_000 }],
        defaultSourceId: 'custom',
      },
      field: DEFAULT_FIELD_SETTINGS,
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('lists the base maps offered, and repeats the default one as `tiles` for older pages', async () => {
    const tileSources = { sources: [OSM, PLAN_IGN], defaultSourceId: 'plan-ign' };
    server = await openTestApp(tempDir(), { tileSources });
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(response.json()).toEqual({
      tiles: { url: PLAN_IGN.url, attribution: PLAN_IGN.attribution, maxZoom: 19 },
      tileSources,
      field: DEFAULT_FIELD_SETTINGS,
    });
  });

  it('lets `tiles` say that its source may be pre-downloaded', async () => {
    server = await openTestApp(tempDir(), { tiles: { ...TEST_TILES, allowsPrefetch: true, averageTileBytes: 5000 } });
    const { tileSources } = (await server.app.inject({ method: 'GET', url: '/api/v1/config' })).json();
    expect(tileSources.sources[0]).toMatchObject({ id: 'custom', allowsPrefetch: true, averageTileBytes: 5000 });
  });

  it('refuses to build without a base map, or with a default that is not offered', () => {
    const store = {} as Store;
    expect(() => buildApp({ store })).toThrow(/tileSources/);
    expect(() => buildApp({ store, tileSources: { sources: [OSM], defaultSourceId: 'plan-ign' } })).toThrow(/plan-ign/);
  });

  it('gives the field settings the server was started with', async () => {
    const field: FieldSettings = {
      probe: { enabled: false, latencySamples: 1, downloadBytes: 50_000, uploadBytes: 0, stepTimeoutMs: 3000 },
      track: { spacingM: 250, intervalS: 120 },
      protocol: 'qos',
      dataTest: { enabled: true, downloadMaxBytes: 2_000_000, downloadMaxS: 5, pageBytes: 500_000 },
    };
    server = await openTestApp(tempDir(), { field });
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(response.json()).toEqual({ tiles: TEST_TILES, tileSources: expect.any(Object), field });
  });
});

describe('unknown API routes', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['GET', '/api'],
    ['DELETE', '/api/v1/readings'],
    ['POST', '/api/v1/health'],
  ] as const)('%s %s → 404 JSON', async (method, url) => {
    server = await openTestApp(tempDir());
    const response = await server.app.inject({ method, url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().error).toContain(`${method} ${url}`);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('server faults', () => {
  it('answers 500 without details, and logs the cause', async () => {
    const logged: string[] = [];
    const healthy = await openTestApp(tempDir());
    const admin = await addUser(healthy.app, { role: 'admin' });
    // The same database, except that storing readings fails.
    const failing: Store = { ...healthy.store, ingest: () => Promise.reject(new Error('disk on fire')) };
    const app = buildApp({
      store: failing,
      tiles: TEST_TILES,
      now: () => NOW,
      passwordCost: TEST_PASSWORD_COST,
      logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } },
    });
    server = { app, store: failing, location: healthy.location, close: async () => (await app.close(), await healthy.close()) };

    const response = await postReadings(app, [makeReading()], admin);
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Erreur interne du serveur' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(logged.join('')).toContain('disk on fire');
  });
});

describe('hooks added by the caller', () => {
  // The e2e harness adds a preHandler after buildApp() to simulate outages.
  it('apply to the API routes when added before the server starts', async () => {
    server = await openTestApp(tempDir());
    server.app.addHook('preHandler', async (request, reply) => {
      if (request.url === '/api/v1/readings') return reply.code(503).send({ error: 'Panne simulée' });
    });
    const agent = await addUser(server.app);
    const response = await postReadings(server.app, [makeReading()], agent);
    expect(response.statusCode).toBe(503);
    expect((await server.store.query({ limit: 10 })).readings).toEqual([]);
  });
});

describe('U+0000 in what a client sends (PostgreSQL cannot store or even compare it)', () => {
  it('is refused with a French 400 in identifiers, names and free text, and changes nothing', async () => {
    server = await openTestApp(tempDir());
    const { app } = server;
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const admin = await addUser(app, { role: 'admin' });

    const inUrl = await app.inject({ method: 'GET', url: '/api/v1/zones/abc%00def', headers: reviewer.headers });
    expect(inUrl.statusCode).toBe(400);
    expect(inUrl.json()).toEqual({ error: 'L’adresse contient un caractère nul (U+0000) : retirez-le (%00)' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/communes?q=mont%00', headers: reviewer.headers })).statusCode).toBe(400);

    const zone = await app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: reviewer.headers,
      payload: { name: 'Vallée\u0000', cells: ['CRS3035RES200mN2290000E3782000'], need: 'zone-blanche' },
    });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().error).toContain('Le nom contient un caractère nul (U+0000) : retirez-le');

    const user = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email: 'nul\u0000@example.fr', name: 'Nul', password: 'un long mot de passe', role: 'reviewer', departement: '34' },
    });
    expect(user.statusCode).toBe(400);
    const named = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'jeton\u0000', password: TEST_PASSWORD },
    });
    expect(named.statusCode).toBe(400);
    expect(named.json()).toEqual({ error: 'Le nom du jeton contient un caractère nul (U+0000) : retirez-le' });

    // Signing in as such an address is simply wrong credentials.
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a\u0000@example.fr', password: 'x' } });
    expect(signIn.statusCode).toBe(401);

    expect(await server.store.listZones()).toEqual([]);
    expect((await server.store.listUsers()).map((u) => u.email).sort()).toEqual([admin.email, reviewer.email].sort());
  });

  it('in a reading’s note is kept, escaped in the stored body, without blocking the batch', async () => {
    server = await openTestApp(tempDir());
    const agent = await addUser(server.app);
    const reading = makeReading({ note: 'au fond\u0000 du vallon' });
    const response = await postReadings(server.app, [reading, makeReading()], agent);
    expect(response.statusCode).toBe(200);
    expect(response.json().accepted).toHaveLength(2);
    expect((await server.store.query({ limit: 10 })).readings.find((r) => r.id === reading.id)?.note).toBe('au fond\u0000 du vallon');
  });
});
