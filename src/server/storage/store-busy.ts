/**
 * Errors that say the database is overloaded, not that the request or the code is wrong: the
 * same request would succeed later. The HTTP layer answers them 503 with Retry-After
 * (http-errors.ts), which the phone takes as « try again later », never 500.
 */

/** pg-pool's message when no connection came free within connectionTimeoutMillis. */
const POOL_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

const BUSY_SQLSTATES = new Set([
  '57014' /* query_canceled: statement_timeout, a statement stuck behind locks */,
  '55P03' /* lock_not_available: lock_timeout */,
  '53300' /* too_many_connections */,
  '40001' /* serialization_failure, still there after inTransaction's attempts */,
  '40P01' /* deadlock_detected, likewise */,
  'SQLITE_BUSY' /* better-sqlite3: another process held the write lock past busy_timeout */,
]);

/** Seconds a client is asked to wait before trying again after a busy database. */
export const STORE_BUSY_RETRY_AFTER_S = 5;

export function isStoreBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.message === POOL_TIMEOUT_MESSAGE || (typeof code === 'string' && BUSY_SQLSTATES.has(code));
}
