import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Reading } from '../domain/reading.ts';
import type { Report } from '../domain/report.ts';
import type { LonLatBox } from '../domain/tiles.ts';

export type OutboxState = 'pending' | 'sent' | 'refused';

export interface RefusalReason {
  field: string;
  message: string;
}

/** What the server said when it refused an item, and whether it was an id conflict. */
export interface Refusal {
  code: 'invalid' | 'conflict';
  errors: RefusalReason[];
  at: number;
}

export interface OutboxRecord {
  id: string;
  reading: Reading;
  state: OutboxState;
  /** When the device stored it (ms since epoch); the outbox sends oldest first. */
  savedAt: number;
  /**
   * When the reading was measured (its `recordedAt`, ms since epoch; -Infinity when that does
   * not parse), kept beside it for the index the readings list pages through, newest first
   * (since v5): an import saves a whole log at one instant, so `savedAt` says nothing of it.
   */
  measuredAt: number;
  sentAt?: number;
  /**
   * The account (user id) signed in when the reading was recorded. Only that account's
   * session sends it, so that a shared phone never attributes one agent's readings to
   * another. Absent on readings recorded before accounts existed (schema v1): any session sends them.
   */
  recordedBy?: string;
  /** Present when refused: why the server said no, and whether it was an id conflict. */
  refusal?: Refusal;
  /**
   * Not sent before this time (ms since epoch): the app is still measuring evidence to attach
   * (the connectivity probe). Past it the reading leaves as it is, so a page closed mid-probe
   * never holds a reading back for long.
   */
  heldUntil?: number;
}

/** A « Parcours »: points recorded automatically while walking or driving (since v3). */
export interface TrackRecord {
  id: string;
  state: 'active' | 'ended';
  startedAt: number;
  endedAt?: number;
  /** The account signed in when the track started; its points are recorded under it. */
  recordedBy?: string;
  campaignId?: string;
  communeInsee?: string;
  /** Spacing rule in force for this track (from the server's config when it started). */
  spacingM: number;
  intervalS: number;
  pointCount: number;
  distanceM: number;
  /** The last point recorded, from which the next one's spacing is measured. */
  lastPoint?: { lat: number; lon: number; at: number };
}

/** A resident's report of a dead spot, waiting for or past its sending. */
export interface ReportRecord {
  id: string;
  report: Report;
  state: OutboxState;
  savedAt: number;
  sentAt?: number;
  refusal?: Refusal;
}

/**
 * An area of base map downloaded ahead of use (« Préparer hors ligne », since v4). Its tiles
 * live in the Cache Storage cache "tiles-offline"; this record says what the area covers and
 * how far its download went, so that a reload resumes it.
 */
export interface OfflineAreaRecord {
  id: string;
  name: string;
  /** The tile source (TileSource.id) whose tiles were downloaded. */
  sourceId: string;
  /** The source's URL template when the area was made: the cache keys of its tiles. */
  urlTemplate: string;
  bbox: LonLatBox;
  minZoom: number;
  maxZoom: number;
  tileCount: number;
  /** Tiles handled so far (stored, already there, or refused by the tile server). */
  doneCount: number;
  /** Tiles the tile server refused for good (404 over the sea, say): not retried. */
  failedCount: number;
  bytesStored: number;
  state: 'downloading' | 'paused' | 'complete';
  createdAt: number;
  completedAt?: number;
}

export interface SyncStatus {
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  /** Message of the last failed attempt, cleared by the next success. */
  lastError?: string;
  /**
   * Failed tries in a row that the back-off counts (src/sync/backoff.ts): reset by each batch the
   * server acknowledges; a try made while the page or worker knew it was offline is not counted.
   */
  consecutiveFailures: number;
}

/** The two outboxes share their shape and indexes. */
export type QueueStoreName = 'outbox' | 'reports';
type QueueIndexes = { byStateAndSavedAt: [OutboxState, number]; bySavedAt: number };
/** Since v5: the readings by when they were measured, then saved (the readings list's order, read backwards). */
type OutboxIndexes = QueueIndexes & { byMeasuredAt: [number, number] };

export interface CouvertureDB extends DBSchema {
  outbox: {
    key: string;
    value: OutboxRecord;
    indexes: OutboxIndexes;
  };
  /** Since v2: residents' reports, sent without an account. */
  reports: {
    key: string;
    value: ReportRecord;
    indexes: QueueIndexes;
  };
  /** Since v3: « Parcours » (tracks); their points are readings in the outbox with a trackId. */
  tracks: {
    key: string;
    value: TrackRecord;
    indexes: { byState: TrackRecord['state'] };
  };
  /** Since v4: areas of base map downloaded for offline use. */
  offlineAreas: {
    key: string;
    value: OfflineAreaRecord;
  };
  /** Small singletons: sync status ("syncStatus"), the signed-in person ("session", since v2), {@link MEASURED_TIMES_KEY} (since v5). */
  meta: {
    key: string;
    value: unknown;
  };
}

