import { describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { makeReport, signIn } from '../server/fixtures.ts';
import { blockingViolations } from './axe.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

/** Where to save screenshots to look at (unset: none taken). */
const SHOTS = process.env.COUVERTURE_SCREENSHOTS;

/** The 200 m cell of the zone the reviewer made before the meeting. */
const CELL = cellIdAt(POSITION.longitude, POSITION.latitude)!;

describe('the équipe projet’s table', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('a reviewer opens « Tableau de bord », sees the département’s zone and a resident’s report, and follows the zone to its dossier', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    const headers = await signIn(server.app, reviewer.email, reviewer.password);
    const made = await server.app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers,
      payload: { name: 'Vallée du Verdus', cells: [CELL], need: 'habitations' },
    });
    expect(made.statusCode, made.body).toBe(201);
    // A resident's report a kilometre away, in no zone: one to look at.
    const report = makeReport({
      lat: POSITION.latitude + 0.01,
      lon: POSITION.longitude,
      reportedAt: new Date().toISOString(),
      problem: 'no-calls',
      operator: 'free',
    });
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { reports: [report] } })).statusCode).toBe(200);

    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, server.url, reviewer);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { name: /^Tableau de bord · Hérault \(34\)/ }).waitFor();

    const zones = page.getByRole('region', { name: 'Zones par étape' });
    await zones.getByRole('row', { name: /Vallée du Verdus/ }).waitFor();
    expect(await zones.getByRole('row', { name: /Vallée du Verdus/ }).textContent()).toContain('À étudier');
    const reports = page.getByRole('region', { name: 'Signalements à regarder' });
    await reports.getByText('1 signalement d’habitants hors de toute zone').waitFor();
    await reports.getByRole('link', { name: 'Impossible d’appeler (Free Mobile)' }).waitFor();
    await reports.getByText('Saint-Guilhem-le-Désert (34261)').waitFor();
    await page
      .getByRole('region', { name: /^Zones proposées en \d{4}$/ })
      .getByText('0 zone transmise cette année (aucun quota fixé pour ce déploiement).')
      .waitFor();

    expect(await blockingViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/tableau-1366.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 640 });
    expect(await blockingViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/tableau-360.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/tableau-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await zones.getByRole('link', { name: 'Vallée du Verdus' }).click();
    await page.getByRole('heading', { name: 'Vallée du Verdus', level: 2 }).waitFor();
    expect(page.url()).toContain(`#zones/${made.json().id}/dossier`);
  });
});
