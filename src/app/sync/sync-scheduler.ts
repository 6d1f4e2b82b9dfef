import { retryDelay } from '../../sync/backoff.ts';
import type { FlushResult } from '../../sync/protocol.ts';
import { getSyncStatus } from '../../store/sync-status.ts';
import { outboxState, refreshOutbox, watchOutbox } from './outbox-state.ts';
import { requestSync } from './request-sync.ts';

/**
 * When the page asks for the outbox to be sent: at start, when the browser says the network
 * is back, on « Envoyer maintenant » and after each save, and after a failure on a timer that
 * backs off. Browsers without Background Sync (Firefox, Safari) rely on these alone.
 */
let retryTimer: ReturnType<typeof setTimeout> | undefined;

export async function sendNow(): Promise<FlushResult> {
  clearTimeout(retryTimer);
  outboxState.set({ sending: true });
  try {
    const result = await requestSync();
    await scheduleRetry(result);
    return result;
  } finally {
    outboxState.set({ sending: false });
    await refreshOutbox();
  }
}

async function scheduleRetry(result: FlushResult): Promise<void> {
  clearTimeout(retryTimer);
  if (result.error === undefined || result.pending === 0) return;
  const { consecutiveFailures } = await getSyncStatus();
  retryTimer = setTimeout(() => void sendNow(), retryDelay(consecutiveFailures));
}

export function startSyncScheduler(): () => void {
  // A send finished elsewhere (another tab, Background Sync) also decides the next try.
  const stopWatching = watchOutbox((result) => void scheduleRetry(result));
  const onOnline = () => void sendNow();
  window.addEventListener('online', onOnline);
  void sendNow();
  return () => {
    stopWatching();
    window.removeEventListener('online', onOnline);
    clearTimeout(retryTimer);
  };
}
