import type { Reading } from '../../domain/reading.ts';
import { recordPoint, type PointResult } from '../../store/tracks.ts';
import { announce } from '../../sync/channel.ts';
import { askPersistentStorageOnce } from '../shell/persist-storage.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { registerBackgroundSync } from '../sync/request-sync.ts';
import { sendNow } from '../sync/sync-scheduler.ts';

/**
 * Stores a track's point (the reading and the track's totals, in one transaction), then does
 * what any saved reading sets off, as src/app/evidence/save-reading.ts does: other tabs told,
 * the lists refreshed, persistent storage asked once, a send.
 * TODO(evidence): attach the connectivity probe once save-reading.ts lets the caller supply
 * the storing step (the point must stay one transaction with its track); until then points
 * carry `connection` but no `probe`.
 */
export async function recordTrackPoint(reading: Reading): Promise<PointResult> {
  const result = await recordPoint(reading, { savedAt: Date.now() });
  if (result.recorded) {
    announce({ type: 'outbox-changed' });
    void refreshOutbox();
    void askPersistentStorageOnce();
    void registerBackgroundSync();
    void sendNow();
  }
  return result;
}
