/**
 * What every app process must share so that several of them behind one reverse proxy behave
 * as one: request counters for rate limits and sign-in failures, and the secrets that key
 * them. Kept in the database, never in a process's memory.
 */

export interface HitCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends (epoch ms); the next hit after it starts a new one at 1. */
  resetAtMs: number;
}

export interface CounterStore {
  /**
   * Counts one hit on `key` in fixed windows of `windowMs` starting at the key's first hit:
   * atomic, so that two processes counting the same key at once both see the other's hit.
   */
  countHit(key: string, windowMs: number, nowMs: number): Promise<HitCount>;
  /** The key's current window without counting a hit; undefined when none is running. */
  peekHits(key: string, nowMs: number): Promise<HitCount | undefined>;
  clearHits(key: string): Promise<void>;
  /** Forgets windows ended before `nowMs`; answers how many. */
  deleteEndedCounters(nowMs: number): Promise<number>;
  /**
   * The deployment's secret called `name`: made at random (32 bytes) by the first process
   * that asks, then the same for every process and every restart.
   */
  serverSecret(name: string): Promise<Buffer>;
}
