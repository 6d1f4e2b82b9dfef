import type Database from 'better-sqlite3';
import { cellBbox } from '../../../domain/grid/cell-geometry.ts';
import { cellNumber, coarserCell, formatCellId, type CellRef } from '../../../domain/grid/cell-id.ts';
import { mergeInto, type GroupStats } from '../../../domain/grid/group-stats.ts';
import { fromStoredStats, storedStatsJson, type StoredStats } from '../../../domain/grid/stored-stats.ts';
import type { Operator } from '../../../domain/operators.ts';
import type { Reading, Setting } from '../../../domain/reading.ts';
import type { Report } from '../../../domain/report.ts';
import type { Technology } from '../../../domain/signal.ts';
import {
  allPeriods,
  BASE_RESOLUTION_M,
  baseCellOf,
  COARSE_RESOLUTION_M,
  FINE_SPAN_M,
  mergeStatsRows,
  pendingGrid,
  TOTAL_ONLY_SPAN_M,
  type PendingGrid,
  type PendingRows,
} from '../grid-batch.ts';
import { northLines } from '../grid-lines.ts';
import type { GridPlaces } from '../grid-rebuild.ts';
import { ALL_PERIODS, TOTAL_ONLY_RESOLUTION_M, type GridGroupRow, type GridQuery, type GridReportRow } from '../grid-store.ts';
import { toGridReport, type ReportCountRow } from '../rows.ts';
import { ROLLED_UP_SQL } from './sqlite-grid-roll-up.ts';
import type { SqliteGroupRow } from './sqlite-rows.ts';

/**
 * The SQLite side of the coverage grid (grid-store.ts): tables `grid_groups` and `grid_reports`
 * (per month, migration 3) and `grid_totals` and `grid_report_totals` (all periods merged,
 * migration 4), written by the readings' roll-ups (sqlite-grid-roll-up.ts, after the ingest's
 * transaction: grid-roll-up.ts) and inside the reports' own transactions: every path that
 * changes a month row goes through {@link GridBatch} or `rebuild`, which write both. Month
 * rows are kept at 200 m and 1 km; all-periods rows at 1 km and 10 km.
 */

