import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCommuneFile } from '../../src/server/communes/commune-file.ts';
import { createCommunes, MAX_DISTANCE_M } from '../../src/server/communes/communes.ts';
import { AIGUES_MORTES_WEST, CENTRES_NEAR_AIGUES_MORTES, GARD_OUTLINES, HERAULT_OUTLINES } from './commune-data.ts';
import { MONTPELLIER, NIMES, TEST_CENTRES } from './fixtures.ts';

const directory = createCommunes();
const outlinesOf = (file: string) =>
  readCommuneFile(readFileSync(file, 'utf8'), directory).shapes.map((s) => ({ commune: s.commune, geometry: JSON.parse(s.geometry) }));

describe('commune directory (@etalab/decoupage-administratif)', () => {
  it('knows current communes by INSEE code, and départements', () => {
    expect(directory.get('34172')).toEqual({ code: '34172', name: 'Montpellier', departement: '34' });
    expect(directory.get('2A004')).toEqual({ code: '2A004', name: 'Ajaccio', departement: '2A' });
    expect(directory.get('99999')).toBeUndefined();
    expect(directory.departementName('34')).toBe('Hérault');
    expect(directory.departementName('971')).toBe('Guadeloupe');
  });

  it('knows which current commune a merged one is now part of', () => {
    expect(directory.get('01015')).toEqual({ code: '01015', name: 'Arboys en Bugey', departement: '01' });
    expect(directory.current('01015')?.code).toBe('01015');
    expect(directory.current('34172')?.code).toBe('34172');
    expect(directory.current('99999')).toBeUndefined();
  });
});

describe('placing a point with no commune data (a default install)', () => {
  it('gives every point of metropolitan France its département by the shipped outlines', () => {
    expect(directory.reference.departementOutlines).toBe(96);
    expect(directory.locate(MONTPELLIER.lat, MONTPELLIER.lon)).toEqual({ commune: null, departement: '34', placement: 'departement', placedWith: 0 });
    expect(directory.locate(NIMES.lat, NIMES.lon)).toMatchObject({ commune: null, departement: '30' });
    expect(directory.locate(48.85, 2.35)).toMatchObject({ departement: '75' });
    expect(directory.locate(41.93, 8.74)).toMatchObject({ departement: '2A' }); // Ajaccio
  });

  it('answers null at sea and abroad', () => {
    expect(directory.locate(42.9, 3.9)).toBeNull(); // Gulf of Lion
    expect(directory.locate(41.39, 2.17)).toBeNull(); // Barcelona
  });
});

describe('placing a point by commune outlines', () => {
  const communes = createCommunes([], [...outlinesOf(HERAULT_OUTLINES), ...outlinesOf(GARD_OUTLINES)], 7);

  it('answers the commune whose outline holds the point, flagged outline', () => {
    expect(communes.locate(MONTPELLIER.lat, MONTPELLIER.lon)).toEqual({ commune: '34172', departement: '34', placement: 'outline', placedWith: 7 });
    expect(communes.locate(NIMES.lat, NIMES.lon)).toMatchObject({ commune: '30189', departement: '30', placement: 'outline' });
    expect(communes.reference.outlines).toEqual(
      new Map([
        ['34', 343],
        ['30', 351],
      ]),
    );
  });

  it('places a point near the Hérault/Gard border in its commune, where the nearest centre is the neighbour’s', () => {
    const nearest = [...CENTRES_NEAR_AIGUES_MORTES].sort(
      (a, b) =>
        Math.hypot(a.lat - AIGUES_MORTES_WEST.lat, a.lon - AIGUES_MORTES_WEST.lon) - Math.hypot(b.lat - AIGUES_MORTES_WEST.lat, b.lon - AIGUES_MORTES_WEST.lon),
    )[0]!;
    expect(nearest.code).toBe('34344'); // La Grande-Motte, across the border
    expect(directory.locate(AIGUES_MORTES_WEST.lat, AIGUES_MORTES_WEST.lon)?.departement).toBe('34'); // the simplified outline, too coarse here
    expect(communes.locate(AIGUES_MORTES_WEST.lat, AIGUES_MORTES_WEST.lon)).toMatchObject({ commune: '30003', departement: '30', placement: 'outline' });
  });

  it('gives the département alone to a point in a département whose outlines are loaded but in no commune of them', () => {
    const onlyMontpellier = createCommunes(
      [],
      outlinesOf(HERAULT_OUTLINES).filter((o) => o.commune === '34172'),
    );
    expect(onlyMontpellier.locate(43.7339, 3.5494)).toEqual({ commune: null, departement: '34', placement: 'departement', placedWith: 0 });
  });
});

