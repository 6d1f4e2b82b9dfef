import { afterEach, expect, it } from 'vitest';
import { addUser, openTestApp, RELAXED_SECURITY, sessionCookie, TEST_PASSWORD, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: the session cookie had no `__Host-` prefix, so over HTTPS a sibling subdomain or a
 * plain-HTTP response could plant a cookie of the same name (session fixation). Over HTTPS the
 * cookie is now `__Host-couverture_session` (Secure, Path=/, no Domain) and only that name is
 * read; a plain-HTTP LAN server keeps the plain name.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

const whoAmI = (cookie: string, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie, ...headers } });

it('names the cookie __Host-couverture_session when Secure, and reads only that name', async () => {
  server = await openTestApp(tempDir(), { security: { ...RELAXED_SECURITY, cookieSecure: true } });
  const { email } = await addUser(server.app, { role: 'admin' });
  const signedIn = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: TEST_PASSWORD } });
  const header = signedIn.headers['set-cookie'] as string;
  expect(header).toMatch(/^__Host-couverture_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
  expect(header).not.toMatch(/Domain/i);
  const value = sessionCookie(signedIn).split('=')[1]!;

  expect((await whoAmI(`__Host-couverture_session=${value}`)).statusCode).toBe(200);
  // A planted cookie of the plain name is not a session here.
  expect((await whoAmI(`couverture_session=${value}`)).statusCode).toBe(401);

  const signedOut = await server.app.inject({
    method: 'DELETE',
    url: '/api/v1/session',
    headers: { cookie: `__Host-couverture_session=${value}`, 'x-csrf-token': signedIn.json().csrfToken },
  });
  expect(signedOut.headers['set-cookie']).toMatch(/^__Host-couverture_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict; Secure$/);
});

it('behind a trusted TLS proxy (COOKIE_SECURE=auto) too; over plain HTTP the plain name', async () => {
  server = await openTestApp(tempDir(), { security: { ...RELAXED_SECURITY, trustProxy: true } });
  const { email } = await addUser(server.app);
  const https = { 'x-forwarded-proto': 'https' };
  const overTls = await server.app.inject({ method: 'POST', url: '/api/v1/session', headers: https, payload: { email, password: TEST_PASSWORD } });
  expect(overTls.headers['set-cookie']).toMatch(/^__Host-couverture_session=.*; Secure$/);
  expect((await whoAmI(sessionCookie(overTls), https)).statusCode).toBe(200);

  const plain = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: TEST_PASSWORD } });
  expect(plain.headers['set-cookie']).toMatch(/^couverture_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  expect((await whoAmI(sessionCookie(plain))).statusCode).toBe(200);
  expect((await whoAmI(`__Host-${sessionCookie(plain)}`)).statusCode).toBe(401);
});
