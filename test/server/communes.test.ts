import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommunes, MAX_DISTANCE_M, readCentresFile } from '../../src/server/communes/communes.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/sqlite-store.ts';
import { makeReading, MONTPELLIER, NIMES, TEST_CENTRES, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();

describe('commune directory (@etalab/decoupage-administratif)', () => {
  const communes = createCommunes();

  it('knows current communes by INSEE code, and départements', () => {
    expect(communes.get('34172')).toEqual({ code: '34172', name: 'Montpellier', departement: '34' });
    expect(communes.get('2A004')).toEqual({ code: '2A004', name: 'Ajaccio', departement: '2A' });
    expect(communes.get('99999')).toBeUndefined();
    expect(communes.departementName('34')).toBe('Hérault');
    expect(communes.departementName('971')).toBe('Guadeloupe');
  });

  it('cannot place a point without commune centres', () => {
    expect(communes.canLocate).toBe(false);
    expect(communes.locate(MONTPELLIER.lat, MONTPELLIER.lon)).toBeNull();
  });
});

describe('placing a point at the nearest commune centre', () => {
  const communes = createCommunes(TEST_CENTRES);

  it('answers the nearest centre’s commune and département', () => {
    expect(communes.locate(43.72, 3.56)).toEqual({ commune: '34261', departement: '34' });
    expect(communes.locate(43.69, 3.59)).toEqual({ commune: '34010', departement: '34' });
    expect(communes.locate(NIMES.lat + 0.05, NIMES.lon)).toEqual({ commune: '30189', departement: '30' });
  });

  it(`answers null farther than ${MAX_DISTANCE_M / 1000} km from every centre (at sea, abroad)`, () => {
    expect(communes.locate(42.9, 3.9)).toBeNull(); // Gulf of Lion
    expect(communes.locate(48.85, 2.35)).toBeNull(); // Paris: no centre given in this test
  });

  it('ignores centres of unknown codes', () => {
    const odd = createCommunes([{ code: '00000', lat: 43.6, lon: 3.8 }]);
    expect(odd.canLocate).toBe(false);
  });
});

describe('readCentresFile', () => {
  it('reads geo.api.gouv.fr’s JSON', () => {
    const file = join(tempDir(), 'centres.json');
    writeFileSync(file, JSON.stringify([{ code: '34172', nom: 'Montpellier', centre: { type: 'Point', coordinates: [3.8772, 43.6109] } }]));
    expect(readCentresFile(file)).toEqual([{ code: '34172', lat: 43.6109, lon: 3.8772 }]);
  });

  it('reads a CSV with code,lat,lon (any column order, , or ;)', () => {
    const file = join(tempDir(), 'centres.csv');
    writeFileSync(file, 'lon;code;lat\n3.8772;34172;43.6109\n\n4.3601;30189;43.8367\n');
    expect(readCentresFile(file)).toEqual([
      { code: '34172', lat: 43.6109, lon: 3.8772 },
      { code: '30189', lat: 43.8367, lon: 4.3601 },
    ]);
  });

  it('refuses a file without the columns it needs', () => {
    const file = join(tempDir(), 'wrong.csv');
    writeFileSync(file, 'insee,x,y\n34172,1,2\n');
    expect(() => readCentresFile(file)).toThrow(/code,lat,lon/);
  });
});

describe('sqlite store: placing older readings', () => {
  it('gives a commune to unplaced readings only, and says how many it placed', async () => {
    const store = openSqliteStore(join(tempDir(), 'place.sqlite'));
    const atSea = makeReading({ lat: 42.9, lon: 3.9 });
    const inGuilhem = makeReading();
    const alreadyPlaced = makeReading({ ...MONTPELLIER });
    await store.ingest([atSea, inGuilhem]);
    await store.ingest([alreadyPlaced], [{ accountId: 'x', commune: '34172', departement: '34', outsideCommunes: true }]);
    const communes = createCommunes(TEST_CENTRES);
    expect(await store.placeUnplaced((lat, lon) => communes.locate(lat, lon))).toBe(1);
    expect((await store.query({ limit: 10 })).places).toEqual([
      { commune: null, outsideCommunes: false },
      { commune: '34261', outsideCommunes: false },
      { commune: '34172', outsideCommunes: true },
    ]);
    expect(await store.placeUnplaced((lat, lon) => communes.locate(lat, lon))).toBe(0);
    await store.close();
  });
});
