import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addUser, useTestApps, postReadings, useTempDir, type TestApp } from './fixtures.ts';
import { AROUND, CELL_A, levelReading, pointIn, surveyThreeCells } from './grid-helpers.ts';

/**
 * GET /api/v1/cells over HTTP: validators (a repeat view costs a 304) and compressed answers
 * (a département's cells are megabytes of JSON). On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

const URL_AROUND = `/api/v1/cells?bbox=${AROUND}`;

async function surveyedApp() {
  server = await openApp();
  return { app: server.app, ...(await surveyThreeCells(server.app)) };
}

describe('GET /api/v1/cells validators', () => {
  it('answers the same query a second time with 304 and the ETag, and with a new ETag after a new reading', async () => {
    const { app, agent, reviewer } = await surveyedApp();
    const first = await app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    expect(first.statusCode).toBe(200);
    expect(first.json().features).toHaveLength(3);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const again = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...reviewer.headers, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('private, no-cache');

    // Another query is another answer.
    const coarser = await app.inject({ method: 'GET', url: `${URL_AROUND}&resolution=1000`, headers: { ...reviewer.headers, 'if-none-match': etag } });
    expect(coarser.statusCode).toBe(200);
    expect(coarser.headers.etag).not.toBe(etag);

    expect((await postReadings(app, [levelReading('PC', { operator: 'free', ...pointIn(CELL_A, 0.2, 0.2) })], agent)).statusCode).toBe(200);
    const after = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...reviewer.headers, 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().features).toHaveLength(3);
  });

  it('never answers 304 to someone else’s scope: the ETag is of the answer each one gets', async () => {
    const { app, reviewer } = await surveyedApp();
    const other = await addUser(app, { role: 'reviewer', departement: '30' });
    const mine = await app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    const theirs = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...other.headers, 'if-none-match': mine.headers.etag as string } });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().features).toEqual([]);
  });
});

describe('compressed JSON answers', () => {
  it('sends brotli to a client that takes it, gzip to one that takes only gzip, the same JSON once decoded', async () => {
    const { app, reviewer } = await surveyedApp();
    const plain = await app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);

    const br = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...reviewer.headers, 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('application/geo+json');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.headers.etag).toBe(plain.headers.etag);

    const gz = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...reviewer.headers, 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);

    const refused = await app.inject({ method: 'GET', url: URL_AROUND, headers: { ...reviewer.headers, 'accept-encoding': 'identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('leaves a small answer and a 304 as they are', async () => {
    const { app, reviewer } = await surveyedApp();
    const small = await app.inject({
      method: 'GET',
      url: '/api/v1/cells?bbox=3.0,50.0,3.001,50.001',
      headers: { ...reviewer.headers, 'accept-encoding': 'br, gzip' },
    });
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ type: 'FeatureCollection', features: [] });

    const first = await app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    const repeat = await app.inject({
      method: 'GET',
      url: URL_AROUND,
      headers: { ...reviewer.headers, 'accept-encoding': 'br', 'if-none-match': first.headers.etag as string },
    });
    expect(repeat.statusCode).toBe(304);
    expect(repeat.headers['content-encoding']).toBeUndefined();
    expect(repeat.rawPayload.length).toBe(0);
  });
});
