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
 * Whether a later automatic try could do better than this flush: yes after a network or
 * server fault with items still waiting; no when the readings wait for a sign-in (time does
 * not cure that: the sign-in itself resumes sending), unless reports failed too.
 */
export function worthRetrying(result: FlushResult): boolean {
  const readings = result.error !== undefined && result.pending > 0 && !result.authRequired;
  const reports = result.reports?.error !== undefined && result.reports.pending > 0;
  return readings || reports;
}
