import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { runServerCommand, startServerProcess } from '../support/server-process.ts';
import { GARD_OUTLINES, HERAULT_OUTLINES } from './commune-data.ts';
import { makeReading, makeReport, MONTPELLIER, useCommandDatabases, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
// Before the file's own afterEach: hooks run last-registered first, so stores close before their databases go.
const commandDatabase = useCommandDatabases(tempDir);
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An empty database of the kind the tests run on, as the commands and main.ts find it from their environment. */
async function freshDatabase(): Promise<{ env: Record<string, string>; store: Store }> {
  const { env, location } = await commandDatabase();
  const store = await openStore(location);
  cleanups.push(() => store.close());
  return { env, store };
}

const communesCommand = (args: string[], env: Record<string, string>) => runServerCommand('communes.ts', args, env);

describe('npm run communes -- import', () => {
  it('loads outlines, places the readings and reports stored before again, and says the server uses them from its next start', {
    timeout: 60_000,
  }, async () => {
    const { env, store } = await freshDatabase();
    const place = createCommunes().locate(MONTPELLIER.lat, MONTPELLIER.lon)!;
    const reading = makeReading({ ...MONTPELLIER });
    await store.ingest([reading], [{ accountId: null, outsideCommunes: false, ...place }]);
    await store.ingestReports([{ report: makeReport({ ...MONTPELLIER }), commune: null, departement: '34', placement: 'departement', placedWith: 0 }], {
      receivedAt: '2026-05-04T10:00:00.000Z',
    });

    const result = await communesCommand(['import', HERAULT_OUTLINES], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('343 contours de communes chargés (départements 34)');
    expect(result.stdout).toContain('Placés à nouveau : 1 relevés, 1 signalements ; communes de 0 zones recalculées.');
    expect(result.stdout).toContain('à son prochain démarrage');
    expect((await store.query({ limit: 10 })).places).toEqual([{ commune: '34172', outsideCommunes: false, placement: 'outline' }]);
    expect((await store.queryReports({ limit: 10, hiddenVisibleIn: 'all' })).reports[0]).toMatchObject({
      commune: '34172',
      departement: '34',
      placement: 'outline',
    });

    const status = await communesCommand(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Communes : contours 343 (34) ; aucun centre.');
    expect(status.stdout).toContain(`343 contours (34) depuis ${HERAULT_OUTLINES}`);
  });

  it('refuses a broken file whole, naming the entry and what is wrong: nothing of it is loaded', { timeout: 60_000 }, async () => {
    const { env, store } = await freshDatabase();
    const collection = JSON.parse(await readFile(HERAULT_OUTLINES, 'utf8'));
    collection.features[200].geometry.coordinates = [
      [
        [3.8, 43.6],
        [3.9, 43.6],
      ],
    ];
    const file = join(tempDir(), 'broken.geojson');
    await writeFile(file, JSON.stringify(collection));
    const result = await communesCommand(['import', file], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${file} refusé, rien n’a été chargé : entrée n° 201 (code « ${collection.features[200].properties.code} ») : contour illisible (anneau de 2 sommet(s) : 3 au moins sont attendus)`,
    );
    expect(await store.communeLoads()).toEqual([]);
    expect(await store.communeShapes()).toEqual([]);

    const missing = await communesCommand(['import', join(tempDir(), 'absent.geojson')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('absent.geojson : fichier introuvable');
    expect((await communesCommand(['importer'], env)).stderr).toContain('npm run communes -- fetch --departement NN');
  });
});

describe('npm run communes -- fetch', () => {
  async function standIn(answer: (url: string) => { status: number; body: string }): Promise<{ url: string; asked: string[] }> {
    const asked: string[] = [];
    const server: Server = createServer((request, response) => {
      asked.push(request.url!);
      const { status, body } = answer(request.url!);
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
  }

  it('downloads the département’s outlines from geo.api.gouv.fr (here a loopback stand-in) and loads them', { timeout: 60_000 }, async () => {
    const { env, store } = await freshDatabase();
    const gard = await readFile(GARD_OUTLINES, 'utf8');
    const geoApi = await standIn(() => ({ status: 200, body: gard }));
    const result = await communesCommand(['fetch', '--departement', '30'], { ...env, GEO_API_URL: geoApi.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(geoApi.asked).toEqual(['/departements/30/communes?fields=code,nom,codeDepartement&format=geojson&geometry=contour']);
    expect(result.stdout).toContain('351 contours de communes chargés (départements 30)');
    expect(await store.communeLoads()).toEqual([
      expect.objectContaining({
        kind: 'outline',
        departements: ['30'],
        count: 351,
        source: `${geoApi.url}/departements/30/communes?fields=code,nom,codeDepartement&format=geojson&geometry=contour`,
      }),
    ]);
  });

  it('loads nothing when the service fails, and refuses a département that does not exist', { timeout: 60_000 }, async () => {
    const { env, store } = await freshDatabase();
    const geoApi = await standIn(() => ({ status: 503, body: '{}' }));
    const failed = await communesCommand(['fetch', '--departement', '34'], { ...env, GEO_API_URL: geoApi.url });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('a répondu 503');
    expect(failed.stderr).toContain('rien n’a été chargé');
    const unknown = await communesCommand(['fetch', '--departement', '20'], { ...env, GEO_API_URL: geoApi.url });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--departement 20 : département inconnu');
    expect(geoApi.asked).toHaveLength(1);
    expect(await store.communeLoads()).toEqual([]);
  });
});

describe('the start-up log', () => {
  it('says what reference data is loaded and what is missing, and that COMMUNE_CENTRES_FILE is no longer read', { timeout: 60_000 }, async () => {
    const { env } = await freshDatabase();
    const serverEnv = { ...env, PORT: '0', STATIC_DIR: join(tempDir(), 'no-dist') };
    const before = startServerProcess({ ...serverEnv, COMMUNE_CENTRES_FILE: '/srv/communes-centres.json' });
    cleanups.push(() => before.stop());
    expect((await fetch(new URL('/api/v1/health', await before.listening))).status).toBe(200);
    expect(before.output.stdout).toContain('Contours des départements : 96 (IGN – Admin Express, via france-geojson).');
    expect(before.output.stdout).toContain('Communes : aucun contour ; aucun centre.');
    expect(before.output.stdout).toContain('Pour les charger : npm run communes -- fetch --departement NN');
    expect(before.output.stdout).toContain(
      'Attention : COMMUNE_CENTRES_FILE=« /srv/communes-centres.json » n’est plus lu. Chargez ce fichier une fois dans la base : npm run communes -- import /srv/communes-centres.json',
    );
    expect(await before.stop()).toBe(0);

    expect((await communesCommand(['import', HERAULT_OUTLINES], env)).code).toBe(0);
    const after = startServerProcess(serverEnv);
    cleanups.push(() => after.stop());
    await after.listening;
    expect(after.output.stdout).toContain('Communes : contours 343 (34) ; aucun centre.');
    expect(after.output.stdout).toContain('Pour les autres départements : npm run communes -- fetch --departement NN.');
    expect(after.output.stdout).not.toContain('n’est plus lu');
  });
});