describe('placing a point at the nearest centre, when only centres are loaded', () => {
  const communes = createCommunes(TEST_CENTRES);

  it('answers the nearest centre of the point’s département, flagged centre', () => {
    expect(communes.locate(43.72, 3.56)).toEqual({ commune: '34261', departement: '34', placement: 'centre', placedWith: 0 });
    expect(communes.locate(43.69, 3.59)).toMatchObject({ commune: '34010', placement: 'centre' });
    expect(communes.locate(NIMES.lat + 0.05, NIMES.lon)).toMatchObject({ commune: '30189', departement: '30', placement: 'centre' });
  });

  it('never takes a centre across the département’s border', () => {
    const nearAigues = createCommunes(CENTRES_NEAR_AIGUES_MORTES);
    expect(nearAigues.locate(43.57, 4.11)).toMatchObject({ commune: '30003', departement: '30', placement: 'centre' });
  });

  it(`answers the département alone farther than ${MAX_DISTANCE_M / 1000} km from its centres, and nothing at sea`, () => {
    expect(communes.locate(43.95, 3.0)).toEqual({ commune: null, departement: '12', placement: 'departement', placedWith: 0 }); // Aveyron: no centre given
    expect(communes.locate(42.9, 3.9)).toBeNull();
  });

  it('ignores centres of unknown codes', () => {
    expect(createCommunes([{ code: '00000', lat: 43.6, lon: 3.8 }]).reference.centres.size).toBe(0);
  });
});

describe('reading a commune data file', () => {
  it('reads france-geojson’s outlines (code, nom) with the département of each commune', () => {
    const file = readCommuneFile(readFileSync(HERAULT_OUTLINES, 'utf8'), directory);
    expect(file.kind).toBe('outline');
    expect(file.departements).toEqual(['34']);
    expect(file.shapes.find((s) => s.code === '34172')).toMatchObject({ commune: '34172', name: 'Montpellier', departement: '34' });
    expect(file.shapes.length + file.unknown.length).toBe(343);
  });

  it('reads geo.api.gouv.fr’s centres JSON and a CSV code,lat,lon (any column order, , or ;)', () => {
    const json = readCommuneFile(JSON.stringify([{ code: '34172', nom: 'Montpellier', centre: { type: 'Point', coordinates: [3.8772, 43.6109] } }]), directory);
    expect(json).toMatchObject({
      kind: 'centre',
      departements: ['34'],
      shapes: [{ code: '34172', geometry: '{"type":"Point","coordinates":[3.8772,43.6109]}' }],
    });
    const csv = readCommuneFile('lon;code;lat\n3.8772;34172;43.6109\n\n4.3601;30189;43.8367\n', directory);
    expect(csv.departements).toEqual(['30', '34']);
    expect(csv.shapes.map((s) => s.name)).toEqual(['Montpellier', 'Nîmes']);
  });

  it.each([
    ['', 'fichier vide'],
    ['{"type": "Feature"', 'JSON illisible'],
    ['{"type": "Topology"}', 'ni FeatureCollection GeoJSON ni liste JSON'],
    ['insee,x,y\n34172,1,2\n', 'première ligne « insee,x,y »'],
    ['code,lat,lon\n34172,43.6,\n', 'entrée n° 1 (code « 34172 ») : centre illisible'],
    [JSON.stringify({ type: 'FeatureCollection', features: [] }), 'aucune commune dans le fichier'],
    [JSON.stringify([{ code: 34172, centre: { type: 'Point', coordinates: [3.8, 43.6] } }]), 'entrée n° 1 : « code » doit être un code INSEE'],
    [
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: '34172' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [3.8, 43.6],
                  [3.9, 43.6],
                ],
              ],
            },
          },
        ],
      }),
      'entrée n° 1 (code « 34172 ») : contour illisible (anneau de 2 sommet(s)',
    ],
    [
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: '34172' }, geometry: { type: 'LineString', coordinates: [] } }],
      }),
      'géométrie "LineString" ; Polygon, MultiPolygon ou Point attendu',
    ],
    ['code,lat,lon\n34172,43.6,3.8\n34172,43.6,3.8\n', 'entrée n° 2 (code « 34172 ») : ce code figure deux fois'],
    ['code,lat,lon\n99999,43.6,3.8\n', 'aucun code de commune connu de la liste des communes (COG) : 99999'],
  ])('refuses %j with a French message naming what is wrong', (text, message) => {
    expect(() => readCommuneFile(text, directory)).toThrow(message);
  });

  it('refuses a file mixing outlines and centres', () => {
    const outline = {
      type: 'Feature',
      properties: { code: '34172' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [3.8, 43.6],
            [3.9, 43.6],
            [3.9, 43.7],
            [3.8, 43.6],
          ],
        ],
      },
    };
    const centre = { type: 'Feature', properties: { code: '34010' }, geometry: { type: 'Point', coordinates: [3.58, 43.68] } };
    expect(() => readCommuneFile(JSON.stringify({ type: 'FeatureCollection', features: [outline, centre] }), directory)).toThrow('mêle contours et centres');
  });
});
