/**
 * `npm run communes -- <command>`: the commune data that places readings and reports in their
 * commune, kept in the database (DATABASE_URL, else DATA_DIR's SQLite file, as `npm start`):
 *
 *   import FICHIER              outlines (GeoJSON) or centres (JSON, CSV code,lat,lon) from a file
 *   fetch --departement NN      the département's outlines from geo.api.gouv.fr (GEO_API_URL)
 *   status                      what is loaded, per département, and every import
 *
 * A load replaces the outlines (or centres) of the départements the file covers, in one
 * transaction; then the readings and reports are placed again and the zones' communes
 * recomputed. Running servers use the new data from their next start.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fail, loadConfigOrFail, openCommandStore } from '../src/server/command-line.ts';
import { readCommuneFile } from '../src/server/communes/commune-file.ts';
import { createCommunes } from '../src/server/communes/communes.ts';
import { describeReference, loadCommunes, placeStoredAgain, saveCommuneFile } from '../src/server/communes/reference-data.ts';

const USAGE = `Usage :
  npm run communes -- import FICHIER           contours (GeoJSON) ou centres (JSON de geo.api.gouv.fr, CSV code,lat,lon)
  npm run communes -- fetch --departement NN   contours des communes du département depuis geo.api.gouv.fr
  npm run communes -- status                   ce qui est chargé`;

/** geo.api.gouv.fr, or a mirror (GEO_API_URL; the tests give a loopback stand-in). */
const GEO_API_URL = (process.env.GEO_API_URL?.trim() || 'https://geo.api.gouv.fr').replace(/\/+$/, '');

const [command, ...args] = process.argv.slice(2);
if (command !== 'import' && command !== 'fetch' && command !== 'status') fail(USAGE);

/** The file's text and a name for it, before the database is opened: a bad argument touches nothing. */
async function source(): Promise<{ text: string; name: string }> {
  if (command === 'import') {
    if (args.length !== 1) fail(USAGE);
    const file = resolve(args[0]!);
    try {
      return { text: await readFile(file, 'utf8'), name: file };
    } catch (error) {
      fail(`Impossible de lire ${file} : ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'fichier introuvable' : (error as Error).message}`);
    }
  }
  const departement = args[0] === '--departement' ? args[1]?.trim().toUpperCase() : undefined;
  if (args.length !== 2 || !departement) fail(USAGE);
  if (!/^(\d{2}|2[AB]|97\d)$/.test(departement)) fail(`--departement ${args[1]} : attendu un code de département (34, 2A, 974…)`);
  if (!createCommunes().departementName(departement)) fail(`--departement ${departement} : département inconnu`);
  const url = `${GEO_API_URL}/departements/${departement}/communes?fields=code,nom,codeDepartement&format=geojson&geometry=contour`;
  console.log(`Téléchargement de ${url}…`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    fail(
      `Impossible de joindre ${GEO_API_URL} (${(error as Error).message}) : ce serveur a-t-il accès à Internet ? Sinon, téléchargez le fichier ailleurs et chargez-le avec npm run communes -- import FICHIER.`,
    );
  }
  if (!response.ok) fail(`${url} a répondu ${response.status} ${response.statusText} : rien n’a été chargé.`);
  return { text: await response.text(), name: url };
}

const config = loadConfigOrFail();
const loaded = command === 'status' ? undefined : await source();
const { store, databaseName } = await openCommandStore(config);
try {
  if (loaded) {
    let file: ReturnType<typeof readCommuneFile>;
    try {
      file = readCommuneFile(loaded.text, createCommunes());
    } catch (error) {
      fail(`${loaded.name} refusé, rien n’a été chargé : ${(error as Error).message}`);
    }
    await saveCommuneFile(store, file, loaded.name, new Date().toISOString());
    const what = file.kind === 'outline' ? 'contours' : 'centres';
    console.log(`${file.shapes.length} ${what} de communes chargés (départements ${file.departements.join(', ')}) dans ${databaseName}.`);
    if (file.unknown.length > 0) {
      console.log(
        `${file.unknown.length} codes inconnus de la liste des communes, ignorés : ${file.unknown.slice(0, 10).join(', ')}${file.unknown.length > 10 ? '…' : ''}`,
      );
    }
    const communes = await loadCommunes(store);
    const placed = await placeStoredAgain(store, communes);
    console.log(`Placés à nouveau : ${placed.readings} relevés, ${placed.reports} signalements ; communes de ${placed.zones} zones recalculées.`);
    console.log('Le serveur en marche utilisera ces données à son prochain démarrage : redémarrez-le (chaque processus, avec PostgreSQL).');
  } else {
    const communes = await loadCommunes(store);
    for (const line of describeReference(communes)) console.log(line);
    const loads = await store.communeLoads();
    if (loads.length === 0) console.log('Aucun chargement pour l’instant.');
    for (const load of loads) {
      console.log(
        `  ${load.loadedAt} : ${load.count} ${load.kind === 'outline' ? 'contours' : 'centres'} (${load.departements.join(', ')}) depuis ${load.source}`,
      );
    }
  }
} finally {
  await store.close();
}
