import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { declaredLevelOfNiveau } from '../../src/domain/grid/declared-level.ts';
import type { Operator } from '../../src/domain/operators.ts';
import { importDeclaredCoverage } from '../../src/server/data-import/declared-coverage.ts';
import { departementCells } from '../../src/server/data-import/departement-cells.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { writeGeoJson, writeGeoPackage, type CoverageShape, type LaeaRect } from './declared-coverage-files.ts';
import { MONTPELLIER, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
let opened: TestStore | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

async function freshStore(): Promise<Store> {
  opened = await openTestStore(tempDir());
  return opened.store;
}

const NOW = new Date('2026-11-02T09:00:00Z');
let files = 0;
const path = (extension: string) => join(tempDir(), `couverture-${++files}.${extension}`);

// Montpellier's 200 m cell, and rectangles around it in EPSG:3035 metres.
const { east: E, north: N } = cellAt(MONTPELLIER.lon, MONTPELLIER.lat)!;
const rect = (w: number, s: number, e: number, n: number): LaeaRect => [E + w, N + s, E + e, N + n];
const ORANGE_4G = { operateur: 20801, techno: '4G', date: '2026-07-01', dept: '34' };

/** What each test cell is declared, and why. */
const SHAPES: CoverageShape[] = [
  // 10 × 10 cells of « très bonne couverture » around Montpellier's cell.
  { rect: rect(-1000, -1000, 1000, 1000), properties: { ...ORANGE_4G, niveau: 'Très bonne couverture' } },
  // Three quarters of the cell east of it: bonne couverture.
  { rect: rect(1000, 0, 1150, 200), properties: { ...ORANGE_4G, niveau: 'Bonne couverture' } },
  // A quarter of a cell: it stays without coverage.
  { rect: rect(1200, 0, 1250, 200), properties: { ...ORANGE_4G, niveau: 'Couverture limitée' } },
  // Half a cell: a tie goes to the worse level.
  { rect: rect(1400, 0, 1500, 200), properties: { ...ORANGE_4G, niveau: 'Couverture limitée' } },
  // Overlapping polygons: the best level declared there.
  { rect: rect(2400, 0, 2600, 200), properties: { ...ORANGE_4G, niveau: 'Couverture limitée' } },
  { rect: rect(2400, 0, 2600, 200), properties: { ...ORANGE_4G, niveau: 'Bonne couverture' } },
  // A hole of one cell.
  { rect: rect(-3000, -3000, -2000, -2000), hole: rect(-2800, -2800, -2600, -2600), properties: { ...ORANGE_4G, niveau: 'TBC' } },
  // Declared « pas de couverture ».
  { rect: rect(2000, 0, 2200, 200), properties: { ...ORANGE_4G, niveau: 'Pas de couverture' } },
];

const EXPECTED: [string, number, number, string][] = [
  ['Montpellier', 0, 0, 'TBC'],
  ['inside the square, corner', -1000, -1000, 'TBC'],
  ['three quarters BC', 1000, 0, 'BC'],
  ['a quarter CL', 1200, 0, 'none'],
  ['half CL', 1400, 0, 'none'],
  ['BC over CL', 2400, 0, 'BC'],
  ['hole', -2800, -2800, 'none'],
  ['around the hole', -3000, -3000, 'TBC'],
  ['pas de couverture', 2000, 0, 'none'],
  ['no polygon', 5000, 5000, 'none'],
];

async function levelsAround(store: Store, operator: Operator = 'orange'): Promise<Map<string, string>> {
  const rows = await store.declaredCells({ resolutionM: 200, north: [N - 10_000, N + 10_000], east: [E - 10_000, E + 10_000], operators: [operator] });
  return new Map(rows.map((row) => [`${row.east - E},${row.north - N}`, row.level]));
}

describe('declared coverage import: levels per 200 m cell', () => {
  it('reads a GeoPackage in Lambert-93 and declares each cell the level covering most of it', { timeout: 60_000 }, async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(file, SHAPES);
    const { edition, replaced } = await importDeclaredCoverage([file], store, NOW);

    expect(replaced).toBeUndefined();
    expect(edition).toMatchObject({
      departement: '34',
      operator: 'orange',
      technology: '4G',
      editionDate: '2026-07-01',
      importedAt: NOW.toISOString(),
      polygons: SHAPES.length,
    });
    const levels = await levelsAround(store);
    for (const [what, dx, dy, level] of EXPECTED) expect([what, levels.get(`${dx},${dy}`)]).toEqual([what, level]);
    // Every cell of the département has a level, and no other.
    const total = Object.values(edition.cells).reduce((a, b) => a + b, 0);
    expect(total).toBe(departementCells('34').count);
    expect(total).toBeGreaterThan(140_000);
    expect(edition.cells.TBC).toBe(100 + 24);
    expect(await store.declaredEditions()).toEqual([edition]);
    // 1 km cells: the majority of their 200 m cells.
    const kilometre = await store.declaredCells({ resolutionM: 1000, north: [N - 1000, N], east: [E - 1000, E], operators: ['orange'] });
    expect(kilometre.length).toBeGreaterThan(0);
  });

  it('reads a GeoJSON (WGS84) and the niveau spellings of every edition through one table', { timeout: 60_000 }, async () => {
    const store = await freshStore();
    const spelled: Record<string, string> = {
      'Très bonne couverture': 'TBC',
      'Bonne couverture': 'bonne_couverture',
      'Couverture limitée': 'COUVERTURE LIMITEE',
      'Pas de couverture': 'PC',
      TBC: 'tres bonne couverture',
    };
    const file = path('geojson');
    writeGeoJson(
      file,
      SHAPES.map((shape) => ({ ...shape, properties: { ...shape.properties, niveau: spelled[String(shape.properties.niveau)]!, operateur: null } })),
    );
    const { edition } = await importDeclaredCoverage([file, '--operator', 'sfr'], store, NOW);

    expect(edition).toMatchObject({ operator: 'sfr', technology: '4G' });
    const levels = await levelsAround(store, 'sfr');
    for (const [what, dx, dy, level] of EXPECTED) expect([what, levels.get(`${dx},${dy}`)]).toEqual([what, level]);
  });

  it('knows the spellings of the niveau table, whatever the case and accents', () => {
    expect(['très bonne couverture', 'TRES BONNE COUVERTURE', 'tbc', 'Très_bonne_couverture'].map(declaredLevelOfNiveau)).toEqual(['TBC', 'TBC', 'TBC', 'TBC']);
    expect(['Bonne couverture', 'BC'].map(declaredLevelOfNiveau)).toEqual(['BC', 'BC']);
    expect(['Couverture limitée', 'couverture-limitee', 'CL'].map(declaredLevelOfNiveau)).toEqual(['CL', 'CL', 'CL']);
    expect(['Pas de couverture', 'PC'].map(declaredLevelOfNiveau)).toEqual(['none', 'none']);
    expect(declaredLevelOfNiveau('Bonne couverture à l’intérieur')).toBeUndefined();
  });
});

