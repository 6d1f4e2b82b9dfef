import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, openTestApp, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: campaign dates took any text shaped like a day, so `2026-02-30`, `0001-01-01` and
 * `9999-12-31` were stored, and screens and progress counted periods that cannot exist. Each
 * day is now a real calendar day from 2000-01-01, a campaign starts at most five years after
 * the server's today (2026-05-04 in tests) and lasts at most 366 days; each refusal is a 400
 * naming the field, on creation and on change.
 */

const tempDir = useTempDir();
let server: TestApp;
let reviewer: Caller;

const DRAFT = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'] };

beforeAll(async () => {
  server = await openTestApp(tempDir());
  reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
});
afterAll(async () => {
  await server.close();
});

const create = (payload: object) => server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: reviewer.headers, payload });

const REFUSED: [Record<string, string>, RegExp][] = [
  [{ startsOn: '2026-02-30', endsOn: '2026-03-15' }, /^startsOn : « 2026-02-30 » n’est pas un jour du calendrier$/],
  [{ startsOn: '2026-05-04', endsOn: '2026-04-31' }, /^endsOn : « 2026-04-31 » n’est pas un jour du calendrier$/],
  [{ startsOn: '2027-02-29', endsOn: '2027-03-01' }, /^startsOn : « 2027-02-29 » n’est pas un jour du calendrier$/],
  [{ startsOn: '2026-13-01', endsOn: '2026-12-01' }, /^startsOn : « 2026-13-01 » n’est pas un jour du calendrier/],
  [{ startsOn: '0001-01-01', endsOn: '0001-12-31' }, /^startsOn : .*au plus tôt le 2000-01-01/],
  [{ startsOn: '1999-12-31', endsOn: '2000-01-05' }, /^startsOn : .*au plus tôt le 2000-01-01/],
  [{ startsOn: '2026-05-04', endsOn: '9999-12-31' }, /^endsOn : .*au plus 366 jours/],
  [{ startsOn: '9999-12-01', endsOn: '9999-12-31' }, /^startsOn : .*au plus tard le 2031-05-04/],
  [{ startsOn: '2031-05-05', endsOn: '2031-05-06' }, /^startsOn : .*au plus tard le 2031-05-04/],
];

it('refuses impossible days and absurd periods on creation, naming the field', async () => {
  for (const [period, message] of REFUSED) {
    const response = await create({ ...DRAFT, ...period });
    expect(response.statusCode, `${JSON.stringify(period)} → ${response.body}`).toBe(400);
    expect(response.json().error, JSON.stringify(period)).toMatch(message);
  }
  const list = await server.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: reviewer.headers });
  expect(list.json().campaigns).toEqual([]);
});

it('refuses them on change too, checked with the stored dates', async () => {
  const created = await create(DRAFT);
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const patch = (payload: object) => server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${id}`, headers: reviewer.headers, payload });
  for (const [period, message] of REFUSED) {
    const response = await patch(period);
    expect(response.statusCode, `${JSON.stringify(period)} → ${response.body}`).toBe(400);
    expect(response.json().error, JSON.stringify(period)).toMatch(message);
  }
  // One date alone, against the stored other one.
  const alone = await patch({ startsOn: '1999-06-01' });
  expect(alone.statusCode).toBe(400);
  expect(alone.json().error).toMatch(/^startsOn : .*2000-01-01/);
  const stored = await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}`, headers: reviewer.headers });
  expect(stored.json()).toMatchObject({ startsOn: '2026-05-04', endsOn: '2026-05-29' });
});

it('still takes real periods: a leap day, the last day five years ahead, 366 days', async () => {
  for (const period of [
    { startsOn: '2028-02-29', endsOn: '2028-03-01' },
    { startsOn: '2031-05-04', endsOn: '2031-05-04' },
    { startsOn: '2000-01-01', endsOn: '2000-12-31' },
    { startsOn: '2026-05-04', endsOn: '2027-05-05' },
  ]) {
    const response = await create({ ...DRAFT, ...period });
    expect(response.statusCode, `${JSON.stringify(period)} → ${response.body}`).toBe(201);
  }
});
