import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { addUser, makeReading, type Caller, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';

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

async function post(readings: Reading[]): Promise<void> {
  for (let start = 0; start < readings.length; start += 500) {
    const response = await postReadings(server.app, readings.slice(start, start + 500), admin);
    expect(response.json().accepted).toHaveLength(Math.min(500, readings.length - start));
  }
}

function get(url: string) {
  return server.app.inject({ method: 'GET', url, headers: admin.headers });
}

function ids(response: Awaited<ReturnType<typeof get>>): string[] {
  return response.json().features.map((feature: { id: string }) => feature.id);
}

describe('GET /api/v1/readings', () => {
  it('answers a GeoJSON FeatureCollection of points with each reading and its level', async () => {
    const reading = makeReading({ lon: 3.5494, lat: 43.7339, signalDbm: -110, voice: 'failed' });
    await post([reading]);
    const response = await get('/api/v1/readings');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.link).toBeUndefined();
    expect(response.json()).toEqual({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: reading.id,
          geometry: { type: 'Point', coordinates: [3.5494, 43.7339] },
          properties: { ...reading, level: 'CL', commune: '34261', outsideCommunes: false, placement: 'centre' },
        },
      ],
    });
  });

  it('answers an empty collection when nothing matches', async () => {
    const response = await get('/api/v1/readings?bbox=-1,-1,1,1');
    expect(response.json()).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('keeps only the readings inside bbox', async () => {
    const inside = [makeReading({ lon: 3.55, lat: 43.73 }), makeReading({ lon: 3.9, lat: 43.6 })];
    const outside = [makeReading({ lon: 2.35, lat: 48.85 }), makeReading({ lon: 3.55, lat: 43.5 })];
    await post([outside[0]!, inside[0]!, outside[1]!, inside[1]!]);
    expect(ids(await get('/api/v1/readings?bbox=3.2,43.6,4.1,43.9'))).toEqual(inside.map((r) => r.id));
  });

  it('keeps only the readings recorded since a given instant or day', async () => {
    const old = makeReading({ recordedAt: '2026-05-02T23:59:59Z' });
    const recent = makeReading({ recordedAt: '2026-05-03T00:00:00Z' });
    await post([old, recent]);
    expect(ids(await get('/api/v1/readings?since=2026-05-03'))).toEqual([recent.id]);
    expect(ids(await get('/api/v1/readings?since=2026-05-03T02:00:00%2B02:00'))).toEqual([recent.id]);
    expect(ids(await get('/api/v1/readings?since=2026-05-02T23:00:00Z'))).toEqual([old.id, recent.id]);
  });

  it('pages with limit and cursor through every reading exactly once, in the order received', async () => {
    const readings = Array.from({ length: 1234 }, () => makeReading());
    await post(readings);

    const seen: string[] = [];
    let url: string | undefined = '/api/v1/readings?limit=100';
    let pages = 0;
    while (url) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      seen.push(...ids(response));
      pages += 1;
      if (body.nextCursor === undefined) {
        expect(response.headers.link).toBeUndefined();
        url = undefined;
      } else {
        // The Link header and the foreign member say the same thing.
        const next = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link))?.[1];
        expect(next).toBe(`/api/v1/readings?limit=100&cursor=${body.nextCursor}`);
        url = next;
      }
    }
    expect(pages).toBe(13);
    expect(seen).toEqual(readings.map((r) => r.id));
  });

  it('keeps bbox and since on the next page link', async () => {
    const inBox = Array.from({ length: 5 }, () => makeReading({ lon: 3.5, lat: 43.7 }));
    await post([...inBox, makeReading({ lon: 0, lat: 0 })]);
    const first = await get('/api/v1/readings?bbox=3,43,4,44&since=2026-01-01&limit=3');
    const link = /^<([^>]+)>/.exec(String(first.headers.link))![1]!;
    const params = new URL(link, 'http://x').searchParams;
    expect([params.get('bbox'), params.get('since'), params.get('limit')]).toEqual(['3,43,4,44', '2026-01-01', '3']);
    expect([...ids(first), ...ids(await get(link))]).toEqual(inBox.map((r) => r.id));
  });

  it('gives 1000 readings per page unless told otherwise', async () => {
    await post(Array.from({ length: 1001 }, () => makeReading()));
    const response = await get('/api/v1/readings');
    expect(response.json().features).toHaveLength(1000);
    expect(response.json().nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['bbox=3,43,4', /quatre nombres/],
    ['bbox=3,43,4,44,5', /quatre nombres/],
    ['bbox=a,b,c,d', /quatre nombres/],
    ['bbox=3,,4,44', /quatre nombres/],
    ['bbox=0x3,43,4,44', /quatre nombres/],
    ['bbox=Infinity,43,4,44', /quatre nombres/],
    ['bbox=1e999,43,4,44', /quatre nombres/],
    ['bbox=', /quatre nombres/],
    ['bbox=3,43,181,44', /longitudes/],
    ['bbox=3,-91,4,44', /latitudes/],
    ['bbox=3,44,4,43', /minLat dépasse maxLat/],
    ['bbox=179,-10,-179,10', /antiméridien/],
    ['since=yesterday', /ISO 8601/],
    ['since=2026-05-04T10:15:00', /ISO 8601/],
    ['since=2026-05-04T10:15:00+02:00', /%2B/],
    ['limit=0', /1 à 5000/],
    ['limit=5001', /1 à 5000/],
    ['limit=1.5', /1 à 5000/],
    ['limit=-3', /1 à 5000/],
    ['limit=', /1 à 5000/],
    ['cursor=nope', /nextCursor/],
    ['cursor=', /nextCursor/],
    ['limt=10', /Paramètre inconnu : « limt »/],
    ['limit=10&limit=20', /une seule fois/],
  ])('refuses %s with 400 and says why', async (query, why) => {
    await post([makeReading()]);
    const response = await get(`/api/v1/readings?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ error: expect.stringMatching(why) });
  });
});
