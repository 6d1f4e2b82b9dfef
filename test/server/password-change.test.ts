import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRONG_CURRENT_PASSWORD } from '../../src/server/routes/session.ts';
import { addUser, openTestApp, RELAXED_SECURITY, signIn, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/** POST /api/v1/session/password: anyone signed in in a browser changes their own password. */

const tempDir = useTempDir();
let server: TestApp;

beforeEach(async () => {
  server = await openTestApp(tempDir(), {
    security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, loginFailuresPerEmail: { max: 3, windowS: 900 } } },
  });
});
afterEach(async () => {
  await server.close();
});

const NEW_PASSWORD = 'un mot de passe tout neuf';
const change = (caller: Pick<Caller, 'headers'>, payload: unknown) =>
  server.app.inject({ method: 'POST', url: '/api/v1/session/password', headers: caller.headers, payload: payload as object });
const sessionStatus = async (headers: Record<string, string>) => (await server.app.inject({ method: 'GET', url: '/api/v1/session', headers })).statusCode;

describe('changing one’s own password', () => {
  it.each(['agent', 'reviewer', 'admin'] as const)('works for a %s: keeps this session, ends the others and the API tokens, audit-logged', async (role) => {
    const person = await addUser(server.app, { role });
    const otherDevice = await signIn(server.app, person.email);
    const token = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: person.headers,
      payload: { name: 'script', password: TEST_PASSWORD },
    });
    const bearer = { authorization: `Bearer ${token.json().token}` };

    const changed = await change(person, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ user: { id: person.id, role }, csrfToken: person.headers['x-csrf-token'], mustChangePassword: false });

    expect(await sessionStatus(person.headers)).toBe(200);
    expect(await sessionStatus(otherDevice)).toBe(401);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: bearer })).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: person.email, password: TEST_PASSWORD } })).statusCode).toBe(
      401,
    );
    await signIn(server.app, person.email, NEW_PASSWORD);

    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({ action: 'user.password.change', actorId: person.id, targetId: person.id, details: { revoked: { sessions: 1, tokens: 1 } } });
    expect(JSON.stringify(entry)).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password (403), counted with the failed sign-ins (429 after the limit)', async () => {
    const agent = await addUser(server.app);
    for (let i = 0; i < 3; i++) {
      const wrong = await change(agent, { currentPassword: 'pas le bon mot de passe', newPassword: NEW_PASSWORD });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json()).toEqual({ error: WRONG_CURRENT_PASSWORD });
    }
    const locked = await change(agent, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    expect(locked.json().error).toMatch(/Trop d’essais/);
    // The same counter as sign-in: this client cannot sign in as the account either.
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: agent.email, password: TEST_PASSWORD } })).statusCode).toBe(
      429,
    );
  });

  it.each([
    [{ currentPassword: TEST_PASSWORD, newPassword: 'court' }, /au moins 10 caractères/],
    [{ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, /différent de l’actuel/],
    [{ currentPassword: TEST_PASSWORD }, /currentPassword.*newPassword/],
    [{ newPassword: NEW_PASSWORD }, /currentPassword.*newPassword/],
    [{ currentPassword: TEST_PASSWORD, newPassword: 12345678901 }, /deux textes/],
    [{ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, password: 'x' }, /Champs inconnus : « password »/],
    [['liste'], /currentPassword/],
  ])('refuses %j with 400 and a French message, changing nothing', async (payload, message) => {
    const agent = await addUser(server.app);
    const refused = await change(agent, payload);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(message);
    await signIn(server.app, agent.email, TEST_PASSWORD);
  });

  it('is for browser sessions with their CSRF token: a token gets 401, a missing CSRF token 403', async () => {
    const scripted = await addUser(server.app, {}, 'token');
    expect((await change(scripted, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(401);
    const agent = await addUser(server.app);
    expect((await change({ headers: { cookie: agent.headers.cookie! } }, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(403);
    await signIn(server.app, agent.email, TEST_PASSWORD);
  });
});

describe('the admin and passwords', () => {
  it('lists who still has a provisional password, and revoking answers what it ended', async () => {
    const admin = await addUser(server.app, { role: 'admin' });
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email: 'ddt@example.fr', name: 'DDT', password: 'provisoire 2026', role: 'reviewer', departement: '34' },
    });
    const users = (await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers })).json().users;
    expect(users.map((u: { email: string; mustChangePassword: boolean }) => [u.email, u.mustChangePassword])).toEqual([
      [admin.email, false],
      ['ddt@example.fr', true],
    ]);
    const revoked = await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${created.json().id}/sessions?tokens=true`, headers: admin.headers });
    expect(revoked.json()).toEqual({ sessions: 0, tokens: 0 });
  });
});
