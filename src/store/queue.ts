import { withDb, type Database, type OutboxState, type QueueStoreName, type RefusalReason } from './db.ts';

/**
 * What both outboxes (agents' readings, residents' reports) share: states, oldest-first
 * order, and applying the server's verdicts. Internal to src/store; the app uses
 * outbox.ts and reports.ts.
 */

export interface ServerVerdicts {
  /** Stored by the server now or earlier (duplicates count as stored). */
  stored: string[];
  refused: { id: string; code: 'invalid' | 'conflict'; errors: RefusalReason[] }[];
}

interface QueueRecord {
  id: string;
  state: OutboxState;
  savedAt: number;
  /** Not sent before this time (ms since epoch): evidence is still being measured. */
  heldUntil?: number;
}

const stateRange = (state: OutboxState) => IDBKeyRange.bound([state, -Infinity], [state, Infinity]);

/**
 * The oldest pending records of `storeName` that `keep` accepts, at most `limit`. Records
 * held until a time after `now` (a probe still measuring) wait for a later call.
 */
export function oldestPending<R extends QueueRecord>(storeName: QueueStoreName, limit: number, keep?: (record: R) => boolean, now = Date.now()): Promise<R[]> {
  const sendable = (record: R) => (record.heldUntil === undefined || record.heldUntil <= now) && (!keep || keep(record));
  return withDb(async (db) => {
    const found: R[] = [];
    let cursor = await db.transaction(storeName).store.index('byStateAndSavedAt').openCursor(stateRange('pending'));
    while (cursor && found.length < limit) {
      const record = cursor.value as unknown as R;
      if (sendable(record)) found.push(record);
      cursor = await cursor.continue();
    }
    return found;
  });
}

/**
 * When the first record held back for its evidence may leave (ms since epoch), if any is
 * still held after `now`: the page sets a timer for it, since nothing else would send it
 * once the page that held it is gone.
 */
export function earliestHold(storeName: QueueStoreName, now = Date.now()): Promise<number | undefined> {
  return withDb(async (db) => {
    let earliest: number | undefined;
    let cursor = await db.transaction(storeName).store.index('byStateAndSavedAt').openCursor(stateRange('pending'));
    while (cursor) {
      const { heldUntil } = cursor.value as QueueRecord;
      if (heldUntil !== undefined && heldUntil > now && (earliest === undefined || heldUntil < earliest)) earliest = heldUntil;
      cursor = await cursor.continue();
    }
    return earliest;
  });
}

export function countStates(storeName: QueueStoreName): Promise<Record<OutboxState, number>> {
  return withDb(async (db) => {
    const count = (state: OutboxState) => db.countFromIndex(storeName, 'byStateAndSavedAt', stateRange(state));
    const [pending, sent, refused] = await Promise.all([count('pending'), count('sent'), count('refused')]);
    return { pending, sent, refused };
  });
}

/**
 * Applies what the server answered, in one transaction. Only records still pending change:
 * one deleted or corrected meanwhile is left as the person made it.
 */
export function applyVerdicts(storeName: QueueStoreName, verdicts: ServerVerdicts, at = Date.now()): Promise<void> {
  return withDb((db) => applyVerdictsIn(db, storeName, verdicts, at));
}

async function applyVerdictsIn(db: Database, storeName: QueueStoreName, { stored, refused }: ServerVerdicts, at: number): Promise<void> {
  const tx = db.transaction(storeName, 'readwrite');
  const store = tx.store as unknown as {
    get(id: string): Promise<QueueRecord | undefined>;
    put(record: QueueRecord): Promise<unknown>;
  };
  const updates: Promise<unknown>[] = [];
  for (const id of stored) {
    updates.push(
      store.get(id).then((record) => {
        if (record?.state === 'pending') return store.put({ ...record, state: 'sent', sentAt: at, refusal: undefined } as QueueRecord);
      }),
    );
  }
  for (const { id, code, errors } of refused) {
    updates.push(
      store.get(id).then((record) => {
        if (record?.state === 'pending') return store.put({ ...record, state: 'refused', refusal: { code, errors, at } } as QueueRecord);
      }),
    );
  }
  await Promise.all([...updates, tx.done]);
}
