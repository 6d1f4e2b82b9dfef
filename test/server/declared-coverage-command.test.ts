import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import { runServerCommand } from '../support/server-process.ts';
import { writeGeoJson, writeGeoPackage, type CoverageShape } from './declared-coverage-files.ts';
import { MONTPELLIER, useCommandDatabases, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
const freshDatabase = useCommandDatabases(tempDir);

const { east: E, north: N } = cellAt(MONTPELLIER.lon, MONTPELLIER.lat)!;
const SQUARE: CoverageShape = {
  rect: [E - 1000, N - 1000, E + 1000, N + 1000],
  properties: { operateur: '20801', date: '2026-07-01', dept: '34', niveau: 'Bonne couverture' },
};
const data = (args: string[], env: Record<string, string>) => runServerCommand('data.ts', ['import', 'declared-coverage', ...args], env);

describe('npm run data -- import declared-coverage', () => {
  it('loads a GeoPackage into the database and says what it loaded, then which edition a newer file replaced', { timeout: 120_000 }, async () => {
    const { env, location } = await freshDatabase();
    const july = join(tempDir(), 'orange-4g-juillet.gpkg');
    writeGeoPackage(july, [SQUARE]);

    const first = await data([july, '--technology', '4G'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Couverture déclarée Orange 4G, édition du 2026-07-01 (orange-4g-juillet.gpkg) : 1 polygone sur Hérault (34).');
    expect(first.stdout).toMatch(/Mailles de 200 m : très bonne couverture 0, bonne couverture 100, couverture limitée 0, pas de couverture \d+\./);
    expect(first.stdout).toContain('Première édition chargée');

    const october = join(tempDir(), 'orange-4g-octobre.geojson');
    writeGeoJson(october, [{ ...SQUARE, properties: { ...SQUARE.properties, date: '2026-10-01', niveau: 'TBC' } }]);
    const second = await data([october, '--technology', '4G'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Remplace l’édition du 2026-07-01 (orange-4g-juillet.gpkg');

    const store = await openStore(location);
    try {
      expect((await store.declaredEditions()).map((e) => [e.source, e.editionDate, e.cells.TBC])).toEqual([['orange-4g-octobre.geojson', '2026-10-01', 100]]);
    } finally {
      await store.close();
    }
  });

  it('refuses bad input in French, says nothing was loaded, and exits non-zero', { timeout: 60_000 }, async () => {
    const { env } = await freshDatabase();
    const file = join(tempDir(), 'sans-techno.gpkg');
    writeGeoPackage(file, [SQUARE]);
    const result = await data([file], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Rien n’a été chargé dans');
    expect(result.stderr).toContain('sans-techno.gpkg n’a pas de colonne techno : indiquez --technology (2G, 3G, 4G, 5G)');
  });
});
