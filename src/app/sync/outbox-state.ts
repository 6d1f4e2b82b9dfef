import { announce, listen } from '../../sync/channel.ts';
import type { FlushResult, SyncEvent } from '../../sync/protocol.ts';
import { waitingAndRefusedReadingIds, getReadings, listReadings, newestMeasured, pruneSentBefore, type OutboxRecord } from '../../store/outbox.ts';
import { listReports, type ReportRecord } from '../../store/reports.ts';
import { readSentRetentionDays, sentBefore } from '../../store/sent-retention.ts';
import { getSyncStatus, type SyncStatus } from '../../store/sync-status.ts';
import { useEffect } from 'preact/hooks';
import { noteOwnChange } from '../shell/own-changes.ts';
import { whenIdle } from '../shell/when-idle.ts';
import { createStore, useStore } from '../shell/tiny-store.ts';
import { patchRecords } from './patch-records.ts';

export interface OutboxState {
  /** The counts, reports and status have been read once. */
  loaded: boolean;
  /** Readings waiting to be sent and readings refused, counted by index (src/store/queue.ts). */
  counts: { pending: number; refused: number };
  /**
   * Every reading on the device, newest save first (listReadings()'s order), while a screen
   * that shows them is open (useOutboxRecords()); empty otherwise, so that the survey screen
   * and the sync bar never hold nor re-read 50,000 readings.
   */
  records: OutboxRecord[];
  /** `records` holds the device's readings (a screen asked for them and they were read). */
  recordsLoaded: boolean;
  /**
   * The readings measured last, newest first (newestMeasured()), as many as the readings list
   * shows, while it is open (useNewestReadings()); empty otherwise. Read again at each change:
   * a page costs its own records, however many the device holds.
   */
  newest: OutboxRecord[];
  /** Readings come after `newest`. */
  newestMore: boolean;
  /** `newest` holds the readings of the list as last asked for. */
  newestLoaded: boolean;
  /** Residents' reports made on this device. */
  reports: ReportRecord[];
  status: SyncStatus;
  /** A send is running, in this tab, another one, or the service worker. */
  sending: boolean;
}

/** The same empty list each time, so that screens without the readings see no change. */
const NO_RECORDS: OutboxRecord[] = [];

/** The device's readings and reports as every screen sees them, refreshed on any change from any tab. */
export const outboxState = createStore<OutboxState>({
  loaded: false,
  counts: { pending: 0, refused: 0 },
  records: NO_RECORDS,
  recordsLoaded: false,
  newest: NO_RECORDS,
  newestMore: false,
  newestLoaded: false,
  reports: [],
  status: { consecutiveFailures: 0 },
  sending: false,
});

/** Readings waiting to be sent. */
export function pendingCount(state: OutboxState): number {
  return state.counts.pending;
}

/** Screens showing the readings themselves (the list, the map, a track, a campaign's progress) now open. */
let listers = 0;

/**
 * A screen that shows the readings opens: they are read (whole) if no other such screen had
 * them already. The function returned closes it; when the last one closes they are let go.
 */
export function watchRecords(): () => void {
  listers += 1;
  if (!outboxState.get().recordsLoaded) void refreshOutbox();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    listers -= 1;
    if (listers === 0) outboxState.set({ records: NO_RECORDS, recordsLoaded: false });
  };
}

/** The outbox state with `records` filled, for a screen that shows the readings (watchRecords()). */
export function useOutboxRecords(): OutboxState {
  const state = useStore(outboxState);
  useEffect(watchRecords, []);
  return state;
}

/** Readings lists open, and how many readings the longest shows (0: none open). */
let newestListers = 0;
let newestLimit = 0;

/**
 * A readings list opens: the function returned closes it; when the last one closes its
 * readings are let go. How many it shows is set by {@link showNewest}.
 */
export function watchNewest(): () => void {
  newestListers += 1;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    newestListers -= 1;
    if (newestListers > 0) return;
    newestLimit = 0;
    outboxState.set({ newest: NO_RECORDS, newestMore: false, newestLoaded: false });
  };
}

/** An open readings list shows the `limit` readings measured last: read them (only them). */
export function showNewest(limit: number): Promise<void> {
  if (newestListers === 0) return Promise.resolve();
  newestLimit = Math.max(limit, 0);
  return refreshOutbox([]);
}

/** The outbox state with `newest` holding the `limit` readings measured last, for the readings list. */
export function useNewestReadings(limit: number): OutboxState {
  const state = useStore(outboxState);
  // Opened once, then the page grows without letting the readings shown go in between.
  useEffect(watchNewest, []);
  useEffect(() => void showNewest(limit), [limit]);
  return state;
}

