import type { RouteKey } from '../../src/server/access/route-access.ts';

/**
 * Runs of the API fuzz (api.test.ts) that failed with a random seed, as fast-check reported
 * them: `seed` and `path` of the route's property. api.test.ts replays each one on every
 * `npm test`. Add a line whenever `npm run test:fuzz` finds something, then fix it.
 */
export interface FailedRun {
  route: RouteKey;
  seed: number;
  path: string;
  /** What it found, and where it was fixed. */
  found: string;
}

export const FAILED_RUNS: FailedRun[] = [
  {
    route: 'PATCH /api/v1/users/:id',
    seed: 508192870,
    path: '79:1:32:1:2:2',
    found: 'a body field named « undefined » echoed unquoted in « Champs inconnus : undefined », taken for English (issue 14)',
  },
];
