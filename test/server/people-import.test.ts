import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCellId } from '../../src/domain/grid/cell-id.ts';
import { importPointsOfInterest } from '../../src/server/data-import/poi.ts';
import { importPopulation } from '../../src/server/data-import/population.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { useTempDir } from './fixtures.ts';

/** The population and points-of-interest importers on the store the tests run on: what they read, what they refuse, and that a refusal writes nothing. */

const tempDir = useTempDir();
let opened: TestStore | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const A = formatCellId({ resolutionM: 200, north: 2_314_000, east: 3_800_600 });
const B = formatCellId({ resolutionM: 200, north: 2_314_000, east: 3_800_800 });
const EVERYWHERE = { north: [0, 8_000_000] as [number, number], east: [0, 8_000_000] as [number, number] };

async function store() {
  opened = await openTestStore(tempDir());
  return opened.store;
}

async function file(name: string, text: string): Promise<string> {
  const path = join(tempDir(), name);
  await writeFile(path, text);
  return path;
}

describe('npm run data -- import population', () => {
  it('reads `,` and `;` files, headers in any case, with or without a BOM', async () => {
    const s = await store();
    await importPopulation([await file('carreaux-2017.csv', `\uFEFFIDCAR_200M,IND,MEN\n${A},10,4\n`)], s);
    await importPopulation([await file('carreaux-2019.csv', `idcar_200m;ind;men\n${B};2,5;1\n`)], s);
    const rows = (await s.populationIn(EVERYWHERE)).sort((a, b) => a.east - b.east);
    expect(rows).toEqual([
      { north: 2_314_000, east: 3_800_600, inhabitants: 10, households: 4, dwellings: null, edition: '2017' },
      { north: 2_314_000, east: 3_800_800, inhabitants: 2.5, households: 1, dwellings: null, edition: '2019' },
    ]);
  });

  it.each([
    [
      'an id of another grid',
      `Idcar_200m,Ind,Men\n${A},1,1\nCRS3035RES1000mN2314000E3800000,1,1\n`,
      '1 identifiant de maille refusé',
      'ligne 3 : « CRS3035RES1000mN2314000E3800000 »',
    ],
    ['an id that is no cell', `Idcar_200m,Ind,Men\n${A},1,1\nN2314000E3800600,1,1\n`, 'attendu une maille INSPIRE de 200 m', 'ligne 3'],
    ['a cell twice', `Idcar_200m,Ind,Men\n${A},1,1\n${A},2,2\n`, 'en double', `« ${A} »`],
    ['a number that is not one', `Idcar_200m,Ind,Men\n${A},1,1\n${B},douze,1\n`, '1 valeur illisible', 'ligne 3, Ind : « douze »'],
    ['a negative number', `Idcar_200m,Ind,Men\n${A},1,-1\n`, 'attendu un nombre positif ou nul', 'ligne 2, Men : « -1 »'],
    ['a missing column', `Idcar_200m;Ind\n${A};1\n`, 'colonne Men introuvable', 'en-tête lu : idcar_200m, ind'],
  ])('refuses %s in French, naming what it found, and loads nothing', async (_, text, message, detail) => {
    const s = await store();
    const refusal = importPopulation([await file('pop-2019.csv', text)], s);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toThrow(detail);
    expect(await s.populationIn(EVERYWHERE)).toEqual([]);
  });

  it('asks for the edition when the file’s name has no year', async () => {
    const s = await store();
    await expect(importPopulation([await file('carreaux.csv', `Idcar_200m,Ind,Men\n${A},1,1\n`)], s)).rejects.toThrow('ajoutez --edition 2019');
  });
});

describe('npm run data -- import poi', () => {
  it('refuses a point without a position or outside the grid, and loads none of the file', async () => {
    const s = await store();
    const text = 'Nom;Type;Latitude;Longitude\nMairie;mairie;43.7339;3.5494\nÉcole;école;;3.55\nÎle;;-21.1;55.5\n';
    const refusal = importPointsOfInterest([await file('poi.csv', text)], s);
    await expect(refusal).rejects.toThrow('2 points refusés');
    await expect(refusal).rejects.toThrow('ligne 3 : position illisible');
    await expect(refusal).rejects.toThrow('ligne 4 : -21.1, 55.5 est hors de la grille européenne');
    expect(await s.pointsOfInterestIn(EVERYWHERE)).toEqual([]);
  });

  it('refuses GeoJSON that holds anything but points', async () => {
    const s = await store();
    const geojson = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [3.5, 43.7],
              [3.6, 43.8],
            ],
          },
          properties: { name: 'Route' },
        },
      ],
    };
    await expect(importPointsOfInterest([await file('routes.geojson', JSON.stringify(geojson))], s)).rejects.toThrow(
      'entité 1 : géométrie LineString, attendu un Point',
    );
  });
});
