import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, openTestApp, signIn, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: an API token kept working after its account's password, role, communes or
 * département changed (keeping the old role's power) or after the account was disabled. Each
 * of these changes now ends the account's tokens along with its sessions.
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

const status = async (headers: Record<string, string>) => (await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers })).statusCode;

it.each([
  ['a new password', { password: 'un tout nouveau mot de passe' }],
  ['a new role', { role: 'reviewer', departement: '34' }],
  ['new communes', { communes: ['34172'] }],
  ['being disabled', { disabled: true }],
])('%s ends the account’s API tokens and sessions', async (_change, patch) => {
  const scripted = await addUser(server.app, { communes: ['34261'] }, 'token');
  const session = await signIn(server.app, scripted.email);
  expect(await status(scripted.headers)).toBe(200);
  expect(await status(session)).toBe(200);

  const changed = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${scripted.id}`, headers: admin.headers, payload: patch });
  expect(changed.statusCode, changed.body).toBe(200);

  expect(await status(scripted.headers)).toBe(401);
  expect(await status(session)).toBe(401);
  const tokens = await server.app.inject({ method: 'GET', url: `/api/v1/tokens?userId=${scripted.id}`, headers: admin.headers });
  expect(tokens.json()).toEqual({ tokens: [] });
});

it('a reviewer’s new département ends their API tokens and sessions', async () => {
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' }, 'token');
  const session = await signIn(server.app, reviewer.email);
  expect(await status(reviewer.headers)).toBe(200);

  const moved = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${reviewer.id}`, headers: admin.headers, payload: { departement: '30' } });
  expect(moved.statusCode, moved.body).toBe(200);

  expect(await status(reviewer.headers)).toBe(401);
  expect(await status(session)).toBe(401);
});

it('a change that leaves the power as it was (a new name) ends nothing', async () => {
  const scripted = await addUser(server.app, { communes: ['34261'] }, 'token');
  const renamed = await server.app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${scripted.id}`,
    headers: admin.headers,
    payload: { name: 'Nouveau nom', communes: ['34261'] },
  });
  expect(renamed.statusCode).toBe(200);
  expect(await status(scripted.headers)).toBe(200);
});
