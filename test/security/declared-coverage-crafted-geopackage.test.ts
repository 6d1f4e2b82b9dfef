import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { importDeclaredCoverage } from '../../src/server/data-import/declared-coverage.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { writeGeoPackage } from '../server/declared-coverage-files.ts';
import { MONTPELLIER, useTempDir } from '../server/fixtures.ts';

/**
 * A declared-coverage file comes from outside (downloaded, mailed, handed over on a key) and
 * is a SQLite database whose table names the importer reads from the file itself. A crafted
 * GeoPackage names, in gpkg_contents, a « table » that is SQL: the importer must neither run
 * it nor write to the file, and must refuse in French, loading nothing.
 */

const tempDir = useTempDir();
let opened: TestStore | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const { east: E, north: N } = cellAt(MONTPELLIER.lon, MONTPELLIER.lat)!;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a crafted GeoPackage', () => {
  it('whose gpkg_contents names SQL as a table is refused in French, the file untouched and nothing loaded', async () => {
    opened = await openTestStore(tempDir());
    const file = join(tempDir(), 'piege.gpkg');
    writeGeoPackage(file, [
      { rect: [E, N, E + 200, N + 200], properties: { operateur: '20801', techno: '4G', niveau: 'TBC', date: '2026-07-01', dept: '34' } },
    ]);
    const attack = 'couverture" WHERE 0; DROP TABLE gpkg_contents; --';
    const db = new Database(file);
    db.prepare("UPDATE gpkg_contents SET table_name = ? WHERE table_name = 'couverture'").run(attack);
    db.prepare("UPDATE gpkg_geometry_columns SET table_name = ? WHERE table_name = 'couverture'").run(attack);
    db.close();
    const before = sha256(file);

    await expect(importDeclaredCoverage([file], opened.store, new Date())).rejects.toThrow(
      /la table « couverture" WHERE 0; DROP TABLE gpkg_contents; -- » listée dans gpkg_contents est illisible/,
    );
    expect(sha256(file)).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM gpkg_contents').pluck().get()).toBe(1);
    check.close();
    expect(await opened.store.declaredEditions()).toEqual([]);
  });
});
