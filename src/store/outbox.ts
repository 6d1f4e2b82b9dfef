import type { Reading } from '../domain/reading.ts';
import { getDb, type OutboxRecord, type OutboxState, type RefusalReason } from './db.ts';

export type { OutboxRecord, OutboxState } from './db.ts';

/** Stores a new reading as waiting to be sent. Refuses to overwrite an existing id. */
export async function addReading(reading: Reading, savedAt = Date.now()): Promise<OutboxRecord> {
  const record: OutboxRecord = { id: reading.id, reading, state: 'pending', savedAt };
  const db = await getDb();
  await db.add('outbox', record);
  return record;
}

/** Every reading on the device, newest first. */
export async function listReadings(): Promise<OutboxRecord[]> {
  const db = await getDb();
  const all = await db.getAllFromIndex('outbox', 'bySavedAt');
  return all.reverse();
}

export async function getReading(id: string): Promise<OutboxRecord | undefined> {
  return (await getDb()).get('outbox', id);
}

/** The oldest readings still waiting, at most `limit`. */
export async function pendingReadings(limit: number): Promise<OutboxRecord[]> {
  const db = await getDb();
  const range = IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]);
  return db.getAllFromIndex('outbox', 'byStateAndSavedAt', range, limit);
}

export async function countByState(): Promise<Record<OutboxState, number>> {
  const db = await getDb();
  const count = (state: OutboxState) =>
    db.countFromIndex('outbox', 'byStateAndSavedAt', IDBKeyRange.bound([state, -Infinity], [state, Infinity]));
  const [pending, sent, refused] = await Promise.all([count('pending'), count('sent'), count('refused')]);
  return { pending, sent, refused };
}

export interface ServerVerdicts {
  /** Stored by the server now or earlier (duplicates count as stored). */
  stored: string[];
  refused: { id: string; code: 'invalid' | 'conflict'; errors: RefusalReason[] }[];
}

/**
 * Applies what the server answered, in one transaction. Only records still pending change:
 * a reading the agent deleted or corrected meanwhile is left as the agent made it.
 */
export async function applyServerVerdicts({ stored, refused }: ServerVerdicts, at = Date.now()): Promise<void> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  const updates: Promise<unknown>[] = [];
  for (const id of stored) {
    updates.push(
      tx.store.get(id).then((record) => {
        if (record?.state === 'pending') return tx.store.put({ ...record, state: 'sent', sentAt: at, refusal: undefined });
      }),
    );
  }
  for (const { id, code, errors } of refused) {
    updates.push(
      tx.store.get(id).then((record) => {
        if (record?.state === 'pending') return tx.store.put({ ...record, state: 'refused', refusal: { code, errors, at } });
      }),
    );
  }
  await Promise.all([...updates, tx.done]);
}

/**
 * Replaces a refused reading by the agent's corrected version, waiting to be sent again.
 * After an id conflict the server will never take that id, so the correction gets a new one.
 */
export async function resubmitReading(previousId: string, corrected: Reading): Promise<OutboxRecord> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  const previous = await tx.store.get(previousId);
  if (!previous) throw new Error('Ce relevé n’existe plus sur l’appareil');
  if (previous.state !== 'refused') throw new Error('Seul un relevé refusé peut être corrigé');
  const record: OutboxRecord = { id: corrected.id, reading: corrected, state: 'pending', savedAt: previous.savedAt };
  if (corrected.id !== previousId) await tx.store.delete(previousId);
  await tx.store.put(record);
  await tx.done;
  return record;
}

export async function deleteReading(id: string): Promise<void> {
  await (await getDb()).delete('outbox', id);
}
