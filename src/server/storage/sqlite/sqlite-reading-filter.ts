import type { ReadingFilter, ReadingScope } from '../reading-store.ts';

/**
 * The SQL of a ReadingFilter's parts other than the box (which the callers write, through
 * the R*Tree or the position index), over `readings r`, and their named parameters.
 */

/** since, operators, technologies: each parameter is NULL when that part is absent. */
export const FILTER_SQL = `(@since IS NULL OR r.recorded_at_ms >= @since)
  AND (@operators IS NULL OR r.operator IN (SELECT value FROM json_each(@operators)))
  AND (@technologies IS NULL OR r.technology IN (SELECT value FROM json_each(@technologies)))`;

export const SCOPE_SQL: Record<ReadingScope['kind'], string> = {
  all: '',
  departement: 'AND r.departement = @departement',
  agent: 'AND (r.account_id = @accountId OR r.commune IN (SELECT value FROM json_each(@communes)))',
};

export function filterParams({ since, operators, technologies, scope = { kind: 'all' } }: ReadingFilter): Record<string, unknown> {
  const sinceMs = since === undefined ? null : Date.parse(since);
  if (Number.isNaN(sinceMs)) throw new RangeError(`since is not a date: ${since}`);
  const params: Record<string, unknown> = {
    since: sinceMs,
    operators: operators === undefined ? null : JSON.stringify(operators),
    technologies: technologies === undefined ? null : JSON.stringify(technologies),
  };
  if (scope.kind === 'departement') params.departement = scope.departement;
  if (scope.kind === 'agent') Object.assign(params, { accountId: scope.accountId, communes: JSON.stringify(scope.communes) });
  return params;
}

/**
 * A box over a position R*Tree `p` joined to its rows `r` (readings or reports), with the
 * parameters @minLon, @minLat, @maxLon, @maxLat. The R*Tree stores 32-bit floats rounded
 * outwards, so it finds a superset of the points in the box; the comparisons on lon/lat then
 * keep the exact answer. Their unary + keeps SQLite from scanning the position index
 * (migration 6) instead of the R*Tree: for the small boxes pages are asked for, the R*Tree is
 * faster.
 */
export const IN_BBOX = `
  p.min_lon <= @maxLon AND p.max_lon >= @minLon AND p.min_lat <= @maxLat AND p.max_lat >= @minLat
  AND +r.lon BETWEEN @minLon AND @maxLon AND +r.lat BETWEEN @minLat AND @maxLat`;
