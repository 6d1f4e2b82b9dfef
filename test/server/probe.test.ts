import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROBE_BYTES } from '../../src/domain/field-settings.ts';
import { MESSAGES } from '../../src/server/access/enforce.ts';
import { PROBE_MESSAGES } from '../../src/server/routes/probe.ts';
import { addUser, openTestApp, RELAXED_SECURITY, useTempDir, type Caller, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
let scriptUser: Caller;

beforeAll(async () => {
  server = await openTestApp(tempDir());
  agent = await addUser(server.app);
  scriptUser = await addUser(server.app, { communes: ['34172'] }, 'token');
});
afterAll(async () => {
  await server.close();
});

const download = (query: string, headers = agent.headers) => server.app.inject({ method: 'GET', url: `/api/v1/probe${query}`, headers });
const upload = (body: Buffer | undefined, headers: Record<string, string> = { ...agent.headers, 'content-type': 'application/octet-stream' }, query = '') =>
  server.app.inject({ method: 'POST', url: `/api/v1/probe${query}`, headers, ...(body && { payload: body }) });

describe('GET /api/v1/probe', () => {
  it.each([1, 1000, 200_000, MAX_PROBE_BYTES])('answers exactly %i bytes, never cached', async (bytes) => {
    const response = await download(`?bytes=${bytes}&t=lz3k-1`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-length']).toBe(String(bytes));
    expect(response.rawPayload.length).toBe(bytes);
  });

  it('sends bytes that compression cannot shrink, so the figure is the network’s', async () => {
    const body = (await download('?bytes=100000')).rawPayload;
    expect(gzipSync(body).length).toBeGreaterThan(99_000);
  });

  it('keeps the security headers of every answer', async () => {
    const response = await download('?bytes=10');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it.each(['', '?bytes=0', '?t=abc'])('answers an empty 200 to %j: a bare round trip', async (query) => {
    const response = await download(query);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload.length).toBe(0);
  });

  it.each(['1000001', '-1', '1.5', 'abc', '1e3', '', '99999999999'])('refuses bytes=%j with a French message', async (bytes) => {
    const response = await download(`?bytes=${bytes}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: `bytes=« ${bytes} » : ${PROBE_MESSAGES.badBytes}.` });
    expect(response.json().error).toContain('1 000 000');
  });

  it('refuses an unknown or repeated parameter', async () => {
    expect((await download('?byte=100')).json()).toEqual({ error: expect.stringContaining('Paramètre inconnu : « byte »') });
    expect((await download('?bytes=1&bytes=2')).statusCode).toBe(400);
  });

  it('answers a script’s API token, and nobody signed out', async () => {
    expect((await download('?bytes=5', scriptUser.headers)).rawPayload.length).toBe(5);
    const anonymous = await download('?bytes=5', {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: MESSAGES.signedOut });
  });
});

describe('POST /api/v1/probe', () => {
  it.each([1, 100_000, MAX_PROBE_BYTES])('counts the %i bytes received', async (bytes) => {
    const response = await upload(Buffer.alloc(bytes, 7), undefined, `?bytes=${bytes}&t=x`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ receivedBytes: bytes });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('counts an empty upload as 0 bytes', async () => {
    expect((await upload(undefined)).json()).toEqual({ receivedBytes: 0 });
    expect((await upload(undefined, agent.headers)).json()).toEqual({ receivedBytes: 0 });
  });

  it('refuses more than the probe’s maximum with 413', async () => {
    const response = await upload(Buffer.alloc(MAX_PROBE_BYTES + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: PROBE_MESSAGES.tooLarge });
  });

  it.each([
    ['no Content-Type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
  ])('refuses a body sent with %s (415), saying which type to send', async (_name, type) => {
    const response = await upload(Buffer.from('abc'), { ...agent.headers, ...type });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: PROBE_MESSAGES.wrongType });
  });

  it('refuses a JSON body (415)', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/probe', headers: agent.headers, payload: { bytes: 3 } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: PROBE_MESSAGES.wrongType });
  });

  it('leaves the other routes JSON-only: octet-stream is the probe’s alone', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/readings',
      headers: { ...agent.headers, 'content-type': 'application/octet-stream' },
      payload: Buffer.from('{"readings":[]}'),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toContain('application/json');
  });

  it('needs the CSRF token with a session, not with an API token, and a signed-in caller', async () => {
    const withoutCsrf = await upload(Buffer.alloc(10), { cookie: agent.headers.cookie!, 'content-type': 'application/octet-stream' });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json()).toMatchObject({ error: MESSAGES.csrf });
    expect((await upload(Buffer.alloc(10), { ...scriptUser.headers, 'content-type': 'application/octet-stream' })).json()).toEqual({ receivedBytes: 10 });
    expect((await upload(Buffer.alloc(10), { 'content-type': 'application/octet-stream' })).statusCode).toBe(401);
  });
});

describe('probe budget per client', () => {
  it('answers 429 with a French message past the limit, in each direction', async () => {
    const limited = await openTestApp(tempDir(), {
      security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, probe: { max: 3, windowS: 60 } } },
    });
    try {
      const caller = await addUser(limited.app, { communes: ['34172'] }, 'token');
      const get = () => limited.app.inject({ method: 'GET', url: '/api/v1/probe?bytes=10', headers: caller.headers });
      const post = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/probe',
          headers: { ...caller.headers, 'content-type': 'application/octet-stream' },
          payload: Buffer.alloc(10),
        });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await get()).statusCode, (await post()).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect((await get()).json()).toEqual({ error: expect.stringMatching(/^Trop de requêtes : réessayez dans \d+ s$/) });
    } finally {
      await limited.close();
    }
  });
});
