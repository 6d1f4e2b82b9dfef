import { describe, expect, it } from 'vitest';
import { addUser, makeReport, MONTPELLIER, NIMES, useTestApps, postReports, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * The équipe projet's table (GET /api/v1/departements/:code/summary and its CSV) lists a
 * département's zones, campaigns and residents' reports at their exact positions. A Gard
 * reviewer asking for the Hérault's table, by JSON or CSV, gets a French 403 and nothing of
 * it; and the Hérault's table never lists a Gard resident's report, hidden reports neither.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

describe('the équipe projet’s table of another département', () => {
  it('is refused to a reviewer of another département, JSON and CSV, and lists only its own département’s visible reports', async () => {
    server = await openApp();
    const { app } = server;
    const herault = await addUser(app, { role: 'reviewer', departement: '34' });
    const gard = await addUser(app, { role: 'reviewer', departement: '30' });

    const montpellier = makeReport({ ...MONTPELLIER, problem: 'no-calls' });
    const hidden = makeReport({ lat: MONTPELLIER.lat + 0.01, lon: MONTPELLIER.lon, problem: 'no-data' });
    const nimes = makeReport({ ...NIMES, problem: 'no-signal' });
    expect((await postReports(app, [montpellier, hidden, nimes])).statusCode).toBe(200);
    const hide = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reports/${hidden.id}`,
      headers: herault.headers,
      payload: { hidden: true, reason: 'Doublon' },
    });
    expect(hide.statusCode, hide.body).toBe(200);

    for (const url of ['/api/v1/departements/34/summary', '/api/v1/departements/34/summary.csv', '/api/v1/departements/34/summary.csv?format=tableur']) {
      const refused = await app.inject({ method: 'GET', url, headers: gard.headers });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json()).toEqual({ error: 'Vous instruisez le département 30, pas le « 34 »' });
    }

    const own = await app.inject({ method: 'GET', url: '/api/v1/departements/34/summary', headers: herault.headers });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().reports.awaiting).toBe(1);
    expect(own.json().reports.latest.map((report: { id: string }) => report.id)).toEqual([montpellier.id]);
    const gardOwn = await app.inject({ method: 'GET', url: '/api/v1/departements/30/summary', headers: gard.headers });
    expect(gardOwn.json().reports.latest.map((report: { id: string }) => report.id)).toEqual([nimes.id]);
  });
});
