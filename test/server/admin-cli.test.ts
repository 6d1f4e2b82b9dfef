import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/server/storage/sqlite/sqlite-store.ts';
import { runServerCommand } from '../support/server-process.ts';
import { useTempDir } from './fixtures.ts';

const tempDir = useTempDir();

/** `npm run admin -- …` on the SQLite database in `dataDir`. */
function admin(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return runServerCommand('admin.ts', args, { DATA_DIR: dataDir, ...env });
}

describe('npm run admin', () => {
  it('creates the first admin (own password), an agent and a reviewer (provisional passwords), a token; lists them; revokes sessions', {
    timeout: 60_000,
  }, async () => {
    const dataDir = join(tempDir(), 'data');
    const created = await admin(dataDir, ['create-admin', '--email', 'Admin@Example.fr', '--name', 'Admin'], { COUVERTURE_PASSWORD: 'un mot de passe solide' });
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Administrateur créé : admin@example\.fr/);

    const agent = await admin(dataDir, [
      'add-user',
      '--email',
      'mairie@example.fr',
      '--name',
      'Mairie',
      '--role',
      'agent',
      '--communes',
      '34172,34003',
      '--password',
      'mot de passe de la mairie',
    ]);
    expect(agent.stdout).toMatch(/agent, communes 34172, 34003/);
    expect(agent.stdout).toMatch(/Mot de passe provisoire/);
    const reviewer = await admin(dataDir, [
      'add-user',
      '--email',
      'ddt@example.fr',
      '--name',
      'DDT',
      '--role',
      'reviewer',
      '--departement',
      '34',
      '--password',
      'mot de passe de la DDT',
    ]);
    expect(reviewer.stdout).toMatch(/reviewer, département 34/);

    const token = await admin(dataDir, ['add-token', '--email', 'mairie@example.fr', '--name', 'import']);
    expect(token.code).toBe(0);
    const printed = token.stdout.trim().split('\n').pop()!;
    expect(printed).toMatch(/^cvt_[A-Za-z0-9_-]{43}$/);

    const list = await admin(dataDir, ['list-users']);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t').slice(0, 3)),
    ).toEqual([
      ['admin@example.fr', 'admin', ''],
      ['mairie@example.fr', 'agent', '34172,34003'],
      ['ddt@example.fr', 'reviewer', '34'],
    ]);
    // The first admin typed their own password; the others must replace the one given them.
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')[3]),
    ).toEqual(['actif', 'mot de passe provisoire', 'mot de passe provisoire']);
    expect((await admin(dataDir, ['revoke-sessions', '--email', 'mairie@example.fr'])).stdout).toMatch(/^0 session/);

    const store = openSqliteStore(join(dataDir, 'couverture.sqlite'));
    const audit = await store.listAudit(10);
    await store.close();
    expect(audit.map((e) => [e.actorLabel, e.action])).toEqual([
      ['ligne de commande', 'user.sessions.revoke'],
      ['ligne de commande', 'token.create'],
      ['ligne de commande', 'user.create'],
      ['ligne de commande', 'user.create'],
      ['ligne de commande', 'user.create'],
    ]);
  });

  it.each([
    [['frob'], /Commande inconnue : « frob »/],
    [
      ['add-user', '--email', 'x@example.fr', '--name', 'X', '--role', 'agent', '--communes', '99999', '--password', 'assez long mot'],
      /Codes INSEE inconnus : « 99999 »/,
    ],
    [['add-user', '--email', 'x@example.fr', '--name', 'X', '--role', 'chef', '--password', 'assez long mot'], /--role : attendu agent, reviewer, admin/],
    [['create-admin', '--name', 'X', '--password', 'assez long mot'], /Il manque --email/],
    [['create-admin', '--email', 'x@example.fr', '--name', 'X'], /COUVERTURE_PASSWORD/],
  ])('refuses %j in one French message and exits with 1', { timeout: 30_000 }, async (args, message) => {
    const result = await admin(join(tempDir(), 'refusals'), args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
