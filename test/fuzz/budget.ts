/**
 * How much to throw. `npm run test:fuzz` sets FUZZ_RUNS high (≥ 10,000 requests in all);
 * `npm test` runs the same properties with the small default, so a regression is still caught
 * on every run without slowing it much. FUZZ_SEED replays a failure fast-check reported.
 */
export const FUZZ_RUNS = positive(process.env.FUZZ_RUNS, 600);
/**
 * `npm test` always throws the same inputs (a fixed seed), so CI never turns red on an input
 * nobody changed the code for; `npm run test:fuzz` explores new ones each run (no seed) and
 * prints the seed of any failure, which FUZZ_SEED replays.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS === undefined ? 20261129 : undefined;

function positive(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS=« ${text} » : attendu un entier positif`);
  return n;
}

/** fast-check's options for one property given its share of the budget. */
export function runs(share: number): { numRuns: number; seed?: number } {
  return { numRuns: Math.max(1, Math.ceil(share)), ...(FUZZ_SEED !== undefined && { seed: FUZZ_SEED }) };
}