describe('declared coverage import: refusals, nothing half-imported', () => {
  async function refused(store: Store, args: string[], message: RegExp): Promise<void> {
    await expect(importDeclaredCoverage(args, store, NOW)).rejects.toThrow(message);
    expect(await store.declaredEditions()).toEqual([]);
    expect(await levelsAround(store)).toEqual(new Map());
  }

  it('refuses unknown niveau values, listing the unknown and every value found', async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(file, [SHAPES[0]!, { ...SHAPES[1]!, properties: { ...ORANGE_4G, niveau: 'Bonne couverture intérieure' } }]);
    await refused(
      store,
      [file],
      /valeur\(s\) de niveau inconnue\(s\) « Bonne couverture intérieure » ; valeurs trouvées : « Très bonne couverture », « Bonne couverture intérieure »/,
    );
  });

  it('refuses features without geometry, naming the row', async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(file, SHAPES, { withoutGeometry: true });
    await refused(store, [file], /ligne 1 sans géométrie \(colonne geom vide\)/);
  });

  it('refuses a coordinate system it does not know, naming it', async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(file, SHAPES, { srsId: 27572 });
    await refused(
      store,
      [file],
      /système de coordonnées inconnu « Système 27572 » \(EPSG:27572, srs_id 27572\) ; connus : EPSG:2154, EPSG:3035, EPSG:3857, EPSG:4326/,
    );
  });

  it('refuses what is neither a GeoPackage nor a GeoJSON, and a SQLite file without gpkg tables', async () => {
    const store = await freshStore();
    const text = path('gpkg');
    writeFileSync(text, 'operateur;niveau\n20801;TBC\n');
    await refused(store, [text], /ni un GeoPackage \(fichier SQLite\) ni un GeoJSON/);
    const sqlite = opened!.location.kind === 'sqlite' ? opened!.location.file : undefined;
    if (sqlite) await refused(store, [sqlite], /n’est pas un GeoPackage : table gpkg_contents absente \(tables trouvées : .*readings/);
  });

  it('refuses a file of another département than the deployment’s', async () => {
    const store = await freshStore();
    await store.replaceCommuneShapes({ kind: 'centre', source: 'test', departements: ['34'], count: 1, loadedAt: NOW.toISOString() }, [
      {
        kind: 'centre',
        code: '34172',
        commune: '34172',
        name: 'Montpellier',
        departement: '34',
        geometry: JSON.stringify({ type: 'Point', coordinates: [MONTPELLIER.lon, MONTPELLIER.lat] }),
      },
    ]);
    const file = path('gpkg');
    writeGeoPackage(
      file,
      SHAPES.map((shape) => ({ ...shape, properties: { ...shape.properties, dept: '30' } })),
    );
    await refused(store, [file], /carte du département 30 \(Gard\), or cette installation n’a chargé que les communes de 34/);
  });

  it('refuses a file whose polygons lie outside the département it names', async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(
      file,
      SHAPES.map((shape) => ({ ...shape, properties: { ...shape.properties, dept: null } })),
    );
    await refused(store, [file, '--departement', '30'], /aucun polygone couvert ne touche le département 30 \(Gard\)/);
  });

  it('refuses a file missing its operator, or naming another than --operator', async () => {
    const store = await freshStore();
    const file = path('gpkg');
    writeGeoPackage(
      file,
      SHAPES.map((shape) => ({ ...shape, properties: { ...shape.properties, operateur: null } })),
    );
    await refused(store, [file], /n’a pas de colonne operateur : indiquez --operator/);
    const other = path('gpkg');
    writeGeoPackage(other, SHAPES);
    await refused(store, [other, '--operator', 'free'], /est la carte de Orange \(colonne operateur\), pas de Free Mobile \(--operator\)/);
  });
});

