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

export async function recordSyncFailure(message: string, at = Date.now()): Promise<SyncStatus> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = ((await tx.store.get(KEY)) as SyncStatus | undefined) ?? { consecutiveFailures: 0 };
    const status: SyncStatus = {
      lastSuccessAt: previous.lastSuccessAt,
      lastAttemptAt: at,
      lastError: message,
      consecutiveFailures: previous.consecutiveFailures + 1,
    };
    await tx.store.put(status, KEY);
    await tx.done;
    return status;
  });
}
