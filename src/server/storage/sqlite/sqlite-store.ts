import Database from 'better-sqlite3';
import type { Store } from '../store.ts';
import { createSqliteAccounts } from './sqlite-accounts.ts';
import { createSqliteCampaigns } from './sqlite-campaigns.ts';
import { createSqliteCounters } from './sqlite-counters.ts';
import { createSqliteDeclaredCoverage } from './sqlite-declared-coverage.ts';
import { withGridVersion, type StoreWithoutVersions } from '../grid-version.ts';
import { withGridRollUp, type GridRollUpOptions } from '../grid-roll-up.ts';
import { createSqliteGrid } from './sqlite-grid.ts';
import { sqliteGridRollUp } from './sqlite-grid-roll-up.ts';
import { createSqliteKeptAnswers } from './sqlite-kept-answers.ts';
import { sqliteGridVersion } from './sqlite-grid-version.ts';
import { migrate, schemaVersion } from './sqlite-migrations.ts';
import { createSqlitePeople } from './sqlite-people.ts';
import { createSqlitePlaces } from './sqlite-places.ts';
import { createSqliteReadings } from './sqlite-readings.ts';
import { createSqliteReports } from './sqlite-reports.ts';
import { createSqliteZones } from './sqlite-zones.ts';

// The schema is sqlite-migrations.ts's; re-exported for the tools and tests that check a file's version.
export { MIGRATIONS, SCHEMA_VERSION } from './sqlite-migrations.ts';

export interface SqliteStoreOptions {
  /**
   * Keep the coverage grid up to date as readings arrive (default true). Only the benchmark
   * turns it off, to measure what it costs: a store opened without it leaves the grid stale.
   */
  maintainGrid?: boolean;
  /** When the grid is rolled up in the background (grid-roll-up.ts); tests and benches turn it off. */
  gridRollUp?: GridRollUpOptions;
}

/** Opens (creating or migrating as needed) the SQLite database at `file`. */
export function openSqliteStore(file: string, { maintainGrid = true, gridRollUp }: SqliteStoreOptions = {}): Store {
  const db = new Database(file);
  try {
    // Another process (a backup, the sqlite3 shell, `npm run admin`) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    // Checked before anything writes to the file, the journal mode included.
    const version = schemaVersion(db, file);
    db.pragma('journal_mode = WAL');
    // Safe with WAL: a power cut may lose the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, version);
  } catch (error) {
    db.close();
    throw error;
  }

  const grid = createSqliteGrid(db);
  const methods: StoreWithoutVersions = {
    ...createSqliteReadings(db, grid, { maintainGrid }),
    ...createSqliteReports(db, grid),
    ...createSqliteAccounts(db),
    ...createSqliteZones(db),
    ...createSqlitePeople(db),
    ...createSqliteCampaigns(db),
    ...createSqliteCounters(db),
    ...createSqliteKeptAnswers(db),
    ...createSqliteDeclaredCoverage(db),
    ...createSqlitePlaces(db, grid, maintainGrid),
    async close() {
      if (db.open) db.close();
    },
  };
  const store = withGridVersion(methods, sqliteGridVersion(db));
  // Without the grid kept, nothing rolls up: the readings above the watermark stay pending.
  return maintainGrid ? withGridRollUp(store, sqliteGridRollUp(db, grid), gridRollUp) : store;
}
