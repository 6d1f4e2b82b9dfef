import { announce, listen } from '../../sync/channel.ts';
import type { FlushResult, SyncEvent } from '../../sync/protocol.ts';
import { getReadings, listReadings, pruneSentBefore, type OutboxRecord } from '../../store/outbox.ts';
import { listReports, type ReportRecord } from '../../store/reports.ts';
import { readSentRetentionDays, sentBefore } from '../../store/sent-retention.ts';
import { getSyncStatus, type SyncStatus } from '../../store/sync-status.ts';
import { createStore } from '../shell/tiny-store.ts';
import { patchRecords } from './patch-records.ts';

export interface OutboxState {
  loaded: boolean;
  /** Every reading on the device, newest save first (listReadings()'s order). */
  records: OutboxRecord[];
  /** Residents' reports made on this device. */
  reports: ReportRecord[];
  status: SyncStatus;
  /** A send is running, in this tab, another one, or the service worker. */
  sending: boolean;
}

/** The device's readings and reports as every screen sees them, refreshed on any change from any tab. */
export const outboxState = createStore<OutboxState>({ loaded: false, records: [], reports: [], status: { consecutiveFailures: 0 }, sending: false });

const pendingCounts = new WeakMap<OutboxRecord[], number>();

/** Readings waiting to be sent; counted once per version of the list, not once per render. */
export function pendingCount(state: OutboxState): number {
  let count = pendingCounts.get(state.records);
  if (count === undefined) {
    count = 0;
    for (const record of state.records) if (record.state === 'pending') count++;
    pendingCounts.set(state.records, count);
  }
  return count;
}

/** What the next read must cover: everything, or only these readings (reports and status always). */
interface Wanted {
  all: boolean;
  ids: Set<string>;
}

let wanted: Wanted | undefined;
let running: Promise<void> | undefined;

/**
 * Re-reads IndexedDB. With `changedIds` (readings added, changed or deleted; [] for none),
 * only those readings are read again and patched into the list, so that a save costs the
 * same with 50,000 readings waiting as with none; without, every reading is. Calls made
 * while a read runs are folded into one more read, which covers all of them.
 */
export function refreshOutbox(changedIds?: readonly string[]): Promise<void> {
  wanted ??= { all: false, ids: new Set() };
  if (changedIds === undefined) wanted.all = true;
  else for (const id of changedIds) wanted.ids.add(id);
  running ??= (async () => {
    while (wanted) {
      const next = wanted;
      wanted = undefined;
      await read(next);
    }
  })().finally(() => {
    running = undefined;
  });
  return running;
}

async function read({ all, ids }: Wanted): Promise<void> {
  if (all || !outboxState.get().loaded) {
    const [records, reports, status] = await Promise.all([listReadings(), listReports(), getSyncStatus()]);
    outboxState.set({ loaded: true, records, reports, status });
    return;
  }
  const changed = [...ids];
  const [fresh, reports, status] = await Promise.all([changed.length > 0 ? getReadings(changed) : [], listReports(), getSyncStatus()]);
  outboxState.set({ records: patchRecords(outboxState.get().records, changed, fresh), reports, status });
}

/** The readings an event says changed: undefined when it does not say (re-read them all). */
function changedBy(event: SyncEvent): readonly string[] | undefined {
  switch (event.type) {
    case 'outbox-changed':
    case 'flush-progress':
      return event.ids;
    default:
      // A flush's start and end, a sign-in: the sync status and reports, no reading.
      return [];
  }
}

/**
 * Deletes the readings acknowledged longer ago than the device's setting (30 days unless
 * changed in « Stockage »), then tells every page which. Never a waiting or refused one.
 */
export async function pruneSentReadings(now = Date.now()): Promise<number> {
  const before = sentBefore(await readSentRetentionDays(), now);
  if (before === undefined) return 0;
  const pruned = await pruneSentBefore(before);
  if (pruned.length > 0) {
    announce({ type: 'outbox-changed', ids: pruned });
    await refreshOutbox(pruned);
  }
  return pruned.length;
}

export function watchOutbox(onFlushFinished: (result: FlushResult) => void): () => void {
  const stop = listen((event) => {
    if (event.type === 'flush-started') outboxState.set({ sending: true });
    if (event.type === 'flush-finished') {
      outboxState.set({ sending: false });
      onFlushFinished(event.result);
    }
    void refreshOutbox(changedBy(event));
  });
  const onVisible = () => {
    // Back from the background, where messages may have been missed: everything again.
    if (document.visibilityState === 'visible') void refreshOutbox();
  };
  document.addEventListener('visibilitychange', onVisible);
  // Pruning waits for the first read, so that the screens show something at once; a failed
  // prune is tried again at the next start, and keeps every reading meanwhile.
  void refreshOutbox().then(() => pruneSentReadings().catch(() => undefined));
  return () => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
