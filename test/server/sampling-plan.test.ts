import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplingPlanAnswer } from '../../src/domain/api/index.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { addUser, openTestApp, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { CELL_A, CELL_B, ID_A, ID_B, levelReading, pointIn } from './grid-helpers.ts';

/**
 * GET /api/v1/campaigns/:id/sampling-plan(.csv): the campaign's cells × operators still
 * undecided, and how many more readings would decide each (docs/coverage-rules.md, « Statistics »).
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
let reviewer: Caller;
let campaignId: string;

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
  const at = (cell: typeof CELL_A, i: number, level: 'BC' | 'CL' | 'PC', operator: Reading['operator']) =>
    levelReading(level, { ...pointIn(cell, 0.1 + i * 0.1, 0.5), operator, campaignId, communeInsee: '34261', voice: 'not-tested' });
  const readings = [
    // Cell A: Orange BC × 3 (44–100 %: one more decides), SFR PC × 4 (0–49 %: decided).
    ...[0, 1, 2].map((i) => at(CELL_A, i, 'BC', 'orange')),
    ...[0, 1, 2, 3].map((i) => at(CELL_A, i, 'PC', 'sfr')),
    // Cell B: Orange half BC, half CL (never decided at that share); SFR not measured by anyone.
    ...[0, 1].map((i) => at(CELL_B, i, 'BC', 'orange')),
    ...[2, 3].map((i) => at(CELL_B, i, 'CL', 'orange')),
  ];
  const posted = await postReadings(server.app, readings, agent);
  expect(posted.json().accepted).toHaveLength(readings.length);
});

afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/campaigns/:id/sampling-plan', () => {
  it('lists the undecided cells × operators, fewest readings to decide first, « plus de 200 » for a share on the threshold', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/sampling-plan`, headers: agent.headers });
    expect(response.statusCode, response.body).toBe(200);
    const plan: SamplingPlanAnswer = response.json();
    expect(plan).toMatchObject({ campaignId, confidence: 0.95, coverageThreshold: 0.5, cap: 200 });
    expect(plan.entries.map(({ rank, cellId, operator, readings, needed }) => ({ rank, cellId, operator, readings, needed }))).toEqual([
      { rank: 1, cellId: ID_A, operator: 'orange', readings: 3, needed: 1 },
      // Nothing measured: four readings that agree decide it either way.
      { rank: 2, cellId: ID_B, operator: 'sfr', readings: 0, needed: 4 },
      { rank: 3, cellId: ID_B, operator: 'orange', readings: 4, needed: null },
    ]);
    expect(plan.entries[0]!.coverage).toMatchObject({ successes: 3, trials: 3, rate: 1, high: 1 });
    expect(plan.entries[0]!.coverage!.low).toBeCloseTo(0.4385, 4);
    expect(plan.entries[1]!.coverage).toBeNull();
  });

  it('as CSV, one row per entry in rank order', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/sampling-plan.csv`, headers: reviewer.headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="plan-echantillonnage-${campaignId}.csv"`);
    const rows = Papa.parse<Record<string, string>>(response.body.trim(), { header: true }).data;
    expect(rows.map((row) => [row.rang, row.maille, row.operateur, row.releves, row.releves_a_ajouter])).toEqual([
      ['1', ID_A, 'orange', '3', '1'],
      ['2', ID_B, 'sfr', '0', '4'],
      ['3', ID_B, 'orange', '4', 'plus de 200'],
    ]);
    const tableur = await server.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/sampling-plan.csv?format=tableur`,
      headers: reviewer.headers,
    });
    expect(tableur.body.split('\r\n')[0]).toContain('rang;maille;operateur');
  });

  it('answers 404 for a campaign the caller does not see, and 400 for an unknown parameter', async () => {
    const outsider = await addUser(server.app, { role: 'reviewer', departement: '30' });
    const hidden = await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/sampling-plan`, headers: outsider.headers });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error).toBe('Aucune campagne ne porte cet identifiant');
    const odd = await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/sampling-plan.csv?tri=rang`, headers: agent.headers });
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error).toContain('Paramètre inconnu : « tri »');
  });
});
