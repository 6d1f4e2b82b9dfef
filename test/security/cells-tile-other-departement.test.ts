import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS } from '../../src/app/cells/coverage-filters.ts';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import type { WarmPass } from '../../src/server/cache/answer-warmer.ts';
import { addUser, makeReport, NIMES, postReports, SAINT_GUILHEM, useTempDir, useTestApps, type Caller } from '../server/fixtures.ts';
import { departementsIn, surveyTwoDepartements } from './two-departements-cells.ts';

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

/** 250 km tiles at 5 km: one holds Saint-Guilhem (34) and Nîmes (30). */
const TILE: CellTile = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 5000)!);

type Compact = { cells: { commune: { code: string } | null; residentReports: number }[] };
const reportsIn = (body: Compact) => body.cells.reduce((sum, cell) => sum + cell.residentReports, 0);

async function borderApp(warm: { atStart: boolean; onPass?: (pass: WarmPass) => void }) {
  const server = await openApp({ cellsWarm: { minutes: 15, quietMs: 20, ...warm } });
  const survey = await surveyTwoDepartements(server.app);
  const admin = await addUser(server.app, { role: 'admin' });
  expect((await postReports(server.app, [makeReport({ ...SAINT_GUILHEM }), makeReport({ ...NIMES })])).statusCode).toBe(200);
  const get = (caller: Caller, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url: cellsTileUrl(DEFAULT_FILTERS, TILE), headers: { ...caller.headers, ...headers } });
  return { ...server, ...survey, admin, get };
}

/** Each caller's answer, asked twice in turns; each caller's ETag must be theirs alone. */
async function answersOf(get: (caller: Caller) => Promise<LightMyRequestResponse>, callers: Record<string, Caller>) {
  const answers = new Map<string, { etag: string; body: Compact }>();
  for (const round of [1, 2]) {
    for (const [who, caller] of Object.entries(callers)) {
      const response = await get(caller);
      expect(response.statusCode, response.body).toBe(200);
      const seen = { etag: response.headers.etag as string, body: response.json() as Compact };
      if (round === 2) expect(seen, who).toEqual(answers.get(who));
      answers.set(who, seen);
    }
  }
  return answers;
}

function expectEachTheirOwn(answers: Map<string, { etag: string; body: Compact }>) {
  expect(departementsIn(answers.get('herault')!.body)).toEqual(['34']);
  expect(departementsIn(answers.get('gard')!.body)).toEqual(['30']);
  expect(departementsIn(answers.get('agent')!.body)).toEqual(['34']);
  expect(departementsIn(answers.get('admin')!.body).sort()).toEqual(['30', '34']);
  expect(reportsIn(answers.get('herault')!.body)).toBe(1);
  expect(reportsIn(answers.get('agent')!.body)).toBe(0);
  expect(new Set([...answers.values()].map((answer) => answer.etag)).size).toBe(4);
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
    const passes: WarmPass[] = [];
    const { app, store, get, herault, gard, agent, admin } = await borderApp({ atStart: true, onPass: (pass) => passes.push(pass) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await vi.waitFor(() => expect(passes.length).toBeGreaterThan(0), { timeout: 15_000, interval: 20 });
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
