import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressAnswer, type AnswerEncoding } from '../answer-compression.ts';

/**
 * Built answers kept by their ETag, least recently used first out once their bytes pass a
 * bound: a repeat request for the same answer (same data version, same query, same scope:
 * the key says all three, see routes/cells.ts) costs a lookup instead of a build. Each
 * encoding of an answer is made once, the first time a client asks for it, and kept beside
 * the answer.
 *
 * Concurrent requests for an answer being built wait for that build rather than start their own.
 *
 * Beside each answer, the query it answers (its key without the data version) and when its
 * build began: {@link AnswerCache.newest} finds the newest answer kept for a query whatever its
 * version, which routes/cells.ts serves, stale, while the current version's answer is built;
 * once a newer version's answer of the query is kept, the older one goes.
 */

/**
 * One built answer: its text as built (a string, so that the tests' contract check reads it),
 * then each encoding once made. An answer held compressed only ({@link AnswerCache.compressedOnly})
 * makes its text again from its encoding each time `body` is read (a client taking no encoding).
 */
export interface CachedAnswer {
  readonly type: string;
  readonly body: string;
  /** UTF-8 bytes of `body`. */
  readonly bytes: number;
  /** Made on first demand by {@link AnswerCache.encoded}. */
  readonly encodings: Map<AnswerEncoding, Promise<Buffer>>;
}

/**
 * What a build hands the cache: its text (with its brotli bytes when the build made them
 * already), or only its brotli bytes and its text's size (an answer loaded from the database,
 * cache/stored-answers.ts: its text is made again from them when a client takes no encoding).
 */
export type AnswerParts = { type: string; body: string; brotli?: Buffer } | { type: string; textBytes: number; brotli: Buffer; body?: undefined };

/** What an answer was built from, beside its key: kept so that a newer version's request can find it. */
export interface AnswerOrigin {
  /** The key without the data version: answers of one query for successive versions share it. */
  readonly query: string;
  /** The data version it was built from (opaque). */
  readonly version: string;
  /** When its build began, by the caller's clock (ms): the data it shows is at least that recent. */
  readonly builtAt: number;
}

/** An answer kept for a query, with its own key (hence its own ETag) and origin. */
export interface KeptAnswer extends AnswerOrigin {
  readonly key: string;
  readonly answer: CachedAnswer;
}

export interface AnswerCache {
  /**
   * The answer kept under `key`, else the one `build` makes (kept if it fits). A build that
   * fails is not kept: the next request tries again. With `origin`, a kept answer becomes its
   * query's newest if its build began after the newest's did.
   */
  get(key: string, build: () => Promise<AnswerParts>, origin?: AnswerOrigin): Promise<CachedAnswer>;
  /** Whether an answer is kept under `key` (without building or touching its place). */
  has(key: string): boolean;
  /** The newest answer still kept for `query` (any version), if any. */
  newest(query: string): KeptAnswer | undefined;
  /** Whether a build of any version of `query` is under way (through {@link get} with an origin). */
  building(query: string): boolean;
  /** `answer`'s body in `encoding`, compressed once and counted in the cache's bytes. */
  encoded(key: string, answer: CachedAnswer, encoding: AnswerEncoding): Promise<Buffer>;
  /**
   * Holds the answer kept under `key` in `encoding` only (made if need be), its text let go:
   * the answers kept built whether asked or not (cache/answer-warmer.ts), which clients taking
   * that encoding mostly ask for. A compact 200 m tile's text is ~60 times its brotli bytes.
   * Held so, the newest answer of its query leaves the cache after every answer not held.
   */
  compressedOnly(key: string, encoding: AnswerEncoding): Promise<void>;
  /** Bytes held (bodies and encodings made), for the tests and the bench. */
  readonly bytes: number;
}

