import type { FlushResult } from './protocol.ts';

export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 5 * 60_000;

/**
 * Delay before the next automatic try after `failures` failed ones in a row: doubling from
 * 5 s up to 5 min, with jitter so that a département's phones coming back online together
 * do not all hit the server in the same second.
 */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * The wait a busy server asked for in its `Retry-After` header (seconds, or an HTTP date),
 * in milliseconds, kept within [1 s, MAX_RETRY_MS]; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  // An HTTP date always ends in GMT; anything else Date.parse would read is a guess.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /GMT$/.test(text) ? Date.parse(text) - now : Number.NaN;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_MS, Math.max(1000, ms));
}

/**
 * Delay before the next automatic try: the server's own `Retry-After` when it gave one (it
 * knows when it will have room: a busy server's phones otherwise back off to minutes and the
 * last of them finish long after it is free), spread over up to half as long again so that the
 * phones it turned away together do not come back together; else {@link retryDelay}.
 */
export function nextTryDelay(failures: number, serverAskedMs: number | undefined, random: () => number = Math.random): number {
  if (serverAskedMs === undefined) return retryDelay(failures, random);
  return Math.min(MAX_RETRY_MS, Math.round(serverAskedMs * (1 + random() / 2)));
}

/**
 * Whether a later automatic try could do better than this flush: yes after a network or
 * server fault with items still waiting; no when the readings wait for a sign-in (time does
 * not cure that: the sign-in itself resumes sending), unless reports failed too.
 */
export function worthRetrying(result: FlushResult): boolean {
  const readings = result.error !== undefined && result.pending > 0 && !result.authRequired;
  const reports = result.reports?.error !== undefined && result.reports.pending > 0;
  return readings || reports;
}
