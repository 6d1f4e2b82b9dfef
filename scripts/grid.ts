/**
 * `npm run grid -- rebuild`: the coverage grid's figures recomputed from the stored readings and
 * visible reports, in the database `npm start` uses (DATABASE_URL, else DATA_DIR's SQLite file).
 * For figures a process of an older version may have left off during an update
 * (docs/deployment.md, « Rolling update »). One 10 km square per transaction: a running server
 * keeps storing readings and answering meanwhile, and its maps show the new figures once the
 * rebuild is done.
 */
import { fail, openCommandStore } from '../src/server/command-line.ts';

const USAGE = `Usage :
  npm run grid -- rebuild     recalcule les chiffres de la grille de couverture à partir des relevés et signalements enregistrés`;

/** How often a long rebuild says where it is. */
const PROGRESS_EVERY_MS = 5000;

const [command, ...args] = process.argv.slice(2);
if (command !== 'rebuild' || args.length > 0) fail(USAGE);

const { store, databaseName } = await openCommandStore();
let stopped: unknown;
try {
  const started = performance.now();
  let toldAt = started;
  console.log(`Reconstruction de la grille de ${databaseName}…`);
  const done = await store.rebuildGrid((unit, units) => {
    const now = performance.now();
    if (now - toldAt < PROGRESS_EVERY_MS) return;
    toldAt = now;
    console.log(`  ${unit} carrés de 10 km sur ${units}…`);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Grille reconstruite : ${done.units} carrés de 10 km, ${done.cells} mailles de 1 km, en ${seconds} s.`);
} catch (error) {
  stopped = error;
} finally {
  await store.close();
}
// Each square is its own transaction: those done stay done, and a new run does them all again.
if (stopped) fail(`La reconstruction s’est arrêtée : ${(stopped as Error).message}. Les carrés déjà refaits le restent ; relancez la commande.`);
