import type { OutboxRecord } from '../../store/outbox.ts';

/** listReadings()'s order: the newest save first, ties by id from the highest. */
function comesBefore(a: OutboxRecord, b: OutboxRecord): boolean {
  return a.savedAt > b.savedAt || (a.savedAt === b.savedAt && a.id > b.id);
}

/**
 * The device's readings after a change to `changedIds`: those ids taken out of `records`,
 * then `fresh` (their records as now stored; an id missing from it was deleted) put back in
 * listReadings()'s order. `records` is in that order and is left as it is; the result is what
 * a full re-read would give, at the cost of the changed records only.
 */
export function patchRecords(records: readonly OutboxRecord[], changedIds: readonly string[], fresh: readonly OutboxRecord[]): OutboxRecord[] {
  if (changedIds.length === 0 && fresh.length === 0) return records as OutboxRecord[];
  const changed = new Set(changedIds);
  const patched = records.filter((record) => !changed.has(record.id));
  for (const record of fresh) {
    let low = 0;
    let high = patched.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (comesBefore(patched[middle]!, record)) low = middle + 1;
      else high = middle;
    }
    patched.splice(low, 0, record);
  }
  return patched;
}
