import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, makeReport, openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding (issue 14, wrong messages): a residents' report body over its route's 64 KiB was
 * refused as being « plus de 1 Mio », the server's default limit, so whoever met it (a phone
 * app, an integrator) was told a size eight times too big to aim under. A 413 now states the
 * limit of the route called: 64 Kio for reports, 4 Kio for signing in, 1 Mio elsewhere.
 */

const tempDir = useTempDir();
let server: TestApp;

beforeEach(async () => {
  server = await openTestApp(tempDir());
});
afterEach(async () => {
  await server.close();
});

const tooLarge = (limit: string) => `Requête trop volumineuse (plus de ${limit}) : envoyez moins de données à la fois, en lots plus petits.`;

it.each([
  ['/api/v1/reports', '64 Kio', { reports: [makeReport()], padding: 'x'.repeat(70 * 1024) }, false],
  ['/api/v1/session', '4 Kio', { email: 'agent@example.fr', password: 'x'.repeat(5 * 1024) }, false],
  ['/api/v1/readings', '1 Mio', { readings: [], padding: 'x'.repeat(1024 * 1024) }, true],
] as const)('POST %s: a body over the route’s limit is told that limit, %s', async (url, limit, payload, signedIn) => {
  const headers = { ...(signedIn && (await addUser(server.app)).headers), 'content-type': 'application/json' };
  const response = await server.app.inject({ method: 'POST', url, headers, payload: JSON.stringify(payload) });
  expect(response.statusCode).toBe(413);
  expect(response.json()).toEqual({ error: tooLarge(limit) });
});
