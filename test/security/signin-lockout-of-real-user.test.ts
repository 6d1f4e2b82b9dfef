import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, openTestApp, RELAXED_SECURITY, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: five wrong passwords from anywhere locked the real person out of their account for
 * 15 minutes, and anyone could renew the lock-out for ever. Failures are now counted per
 * e-mail and client together: the attacker's client is locked, the person's is not; the
 * per-client limit on sign-in requests stays.
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
const ATTACKER = '203.0.113.7';
const PHONE = '198.51.100.23';

beforeEach(async () => {
  server = await openTestApp(tempDir(), {
    security: {
      ...RELAXED_SECURITY,
      rateLimits: { ...RELAXED_SECURITY.rateLimits, login: { max: 8, windowS: 900 }, loginFailuresPerEmail: { max: 5, windowS: 900 } },
    },
  });
  agent = await addUser(server.app);
});
afterEach(async () => {
  await server.close();
});

const attempt = (remoteAddress: string, email: string, password: string) =>
  server.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { email, password } });

it('locks the attacker’s client, not the person signing in from their own', async () => {
  for (let i = 0; i < 5; i += 1) expect((await attempt(ATTACKER, agent.email, `essai ${i} raté`)).statusCode).toBe(401);
  const locked = await attempt(ATTACKER, agent.email, TEST_PASSWORD);
  expect(locked.statusCode).toBe(429);
  expect(locked.json().error).toMatch(/Trop d’essais/);

  const person = await attempt(PHONE, agent.email, TEST_PASSWORD);
  expect(person.statusCode).toBe(200);
});

it('still limits one client trying many e-mails (per-client limit on sign-in requests)', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 9; i += 1) statuses.push((await attempt(ATTACKER, `personne-${i}@example.fr`, 'au hasard complet')).statusCode);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
  expect((await attempt(PHONE, agent.email, TEST_PASSWORD)).statusCode).toBe(200);
});
