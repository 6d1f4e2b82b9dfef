import { CELLS_STALE_SECONDS } from '../../domain/grid/cells-staleness.ts';

/** When this page last changed something on the server: a state-changing call, or readings sent. */
let lastOwnChangeAt = Number.NEGATIVE_INFINITY;

/** Says that this page (or this device's sender) has just changed something on the server. */
export function noteOwnChange(now = Date.now()): void {
  lastOwnChangeAt = now;
}

/**
 * How to ask for a view of the coverage grid. Usually `default`: the browser revalidates with
 * its ETag (a 304 costs no body) and the server may answer a seconds-old view while it builds
 * the newest. For {@link CELLS_STALE_SECONDS} after this page's own change (a hidden report, a
 * zone, readings sent) `no-cache`: the person expects to see what they just did.
 */
export function gridViewCacheMode(now = Date.now()): RequestCache {
  return now - lastOwnChangeAt < CELLS_STALE_SECONDS * 1000 ? 'no-cache' : 'default';
}
