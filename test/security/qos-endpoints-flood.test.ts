import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { addUser, openTestApp, RELAXED_SECURITY, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: the QoS data tests' endpoints answer megabytes each (a 10 MB download, a 2 MB page,
 * a 1 MB upload hashed). Used anonymously, or in a loop by one client, they would turn the
 * server into a free bandwidth source. They are for signed-in accounts only, and each route
 * counts its own requests per client (QOS_RATE_*): past the limit, 429 with Retry-After.
 */

const tempDir = useTempDir();
let server: TestApp;

beforeAll(async () => {
  server = await openTestApp(tempDir(), {
    field: { ...DEFAULT_FIELD_SETTINGS, dataTest: { ...DEFAULT_FIELD_SETTINGS.dataTest, downloadMaxBytes: 200_000 } },
    security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, qos: { max: 3, windowS: 60 } } },
  });
});
afterAll(async () => {
  await server.close();
});

describe('the QoS endpoints as a bandwidth source', () => {
  it('answer nobody without an account', async () => {
    for (const url of ['/api/v1/qos/download', '/api/v1/qos/page', '/api/v1/qos/page/hero.jpg']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error).toMatch(/connect/i);
    }
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/qos/upload',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(10),
    });
    expect(upload.statusCode).toBe(401);
  });

  it('stop answering a signed-in client that loops, with Retry-After, in French', async () => {
    const agent = await addUser(server.app);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await server.app.inject({ method: 'GET', url: `/api/v1/qos/download?t=${i}`, headers: agent.headers }));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429, 429]);
    const refused = answers[4]!;
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json().error).toMatch(/requêtes/i);
  });
});
