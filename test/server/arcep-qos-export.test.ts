import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { ARCEP_COLUMNS, arcepQosTableSchema } from '../../src/server/grid/arcep-qos.ts';
import { addUser, makeReading, openTestApp, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/**
 * GET /api/v1/exports/arcep-qos.csv: Arcep's QoS columns first, in their order, then ours
 * (docs/arcep-qos.md), every row valid against its Table Schema (docs/arcep-qos.schema.json)
 * by the Frictionless reference library (npm `tableschema`, as open data's test uses it).
 */

// CommonJS library without types.
const require = createRequire(import.meta.url);
const { Table, Schema } = require('tableschema') as {
  Table: {
    load(
      source: string,
      options: { schema: unknown },
    ): Promise<{ headers: string[]; read(options: { forceCast: boolean; keyed?: boolean }): Promise<unknown[]> }>;
  };
  Schema: { load(descriptor: unknown): Promise<{ valid: boolean; errors: Error[]; fieldNames: string[] }> };
};

/** Arcep's published QoS columns (shared/EVIDENCE.md, « Two Arcep protocols »), in their order. */
const ARCEP = [
  'mcc_mnc',
  'rsrp',
  'terminal',
  'protocole',
  'strate',
  'situation',
  'date',
  'heure',
  'latitude',
  'longitude',
  'insee_com',
  'appel_2min',
  'sms_10s',
  'page_chargee_moins_10s',
  'fichier_charge_en_moins_de_30s',
  'debit_en_mbits',
];

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
let reviewer: Caller;
let campaignId: string;
const started = '2026-05-04T10:15:00.000+02:00';
const ids = { qos: '', mapCheck: '', offline: '', outside: '' };

beforeAll(async () => {
  server = await openTestApp(tempDir());
  agent = await addUser(server.app, { communes: ['34261'] });
  reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: reviewer.headers,
    payload: { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'sfr'], agentIds: [agent.id] },
  });
  expect(created.statusCode, created.body).toBe(201);
  campaignId = created.json().id;
  const inCampaign = { campaignId, communeInsee: '34261' };
  const readings: Reading[] = [
    makeReading({
      ...inCampaign,
      protocol: 'qos',
      voice: 'ok',
      callTest: { startedAt: started, durationS: 125, audio: 'good' },
      sms: 'ok',
      smsTest: { startedAt: started, delayS: 4 },
      dataTest: {
        startedAt: started,
        upload: { bytes: 1_000_000, durationMs: 4000, intact: true },
        download: { bytes: 10_000_000, durationMs: 8000 },
        page: { bytes: 2_000_000, durationMs: 3500, complete: true },
      },
    }),
    makeReading({ ...inCampaign, operator: 'sfr', voice: 'ok', callTest: { startedAt: started, durationS: 61 }, recordedAt: '2026-01-15T23:30:00.000Z' }),
    makeReading({
      ...inCampaign,
      protocol: 'qos',
      technology: '5G',
      signalDbm: -90,
      setting: 'vehicle',
      voice: 'dropped',
      callTest: { startedAt: started, durationS: 30 },
      dataTest: { startedAt: started, offline: true },
    }),
    makeReading({ lat: 43.735, lon: 3.551 }),
  ];
  [ids.qos, ids.mapCheck, ids.offline, ids.outside] = readings.map((reading) => reading.id) as [string, string, string, string];
  expect((await postReadings(server.app, readings, agent)).json().accepted).toHaveLength(4);
});

afterAll(async () => {
  await server.close();
});

const exportAs = (caller: Caller, query: string) =>
  server.app.inject({ method: 'GET', url: `/api/v1/exports/arcep-qos.csv?${query}`, headers: caller.headers });
const rowsOf = (body: string) => Papa.parse<Record<string, string>>(body.trim(), { header: true }).data;

