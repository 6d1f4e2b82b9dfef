import { canonicalJson, type Reading } from '../domain/reading.ts';
import { MEASURED_TIMES_KEY, measuredAtOf, waitingRecord, withDb, type OutboxRecord, type OutboxState } from './db.ts';
import {
  anyPending,
  applyVerdicts,
  countInState,
  countStates,
  waitingAndRefusedIds,
  earliestHold as earliestQueueHold,
  oldestPending,
  type ServerVerdicts,
} from './queue.ts';

export type { OutboxRecord, OutboxState } from './db.ts';
export type { ServerVerdicts } from './queue.ts';

export interface AddOptions {
  /** Keep the reading from being sent before this time (ms since epoch): evidence is coming. */
  heldUntil?: number;
}

/**
 * Stores a new reading as waiting to be sent. Refuses to overwrite an existing id.
 * `recordedBy` is the id of the account signed in: only its session will send the reading.
 */
export async function addReading(reading: Reading, savedAt = Date.now(), recordedBy?: string, { heldUntil }: AddOptions = {}): Promise<OutboxRecord> {
  const record = waitingRecord(reading, savedAt, { recordedBy, heldUntil });
  await withDb(async (db) => {
    const tx = db.transaction('outbox', 'readwrite');
    const adding = tx.store.add(record);
    // Committed as soon as the add is done, without waiting for the page to be told of it: on
    // a busy phone the page hears of the add late (a frame, a tap's work first), and an
    // implicit commit waits for that (issue 19: tap → durable). Browsers before commit()
    // (Safari < 15) commit implicitly, as before.
    if (typeof tx.commit === 'function') tx.commit();
    await Promise.all([adding, tx.done]);
  });
  // What bench/perf.ts times a save by: the page's own moment, beside its external reader's.
  // Only the latest is kept: a field day's saves do not pile up in the page's timeline.
  performance.clearMarks(READING_DURABLE_MARK);
  performance.mark(READING_DURABLE_MARK);
  return record;
}

/** The User Timing mark set each time a new reading has been committed to IndexedDB. */
export const READING_DURABLE_MARK = 'couverture:reading-durable';

/** Every reading on the device, newest first. */
export async function listReadings(): Promise<OutboxRecord[]> {
  const all = await withDb((db) => db.getAllFromIndex('outbox', 'bySavedAt'));
  return all.reverse();
}

/**
 * The `limit` readings measured last, newest first (ties: the latest saved first, then by id
 * from the highest), walked backwards on the byMeasuredAt index: the readings list's page,
 * at the cost of its own records however many the device holds. `more`: whether any reading
 * comes after them. On a device upgraded from before schema 5 whose records do not all carry
 * `measuredAt` yet (measured-times.ts), every reading is read and sorted, as before.
 */
export function newestMeasured(limit: number): Promise<{ records: OutboxRecord[]; more: boolean }> {
  return withDb(async (db) => {
    const tx = db.transaction(['outbox', 'meta']);
    const outbox = tx.objectStore('outbox');
    if ((await tx.objectStore('meta').get(MEASURED_TIMES_KEY)) !== true) {
      const all = (await outbox.getAll()).map((record) => ({ ...record, measuredAt: measuredAtOf(record.reading) })).sort(newestMeasuredFirst);
      return { records: all.slice(0, limit), more: all.length > limit };
    }
    const records: OutboxRecord[] = [];
    let cursor = await outbox.index('byMeasuredAt').openCursor(null, 'prev');
    while (cursor && records.length < limit) {
      records.push(cursor.value);
      cursor = await cursor.continue();
    }
    return { records, more: cursor !== null };
  });
}

/** The byMeasuredAt index's order, backwards. */
function newestMeasuredFirst(a: OutboxRecord, b: OutboxRecord): number {
  return b.measuredAt - a.measuredAt || b.savedAt - a.savedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function getReading(id: string): Promise<OutboxRecord | undefined> {
  return withDb((db) => db.get('outbox', id));
}

/**
 * The oldest readings still waiting, at most `limit`. With `sender` (an account id), only
 * those this account may send: recorded under it, or before accounts existed. Readings held
 * for evidence until after `now` wait for a later flush, and those in `skip` (a batch already
 * on its way to the server) are left out.
 */
export function pendingReadings(limit: number, sender?: string, now = Date.now(), skip?: ReadonlySet<string>): Promise<OutboxRecord[]> {
  return oldestPending<OutboxRecord>(
    'outbox',
    limit,
    sender === undefined ? undefined : (record) => record.recordedBy === undefined || record.recordedBy === sender,
    now,
    skip,
  );
}

export function countByState(): Promise<Record<OutboxState, number>> {
  return countStates('outbox');
}

/** Readings waiting to be sent, counted by index. */
export function countWaiting(): Promise<number> {
  return countInState('outbox', 'pending');
}

/** The ids of the readings waiting and of those refused (what the sync bar and the tabs count). */
export function waitingAndRefusedReadingIds(): Promise<{ pending: string[]; refused: string[] }> {
  return waitingAndRefusedIds('outbox');
}

/** Whether any reading waits, at the cost of one index key however long the outbox. */
export function anyReadingWaiting(): Promise<boolean> {
  return anyPending('outbox');
}

/**
 * The readings waiting that `account` recorded (what signing it out leaves on the device).
 * Reads the waiting ones: for a question asked once, on a tap, not on every change.
 */
export function countWaitingRecordedBy(account: string): Promise<number> {
  return withDb(async (db) => {
    let count = 0;
    let cursor = await db
      .transaction('outbox')
      .store.index('byStateAndSavedAt')
      .openCursor(IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]));
    while (cursor) {
      if (cursor.value.recordedBy === account) count += 1;
      cursor = await cursor.continue();
    }
    return count;
  });
}

