import type Database from 'better-sqlite3';
import { cellBbox } from '../../domain/grid/cell-geometry.ts';
import { cellAt, coarserCell, formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { GridReading } from '../../domain/grid/grid-accumulator.ts';
import { addToStats, emptyStats, mergeInto, type GroupStats } from '../../domain/grid/group-stats.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Reading, Setting } from '../../domain/reading.ts';
import type { Report } from '../../domain/report.ts';
import type { Technology } from '../../domain/signal.ts';
import {
  ALL_PERIODS,
  ALL_PERIODS_RESOLUTIONS_M,
  STORED_RESOLUTIONS_M,
  TOTAL_ONLY_RESOLUTION_M,
  UNATTRIBUTED_CONTRIBUTOR,
  type GridGroupRow,
  type GridQuery,
  type GridReportRow,
} from './grid-store.ts';

/**
 * The SQLite side of the coverage grid (grid-store.ts): tables `grid_groups` and `grid_reports`
 * (per month, migration 3) and `grid_totals` and `grid_report_totals` (all periods merged,
 * migration 4), kept up to date together inside the readings' and reports' own transactions:
 * every path that changes a month row goes through {@link GridBatch} or `rebuild`, which write
 * both. Month rows are kept at 200 m and 1 km; all-periods rows at 1 km and 10 km.
 */

export const BASE_RESOLUTION_M = STORED_RESOLUTIONS_M[0];
const COARSE_RESOLUTION_M = STORED_RESOLUTIONS_M[1];
/** 1 km cells per side of a 10 km cell, less one. */
const TOTAL_ONLY_SPAN_M = TOTAL_ONLY_RESOLUTION_M - COARSE_RESOLUTION_M;

/** UTC month `YYYY-MM` of an instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The 200 m cell a reading lies in, or undefined off EPSG:3035's area. */
export function baseCellOf(lon: number, lat: number): CellRef | undefined {
  return cellAt(lon, lat, BASE_RESOLUTION_M);
}

/** A pending row; `month` is {@link ALL_PERIODS} for an all-periods row. */
interface PendingGroup {
  resolutionM: number;
  north: number;
  east: number;
  operator: string;
  technology: string;
  setting: string;
  month: string;
  departement: string;
  stats: GroupStats;
}

interface PendingReports {
  resolutionM: number;
  north: number;
  east: number;
  operator: string;
  month: string;
  departement: string;
  delta: number;
}

/** Changes to the grid gathered over one transaction, written once per row by `flush()`. */
export interface GridBatch {
  /** A reading just stored (never a duplicate): evidence, or a resident's signal for `resident` readings. */
  addReading(reading: GridReading, accountId: string | null, departement: string | null, cell: CellRef | undefined): void;
  /** A resident's report becoming visible (+1) or hidden (−1). */
  addReport(report: Pick<Report, 'lat' | 'lon' | 'operator' | 'reportedAt'>, departement: string | null, delta: 1 | -1): void;
  flush(): void;
}

export interface SqliteGrid {
  /** `withTotalOnly: false` leaves the 10 km all-periods rows alone (rebuild recomputes them). */
  batch(options?: { withTotalOnly?: boolean }): GridBatch;
  groups(query: GridQuery): GridGroupRow[];
  reports(query: Omit<GridQuery, 'technologies' | 'settings'>): GridReportRow[];
  /**
   * Recomputes every row of these 1 km cells (and their 200 m cells) from the readings and
   * visible reports in them, month and all-periods rows alike; then the 10 km all-periods rows
   * holding them, from their 1 km rows.
   */
  rebuild(coarseCells: Iterable<CellRef>): void;
  /** Fills the grid from every stored reading and visible report (migration 3). */
  backfill(): void;
}

interface GroupRow {
  north: number;
  east: number;
  operator: Operator;
  technology: Technology;
  setting: Setting;
  month: string;
  departement: string;
  stats: string;
}

interface ReportCountRow {
  north: number;
  east: number;
  operator: Operator;
  month: string;
  departement: string;
  count: number;
}

const AREA = `resolution_m = @resolutionM AND north BETWEEN @n0 AND @n1 AND east BETWEEN @e0 AND @e1
  AND (@allDepartements = 1 OR departement IN (SELECT value FROM json_each(@departements)))
  AND (@operators IS NULL OR operator IN (SELECT value FROM json_each(@operators)))`;
const MONTHS = `(@fromMonth IS NULL OR month >= @fromMonth) AND (@toMonth IS NULL OR month <= @toMonth)`;
const KINDS = `(@technologies IS NULL OR technology IN (SELECT value FROM json_each(@technologies)))
  AND (@settings IS NULL OR setting IN (SELECT value FROM json_each(@settings)))`;

/** Month rows (200 m, 1 km) and all-periods rows (1 km, 10 km; at 200 m the month rows are few enough per view). */
const MONTH_RESOLUTIONS: readonly number[] = STORED_RESOLUTIONS_M;
const TOTAL_RESOLUTIONS: readonly number[] = ALL_PERIODS_RESOLUTIONS_M;

export function createSqliteGrid(db: Database.Database): SqliteGrid {
  // A stored row and a batch's pending one merge inside the upsert: one statement per row.
  db.function('grid_merge_stats', { deterministic: true }, (stored: unknown, added: unknown) =>
    JSON.stringify(mergeInto(JSON.parse(stored as string) as GroupStats, JSON.parse(added as string) as GroupStats)),
  );
  const addStats = db.prepare<[number, number, number, string, string, string, string, string, string]>(`
    INSERT INTO grid_groups (resolution_m, north, east, operator, technology, setting, month, departement, stats)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET stats = grid_merge_stats(stats, excluded.stats)`);
  const addTotal = db.prepare<[number, number, number, string, string, string, string, string]>(`
    INSERT INTO grid_totals (resolution_m, north, east, operator, technology, setting, departement, stats)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET stats = grid_merge_stats(stats, excluded.stats)`);
  const addReportCount = db.prepare<[number, number, number, string, string, string, number]>(`
    INSERT INTO grid_reports (resolution_m, north, east, operator, month, departement, count) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const dropEmptyReports = db.prepare<[number, number, number, string, string, string]>(`
    DELETE FROM grid_reports WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND month = ? AND departement = ?
    AND count <= 0`);
  const addReportTotal = db.prepare<[number, number, number, string, string, number]>(`
    INSERT INTO grid_report_totals (resolution_m, north, east, operator, departement, count) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const dropEmptyReportTotals = db.prepare<[number, number, number, string, string]>(`
    DELETE FROM grid_report_totals WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND departement = ?
    AND count <= 0`);
  const groupsStatement = db.prepare<Record<string, unknown>, GroupRow>(`
    SELECT north, east, operator, technology, setting, month, departement, stats FROM grid_groups
    WHERE ${AREA} AND ${MONTHS} AND ${KINDS}`);
  const totalsStatement = db.prepare<Record<string, unknown>, GroupRow>(`
    SELECT north, east, operator, technology, setting, '${ALL_PERIODS}' AS month, departement, stats FROM grid_totals
    WHERE ${AREA} AND ${KINDS}`);
  const reportsStatement = db.prepare<Record<string, unknown>, ReportCountRow>(
    `SELECT north, east, operator, month, departement, count FROM grid_reports WHERE ${AREA} AND ${MONTHS} AND count > 0`,
  );
  const reportTotalsStatement = db.prepare<Record<string, unknown>, ReportCountRow>(
    `SELECT north, east, operator, '${ALL_PERIODS}' AS month, departement, count FROM grid_report_totals WHERE ${AREA} AND count > 0`,
  );
  const deleteGroupsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_groups WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const deleteTotalsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_totals WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const totalsIn = db.prepare<[number, number, number, number, number], Omit<GroupRow, 'month'>>(
    `SELECT north, east, operator, technology, setting, departement, stats FROM grid_totals
     WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?`,
  );
  const deleteReportsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_reports WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const deleteReportTotalsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_report_totals WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const reportTotalsIn = db.prepare<[number, number, number, number, number], { operator: string; departement: string; count: number }>(
    `SELECT operator, departement, SUM(count) AS count FROM grid_report_totals
     WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ? GROUP BY operator, departement HAVING SUM(count) > 0`,
  );
  const visibleReportsNear = db.prepare<[number, number, number, number], { body: string; departement: string | null }>(
    'SELECT body, departement FROM reports WHERE hidden = 0 AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?',
  );
  const readingsIn = db.prepare<[number, number, number, number], { body: string; account_id: string | null; departement: string | null }>(
    'SELECT body, account_id, departement FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? ORDER BY seq',
  );

  function batch({ withTotalOnly = true } = {}): GridBatch {
    const groups = new Map<string, PendingGroup>();
    const reports = new Map<string, PendingReports>();
    const totalResolutions = withTotalOnly ? TOTAL_RESOLUTIONS : TOTAL_RESOLUTIONS.filter((r) => r !== TOTAL_ONLY_RESOLUTION_M);

    const pendingReport = (ref: CellRef, operator: string, month: string, departement: string, delta: number) => {
      const key = `${ref.resolutionM}|${ref.north}|${ref.east}|${operator}|${month}|${departement}`;
      const pending = reports.get(key);
      if (pending) pending.delta += delta;
      else reports.set(key, { resolutionM: ref.resolutionM, north: ref.north, east: ref.east, operator, month, departement, delta });
    };
    const tallyReport = (cell: CellRef, operator: string, month: string, departement: string, delta: number) => {
      for (const resolutionM of MONTH_RESOLUTIONS) pendingReport(coarserCell(cell, resolutionM), operator, month, departement, delta);
      for (const resolutionM of totalResolutions) pendingReport(coarserCell(cell, resolutionM), operator, ALL_PERIODS, departement, delta);
    };

    const pendingGroup = (ref: CellRef, reading: GridReading, month: string, departement: string): GroupStats => {
      const key = `${ref.resolutionM}|${ref.north}|${ref.east}|${reading.operator}|${reading.technology}|${reading.setting}|${month}|${departement}`;
      let pending = groups.get(key);
      if (!pending) {
        pending = {
          resolutionM: ref.resolutionM,
          north: ref.north,
          east: ref.east,
          operator: reading.operator,
          technology: reading.technology,
          setting: reading.setting,
          month,
          departement,
          stats: emptyStats(),
        };
        groups.set(key, pending);
      }
      return pending.stats;
    };

    return {
      addReading(reading, accountId, departement, cell) {
        if (!cell) return;
        const ms = Date.parse(reading.recordedAt);
        const month = monthOf(ms);
        const dept = departement ?? '';
        if (reading.source === 'resident') {
          tallyReport(cell, reading.operator, month, dept, 1);
          return;
        }
        const contributor = accountId ?? UNATTRIBUTED_CONTRIBUTOR;
        for (const resolutionM of MONTH_RESOLUTIONS) addToStats(pendingGroup(coarserCell(cell, resolutionM), reading, month, dept), reading, contributor);
        for (const resolutionM of totalResolutions) addToStats(pendingGroup(coarserCell(cell, resolutionM), reading, ALL_PERIODS, dept), reading, contributor);
      },

      addReport(report, departement, delta) {
        const cell = baseCellOf(report.lon, report.lat);
        if (cell) tallyReport(cell, report.operator, monthOf(Date.parse(report.reportedAt)), departement ?? '', delta);
      },

      flush() {
        for (const g of groups.values()) {
          const stats = JSON.stringify(g.stats);
          if (g.month === ALL_PERIODS) addTotal.run(g.resolutionM, g.north, g.east, g.operator, g.technology, g.setting, g.departement, stats);
          else addStats.run(g.resolutionM, g.north, g.east, g.operator, g.technology, g.setting, g.month, g.departement, stats);
        }
        for (const r of reports.values()) {
          if (r.delta === 0) continue;
          if (r.month === ALL_PERIODS) {
            addReportTotal.run(r.resolutionM, r.north, r.east, r.operator, r.departement, r.delta);
            if (r.delta < 0) dropEmptyReportTotals.run(r.resolutionM, r.north, r.east, r.operator, r.departement);
          } else {
            addReportCount.run(r.resolutionM, r.north, r.east, r.operator, r.month, r.departement, r.delta);
            if (r.delta < 0) dropEmptyReports.run(r.resolutionM, r.north, r.east, r.operator, r.month, r.departement);
          }
        }
        groups.clear();
        reports.clear();
      },
    };
  }

  function params(query: Omit<GridQuery, 'technologies' | 'settings'> & Partial<Pick<GridQuery, 'technologies' | 'settings'>>) {
    const list = (values: readonly string[] | undefined) => (values === undefined ? null : JSON.stringify(values));
    return {
      resolutionM: query.resolutionM,
      n0: query.north[0],
      n1: query.north[1],
      e0: query.east[0],
      e1: query.east[1],
      allDepartements: query.scope.kind === 'all' ? 1 : 0,
      departements: query.scope.kind === 'all' ? '[]' : JSON.stringify(query.scope.departements),
      operators: list(query.operators),
      technologies: list(query.technologies),
      settings: list(query.settings),
      fromMonth: query.fromMonth ?? null,
      toMonth: query.toMonth ?? null,
    };
  }

  /** Whether to read the all-periods rows: no period asked, at a resolution that has them (a 10 km query must be one). */
  function allPeriods(query: Pick<GridQuery, 'resolutionM' | 'fromMonth' | 'toMonth'>): boolean {
    const all = query.fromMonth === undefined && query.toMonth === undefined;
    if (!all && !MONTH_RESOLUTIONS.includes(query.resolutionM)) {
      throw new RangeError(`No month rows at ${query.resolutionM} m: ask ${MONTH_RESOLUTIONS.join(' or ')} m for a period`);
    }
    return all && TOTAL_RESOLUTIONS.includes(query.resolutionM);
  }

  const cellId = (resolutionM: number, row: { north: number; east: number }) => formatCellId({ resolutionM, north: row.north, east: row.east });

  return {
    batch,

    groups(query) {
      const statement = allPeriods(query) ? totalsStatement : groupsStatement;
      return statement.all(params(query)).map((row) => ({
        cell: cellId(query.resolutionM, row),
        operator: row.operator,
        technology: row.technology,
        setting: row.setting,
        month: row.month,
        departement: row.departement === '' ? null : row.departement,
        stats: JSON.parse(row.stats) as GroupStats,
      }));
    },

    reports(query) {
      const statement = allPeriods(query) ? reportTotalsStatement : reportsStatement;
      return statement.all(params(query)).map((row) => ({
        cell: cellId(query.resolutionM, row),
        operator: row.operator,
        month: row.month,
        departement: row.departement === '' ? null : row.departement,
        count: row.count,
      }));
    },

    rebuild(coarseCells) {
      const fine = COARSE_RESOLUTION_M - BASE_RESOLUTION_M;
      const writer = batch({ withTotalOnly: false });
      const tens = new Map<string, CellRef>();
      for (const { north, east } of coarseCells) {
        const coarse = { resolutionM: COARSE_RESOLUTION_M, north, east };
        for (const [resolutionM, span] of [[BASE_RESOLUTION_M, fine], [COARSE_RESOLUTION_M, 0]] as const) {
          for (const statement of [deleteGroupsIn, deleteTotalsIn, deleteReportsIn, deleteReportTotalsIn]) {
            statement.run(resolutionM, north, north + span, east, east + span);
          }
        }
        const ten = coarserCell(coarse, TOTAL_ONLY_RESOLUTION_M);
        tens.set(`${ten.north}/${ten.east}`, ten);
        for (const row of readingsIn.iterate(north, north + fine, east, east + fine)) {
          const reading = JSON.parse(row.body) as Reading;
          writer.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
        }
        // Residents' visible reports in the cell (a little box around it, then exactly).
        const box = cellBbox(coarse);
        const margin = 0.001;
        for (const row of visibleReportsNear.iterate(box.minLat - margin, box.maxLat + margin, box.minLon - margin, box.maxLon + margin)) {
          const report = JSON.parse(row.body) as Report;
          const cell = baseCellOf(report.lon, report.lat);
          if (cell && cell.north >= north && cell.north <= north + fine && cell.east >= east && cell.east <= east + fine) {
            writer.addReport(report, row.departement, 1);
          }
        }
      }
      writer.flush();
      // The 10 km all-periods rows are the exact merge of their 1 km ones.
      for (const { north, east } of tens.values()) {
        const span = [north, north + TOTAL_ONLY_SPAN_M, east, east + TOTAL_ONLY_SPAN_M] as const;
        const merged = new Map<string, Omit<GroupRow, 'month' | 'north' | 'east'> & { merged: GroupStats }>();
        for (const row of totalsIn.iterate(COARSE_RESOLUTION_M, ...span)) {
          const key = `${row.operator}|${row.technology}|${row.setting}|${row.departement}`;
          const stats = JSON.parse(row.stats) as GroupStats;
          const found = merged.get(key);
          if (found) mergeInto(found.merged, stats);
          else merged.set(key, { ...row, merged: stats });
        }
        deleteTotalsIn.run(TOTAL_ONLY_RESOLUTION_M, north, north, east, east);
        for (const g of merged.values()) {
          addTotal.run(TOTAL_ONLY_RESOLUTION_M, north, east, g.operator, g.technology, g.setting, g.departement, JSON.stringify(g.merged));
        }
        const counts = reportTotalsIn.all(COARSE_RESOLUTION_M, ...span);
        deleteReportTotalsIn.run(TOTAL_ONLY_RESOLUTION_M, north, north, east, east);
        for (const r of counts) addReportTotal.run(TOTAL_ONLY_RESOLUTION_M, north, east, r.operator, r.departement, r.count);
      }
    },

    backfill() {
      const page = db.prepare<[number], { seq: number; body: string; account_id: string | null; departement: string | null }>(
        'SELECT seq, body, account_id, departement FROM readings WHERE seq > ? ORDER BY seq LIMIT 5000',
      );
      const setCell = db.prepare<[number, number, number]>('UPDATE readings SET cell_n = ?, cell_e = ? WHERE seq = ?');
      db.exec('DELETE FROM grid_groups; DELETE FROM grid_totals; DELETE FROM grid_reports; DELETE FROM grid_report_totals;');
      const writer = batch();
      for (let after = 0; ; ) {
        const rows = page.all(after);
        if (rows.length === 0) break;
        for (const row of rows) {
          const reading = JSON.parse(row.body) as Reading;
          const cell = baseCellOf(reading.lon, reading.lat);
          if (cell) setCell.run(cell.north, cell.east, row.seq);
          writer.addReading(reading, row.account_id, row.departement, cell);
        }
        writer.flush();
        after = rows[rows.length - 1]!.seq;
      }
      const visibleReports = db.prepare<[], { body: string; departement: string | null }>('SELECT body, departement FROM reports WHERE hidden = 0');
      for (const row of visibleReports.iterate()) writer.addReport(JSON.parse(row.body) as Report, row.departement, 1);
      writer.flush();
    },
  };
}
