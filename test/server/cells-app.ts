import type { LightMyRequestResponse } from 'fastify';
import { expect, vi } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS, type CoverageFilters } from '../../src/app/cells/coverage-filters.ts';
import { wholeRange } from '../../src/domain/grid/cell-range.ts';
import type { CellTile } from '../../src/domain/grid/cell-tiles.ts';
import type { AppOptions } from '../../src/server/app.ts';
import type { WarmPass } from '../../src/server/cache/answer-warmer.ts';
import type { GridQuery } from '../../src/server/storage/grid-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import type { Caller, TestApp } from './fixtures.ts';

/**
 * The app of the cells tests whose answers the warmer rebuilds (routes/cells.ts,
 * cache/answer-warmer.ts), over a new store or another process's: short quiet time, every pass
 * recorded, waited for rather than slept on. Shared by test/server/cells-*.test.ts and
 * test/security/cells-*.test.ts.
 */
export interface CellsApp extends TestApp {
  /** The warmer's passes, in order. */
  passes: WarmPass[];
  /** Waits for the pass after the first `seen` ones; that pass. */
  nextPass(seen: number): Promise<WarmPass>;
  /** Waits until the passes after the first `seen` ones rebuilt `answers` answers or more. */
  rebuiltSince(seen: number, answers: number): Promise<void>;
  /** The page's request for `tile` (src/app's own URL), as `caller`. */
  viewTile(tile: CellTile, caller: Caller, request?: { filters?: CoverageFilters; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Listens on a free port of the loopback: what starts the warmer's kept tiles (`atStart`). */
  listen(): Promise<void>;
}

export interface CellsAppOptions {
  /** Another process on this store's database (openStore of a first app's `location`); default a new store. */
  store?: Store;
  /** Keep the page's tiles built from the start (routes/cells.ts's `warm.atStart`). */
  atStart?: boolean;
  /** `cellsStaleSeconds` (fixtures' default 0). */
  staleSeconds?: number;
  /** The app's clock (fixtures' default NOW). */
  now?: () => number;
}

/** How long a test waits for a pass of the warmer. */
const PASS_WAIT = { timeout: 15_000, interval: 20 };

/** A warming app opened by `open` (the file's useTestApps, or openTestApp in a beforeAll). */
export async function cellsAppOver(open: (options: Partial<AppOptions>) => Promise<TestApp>, options: CellsAppOptions = {}): Promise<CellsApp> {
  const passes: WarmPass[] = [];
  const server = await open({
    ...(options.store && { store: options.store }),
    ...(options.staleSeconds !== undefined && { cellsStaleSeconds: options.staleSeconds }),
    ...(options.now && { now: options.now }),
    cellsWarm: { minutes: 15, quietMs: 20, atStart: options.atStart ?? false, onPass: (pass) => passes.push(pass) },
  });
  return {
    ...server,
    passes,
    nextPass: (seen) =>
      vi.waitFor(() => {
        expect(passes.length).toBeGreaterThan(seen);
        return passes[seen]!;
      }, PASS_WAIT),
    rebuiltSince: (seen, answers) =>
      vi.waitFor(() => {
        expect(passes.slice(seen).reduce((sum, pass) => sum + pass.rebuilt, 0)).toBeGreaterThanOrEqual(answers);
      }, PASS_WAIT),
    viewTile: (tile, caller, { filters = DEFAULT_FILTERS, headers = {} } = {}) =>
      server.app.inject({ method: 'GET', url: cellsTileUrl(filters, tile), headers: { ...caller.headers, ...headers } }),
    listen: async () => {
      await server.app.listen({ port: 0, host: '127.0.0.1' });
    },
  };
}

/**
 * Counts the builds of tiles' answers on `store`: its reads of grid rows, but the warmer's list of
 * tiles with data (the 10 km rows of all France).
 */
export function countTileBuilds(store: Store): () => number {
  const whole = wholeRange(10_000);
  const listing = (query: GridQuery) => query.resolutionM === 10_000 && query.north[0] === whole.north[0] && query.east[0] === whole.east[0];
  const groups = vi.spyOn(store, 'gridGroups');
  return () => groups.mock.calls.filter(([query]) => !listing(query)).length;
}
