import type { Reading } from '../../domain/reading.ts';
import { announce } from '../../sync/channel.ts';
import { addReading } from '../../store/outbox.ts';
import { askPersistentStorageOnce } from '../shell/persist-storage.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { registerBackgroundSync } from '../sync/request-sync.ts';
import { sendNow } from '../sync/sync-scheduler.ts';

/**
 * Stores a validated reading on the device, then lets the rest happen: other tabs told, the
 * list refreshed, persistence asked once, a send scheduled. Resolves once the reading is
 * durable in IndexedDB; nothing after that can lose it.
 */
export async function saveReading(reading: Reading, recordedBy: string | undefined): Promise<void> {
  await addReading(reading, Date.now(), recordedBy);
  announce({ type: 'outbox-changed' });
  void refreshOutbox();
  void askPersistentStorageOnce();
  void registerBackgroundSync();
  void sendNow();
}
