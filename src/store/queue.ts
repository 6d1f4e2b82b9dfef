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
 * The oldest pending records of `storeName` that `keep` accepts, at most `limit`, leaving out
 * those in `skip` (a batch already on its way). Records held until a time after `now` (a probe
 * still measuring) wait for a later call. One `getAll` reads the oldest at once, the usual case
 * where they may all go; only when some of those are held back does it walk on record by record.
 */
export function oldestPending<R extends QueueRecord>(
  storeName: QueueStoreName,
  limit: number,
  keep?: (record: R) => boolean,
  now = Date.now(),
  skip: ReadonlySet<string> = new Set(),
): Promise<R[]> {
  const wanted = (record: R) => !skip.has(record.id) && (record.heldUntil === undefined || record.heldUntil <= now) && (!keep || keep(record));
  return withDb(async (db) => {
    const index = db.transaction(storeName).store.index('byStateAndSavedAt');
    const chunk = limit + skip.size;
    const oldest = (await index.getAll(stateRange('pending'), chunk)) as unknown as R[];
    const found = oldest.filter(wanted);
    if (found.length >= limit || oldest.length < chunk) return found.slice(0, limit);
    // Some of the oldest wait (held, another account's): read on past them, in the same snapshot.
    let cursor = await index.openCursor(stateRange('pending'));
    cursor = cursor && (await cursor.advance(oldest.length));
    while (cursor && found.length < limit) {
      const record = cursor.value as unknown as R;
      if (wanted(record)) found.push(record);
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
 * The ids of the records waiting and of those refused, from the index's keys in one read
 * transaction (no record read whole). IndexedDB counts by walking the index too, so a page
 * keeps these ids and follows the changes it is told of, instead of counting on every change.
 */
export function waitingAndRefusedIds(storeName: QueueStoreName): Promise<{ pending: string[]; refused: string[] }> {
  return withDb(async (db) => {
    const index = db.transaction(storeName).store.index('byStateAndSavedAt');
    const [pending, refused] = await Promise.all([index.getAllKeys(stateRange('pending')), index.getAllKeys(stateRange('refused'))]);
    return { pending: pending as string[], refused: refused as string[] };
  });
}

/** The records in `state`, counted by index. */
export function countInState(storeName: QueueStoreName, state: OutboxState): Promise<number> {
  return withDb((db) => db.countFromIndex(storeName, 'byStateAndSavedAt', stateRange(state)));
}

/** Whether any record waits: the first key of the index's pending range, whatever the queue's length. */
export async function anyPending(storeName: QueueStoreName): Promise<boolean> {
  return (await withDb((db) => db.getKeyFromIndex(storeName, 'byStateAndSavedAt', stateRange('pending')))) !== undefined;
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
