import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tableRows } from '../support/test-store.ts';
import { addUser, makeReading, openTestApp, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/** Issue 17: a reading's protocol and its tests' raw figures are stored and given back as sent, on both stores. */

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

const STARTED = '2026-05-04T10:16:00.000+02:00';

describe('a reading under Arcep’s QoS protocol', () => {
  it('is stored with its protocol column and every figure, and read back unchanged', async () => {
    const qos = makeReading({
      protocol: 'qos',
      voice: 'ok',
      callTest: { startedAt: STARTED, durationS: 120, audio: 'poor' },
      sms: 'ok',
      smsTest: { startedAt: STARTED, receivedAt: '2026-05-04T10:16:12.400+02:00', delayS: 12.4 },
      dataTest: {
        startedAt: STARTED,
        upload: { bytes: 1_000_000, durationMs: 1830, intact: true },
        download: { bytes: 10_485_760, durationMs: 4200 },
        page: { bytes: 2_050_000, durationMs: 900, complete: false },
      },
    });
    const offline = makeReading({ protocol: 'qos', dataTest: { startedAt: STARTED, offline: true } });
    const old = makeReading();
    const response = await postReadings(server.app, [qos, offline, old], agent);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().accepted).toEqual([qos.id, offline.id, old.id]);

    const read = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: agent.headers });
    const byId = new Map(read.json().features.map((f: { id: string; properties: unknown }) => [f.id, f.properties]));
    expect(byId.get(qos.id)).toMatchObject(qos);
    expect(byId.get(offline.id)).toMatchObject(offline);
    expect(byId.get(old.id)).not.toHaveProperty('protocol');

    const { readings } = await tableRows(server.location, ['readings']);
    const protocols = Object.fromEntries((readings as { id: string; protocol: string | null }[]).map((row) => [row.id, row.protocol]));
    expect(protocols).toEqual({ [qos.id]: 'qos', [offline.id]: 'qos', [old.id]: null });
  });

  it('refuses a data test with figures it claims it could not run, in French', async () => {
    const response = await postReadings(
      server.app,
      [makeReading({ protocol: 'qos', dataTest: { startedAt: STARTED, offline: true, download: { bytes: 1, durationMs: 1 } } })],
      agent,
    );
    expect(response.json().rejected[0].errors).toContainEqual({
      field: 'dataTest',
      message: 'Un test de données hors ligne n’a pas de mesures : l’appareil n’a rien tenté',
    });
  });
});
