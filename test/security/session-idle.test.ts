import { afterEach, expect, it } from 'vitest';
import { MESSAGES } from '../../src/server/access/enforce.ts';
import { addUser, makeReading, NOW, openTestApp, postReadings, signIn, useTempDir, type TestApp } from '../server/fixtures.ts';
import { tableRows } from '../support/test-store.ts';

/**
 * Finding: a session lasted its 30 days whether used or not, so a cookie left on a forgotten
 * computer stayed good for a month. A session unused for SESSION_IDLE_DAYS (14) now ends;
 * using it extends it (last seen written at most once a minute), up to SESSION_DAYS.
 */

const tempDir = useTempDir();
let server: TestApp;
let clock = NOW;
const DAY = 86_400_000;

afterEach(async () => {
  await server.close();
});

it('ends a session unused for 14 days; a phone coming back signs in again and sends what it kept', async () => {
  clock = NOW;
  server = await openTestApp(tempDir(), { now: () => clock });
  const agent = await addUser(server.app);

  clock = NOW + 14 * DAY;
  const late = await postReadings(server.app, [makeReading()], agent);
  expect(late.statusCode).toBe(401);
  expect(late.json()).toEqual({ error: MESSAGES.signedOut });
  expect((await server.store.query({ limit: 10 })).readings).toEqual([]);

  const kept = makeReading();
  expect((await postReadings(server.app, [kept], { headers: await signIn(server.app, agent.email) })).json().accepted).toEqual([kept.id]);
});

it('extends a session each time it is used, writing at most once a minute, up to SESSION_DAYS', async () => {
  clock = NOW;
  server = await openTestApp(tempDir(), { now: () => clock });
  const agent = await addUser(server.app);
  const lastSeen = async () =>
    ((await tableRows(server.location, ['sessions'])).sessions as { last_seen_at_ms: number | string }[]).map((row) => Number(row.last_seen_at_ms));
  const use = async () => (await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: agent.headers })).statusCode;

  for (const day of [10, 20, 29]) {
    clock = NOW + day * DAY;
    expect(await use()).toBe(200);
    expect(await lastSeen()).toEqual([clock]);
  }
  const seen = clock;
  clock += 59_000;
  expect(await use()).toBe(200);
  expect(await lastSeen()).toEqual([seen]);

  // The absolute limit stays.
  clock = NOW + 30 * DAY;
  expect(await use()).toBe(401);
});
