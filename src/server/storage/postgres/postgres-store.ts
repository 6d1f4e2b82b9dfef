import { withGridVersion, type GridVersionSource, type StoreWithoutVersions } from '../grid-version.ts';
import type { Store } from '../store.ts';
import { createPostgresAccounts } from './postgres-accounts.ts';
import { createPostgresCampaigns } from './postgres-campaigns.ts';
import { createPostgresCounters } from './postgres-counters.ts';
import { createPool, type PostgresPoolOptions } from './postgres-db.ts';
import { createPostgresDeclaredCoverage } from './postgres-declared-coverage.ts';
import { withGridRollUp, type GridRollUpOptions } from '../grid-roll-up.ts';
import { postgresGridRollUp } from './postgres-grid-roll-up.ts';
import { postgresGridVersion } from './postgres-grid-version.ts';
import { createPostgresKeptAnswers } from './postgres-kept-answers.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { createPostgresPeople } from './postgres-people.ts';
import { createPostgresPlaces } from './postgres-places.ts';
import { createPostgresReadings } from './postgres-readings.ts';
import { createPostgresZones } from './postgres-zones.ts';

export interface PostgresStoreOptions extends PostgresPoolOptions {
  /** As SqliteStoreOptions.maintainGrid: only the benchmark turns it off. */
  maintainGrid?: boolean;
  /** When the grid is rolled up in the background (grid-roll-up.ts); tests and benches turn it off. */
  gridRollUp?: GridRollUpOptions;
}

/**
 * Opens the PostgreSQL database at `url` (postgres://…), migrating it first. Any number of
 * app processes may open the same database: everything they must share lives in it
 * (docs/deployment.md).
 */
export async function openPostgresStore(url: string, { maintainGrid = true, gridRollUp, ...poolOptions }: PostgresStoreOptions = {}): Promise<Store> {
  const pool = createPool(url, poolOptions);
  // A broken idle connection (database restarted) must not crash the process: the pool drops it.
  pool.on('error', () => undefined);
  let version: GridVersionSource;
  try {
    if (poolOptions.schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${poolOptions.schema}`);
    await migratePostgres(pool);
    version = await postgresGridVersion(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  const methods: StoreWithoutVersions = {
    ...createPostgresReadings(pool, { maintainGrid }),
    ...createPostgresAccounts(pool),
    ...createPostgresZones(pool),
    ...createPostgresPeople(pool),
    ...createPostgresCampaigns(pool),
    ...createPostgresCounters(pool),
    ...createPostgresKeptAnswers(pool),
    ...createPostgresDeclaredCoverage(pool),
    ...createPostgresPlaces(pool, { maintainGrid }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  const store = withGridVersion(methods, version);
  // Without the grid kept, an ingest marks nothing pending and nothing rolls up.
  return maintainGrid ? withGridRollUp(store, postgresGridRollUp(pool), gridRollUp) : store;
}
