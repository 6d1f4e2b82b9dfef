import { cellAt, coarserCell, type CellRef } from '../../domain/grid/cell-id.ts';
import type { GridReading } from '../../domain/grid/grid-accumulator.ts';
import { addToStats, cloneStats, emptyStats, mergeInto, type GroupStats } from '../../domain/grid/group-stats.ts';
import type { Report } from '../../domain/report.ts';
import { ALL_PERIODS_RESOLUTIONS_M, STORED_RESOLUTIONS_M, TOTAL_ONLY_RESOLUTION_M, UNATTRIBUTED_CONTRIBUTOR, type GridQuery } from './grid-store.ts';

/**
 * The coverage grid's rules that do not depend on the database: which rows a reading or a
 * report counts in, gathered over one transaction so that a store writes each row once
 * (sqlite/sqlite-grid.ts and postgres/postgres-grid.ts only write what {@link PendingGrid}
 * hands them). Month rows are kept at 200 m and 1 km; all-periods rows at 1 km and 10 km.
 */

export const BASE_RESOLUTION_M = STORED_RESOLUTIONS_M[0];
export const COARSE_RESOLUTION_M = STORED_RESOLUTIONS_M[1];
/** 200 m cells per side of a 1 km cell, less one. */
export const FINE_SPAN_M = COARSE_RESOLUTION_M - BASE_RESOLUTION_M;
/** 1 km cells per side of a 10 km cell, less one. */
export const TOTAL_ONLY_SPAN_M = TOTAL_ONLY_RESOLUTION_M - COARSE_RESOLUTION_M;
/** Month rows (200 m, 1 km) and all-periods rows (1 km, 10 km; at 200 m the month rows are few enough per view). */
export const MONTH_RESOLUTIONS: readonly number[] = STORED_RESOLUTIONS_M;
export const TOTAL_RESOLUTIONS: readonly number[] = ALL_PERIODS_RESOLUTIONS_M;

/** UTC month `YYYY-MM` of an instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** A date-time in UTC before midnight (`24:00` would be the next day's), whose month is its first seven characters. */
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[^+-]*Z$/;

/** UTC month `YYYY-MM` of an ISO 8601 date-time, without a Date for one in UTC (as phones send them). */
export function monthRecorded(isoDateTime: string): string {
  return UTC_DATE_TIME.test(isoDateTime) ? isoDateTime.slice(0, 7) : monthOf(Date.parse(isoDateTime));
}

/** The 200 m cell a reading lies in, or undefined off EPSG:3035's area. */
export function baseCellOf(lon: number, lat: number): CellRef | undefined {
  return cellAt(lon, lat, BASE_RESOLUTION_M);
}

/** Whether to read the all-periods rows: no period asked, at a resolution that has them (a 10 km query must be one). */
export function allPeriods(query: Pick<GridQuery, 'resolutionM' | 'fromMonth' | 'toMonth'>): boolean {
  const all = query.fromMonth === undefined && query.toMonth === undefined;
  if (!all && !MONTH_RESOLUTIONS.includes(query.resolutionM)) {
    throw new RangeError(`No month rows at ${query.resolutionM} m: ask ${MONTH_RESOLUTIONS.join(' or ')} m for a period`);
  }
  return all && TOTAL_RESOLUTIONS.includes(query.resolutionM);
}

/** A row's key columns, in its table's primary-key order. */
export type KeyValues = (number | string)[];
/** A row's key and what to add to it: stats to merge, or a count's change. */
export type PendingRow<T> = [key: KeyValues, added: T];

export const keyText = (values: readonly unknown[]) => values.join('|');

/** What one transaction adds to each table, one entry per row; no count change is zero. */
export interface PendingRows {
  /**
   * grid_groups: resolution_m, north, east, operator, technology, setting, month, departement.
   * A row's stats may be another's too (one reading's, in its rows): read them, never change them.
   */
  groups: PendingRow<GroupStats>[];
  /** grid_totals: the same without month. */
  totals: PendingRow<GroupStats>[];
  /** grid_reports: resolution_m, north, east, operator, month, departement. */
  reports: PendingRow<number>[];
  /** grid_report_totals: the same without month. */
  reportTotals: PendingRow<number>[];
}

export interface PendingGrid {
  /** A reading just stored (never a duplicate): evidence, or a resident's signal for `resident` readings. */
  addReading(reading: GridReading, accountId: string | null, departement: string | null, cell: CellRef | undefined): void;
  /** A resident's report becoming visible (+1) or hidden (−1). */
  addReport(report: Pick<Report, 'lat' | 'lon' | 'operator' | 'reportedAt'>, departement: string | null, delta: 1 | -1): void;
  /** The rows gathered since the last call, which starts afresh. */
  take(): PendingRows;
}