describe('GET /api/v1/exports/arcep-qos.csv', () => {
  it('puts Arcep’s sixteen columns first, in Arcep’s order, then ours', async () => {
    expect(ARCEP_COLUMNS).toEqual(ARCEP);
    const response = await exportAs(reviewer, `campaign=${campaignId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="arcep-qos-campagne-${campaignId}.csv"`);
    const header = response.body.split('\n')[0]!.split(',');
    expect(header.slice(0, 16)).toEqual(ARCEP);
    expect(header.slice(16, 19)).toEqual(['id', 'operateur', 'technologie']);
  });

  it('maps each reading’s tests through protocol.ts: QoS successes, map-check calls apart, offline data tests', async () => {
    const rows = rowsOf((await exportAs(reviewer, `campaign=${campaignId}`)).body);
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(Object.keys(byId).sort()).toEqual([ids.qos, ids.mapCheck, ids.offline].sort());
    expect(byId[ids.qos]).toMatchObject({
      mcc_mnc: '20801',
      rsrp: '-105',
      terminal: '',
      protocole: 'qos',
      strate: '',
      situation: 'exterieur',
      date: '2026-05-04',
      heure: '10:15:00',
      latitude: '43.7339',
      longitude: '3.5494',
      insee_com: '34261',
      appel_2min: '1',
      sms_10s: '1',
      page_chargee_moins_10s: '1',
      fichier_charge_en_moins_de_30s: '1',
      debit_en_mbits: '10',
      appel_resultat: 'success',
      appel_audio: 'good',
      sms_delai_s: '4',
      debit_classe: '8-30',
      operateur: 'Orange',
    });
    // A map check's one-minute call is no two-minute call: appel_2min stays empty, our column says it held.
    expect(byId[ids.mapCheck]).toMatchObject({
      mcc_mnc: '20810',
      protocole: 'map-check',
      appel_2min: '',
      sms_10s: '',
      appel_resultat: 'success',
      appel_duree_s: '61',
    });
    // Winter time in Paris: 23:30 UTC on 15 January is 00:30 on the 16th.
    expect(byId[ids.mapCheck]).toMatchObject({ date: '2026-01-16', heure: '00:30:00' });
    expect(byId[ids.offline]).toMatchObject({
      rsrp: '',
      signal_dbm: '-90',
      situation: 'en_voiture',
      appel_2min: '0',
      appel_resultat: 'failure',
      page_chargee_moins_10s: '',
      debit_en_mbits: '',
      hors_ligne: '1',
    });
  });

  it('validates against its Table Schema (types, units, constraints), which docs/arcep-qos.schema.json holds as served', async () => {
    const served = await server.app.inject({ method: 'GET', url: '/api/v1/exports/arcep-qos.schema.json', headers: reviewer.headers });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(arcepQosTableSchema());
    expect(JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/arcep-qos.schema.json'), 'utf8'))).toEqual(served.json());

    const schema = await Schema.load(served.json());
    expect(schema.errors.map(String)).toEqual([]);
    expect(schema.valid).toBe(true);
    for (const query of [`campaign=${campaignId}`, 'departement=34']) {
      const file = join(tempDir(), `export-${query.replace(/\W/g, '-')}.csv`);
      writeFileSync(file, (await exportAs(reviewer, query)).body);
      const table = await Table.load(file, { schema });
      const rows = await table.read({ forceCast: true, keyed: true });
      expect(table.headers).toEqual(schema.fieldNames);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.filter((row) => row instanceof Error).map(String)).toEqual([]);
    }

    // The validator is not vacuous: a 2 in a 0/1 column is refused.
    const body = (await exportAs(reviewer, `campaign=${campaignId}`)).body;
    const broken = body.replace(/,1,1,1,1,10,/, ',2,1,1,1,10,');
    expect(broken).not.toBe(body);
    const file = join(tempDir(), 'broken.csv');
    writeFileSync(file, broken);
    const rows = await (await Table.load(file, { schema })).read({ forceCast: true, keyed: true });
    expect(rows.filter((row) => row instanceof Error)).toHaveLength(1);
  });

  it('exports a zone’s and a département’s readings to their reviewers', async () => {
    const { cellIdAt } = await import('../../src/domain/grid/cell-id.ts');
    const zone = await server.app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: reviewer.headers,
      payload: { name: 'Mas de test', cells: [cellIdAt(3.5494, 43.7339)!], need: 'habitations' },
    });
    expect(zone.statusCode, zone.body).toBe(201);
    const inZone = rowsOf((await exportAs(reviewer, `zone=${zone.json().id}`)).body).map((row) => row.id);
    expect(inZone.sort()).toEqual([ids.qos, ids.mapCheck, ids.offline].sort());
    const inDepartement = rowsOf((await exportAs(reviewer, 'departement=34')).body).map((row) => row.id);
    expect(inDepartement.sort()).toEqual(Object.values(ids).sort());
  });

  it('answers 400 in French without exactly one scope, or with a bad one', async () => {
    for (const query of ['', `campaign=${campaignId}&departement=34`, 'departement=herault', 'commune=34261']) {
      const response = await exportAs(reviewer, query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error, query).toMatch(/campaign|département|Paramètre inconnu/);
    }
  });
});
