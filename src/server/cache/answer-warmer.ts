import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AnswerEncoding } from '../answer-compression.ts';
import type { AnswerCache } from './answer-cache.ts';

/**
 * Keeps the answers people asked for recently built for the current data version, in the
 * background, so that a view after new data finds its answer built instead of waiting for a
 * cold build (or being served the previous one): routes/cells.ts.
 *
 * Each answered request says which query it was ({@link AnswerWarmer.asked}) and how to build
 * its answer for whatever version the store is at. While some query was asked within `keepMs`,
 * the warmer reads the data version every `pollMs`; once it has changed and then stayed the same
 * for `quietMs` (or kept changing for `maxWaitMs`), one pass rebuilds, one query at a time and
 * most recently asked first, each query still asked within `keepMs` whose previous answer is
 * still kept and whose answer for the current version is neither kept nor being built. A pass
 * never runs on a request's path, never beside another pass, and the next one waits twice as long
 * as the last one took (at most a third of the time spent rebuilding under a steady flow of
 * data), or 5 s after a pass where a build failed (tried again then). Between queries it yields to the event loop; the build itself should yield between its
 * phases (SQLite's reads run on the event loop).
 *
 * A query is its own key without the version (cache/answer-cache.ts's `origin.query`): the
 * caller's scope is in it, and the build kept for a query is the one its own request made, so a
 * rebuilt answer is exactly what that query's next request would have built.
 */

export interface WarmPass {
  /** The data version the pass built for. */
  version: string;
  /** Answers built. */
  rebuilt: number;
  /** Builds that failed (logged through `onError`; the next request or pass tries again). */
  failed: number;
  /** Wall time of the pass, ms. */
  ms: number;
}

export interface AnswerWarmerOptions {
  cache: AnswerCache;
  /** The current data version (storage/grid-version.ts). */
  version(): Promise<string>;
  /** The cache key of `query`'s answer built from `version`. */
  keyOf(version: string, query: string): string;
  /** How long after its last request a query is still rebuilt, ms (by `now`). */
  keepMs: number;
  /** How long the version must stay the same before a pass, ms. Default 1,500. */
  quietMs?: number;
  /** The longest a pass waits for the version to stay the same, ms. Default 10,000. */
  maxWaitMs?: number;
  /** How often the version is read while some query is kept warm, ms. Default 500. */
  pollMs?: number;
  /** At most this many queries rebuilt per pass, the most recently asked. Default 32. */
  maxQueries?: number;
  /** The app's clock, for `keepMs` and the answers' build times. */
  now(): number;
  onError(error: unknown): void;
  /** Told after each pass that built or tried something (the log, the bench, the tests). */
  onPass?(pass: WarmPass): void;
}

export interface AnswerWarmer {
  /**
   * `query` was just answered; `build` makes its answer from the store as it is when called;
   * `encoding`, the one that request accepts: a rebuilt answer is also compressed in each
   * encoding its query was asked in, so that the next view sends it at once (compressing a
   * département's answer takes as long as building it).
   */
  asked(query: string, build: () => Promise<{ type: string; body: string }>, encoding: AnswerEncoding | undefined): void;
  /** Stops polling and waits for a pass under way (the store is about to close). */
  close(): Promise<void>;
}

/** The least time between a pass where a build failed and the next. */
const RETRY_AFTER_FAILURE_MS = 5000;

interface Asked {
  at: number;
  build: () => Promise<{ type: string; body: string }>;
  encodings: Set<AnswerEncoding>;
}

export function createAnswerWarmer(options: AnswerWarmerOptions): AnswerWarmer {
  const { cache, keepMs, now, quietMs = 1500, maxWaitMs = 10_000, pollMs = 500, maxQueries = 32 } = options;
  const recent = new Map<string, Asked>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let pass: Promise<void> | undefined;
  /** The version seen changing, since when it has been that one, and since when some query has been behind. */
  let seen: { version: string; since: number; behindSince: number } | undefined;
  let nextPassAt = 0;

  /** Queries worth rebuilding for `version`, most recently asked first; forgets those asked too long ago. */
  function behind(version: string): [string, Asked][] {
    const oldest = now() - keepMs;
    const due: [string, Asked][] = [];
    for (const [query, asked] of recent) {
      if (asked.at < oldest) {
        recent.delete(query);
        continue;
      }
      if (!cache.newest(query) || cache.building(query) || cache.has(options.keyOf(version, query))) continue;
      due.push([query, asked]);
    }
    return due.sort((a, b) => b[1].at - a[1].at).slice(0, maxQueries);
  }

  async function rebuild(version: string, due: [string, Asked][]): Promise<void> {
    const start = performance.now();
    let rebuilt = 0;
    let failed = 0;
    for (const [query, asked] of due) {
      if (closed) break;
      const key = options.keyOf(version, query);
      // A request may have built it, or started to, since the list was made.
      if (cache.has(key) || cache.building(query)) continue;
      try {
        const answer = await cache.get(key, asked.build, { query, version, builtAt: now() });
        for (const encoding of asked.encodings) await cache.encoded(key, answer, encoding);
        rebuilt += 1;
      } catch (error) {
        failed += 1;
        options.onError(error);
      }
      await yieldToEventLoop();
    }
    const ms = performance.now() - start;
    // A failure (a busy store) is tried again, but not at every poll.
    nextPassAt = performance.now() + Math.max(2 * ms, failed > 0 ? RETRY_AFTER_FAILURE_MS : 0);
    if (rebuilt + failed > 0) options.onPass?.({ version, rebuilt, failed, ms });
  }

  async function check(): Promise<void> {
    const version = await options.version();
    if (closed || pass) return;
    const due = behind(version);
    const at = performance.now();
    if (due.length === 0) {
      seen = undefined;
      return;
    }
    if (!seen) seen = { version, since: at, behindSince: at };
    else if (seen.version !== version) seen = { version, since: at, behindSince: seen.behindSince };
    const settled = at - seen.since >= quietMs || at - seen.behindSince >= maxWaitMs;
    if (!settled || at < nextPassAt) return;
    seen = undefined;
    pass = rebuild(version, due).finally(() => {
      pass = undefined;
    });
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      check()
        .catch(options.onError)
        .finally(() => {
          if (recent.size > 0) schedule();
        });
    }, pollMs);
    // Never what keeps the process alive.
    timer.unref();
  }

  return {
    asked(query, build, encoding) {
      if (closed || keepMs <= 0) return;
      const encodings = recent.get(query)?.encodings ?? new Set();
      if (encoding) encodings.add(encoding);
      // Deleted first, so that the Map's order is that of the last requests: the first is the
      // longest unasked, let go when many distinct queries come (each holds its build's view).
      recent.delete(query);
      recent.set(query, { at: now(), build, encodings });
      if (recent.size > maxQueries * 4) recent.delete(recent.keys().next().value!);
      schedule();
    },

    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await pass;
    },
  };
}
