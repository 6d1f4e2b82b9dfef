import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import type { WarmPass } from '../../src/server/cache/answer-warmer.ts';
import { openStore } from '../../src/server/storage/open-store.ts';
import { addUser, makeReport, NIMES, postReports, SAINT_GUILHEM, useTempDir, useTestApps, type Caller } from '../server/fixtures.ts';
import { departementsIn, surveyTwoDepartements } from './two-departements-cells.ts';

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

/** 250 km tiles at 5 km: one holds Saint-Guilhem (34) and Nîmes (30). */
const TILE: CellTile = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 5000)!);

type Compact = { cells: { commune: { code: string } | null; residentReports: number }[] };
const reportsIn = (body: Compact) => body.cells.reduce((sum, cell) => sum + cell.residentReports, 0);

describe('the tiles kept in the database, across the border', () => {
  it('answers each caller of a restarted process their own cells and ETag, never another scope’s stored answer', async () => {
    const passes: WarmPass[] = [];
    const first = await openApp({ cellsWarm: { minutes: 15, quietMs: 20, atStart: true, onPass: (pass) => passes.push(pass) } });
    const { herault, gard, agent } = await surveyTwoDepartements(first.app);
    const admin = await addUser(first.app, { role: 'admin' });
    expect((await postReports(first.app, [makeReport({ ...SAINT_GUILHEM }), makeReport({ ...NIMES })])).statusCode).toBe(200);
    await first.app.listen({ port: 0, host: '127.0.0.1' });
    await vi.waitFor(() => expect(passes.length).toBeGreaterThan(0), { timeout: 15_000, interval: 20 });
    const kept = new Map<string, string>();
    for (const [who, caller] of Object.entries({ herault, gard, admin })) {
      const response = await first.app.inject({ method: 'GET', url: cellsTileUrl(DEFAULT_FILTERS, TILE), headers: caller.headers });
      kept.set(who, response.headers.etag as string);
    }
    await first.app.close();

    // Restarted: nothing in memory, the rows of the Hérault's, the Gard's and the admin's views in the database.
    const second = await openApp({ store: await openStore(first.location) });
    const get = (caller: Caller, headers: Record<string, string> = {}) =>
      second.app.inject({ method: 'GET', url: cellsTileUrl(DEFAULT_FILTERS, TILE), headers: { ...caller.headers, ...headers } });
    // Each asks first with another scope's ETag: never a 304 on it.
    for (const [caller, owner] of [
      [gard, 'herault'],
      [agent, 'herault'],
      [herault, 'gard'],
      [herault, 'admin'],
    ] as const) {
      expect((await get(caller, { 'if-none-match': kept.get(owner)! })).statusCode, `${owner}'s ETag`).toBe(200);
    }
    const answers = new Map<string, { etag: string; body: Compact }>();
    for (const [who, caller] of Object.entries({ agent, gard, herault, admin })) {
      const response = await get(caller);
      expect(response.statusCode, response.body).toBe(200);
      answers.set(who, { etag: response.headers.etag as string, body: response.json() as Compact });
    }
    expect(departementsIn(answers.get('herault')!.body)).toEqual(['34']);
    expect(departementsIn(answers.get('gard')!.body)).toEqual(['30']);
    expect(departementsIn(answers.get('agent')!.body)).toEqual(['34']);
    expect(departementsIn(answers.get('admin')!.body).sort()).toEqual(['30', '34']);
    expect(reportsIn(answers.get('herault')!.body)).toBe(1);
    expect(reportsIn(answers.get('agent')!.body)).toBe(0);
    expect(new Set([...answers.values()].map((answer) => answer.etag)).size).toBe(4);
    // The reviewers' and the admin's answers are those kept for them before the restart.
    for (const who of ['herault', 'gard', 'admin']) expect(answers.get(who)!.etag, who).toBe(kept.get(who));
  });
});
