import { compressAnswer, type AnswerEncoding } from '../answer-compression.ts';

/**
 * Built answers kept by their ETag, least recently used first out once their bytes pass a
 * bound: a repeat request for the same answer (same data version, same query, same scope:
 * the key says all three, see routes/cells.ts) costs a lookup instead of a build. Each
 * encoding of an answer is made once, the first time a client asks for it, and kept beside
 * the answer.
 *
 * Concurrent requests for an answer being built wait for that build rather than start their own.
 */

/** One built answer: its text as built (a string, so that the tests' contract check reads it), then each encoding once made. */
export interface CachedAnswer {
  readonly type: string;
  readonly body: string;
  /** UTF-8 bytes of `body`. */
  readonly bytes: number;
  /** Made on first demand by {@link AnswerCache.encoded}. */
  readonly encodings: Map<AnswerEncoding, Promise<Buffer>>;
}

export interface AnswerCache {
  /**
   * The answer kept under `key`, else the one `build` makes (kept if it fits). A build that
   * fails is not kept: the next request tries again.
   */
  get(key: string, build: () => Promise<{ type: string; body: string }>): Promise<CachedAnswer>;
  /** `answer`'s body in `encoding`, compressed once and counted in the cache's bytes. */
  encoded(key: string, answer: CachedAnswer, encoding: AnswerEncoding): Promise<Buffer>;
  /** Bytes held (bodies and encodings made), for the tests and the bench. */
  readonly bytes: number;
}

/** 64 MB: about two département answers at 1 km as GeoJSON with their encodings, hundreds of compact ones. */
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export function createAnswerCache(maxBytes = DEFAULT_ANSWER_CACHE_BYTES): AnswerCache {
  // A Map iterates in insertion order: deleting and setting again moves a key to the young end.
  const kept = new Map<string, { answer: CachedAnswer; bytes: number }>();
  const building = new Map<string, Promise<CachedAnswer>>();
  let bytes = 0;

  function evict(): void {
    for (const [key, entry] of kept) {
      if (bytes <= maxBytes) return;
      kept.delete(key);
      bytes -= entry.bytes;
    }
  }

  function keep(key: string, answer: CachedAnswer, size: number): void {
    if (size > maxBytes) return;
    kept.set(key, { answer, bytes: size });
    bytes += size;
    evict();
  }

  return {
    get bytes() {
      return bytes;
    },

    async get(key, build) {
      const found = kept.get(key);
      if (found) {
        kept.delete(key);
        kept.set(key, found);
        return found.answer;
      }
      const pending = building.get(key);
      if (pending) return pending;
      const made = build().then(({ type, body }): CachedAnswer => {
        const answer = { type, body, bytes: Buffer.byteLength(body), encodings: new Map() };
        keep(key, answer, answer.bytes);
        return answer;
      });
      building.set(key, made);
      try {
        return await made;
      } finally {
        building.delete(key);
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
  };
}
