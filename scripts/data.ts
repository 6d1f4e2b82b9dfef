/**
 * `npm run data -- import KIND FICHIER [options]`: reference data beside the measurements, kept
 * in the database (DATABASE_URL, else DATA_DIR's SQLite file, as `npm start`). Each kind is a
 * {@link DataImporter} of src/server/data-import/, which checks the whole file before writing
 * and loads it in one transaction.
 */
import { fail, openCommandStore } from '../src/server/command-line.ts';
import { IMPORTERS } from '../src/server/data-import/importers.ts';

const USAGE = ['Usage :', ...Object.entries(IMPORTERS).map(([kind, importer]) => `  npm run data -- import ${kind} ${importer.usage}`)].join('\n');

const [command, kind, ...args] = process.argv.slice(2);
if (command !== 'import' || kind === undefined) fail(USAGE);
const importer = IMPORTERS[kind];
if (!importer) fail(`${kind} : type de données inconnu.\n${USAGE}`);

const { store, databaseName, config } = await openCommandStore();
try {
  for (const line of await importer.run(args, store, config)) console.log(line);
} catch (error) {
  fail(`Rien n’a été chargé dans ${databaseName} : ${(error as Error).message}`);
} finally {
  await store.close();
}