/**
 * Adds the connectivity probe measured for a reading (or nothing, when `probe` is undefined)
 * and lets it leave, in one transaction. Only a reading still pending and exactly as it was
 * saved (`saved`) is touched: one already sent, refused, corrected or deleted stays as it is,
 * since the server may hold it already and a changed copy would be a conflict.
 * Resolves to whether the probe was attached.
 */
export function attachProbe(saved: Reading, probe: Reading['probe']): Promise<boolean> {
  const expected = canonicalJson(saved);
  return withDb(async (db) => {
    const tx = db.transaction('outbox', 'readwrite');
    const record = await tx.store.get(saved.id);
    if (record?.state !== 'pending' || canonicalJson(record.reading) !== expected) {
      await tx.done;
      return false;
    }
    const { heldUntil: _released, ...rest } = record;
    await tx.store.put({ ...rest, reading: probe === undefined ? record.reading : { ...record.reading, probe } });
    await tx.done;
    return probe !== undefined;
  });
}

/**
 * Applies what the server answered, in one transaction. Only records still pending change:
 * a reading the agent deleted or corrected meanwhile is left as the agent made it.
 */
export function applyServerVerdicts(verdicts: ServerVerdicts, at = Date.now()): Promise<void> {
  return applyVerdicts('outbox', verdicts, at);
}

/**
 * Replaces a refused reading by the agent's corrected version, waiting to be sent again.
 * After an id conflict the server will never take that id, so the correction gets a new one.
 */
export function resubmitReading(previousId: string, corrected: Reading): Promise<OutboxRecord> {
  return withDb(async (db) => {
    const tx = db.transaction('outbox', 'readwrite');
    const previous = await tx.store.get(previousId);
    if (!previous) throw new Error('Ce relevé n’existe plus sur l’appareil');
    if (previous.state !== 'refused') throw new Error('Seul un relevé refusé peut être corrigé');
    const record = waitingRecord(corrected, previous.savedAt, { recordedBy: previous.recordedBy });
    if (corrected.id !== previousId) await tx.store.delete(previousId);
    await tx.store.put(record);
    await tx.done;
    return record;
  });
}

export async function deleteReading(id: string): Promise<void> {
  await withDb((db) => db.delete('outbox', id));
}

/** When the first reading held for its probe may leave, if one is still held after `now`. */
export function earliestHold(now = Date.now()): Promise<number | undefined> {
  return earliestQueueHold('outbox', now);
}

/**
 * The readings with these ids, in one read transaction; an id no longer on the device is left
 * out. What a page re-reads when told which readings changed, instead of the whole outbox.
 */
export function getReadings(ids: readonly string[]): Promise<OutboxRecord[]> {
  return withDb(async (db) => {
    const store = db.transaction('outbox').store;
    const found = await Promise.all(ids.map((id) => store.get(id)));
    return found.filter((record): record is OutboxRecord => record !== undefined);
  });
}

/**
 * Deletes the readings the server acknowledged before `sentBefore` (ms since epoch), in one
 * transaction, and resolves to their ids. Only `sent` readings go: one waiting or refused is
 * never touched, whatever its age, since the device holds its only copy.
 */
export function pruneSentBefore(sentBefore: number): Promise<string[]> {
  return withDb(async (db) => {
    const tx = db.transaction('outbox', 'readwrite');
    const pruned: string[] = [];
    // A reading is acknowledged after it was saved: only those saved before the instant can
    // have been acknowledged before it, and the walk stays off the recent ones, however many.
    let cursor = await tx.store.index('byStateAndSavedAt').openCursor(IDBKeyRange.bound(['sent', -Infinity], ['sent', sentBefore], false, true));
    while (cursor) {
      const { id, sentAt } = cursor.value;
      if (sentAt !== undefined && sentAt < sentBefore) {
        pruned.push(id);
        await cursor.delete();
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return pruned;
  });
}
