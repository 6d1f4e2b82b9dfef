import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { describeStoreLocation, openStore, storeLocation } from './storage/open-store.ts';
import type { Store } from './storage/store.ts';

/**
 * What the server's commands (`main.ts` and `scripts/`) share: a problem the operator can fix is
 * said in one French message, without a stack trace, and the process exits with status 1; the
 * commands that work on the database open it with {@link openCommandStore}.
 */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The configuration from the environment, or every bad variable listed and exit 1. */
export function loadConfigOrFail(): ServerConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** A command's database: the one the server uses (DATABASE_URL, else DATA_DIR's SQLite file), open, with its name to say. */
export interface CommandStore {
  config: ServerConfig;
  store: Store;
  /** The database as the operator knows it (the SQLite file's path, or PostgreSQL's URL without its password). */
  databaseName: string;
}

/** Opens the server's database for a command (`scripts/`), or says why it cannot in one French message and exits 1. */
export async function openCommandStore(config: ServerConfig = loadConfigOrFail()): Promise<CommandStore> {
  const location = storeLocation(config.dataDir, config.databaseUrl);
  const databaseName = describeStoreLocation(location);
  try {
    return { config, store: await openStore(location), databaseName };
  } catch (error) {
    fail(`Impossible d’ouvrir la base ${databaseName} : ${(error as Error).message}`);
  }
}
