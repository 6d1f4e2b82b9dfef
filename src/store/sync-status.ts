import { withDb, type SyncStatus } from './db.ts';

export type { SyncStatus } from './db.ts';

const KEY = 'syncStatus';

export async function getSyncStatus(): Promise<SyncStatus> {
  const stored = (await withDb((db) => db.get('meta', KEY))) as SyncStatus | undefined;
  return stored ?? { consecutiveFailures: 0 };
}

export async function recordSyncSuccess(at = Date.now()): Promise<SyncStatus> {
  const status: SyncStatus = { lastAttemptAt: at, lastSuccessAt: at, consecutiveFailures: 0 };
  await withDb((db) => db.put('meta', status, KEY));
  return status;
}

/** A failed try: one more failure in a row, which the next automatic try backs off by. */
export function recordSyncFailure(message: string, at = Date.now()): Promise<SyncStatus> {
  return recordFailedTry(message, at, 1);
}

/**
 * A try that failed because the device had no network (it said so itself): shown like any
 * failure, but not counted in the failures in a row, which measure a server's trouble (the
 * backoff is there not to hammer it); the network's return sends, not a timer.
 */
export function recordOfflineTry(message: string, at = Date.now()): Promise<SyncStatus> {
  return recordFailedTry(message, at, 0);
}

async function recordFailedTry(message: string, at: number, counted: 0 | 1): Promise<SyncStatus> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = ((await tx.store.get(KEY)) as SyncStatus | undefined) ?? { consecutiveFailures: 0 };
    const status: SyncStatus = {
      lastSuccessAt: previous.lastSuccessAt,
      lastAttemptAt: at,
      lastError: message,
      consecutiveFailures: previous.consecutiveFailures + counted,
    };
    await tx.store.put(status, KEY);
    await tx.done;
    return status;
  });
}
