import { ConfigError, loadConfig, type ServerConfig } from './config.ts';

/**
 * What the server's commands (`main.ts`, `scripts/admin.ts`, `scripts/migrate.ts`) share: a
 * problem the operator can fix is said in one French message, without a stack trace, and
 * the process exits with status 1.
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
