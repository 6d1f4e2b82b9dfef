import { expect, it } from 'vitest';
import { addUser, useTestApps, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * BREACH: an answer that carries a secret (the session's CSRF token) must not go compressed,
 * or its size, which depends on how well the secret compresses beside other text, tells the
 * secret away a byte at a time. The session of an agent of many communes is well over the
 * size from which JSON answers are compressed.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

// Forty communes of the Hérault (INSEE codes 34001…).
const MANY_COMMUNES = Array.from({ length: 40 }, (_, i) => `34${String(i + 1).padStart(3, '0')}`);

it('sends the session answer, CSRF token included, uncompressed whatever the browser accepts', async () => {
  server = await openApp();
  const agent = await addUser(server.app, { communes: MANY_COMMUNES });
  const response = await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: { ...agent.headers, 'accept-encoding': 'br, gzip' } });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.rawPayload.length).toBeGreaterThan(1024);
  expect(response.headers['content-encoding']).toBeUndefined();
  expect(response.json().csrfToken).toEqual(expect.any(String));
});