/** What the next read must cover: everything, or only these readings (reports and status always). */
interface Wanted {
  all: boolean;
  ids: Set<string>;
}

let wanted: Wanted | undefined;
let running: Promise<void> | undefined;

/**
 * The ids of the readings waiting and refused, as last read: the counts are their sizes.
 * IndexedDB has no cheap count (Chromium walks the index, seconds for 50,000 readings, and
 * holds up every other request meanwhile, a save's included), so a change told by id moves
 * these ids from one set to the other, and only a change told without ids reads them again.
 */
const waitingIds = new Set<string>();
const refusedIds = new Set<string>();

/**
 * Re-reads IndexedDB. With `changedIds` (readings added, changed or deleted; [] for none),
 * only those readings are read again: the counts follow them and, while a screen lists the
 * readings, they are patched into the list, so that a save costs the same with 50,000
 * readings waiting as with none. Without, the waiting and refused readings' ids are read again
 * from the index, and a listing screen's readings whole. Calls made while a read runs are
 * folded into one more read, which covers all of them.
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
  const before = outboxState.get();
  const whole = all || !before.loaded;
  const listing = listers > 0;
  const relist = listing && (whole || !before.recordsLoaded);
  const changed = whole ? [] : [...ids];
  const limit = newestLimit;
  const [byState, records, fresh, newest, reports, status] = await Promise.all([
    whole ? waitingAndRefusedReadingIds() : undefined,
    relist ? listReadings() : undefined,
    changed.length > 0 ? getReadings(changed) : [],
    limit > 0 ? newestMeasured(limit) : undefined,
    listReports(),
    getSyncStatus(),
  ]);
  if (byState) {
    replaceAll(waitingIds, byState.pending);
    replaceAll(refusedIds, byState.refused);
  }
  for (const id of changed) {
    waitingIds.delete(id);
    refusedIds.delete(id);
  }
  for (const record of fresh) {
    if (record.state === 'pending') waitingIds.add(record.id);
    if (record.state === 'refused') refusedIds.add(record.id);
  }
  const counts = { pending: waitingIds.size, refused: refusedIds.size };
  const now = outboxState.get();
  // A screen that closed meanwhile no longer wants the readings: let them go.
  const listed = listers > 0 && (relist || now.recordsLoaded);
  outboxState.set({
    loaded: true,
    counts: counts.pending === now.counts.pending && counts.refused === now.counts.refused ? now.counts : counts,
    records: !listed ? NO_RECORDS : relist ? (records ?? []) : patchRecords(now.records, changed, fresh),
    recordsLoaded: listed,
    // A list closed meanwhile (limit 0 now) no longer wants its page.
    ...(newest && newestLimit > 0 && { newest: newest.records, newestMore: newest.more, newestLoaded: true }),
    reports,
    status,
  });
}

function replaceAll(set: Set<string>, ids: readonly string[]): void {
  set.clear();
  for (const id of ids) set.add(id);
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

/**
 * On a device upgraded from before schema 5, gives every reading its measured time
 * (src/store/measured-times.ts), a short transaction per idle moment, so that saves slip in
 * between; from then on the readings list reads only its page. Nothing to do elsewhere. Its
 * code loads then, not with the first screen's.
 */
async function completeMeasuredTimesWhenIdle(): Promise<void> {
  const { completeMeasuredTimes } = await import('../../store/measured-times.ts');
  while (!(await completeMeasuredTimes())) await whenIdle(FIRST_READ_WAIT_MS);
}

/** The longest the first read waits for the browser to be idle after the first screen. */
const FIRST_READ_WAIT_MS = 1000;

export function watchOutbox(onFlushFinished: (result: FlushResult) => void): () => void {
  const stop = listen((event) => {
    if (event.type === 'flush-started') outboxState.set({ sending: true });
    if (event.type === 'flush-progress' && event.sent > 0) noteOwnChange();
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
  // The first read waits for the first idle moment after the first screen, so that it and the
  // re-render it causes come after the agent's first tap rather than before it (issue 19); a
  // save, a send or another tab's news before then reads everything at once (read(): nothing
  // loaded yet). Pruning waits for that read; a failed prune is tried again at the next start,
  // and keeps every reading meanwhile. So does the walk giving old readings their measured time.
  void whenIdle(FIRST_READ_WAIT_MS)
    .then(() => (outboxState.get().loaded ? undefined : refreshOutbox()))
    .then(() => pruneSentReadings().catch(() => undefined))
    .then(() => completeMeasuredTimesWhenIdle().catch(() => undefined));
  return () => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
