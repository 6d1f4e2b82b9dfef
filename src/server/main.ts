/**
 * `tsx src/server/main.ts`: the production server. Configuration comes from the environment
 * (config.ts); a problem the operator can fix is reported in one French message, without a
 * stack trace, and the process exits with status 1.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { fail, loadConfigOrFail } from './command-line.ts';
import type { Communes } from './communes/communes.ts';
import { describeReference, loadCommunes } from './communes/reference-data.ts';
import { describeStoreLocation, openStore, storeLocation } from './storage/open-store.ts';
import type { Store } from './storage/store.ts';

/** Time to let requests in flight finish on shutdown before giving up on them. */
const SHUTDOWN_GRACE_MS = 10_000;

const config = loadConfigOrFail();

const location = storeLocation(config.dataDir, config.databaseUrl);
const databaseName = describeStoreLocation(location);
let store: Store;
try {
  store = await openStore(location, {
    gridRollUp: {
      onBackgroundFailure: (error) =>
        console.error(
          `Mise à jour de la grille en arrière-plan impossible (${(error as Error).message}) : les relevés attendent dans la base, la prochaine lecture ou le prochain envoi la refera.`,
        ),
    },
  });
} catch (error) {
  fail(`Impossible d’ouvrir la base ${databaseName} : ${(error as Error).message}`);
}

// Commune data lives in the database since `npm run communes` (one way to load it).
for (const { name, value } of config.retiredCommuneFiles) {
  console.log(
    `Attention : ${name}=« ${value} » n’est plus lu. Chargez ce fichier une fois dans la base : ` +
      `npm run communes -- import ${value} (ou npm run communes -- fetch --departement NN), puis retirez ${name}.`,
  );
}
let communes: Communes;
try {
  communes = await loadCommunes(store);
} catch (error) {
  await store.close();
  fail(`Données des communes illisibles dans la base ${databaseName} : ${(error as Error).message}`);
}
for (const line of describeReference(communes)) console.log(line);

const app = buildApp({
  store,
  communes,
  staticDir: config.staticDir,
  serveSourceMaps: config.serveSourceMaps,
  tileSources: config.tileSources,
  security: config.security,
  grid: config.grid,
  field: config.field,
  cellsCacheBytes: config.performance.cellsCacheBytes,
  cellsStaleSeconds: config.performance.cellsStaleSeconds,
  cellsWarm: { minutes: config.performance.cellsWarmMinutes, atStart: config.performance.cellsWarmAtStart },
  uploadAdmission: config.performance.uploadAdmission,
  ...(config.zoneQuotaPerYear !== undefined && { zoneQuotaPerYear: config.zoneQuotaPerYear }),
  logger: { level: 'info' },
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  await store.close();
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') fail(`Le port ${config.port} est déjà pris : arrêtez l’autre serveur ou choisissez un autre PORT.`);
  if (code === 'EACCES') fail(`Pas le droit d’écouter sur le port ${config.port} : choisissez un PORT au-dessus de 1023.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail(`Adresse HOST=${config.host} inconnue sur cette machine.`);
  throw error;
}

const { port } = app.server.address() as AddressInfo;
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
console.log(`Couverture est en service sur http://${host}:${port}/ (données : ${databaseName})`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) fail(`${signal} reçu une seconde fois : arrêt immédiat.`);
  stopping = true;
  app.log.info(`${signal} received, closing`);
  setTimeout(() => fail('Arrêt forcé : des requêtes ne se terminaient pas.'), SHUTDOWN_GRACE_MS).unref();
  // The server stops taking requests and finishes those in flight before the database closes.
  await app.close();
  await store.close();
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
