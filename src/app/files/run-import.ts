import { proxy } from 'comlink';
import type { ImportOptions, ImportPreview, ImportProgress, ImportResult, ImportRunOptions } from '../../domain/import/import-summary.ts';
import { announce } from '../../sync/channel.ts';
import { askPersistentStorageOnce } from '../shell/persist-storage.ts';
import { callWorker } from '../shell/worker-bridge.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { registerBackgroundSync } from '../sync/request-sync.ts';
import { sendNow } from '../sync/sync-scheduler.ts';

/** Reading the file for its preview, in the worker; aborting stops the worker. */
export function previewInWorker(
  file: File,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportPreview> {
  return callWorker((services) => services.previewImport(file, options, proxy(onProgress)), signal);
}

/**
 * Imports in the worker. Whether it ends, fails or is cancelled, whatever batches it stored
 * are real readings now: every tab is told, the list re-read, and a send scheduled — the same
 * aftermath as saveReading (src/app/evidence/save-reading.ts).
 */
export async function importInWorker(
  file: File,
  options: ImportRunOptions,
  onProgress: (progress: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportResult> {
  try {
    return await callWorker((services) => services.importFile(file, options, proxy(onProgress)), signal);
  } finally {
    announce({ type: 'outbox-changed' });
    void refreshOutbox();
    void askPersistentStorageOnce();
    void registerBackgroundSync();
    void sendNow();
  }
}
