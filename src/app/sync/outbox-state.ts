import { listen } from '../../sync/channel.ts';
import type { FlushResult } from '../../sync/protocol.ts';
import { listReadings, type OutboxRecord } from '../../store/outbox.ts';
import { listReports, type ReportRecord } from '../../store/reports.ts';
import { getSyncStatus, type SyncStatus } from '../../store/sync-status.ts';
import { createStore } from '../shell/tiny-store.ts';

export interface OutboxState {
  loaded: boolean;
  records: OutboxRecord[];
  /** Residents' reports made on this device. */
  reports: ReportRecord[];
  status: SyncStatus;
  /** A send is running, in this tab, another one, or the service worker. */
  sending: boolean;
}

/** The device's readings and reports as every screen sees them, refreshed on any change from any tab. */
export const outboxState = createStore<OutboxState>({ loaded: false, records: [], reports: [], status: { consecutiveFailures: 0 }, sending: false });

export function pendingCount(state: OutboxState): number {
  return state.records.filter((record) => record.state === 'pending').length;
}

let refreshing: Promise<void> | undefined;
let refreshAgain = false;

/** Re-reads IndexedDB; calls made while a read runs are folded into one more read. */
export function refreshOutbox(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      const [records, reports, status] = await Promise.all([listReadings(), listReports(), getSyncStatus()]);
      outboxState.set({ loaded: true, records, reports, status });
    } while (refreshAgain);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

export function watchOutbox(onFlushFinished: (result: FlushResult) => void): () => void {
  const stop = listen((event) => {
    if (event.type === 'flush-started') outboxState.set({ sending: true });
    if (event.type === 'flush-finished') {
      outboxState.set({ sending: false });
      onFlushFinished(event.result);
    }
    void refreshOutbox();
  });
  const onVisible = () => {
    if (document.visibilityState === 'visible') void refreshOutbox();
  };
  document.addEventListener('visibilitychange', onVisible);
  void refreshOutbox();
  return () => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