/** `withTotalOnly: false` leaves the 10 km all-periods rows alone (rebuild recomputes them). */
export function pendingGrid({ withTotalOnly = true } = {}): PendingGrid {
  const groups = new Map<string, PendingRow<GroupStats>>();
  const totals = new Map<string, PendingRow<GroupStats>>();
  const reports = new Map<string, PendingRow<number>>();
  const reportTotals = new Map<string, PendingRow<number>>();
  const totalResolutions = withTotalOnly ? TOTAL_RESOLUTIONS : TOTAL_RESOLUTIONS.filter((r) => r !== TOTAL_ONLY_RESOLUTION_M);

  const tally = (into: Map<string, PendingRow<number>>, values: KeyValues, delta: number) => {
    const key = keyText(values);
    const pending = into.get(key);
    if (pending) pending[1] += delta;
    else into.set(key, [values, delta]);
  };
  const tallyReport = (cell: CellRef, operator: string, month: string, departement: string, delta: number) => {
    for (const resolutionM of MONTH_RESOLUTIONS) {
      const { north, east } = coarserCell(cell, resolutionM);
      tally(reports, [resolutionM, north, east, operator, month, departement], delta);
    }
    for (const resolutionM of totalResolutions) {
      const { north, east } = coarserCell(cell, resolutionM);
      tally(reportTotals, [resolutionM, north, east, operator, departement], delta);
    }
  };
  // A reading's stats start as the stats of each of its rows new to the batch, shared by them
  // (most rows of spread readings never take a second reading); a row copies them before the
  // first merge into it.
  const shared = new WeakSet<GroupStats>();
  /** `own` (one reading's stats, not changed after) added to a row. */
  const fold = (into: Map<string, PendingRow<GroupStats>>, values: KeyValues, own: GroupStats) => {
    const key = keyText(values);
    const pending = into.get(key);
    if (!pending) {
      into.set(key, [values, own]);
      shared.add(own);
      return;
    }
    if (shared.has(pending[1])) pending[1] = cloneStats(pending[1]);
    mergeInto(pending[1], own);
  };
  const drain = <T>(rows: Map<string, PendingRow<T>>) => {
    const list = [...rows.values()];
    rows.clear();
    return list;
  };
  const changed = (rows: PendingRow<number>[]) => rows.filter(([, delta]) => delta !== 0);

  return {
    addReading(reading, accountId, departement, cell) {
      if (!cell) return;
      const month = monthRecorded(reading.recordedAt);
      const dept = departement ?? '';
      if (reading.source === 'resident') {
        tallyReport(cell, reading.operator, month, dept, 1);
        return;
      }
      const { operator, technology, setting } = reading;
      // The reading's stats once, merged into each of its three or four rows (mergeable: the
      // same as adding the reading to each), rather than its level and dates worked out per row.
      const own = addToStats(emptyStats(), reading, accountId ?? UNATTRIBUTED_CONTRIBUTOR);
      for (const resolutionM of MONTH_RESOLUTIONS) {
        const { north, east } = coarserCell(cell, resolutionM);
        fold(groups, [resolutionM, north, east, operator, technology, setting, month, dept], own);
      }
      for (const resolutionM of totalResolutions) {
        const { north, east } = coarserCell(cell, resolutionM);
        fold(totals, [resolutionM, north, east, operator, technology, setting, dept], own);
      }
    },

    addReport(report, departement, delta) {
      const cell = baseCellOf(report.lon, report.lat);
      if (cell) tallyReport(cell, report.operator, monthOf(Date.parse(report.reportedAt)), departement ?? '', delta);
    },

    take() {
      return { groups: drain(groups), totals: drain(totals), reports: changed(drain(reports)), reportTotals: changed(drain(reportTotals)) };
    },
  };
}

/** Rows of equal key merged into one (the 10 km all-periods rows from their 1 km ones); the first row's stats take the others in. */
export function mergeStatsRows(rows: Iterable<PendingRow<GroupStats>>): PendingRow<GroupStats>[] {
  const merged = new Map<string, PendingRow<GroupStats>>();
  for (const [values, stats] of rows) {
    const key = keyText(values);
    const found = merged.get(key);
    if (found) mergeInto(found[1], stats);
    else merged.set(key, [values, stats]);
  }
  return [...merged.values()];
}
