import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, openTestApp, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: a malformed JSON body, an empty one or a wrong content type on `/api/v1/tokens` (or
 * any route) was answered with advice about `{"readings": …}`, which misleads whoever
 * integrates the API. Each message now names what the route expects.
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

const json = { 'content-type': 'application/json' };
const send = (method: 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload: string) =>
  server.app.inject({ method, url, headers: { ...admin.headers, ...headers }, payload });

it.each([
  ['POST', '/api/v1/tokens', /"name"/],
  ['POST', '/api/v1/session', /"email"/],
  ['POST', '/api/v1/users', /"email"/],
  ['PATCH', '/api/v1/users/x', /"name"|"password"|"role"/],
] as const)('%s %s: malformed JSON, an empty body and text/plain name what the route expects', async (method, url, expected) => {
  for (const [headers, payload, status] of [
    [json, '{"name": ', 400],
    [json, '', 400],
    [{ 'content-type': 'text/plain' }, '{}', 415],
  ] as const) {
    const response = await send(method, url, headers, payload);
    expect(response.statusCode).toBe(status);
    const { error } = response.json();
    expect(error).not.toMatch(/readings|relevé/);
    if (status === 400) expect(error).toMatch(expected);
    else expect(error).toMatch(/application\/json/);
  }
});

it('keeps the readings route’s own advice', async () => {
  const malformed = await send('POST', '/api/v1/readings', json, '{"readings": [');
  expect(malformed.json().error).toMatch(/pas du JSON valide.*\{"readings": \[ … \]\}/);
  const empty = await send('POST', '/api/v1/readings', json, '');
  expect(empty.json().error).toMatch(/vide.*1 à 500 relevés/);
});
