import { afterEach, expect, it } from 'vitest';
import { RELAXED_SECURITY, openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: Strict-Transport-Security was sent on every answer, plain HTTP included (helmet's
 * default), where it means nothing and misleads: a LAN server over HTTP claimed to pin HTTPS
 * it does not have. It is now sent over HTTPS only: TLS, or X-Forwarded-Proto: https from a
 * proxy that TRUST_PROXY believes.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

it('a plain HTTP answer carries no Strict-Transport-Security', async () => {
  server = await openTestApp(tempDir());
  for (const url of ['/api/v1/health', '/api/v1/nothing', '/']) {
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.headers['strict-transport-security'], url).toBeUndefined();
  }
  // A client claiming HTTPS is not believed without TRUST_PROXY.
  const claimed = await server.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-proto': 'https' } });
  expect(claimed.headers['strict-transport-security']).toBeUndefined();
});

it('an answer over HTTPS, behind a trusted proxy, carries it', async () => {
  server = await openTestApp(tempDir(), { security: { ...RELAXED_SECURITY, trustProxy: 1 } });
  const https = await server.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-proto': 'https' } });
  expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const missing = await server.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { 'x-forwarded-proto': 'https' } });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const http = await server.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-proto': 'http' } });
  expect(http.headers['strict-transport-security']).toBeUndefined();
});
