import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellAt, formatCellId, type CellRef } from '../../src/domain/grid/cell-id.ts';
import { createCommunes, type Centre } from '../../src/server/communes/communes.ts';
import {
  addUser,
  makeReading,
  MONTPELLIER,
  NIMES,
  openTestApp,
  postReadings,
  SAINT_GUILHEM,
  TEST_CENTRES,
  useTempDir,
  type Caller,
  type TestApp,
} from '../server/fixtures.ts';
import { pointIn } from '../server/grid-helpers.ts';

/**
 * Attack: a reviewer of the Gard (30) filed a zone of 201 Hérault (34) cells, and got back the
 * Hérault communes its agents had surveyed there (the zone's `communes`); 1 km and 10 km cells
 * and PATCH did the same. Cells outside the zone's département are now refused (403, the
 * message naming the first ones and how many), on creation and on change, whatever their size;
 * a cell is in the département when readings placed in it are, or when its centre or a corner
 * lies in one of its communes (nearest commune centre); a cell nothing can place is refused
 * (400). A border cell is taken, but its `communes` are only the département's.
 */

// Two communes on either side of the Gard–Hérault border, 13 km apart, for a cell astride it.
const SOMMIERES: Centre = { code: '30321', lat: 43.7836, lon: 4.0897 };
const LUNEL: Centre = { code: '34145', lat: 43.6756, lon: 4.1358 };
const communes = createCommunes([...TEST_CENTRES, SOMMIERES, LUNEL]);

const tempDir = useTempDir();
let server: TestApp;
let gard: Caller;
let herault: Caller;
let admin: Caller;

const at = (point: { lat: number; lon: number }, resolutionM: number) => cellAt(point.lon, point.lat, resolutionM)!;
const id = formatCellId;

/** 201 cells of 200 m around Saint-Guilhem-le-Désert, sorted. */
const HERAULT_CELLS: string[] = (() => {
  const corner = at(SAINT_GUILHEM, 200);
  const cells: string[] = [];
  for (let row = 0; cells.length < 201; row += 1) {
    for (let column = 0; column < 15 && cells.length < 201; column += 1)
      cells.push(id({ resolutionM: 200, north: corner.north + 200 * row, east: corner.east + 200 * column }));
  }
  return cells.sort();
})();

/** A 200 m cell on the line from Lunel to Sommières where placing switches from one to the other. */
function borderCell(): { cell: CellRef; gardPoint: { lat: number; lon: number }; heraultPoint: { lat: number; lon: number } } {
  for (let step = 0; step <= 1000; step += 1) {
    const t = step / 1000;
    const point = { lat: LUNEL.lat + t * (SOMMIERES.lat - LUNEL.lat), lon: LUNEL.lon + t * (SOMMIERES.lon - LUNEL.lon) };
    if (communes.locate(point.lat, point.lon)?.departement !== '30') continue;
    const cell = at(point, 200);
    const inside = [0.05, 0.5, 0.95].flatMap((fx) => [0.05, 0.5, 0.95].map((fy) => pointIn(cell, fx, fy)));
    const gardPoint = inside.find((p) => communes.locate(p.lat, p.lon)?.commune === SOMMIERES.code);
    const heraultPoint = inside.find((p) => communes.locate(p.lat, p.lon)?.commune === LUNEL.code);
    if (gardPoint && heraultPoint) return { cell, gardPoint, heraultPoint };
  }
  throw new Error('no cell astride Lunel and Sommières');
}

beforeAll(async () => {
  server = await openTestApp(tempDir(), { communes });
  const { app } = server;
  gard = await addUser(app, { role: 'reviewer', departement: '30' });
  herault = await addUser(app, { role: 'reviewer', departement: '34' });
  admin = await addUser(app, { role: 'admin' });
  // The Hérault's agents survey Saint-Guilhem and Montpellier.
  const agent = await addUser(app, { communes: ['34261', '34172'] });
  const readings = [makeReading(), makeReading(pointIn(at(SAINT_GUILHEM, 200), 0.5, 0.5)), makeReading(MONTPELLIER)];
  expect((await postReadings(app, readings, agent)).json().accepted).toHaveLength(3);
});
afterAll(async () => {
  await server.close();
});

