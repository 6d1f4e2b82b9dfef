import { describe, expect, it } from 'vitest';
import type { CellRef } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { addUser, makeReport, useTestApps, postReadings, postReports, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { CELL_A, CELL_B, CELL_C, ID_A, ID_B, levelReading, pointIn } from './grid-helpers.ts';

/**
 * The équipe projet's table (issue 18, part 4): GET /api/v1/departements/:code/summary and
 * its CSV, on both stores, with a département the test builds itself: measured cells, an
 * operator's declared map, INSEE's population, zones at several steps, residents' reports,
 * a campaign. The test clock says 2026-05-04.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

/** Enough PC readings of every operator on `cell`, by three agents, for a verdict. */
async function surveyNoCoverage(app: TestApp['app'], agents: Caller[], cell: CellRef) {
  for (const [i, agent] of agents.entries()) {
    const readings = OPERATORS.flatMap((operator) =>
      [0.2, 0.4, 0.6, 0.8].map((fy) => levelReading('PC', { operator, recordedAt: '2026-04-10T10:15:00.000+02:00', ...pointIn(cell, 0.2 + i / 4, fy) })),
    );
    expect((await postReadings(app, readings, agent)).json().accepted).toHaveLength(readings.length);
  }
}

async function world(options: { zoneQuotaPerYear?: number } = {}) {
  server = await openApp(options);
  const { app, store } = server;
  const agents = [await addUser(app), await addUser(app), await addUser(app)];
  for (const cell of [CELL_A, CELL_B]) await surveyNoCoverage(app, agents, cell);
  // Orange's map says « très bonne couverture » on cell A, where every reading says none.
  await store.replaceDeclaredCoverage(
    {
      departement: '34',
      operator: 'orange',
      technology: '4G',
      source: 'orange-4g.gpkg',
      editionDate: '2026-01-01',
      importedAt: '2026-04-01T00:00:00Z',
      polygons: 1,
      cells: { TBC: 1, BC: 0, CL: 0, none: 0 },
    },
    [{ resolutionM: 200, north: CELL_A.north, east: CELL_A.east, level: 'TBC' }],
  );
  await store.importPopulation([{ north: CELL_A.north, east: CELL_A.east, inhabitants: 41.6, households: 17.2, dwellings: null, edition: '2019' }]);

  const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
  const send = (method: 'GET' | 'POST', url: string, payload?: object, as: Caller = reviewer) =>
    app.inject({ method, url, headers: as.headers, ...(payload && { payload }) });
  const zone = async (name: string, cells: string[], steps: object[]) => {
    const made = await send('POST', '/api/v1/zones', { name, cells, need: 'habitations' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    for (const step of steps) {
      const moved = await send('POST', `/api/v1/zones/${id}/status`, { reason: 'Équipe projet du 12 mars', ...step });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    return id;
  };
  const gorges = await zone(
    'Gorges de l’Hérault',
    [ID_A],
    [{ status: 'retenue' }, { status: 'transmise' }, { status: 'arretee', followUp: { arreteDate: '2024-01-15', leaderOperator: 'orange' } }],
  );
  const plateau = await zone('Plateau', [ID_B], []);

  // One report inside the arrêtée zone (already weighed), two outside any zone.
  const inZone = makeReport({ ...pointIn(CELL_A, 0.5, 0.5), operator: 'orange' });
  const older = makeReport({ ...pointIn(CELL_C, 0.5, 0.5), problem: 'no-calls' });
  const newer = makeReport({ ...pointIn(CELL_C, 0.3, 0.3), problem: 'no-data', operator: 'free' });
  for (const report of [inZone, older, newer]) expect((await postReports(app, [report])).statusCode).toBe(200);

  const campaign = await send('POST', '/api/v1/campaigns', {
    communeInsee: '34261',
    name: 'Saint-Guilhem, printemps',
    startsOn: '2026-04-01',
    endsOn: '2026-05-29',
    operators: ['orange', 'free'],
  });
  expect(campaign.statusCode, campaign.body).toBe(201);
  return { app, agents, reviewer, send, gorges, plateau, reports: { older, newer }, campaignId: campaign.json().id as string };
}

describe('GET /api/v1/departements/:code/summary', () => {
  it('gathers the zones by step with their people and discrepancies, the deadlines overdue first, the quota, the reports awaiting a look and the campaigns', async () => {
    const { send, gorges, plateau, reports, campaignId } = await world({ zoneQuotaPerYear: 12 });
    const response = await send('GET', '/api/v1/departements/34/summary');
    expect(response.statusCode, response.body).toBe(200);
    const summary = response.json();

    expect(summary.departement).toBe('34');
    expect(summary.today).toBe('2026-05-04');
    expect(summary.byStatus).toEqual({ 'a-etudier': 1, retenue: 0, transmise: 0, arretee: 1, couverte: 0, ecartee: 0 });
    expect(summary.zones.map((zone: { id: string }) => zone.id)).toEqual([plateau, gorges]);
    const [plateauLine, gorgesLine] = summary.zones;
    expect(gorgesLine).toMatchObject({
      name: 'Gorges de l’Hérault',
      status: 'arretee',
      cells: 1,
      discrepancies: { orange: 1 },
      deadline: '2026-01-15',
      leaderOperator: 'orange',
      inServiceDate: null,
    });
    expect(gorgesLine.people).toMatchObject({ inhabitants: 41.6, households: 17.2, edition: '2019' });
    expect(plateauLine).toMatchObject({ status: 'a-etudier', discrepancies: {}, people: null, deadline: null });

    expect(summary.deadlines).toEqual([
      { zoneId: gorges, name: 'Gorges de l’Hérault', deadline: '2026-01-15', monthsLeft: -3, overdue: true, leaderOperator: 'orange' },
    ]);
    expect(summary.quota).toEqual({ year: 2026, proposed: 1, allowed: 12 });

    expect(summary.reports.awaiting).toBe(2);
    expect(summary.reports.latest.map((report: { id: string }) => report.id)).toEqual([reports.newer.id, reports.older.id]);
    expect(summary.reports.latest[0]).toMatchObject({ operator: 'free', problem: 'no-data', commune: '34261', communeName: 'Saint-Guilhem-le-Désert' });

    expect(summary.campaigns).toEqual([
      expect.objectContaining({
        id: campaignId,
        name: 'Saint-Guilhem, printemps',
        stage: 'en-cours',
        startsOn: '2026-04-01',
        endsOn: '2026-05-29',
        readings: 0,
        cellsMeasured: 0,
        lastReadingAt: null,
      }),
    ]);
  });

  it('reads the quota from ZONE_QUOTA_PER_YEAR, unset by default, and refuses a bad one in French', () => {
    expect(loadConfig({ ZONE_QUOTA_PER_YEAR: '12' }).zoneQuotaPerYear).toBe(12);
    expect(loadConfig({}).zoneQuotaPerYear).toBeUndefined();
    expect(() => loadConfig({ ZONE_QUOTA_PER_YEAR: 'douze' })).toThrow(ConfigError);
    expect(() => loadConfig({ ZONE_QUOTA_PER_YEAR: '0' })).toThrow('ZONE_QUOTA_PER_YEAR=« 0 » : attendu un entier de 1 à 10000');
  });

  it('says no quota is set when the deployment sets none', async () => {
    const { send } = await world();
    expect((await send('GET', '/api/v1/departements/34/summary')).json().quota).toEqual({ year: 2026, proposed: 1, allowed: null });
  });

  it('is the reviewer’s own département only: another’s is refused in French, an agent is refused, an admin reads any', async () => {
    const { app, send, agents } = await world();
    const other = await send('GET', '/api/v1/departements/30/summary');
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe('Vous instruisez le département 34, pas le « 30 »');
    const otherCsv = await send('GET', '/api/v1/departements/30/summary.csv');
    expect(otherCsv.statusCode).toBe(403);

    const agent = await send('GET', '/api/v1/departements/34/summary', undefined, agents[0]);
    expect(agent.statusCode).toBe(403);
    expect(agent.json().error).toBe('Votre rôle ne permet pas cette action');

    const admin = await addUser(app, { role: 'admin' });
    const gard = await send('GET', '/api/v1/departements/30/summary', undefined, admin);
    expect(gard.statusCode, gard.body).toBe(200);
    expect(gard.json()).toMatchObject({ departement: '30', zones: [], reports: { awaiting: 0, latest: [] } });
  });

  it('refuses a malformed or unknown département code and unknown parameters, in French', async () => {
    const { app, send } = await world();
    const admin = await addUser(app, { role: 'admin' });
    const malformed = await send('GET', '/api/v1/departements/3x4/summary', undefined, admin);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toContain('attendu un code de département');
    const unknown = await send('GET', '/api/v1/departements/99/summary', undefined, admin);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toContain('Département inconnu');
    const parameter = await send('GET', '/api/v1/departements/34/summary?annee=2025');
    expect(parameter.statusCode).toBe(400);
    expect(parameter.json().error).toContain('Paramètre inconnu : « annee »');
  });
});

describe('GET /api/v1/departements/:code/summary.csv', () => {
  it('writes the same table with French headers, one line per zone, deadline, quota, report and campaign', async () => {
    const { send, gorges } = await world({ zoneQuotaPerYear: 12 });
    const response = await send('GET', '/api/v1/departements/34/summary.csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="tableau-departement-34.csv"');
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe('Rubrique,Identifiant,Intitulé,Étape,Habitants,Ménages,Écarts avec les cartes des opérateurs (mailles),Échéance,Détail');
    expect(lines).toContain(`Zone,${gorges},Gorges de l’Hérault,Arrêtée,42,17,Orange : 1,2026-01-15,1 mailles ; communes 34261`);
    expect(lines).toContain(`Échéance,${gorges},Gorges de l’Hérault,En retard,,,,2026-01-15,en retard de 3 mois`);
    expect(lines).toContain('Quota,2026,Zones proposées en 2026,,,,,,1 sur 12');
    expect(lines.filter((line) => line.startsWith('Signalement,'))).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('Campagne,'))).toHaveLength(1);
  });

  it('offers the spreadsheet dialect: semicolons, and a file name saying so', async () => {
    const { send } = await world();
    const response = await send('GET', '/api/v1/departements/34/summary.csv?format=tableur');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="tableau-departement-34-tableur.csv"');
    expect(response.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Rubrique;Identifiant;Intitulé;Étape;Habitants;Ménages;Écarts avec les cartes des opérateurs (mailles);Échéance;Détail',
    );
    expect((await send('GET', '/api/v1/departements/34/summary.csv?format=ods')).statusCode).toBe(400);
  });
});
