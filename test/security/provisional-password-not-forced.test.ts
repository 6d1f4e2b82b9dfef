import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD_CHANGE_ERROR_CODE } from '../../src/domain/account.ts';
import { MESSAGES } from '../../src/server/access/enforce.ts';
import { addUser, makeReading, openTestApp, postReadings, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: a password an admin chose (at creation or reset) stayed the account's password for
 * good. The admin, and whoever saw it on its way (a mail, a note on a desk), could sign in as
 * that person and act in their name for ever; nobody was asked to change it. Such a password
 * is now provisional: its session may only replace it (POST /api/v1/session/password); every
 * other call answers 403 with a French message until then.
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

const GIVEN = 'mot de passe donné par l’admin';
const CHOSEN = 'mon propre mot de passe';

async function signInAs(email: string, password: string) {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = String(response.headers['set-cookie']).split(';')[0]!;
  return { info: response.json(), headers: { cookie, 'x-csrf-token': response.json().csrfToken as string } };
}

/** What a session can do besides its own password: record, read, make a token. */
async function attempts(headers: Record<string, string>) {
  const inject = (method: 'GET' | 'POST', url: string, payload?: object) => server.app.inject({ method, url, headers, ...(payload && { payload }) });
  return [
    await postReadings(server.app, [makeReading()], { headers }),
    await inject('GET', '/api/v1/readings'),
    await inject('GET', '/api/v1/campaigns'),
    await inject('POST', '/api/v1/tokens', { name: 'copie durable', password: GIVEN }),
  ];
}

describe('a password chosen by an admin', () => {
  it('at creation: the new agent can do nothing but choose their own, then works', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email: 'mairie@example.fr', name: 'Mairie', password: GIVEN, role: 'agent', communes: ['34261'] },
    });
    expect(created.json()).toMatchObject({ mustChangePassword: true });

    const { info, headers } = await signInAs('mairie@example.fr', GIVEN);
    expect(info.mustChangePassword).toBe(true);
    for (const refused of await attempts(headers)) {
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json()).toEqual({ error: MESSAGES.passwordChange, code: PASSWORD_CHANGE_ERROR_CODE });
    }
    expect(await server.store.query({ limit: 10 })).toMatchObject({ readings: [] });

    const changed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers,
      payload: { currentPassword: GIVEN, newPassword: CHOSEN },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ mustChangePassword: false, csrfToken: headers['x-csrf-token'] });
    expect((await postReadings(server.app, [makeReading()], { headers })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/session', headers })).json().mustChangePassword).toBe(false);
  });

  it('at a reset: the person is asked again, and the admin’s password opens nothing', async () => {
    const agent = await addUser(server.app, { communes: ['34261'] });
    const reset = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, headers: admin.headers, payload: { password: GIVEN } });
    expect(reset.json()).toMatchObject({ mustChangePassword: true });

    const { info, headers } = await signInAs(agent.email, GIVEN);
    expect(info.mustChangePassword).toBe(true);
    for (const refused of await attempts(headers)) expect(refused.statusCode, refused.body).toBe(403);
    // The session routes stay open: who am I, sign out.
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/session', headers })).json()).toMatchObject({ mustChangePassword: true });
  });

  it('the shell’s add-user is provisional too; the person’s own password, and an admin’s own reset, are not', async () => {
    await server.app.accounts.createUser({ email: 'shell@example.fr', name: 'Shell', password: GIVEN, role: 'agent', communes: ['34261'], provisional: true });
    expect((await signInAs('shell@example.fr', GIVEN)).info.mustChangePassword).toBe(true);

    // A provisional session that reads a public route is anonymous there: no exact positions.
    const { headers } = await signInAs('shell@example.fr', GIVEN);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(200);

    const own = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, headers: admin.headers, payload: { password: CHOSEN } });
    expect(own.json()).toMatchObject({ mustChangePassword: false });
    expect((await signInAs(admin.email, CHOSEN)).info.mustChangePassword).toBe(false);
    expect((await signInAs((await addUser(server.app)).email, TEST_PASSWORD)).info.mustChangePassword).toBe(false);
  });
});
