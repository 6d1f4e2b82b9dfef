import type { CellsView } from '../routes/grid-params.ts';
import type { GridScope } from '../storage/grid-store.ts';

/**
 * What a GET /api/v1/cells answer depends on besides the data, as one string: the format, the
 * view as parsed (so that spellings of the same query meet), and the caller's scope and whether
 * it counts residents' reports — two callers who may see different things never share a query,
 * hence never an answer, a stale answer nor an ETag. The app's own settings (verdict
 * thresholds, communes) are fixed for a process and its cache.
 */
export function cellsQueryKey(format: string, view: CellsView, scope: GridScope, residentReports: boolean): string {
  const sorted = (values: readonly string[] | undefined) => (values === undefined ? null : [...values].sort());
  const { bbox, tile, filter, resolutionM, fromMonth = null, toMonth = null } = view;
  const normalised = {
    // A tile's resolution is the view's (parseCellsView): its corner names it.
    ...(bbox ? { bbox: [bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat] } : { tile: [tile.east, tile.north] }),
    resolutionM,
    operators: sorted(filter.operators),
    technologies: sorted(filter.technologies),
    settings: sorted(filter.settings),
    fromMonth,
    toMonth,
  };
  const who = `${scope.kind === 'all' ? 'all' : `departements:${sorted(scope.departements)!.join(',')}`}${residentReports ? '' : ':sans-signalements'}`;
  return `${format}|${who}|${JSON.stringify(normalised)}`;
}

/** The key of the answer to `query` (from {@link cellsQueryKey}) built from the store's grid version (storage/grid-version.ts). */
export function cellsAnswerKey(version: string, query: string): string {
  return `cells|${version}|${query}`;
}
