import type { Bbox } from '../../../domain/geojson.ts';
import type { ReadingFilter, ReadingScope } from '../reading-store.ts';

/**
 * The SQL of a ReadingFilter over `readings r`, as sqlite/sqlite-reading-filter.ts writes it for
 * SQLite, with positional parameters. Absent parts add no SQL at all (rather than
 * `$n IS NULL OR …`), so that PostgreSQL plans each query for the filters it really has.
 */

/** Positional parameters gathered while a statement's SQL is written. */
export class Params {
  readonly values: unknown[] = [];
  /** `$n` for `value`, with a cast so that PostgreSQL never has to guess an array's type. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast === undefined ? `$${this.values.length}` : `$${this.values.length}::${cast}`;
  }
}

/** Bounds included, as the SQLite store's R*Tree check; served by the position index (lat, lon). */
export function bboxSql(params: Params, bbox: Bbox, alias = 'r'): string {
  return `${alias}.lat BETWEEN ${params.add(bbox.minLat, 'float8')} AND ${params.add(bbox.maxLat, 'float8')}
    AND ${alias}.lon BETWEEN ${params.add(bbox.minLon, 'float8')} AND ${params.add(bbox.maxLon, 'float8')}`;
}

export function scopeSql(params: Params, scope: ReadingScope = { kind: 'all' }): string {
  switch (scope.kind) {
    case 'all':
      return '';
    case 'departement':
      return ` AND r.departement = ${params.add(scope.departement)}`;
    case 'agent':
      return ` AND (r.account_id = ${params.add(scope.accountId)} OR r.commune = ANY(${params.add(scope.communes, 'text[]')}))`;
  }
}

/** since, operators, technologies and scope, each as ` AND …` (empty when the filter has none). */
export function filterSql(params: Params, { since, operators, technologies, scope }: ReadingFilter): string {
  let sql = '';
  if (since !== undefined) {
    const sinceMs = Date.parse(since);
    if (Number.isNaN(sinceMs)) throw new RangeError(`since is not a date: ${since}`);
    sql += ` AND r.recorded_at_ms >= ${params.add(sinceMs, 'bigint')}`;
  }
  if (operators !== undefined) sql += ` AND r.operator = ANY(${params.add(operators, 'text[]')})`;
  if (technologies !== undefined) sql += ` AND r.technology = ANY(${params.add(technologies, 'text[]')})`;
  return sql + scopeSql(params, scope);
}
