import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { UPLOAD_TEST_BYTES } from '../../src/domain/protocol.ts';
import { qosPageAssetUrls } from '../../src/domain/qos-page.ts';
import { QOS_MESSAGES } from '../../src/server/routes/qos.ts';
import { addUser, openTestApp, RELAXED_SECURITY, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/** The QoS data tests' endpoints (src/server/routes/qos.ts): upload with its digest, download within the budget, the test page. */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
const BUDGET = { ...DEFAULT_FIELD_SETTINGS.dataTest, downloadMaxBytes: 3_000_000, pageBytes: 500_000 };

beforeAll(async () => {
  server = await openTestApp(tempDir(), { field: { ...DEFAULT_FIELD_SETTINGS, dataTest: BUDGET } });
  agent = await addUser(server.app);
});
afterAll(async () => {
  await server.close();
});

const get = (url: string, headers = agent.headers) => server.app.inject({ method: 'GET', url, headers });
const upload = (body: Buffer, contentType = 'application/octet-stream') =>
  server.app.inject({ method: 'POST', url: '/api/v1/qos/upload?t=1', headers: { ...agent.headers, 'content-type': contentType }, payload: body });

describe('POST /api/v1/qos/upload', () => {
  it('answers the SHA-256 of the megabyte it received, so that the phone can tell it arrived intact', async () => {
    const sent = randomBytes(UPLOAD_TEST_BYTES);
    const response = await upload(sent);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ receivedBytes: UPLOAD_TEST_BYTES, sha256: createHash('sha256').update(sent).digest('hex') });
  });

  it('refuses more than the test’s megabyte, and bytes sent as anything but octets, in French', async () => {
    const tooLarge = await upload(randomBytes(UPLOAD_TEST_BYTES + 1));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({ error: QOS_MESSAGES.tooLarge });
    const text = await upload(Buffer.from('bonjour'), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({ error: QOS_MESSAGES.wrongType });
  });
});

describe('GET /api/v1/qos/download', () => {
  it('sends the budget’s bytes by default, or fewer when asked, uncompressible and never cached', async () => {
    const whole = await get('/api/v1/qos/download?t=a');
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('application/octet-stream');
    expect(whole.headers['cache-control']).toBe('no-store');
    expect(whole.rawPayload.length).toBe(BUDGET.downloadMaxBytes);
    expect(gzipSync(whole.rawPayload.subarray(0, 200_000)).length).toBeGreaterThan(199_000);
    expect((await get('/api/v1/qos/download?bytes=12345')).rawPayload.length).toBe(12_345);
  });

  it('refuses more than the deployment’s budget in French', async () => {
    const response = await get(`/api/v1/qos/download?bytes=${BUDGET.downloadMaxBytes + 1}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('bytes=« 3000001 » : attendu un nombre entier d’octets de 1 à 3 000 000.');
  });
});

describe('GET /api/v1/qos/page', () => {
  it('serves a document naming its resources, all of them together weighing the page budget', async () => {
    const page = await get('/api/v1/qos/page?t=xyz');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const urls = qosPageAssetUrls(page.body);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    expect(urls.every((url) => url.endsWith('?t=xyz'))).toBe(true);
    let total = page.rawPayload.length;
    for (const url of urls) {
      const asset = await get(url);
      expect(asset.statusCode, url).toBe(200);
      expect(asset.headers['content-type']).toBe('application/octet-stream');
      total += asset.rawPayload.length;
    }
    expect(Math.abs(total - BUDGET.pageBytes)).toBeLessThan(BUDGET.pageBytes * 0.02);
    const unknown = await get('/api/v1/qos/page/passwd');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: QOS_MESSAGES.unknownAsset });
  });
});

describe('a deployment without data tests (QOS_DATA_TESTS=0)', () => {
  it('answers each endpoint 404 with the reason, in French', async () => {
    const off = await openTestApp(tempDir(), { field: { ...DEFAULT_FIELD_SETTINGS, dataTest: { ...BUDGET, enabled: false } }, security: RELAXED_SECURITY });
    try {
      const caller = await addUser(off.app);
      for (const url of ['/api/v1/qos/download?bytes=10', '/api/v1/qos/page', '/api/v1/qos/page/app.js']) {
        const response = await off.app.inject({ method: 'GET', url, headers: caller.headers });
        expect(response.statusCode, url).toBe(404);
        expect(response.json()).toEqual({ error: QOS_MESSAGES.disabled });
      }
    } finally {
      await off.close();
    }
  });
});
