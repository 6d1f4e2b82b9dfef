import type { CellRef } from '../../domain/grid/cell-id.ts';
import { readingLevel } from '../../domain/level.ts';
import type { Reading } from '../../domain/reading.ts';
import { NEVER_PLACED, type ReadingPlacement } from './reading-store.ts';
import type { ReportIngestItem } from './report-store.ts';

/** What an ingest knows of one reading when it writes the reading's row. */
export interface ReadingInsert {
  reading: Reading;
  /** The reading as received, canonical JSON. */
  body: string;
  place: ReadingPlacement;
  /** Its 200 m cell; undefined off EPSG:3035's area. */
  cell: CellRef | undefined;
  receivedAt: string;
}

export type ColumnValue = string | number | boolean | null;

/** A table's columns as an ingest writes them: each one's PostgreSQL type and its value from the row to write. */
type Columns<Row> = Record<string, { type: 'text' | 'bigint' | 'int' | 'float8' | 'boolean'; value: (row: Row) => ColumnValue }>;

/** The values of `row`, in the order of `columns`' keys (the order both stores list the columns in). */
function valuesOf<Row>(columns: Columns<Row>, row: Row): ColumnValue[] {
  return Object.values(columns).map((column) => column.value(row));
}

/**
 * Every column an ingest writes into `readings`, in both stores, with its PostgreSQL type (the
 * PostgreSQL store sends each column as one typed array) and how its value comes from the
 * reading. Both stores build their INSERT and its parameters from this record, so a new column
 * is one entry here (and a migration in each store). `seq` is not here: SQLite numbers the
 * rows itself, PostgreSQL draws them beforehand (postgres-readings.ts).
 */
export const READING_COLUMNS = {
  id: { type: 'text', value: ({ reading }) => reading.id },
  recorded_at: { type: 'text', value: ({ reading }) => reading.recordedAt },
  recorded_at_ms: { type: 'bigint', value: ({ reading }) => Date.parse(reading.recordedAt) },
  lat: { type: 'float8', value: ({ reading }) => reading.lat },
  lon: { type: 'float8', value: ({ reading }) => reading.lon },
  operator: { type: 'text', value: ({ reading }) => reading.operator },
  technology: { type: 'text', value: ({ reading }) => reading.technology },
  level: { type: 'text', value: ({ reading }) => readingLevel(reading) },
  source: { type: 'text', value: ({ reading }) => reading.source },
  body: { type: 'text', value: ({ body }) => body },
  received_at: { type: 'text', value: ({ receivedAt }) => receivedAt },
  account_id: { type: 'text', value: ({ place }) => place.accountId },
  commune: { type: 'text', value: ({ place }) => place.commune },
  departement: { type: 'text', value: ({ place }) => place.departement },
  outside_communes: { type: 'boolean', value: ({ place }) => place.outsideCommunes },
  cell_n: { type: 'int', value: ({ cell }) => cell?.north ?? null },
  cell_e: { type: 'int', value: ({ cell }) => cell?.east ?? null },
  campaign_id: { type: 'text', value: ({ reading }) => reading.campaignId ?? null },
  track_id: { type: 'text', value: ({ reading }) => reading.trackId ?? null },
  placement: { type: 'text', value: ({ place }) => place.placement ?? null },
  placed_with: { type: 'bigint', value: ({ place }) => place.placedWith ?? NEVER_PLACED },
  protocol: { type: 'text', value: ({ reading }) => reading.protocol ?? null },
} satisfies Columns<ReadingInsert>;

export type ReadingColumn = keyof typeof READING_COLUMNS;

/** The column names, in the record's order, which readingValues() follows. */
export const READING_COLUMN_NAMES = Object.keys(READING_COLUMNS) as ReadingColumn[];

/** One reading's values, in READING_COLUMN_NAMES' order. */
export function readingValues(row: ReadingInsert): ColumnValue[] {
  return valuesOf<ReadingInsert>(READING_COLUMNS, row);
}

/** What an ingest knows of one report when it writes the report's row. */
export type ReportInsert = ReportIngestItem & { receivedAt: string };

/** As READING_COLUMNS, for `reports` (seq is numbered by each store; hidden, hidden_reason and repeats start at their defaults). */
export const REPORT_COLUMNS = {
  id: { type: 'text', value: ({ report }) => report.id },
  reported_at_ms: { type: 'bigint', value: ({ report }) => Date.parse(report.reportedAt) },
  lat: { type: 'float8', value: ({ report }) => report.lat },
  lon: { type: 'float8', value: ({ report }) => report.lon },
  operator: { type: 'text', value: ({ report }) => report.operator },
  problem: { type: 'text', value: ({ report }) => report.problem },
  setting: { type: 'text', value: ({ report }) => report.setting },
  commune: { type: 'text', value: ({ commune }) => commune },
  departement: { type: 'text', value: ({ departement }) => departement },
  body: { type: 'text', value: ({ report }) => JSON.stringify(report) },
  received_at: { type: 'text', value: ({ receivedAt }) => receivedAt },
  placement: { type: 'text', value: ({ placement }) => placement ?? null },
  placed_with: { type: 'bigint', value: ({ placedWith }) => placedWith ?? NEVER_PLACED },
} satisfies Columns<ReportInsert>;

export const REPORT_COLUMN_NAMES = Object.keys(REPORT_COLUMNS) as (keyof typeof REPORT_COLUMNS)[];

/** One report's values, in REPORT_COLUMN_NAMES' order. */
export function reportValues(row: ReportInsert): ColumnValue[] {
  return valuesOf<ReportInsert>(REPORT_COLUMNS, row);
}
