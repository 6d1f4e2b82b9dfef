import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/server/access/enforce.ts';
import { RELAXED_SECURITY, addUser, makeReading, NOW, openTestApp, postReadings, signIn, TEST_PASSWORD, useTempDir, type TestApp } from './fixtures.ts';
import { tableRows } from '../support/test-store.ts';

const tempDir = useTempDir();
let server: TestApp;
let clock = NOW;

async function open(options: Parameters<typeof openTestApp>[1] = {}): Promise<TestApp> {
  clock = NOW;
  server = await openTestApp(tempDir(), { now: () => clock, ...options });
  return server;
}

afterEach(async () => {
  await server.close();
});

const DAY = 86_400_000;

describe('POST /api/v1/session (sign in)', () => {
  it('answers the session info and sets an HttpOnly, SameSite=Strict cookie for SESSION_DAYS', async () => {
    const { app } = await open();
    const { id } = await app.accounts.createUser({
      email: 'Agent@Example.fr',
      name: 'Agnès',
      password: TEST_PASSWORD,
      role: 'agent',
      communes: ['34261', '34010'],
    });
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: ' agent@example.FR ', password: TEST_PASSWORD } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: {
        id,
        email: 'agent@example.fr',
        name: 'Agnès',
        role: 'agent',
        communes: [
          { code: '34261', name: 'Saint-Guilhem-le-Désert', departement: '34' },
          { code: '34010', name: 'Aniane', departement: '34' },
        ],
      },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(NOW + 30 * DAY).toISOString(),
      mustChangePassword: false,
    });
    const cookie = response.headers['set-cookie'] as string;
    expect(cookie).toMatch(/^couverture_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Strict$/);
  });

  it('marks the cookie Secure behind an HTTPS proxy it trusts, or when COOKIE_SECURE=true', async () => {
    const { app } = await open({ security: { ...RELAXED_SECURITY, trustProxy: true } });
    const { email } = await addUser(app);
    const behindProxy = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email, password: TEST_PASSWORD },
    });
    expect(behindProxy.headers['set-cookie']).toMatch(/; Secure$/);
    await server.close();

    const forced = await open({ security: { ...RELAXED_SECURITY, cookieSecure: true } });
    const other = await addUser(forced.app);
    const response = await forced.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: other.email, password: TEST_PASSWORD } });
    expect(response.headers['set-cookie']).toMatch(/; Secure$/);
  });

  it('refuses a wrong password and an unknown e-mail with the same 401', async () => {
    const { app } = await open();
    const { email } = await addUser(app);
    for (const payload of [
      { email, password: 'pas le bon mot de passe' },
      { email: 'personne@example.fr', password: TEST_PASSWORD },
    ]) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'Adresse e-mail ou mot de passe incorrect' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it.each([
    ['no body', undefined],
    ['a bare array', []],
    ['numbers', { email: 1, password: 2 }],
  ])('answers 400 to %s', async (_name, payload) => {
    const { app } = await open();
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', ...(payload !== undefined && { payload }) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual(expect.any(String));
  });

  it('limits failed attempts per e-mail, with Retry-After, and lets the person in again after the window', async () => {
    const { app } = await open({
      security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, loginFailuresPerEmail: { max: 3, windowS: 900 } } },
    });
    const { email } = await addUser(app);
    const attempt = (password: string) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
    for (let i = 0; i < 3; i += 1) expect((await attempt('mauvais mot de passe')).statusCode).toBe(401);
    const blocked = await attempt(TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBe(900);
    expect(blocked.json().error).toMatch(/Trop d’essais/);
    clock += 901_000;
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('limits sign-in requests per client (rate-limit plugin) with 429 and Retry-After', async () => {
    const { app } = await open({ security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, login: { max: 2, windowS: 60 } } } });
    const attempt = (n: number) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: `x${n}@example.fr`, password: 'quelque chose' } });
    expect((await attempt(1)).statusCode).toBe(401);
    expect((await attempt(2)).statusCode).toBe(401);
    const limited = await attempt(3);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toEqual(expect.any(String));
    expect(limited.json()).toEqual({ error: expect.stringMatching(/^Trop de requêtes/) });
  });

  it('refuses a disabled account even with the right password', async () => {
    const { app } = await open();
    const admin = await addUser(app, { role: 'admin' });
    const agent = await addUser(app);
    const patch = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, headers: admin.headers, payload: { disabled: true } });
    expect(patch.statusCode).toBe(200);
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: agent.email, password: TEST_PASSWORD } });
    expect(response.statusCode).toBe(403);
    // Disabling also ended the session the agent had.
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(401);
  });
});

