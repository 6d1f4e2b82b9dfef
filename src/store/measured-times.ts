import { MEASURED_TIMES_KEY, measuredAtOf, withDb, type OutboxRecord } from './db.ts';

/**
 * Records given their `measuredAt` per transaction: each holds the outbox for a few
 * milliseconds, so that a save waits for one at most (issue 19: tap → durable).
 */
export const MEASURED_TIMES_CHUNK = 100;
/** In `meta`: the id of the last record walked, so that a walk cut short (the app closed) goes on from there. */
const WALKED_TO_KEY = 'measuredTimesWalkedTo';

/**
 * Gives `measuredAt` (db.ts) to the next `limit` records of a device upgraded from before
 * schema 5, walking the outbox by id from where the last call stopped, in one transaction,
 * and resolves to whether every record now has it; on a device that started at v5, or once
 * done, it reads one key. Until then the readings list reads every reading
 * (outbox.ts's newestMeasured()): the index leaves out a record without it. A reading is
 * left as it was.
 */
export function completeMeasuredTimes(limit = MEASURED_TIMES_CHUNK): Promise<boolean> {
  return withDb(async (db) => {
    // Read alone first: at every start, a device with nothing to walk takes no write lock on the outbox.
    if ((await db.get('meta', MEASURED_TIMES_KEY)) === true) return true;
    const tx = db.transaction(['outbox', 'meta'], 'readwrite');
    const meta = tx.objectStore('meta');
    if ((await meta.get(MEASURED_TIMES_KEY)) === true) {
      await tx.done;
      return true;
    }
    const walkedTo = (await meta.get(WALKED_TO_KEY)) as string | undefined;
    const outbox = tx.objectStore('outbox');
    const chunk = await outbox.getAll(walkedTo === undefined ? undefined : IDBKeyRange.lowerBound(walkedTo, true), limit);
    // Saved before the upgrade: typed as every record is written now, but without it.
    const missing = chunk.filter((record) => (record as Partial<OutboxRecord>).measuredAt === undefined);
    const writes: Promise<unknown>[] = missing.map((record) => outbox.put({ ...record, measuredAt: measuredAtOf(record.reading) }));
    const done = chunk.length < limit;
    if (done) writes.push(meta.put(true, MEASURED_TIMES_KEY), meta.delete(WALKED_TO_KEY));
    else writes.push(meta.put(chunk[chunk.length - 1]!.id, WALKED_TO_KEY));
    await Promise.all([...writes, tx.done]);
    return done;
  });
}
