import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCellId } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { importPointsOfInterest } from '../../src/server/data-import/poi.ts';
import { importPopulation } from '../../src/server/data-import/population.ts';
import { addUser, useTestApps, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { AROUND, byCell, CELL_A, CELL_B, getCells, ID_A, ID_B, levelReading, pointIn } from './grid-helpers.ts';

/**
 * People affected and points of interest (issue 18, part 2): INSEE's 200 m grid and a POI
 * file loaded through the importers, then carried by the cells, the zones, the suggestions
 * and the dossier, on both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

/** A far cell of the same grid: in the file, never in a zone. */
const FAR = formatCellId({ resolutionM: 200, north: 2_000_000, east: 3_000_000 });

async function file(name: string, text: string): Promise<string> {
  const path = join(tempDir(), name);
  await writeFile(path, text);
  return path;
}

/** Readings in cells A and B (no network, enough of them for a zone blanche), a reviewer of the Hérault. */
async function world(): Promise<{ server: TestApp; reviewer: Caller }> {
  server = await openApp();
  const agents = [await addUser(server.app), await addUser(server.app), await addUser(server.app)];
  for (const cell of [CELL_A, CELL_B]) {
    for (const [i, agent] of agents.entries()) {
      const readings = OPERATORS.flatMap((operator) => [0.2, 0.4, 0.6, 0.8].map((fy) => levelReading('PC', { operator, ...pointIn(cell, 0.2 + i / 4, fy) })));
      expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
    }
  }
  return { server, reviewer: await addUser(server.app, { role: 'reviewer', departement: '34' }) };
}

// Filosofi's own spelling (upper-case first letters), `;`, French decimals: estimates are not whole.
const FILOSOFI_SEMICOLON = `Idcar_200m;I_est_200;Ind;Men;Men_prop;Log_av45;Log_45_70;Log_70_90;Log_ap90;Log_inc;Log_soc
${ID_A};1;12,5;5;3;1;1;1;2;0;0
${ID_B};0;30;11.2;8;4;2;2;3;1;1
${FAR};1;1000;400;100;100;100;100;100;0;20
`;

describe('people affected', () => {
  it('carries INSEE’s inhabitants and households on the cells, the zones (summed), the suggestions and the dossier', async () => {
    const { server, reviewer } = await world();
    const { app, store } = server;
    const loaded = await importPopulation([await file('Filosofi2019_carreaux_200m.csv', FILOSOFI_SEMICOLON)], store);
    expect(loaded).toMatchObject({ edition: '2019', cells: 3, dwellings: true, replaced: 0 });

    const cells = byCell((await getCells(app, reviewer.headers, `bbox=${AROUND}`)).json());
    expect(cells[ID_A]).toMatchObject({ inhabitants: 12.5, households: 5 });
    expect(cells[ID_B]).toMatchObject({ inhabitants: 30, households: 11.2 });
    const coarse = byCell((await getCells(app, reviewer.headers, `bbox=${AROUND}&resolution=1000`)).json());
    expect(Object.values(coarse).reduce((sum, cell) => sum + cell.inhabitants, 0)).toBe(42.5);

    const suggestions = (await app.inject({ method: 'GET', url: `/api/v1/zones/suggestions?bbox=${AROUND}`, headers: reviewer.headers })).json().suggestions;
    expect(suggestions[0].people).toEqual({ inhabitants: 42.5, households: 16.2, dwellings: 17, edition: '2019' });

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: reviewer.headers,
      payload: { name: 'Gorges', cells: [ID_A, ID_B], need: 'habitations' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().people).toEqual({ inhabitants: 42.5, households: 16.2, dwellings: 17, edition: '2019' });
    const dossier = (await app.inject({ method: 'GET', url: `/api/v1/zones/${created.json().id}/dossier.json`, headers: reviewer.headers })).json();
    expect(dossier.peopleStatement.replace(/\s/g, ' ')).toBe('43 habitants, 16 ménages, 17 logements dans la zone (INSEE, carroyage 200 m, édition 2019)');

    // A newer edition replaces the figures of the cells it lists; the others keep theirs.
    const newer = await importPopulation([await file('carreaux.csv', `idcar_200m,ind,men\n${ID_A},20,8\n`), '--edition', '2021'], store);
    expect(newer).toMatchObject({ edition: '2021', cells: 1, dwellings: false, replaced: 1 });
    const zone = (await app.inject({ method: 'GET', url: `/api/v1/zones/${created.json().id}`, headers: reviewer.headers })).json();
    expect(zone.people).toEqual({ inhabitants: 50, households: 19.2, dwellings: 12, edition: '2019, 2021' });
  });

  it('says « unknown » (null), not zero, where no edition was loaded', async () => {
    const { server, reviewer } = await world();
    const cells = byCell((await getCells(server.app, reviewer.headers, `bbox=${AROUND}`)).json());
    expect(cells[ID_A]).toMatchObject({ inhabitants: null, households: null });
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/zones',
      headers: reviewer.headers,
      payload: { name: 'Gorges', cells: [ID_A], need: 'habitations' },
    });
    expect(created.json().people).toBeNull();
    const dossier = (await server.app.inject({ method: 'GET', url: `/api/v1/zones/${created.json().id}/dossier.json`, headers: reviewer.headers })).json();
    expect(dossier.peopleStatement).toContain('Population inconnue');
  });

  it('lists zones by people affected with ?sort=people', async () => {
    const { server, reviewer } = await world();
    await importPopulation([await file('pop-2019.csv', FILOSOFI_SEMICOLON)], server.store);
    for (const [name, cell] of [
      ['A', ID_A],
      ['B', ID_B],
    ]) {
      const made = await server.app.inject({
        method: 'POST',
        url: '/api/v1/zones',
        headers: reviewer.headers,
        payload: { name, cells: [cell], need: 'habitations' },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const names = async (query: string) =>
      (await server!.app.inject({ method: 'GET', url: `/api/v1/zones${query}`, headers: reviewer.headers })).json().zones.map((z: { name: string }) => z.name);
    expect(await names('?sort=people')).toEqual(['B', 'A']);
    const refused = await server.app.inject({ method: 'GET', url: '/api/v1/zones?sort=taille', headers: reviewer.headers });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toContain('attendu deadline ou people');
  });
});

describe('points of interest', () => {
  it('are listed by the zone holding them (CSV and GeoJSON), and a file replaces the points of its own name only', async () => {
    const { server, reviewer } = await world();
    const { app, store } = server;
    const inA = pointIn(CELL_A, 0.5, 0.5);
    const inB = pointIn(CELL_B, 0.5, 0.5);
    const csv = await file('poi.csv', `NAME;Kind;LAT;Lon\nMairie;mairie;${inA.lat};${inA.lon}\nAilleurs;ferme;45.0;4.0\n`);
    expect(await importPointsOfInterest([csv], store)).toEqual({ source: 'poi.csv', points: 2, replaced: 0 });
    const geojson = await file(
      'campings.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [inB.lon, inB.lat] }, properties: { name: 'Camping du Pont', kind: 'camping' } }],
      }),
    );
    await importPointsOfInterest([geojson], store);

    const created = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/zones',
        headers: reviewer.headers,
        payload: { name: 'Gorges', cells: [ID_A, ID_B], need: 'site-touristique' },
      })
    ).json();
    expect(created.pointsOfInterest).toEqual([
      { name: 'Camping du Pont', kind: 'camping', ...inB, cellId: ID_B },
      { name: 'Mairie', kind: 'mairie', ...inA, cellId: ID_A },
    ]);

    expect(await importPointsOfInterest([await file('poi.csv', `name,kind,lat,lon\nÉcole,école,${inA.lat},${inA.lon}\n`)], store)).toMatchObject({
      replaced: 2,
    });
    const zone = (await app.inject({ method: 'GET', url: `/api/v1/zones/${created.id}`, headers: reviewer.headers })).json();
    expect(zone.pointsOfInterest.map((p: { name: string }) => p.name)).toEqual(['Camping du Pont', 'École']);
  });
});