describe('GET and DELETE /api/v1/session', () => {
  it('tells who is signed in, with the same CSRF token', async () => {
    const { app } = await open();
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const response = await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: reviewer.headers.cookie! } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      user: { id: reviewer.id, role: 'reviewer', communes: [], departement: '34' },
      csrfToken: reviewer.headers['x-csrf-token'],
    });
  });

  it('answers 401 without a cookie, with an unknown cookie, and with an API token', async () => {
    const { app } = await open();
    const scripted = await addUser(app, {}, 'token');
    for (const headers of [{}, { cookie: 'couverture_session=inconnu' }, scripted.headers]) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/session', headers });
      expect(response.statusCode).toBe(401);
    }
  });

  it('signs out: 204, the cookie cleared, the session gone', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: agent.headers });
    expect(response.statusCode).toBe(204);
    expect(response.headers['set-cookie']).toMatch(/^couverture_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(401);
  });

  it('needs the CSRF token to sign out', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: agent.headers.cookie! } });
    expect(response.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(200);
  });
});

describe('session expiry and revocation', () => {
  it('ends a session SESSION_DAYS after sign-in, not before', async () => {
    const { app, store } = await open({ security: { ...RELAXED_SECURITY, sessionDays: 2 } });
    const agent = await addUser(app);
    clock = NOW + 2 * DAY - 1;
    expect((await postReadings(app, [makeReading()], agent)).statusCode).toBe(200);
    clock = NOW + 2 * DAY;
    const expired = await postReadings(app, [makeReading()], agent);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ error: MESSAGES.signedOut });
    expect((await store.query({ limit: 10 })).readings).toHaveLength(1);
  });

  it('app.accounts.revokeSessions ends every session of the account at once', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const secondPhone = await signIn(app, agent.email);
    expect(await app.accounts.revokeSessions(agent.id)).toBe(2);
    for (const headers of [agent.headers, secondPhone]) {
      expect((await postReadings(app, [makeReading()], { headers })).statusCode).toBe(401);
    }
    // Signing in again works, and sending resumes.
    expect((await postReadings(app, [makeReading()], { headers: await signIn(app, agent.email) })).statusCode).toBe(200);
  });

  it('an admin revokes sessions with DELETE /api/v1/users/:id/sessions, audit-logged', async () => {
    const { app } = await open();
    const admin = await addUser(app, { role: 'admin' });
    const agent = await addUser(app);
    const response = await app.inject({ method: 'DELETE', url: `/api/v1/users/${agent.id}/sessions`, headers: admin.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ sessions: 1, tokens: 0 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(401);
    const audit = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.headers });
    expect(audit.json().entries[0]).toMatchObject({
      actorId: admin.id,
      actorLabel: admin.email,
      action: 'user.sessions.revoke',
      targetType: 'user',
      targetId: agent.id,
      details: { sessions: 1, tokens: 0 },
    });
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request made with the cookie but without the token, storing nothing', async () => {
    const { app, store } = await open();
    const agent = await addUser(app);
    const attempts: Record<string, string>[] = [{ cookie: agent.headers.cookie! }, { ...agent.headers, 'x-csrf-token': 'pas-le-bon' }];
    for (const headers of attempts) {
      const response = await postReadings(app, [makeReading()], { headers });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: 'Jeton anti-CSRF manquant ou périmé : rechargez la page', code: 'csrf-token' });
    }
    expect((await store.query({ limit: 10 })).readings).toEqual([]);
  });

  it('does not take the token of another session', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const other = await addUser(app);
    const response = await postReadings(app, [makeReading()], { headers: { cookie: agent.headers.cookie!, 'x-csrf-token': other.headers['x-csrf-token']! } });
    expect(response.statusCode).toBe(403);
  });

  it('asks no token of a request with a bearer token, nor of reads', async () => {
    const { app } = await open();
    const scripted = await addUser(app, {}, 'token');
    expect((await postReadings(app, [makeReading()], scripted)).statusCode).toBe(200);
    const agent = await addUser(app);
    expect((await app.inject({ method: 'GET', url: '/api/v1/readings', headers: { cookie: agent.headers.cookie! } })).statusCode).toBe(200);
  });
});