/** 64 MB: about two département answers at 1 km as GeoJSON with their encodings, hundreds of compact ones. */
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export function createAnswerCache(maxBytes = DEFAULT_ANSWER_CACHE_BYTES): AnswerCache {
  // A Map iterates in insertion order: deleting and setting again moves a key to the young end.
  // `held`: kept built by the warmer (compressedOnly) for its query's newest version.
  const kept = new Map<string, { answer: CachedAnswer; bytes: number; origin: AnswerOrigin | undefined; held: boolean }>();
  const building = new Map<string, Promise<CachedAnswer>>();
  const newestOf = new Map<string, KeptAnswer>();
  const buildsOf = new Map<string, number>();
  let bytes = 0;

  /**
   * Least recently used first, answers not held before held ones: one large answer asked by
   * an API client must not push out the tiles kept built for every reviewer's first view
   * (their first views would be cold builds again until their tiles change). The warmer keeps
   * held answers under its own bound (half the cache), so the others always have the rest.
   */
  function evict(): void {
    for (const held of [false, true]) {
      for (const [key, entry] of kept) {
        if (bytes <= maxBytes) return;
        if (entry.held !== held) continue;
        kept.delete(key);
        bytes -= entry.bytes;
        if (entry.origin && newestOf.get(entry.origin.query)?.key === key) newestOf.delete(entry.origin.query);
      }
    }
  }

  function keep(key: string, answer: CachedAnswer, size: number, origin: AnswerOrigin | undefined): void {
    if (size > maxBytes) return;
    kept.set(key, { answer, bytes: size, origin, held: false });
    bytes += size;
    if (origin) {
      const newest = newestOf.get(origin.query);
      // A build for an older version may end after a newer one's: it stays the older.
      if (!newest || newest.builtAt <= origin.builtAt) {
        newestOf.set(origin.query, { ...origin, key, answer });
        // The older version is no one's answer now (a request is answered from its query's
        // current version, or its newest while that builds): it goes at once rather than count
        // against the warmer's bound until the cache is full (the warmer then stopped rebuilding).
        const older = newest && newest.key !== key ? kept.get(newest.key) : undefined;
        if (older) {
          kept.delete(newest!.key);
          bytes -= older.bytes;
        }
      }
    }
    evict();
  }

  function countBuild(query: string, change: 1 | -1): void {
    const count = (buildsOf.get(query) ?? 0) + change;
    if (count > 0) buildsOf.set(query, count);
    else buildsOf.delete(query);
  }

  return {
    get bytes() {
      return bytes;
    },

    has(key) {
      return kept.has(key);
    },

    newest(query) {
      return newestOf.get(query);
    },

    building(query) {
      return buildsOf.has(query);
    },

    async get(key, build, origin) {
      const found = kept.get(key);
      if (found) {
        kept.delete(key);
        kept.set(key, found);
        return found.answer;
      }
      const pending = building.get(key);
      if (pending) return pending;
      const made = build().then((parts): CachedAnswer => {
        const answer = builtAnswer(parts);
        keep(key, answer, answer.heldBytes(), origin);
        return answer;
      });
      building.set(key, made);
      if (origin) countBuild(origin.query, 1);
      try {
        return await made;
      } finally {
        building.delete(key);
        if (origin) countBuild(origin.query, -1);
      }
    },

    async encoded(key, answer, encoding) {
      const made = answer.encodings.get(encoding);
      if (made) return made;
      const compressing = compressAnswer(answer.body, encoding);
      answer.encodings.set(encoding, compressing);
      const compressed = await compressing;
      const entry = kept.get(key);
      if (entry?.answer === answer) {
        entry.bytes += compressed.length;
        bytes += compressed.length;
        evict();
      }
      return compressed;
    },

    async compressedOnly(key, encoding) {
      const entry = kept.get(key);
      if (!entry) return;
      const compressed = await this.encoded(key, entry.answer, encoding);
      if (kept.get(key) !== entry) return;
      entry.held = newestOf.get(entry.origin?.query ?? '')?.key === key;
      // Still holding its text (let go already: nothing more to do).
      if (!(entry.answer as BuiltAnswer).letTextGo(encoding, compressed)) return;
      entry.bytes -= entry.answer.bytes;
      bytes -= entry.answer.bytes;
    },
  };
}

interface BuiltAnswer extends CachedAnswer {
  /** Lets the text go, to be made again from `compressed` (its `encoding`); false if it was let go already. */
  letTextGo(encoding: AnswerEncoding, compressed: Buffer): boolean;
  /** Bytes held as handed over: the text if any, and the brotli bytes if any. */
  heldBytes(): number;
}

function builtAnswer(parts: AnswerParts): BuiltAnswer {
  let text: string | undefined = parts.body;
  let source: { encoding: AnswerEncoding; compressed: Buffer } | undefined =
    parts.body === undefined ? { encoding: 'br', compressed: parts.brotli } : undefined;
  const encodings = new Map<AnswerEncoding, Promise<Buffer>>();
  if (parts.brotli) encodings.set('br', Promise.resolve(parts.brotli));
  const bytes = parts.body === undefined ? parts.textBytes : Buffer.byteLength(parts.body);
  return {
    type: parts.type,
    bytes,
    encodings,
    heldBytes: () => (text === undefined ? 0 : bytes) + (parts.brotli?.length ?? 0),
    get body() {
      if (text !== undefined) return text;
      const { encoding, compressed } = source!;
      return (encoding === 'br' ? brotliDecompressSync(compressed) : gunzipSync(compressed)).toString('utf8');
    },
    letTextGo(encoding, compressed) {
      if (text === undefined) return false;
      text = undefined;
      source = { encoding, compressed };
      return true;
    },
  };
}
