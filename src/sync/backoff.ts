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
