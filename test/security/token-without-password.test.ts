import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, openTestApp, RELAXED_SECURITY, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: a stolen browser session (an unlocked laptop, a copied cookie) could mint an API
 * token without knowing the password, and keep access after the session ended. Creating a
 * token from a session now asks for the current password of whoever is signed in, checked
 * and counted like a sign-in.
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;

beforeEach(async () => {
  server = await openTestApp(tempDir(), {
    security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, loginFailuresPerEmail: { max: 5, windowS: 900 } } },
  });
  agent = await addUser(server.app);
});
afterEach(async () => {
  await server.close();
});

const create = (headers: Record<string, string>, payload: object) => server.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });

it('asks for the current password: none is a 400, a wrong one a 403, the right one creates the token', async () => {
  const none = await create(agent.headers, { name: 'volé' });
  expect(none.statusCode).toBe(400);
  expect(none.json().error).toMatch(/mot de passe/);
  const wrong = await create(agent.headers, { name: 'volé', password: 'pas le bon mot de passe' });
  expect(wrong.statusCode).toBe(403);
  expect(wrong.json()).toEqual({ error: expect.stringMatching(/Mot de passe incorrect/) });
  expect((await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: agent.headers })).json().tokens).toEqual([]);

  const right = await create(agent.headers, { name: 'import', password: TEST_PASSWORD });
  expect(right.statusCode).toBe(201);
  expect(right.json().token).toMatch(/^cvt_/);
});

it('counts wrong passwords like failed sign-ins: the fifth locks both for that client', async () => {
  for (let i = 0; i < 5; i += 1) expect((await create(agent.headers, { name: 'volé', password: `essai ${i} raté` })).statusCode).toBe(403);
  const locked = await create(agent.headers, { name: 'volé', password: TEST_PASSWORD });
  expect(locked.statusCode).toBe(429);
  expect(locked.headers['retry-after']).toEqual(expect.any(String));
  const signIn = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: agent.email, password: TEST_PASSWORD } });
  expect(signIn.statusCode).toBe(429);
});

it('an admin creating a token for someone else confirms the admin’s own password', async () => {
  const admin = await addUser(server.app, { role: 'admin' });
  const withTargetsPassword = await create(admin.headers, { name: 'pour la mairie', userId: agent.id, password: 'pas le bon mot de passe' });
  expect(withTargetsPassword.statusCode).toBe(403);
  const none = await create(admin.headers, { name: 'pour la mairie', userId: agent.id });
  expect(none.statusCode).toBe(400);
  const confirmed = await create(admin.headers, { name: 'pour la mairie', userId: agent.id, password: TEST_PASSWORD });
  expect(confirmed.statusCode).toBe(201);
});