describe('personal API tokens', () => {
  it('shows a token once, stores only its hash, lists it without it, and stops it when revoked', async () => {
    const { app, location } = await open();
    const agent = await addUser(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: agent.headers,
      payload: { name: 'import Tower Collector', password: TEST_PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    const { id, token, name, createdAt } = created.json();
    expect(token).toMatch(/^cvt_[A-Za-z0-9_-]{43}$/);
    expect(name).toBe('import Tower Collector');
    expect(createdAt).toBe(new Date(NOW).toISOString());

    const bearer = { authorization: `Bearer ${token}` };
    expect((await postReadings(app, [makeReading({ source: 'import' })], { headers: bearer })).statusCode).toBe(200);
    const list = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: agent.headers });
    expect(list.json()).toEqual({ tokens: [{ id, name, createdAt, lastUsedAt: new Date(NOW).toISOString(), expiresAt: null }] });

    const stored = await tableRows(location, ['api_tokens', 'sessions', 'users']);
    const rows = JSON.stringify(stored.api_tokens) + JSON.stringify(stored.sessions);
    const users = JSON.stringify(stored.users);
    expect(rows).not.toContain(token.slice(4));
    expect(rows).not.toContain(agent.headers.cookie!.split('=')[1]);
    expect(users).not.toContain(TEST_PASSWORD);
    expect(users).toMatch(/scrypt\$1024\$8\$1\$/);

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: agent.headers })).statusCode).toBe(204);
    const refused = await postReadings(app, [makeReading()], { headers: bearer });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
  });

  it('lets only the owner or an admin see and revoke a token', async () => {
    const { app } = await open();
    const owner = await addUser(app);
    const other = await addUser(app);
    const admin = await addUser(app, { role: 'admin' });
    const { id } = (
      await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: owner.headers, payload: { name: 'a', password: TEST_PASSWORD } })
    ).json();
    expect((await app.inject({ method: 'GET', url: `/api/v1/tokens?userId=${owner.id}`, headers: other.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/tokens?userId=${owner.id}`, headers: admin.headers })).json().tokens).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: other.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin.headers })).statusCode).toBe(404);
  });

  it('lets an admin, and only an admin, create a token for someone else', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const other = await addUser(app);
    const admin = await addUser(app, { role: 'admin' });
    const payload = { name: 'pour un script', userId: agent.id, password: TEST_PASSWORD };
    expect((await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: other.headers, payload })).statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload });
    expect(created.statusCode).toBe(201);
    const whoami = await postReadings(app, [makeReading()], { headers: { authorization: `Bearer ${created.json().token}` } });
    expect(whoami.statusCode).toBe(200);
    expect((await app.accounts.readingAttribution(whoami.json().accepted[0]))?.accountId).toBe(agent.id);
  });

  it('answers 401 to a malformed or unknown Authorization header, even on a public route', async () => {
    const { app } = await open();
    for (const authorization of ['Bearer cvt_inconnu', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/reports', headers: { authorization } });
      expect(response.statusCode).toBe(401);
    }
  });
});
