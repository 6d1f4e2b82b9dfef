import type { StoredStats } from '../../../domain/grid/stored-stats.ts';
import type { Operator } from '../../../domain/operators.ts';
import type { ColumnValue } from '../insert-columns.ts';
import type { PlaceRow } from '../place-rules.ts';
import type { AuditRow, CampaignRow, GroupRow, ReadingRow, ReportRow, UserRow, ZoneRow } from '../rows.ts';

/**
 * The shared rows (rows.ts) as SQLite returns them: JSON columns as text, booleans as 0 or 1;
 * and back to the shared form, which the mappers of rows.ts take.
 */
type AsSqlite<Row, Json extends keyof Row, Flag extends keyof Row = never> = Omit<Row, Json | Flag> & Record<Json, string> & Record<Flag, number>;

export type SqliteUserRow = AsSqlite<UserRow, 'communes', 'disabled' | 'must_change_password'>;
export type SqliteAuditRow = AsSqlite<AuditRow, 'details'>;
export type SqliteReportRow = AsSqlite<ReportRow, never, 'hidden'>;
export type SqliteZoneRow = AsSqlite<ZoneRow, 'cells' | 'communes' | 'follow_up'>;
export type SqliteCampaignRow = AsSqlite<CampaignRow, 'operators'>;
export type SqliteGroupRow = AsSqlite<GroupRow, 'stats'>;
export type SqliteReadingRow = AsSqlite<ReadingRow, never, 'outside_communes'>;
export type SqlitePlaceRow = AsSqlite<PlaceRow, never, 'outside_communes'>;

export const userRow = (row: SqliteUserRow): UserRow => ({
  ...row,
  communes: JSON.parse(row.communes) as string[],
  disabled: row.disabled === 1,
  must_change_password: row.must_change_password === 1,
});
export const auditRow = (row: SqliteAuditRow): AuditRow => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> });
export const reportRow = (row: SqliteReportRow): ReportRow => ({ ...row, hidden: row.hidden === 1 });
export const zoneRow = (row: SqliteZoneRow): ZoneRow => ({
  ...row,
  cells: JSON.parse(row.cells) as string[],
  communes: JSON.parse(row.communes) as string[],
  follow_up: JSON.parse(row.follow_up) as ZoneRow['follow_up'],
});
export const campaignRow = (row: SqliteCampaignRow): CampaignRow => ({ ...row, operators: JSON.parse(row.operators) as Operator[] });
export const groupRow = (row: SqliteGroupRow): GroupRow => ({ ...row, stats: JSON.parse(row.stats) as StoredStats });
export const readingRow = (row: SqliteReadingRow): ReadingRow => ({ ...row, outside_communes: row.outside_communes === 1 });
export const placeRow = (row: SqlitePlaceRow): PlaceRow => ({ ...row, outside_communes: row.outside_communes === 1 });

/** A shared column value (insert-columns.ts) as better-sqlite3 binds it: it binds no booleans. */
export const sqliteValue = (value: ColumnValue) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