/** Changes to the grid gathered over one transaction, written once per row by `flush()`. */
export interface GridBatch extends Omit<PendingGrid, 'take'> {
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
   * holding them, from their 1 km rows. Only the readings already rolled up count (those above
   * the watermark are the next roll-up's): call it inside a write transaction.
   */
  rebuild(coarseCells: Iterable<CellRef>): void;
  /** Fills the grid from every stored reading and visible report (migration 3). */
  backfill(): void;
  /** Where anything of the grid lies (grid-rebuild.ts): readings' cells, visible reports, rows already kept. */
  places(): GridPlaces;
}

// A box of few north lines is read line by line (grid-lines.ts): two statements, as the plan
// of each is fixed when it is prepared.
const NORTH_RANGE = 'north BETWEEN @n0 AND @n1';
const NORTH_LINES = 'north IN (SELECT value FROM json_each(@norths))';
const area = (north: string) => `resolution_m = @resolutionM AND ${north} AND east BETWEEN @e0 AND @e1
  AND (@allDepartements = 1 OR departement IN (SELECT value FROM json_each(@departements)))
  AND (@operators IS NULL OR operator IN (SELECT value FROM json_each(@operators)))`;
const MONTHS = `(@fromMonth IS NULL OR month >= @fromMonth) AND (@toMonth IS NULL OR month <= @toMonth)`;
const KINDS = `(@technologies IS NULL OR technology IN (SELECT value FROM json_each(@technologies)))
  AND (@settings IS NULL OR setting IN (SELECT value FROM json_each(@settings)))`;

/** A grid row as the read statements give it: an array (no object made per row). */
type RawGroupRow = [
  north: number,
  east: number,
  operator: Operator,
  technology: Technology,
  setting: Setting,
  month: string,
  departement: string,
  stats: string,
];

/**
 * The read rows as grid-store.ts has them, each made in one step and each cell's id formatted
 * once (a cell has a row per operator, technology, setting, month and département): a cold
 * commune view at 200 m is ~14,000 rows, whose objects made twice over were most of its reading.
 */
function gridGroupRows(resolutionM: number, rows: readonly RawGroupRow[]): GridGroupRow[] {
  const ids = new Map<number, string>();
  return rows.map(([north, east, operator, technology, setting, month, departement, stats]) => {
    const key = cellNumber({ resolutionM, north, east });
    let cell = ids.get(key);
    if (cell === undefined) {
      cell = formatCellId({ resolutionM, north, east });
      ids.set(key, cell);
    }
    return {
      cell,
      operator,
      technology,
      setting,
      month,
      departement: departement === '' ? null : departement,
      stats: fromStoredStats(JSON.parse(stats) as StoredStats),
    };
  });
}

export function createSqliteGrid(db: Database.Database): SqliteGrid {
  // A stored row and a batch's pending one merge inside the upsert: one statement per row.
  db.function('grid_merge_stats', { deterministic: true }, (stored: unknown, added: unknown) =>
    storedStatsJson(mergeInto(fromStoredStats(JSON.parse(stored as string) as StoredStats), fromStoredStats(JSON.parse(added as string) as StoredStats))),
  );
  // Bound by a row's key values (grid-batch.ts), then its stats or count.
  const addStats = db.prepare(`
    INSERT INTO grid_groups (resolution_m, north, east, operator, technology, setting, month, departement, stats)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET stats = grid_merge_stats(stats, excluded.stats)`);
  const addTotal = db.prepare(`
    INSERT INTO grid_totals (resolution_m, north, east, operator, technology, setting, departement, stats)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET stats = grid_merge_stats(stats, excluded.stats)`);
  const addReportCount = db.prepare(`
    INSERT INTO grid_reports (resolution_m, north, east, operator, month, departement, count) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const dropEmptyReports = db.prepare(`
    DELETE FROM grid_reports WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND month = ? AND departement = ?
    AND count <= 0`);
  const addReportTotal = db.prepare(`
    INSERT INTO grid_report_totals (resolution_m, north, east, operator, departement, count) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const dropEmptyReportTotals = db.prepare(`
    DELETE FROM grid_report_totals WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND departement = ?
    AND count <= 0`);
  /** The read statements, by the form of their north condition. */
  const reads = (north: string) => ({
    groups: db
      .prepare<Record<string, unknown>, RawGroupRow>(`
        SELECT north, east, operator, technology, setting, month, departement, stats FROM grid_groups
        WHERE ${area(north)} AND ${MONTHS} AND ${KINDS}`)
      .raw(true),
    totals: db
      .prepare<Record<string, unknown>, RawGroupRow>(`
        SELECT north, east, operator, technology, setting, '${ALL_PERIODS}' AS month, departement, stats FROM grid_totals
        WHERE ${area(north)} AND ${KINDS}`)
      .raw(true),
    reports: db.prepare<Record<string, unknown>, ReportCountRow>(
      `SELECT north, east, operator, month, departement, count FROM grid_reports WHERE ${area(north)} AND ${MONTHS} AND count > 0`,
    ),
    reportTotals: db.prepare<Record<string, unknown>, ReportCountRow>(
      `SELECT north, east, operator, '${ALL_PERIODS}' AS month, departement, count FROM grid_report_totals WHERE ${area(north)} AND count > 0`,
    ),
  });
  const readsByRange = reads(NORTH_RANGE);
  const readsByLine = reads(NORTH_LINES);
  const deleteGroupsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_groups WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const deleteTotalsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_totals WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const totalsIn = db.prepare<[number, number, number, number, number], Omit<SqliteGroupRow, 'month'>>(
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
  // The readings a rebuild counts: those already rolled up (sqlite-grid-roll-up.ts); the pending
  // ones are the next roll-up's. Prepared at the first rebuild: the migrations that fill the
  // grid (backfill) run before the watermark's table exists.
  let readingsInStatement: Database.Statement<[number, number, number, number], { body: string; account_id: string | null; departement: string | null }>;
  const readingsIn = () =>
    (readingsInStatement ??= db.prepare(
      `SELECT body, account_id, departement FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? AND seq <= ${ROLLED_UP_SQL} ORDER BY seq`,
    ));

  /** Each row once: the stats merged into the stored ones, the counts added; a count lowered to zero goes. */
  function write({ groups, totals, reports, reportTotals }: PendingRows): void {
    // A reading's stats are its new rows' stats (grid-batch.ts): their JSON made once for all.
    const texts = new Map<GroupStats, string>();
    const jsonOf = (stats: GroupStats) => {
      let text = texts.get(stats);
      if (text === undefined) texts.set(stats, (text = storedStatsJson(stats)));
      return text;
    };
    for (const [key, stats] of groups) addStats.run(...key, jsonOf(stats));
    for (const [key, stats] of totals) addTotal.run(...key, jsonOf(stats));
    for (const [key, delta] of reports) {
      addReportCount.run(...key, delta);
      if (delta < 0) dropEmptyReports.run(...key);
    }
    for (const [key, delta] of reportTotals) {
      addReportTotal.run(...key, delta);
      if (delta < 0) dropEmptyReportTotals.run(...key);
    }
  }

  function batch(options: { withTotalOnly?: boolean } = {}): GridBatch {
    const pending = pendingGrid(options);
    return { addReading: pending.addReading, addReport: pending.addReport, flush: () => write(pending.take()) };
  }

  /** The statements and parameters of a read: line by line when the box has few north lines. */
  function read(query: Omit<GridQuery, 'technologies' | 'settings'> & Partial<Pick<GridQuery, 'technologies' | 'settings'>>) {
    const list = (values: readonly string[] | undefined) => (values === undefined ? null : JSON.stringify(values));
    const lines = northLines(query);
    const north = lines ? { norths: JSON.stringify(lines) } : { n0: query.north[0], n1: query.north[1] };
    const params = {
      resolutionM: query.resolutionM,
      ...north,
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
    return { statements: lines ? readsByLine : readsByRange, params };
  }

  return {
    batch,

    groups(query) {
      const { statements, params } = read(query);
      const statement = allPeriods(query) ? statements.totals : statements.groups;
      return gridGroupRows(query.resolutionM, statement.all(params) as unknown as RawGroupRow[]);
    },

    reports(query) {
      const { statements, params } = read(query);
      const statement = allPeriods(query) ? statements.reportTotals : statements.reports;
      return statement.all(params).map((row) => toGridReport(query.resolutionM, row));
    },

    rebuild(coarseCells) {
      const writer = batch({ withTotalOnly: false });
      const tens = new Map<string, CellRef>();
      for (const { north, east } of coarseCells) {
        const coarse = { resolutionM: COARSE_RESOLUTION_M, north, east };
        for (const [resolutionM, span] of [
          [BASE_RESOLUTION_M, FINE_SPAN_M],
          [COARSE_RESOLUTION_M, 0],
        ] as const) {
          for (const statement of [deleteGroupsIn, deleteTotalsIn, deleteReportsIn, deleteReportTotalsIn]) {
            statement.run(resolutionM, north, north + span, east, east + span);
          }
        }
        const ten = coarserCell(coarse, TOTAL_ONLY_RESOLUTION_M);
        tens.set(`${ten.north}/${ten.east}`, ten);
        for (const row of readingsIn().iterate(north, north + FINE_SPAN_M, east, east + FINE_SPAN_M)) {
          const reading = JSON.parse(row.body) as Reading;
          writer.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
        }
        // Residents' visible reports in the cell (a little box around it, then exactly).
        const box = cellBbox(coarse);
        const margin = 0.001;
        for (const row of visibleReportsNear.iterate(box.minLat - margin, box.maxLat + margin, box.minLon - margin, box.maxLon + margin)) {
          const report = JSON.parse(row.body) as Report;
          const cell = baseCellOf(report.lon, report.lat);
          const inCoarse = cell && coarserCell(cell, COARSE_RESOLUTION_M);
          if (inCoarse && inCoarse.north === north && inCoarse.east === east) writer.addReport(report, row.departement, 1);
        }
      }
      writer.flush();
      // The 10 km all-periods rows are the exact merge of their 1 km ones.
      for (const { north, east } of tens.values()) {
        const span = [north, north + TOTAL_ONLY_SPAN_M, east, east + TOTAL_ONLY_SPAN_M] as const;
        const ones = totalsIn.all(COARSE_RESOLUTION_M, ...span);
        const merged = mergeStatsRows(
          ones.map((row) => [
            [TOTAL_ONLY_RESOLUTION_M, north, east, row.operator, row.technology, row.setting, row.departement],
            fromStoredStats(JSON.parse(row.stats) as StoredStats),
          ]),
        );
        deleteTotalsIn.run(TOTAL_ONLY_RESOLUTION_M, north, north, east, east);
        for (const [key, stats] of merged) addTotal.run(...key, storedStatsJson(stats));
        const counts = reportTotalsIn.all(COARSE_RESOLUTION_M, ...span);
        deleteReportTotalsIn.run(TOTAL_ONLY_RESOLUTION_M, north, north, east, east);
        for (const r of counts) addReportTotal.run(TOTAL_ONLY_RESOLUTION_M, north, east, r.operator, r.departement, r.count);
      }
    },

    places() {
      const cells = db
        .prepare<[], CellRef>(
          `SELECT ${BASE_RESOLUTION_M} AS resolutionM, cell_n AS north, cell_e AS east FROM readings WHERE cell_n IS NOT NULL
           UNION SELECT resolution_m, north, east FROM grid_groups
           UNION SELECT resolution_m, north, east FROM grid_totals
           UNION SELECT resolution_m, north, east FROM grid_reports
           UNION SELECT resolution_m, north, east FROM grid_report_totals`,
        )
        .all();
      const reportPoints = db.prepare<[], { lat: number; lon: number }>('SELECT lat, lon FROM reports WHERE hidden = 0').all();
      return { cells, reportPoints };
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
