import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import { runServerCommand } from '../support/server-process.ts';
import { MONTPELLIER, useCommandDatabases, useTempDir } from './fixtures.ts';

/** `npm run data -- import population` as an operator runs it: a process on DATA_DIR (or DATABASE_URL), its output and exit code. */

const tempDir = useTempDir();
const freshDatabase = useCommandDatabases(tempDir);

const CELL = cellAt(MONTPELLIER.lon, MONTPELLIER.lat)!;
const data = (args: string[], env: Record<string, string>) => runServerCommand('data.ts', ['import', 'population', ...args], env);

describe('npm run data -- import population', () => {
  it('loads a Filosofi file into the database and says what it loaded', { timeout: 120_000 }, async () => {
    const { env, location } = await freshDatabase();
    const file = join(tempDir(), 'Filosofi2019_carreaux_200m_met.csv');
    await writeFile(file, `Idcar_200m;Ind;Men\n${formatCellId(CELL)};1240;530\n`);
    const done = await data([file], env);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout.replace(/\s/g, ' ')).toContain(
      'Population INSEE (carroyage 200 m, édition 2019) : 1 mailles, 1 240 habitants, 530 ménages (sans logements',
    );
    const store = await openStore(location);
    try {
      expect(await store.populationIn({ north: [CELL.north, CELL.north], east: [CELL.east, CELL.east] })).toEqual([
        { north: CELL.north, east: CELL.east, inhabitants: 1240, households: 530, dwellings: null, edition: '2019' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses a bad file in French, says nothing was loaded, and exits non-zero', { timeout: 120_000 }, async () => {
    const { env } = await freshDatabase();
    const file = join(tempDir(), 'carreaux-2019.csv');
    await writeFile(file, `Idcar_200m,Ind,Men\n${formatCellId(CELL)},beaucoup,530\n`);
    const refused = await data([file], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Rien n’a été chargé');
    expect(refused.stderr).toContain('ligne 2, Ind : « beaucoup »');
  });
});