describe('declared coverage import: editions', () => {
  it('replaces the older edition of that operator and technology, keeps the others, and refuses an older file', { timeout: 60_000 }, async () => {
    const store = await freshStore();
    const july = path('gpkg');
    writeGeoPackage(july, SHAPES);
    await importDeclaredCoverage([july], store, NOW);
    const bouygues = path('gpkg');
    writeGeoPackage(
      bouygues,
      SHAPES.map((shape) => ({ ...shape, properties: { ...shape.properties, operateur: 20820 } })),
    );
    await importDeclaredCoverage([bouygues], store, NOW);

    const october = path('gpkg');
    writeGeoPackage(october, [{ rect: rect(0, 0, 200, 200), properties: { ...ORANGE_4G, date: '2026-10-01', niveau: 'Couverture limitée' } }]);
    const { edition, replaced } = await importDeclaredCoverage([october], store, NOW);
    expect(replaced).toMatchObject({ editionDate: '2026-07-01', source: july.split('/').at(-1) });
    expect(edition.editionDate).toBe('2026-10-01');
    const levels = await levelsAround(store);
    expect(levels.get('0,0')).toBe('CL');
    expect(levels.get('-1000,-1000')).toBe('none');
    expect((await levelsAround(store, 'bouygues')).get('-1000,-1000')).toBe('TBC');
    expect((await store.declaredEditions()).map((e) => [e.operator, e.editionDate])).toEqual([
      ['bouygues', '2026-07-01'],
      ['orange', '2026-10-01'],
    ]);

    await expect(importDeclaredCoverage([july], store, NOW)).rejects.toThrow(
      /\(2026-10-01, .*\) est plus récente que celle de .* \(2026-07-01\) : rien n’est remplacé/,
    );
    expect((await levelsAround(store)).get('0,0')).toBe('CL');
  });
});
