import { describe, expect, it } from 'vitest';
import type { CellRef } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { addUser, useTestApps, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { CELL_A, CELL_B, CELL_C, ID_A, ID_B, ID_C, levelReading, pointIn } from './grid-helpers.ts';

/**
 * Life after the arrêté (issue 18, part 3): the follow-up fields and their rules, the list by
 * deadline, « Mesurer à nouveau » and the dossier's before/after, on both stores. The test
 * clock says 2026-05-04.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

/** Enough readings of every operator, at `level`, on `day`, by three agents, for a verdict. */
async function survey(app: TestApp['app'], agents: Caller[], cell: CellRef, level: 'TBC' | 'PC', day: string) {
  for (const [i, agent] of agents.entries()) {
    const readings = OPERATORS.flatMap((operator) =>
      [0.2, 0.4, 0.6, 0.8].map((fy) => levelReading(level, { operator, recordedAt: `${day}T10:15:00.000+02:00`, ...pointIn(cell, 0.2 + i / 4, fy) })),
    );
    const response = await postReadings(app, readings, agent);
    expect(response.json().accepted, response.body).toHaveLength(readings.length);
  }
}

async function world() {
  server = await openApp();
  const { app } = server;
  const agents = [await addUser(app), await addUser(app), await addUser(app)];
  for (const cell of [CELL_A, CELL_B, CELL_C]) await survey(app, agents, cell, 'PC', '2025-01-10');
  const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: reviewer.headers, ...(payload && { payload }) });
  const zone = async (name: string, cells: string[]) => {
    const made = await send('POST', '/api/v1/zones', { name, cells, need: 'habitations' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    for (const status of ['retenue', 'transmise'])
      expect((await send('POST', `/api/v1/zones/${id}/status`, { status, reason: 'Dossier complet' })).statusCode).toBe(200);
    return id;
  };
  return { app, agents, reviewer, send, zone };
}

describe('after the arrêté', () => {
  it('moves to « Arrêtée » only with the arrêté’s date, and computes the deadline: 24 months, 12 with a serviced plot', async () => {
    const { send, zone } = await world();
    const id = await zone('Gorges', [ID_A]);
    const without = await send('POST', `/api/v1/zones/${id}/status`, { status: 'arretee', reason: 'Arrêté publié' });
    expect(without.statusCode).toBe(400);
    expect(without.json().error).toContain('donnez la date de l’arrêté');

    const moved = await send('POST', `/api/v1/zones/${id}/status`, {
      status: 'arretee',
      reason: 'Arrêté publié',
      followUp: { arreteDate: '2026-02-28', arreteReference: 'Arrêté du 28 février 2026, NOR ECOI2604567A', leaderOperator: 'orange' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().followUp).toEqual({
      arreteDate: '2026-02-28',
      arreteReference: 'Arrêté du 28 février 2026, NOR ECOI2604567A',
      leaderOperator: 'orange',
      servicedPlot: false,
      deadline: '2028-02-28',
    });
    const plot = await send('PATCH', `/api/v1/zones/${id}`, { followUp: { servicedPlot: true } });
    expect(plot.json().followUp.deadline).toBe('2027-02-28');

    const dossier = (await send('GET', `/api/v1/zones/${id}/dossier.json`)).json();
    expect(dossier.deadlineText).toBe('échéance dans 9 mois (le 28 février 2027)');
  });

  it.each([
    [{ arreteDate: '2026-02-30' }, 'La date de l’arrêté doit être une date du calendrier'],
    [{ arreteDate: '2026-06-01' }, 'est à venir'],
    [{ arreteDate: null }, 'garde la date de son arrêté'],
    [{ inServiceDate: '2025-12-01' }, 'avant l’arrêté (2026-02-28)'],
    [{ leaderOperator: 'nrj' }, 'Opérateur leader inconnu'],
    [{ deadline: '2030-01-01' }, 'Champ inconnu : « followUp.deadline »'],
    [{ servicedPlot: 'oui' }, 'servicedPlot doit valoir true ou false'],
  ])('refuses the follow-up %j in French', async (followUp, message) => {
    const { send, zone } = await world();
    const id = await zone('Gorges', [ID_A]);
    expect((await send('POST', `/api/v1/zones/${id}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2026-02-28' } })).statusCode).toBe(
      200,
    );
    const refused = await send('PATCH', `/api/v1/zones/${id}`, { followUp });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toContain(message);
  });

  it('moves to « Couverte » only with the date the site entered service', async () => {
    const { send, zone } = await world();
    const id = await zone('Gorges', [ID_A]);
    await send('POST', `/api/v1/zones/${id}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2025-02-01' } });
    const without = await send('POST', `/api/v1/zones/${id}/status`, { status: 'couverte', reason: 'Site allumé' });
    expect(without.json().error).toContain('donnez la date de mise en service');
    const covered = await send('POST', `/api/v1/zones/${id}/status`, { status: 'couverte', reason: 'Site allumé', followUp: { inServiceDate: '2026-04-15' } });
    expect(covered.statusCode, covered.body).toBe(200);
    expect(covered.json()).toMatchObject({ status: 'couverte', followUp: { inServiceDate: '2026-04-15', deadline: '2027-02-01' } });
  });

  it('lists zones by deadline with ?sort=deadline: overdue first, then the nearest, then those without one', async () => {
    const { send, zone } = await world();
    const later = await zone('Plus tard', [ID_A]);
    const overdue = await zone('En retard', [ID_B]);
    await zone('Pas encore arrêtée', [ID_C]);
    await send('POST', `/api/v1/zones/${later}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2025-06-01' } });
    await send('POST', `/api/v1/zones/${overdue}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2024-01-10' } });
    const zones = (await send('GET', '/api/v1/zones?sort=deadline')).json().zones;
    expect(zones.map((z: { name: string; followUp: { deadline: string | null } }) => [z.name, z.followUp.deadline])).toEqual([
      ['En retard', '2026-01-10'],
      ['Plus tard', '2027-06-01'],
      ['Pas encore arrêtée', null],
    ]);
  });

  it('« Mesurer à nouveau » creates a campaign over the zone, and the dossier compares before and after the arrêté per operator', async () => {
    const { app, agents, send, zone } = await world();
    const id = await zone('Gorges', [ID_A, ID_B]);
    const early = await send('POST', `/api/v1/zones/${id}/remeasure`, { startsOn: '2026-05-04', endsOn: '2026-05-31' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toContain('zone arrêtée ou couverte');

    await send('POST', `/api/v1/zones/${id}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2025-02-01', leaderOperator: 'orange' } });
    const before = (await send('GET', `/api/v1/zones/${id}/dossier.json`)).json().beforeAfter;
    expect(before).toMatchObject({ arreteDate: '2025-02-01', campaign: null, coveredByMeasurement: null });
    expect(before.operators[0]).toMatchObject({ operator: 'orange', before: { verdict: 'PC', readings: 24 }, after: null });

    const made = await send('POST', `/api/v1/zones/${id}/remeasure`, { startsOn: '2026-05-04', endsOn: '2026-05-31' });
    expect(made.statusCode, made.body).toBe(201);
    const { zone: remeasured, campaign } = made.json();
    expect(campaign).toMatchObject({ name: 'Mesurer à nouveau : Gorges', communeInsee: '34261', departement: '34', operators: [...OPERATORS] });
    expect(remeasured.followUp.remeasureCampaignId).toBe(campaign.id);

    await survey(app, agents, CELL_A, 'TBC', '2026-05-04');
    await survey(app, agents, CELL_B, 'TBC', '2026-05-04');
    const after = (await send('GET', `/api/v1/zones/${id}/dossier.json`)).json().beforeAfter;
    expect(after.campaign).toMatchObject({ id: campaign.id, startsOn: '2026-05-04' });
    expect(after.operators[0]).toMatchObject({ operator: 'orange', before: { verdict: 'PC', readings: 24 }, after: { verdict: 'TBC', readings: 24 } });
    expect(after.coveredByMeasurement).toBe(true);
    expect(after.conclusion).toContain('Zone couverte selon les mesures faites après l’arrêté');
  });

  it('« Mesurer à nouveau » refuses what the campaigns refuse, with their message', async () => {
    const { send, zone } = await world();
    const id = await zone('Gorges', [ID_A]);
    await send('POST', `/api/v1/zones/${id}/status`, { status: 'arretee', reason: 'Arrêté', followUp: { arreteDate: '2025-02-01' } });
    const refused = await send('POST', `/api/v1/zones/${id}/remeasure`, { startsOn: '2026-06-01', endsOn: '2026-05-01' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toContain('La fin de la campagne précède son début');
    const commune = await send('POST', `/api/v1/zones/${id}/remeasure`, { startsOn: '2026-05-04', endsOn: '2026-05-31', communeInsee: '34172' });
    expect(commune.json().error).toContain('retirez « communeInsee »');
  });
});
