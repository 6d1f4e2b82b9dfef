import { afterEach, expect, it } from 'vitest';
import { addUser, openTestApp, TEST_PASSWORD, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: an API token could create more tokens, so that a leaked token outlived its own
 * revocation through the tokens it had made. A token now never creates a token (403).
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

it('refuses to create a token with a token, even with the password, and for someone else', async () => {
  server = await openTestApp(tempDir());
  const agent = await addUser(server.app, {}, 'token');
  const admin = await addUser(server.app, { role: 'admin' }, 'token');
  for (const [caller, payload] of [
    [agent, { name: 'rebond' }],
    [agent, { name: 'rebond', password: TEST_PASSWORD }],
    [admin, { name: 'pour un autre', userId: agent.id, password: TEST_PASSWORD }],
  ] as const) {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: caller.headers, payload });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: expect.stringMatching(/jeton d’API ne peut pas créer/) });
  }
  const listed = await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: agent.headers });
  expect(listed.json().tokens).toHaveLength(1);
});