export type Database = IDBPDatabase<CouvertureDB>;

export const DB_NAME = 'couverture';
/**
 * v1: outbox (readings) + meta. v2: reports (residents' outbox); the session lives in meta.
 * v3: tracks (« Parcours »); the chosen campaign lives in meta.
 * v4: offlineAreas (« Préparer hors ligne »); the tile sources live in meta for the service worker.
 * v5: each reading's record gains `measuredAt`, indexed with `savedAt` (byMeasuredAt); the
 * records of before get it in the background (measured-times.ts), not in the upgrade: an
 * upgrade rewriting 50,000 records kept the database closed for 17 s at CPU ÷4.
 * An upgrade only ever adds: the readings of v1 are left exactly as they were.
 */
export const DB_VERSION = 5;

/** A reading's `measuredAt` (OutboxRecord): its `recordedAt` in ms, -Infinity (an index key, unlike NaN) when that does not parse. */
export function measuredAtOf(reading: Pick<Reading, 'recordedAt'>): number {
  const at = Date.parse(reading.recordedAt);
  return Number.isNaN(at) ? -Infinity : at;
}

/** A reading just saved on this device, waiting to be sent: the one way every writer makes its record. */
export function waitingRecord(
  reading: Reading,
  savedAt: number,
  { recordedBy, heldUntil }: { recordedBy?: string | undefined; heldUntil?: number | undefined } = {},
): OutboxRecord {
  return {
    id: reading.id,
    reading,
    state: 'pending',
    savedAt,
    measuredAt: measuredAtOf(reading),
    ...(recordedBy !== undefined && { recordedBy }),
    ...(heldUntil !== undefined && { heldUntil }),
  };
}

/**
 * In `meta`: true once every reading's record carries `measuredAt` (always on a device that
 * started at v5; after measured-times.ts's walk on one upgraded from before).
 */
export const MEASURED_TIMES_KEY = 'measuredTimesComplete';

let opening: Promise<Database> | undefined;

/**
 * One shared connection per context. If the browser closes it behind our back (iOS does so
 * to backgrounded apps) or another tab upgrades the schema, the next call opens a new one.
 */
export function getDb(): Promise<Database> {
  opening ??= openDB<CouvertureDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
        outbox.createIndex('bySavedAt', 'savedAt');
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        const reports = db.createObjectStore('reports', { keyPath: 'id' });
        reports.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
        reports.createIndex('bySavedAt', 'savedAt');
      }
      if (oldVersion < 3) {
        const tracks = db.createObjectStore('tracks', { keyPath: 'id' });
        tracks.createIndex('byState', 'state');
      }
      if (oldVersion < 4) {
        db.createObjectStore('offlineAreas', { keyPath: 'id' });
      }
      if (oldVersion < 5) {
        // Records from before carry no measuredAt, so the index leaves them out until
        // measured-times.ts has given it to each, in the background; a new device has none.
        transaction.objectStore('outbox').createIndex('byMeasuredAt', ['measuredAt', 'savedAt']);
        if (oldVersion < 1) void transaction.objectStore('meta').put(true, MEASURED_TIMES_KEY);
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade the schema: step aside.
      void forgetConnection(true);
    },
    terminated() {
      void forgetConnection(false);
    },
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/**
 * Runs `work` (one transaction, or several read-only ones) on the shared connection. When
 * the browser closed that connection without telling us (Safari on iOS after backgrounding:
 * no "close" event, then "The database connection is closing" on the next transaction),
 * drops it, reopens and runs `work` once more. A transaction that failed this way was never
 * started or was aborted whole, so running it again cannot apply it twice.
 */
export async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const attempt = getDb();
  const db = await attempt;
  try {
    return await work(db);
  } catch (error) {
    if (!isLostConnection(error)) throw error;
    // Another caller may already have replaced the stale connection: drop only ours.
    if (opening === attempt) opening = undefined;
    try {
      db.close();
    } catch {
      // Already closing: nothing more to release.
    }
    return work(await getDb());
  }
}

/**
 * The errors browsers raise on a connection they closed: InvalidStateError from
 * transaction() on a closing connection (every engine), and WebKit's UnknownError
 * « Connection to Indexed Database server lost ». A transaction aborted by the close itself
 * surfaces as an AbortError whose message names the closing connection.
 */
export function isLostConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name !== 'string' || typeof message !== 'string') return false;
  if (name === 'InvalidStateError') return true;
  if (name === 'UnknownError' || name === 'AbortError') return /connection|closing|closed|lost/i.test(message);
  return false;
}

async function forgetConnection(close: boolean): Promise<void> {
  const current = opening;
  opening = undefined;
  if (close && current) (await current).close();
}

/** For tests: drop the cached connection so the next call reopens. */
export async function closeDb(): Promise<void> {
  await forgetConnection(true);
}
