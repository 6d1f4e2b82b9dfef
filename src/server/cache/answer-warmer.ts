import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AnswerEncoding } from '../answer-compression.ts';
import type { AnswerCache, AnswerParts } from './answer-cache.ts';

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
 * as the last one took, the kept queries' first builds left out (at most a third of the time
 * spent rebuilding under a steady flow of data), or 5 s after a pass where a build failed (tried again then). Between queries it yields to the event loop; the build itself should yield between its
 * phases (SQLite's reads run on the event loop).
 *
 * A query is its own key without the version (cache/answer-cache.ts's `origin.query`): the
 * caller's scope is in it, and the build kept for a query is the one its own request made, so a
 * rebuilt answer is exactly what that query's next request would have built.
 *
 * Besides the queries asked, a list of queries can be kept built whether asked or not
 * ({@link AnswerWarmer.keep}: the map's tiles at start, routes/cells.ts), built at the next pass
 * after it is given. A query may have an area (a tile) whose version is its own: a pass reads
 * the versions of all the areas in one call ({@link AnswerWarmerOptions.areaVersions}) and
 * rebuilds only the answers whose version changed; the store-wide version still says when to
 * look. Each pass that checked kept queries is reported, even with nothing to rebuild.
 */

export interface WarmPass {
  /** The store-wide data version the pass started from. */
  version: string;
  /** Answers whose version was compared with what is kept (the kept queries' and the recently asked ones'). */
  checked: number;
  /** Answers built. */
  rebuilt: number;
  /** Builds that failed (logged through `onError`; the next request or pass tries again). */
  failed: number;
  /** Wall time of the pass, ms. */
  ms: number;
}

/**
 * How to build a query's answer from the store as it is when called, for `version` (the one
 * read before the call, under which the answer is kept): a build may load an answer kept in
 * the database for that version instead (cache/stored-answers.ts).
 */
export type BuildAnswer = (version: string) => Promise<AnswerParts>;

export interface AnswerWarmerOptions<Area> {
  cache: AnswerCache;
  /** The store-wide data version (storage/grid-version.ts): its changes start the wait for a quiet time. */
  version(): Promise<string>;
  /**
   * The data versions of the answers over these areas, in their order, in one read (the
   * tiles' own versions, storage/grid-version.ts). A query without an area is built from
   * {@link version}'s. Needed only if some query has an area.
   */
  areaVersions?(areas: readonly Area[]): Promise<string[]>;
  /** The cache key of `query`'s answer built from `version`. */
  keyOf(version: string, query: string): string;
  /** How long after its last request a query is still rebuilt, ms (by `now`). */
  keepMs: number;
  /**
   * Kept queries ({@link AnswerWarmer.keep}) are built only while the cache holds fewer bytes
   * than this, so that they never push out what people asked. Default: no bound.
   */
  keptBytes?: number;
  /** How long the version must stay the same before a pass, ms. Default 1,500. */
  quietMs?: number;
  /** The longest a pass waits for the version to stay the same, ms. Default 10,000. */
  maxWaitMs?: number;
  /** How often the version is read while some query is kept warm, ms. Default 500. */
  pollMs?: number;
  /** At most this many asked queries rebuilt per pass, the most recently asked. Default 32. */
  maxQueries?: number;
  /** The app's clock, for `keepMs` and the answers' build times. */
  now(): number;
  onError(error: unknown): void;
  /** Told after each pass that built or tried something, or checked kept queries (the log, the bench, the tests). */
  onPass?(pass: WarmPass): void;
}

/** A query whose answer is kept built whether asked or not ({@link AnswerWarmer.keep}). */
export interface KeptQuery<Area> {
  query: string;
  build: BuildAnswer;
  /** What its version is read for (a tile); none: the store-wide version. */
  area?: Area;
  /** Each built answer is also compressed in these, as the page will ask, and held in the first one only (cache/answer-cache.ts's `compressedOnly`). */
  encodings?: readonly AnswerEncoding[];
}

export interface AnswerWarmer<Area> {
  /**
   * `query` was just answered; `build` makes its answer from the store as it is when called;
   * `encoding`, the one that request accepts: a rebuilt answer is also compressed in each
   * encoding its query was asked in, so that the next view sends it at once (compressing a
   * département's answer takes as long as building it); `area`, what its version is read for.
   */
  asked(query: string, build: BuildAnswer, encoding: AnswerEncoding | undefined, area?: Area): void;
  /**
   * Keeps the answers of the queries `list` gives built, asked or not, in their order: the
   * list is read again at the start of each pass (new data may make new ones: a tile's first
   * reading), and each query in it is built at that pass unless a request built it already,
   * then rebuilt whenever its version changes while its previous answer is still kept. The
   * first pass comes after the quiet time, whatever the version.
   */
  keep(list: () => Promise<readonly KeptQuery<Area>[]>): void;
  /** Stops polling and waits for a pass under way (the store is about to close). */
  close(): Promise<void>;
}

/** The least time between a pass where a build failed and the next. */
const RETRY_AFTER_FAILURE_MS = 5000;

interface Warmed<Area> {
  build: BuildAnswer;
  encodings: Set<AnswerEncoding>;
  area: Area | undefined;
}

interface Asked<Area> extends Warmed<Area> {
  at: number;
}

interface Kept<Area> extends Warmed<Area> {
  /** Built once (by a pass or a request): after that, rebuilt only while its previous answer is kept. */
  built: boolean;
}

interface Due<Area> {
  query: string;
  warmed: Warmed<Area>;
  version: string;
  key: string;
  kept: boolean;
}

export function createAnswerWarmer<Area = never>(options: AnswerWarmerOptions<Area>): AnswerWarmer<Area> {
  const { cache, keepMs, now, quietMs = 1500, maxWaitMs = 10_000, pollMs = 500, maxQueries = 32, keptBytes = Infinity } = options;
  const recent = new Map<string, Asked<Area>>();
  let kept = new Map<string, Kept<Area>>();
  let keptList: (() => Promise<readonly KeptQuery<Area>[]>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let pass: Promise<void> | undefined;
  /** The version seen changing, since when it has been that one, and since when some answer may have been behind. */
  let seen: { version: string; since: number; behindSince: number } | undefined;
  /** The store-wide version the last pass left every answer built for (none failed). */
  let upToDate: string | undefined;
  let nextPassAt = 0;

  /** Forgets the queries asked too long ago. */
  function forgetOld(): void {
    const oldest = now() - keepMs;
    for (const [query, asked] of recent) if (asked.at < oldest) recent.delete(query);
  }

  /** The answers to compare: the most recently asked first, then the kept ones in their order. */
  function candidates(): [string, Warmed<Area>, boolean][] {
    forgetOld();
    const asked = [...recent].filter(([query]) => !kept.has(query)).sort((a, b) => b[1].at - a[1].at);
    return [
      ...asked.slice(0, maxQueries).map(([query, entry]) => [query, entry, false] as [string, Warmed<Area>, boolean]),
      ...[...kept].map(([query, entry]) => [query, entry, true] as [string, Warmed<Area>, boolean]),
    ];
  }

  /** Those whose answer for their current version is neither kept nor being built, with that version. */
  async function behind(version: string, entries: [string, Warmed<Area>, boolean][]): Promise<Due<Area>[]> {
    const areas = entries.flatMap(([, warmed]) => (warmed.area === undefined ? [] : [warmed.area]));
    const versions = areas.length === 0 ? [] : await options.areaVersions!(areas);
    let next = 0;
    const due: Due<Area>[] = [];
    for (const [query, warmed, isKept] of entries) {
      const current = warmed.area === undefined ? version : versions[next++]!;
      const key = options.keyOf(current, query);
      if (cache.has(key)) {
        if (isKept) (warmed as Kept<Area>).built = true;
        continue;
      }
      // Asked: only while its previous answer is kept (a query's own request built it once).
      // Kept: also the first time.
      const wanted = cache.newest(query) !== undefined || (isKept && !(warmed as Kept<Area>).built);
      if (wanted && !cache.building(query)) due.push({ query, warmed, version: current, key, kept: isKept });
    }
    return due;
  }

  /** The kept queries as the list now gives them, each keeping what was known of it. */
  async function readKeptList(): Promise<void> {
    if (!keptList) return;
    const queries = await keptList();
    const previous = kept;
    kept = new Map();
    for (const { query, build, area, encodings = [] } of queries) {
      const known = previous.get(query);
      kept.set(query, { build, area, encodings: new Set([...encodings, ...(known?.encodings ?? [])]), built: known?.built ?? false });
    }
  }

  async function rebuild(version: string): Promise<void> {
    const start = performance.now();
    let entries: [string, Warmed<Area>, boolean][] = [];
    let rebuilt = 0;
    let failed = 0;
    /** Time spent on kept answers' first builds (the start's), which the wait before the next pass leaves out. */
    let firstBuildsMs = 0;
    try {
      await readKeptList();
      entries = candidates();
      for (const { query, warmed, version: current, key, kept: isKept } of await behind(version, entries)) {
        if (closed) break;
        // Kept answers never push out what people asked: past the bound they wait for a request.
        if (isKept && cache.bytes >= keptBytes) continue;
        // A request may have built it, or started to, since the list was made.
        if (cache.has(key) || cache.building(query)) continue;
        const firstBuild = isKept && !(warmed as Kept<Area>).built;
        const buildStart = performance.now();
        try {
          const answer = await cache.get(key, () => warmed.build(current), { query, version: current, builtAt: now() });
          for (const encoding of warmed.encodings) await cache.encoded(key, answer, encoding);
          if (isKept) {
            (warmed as Kept<Area>).built = true;
            // Held in its first encoding only: nobody asked for it yet, and its text is many times bigger.
            const [first] = warmed.encodings;
            if (first) await cache.compressedOnly(key, first);
          }
          rebuilt += 1;
        } catch (error) {
          failed += 1;
          options.onError(error);
        }
        if (firstBuild) firstBuildsMs += performance.now() - buildStart;
        await yieldToEventLoop();
      }
    } catch (error) {
      // The kept list or the versions could not be read (a busy store): tried again at a later pass.
      failed += 1;
      options.onError(error);
    }
    const ms = performance.now() - start;
    if (failed === 0 && !closed) upToDate = version;
    // A failure (a busy store) is tried again, but not at every poll. The start's builds are
    // once: new data after them waits as long as their rebuilds would make it, not minutes.
    nextPassAt = performance.now() + Math.max(2 * (ms - firstBuildsMs), failed > 0 ? RETRY_AFTER_FAILURE_MS : 0);
    const checkedKept = entries.some(([, , isKept]) => isKept);
    if (rebuilt + failed > 0 || checkedKept) options.onPass?.({ version, checked: entries.length, rebuilt, failed, ms });
  }

  async function check(): Promise<void> {
    const version = await options.version();
    if (closed || pass) return;
    forgetOld();
    const at = performance.now();
    if (version === upToDate || (recent.size === 0 && !keptList)) {
      seen = undefined;
      return;
    }
    if (!seen) seen = { version, since: at, behindSince: at };
    else if (seen.version !== version) seen = { version, since: at, behindSince: seen.behindSince };
    const settled = at - seen.since >= quietMs || at - seen.behindSince >= maxWaitMs;
    if (!settled || at < nextPassAt) return;
    seen = undefined;
    pass = rebuild(version).finally(() => {
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
          if (recent.size > 0 || keptList) schedule();
        });
    }, pollMs);
    // Never what keeps the process alive.
    timer.unref();
  }

  return {
    asked(query, build, encoding, area) {
      const keptOne = kept.get(query);
      if (keptOne && encoding) keptOne.encodings.add(encoding);
      if (closed || keepMs <= 0) return;
      const encodings = recent.get(query)?.encodings ?? new Set();
      if (encoding) encodings.add(encoding);
      // Deleted first, so that the Map's order is that of the last requests: the first is the
      // longest unasked, let go when many distinct queries come (each holds its build's view).
      recent.delete(query);
      recent.set(query, { at: now(), build, encodings, area });
      if (recent.size > maxQueries * 4) recent.delete(recent.keys().next().value!);
      schedule();
    },

    keep(list) {
      if (closed) return;
      keptList = list;
      // Read and checked at the next pass, whatever the version.
      upToDate = undefined;
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
