import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser, openTestApp, signIn, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from './fixtures.ts';

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

const post = (payload: object) => server.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });
const patch = (id: string, payload: object) => server.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin.headers, payload });

describe('users (admin)', () => {
  it('creates an agent and a reviewer, lists them without password hashes, audit-logs it', async () => {
    const agent = await post({ email: 'Mairie@Example.fr', name: 'Mairie', password: TEST_PASSWORD, role: 'agent', communes: ['34261', '34010'] });
    expect(agent.statusCode).toBe(201);
    expect(agent.json()).toEqual({
      id: expect.any(String),
      email: 'mairie@example.fr',
      name: 'Mairie',
      role: 'agent',
      communes: ['34261', '34010'],
      departement: null,
      disabled: false,
      // The admin chose it: the person replaces it at first sign-in.
      mustChangePassword: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const reviewer = await post({ email: 'ddt@example.fr', name: 'DDT', password: TEST_PASSWORD, role: 'reviewer', departement: '34' });
    expect(reviewer.json()).toMatchObject({ role: 'reviewer', departement: '34', communes: [] });

    const list = await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers });
    expect(
      list
        .json()
        .users.map((u: { email: string }) => u.email)
        .sort(),
    ).toEqual([admin.email, 'ddt@example.fr', 'mairie@example.fr'].sort());
    expect(list.body).not.toContain('scrypt');
    const audit = (await server.app.inject({ method: 'GET', url: '/api/v1/audit?limit=2', headers: admin.headers })).json().entries;
    expect(audit.map((e: { action: string; targetId: string }) => [e.action, e.targetId])).toEqual([
      ['user.create', reviewer.json().id],
      ['user.create', agent.json().id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(TEST_PASSWORD);
  });

  it.each([
    [{ communes: ['99999'] }, /Codes INSEE inconnus : « 99999 »/],
    [{ communes: [] }, /au moins une commune/],
    [{ role: 'reviewer', communes: undefined, departement: '99' }, /Département inconnu/],
    [{ role: 'reviewer', communes: ['34261'], departement: '34' }, /Seuls les agents/],
    [{ role: 'chef' }, /Rôle inconnu/],
    [{ password: 'court' }, /au moins 10 caractères/],
    [{ email: 'pas-une-adresse' }, /Adresse e-mail invalide/],
    [{ name: '' }, /nom est obligatoire/],
    [{ extra: 1 }, /Champs inconnus : « extra »/],
  ])('refuses %j with 400', async (change, message) => {
    const response = await post({ email: 'x@example.fr', name: 'X', password: TEST_PASSWORD, role: 'agent', communes: ['34261'], ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(message);
  });

  it('refuses an e-mail already taken (409), whatever its case', async () => {
    const payload = { email: 'double@example.fr', name: 'A', password: TEST_PASSWORD, role: 'admin' };
    expect((await post(payload)).statusCode).toBe(201);
    const again = await post({ ...payload, email: 'DOUBLE@example.fr' });
    expect(again.statusCode).toBe(409);
  });

  it('changes communes, role and password; each ends the sessions (and API tokens: test/security/token-outlives-account-changes.test.ts)', async () => {
    const agent = await addUser(server.app, { communes: ['34261'] });
    const renamed = await patch(agent.id, { name: 'Mairie' });
    expect(renamed.json().name).toBe('Mairie');
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(200);

    const moved = await patch(agent.id, { communes: ['34172'] });
    expect(moved.json().communes).toEqual(['34172']);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode).toBe(401);

    const session = await signIn(server.app, agent.email);
    const promoted = await patch(agent.id, { role: 'reviewer', departement: '34' });
    expect(promoted.json()).toMatchObject({ role: 'reviewer', departement: '34', communes: [] });
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: session })).statusCode).toBe(401);

    expect((await patch(agent.id, { password: 'un tout nouveau mot de passe' })).statusCode).toBe(200);
    const oldPassword = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: agent.email, password: TEST_PASSWORD } });
    expect(oldPassword.statusCode).toBe(401);
  });

  it('refuses unknown users (404) and an admin disabling or demoting themselves (403)', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', { name: 'x' })).statusCode).toBe(404);
    expect((await patch(admin.id, { disabled: true })).statusCode).toBe(403);
    expect((await patch(admin.id, { role: 'agent', communes: ['34261'] })).statusCode).toBe(403);
  });
});

describe('GET /api/v1/communes', () => {
  it('finds communes by name, accents and case aside, biggest first', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/communes?q=montpel&limit=3' });
    expect(response.statusCode).toBe(200);
    expect(response.json().communes[0]).toEqual({ code: '34172', name: 'Montpellier', departement: '34' });
    const guilhem = await server.app.inject({ method: 'GET', url: '/api/v1/communes?q=saint%20guilhem%20le%20desert' });
    expect(guilhem.json().communes).toEqual([{ code: '34261', name: 'Saint-Guilhem-le-Désert', departement: '34' }]);
  });

  it('lists a département, and by code', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/communes?departement=34&q=34003' });
    expect(response.json().communes).toEqual([{ code: '34003', name: 'Agde', departement: '34' }]);
    const all = await server.app.inject({ method: 'GET', url: '/api/v1/communes?departement=34&limit=100' });
    expect(all.json().communes).toHaveLength(100);
    expect(all.json().communes.every((c: { departement: string }) => c.departement === '34')).toBe(true);
  });

  it.each(['departement=99', 'limit=500', 'x=1'])('answers 400 to %s', async (query) => {
    expect((await server.app.inject({ method: 'GET', url: `/api/v1/communes?${query}` })).statusCode).toBe(400);
  });
});
