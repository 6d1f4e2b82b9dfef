import { afterEach, expect, it } from 'vitest';
import { addUser, NOW, openTestApp, signIn, TEST_PASSWORD, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: API tokens never expired, and nothing showed which ones were still in use. A token
 * may now be given a life in days at creation (an expired one is a 401, like an unknown one),
 * and lists show its last use, written at most once a minute.
 */

const tempDir = useTempDir();
let server: TestApp;
let clock = NOW;
const DAY = 86_400_000;

afterEach(async () => {
  await server.close();
});

it('a token made for 30 days works until then, then is refused as unknown', async () => {
  clock = NOW;
  server = await openTestApp(tempDir(), { now: () => clock });
  const agent = await addUser(server.app);
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: agent.headers,
    payload: { name: 'campagne', password: TEST_PASSWORD, days: 30 },
  });
  expect(created.statusCode, created.body).toBe(201);
  const expiresAt = new Date(NOW + 30 * DAY).toISOString();
  expect(created.json()).toMatchObject({ name: 'campagne', expiresAt });
  const bearer = { authorization: `Bearer ${created.json().token}` };
  const use = () => server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: bearer });
  // Signed in afresh each time: a month later, the first session has idled out.
  const listed = async () =>
    (await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: await signIn(server.app, agent.email) })).json().tokens[0];

  expect(await listed()).toMatchObject({ expiresAt, lastUsedAt: null });
  expect((await use()).statusCode).toBe(200);
  expect((await listed()).lastUsedAt).toBe(new Date(NOW).toISOString());
  // Within the minute, no write.
  clock = NOW + 30_000;
  expect((await use()).statusCode).toBe(200);
  expect((await listed()).lastUsedAt).toBe(new Date(NOW).toISOString());
  clock = NOW + 30 * DAY - 1;
  expect((await use()).statusCode).toBe(200);
  expect((await listed()).lastUsedAt).toBe(new Date(clock).toISOString());

  clock = NOW + 30 * DAY;
  const expired = await use();
  expect(expired.statusCode).toBe(401);
  expect(expired.headers['www-authenticate']).toBe('Bearer');
  expect(expired.json().error).toMatch(/Jeton d’API inconnu, expiré ou révoqué/);
});

it.each([[0], [-1], [1.5], ['30'], [100_000]])('refuses days=%j with a French 400', async (days) => {
  server = await openTestApp(tempDir());
  const agent = await addUser(server.app);
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: agent.headers,
    payload: { name: 'x', password: TEST_PASSWORD, days },
  });
  expect(response.statusCode).toBe(400);
  expect(response.json().error).toMatch(/« days »/);
});
