import type { OutboxRecord } from '../../store/outbox.ts';
import type { UploadRequest } from '../../sync/protocol.ts';

/**
 * Saves unsent readings as a file in the API's own batch format, so that whoever receives
 * it can post it to /api/v1/readings as it is (duplicates are harmless there).
 */
export function downloadUnsent(records: OutboxRecord[]): void {
  const body: UploadRequest = { readings: records.map((record) => record.reading) };
  const blob = new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `couverture-releves-non-envoyes-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
