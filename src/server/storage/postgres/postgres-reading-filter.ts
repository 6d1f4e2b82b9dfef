import type { Bbox } from '../../../domain/geojson.ts';
import { InvalidCursorError, type ReadingFilter, type ReadingScope } from '../reading-store.ts';

/**
 * The SQL of a ReadingFilter over `readings r`, as sqlite-reading-filter.ts writes it for
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

/**
 * Paging cursors, in the SQLite store's form (for readings and reports alike): the seq of the
 * last row of the previous page, base64url. Opaque to clients, so that its form can change;
 * decoding insists on the exact form made here.
 *
 * With several writers a seq is drawn before its transaction commits, so a row may commit
 * after one with a larger seq: a client paging at that very moment can miss it (the SQLite
 * store, one writer at a time, cannot).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(seq) || encodeCursor(seq) !== cursor) {
    throw new InvalidCursorError(`Not a cursor made by this store: ${cursor}`);
  }
  return seq;
}
