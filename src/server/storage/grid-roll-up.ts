import type { Store } from './store.ts';

/**
 * The coverage grid kept up to date AFTER the readings' transaction rather than inside it
 * (issue 19: a spread reading writes three grid rows of its own and merges into a shared 10 km
 * one; done once per upload of 500, that was most of an ingest's cost).
 *
 * An ingest stores its readings and marks them pending for the grid, in its own transaction
 * (SQLite: every reading above a watermark, `grid_rolled_up`; PostgreSQL: a row per ingest
 * statement in `grid_pending_batches`). A roll-up is one transaction that takes about
 * {@link ROLL_UP_CHUNK} pending readings in key order, folds them with `pendingGrid()` (grid-batch.ts), writes the rows
 * through the same batch writers as before, and clears what it took: thousands of readings sorted by key dirty each page once for many rows and merge each
 * 10 km row once, instead of once per upload.
 *
 * The versions (the store-wide one and the tiles', grid-version.ts, grid-unit-versions.ts) say
 * what was acknowledged, not what was rolled up: the ingest counts its 10 km cells' changes and
 * bumps the store-wide version as it did before roll-ups, and a version read never waits for a
 * roll-up. So a reviewer's answer kept for a version is served at once, and one no longer
 * current is served stale while a rebuild runs (routes/cells.ts), however many uploads are
 * waiting: had the versions waited for the roll-up, every view during 200 phones' uploads
 * waited for it (bench/load.ts: median 17–32 s).
 *
 * When a roll-up runs ({@link withGridRollUp}):
 * - before every read of grid rows (`gridGroups`, `gridReports`: every reader of grid rows goes
 *   through them), so that an answer built is never older than the version read before it,
 *   and never misses a reading acknowledged before its call;
 * - in the background once uploads have been quiet for `quietMs` (or as soon as `eagerAt`
 *   readings are pending), never on an upload's own path;
 * - on close.
 * A rebuild of grid rows from the readings (placing again) counts only the readings no longer
 * pending, under the same turn as roll-ups (sqlite-grid.ts, postgres-grid.ts): the rest are the
 * next roll-up's.
 *
 * Never lost, never twice: the marks commit with the readings, so a crash between an upload's
 * acknowledgement and its roll-up leaves them for the next roll-up (this process's next read,
 * or another's); they are cleared in the roll-up's own transaction, and roll-ups take turns
 * (SQLite: one writer; PostgreSQL: `pg_advisory_xact_lock`), so no two take the same reading.
 */

/** Readings a roll-up takes in one transaction: at most this on SQLite, up to one upload more on PostgreSQL (it takes whole uploads). */
export const ROLL_UP_CHUNK = 20_000;

/** What a store does for its roll-ups (sqlite/sqlite-grid-roll-up.ts, postgres/postgres-grid-roll-up.ts). */
export interface GridRollUpSource {
  /** The key (`seq`) of the last reading pending, or undefined when none is (one cheap read). */
  lastPending(): Promise<number | undefined>;
  /**
   * Rolls up pending readings of key at most `upTo`, in one transaction, in key order: `limit` of
   * them, or fewer when no more are pending, or a few more when the store keeps them by upload
   * (PostgreSQL, never splitting one). Answers how many it took: fewer than `limit`, none is left.
   */
  rollUp(limit: number, upTo: number): Promise<number>;
}

export interface GridRollUpOptions {
  /** Quiet time after the last upload before a background roll-up, ms (default 250; Infinity: none). */
  quietMs?: number;
  /** Readings acknowledged since the last roll-up that start one in the background at once (default 10,000; Infinity: never). */
  eagerAt?: number;
  /**
   * Told of a background roll-up that failed (the database unreachable for a moment): nothing is
   * lost, the readings stay pending and the next read or upload rolls them up, but the operator
   * should hear of it when it lasts (src/server/main.ts writes it to the log).
   */
  onBackgroundFailure?: (error: unknown) => void;
}

/**
 * `store` whose grid reads roll up first, whose uploads schedule a roll-up
 * in the background, and whose close rolls up what is left. A drain asked while one runs waits
 * for the next one (started after its call, so it takes every reading acknowledged before), and
 * a roll-up stops at the last reading pending when it began, so a reader waits for what was
 * acknowledged before its call, never for uploads arriving after it.
 */
export function withGridRollUp(
  store: Store,
  source: GridRollUpSource,
  { quietMs = 250, eagerAt = 10_000, onBackgroundFailure }: GridRollUpOptions = {},
): Store {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sinceRollUp = 0;
  let closed = false;

  // Up to the last reading pending when it starts, not until none is: under a steady flow of
  // uploads (200 phones at once) readings arrive as fast as they are rolled up, and a reader
  // waiting for none pending waited for the flow to stop (the load bench's grid views: 32 s).
  const rollUpAll = async () => {
    sinceRollUp = 0;
    const upTo = await source.lastPending();
    if (upTo === undefined) return;
    while ((await source.rollUp(ROLL_UP_CHUNK, upTo)) >= ROLL_UP_CHUNK) {
      // A full chunk: there may be more up to the mark.
    }
  };
  const drain = (): Promise<void> => {
    if (!running) {
      running = rollUpAll().finally(() => {
        running = undefined;
      });
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return drain();
      });
    return next;
  };
  /** A background roll-up: its failure is told, and left for the next read's (the marks wait in the database). */
  const inBackground = () => {
    timer = undefined;
    if (!closed) drain().catch((error: unknown) => onBackgroundFailure?.(error));
  };
  const schedule = (accepted: number) => {
    sinceRollUp += accepted;
    if (closed || accepted === 0) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (sinceRollUp >= eagerAt) {
      setImmediate(inBackground);
    } else if (Number.isFinite(quietMs)) {
      timer = setTimeout(inBackground, quietMs);
      timer.unref?.();
    }
  };
  const drainedFirst =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await drain();
      return read(...args);
    };

  return {
    ...store,
    async ingest(readings, placements) {
      const result = await store.ingest(readings, placements);
      schedule(result.accepted.length);
      return result;
    },
    gridGroups: drainedFirst(store.gridGroups),
    gridReports: drainedFirst(store.gridReports),
    rebuildGrid: drainedFirst(store.rebuildGrid),
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      // What cannot be rolled up now (the database gone) waits in it for the next start.
      await drain().catch(() => undefined);
      await store.close();
    },
  };
}
