import { describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { placeStoredAgain } from '../../src/server/communes/reference-data.ts';
import { AIGUES_MORTES_WEST, GARD_OUTLINES, HERAULT_OUTLINES, loadOutlineFiles } from './commune-data.ts';
import {
  addUser,
  makeReading,
  makeReport,
  MONTPELLIER,
  openTestApp,
  useTestApps,
  postReadings,
  postReports,
  useTempDir,
  type Caller,
  type TestApp,
} from './fixtures.ts';

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

const reportsFor = async (app: TestApp['app'], caller: Caller) => (await app.inject({ method: 'GET', url: '/api/v1/reports', headers: caller.headers })).json();
const readingsFor = async (app: TestApp['app'], caller: Caller) =>
  (await app.inject({ method: 'GET', url: '/api/v1/readings', headers: caller.headers })).json();
const cellsFor = async (app: TestApp['app'], caller: Caller) =>
  (await app.inject({ method: 'GET', url: '/api/v1/cells?bbox=3.9,43.5,4.3,43.7&resolution=200', headers: caller.headers })).json();

describe('a default install (no commune data loaded)', () => {
  it('files a resident’s report in Montpellier under the Hérault, where its reviewer sees it, flagged as placed by département', async () => {
    server = await openApp({ communes: createCommunes() });
    const { app } = server;
    const report = makeReport({ ...MONTPELLIER });
    expect((await postReports(app, [report])).statusCode).toBe(200);
    const herault = await addUser(app, { role: 'reviewer', departement: '34' });
    const features = (await reportsFor(app, herault)).features;
    expect(features).toHaveLength(1);
    expect(features[0].properties).toMatchObject({ id: report.id, departement: '34', commune: null, placement: 'departement' });
    // Not the Gard's: only a coarse public view.
    const gard = await addUser(app, { role: 'reviewer', departement: '30' });
    expect((await reportsFor(app, gard)).features[0].properties.departement).toBeUndefined();
  });

  it('files a reading under its département by position, not by the agent’s communes', async () => {
    server = await openApp({ communes: createCommunes() });
    const { app } = server;
    const agent = await addUser(app, { communes: ['34172'] });
    const reading = makeReading({ lat: 43.8367, lon: 4.3601 }); // Nîmes
    expect((await postReadings(app, [reading], agent)).json()).toMatchObject({ accepted: [reading.id], outsideCommunes: [] });
    const gard = await addUser(app, { role: 'reviewer', departement: '30' });
    expect((await readingsFor(app, gard)).features.map((f: { properties: object }) => f.properties)).toEqual([
      expect.objectContaining({ id: reading.id, commune: null, placement: 'departement' }),
    ]);
  });
});

describe('loading commune outlines', () => {
  it('places again the readings and reports stored before, moves their grid rows to the right département, and recomputes zones’ communes', async () => {
    server = await openApp({ communes: createCommunes() });
    const { app, store } = server;
    const agent = await addUser(app, { communes: ['30003'] });
    const atBorder = makeReading({ ...AIGUES_MORTES_WEST });
    const inMontpellier = makeReading({ ...MONTPELLIER });
    await postReadings(app, [atBorder, inMontpellier], agent);
    const borderReport = makeReport({ ...AIGUES_MORTES_WEST, operator: 'free' });
    const montpellierReport = makeReport({ ...MONTPELLIER });
    await postReports(app, [borderReport, montpellierReport]);
    const herault = await addUser(app, { role: 'reviewer', departement: '34' });
    const gard = await addUser(app, { role: 'reviewer', departement: '30' });
    const zone = await app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: herault.headers,
      payload: { name: 'Montpellier centre', cells: [cellIdAt(MONTPELLIER.lon, MONTPELLIER.lat, 200)], need: 'axe-routier' },
    });
    expect(zone.statusCode, zone.body).toBe(201);
    expect(zone.json().communes).toEqual([]);
    // The simplified département outline puts the border point in the Hérault.
    expect((await cellsFor(app, herault)).features.length).toBeGreaterThan(0);
    expect((await cellsFor(app, gard)).features).toEqual([]);

    const communes = await loadOutlineFiles(store, HERAULT_OUTLINES, GARD_OUTLINES);
    expect(communes.generation).toBe(2);
    expect(await placeStoredAgain(store, communes)).toEqual({ readings: 2, reports: 2, zones: 1 });

    const readings = (await readingsFor(app, agent)).features.map((f: { properties: object }) => f.properties);
    expect(readings).toEqual([
      expect.objectContaining({ id: atBorder.id, commune: '30003', placement: 'outline', outsideCommunes: false }),
      expect.objectContaining({ id: inMontpellier.id, commune: '34172', placement: 'outline', outsideCommunes: true }),
    ]);
    const gardReports = (await reportsFor(app, gard)).features.filter((f: { properties: { departement?: string } }) => f.properties.departement === '30');
    expect(gardReports.map((f: { properties: object }) => f.properties)).toEqual([
      expect.objectContaining({ id: borderReport.id, commune: '30003', departement: '30', placement: 'outline' }),
    ]);
    const heraultReport = (await app.inject({ method: 'GET', url: '/api/v1/reports', headers: herault.headers }))
      .json()
      .features.find((f: { id: string }) => f.id === montpellierReport.id);
    expect(heraultReport.properties).toMatchObject({ commune: '34172', departement: '34', placement: 'outline' });
    expect((await cellsFor(app, gard)).features.length).toBeGreaterThan(0);
    const zoneNow = (await app.inject({ method: 'GET', url: `/api/v1/zones/${zone.json().id}`, headers: herault.headers })).json();
    expect(zoneNow.communes).toEqual(['34172']);
    expect(zoneNow.updatedAt).toBe(zone.json().updatedAt);

    // Done once: nothing left to place with this data.
    expect(await placeStoredAgain(store, communes)).toEqual({ readings: 0, reports: 0, zones: 0 });
  });

  it('places new readings and reports by outline at once, with the import they were placed with', async () => {
    const loader = await openTestApp(tempDir());
    const communes = await loadOutlineFiles(loader.store, GARD_OUTLINES);
    await loader.close();
    server = await openApp({ communes });
    const { app } = server;
    const agent = await addUser(app, { communes: ['30003'] });
    const reading = makeReading({ ...AIGUES_MORTES_WEST });
    expect((await postReadings(app, [reading], agent)).json().outsideCommunes).toEqual([]);
    const report = makeReport({ ...AIGUES_MORTES_WEST });
    await postReports(app, [report]);
    const gard = await addUser(app, { role: 'reviewer', departement: '30' });
    expect((await readingsFor(app, gard)).features[0].properties).toMatchObject({ commune: '30003', placement: 'outline' });
    expect((await reportsFor(app, gard)).features[0].properties).toMatchObject({ commune: '30003', departement: '30', placement: 'outline' });
    // Placed with this data already: nothing to place again at the next start.
    expect(await placeStoredAgain(server.store, communes)).toEqual({ readings: 0, reports: 0, zones: 0 });
  });
});
