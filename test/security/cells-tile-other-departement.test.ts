import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell } from '../../src/domain/grid/cell-tiles.ts';
import { cellsAppOver } from '../server/cells-app.ts';
import { NIMES, useTempDir, useTestApps, type Caller } from '../server/fixtures.ts';
import { BORDER_TILE as TILE, expectEachTheirOwn, surveyBorder, type CompactAnswer } from './two-departements-cells.ts';

/**
 * Attack: GET /api/v1/cells?tile= answers one tile of the grid, the same for every view of the
 * place, and the server keeps the page's tiles built from its start for the admin and each
 * département's reviewers (routes/cells.ts, cache/answer-warmer.ts). Were a tile's answer kept
 * under the tile alone, a Gard reviewer (or an agent, whose grid counts no residents' reports)
 * asking a tile across the border would be handed the Hérault's cells, or a 304 on the
 * Hérault's ETag, whether a request or the warmer built it. The key holds the caller's scope
 * and reports flag: each gets only their own answer and ETag, the kept ones included.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

/** The border's survey on an app keeping the tiles built from its start or not. */
async function borderApp({ atStart }: { atStart: boolean }) {
  const server = await cellsAppOver(openApp, { atStart });
  const get = (caller: Caller, headers: Record<string, string> = {}) => server.viewTile(TILE, caller, { headers });
  return { ...server, ...(await surveyBorder(server.app, { reports: true })), get };
}

/** Each caller's answer, asked twice in turns; each caller's ETag must be theirs alone. */
async function answersOf(get: (caller: Caller) => Promise<LightMyRequestResponse>, callers: Record<string, Caller>) {
  const answers = new Map<string, { etag: string; body: CompactAnswer }>();
  for (const round of [1, 2]) {
    for (const [who, caller] of Object.entries(callers)) {
      const response = await get(caller);
      expect(response.statusCode, response.body).toBe(200);
      const seen = { etag: response.headers.etag as string, body: response.json() as CompactAnswer };
      if (round === 2) expect(seen, who).toEqual(answers.get(who));
      answers.set(who, seen);
    }
  }
  return answers;
}

describe('a tile across the border, for each scope', () => {
  it('answers each caller their own cells and ETag when their requests build them', async () => {
    const { get, herault, gard, agent, admin } = await borderApp({ atStart: false });
    expect(tileOfCell(cellAt(NIMES.lon, NIMES.lat, 5000)!)).toEqual(TILE);
    const answers = await answersOf(get, { herault, gard, agent, admin });
    expectEachTheirOwn(answers);
    for (const [owner, caller] of [
      ['herault', gard],
      ['herault', agent],
      ['gard', herault],
      ['admin', herault],
    ] as const) {
      const borrowed = await get(caller, { 'if-none-match': answers.get(owner)!.etag });
      expect(borrowed.statusCode, `${owner}'s ETag`).toBe(200);
    }
  });

  it('answers each caller their own cells when the server kept the tiles built from its start', async () => {
    const { store, get, herault, gard, agent, admin, listen, nextPass } = await borderApp({ atStart: true });
    await listen();
    await nextPass(0);
    const groups = vi.spyOn(store, 'gridGroups');
    const kept = await answersOf(get, { herault, gard, admin });
    // Kept built for the reviewers and the admin; the agent's answer is their own build.
    expect(groups).not.toHaveBeenCalled();
    const answers = await answersOf(get, { herault, gard, agent, admin });
    expect(groups).toHaveBeenCalledTimes(1);
    for (const who of ['herault', 'gard', 'admin']) expect(answers.get(who)).toEqual(kept.get(who));
    expectEachTheirOwn(answers);
  });
});
