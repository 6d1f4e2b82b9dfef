import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readingLevel } from '../../src/domain/level.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { CLUSTER_BELOW_ZOOM, ClusterAccumulator } from '../../src/domain/reading-clusters.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { RadioTechnology } from '../../src/domain/signal.ts';
import { addUser, makeReading, MONTPELLIER, NIMES, openTestApp, postReadings, SAINT_GUILHEM, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * GET /api/v1/readings with `zoom` (clusters below CLUSTER_BELOW_ZOOM, points from it on)
 * and the `operator` and `technology` filters, in both modes.
 */

const tempDir = useTempDir();
let server: TestApp;
let admin: Caller;

beforeEach(async () => {
  server = await openTestApp(tempDir());
  admin = await addUser(server.app, { role: 'admin' });
});

afterEach(async () => {
  await server.close();
});

const RADIO: readonly RadioTechnology[] = ['2G', '3G', '4G', '5G'];
/** Covers the Hérault and the Gard: every reading below. */
const WIDE = '2.5,43.2,4.9,44.1';

/** `count` readings scattered within ~3 km of `around`, of every operator, technology and level. */
function scattered(count: number, around: { lat: number; lon: number }, seed: number, overrides: Partial<Reading> = {}): Reading[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const technology = RADIO[Math.floor(next() * RADIO.length)]!;
    return makeReading({
      lat: Number((around.lat + (next() - 0.5) * 0.05).toFixed(6)),
      lon: Number((around.lon + (next() - 0.5) * 0.05).toFixed(6)),
      operator: OPERATORS[Math.floor(next() * OPERATORS.length)]!,
      technology,
      signalDbm: Math.round(-112 + next() * 40),
      voice: next() < 0.1 ? 'failed' : 'ok',
      ...overrides,
    });
  });
}

async function post(readings: Reading[], caller = admin): Promise<void> {
  for (let start = 0; start < readings.length; start += 500) {
    const response = await postReadings(server.app, readings.slice(start, start + 500), caller);
    expect(response.json().accepted).toHaveLength(Math.min(500, readings.length - start));
  }
}

function get(url: string, caller = admin) {
  return server.app.inject({ method: 'GET', url, headers: caller.headers });
}

interface ClusterFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { key: string; count: number; byLevel: Record<string, number> };
}

async function clusters(url: string, caller = admin): Promise<ClusterFeature[]> {
  const response = await get(url, caller);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  expect(body.type).toBe('FeatureCollection');
  expect(body.clustered).toBe(true);
  return body.features;
}

/** What the worker's ClusterAccumulator makes of the same readings, by key. */
function accumulated(readings: Reading[], zoom: number): Map<string, ClusterFeature> {
  const accumulator = new ClusterAccumulator(zoom);
  for (const reading of readings) accumulator.add(reading.lat, reading.lon, readingLevel(reading));
  return new Map(accumulator.features().map((feature) => [feature.properties.key, feature]));
}

function expectSameClusters(actual: ClusterFeature[], readings: Reading[], zoom: number): void {
  const expected = accumulated(readings, zoom);
  expect(actual.map((f) => f.properties.key).sort()).toEqual([...expected.keys()].sort());
  for (const feature of actual) {
    const twin = expected.get(feature.properties.key)!;
    expect(feature.properties).toEqual(twin.properties);
    // Sums taken in another order may round the mean differently in the last place.
    expect(feature.geometry.coordinates[0]).toBeCloseTo(twin.geometry.coordinates[0], 5);
    expect(feature.geometry.coordinates[1]).toBeCloseTo(twin.geometry.coordinates[1], 5);
  }
}

const total = (features: ClusterFeature[]) => features.reduce((sum, f) => sum + f.properties.count, 0);

