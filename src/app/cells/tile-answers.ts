/**
 * The coverage map's memory of the tiles it was answered (by URL, so of one set of filters and
 * one resolution), so that panning back to a tile just seen asks nothing. Bounded: beyond
 * `limit` tiles the one used longest ago goes. An answer is used for `maxAgeMs` at most after it
 * arrived: no older than what the server itself may answer while it rebuilds (CELLS_STALE_SECONDS);
 * after that the tile is asked again (the browser revalidates it: a 304 when nothing changed).
 */
export interface TileAnswers<T> {
  /** The answer kept for `url`, if it is young enough; it becomes the most recently used. */
  get(url: string, now?: number): T | undefined;
  set(url: string, answer: T, now?: number): void;
  clear(): void;
  readonly size: number;
}

export function createTileAnswers<T>({ limit, maxAgeMs }: { limit: number; maxAgeMs: number }): TileAnswers<T> {
  // A Map iterates in insertion order: deleting and setting again makes an entry the newest.
  const kept = new Map<string, { answer: T; at: number }>();
  return {
    get(url, now = Date.now()) {
      const entry = kept.get(url);
      if (!entry) return undefined;
      kept.delete(url);
      if (now - entry.at > maxAgeMs) return undefined;
      kept.set(url, entry);
      return entry.answer;
    },
    set(url, answer, now = Date.now()) {
      kept.delete(url);
      // Too old to be used again: not worth the memory either (a dense tile is thousands of cells).
      for (const [other, entry] of kept) if (now - entry.at > maxAgeMs) kept.delete(other);
      kept.set(url, { answer, at: now });
      while (kept.size > limit) kept.delete(kept.keys().next().value!);
    },
    clear() {
      kept.clear();
    },
    get size() {
      return kept.size;
    },
  };
}
