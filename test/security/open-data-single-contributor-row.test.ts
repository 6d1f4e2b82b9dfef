import Papa from 'papaparse';
import { afterEach, expect, it } from 'vitest';
import { addUser, openTestApp, postReadings, useTempDir, type TestApp } from '../server/fixtures.ts';
import { CELL_A, ID_A, levelReading, pointIn } from '../server/grid-helpers.ts';

/**
 * Finding: open data withheld a cell only when the whole cell had fewer than
 * OPEN_DATA_MIN_CONTRIBUTORS distinct contributors, so a cell surveyed by three agents where
 * one alone had measured Orange published that one account's readings as the Orange row
 * (its median dBm, its call results, its days). Every row (cell × operator) below the minimum
 * is now left out, the cell's verdict and totals count the published rows only, and the data
 * package says how many rows were not published.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

it('a cell with three contributors publishes no row that only one of them measured', async () => {
  server = await openTestApp(tempDir());
  const { app } = server;
  const agents = [await addUser(app), await addUser(app), await addUser(app)];
  for (const agent of agents) {
    const sfr = [0, 1].map(() => levelReading('CL', { operator: 'sfr', ...pointIn(CELL_A, 0.5, 0.5) }));
    expect((await postReadings(app, sfr, agent)).statusCode).toBe(200);
  }
  // Orange: three readings, all by the first agent, at a signal that identifies them.
  const orange = [0, 1, 2].map(() => levelReading('TBC', { operator: 'orange', signalDbm: -77, ...pointIn(CELL_A, 0.5, 0.5) }));
  expect((await postReadings(app, orange, agents[0]!)).statusCode).toBe(200);

  const csv = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv' });
  expect(csv.statusCode).toBe(200);
  const records = Papa.parse<Record<string, string>>(csv.body, { header: true, skipEmptyLines: true }).data;
  expect(records.map((r) => [r.cell_id, r.operator])).toEqual([[ID_A, 'sfr']]);
  // The cell as a whole says only what its published rows say.
  expect(records[0]).toMatchObject({ cell_readings: '6', cell_contributors: '3', cell_zone: 'insufficient', readings: '6', contributors: '3' });
  expect(csv.body).not.toContain('-77');

  const geojson = (await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.geojson' })).json();
  expect(geojson.features).toHaveLength(1);
  expect(Object.keys(geojson.features[0].properties.operators)).toEqual(['sfr']);
  expect(geojson.features[0].properties).toMatchObject({ cell_readings: 6, cell_contributors: 3 });
  expect(JSON.stringify(geojson)).not.toContain('-77');

  const pack = (await app.inject({ method: 'GET', url: '/api/v1/open-data/datapackage.json' })).json();
  expect(pack.withholding).toEqual({ minContributors: 3, cellsWithheld: 0, rowsWithheld: 1 });
  expect(pack.description).toContain('Non publiées à cette date : 1 ligne');
});
