/**
 * `filters` moment of bench/cells-tiles.ts (BENCH_CELLS_TILE_STATES=filters): the views a reviewer
 * gets by switching the map's filters away from the page's default (4G alone, outdoors alone, the
 * last three months), built cold by an app keeping nothing, beside the default view built the same
 * way in the same run, the filters taking turns first so that the machine's load weighs on all;
 * then, for one view of each, where a cold build's time goes, tile after tile, summed:
 *
 * - rows: the store's reads of the grid rows and residents' report counts (`gridGroups`, `gridReports`),
 *   their stored statistics decoded (`JSON.parse`) included;
 * - judged: folding those rows into cells × operators and their verdicts (`judgeStoredCells` less its reads);
 * - text: the rest of the request, answered without compression (people, declared coverage, each
 *   cell's place and compact figures, `JSON.stringify`, the route itself);
 * - brotli: the answer's text compressed as the server does (quality 5, text mode), on its own.
 *
 * The app given keeps nothing and loads nothing kept in the database (bench/cells-tiles.ts's
 * `coldApp`): the `restart` moment times the views kept (routes/cells.ts's keptTileViews).
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { loadavg } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { cellsTileUrl, DEFAULT_FILTERS, type CoverageFilters, type LonLatBounds } from '../src/app/cells/coverage-filters.ts';
import { tilesInSight } from '../src/app/cells/view-tiles.ts';
import { tileRange } from '../src/domain/grid/cell-tiles.ts';
import { DEFAULT_VERDICT_OPTIONS } from '../src/domain/grid/cell-verdict.ts';
import { judgeStoredCells } from '../src/server/grid/coverage.ts';
import { pageTileView } from '../src/server/routes/cells.ts';
import type { GridStore } from '../src/server/storage/grid-store.ts';
import type { Store } from '../src/server/storage/store.ts';
import { percentile } from './percentile.ts';

/** The filters timed, each beside the page's default. */
export const FILTERED_VIEWS: [string, CoverageFilters][] = [
  ['the page’s default', DEFAULT_FILTERS],
  ['4G alone', { ...DEFAULT_FILTERS, technology: '4G' }],
  ['outdoors alone', { ...DEFAULT_FILTERS, setting: 'outdoor' }],
  // The generated readings span the six months before 2026-05-04 (herault-readings.ts).
  ['2026-03 to 2026-05', { ...DEFAULT_FILTERS, from: '2026-03', to: '2026-05' }],
];

const BROTLI_AS_SERVED = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

type AskAll = (app: FastifyInstance, headers: Record<string, string>, urls: string[]) => Promise<{ ms: number; bytes: number }>;

/** The cold views of `cases` for each filter (`runs` each, after one warm-up round), then one view's phases per filter. */
export async function timeFilteredViews(
  store: Store,
  coldApp: FastifyInstance,
  headers: Record<string, string>,
  cases: { name: string; box: LonLatBounds; resolutionM: number }[],
  runs: number,
  askAll: AskAll,
): Promise<void> {
  for (const { name, box, resolutionM } of cases) {
    const tiles = tilesInSight(box, resolutionM);
    console.log(
      `cold filtered views, ${name}: ${tiles.length} tiles, ${runs} views each, nothing kept (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    const times = FILTERED_VIEWS.map(() => [] as number[]);
    const bytes = FILTERED_VIEWS.map(() => 0);
    for (let i = 0; i <= runs; i += 1) {
      for (let k = 0; k < FILTERED_VIEWS.length; k += 1) {
        const v = (i + k) % FILTERED_VIEWS.length;
        const view = await askAll(
          coldApp,
          headers,
          tiles.map((tile) => cellsTileUrl(FILTERED_VIEWS[v]![1], tile)),
        );
        if (i === 0) continue; // a warm-up
        times[v]!.push(view.ms);
        bytes[v] = view.bytes;
      }
    }
    FILTERED_VIEWS.forEach(([label], v) => {
      const sorted = times[v]!.sort((a, b) => a - b);
      console.log(
        `  ${label}: median ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, ${(bytes[v]! / 1e6).toFixed(3)} MB brotli`,
      );
    });
    for (const [label, filters] of FILTERED_VIEWS) {
      const phases = await buildPhases(store, coldApp, headers, tiles, filters);
      console.log(
        `  where one cold view's time goes, ${label} (tile after tile): rows ${phases.rows.toFixed(0)} ms (${phases.rowCount.toLocaleString('en')} rows), ` +
          `judged ${phases.judged.toFixed(0)} ms (${phases.cells.toLocaleString('en')} cells), text ${phases.text.toFixed(0)} ms (${(phases.textBytes / 1e6).toFixed(1)} MB), ` +
          `brotli ${phases.brotli.toFixed(0)} ms`,
      );
    }
  }
}

/** One cold build of each tile of the view, by phases (see the top), summed over the tiles. */
async function buildPhases(
  store: Store,
  coldApp: FastifyInstance,
  headers: Record<string, string>,
  tiles: ReturnType<typeof tilesInSight>,
  filters: CoverageFilters,
) {
  const sums = { rows: 0, rowCount: 0, judged: 0, cells: 0, text: 0, textBytes: 0, brotli: 0 };
  // The two reads run together (each may wait for a roll-up): the phase ends when the last one has.
  let readsEnd = 0;
  const timedReads: Pick<GridStore, 'gridGroups' | 'gridReports'> = {
    gridGroups: async (query) => {
      const rows = await store.gridGroups(query);
      readsEnd = performance.now();
      sums.rowCount += rows.length;
      return rows;
    },
    gridReports: async (query) => {
      const rows = await store.gridReports(query);
      readsEnd = Math.max(readsEnd, performance.now());
      return rows;
    },
  };
  for (const tile of tiles) {
    const view = pageTileView(tile, filters);
    const start = performance.now();
    const judged = await judgeStoredCells(
      timedReads as GridStore,
      {
        range: tileRange(tile),
        scope: { kind: 'departements', departements: ['34'] },
        filter: view.filter,
        ...(view.fromMonth && { fromMonth: view.fromMonth }),
        ...(view.toMonth && { toMonth: view.toMonth }),
      },
      DEFAULT_VERDICT_OPTIONS,
    );
    const judgedMs = performance.now() - start;
    sums.rows += readsEnd - start;
    sums.judged += judgedMs - (readsEnd - start);
    sums.cells += judged.length;
    const answered = performance.now();
    const plain = await coldApp.inject({ method: 'GET', url: cellsTileUrl(filters, tile), headers: { ...headers, 'accept-encoding': 'identity' } });
    if (plain.statusCode !== 200) throw new Error(`${tile.east},${tile.north}: expected 200, got ${plain.statusCode}`);
    // The request read and judged the same rows again: what is left is its text.
    sums.text += Math.max(0, performance.now() - answered - judgedMs);
    sums.textBytes += plain.rawPayload.length;
    const compressing = performance.now();
    brotliCompressSync(plain.rawPayload, BROTLI_AS_SERVED);
    sums.brotli += performance.now() - compressing;
  }
  return sums;
}
