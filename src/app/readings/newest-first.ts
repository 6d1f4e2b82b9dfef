import type { OutboxRecord } from '../../store/outbox.ts';

/**
 * The device's readings in the order an agent looks for them: the most recently measured
 * first, whether recorded here or imported from a log (an import saves a whole file at one
 * instant, so the order they were saved in says nothing). Ties keep the newest save first.
 */
export function newestFirst(records: readonly OutboxRecord[]): OutboxRecord[] {
  const keyed = records.map((record, index) => ({ record, index, at: Date.parse(record.reading.recordedAt) }));
  keyed.sort(
    (a, b) => (Number.isNaN(b.at) ? -Infinity : b.at) - (Number.isNaN(a.at) ? -Infinity : a.at) || b.record.savedAt - a.record.savedAt || a.index - b.index,
  );
  return keyed.map(({ record }) => record);
}