const create = (caller: Caller, cells: string[], query = '', extra: object = {}) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/zones${query}`,
    headers: caller.headers,
    payload: { name: 'Sonde', cells, need: 'habitations', ...extra },
  });
const patch = (caller: Caller, zoneId: string, cells: string[]) =>
  server.app.inject({ method: 'PATCH', url: `/api/v1/zones/${zoneId}`, headers: caller.headers, payload: { cells } });

function expectOutside(response: { statusCode: number; body: string; json(): { error: string } }, cells: string[]): void {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(403);
  const error = response.json().error;
  const count = cells.length === 1 ? '1 maille est hors' : `${cells.length} mailles sont hors`;
  expect(error.startsWith(`${count} du département 30 (Gard) : « ${cells[0]} »`), error).toBe(true);
  expect(error).not.toMatch(/34261|34172|Saint-Guilhem|Montpellier/);
}

async function zonesOfGard(): Promise<{ id: string; cells: string[]; communes: string[] }[]> {
  return (await server.app.inject({ method: 'GET', url: '/api/v1/zones', headers: gard.headers })).json().zones;
}

describe('a zone of another département’s cells', () => {
  it('is refused on creation, 200 m cells, with the Hérault’s communes in the body or not', async () => {
    expectOutside(await create(gard, HERAULT_CELLS), HERAULT_CELLS);
    const withCommunes = await create(gard, HERAULT_CELLS, '', { communes: ['34261'] });
    expect(withCommunes.statusCode).toBe(400);
    expect(withCommunes.json().error).toMatch(/^Champ inconnu : « communes »/);
    // An admin filing it under the Gard gets the same.
    expectOutside(await create(admin, HERAULT_CELLS, '?departement=30'), HERAULT_CELLS);
    expect(await zonesOfGard()).toEqual([]);
  });

  it('is refused with 1 km and 10 km cells too', async () => {
    for (const resolutionM of [1000, 10_000]) {
      const cells = [id(at(SAINT_GUILHEM, resolutionM)), id(at(MONTPELLIER, resolutionM))].sort();
      expectOutside(await create(gard, cells), cells);
    }
    expect(await zonesOfGard()).toEqual([]);
  });

  it('is refused on change (PATCH), whatever the cell size, and the zone stays as it was', async () => {
    const nimes = id(at(NIMES, 200));
    const created = await create(gard, [nimes]);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ departement: '30', cells: [nimes], communes: [] });
    const zoneId = created.json().id as string;
    expectOutside(await patch(gard, zoneId, HERAULT_CELLS), HERAULT_CELLS);
    // One Hérault cell slipped among the Gard's is enough.
    const mixed = [nimes, id(at(SAINT_GUILHEM, 200))].sort();
    expectOutside(await patch(gard, zoneId, mixed), [id(at(SAINT_GUILHEM, 200))]);
    expectOutside(await patch(admin, zoneId, [id(at(SAINT_GUILHEM, 10_000))]), [id(at(SAINT_GUILHEM, 10_000))]);
    expect((await server.app.inject({ method: 'GET', url: `/api/v1/zones/${zoneId}`, headers: gard.headers })).json()).toMatchObject({
      cells: [nimes],
      communes: [],
    });
    const ok = await patch(gard, zoneId, [id(at(NIMES, 1000))]);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('still takes the Hérault’s own cells for the Hérault', async () => {
    const response = await create(herault, HERAULT_CELLS);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(201);
    expect(response.json().communes).toEqual(['34261']);
  });
});

describe('cells at the edge', () => {
  it('a cell astride the border is taken, but its communes are only the département’s', async () => {
    const { cell, gardPoint, heraultPoint } = borderCell();
    const agent = await addUser(server.app, { communes: ['30321', '34145'] });
    const sent = await postReadings(server.app, [makeReading(gardPoint), makeReading(heraultPoint)], agent);
    expect(sent.json().accepted).toHaveLength(2);
    for (const [caller, communesSeen] of [
      [gard, ['30321']],
      [herault, ['34145']],
    ] as const) {
      const response = await create(caller, [id(cell)]);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().communes).toEqual(communesSeen);
    }
  });

  it('a cell nothing can place (no reading, no commune centre near) is refused, saying why', async () => {
    // The Gulf of Lion, 80 km off Agde: no reading, no département, no commune centre within 20 km.
    const atSea = id(cellAt(4.5, 43.0, 200)!);
    const response = await create(gard, [atSea]);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toBe(
      `Impossible de situer 1 maille dans le département 30 (Gard) : « ${atSea} ». Aucun relevé n’y est classé et sa position n’est dans aucun département connu du serveur ; elle est refusée.`,
    );
  });
});
