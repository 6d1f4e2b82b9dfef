import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { addUser, makeReading, type Caller, NOW, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

let agent: Caller;

beforeEach(async () => {
  server = await openTestApp(tempDir());
  agent = await addUser(server.app, { role: 'agent', communes: ['34261'] });
});

afterEach(async () => {
  await server.close();
});

async function stored(): Promise<Reading[]> {
  return (await server.store.query({ limit: 5000 })).readings;
}

const CONFLICT = "Un autre relevé porte déjà cet identifiant ; rien n'a été écrasé";

describe('POST /api/v1/readings', () => {
  it('accepts valid readings and stores them', async () => {
    const readings = [makeReading(), makeReading({ operator: 'free', technology: 'none', signalDbm: undefined })];
    const response = await postReadings(server.app, readings, agent);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ accepted: readings.map((r) => r.id), duplicates: [], rejected: [], outsideCommunes: [], warnings: [] });
    expect(await stored()).toEqual(readings);
  });

  it('reports a resent reading as a duplicate and stores it once', async () => {
    const reading = makeReading();
    await postReadings(server.app, [reading], agent);
    const response = await postReadings(server.app, [reading], agent);
    expect(response.json()).toEqual({ accepted: [], duplicates: [reading.id], rejected: [], outsideCommunes: [], warnings: [] });
    expect(await stored()).toEqual([reading]);
  });

  it('rejects a reading reusing an id with other content, leaving the stored one unchanged', async () => {
    const original = makeReading({ signalDbm: -100 });
    await postReadings(server.app, [original], agent);
    const other = makeReading();
    const response = await postReadings(server.app, [other, { ...original, signalDbm: -125 }], agent);
    expect(response.json()).toEqual({
      accepted: [other.id],
      duplicates: [],
      rejected: [{ id: original.id, index: 1, code: 'conflict', errors: [{ field: 'id', message: CONFLICT }] }],
      outsideCommunes: [],
      warnings: [],
    });
    expect(await stored()).toEqual([original, other]);
  });

  it('rejects one bad reading alone, with its field and reason, and keeps the others', async () => {
    const first = makeReading();
    const bad = { ...makeReading(), lat: 91, operator: 'nokia' };
    const last = makeReading();
    const response = await postReadings(server.app, [first, bad, last], agent);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accepted).toEqual([first.id, last.id]);
    expect(body.rejected).toEqual([
      {
        id: bad.id,
        index: 1,
        code: 'invalid',
        errors: [
          { field: 'lat', message: 'La latitude doit être ≤ 90' },
          { field: 'operator', message: expect.stringContaining('Opérateur inconnu') },
        ],
      },
    ]);
    expect(await stored()).toEqual([first, last]);
  });

  it('rejects items that are not readings, with a null id when they carry none', async () => {
    const good = makeReading();
    const response = await postReadings(server.app, [42, good, { ...makeReading(), id: 7 }, null], agent);
    const { accepted, rejected } = response.json();
    expect(accepted).toEqual([good.id]);
    expect(rejected.map((r: { id: unknown; index: number; code: string }) => [r.index, r.id, r.code])).toEqual([
      [0, null, 'invalid'],
      [2, null, 'invalid'],
      [3, null, 'invalid'],
    ]);
    expect(rejected[0].errors).toEqual([{ field: '', message: 'Un relevé doit être un objet JSON' }]);
  });

  it('handles an id repeated within one batch: same content is a duplicate, other content a conflict', async () => {
    const reading = makeReading();
    const response = await postReadings(server.app, [reading, reading, { ...reading, setting: 'indoor' }], agent);
    expect(response.json()).toEqual({
      accepted: [reading.id],
      duplicates: [reading.id],
      rejected: [{ id: reading.id, index: 2, code: 'conflict', errors: [{ field: 'id', message: CONFLICT }] }],
      outsideCommunes: [],
      warnings: [],
    });
    expect(await stored()).toEqual([reading]);
  });

  it('bounds recordedAt by the server clock: a day of skew is tolerated, not more', async () => {
    const hour = 3_600_000;
    const skewed = makeReading({ recordedAt: new Date(NOW + 23 * hour).toISOString() });
    const future = makeReading({ recordedAt: new Date(NOW + 25 * hour).toISOString() });
    const response = await postReadings(server.app, [skewed, future], agent);
    const { accepted, rejected } = response.json();
    expect(accepted).toEqual([skewed.id]);
    expect(rejected).toEqual([
      { id: future.id, index: 1, code: 'invalid', errors: [{ field: 'recordedAt', message: expect.stringContaining('24 h dans le futur') }] },
    ]);
  });

  it('drops fields it does not know, so a newer phone still gets its readings through', async () => {
    const reading = makeReading();
    await postReadings(server.app, [{ ...reading, batteryPercent: 40 }], agent);
    expect(await stored()).toEqual([reading]);
    const again = await postReadings(server.app, [{ ...reading, batteryPercent: 39 }], agent);
    expect(again.json().duplicates).toEqual([reading.id]);
  });

  it('takes a full batch of 500', async () => {
    const readings = Array.from({ length: 500 }, () => makeReading());
    const response = await postReadings(server.app, readings, agent);
    expect(response.json().accepted).toHaveLength(500);
  });
});

describe('POST /api/v1/readings: requests refused as a whole', () => {
  const json = { 'content-type': 'application/json' };
  const cases: { name: string; status: number; headers?: Record<string, string>; payload?: string; mentions: RegExp }[] = [
    { name: 'no readings', status: 400, headers: json, payload: '{"readings":[]}', mentions: /au moins 1 relevé/ },
    {
      name: '501 readings',
      status: 413,
      headers: json,
      payload: JSON.stringify({ readings: Array.from({ length: 501 }, () => makeReading()) }),
      mentions: /501.*500/,
    },
    {
      name: 'a body over 1 MiB',
      status: 413,
      headers: json,
      payload: JSON.stringify({ readings: [makeReading()], padding: 'x'.repeat(1024 * 1024) }),
      mentions: /trop volumineuse/,
    },
    { name: 'malformed JSON', status: 400, headers: json, payload: '{"readings": [', mentions: /pas du JSON valide/ },
    { name: 'an empty JSON body', status: 400, headers: json, payload: '', mentions: /vide/ },
    { name: 'no body at all', status: 400, mentions: /vide/ },
    { name: 'no readings field', status: 400, headers: json, payload: '{"reading":[]}', mentions: /« readings » manque/ },
    { name: 'readings not an array', status: 400, headers: json, payload: '{"readings":{"id":"x"}}', mentions: /doit être un tableau/ },
    { name: 'a bare array', status: 400, headers: json, payload: JSON.stringify([makeReading()]), mentions: /objet JSON/ },
    { name: 'a JSON string', status: 400, headers: json, payload: '"readings"', mentions: /objet JSON/ },
    { name: 'text/plain', status: 415, headers: { 'content-type': 'text/plain' }, payload: '{"readings":[]}', mentions: /application\/json/ },
    { name: 'a form', status: 415, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'readings=1', mentions: /application\/json/ },
    { name: 'no content type', status: 415, payload: '{"readings":[]}', mentions: /application\/json/ },
  ];

  it.each(cases)('$name → $status with a message', async ({ status, headers, payload, mentions }) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/readings',
      headers: { ...agent.headers, ...headers },
      ...(payload !== undefined && { payload }),
    });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ error: expect.stringMatching(mentions) });
    expect(await stored()).toEqual([]);
  });
});
