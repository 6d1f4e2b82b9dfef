/**
 * `npm run migrate`: brings the database (DATABASE_URL, else DATA_DIR's SQLite file, as
 * `npm start`) to this version's schema and says where it stands. The server does the same
 * at start; this command lets an operator do it before a rolling update (docs/deployment.md).
 * Migrations only add: no data is ever dropped.
 */
import { fail, loadConfigOrFail } from '../src/server/command-line.ts';
import { describeStoreLocation, openStore, storeLocation } from '../src/server/storage/open-store.ts';
import { POSTGRES_SCHEMA_VERSION } from '../src/server/storage/postgres/postgres-migrations.ts';
import { SCHEMA_VERSION } from '../src/server/storage/sqlite/sqlite-store.ts';

const config = loadConfigOrFail();
const location = storeLocation(config.dataDir, config.databaseUrl);
const name = describeStoreLocation(location);
try {
  const store = await openStore(location);
  await store.close();
} catch (error) {
  fail(`Impossible de mettre à jour la base ${name} : ${(error as Error).message}`);
}
const version = location.kind === 'postgres' ? POSTGRES_SCHEMA_VERSION : SCHEMA_VERSION;
console.log(`Base ${name} à jour : schéma ${version} (${location.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}).`);
