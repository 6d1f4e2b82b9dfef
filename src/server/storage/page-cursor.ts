import { InvalidCursorError } from './reading-store.ts';

/**
 * Paging cursors (for readings and reports alike, in both stores): the seq of the last row of
 * the previous page, base64url. Opaque to clients, so that its form can change; decoding
 * insists on the exact form made here.
 *
 * With several writers (PostgreSQL) a seq is drawn before its transaction commits, so a row
 * may commit after one with a larger seq: a client paging at that very moment can miss it
 * (the SQLite store, one writer at a time, cannot).
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

/**
 * A page from rows in seq order fetched as `limit` + 1 (by every paged query of both stores):
 * the first `limit`, and a cursor past the last of them only when the extra row tells that
 * more follow.
 */
export function pageOf<Row extends { seq: number }>(rows: readonly Row[], limit: number): { rows: Row[]; nextCursor?: string } {
  if (rows.length <= limit) return { rows: [...rows] };
  const kept = rows.slice(0, limit);
  return { rows: kept, nextCursor: encodeCursor(kept[kept.length - 1]!.seq) };
}

/** The seq after which a page starts: 0 without a cursor (the first page). */
export function afterSeq(cursor: string | undefined): number {
  return cursor === undefined ? 0 : decodeCursor(cursor);
}
