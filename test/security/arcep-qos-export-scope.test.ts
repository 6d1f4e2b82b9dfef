import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { EXPORT_MESSAGES } from '../../src/server/routes/exports.ts';
import { addUser, makeReading, MONTPELLIER, openTestApp, postReadings, SAINT_GUILHEM, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: use GET /api/v1/exports/arcep-qos.csv, which lists readings one by one with their
 * positions and times, to read readings the caller may not read back through
 * GET /api/v1/readings: another département's (a reviewer naming it, or its campaign or zone),
 * or, for an agent of a campaign, the readings another agent of the campaign made outside the
 * first one's communes (a campaign's readings may lie across the commune's border). The export
 * now answers 403 for another département or zone, 404 for a campaign the caller does not
 * see, and gives an agent only what the readings rule gives them.
 */

const tempDir = useTempDir();
let server: TestApp;
let agentSG: Caller; // Saint-Guilhem-le-Désert
let agentTwo: Caller; // Saint-Guilhem-le-Désert and Montpellier
let reviewer34: Caller;
let reviewer30: Caller;
let campaignId: string;
let zoneId: string;
const ids = { bySG: '', inMontpellier: '' };

beforeAll(async () => {
  server = await openTestApp(tempDir());
  agentSG = await addUser(server.app, { communes: ['34261'] });
  agentTwo = await addUser(server.app, { communes: ['34261', '34172'] });
  reviewer34 = await addUser(server.app, { role: 'reviewer', departement: '34' });
  reviewer30 = await addUser(server.app, { role: 'reviewer', departement: '30' });
  const campaign = await server.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: reviewer34.headers,
    payload: { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'], agentIds: [agentSG.id, agentTwo.id] },
  });
  expect(campaign.statusCode, campaign.body).toBe(201);
  campaignId = campaign.json().id;
  const bySG = makeReading({ ...SAINT_GUILHEM, campaignId });
  // The campaign's second agent records one reading across the border, in Montpellier.
  const inMontpellier = makeReading({ ...MONTPELLIER, campaignId });
  ids.bySG = bySG.id;
  ids.inMontpellier = inMontpellier.id;
  expect((await postReadings(server.app, [bySG], agentSG)).json().accepted).toHaveLength(1);
  expect((await postReadings(server.app, [inMontpellier], agentTwo)).json().accepted).toHaveLength(1);
  const zone = await server.app.inject({
    method: 'POST',
    url: '/api/v1/zones',
    headers: reviewer34.headers,
    payload: { name: 'Mas de test', cells: [cellIdAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat)!], need: 'habitations' },
  });
  expect(zone.statusCode, zone.body).toBe(201);
  zoneId = zone.json().id;
});

afterAll(async () => {
  await server.close();
});

const exportAs = (caller: Caller, query: string) =>
  server.app.inject({ method: 'GET', url: `/api/v1/exports/arcep-qos.csv?${query}`, headers: caller.headers });
const idsIn = (body: string) =>
  Papa.parse<Record<string, string>>(body.trim(), { header: true })
    .data.map((row) => row.id)
    .sort();

describe('the Arcep export keeps to the readings’ scope', () => {
  it('refuses another département’s reviewer: 403 for the département or its zone, 404 for its campaign', async () => {
    const departement = await exportAs(reviewer30, 'departement=34');
    expect(departement.statusCode).toBe(403);
    expect(departement.json().error).toBe('Vous instruisez le département 30, pas le « 34 »');
    expect((await exportAs(reviewer30, `zone=${zoneId}`)).statusCode).toBe(403);
    const campaign = await exportAs(reviewer30, `campaign=${campaignId}`);
    expect(campaign.statusCode).toBe(404);
    expect(campaign.body).not.toContain(ids.bySG);
  });

  it('gives an agent only the campaign’s readings the readings rule lets them read back', async () => {
    // The agent of both communes reads both; Saint-Guilhem's agent, not the one in Montpellier.
    expect(idsIn((await exportAs(agentTwo, `campaign=${campaignId}`)).body)).toEqual([ids.bySG, ids.inMontpellier].sort());
    const response = await exportAs(agentSG, `campaign=${campaignId}`);
    expect(response.statusCode).toBe(200);
    expect(idsIn(response.body)).toEqual([ids.bySG]);
    const readBack = await server.app.inject({ method: 'GET', url: '/api/v1/readings?bbox=3.85,43.6,3.9,43.62', headers: agentSG.headers });
    expect(readBack.json().features).toEqual([]);
  });

  it('refuses a département’s export to an agent', async () => {
    const response = await exportAs(agentSG, 'departement=34');
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe(EXPORT_MESSAGES.departementForReviewers);
  });

  it('lets the département’s reviewer export all three', async () => {
    for (const query of [`campaign=${campaignId}`, 'departement=34']) {
      const response = await exportAs(reviewer34, query);
      expect(response.statusCode, query).toBe(200);
      expect(idsIn(response.body), query).toEqual([ids.bySG, ids.inMontpellier].sort());
    }
    expect(idsIn((await exportAs(reviewer34, `zone=${zoneId}`)).body)).toEqual([ids.bySG]);
  });
});
