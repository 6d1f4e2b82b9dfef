import type { Reading } from '../domain/reading.ts';
import { waitingRecord, withDb, type Database } from './db.ts';

/** Bulk writes of imported readings into the outbox, and the look-ups their preview needs. */

/** Which of these ids the device already holds. */
export function idsOnDevice(ids: readonly string[]): Promise<Set<string>> {
  return withDb(async (db) => {
    const tx = db.transaction('outbox', 'readonly');
    const keys = await Promise.all(ids.map((id) => tx.store.getKey(id)));
    await tx.done;
    return new Set(keys.filter((key): key is string => key !== undefined));
  });
}

/**
 * Stores the readings whose id the device does not hold yet, in one transaction: a cancelled
 * import leaves whole batches only, and running it again adds only what is missing. A reading
 * already there is left exactly as it is (sent, refused or corrected).
 */
export function addReadingsIfAbsent(
  readings: readonly Reading[],
  { savedAt = Date.now(), recordedBy }: { savedAt?: number; recordedBy?: string } = {},
): Promise<{ added: number; present: number }> {
  // Retried whole on a connection the browser dropped (iOS): the transaction never applied.
  return withDb((db) => addIfAbsent(db, readings, savedAt, recordedBy));
}

async function addIfAbsent(
  db: Database,
  readings: readonly Reading[],
  savedAt: number,
  recordedBy: string | undefined,
): Promise<{ added: number; present: number }> {
  const tx = db.transaction('outbox', 'readwrite');
  const keys = await Promise.all(readings.map((reading) => tx.store.getKey(reading.id)));
  const adding = new Set<string>();
  const writes: Promise<unknown>[] = [];
  readings.forEach((reading, index) => {
    if (keys[index] !== undefined || adding.has(reading.id)) return;
    adding.add(reading.id);
    writes.push(tx.store.add(waitingRecord(reading, savedAt, { recordedBy })));
  });
  await Promise.all([...writes, tx.done]);
  return { added: adding.size, present: readings.length - adding.size };
}
