import type { GridView } from '../routes/grid-params.ts';
import type { GridScope } from '../storage/grid-store.ts';

/**
 * What a GET /api/v1/cells answer depends on, as one string: the store's grid version
 * (storage/grid-version.ts), the format, the view as parsed (so that spellings of the same
 * query meet), and the caller's scope and whether it counts residents' reports — two callers
 * who may see different things never share a key, hence never an answer nor an ETag. The app's own settings (verdict thresholds, communes)
 * are fixed for a process and its cache.
 */
export function cellsAnswerKey(version: string, format: string, view: GridView, scope: GridScope, residentReports: boolean): string {
  const sorted = (values: readonly string[] | undefined) => (values === undefined ? null : [...values].sort());
  const { bbox, filter, resolutionM, fromMonth = null, toMonth = null } = view;
  const normalised = {
    bbox: [bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat],
    resolutionM,
    operators: sorted(filter.operators),
    technologies: sorted(filter.technologies),
    settings: sorted(filter.settings),
    fromMonth,
    toMonth,
  };
  const who = `${scope.kind === 'all' ? 'all' : `departements:${sorted(scope.departements)!.join(',')}`}${residentReports ? '' : ':sans-signalements'}`;
  return `cells|${version}|${format}|${who}|${JSON.stringify(normalised)}`;
}
