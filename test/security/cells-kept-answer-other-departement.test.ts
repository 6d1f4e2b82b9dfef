import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/server/storage/open-store.ts';
import { cellsAppOver } from '../server/cells-app.ts';
import { useTempDir, useTestApps, type Caller } from '../server/fixtures.ts';
import { BORDER_TILE as TILE, expectEachTheirOwn, surveyBorder, type CompactAnswer } from './two-departements-cells.ts';

/**
 * Attack: the server keeps the page's tile answers in the database (cache/stored-answers.ts),
 * where a restarted process, or another one, loads them instead of building. Were a stored
 * answer found by its tile and filters alone, a Gard reviewer (or an agent, whose grid counts
 * no residents' reports) asking a tile across the border after a restart would be handed the
 * Hérault's cells the warmer kept for the Hérault's reviewers, or a 304 on their ETag. A row is
 * found by its whole query, the caller's scope and reports flag included: each gets their own.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the tiles kept in the database, across the border', () => {
  it('answers each caller of a restarted process their own cells and ETag, never another scope’s stored answer', async () => {
    const first = await cellsAppOver(openApp, { atStart: true });
    const { herault, gard, agent, admin } = await surveyBorder(first.app, { reports: true });
    await first.listen();
    await first.nextPass(0);
    const kept = new Map<string, string>();
    for (const [who, caller] of Object.entries({ herault, gard, admin })) {
      const response = await first.viewTile(TILE, caller);
      kept.set(who, response.headers.etag as string);
    }
    await first.app.close();

    // Restarted: nothing in memory, the rows of the Hérault's, the Gard's and the admin's views in the database.
    const second = await cellsAppOver(openApp, { store: await openStore(first.location) });
    const get = (caller: Caller, headers: Record<string, string> = {}) => second.viewTile(TILE, caller, { headers });
    // Each asks first with another scope's ETag: never a 304 on it.
    for (const [caller, owner] of [
      [gard, 'herault'],
      [agent, 'herault'],
      [herault, 'gard'],
      [herault, 'admin'],
    ] as const) {
      expect((await get(caller, { 'if-none-match': kept.get(owner)! })).statusCode, `${owner}'s ETag`).toBe(200);
    }
    const answers = new Map<string, { etag: string; body: CompactAnswer }>();
    for (const [who, caller] of Object.entries({ agent, gard, herault, admin })) {
      const response = await get(caller);
      expect(response.statusCode, response.body).toBe(200);
      answers.set(who, { etag: response.headers.etag as string, body: response.json() as CompactAnswer });
    }
    expectEachTheirOwn(answers);
    // The reviewers' and the admin's answers are those kept for them before the restart.
    for (const who of ['herault', 'gard', 'admin']) expect(answers.get(who)!.etag, who).toBe(kept.get(who));
  });
});
