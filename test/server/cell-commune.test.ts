import { expect, it } from 'vitest';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { addUser, useTestApps, postReadings, makeReading, useTempDir, NIMES, type TestApp } from './fixtures.ts';
import { AROUND, byCell, getCells, ID_A } from './grid-helpers.ts';

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

// Issue 15: a reviewer read « Maille CRS3035RES200mN2314000E3800600 » and had to guess where it
// was. Each cell of GET /api/v1/cells names the commune its centre lies in.
it('GET /api/v1/cells names each cell’s commune, by its centre, at every resolution', async () => {
  server = await openApp();
  const agent = await addUser(server.app);
  const admin = await addUser(server.app, { role: 'admin' });
  await postReadings(server.app, [makeReading(), makeReading({ operator: 'sfr' })], agent);
  await postReadings(server.app, [makeReading({ ...NIMES })], admin);

  const fine = await getCells(server.app, admin.headers, `bbox=${AROUND}`);
  expect(fine.statusCode, fine.body).toBe(200);
  expect(byCell(fine.json())[ID_A].commune).toEqual({ code: '34261', name: 'Saint-Guilhem-le-Désert' });

  const coarse = await getCells(server.app, admin.headers, 'bbox=3.4,43.6,4.5,43.9&resolution=10000');
  const names = coarse
    .json()
    .features.map((feature: { properties: { commune: { name: string } | null } }) => feature.properties.commune?.name)
    .sort();
  expect(names).toEqual(['Nîmes', 'Saint-Guilhem-le-Désert']);
});

// Issue 15 on a default install (no commune data loaded): the cell was still « Maille 200 m
// n° … ». It is named by the département its centre lies in, from the shipped outlines.
it('GET /api/v1/cells names each cell’s département, from the shipped outlines, where no commune data is loaded', async () => {
  server = await openApp({ communes: createCommunes() });
  const agent = await addUser(server.app);
  const admin = await addUser(server.app, { role: 'admin' });
  await postReadings(server.app, [makeReading(), makeReading({ operator: 'sfr' })], agent);

  for (const format of ['geojson', 'compact']) {
    const answer = await getCells(server.app, admin.headers, `bbox=${AROUND}&format=${format}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    const cell = (body.cells ?? body.features.map((feature: { properties: unknown }) => feature.properties)).find(
      (properties: { cellId: string }) => properties.cellId === ID_A,
    );
    expect(cell).toMatchObject({ commune: null, departement: { code: '34', name: 'Hérault' } });
  }
});
