import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/server/storage/open-store.ts';
import { addUser, openTestApp, signIn, useTempDir, type TestApp } from '../server/fixtures.ts';
import { runServerCommand } from '../support/server-process.ts';
import { TEST_STORE_KIND } from '../support/test-store.ts';

/**
 * Attack: after "revoke sessions" (API or `npm run admin -- revoke-sessions`), the account's API
 * tokens went on working, so a lost phone's or a compromised account's scripts kept their
 * access. Revoking now says what it ended, and ends the tokens too when asked
 * (`?tokens=true`, `--tokens`).
 */

const tempDir = useTempDir();
let server: TestApp;
let runs = 0;

afterEach(async () => {
  await server.close();
});

const status = async (headers: Record<string, string>) => (await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers })).statusCode;

it('DELETE /api/v1/users/:id/sessions ends the sessions, and with ?tokens=true the tokens too, saying how many', async () => {
  server = await openTestApp(tempDir());
  const admin = await addUser(server.app, { role: 'admin' });
  const agent = await addUser(server.app, {}, 'token');
  const session = await signIn(server.app, agent.email);

  const sessionsOnly = await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${agent.id}/sessions`, headers: admin.headers });
  expect(sessionsOnly.statusCode).toBe(200);
  // Two sessions: the one that made the token, and the one above.
  expect(sessionsOnly.json()).toEqual({ sessions: 2, tokens: 0 });
  expect(await status(session)).toBe(401);
  expect(await status(agent.headers)).toBe(200);

  const everything = await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${agent.id}/sessions?tokens=true`, headers: admin.headers });
  expect(everything.statusCode).toBe(200);
  expect(everything.json()).toEqual({ sessions: 0, tokens: 1 });
  expect(await status(agent.headers)).toBe(401);
  const audit = await server.app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.headers });
  expect(audit.json().entries[0]).toMatchObject({ action: 'user.sessions.revoke', targetId: agent.id, details: { sessions: 0, tokens: 1 } });

  const typo = await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${agent.id}/sessions?tokens=oui`, headers: admin.headers });
  expect(typo.statusCode).toBe(400);
  expect(typo.json().error).toMatch(/tokens/);
});

it('npm run admin -- revoke-sessions --tokens ends the sessions and the tokens, and says so', { timeout: 60_000 }, async () => {
  let env: Record<string, string>;
  if (TEST_STORE_KIND === 'postgres') {
    server = await openTestApp(tempDir());
    if (server.location.kind !== 'postgres') throw new Error('expected PostgreSQL');
    env = { DATABASE_URL: server.location.url };
  } else {
    // The command opens DATA_DIR/couverture.sqlite, as the server does.
    const dataDir = join(tempDir(), `data-${++runs}`);
    mkdirSync(dataDir);
    server = await openTestApp(tempDir(), { store: await openStore({ kind: 'sqlite', file: join(dataDir, 'couverture.sqlite') }) });
    env = { DATA_DIR: dataDir };
  }
  const agent = await addUser(server.app, {}, 'token');
  const session = await signIn(server.app, agent.email);

  const revoked = await runServerCommand('admin.ts', ['revoke-sessions', '--email', agent.email, '--tokens'], env);
  expect(revoked.stderr).toBe('');
  expect(revoked.stdout).toMatch(/2 session\(s\) et 1 jeton\(s\) révoqué/);
  expect(await status(session)).toBe(401);
  expect(await status(agent.headers)).toBe(401);
});
