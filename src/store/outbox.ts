import type { Reading } from '../domain/reading.ts';
import { getDb, type OutboxRecord, type OutboxState } from './db.ts';
import { applyVerdicts, countStates, oldestPending, type ServerVerdicts } from './queue.ts';

export type { OutboxRecord, OutboxState } from './db.ts';
export type { ServerVerdicts } from './queue.ts';

/**
 * Stores a new reading as waiting to be sent. Refuses to overwrite an existing id.
 * `recordedBy` is the id of the account signed in: only its session will send the reading.
 */
export async function addReading(reading: Reading, savedAt = Date.now(), recordedBy?: string): Promise<OutboxRecord> {
  const record: OutboxRecord = { id: reading.id, reading, state: 'pending', savedAt, ...(recordedBy !== undefined && { recordedBy }) };
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

/**
 * The oldest readings still waiting, at most `limit`. With `sender` (an account id), only
 * those this account may send: recorded under it, or before accounts existed.
 */
export async function pendingReadings(limit: number, sender?: string): Promise<OutboxRecord[]> {
  return oldestPending<OutboxRecord>('outbox', limit, sender === undefined ? undefined : (record) => record.recordedBy === undefined || record.recordedBy === sender);
}

export function countByState(): Promise<Record<OutboxState, number>> {
  return countStates('outbox');
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
export async function resubmitReading(previousId: string, corrected: Reading): Promise<OutboxRecord> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  const previous = await tx.store.get(previousId);
  if (!previous) throw new Error('Ce relevé n’existe plus sur l’appareil');
  if (previous.state !== 'refused') throw new Error('Seul un relevé refusé peut être corrigé');
  const record: OutboxRecord = {
    id: corrected.id,
    reading: corrected,
    state: 'pending',
    savedAt: previous.savedAt,
    ...(previous.recordedBy !== undefined && { recordedBy: previous.recordedBy }),
  };
  if (corrected.id !== previousId) await tx.store.delete(previousId);
  await tx.store.put(record);
  await tx.done;
  return record;
}

export async function deleteReading(id: string): Promise<void> {
  await (await getDb()).delete('outbox', id);
}