describe('GET /api/v1/readings?zoom= below 13: clusters', () => {
  it.each([4, 9, 12])('at zoom %i, groups every reading of the box as the worker’s ClusterAccumulator does', async (zoom) => {
    const readings = [...scattered(700, SAINT_GUILHEM, 1), ...scattered(400, MONTPELLIER, 2), ...scattered(300, NIMES, 3)];
    await post(readings);
    const response = await get(`/api/v1/readings?bbox=${WIDE}&zoom=${zoom}`);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(response.headers.link).toBeUndefined();
    expect(response.json().nextCursor).toBeUndefined();
    const features = await clusters(`/api/v1/readings?bbox=${WIDE}&zoom=${zoom}`);
    expect(total(features)).toBe(readings.length);
    expectSameClusters(features, readings, zoom);
    for (const { properties } of features) {
      expect(Object.values(properties.byLevel).reduce((a, b) => a + b, 0)).toBe(properties.count);
    }
  });

  it('keeps to the box, edges included, with no paging even past the largest page', async () => {
    const montpellier = scattered(5100, MONTPELLIER, 4);
    const edge = makeReading({ lat: 43.9, lon: 3.95 });
    await post([...montpellier, edge, ...scattered(20, NIMES, 5)]);
    const features = await clusters('/api/v1/readings?bbox=3.7,43.5,3.95,43.9&zoom=10');
    expect(total(features)).toBe(montpellier.length + 1);
    expectSameClusters(features, [...montpellier, edge], 10);
  });

  it('clusters everything in scope without a box', async () => {
    const readings = [...scattered(50, SAINT_GUILHEM, 6), ...scattered(30, NIMES, 7)];
    await post(readings);
    const features = await clusters('/api/v1/readings?zoom=6');
    expectSameClusters(features, readings, 6);
  });

  it('answers an empty collection when nothing matches', async () => {
    await post(scattered(10, NIMES, 8));
    expect((await get('/api/v1/readings?bbox=-1,-1,1,1&zoom=8')).json()).toEqual({ type: 'FeatureCollection', clustered: true, features: [] });
  });

  it('counts only the readings the caller may read', async () => {
    const agentMontpellier = await addUser(server.app, { communes: ['34172'] });
    const reviewer34 = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const reviewer30 = await addUser(server.app, { role: 'reviewer', departement: '30' });
    const inMontpellier = scattered(60, MONTPELLIER, 9);
    const inSaintGuilhem = scattered(80, SAINT_GUILHEM, 10);
    const inNimes = scattered(40, NIMES, 11);
    // The agent's own readings in Nîmes, outside their communes: theirs to read all the same.
    const agentsOwn = scattered(7, NIMES, 12);
    await post([...inMontpellier, ...inSaintGuilhem, ...inNimes]);
    await post(agentsOwn, agentMontpellier);

    const url = `/api/v1/readings?bbox=${WIDE}&zoom=9`;
    expectSameClusters(await clusters(url, agentMontpellier), [...inMontpellier, ...agentsOwn], 9);
    expectSameClusters(await clusters(url, reviewer34), [...inMontpellier, ...inSaintGuilhem], 9);
    expectSameClusters(await clusters(url, reviewer30), [...inNimes, ...agentsOwn], 9);
    expect(total(await clusters(url))).toBe(187);
    expect((await server.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('filters by operator, technology and since', async () => {
    const readings = [...scattered(300, SAINT_GUILHEM, 13), ...scattered(300, MONTPELLIER, 14, { recordedAt: '2026-05-01T08:00:00Z' })];
    await post(readings);
    const base = `/api/v1/readings?bbox=${WIDE}&zoom=11`;
    const orangeSfr = readings.filter((r) => r.operator === 'orange' || r.operator === 'sfr');
    expect(orangeSfr.length).toBeGreaterThan(0);
    expect(orangeSfr.length).toBeLessThan(readings.length);
    expectSameClusters(await clusters(`${base}&operator=orange,sfr`), orangeSfr, 11);
    expectSameClusters(
      await clusters(`${base}&technology=5G`),
      readings.filter((r) => r.technology === '5G'),
      11,
    );
    const free4G = readings.filter((r) => r.operator === 'free' && r.technology === '4G');
    expectSameClusters(await clusters(`${base}&operator=free&technology=4G,4G`), free4G, 11);
    expectSameClusters(await clusters(`${base}&since=2026-05-02`), readings.slice(0, 300), 11);
  });

  it('refuses limit and cursor, which have no meaning without pages', async () => {
    for (const url of ['/api/v1/readings?zoom=9&limit=100', '/api/v1/readings?zoom=12&cursor=NA', '/api/v1/readings?zoom=0&limit=1&cursor=NA']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error).toMatch(/^(limit|cursor|limit et cursor) : sans objet sous le zoom 13/);
    }
  });
});

describe('GET /api/v1/readings from zoom 13, or without zoom: points', () => {
  it(`answers the points, paged as before, at zoom ${CLUSTER_BELOW_ZOOM} and above`, async () => {
    const readings = scattered(30, SAINT_GUILHEM, 15);
    await post(readings);
    for (const zoom of [CLUSTER_BELOW_ZOOM, 18, 22]) {
      const response = await get(`/api/v1/readings?zoom=${zoom}&limit=20`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.clustered).toBeUndefined();
      expect(body.features.map((f: { id: string }) => f.id)).toEqual(readings.slice(0, 20).map((r) => r.id));
      expect(body.features[0].properties).toEqual({
        ...readings[0],
        level: readingLevel(readings[0]!),
        commune: '34261',
        outsideCommunes: false,
        placement: 'centre',
      });
      expect(new URL(String(response.headers.link).slice(1, -13), 'http://x').searchParams.get('zoom')).toBe(String(zoom));
    }
  });

  it('filters points by operator and technology, and keeps the filters on the next page link', async () => {
    const readings = scattered(200, SAINT_GUILHEM, 16);
    await post(readings);
    const wanted = readings.filter((r) => (r.operator === 'bouygues' || r.operator === 'free') && r.technology !== '2G');
    expect(wanted.length).toBeGreaterThan(10);

    const seen: string[] = [];
    let url: string | undefined = '/api/v1/readings?operator=bouygues,free&technology=3G,4G,5G&zoom=15&limit=10';
    while (url) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      seen.push(...body.features.map((f: { id: string }) => f.id));
      if (body.nextCursor === undefined) url = undefined;
      else {
        url = /^<([^>]+)>/.exec(String(response.headers.link))![1]!;
        const params = new URL(url, 'http://x').searchParams;
        expect([params.get('operator'), params.get('technology'), params.get('zoom')]).toEqual(['bouygues,free', '3G,4G,5G', '15']);
      }
    }
    expect(seen).toEqual(wanted.map((r) => r.id));
    // Without zoom too.
    const noZoom = await get('/api/v1/readings?operator=sfr&limit=5000');
    expect(noZoom.json().features.map((f: { id: string }) => f.id)).toEqual(readings.filter((r) => r.operator === 'sfr').map((r) => r.id));
  });

  it('filters points within the caller’s scope', async () => {
    const agent = await addUser(server.app, { communes: ['34172'] });
    const readings = [...scattered(40, MONTPELLIER, 17), ...scattered(40, SAINT_GUILHEM, 18)];
    await post(readings);
    const response = await get('/api/v1/readings?operator=orange&zoom=14', agent);
    expect(response.json().features.map((f: { id: string }) => f.id)).toEqual(
      readings
        .slice(0, 40)
        .filter((r) => r.operator === 'orange')
        .map((r) => r.id),
    );
  });
});

describe('GET /api/v1/readings: bad zoom and filters', () => {
  it.each([
    ['zoom=abc', 'zoom=« abc » : attendu le niveau de zoom de la carte, un entier de 0 à 22.'],
    ['zoom=23', 'zoom=« 23 »'],
    ['zoom=-1', 'zoom=« -1 »'],
    ['zoom=9.5', 'zoom=« 9.5 »'],
    ['zoom=', 'zoom=«  » : attendu'],
    [
      'operator=orange,xyz',
      'operator=« orange,xyz » : opérateur inconnu « xyz » ; attendu une ou plusieurs valeurs parmi orange, sfr, bouygues, free, séparées par des virgules.',
    ],
    ['operator=Orange', 'opérateur inconnu « Orange »'],
    ['operator=', 'operator=«  » : valeur vide'],
    ['operator=orange,,sfr', 'valeur vide'],
    ['technology=6G,4g', 'technology=« 6G,4g » : technologie inconnue « 6G », « 4g » ; attendu une ou plusieurs valeurs parmi none, 2G, 3G, 4G, 5G'],
    ['zoom=9&zoom=10', 'Le paramètre zoom est donné 2 fois'],
    ['operateur=orange', 'Paramètre inconnu : « operateur ». Paramètres acceptés : bbox, since, limit, cursor, zoom, operator, technology.'],
  ])('%s → 400', async (query, message) => {
    const response = await get(`/api/v1/readings?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toContain(message);
  });

  it('refuses a bad box in cluster mode as in point mode', async () => {
    const response = await get('/api/v1/readings?bbox=4,43,3,44&zoom=9');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toContain('minLon dépasse maxLon');
  });
});
