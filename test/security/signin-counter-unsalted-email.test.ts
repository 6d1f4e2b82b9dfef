import { createHash } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { addUser, openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';
import { tableRows } from '../support/test-store.ts';

/**
 * Finding: failed sign-ins were counted under the e-mail's plain SHA-256, so a copy of the
 * database told who had been targeted (hash a list of e-mails and compare). The key is now an
 * HMAC under the deployment's key, as client addresses are.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

it('stores neither the e-mail nor its unsalted hash in the counters', async () => {
  server = await openTestApp(tempDir());
  const { email } = await addUser(server.app);
  const failed = await server.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: '203.0.113.7',
    payload: { email, password: 'pas le bon mot de passe' },
  });
  expect(failed.statusCode).toBe(401);

  const { counters } = await tableRows(server.location, ['counters']);
  const keys = (counters as { key: string }[]).map((row) => row.key);
  expect(keys.some((key) => key.startsWith('login-failures:'))).toBe(true);
  const hex = createHash('sha256').update(email).digest('hex');
  const base64 = createHash('sha256').update(email).digest('base64url');
  for (const key of keys) {
    expect(key).not.toContain(email);
    expect(key).not.toContain(hex);
    expect(key).not.toContain(base64.slice(0, 16));
    expect(key).not.toContain('203.0.113.7');
  }
});
