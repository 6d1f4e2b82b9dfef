import type Database from 'better-sqlite3';
import { cellAt, coarserCell, formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { GridReading } from '../../domain/grid/grid-accumulator.ts';
import { addToStats, emptyStats, mergeInto, type GroupStats } from '../../domain/grid/group-stats.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Reading, Setting } from '../../domain/reading.ts';
import type { Report } from '../../domain/report.ts';
import type { Technology } from '../../domain/signal.ts';
import {
  STORED_RESOLUTIONS_M,
  UNATTRIBUTED_CONTRIBUTOR,
  type GridGroupRow,
  type GridQuery,
  type GridReportRow,
} from './grid-store.ts';

/**
 * The SQLite side of the coverage grid (grid-store.ts): tables `grid_groups` and `grid_reports`
 * (migration 3), kept up to date inside the readings' and reports' own transactions.
 */

export const BASE_RESOLUTION_M = STORED_RESOLUTIONS_M[0];
const COARSE_RESOLUTION_M = STORED_RESOLUTIONS_M[1];

/** UTC month `YYYY-MM` of an instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The 200 m cell a reading lies in, or undefined off EPSG:3035's area. */
export function baseCellOf(lon: number, lat: number): CellRef | undefined {
  return cellAt(lon, lat, BASE_RESOLUTION_M);
}

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
  batch(): GridBatch;
  groups(query: GridQuery): GridGroupRow[];
  reports(query: Omit<GridQuery, 'technologies' | 'settings'>): GridReportRow[];
  /** Recomputes every row of these 1 km cells (and their 200 m cells) from the readings in them. */
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

const FILTERS = `
  resolution_m = @resolutionM AND north BETWEEN @n0 AND @n1 AND east BETWEEN @e0 AND @e1
  AND (@allDepartements = 1 OR departement IN (SELECT value FROM json_each(@departements)))
  AND (@operators IS NULL OR operator IN (SELECT value FROM json_each(@operators)))
  AND (@fromMonth IS NULL OR month >= @fromMonth) AND (@toMonth IS NULL OR month <= @toMonth)`;

export function createSqliteGrid(db: Database.Database): SqliteGrid {
  const selectStats = db
    .prepare<[number, number, number, string, string, string, string, string], string>(
      `SELECT stats FROM grid_groups WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND technology = ?
       AND setting = ? AND month = ? AND departement = ?`,
    )
    .pluck();
  const upsertStats = db.prepare<[number, number, number, string, string, string, string, string, string]>(`
    INSERT INTO grid_groups (resolution_m, north, east, operator, technology, setting, month, departement, stats)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET stats = excluded.stats`);
  const addReportCount = db.prepare<[number, number, number, string, string, string, number]>(`
    INSERT INTO grid_reports (resolution_m, north, east, operator, month, departement, count) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const dropEmptyReports = db.prepare<[number, number, number, string, string, string]>(`
    DELETE FROM grid_reports WHERE resolution_m = ? AND north = ? AND east = ? AND operator = ? AND month = ? AND departement = ?
    AND count <= 0`);
  const groupsStatement = db.prepare<Record<string, unknown>, GroupRow>(`
    SELECT north, east, operator, technology, setting, month, departement, stats FROM grid_groups
    WHERE ${FILTERS}
      AND (@technologies IS NULL OR technology IN (SELECT value FROM json_each(@technologies)))
      AND (@settings IS NULL OR setting IN (SELECT value FROM json_each(@settings)))`);
  const reportsStatement = db.prepare<Record<string, unknown>, ReportCountRow>(
    `SELECT north, east, operator, month, departement, count FROM grid_reports WHERE ${FILTERS} AND count > 0`,
  );
  const deleteGroupsIn = db.prepare<[number, number, number, number, number]>(
    'DELETE FROM grid_groups WHERE resolution_m = ? AND north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
  );
  const readingsIn = db.prepare<[number, number, number, number], { body: string; account_id: string | null; departement: string | null }>(
    'SELECT body, account_id, departement FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? ORDER BY seq',
  );

  function batch(): GridBatch {
    const groups = new Map<string, PendingGroup>();
    const reports = new Map<string, PendingReports>();

    const tallyReport = (cell: CellRef, operator: string, month: string, departement: string, delta: number) => {
      for (const ref of [cell, coarserCell(cell, COARSE_RESOLUTION_M)]) {
        const key = `${ref.resolutionM}|${ref.north}|${ref.east}|${operator}|${month}|${departement}`;
        const pending = reports.get(key);
        if (pending) pending.delta += delta;
        else reports.set(key, { resolutionM: ref.resolutionM, north: ref.north, east: ref.east, operator, month, departement, delta });
      }
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
        for (const ref of [cell, coarserCell(cell, COARSE_RESOLUTION_M)]) {
          const key = `${ref.resolutionM}|${ref.north}|${ref.east}|${reading.operator}|${reading.technology}|${reading.setting}|${month}|${dept}`;
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
              departement: dept,
              stats: emptyStats(),
            };
            groups.set(key, pending);
          }
          addToStats(pending.stats, reading, contributor);
        }
      },

      addReport(report, departement, delta) {
        const cell = baseCellOf(report.lon, report.lat);
        if (cell) tallyReport(cell, report.operator, monthOf(Date.parse(report.reportedAt)), departement ?? '', delta);
      },

      flush() {
        for (const g of groups.values()) {
          const stored = selectStats.get(g.resolutionM, g.north, g.east, g.operator, g.technology, g.setting, g.month, g.departement);
          const stats = stored === undefined ? g.stats : mergeInto(JSON.parse(stored) as GroupStats, g.stats);
          upsertStats.run(g.resolutionM, g.north, g.east, g.operator, g.technology, g.setting, g.month, g.departement, JSON.stringify(stats));
        }
        for (const r of reports.values()) {
          if (r.delta === 0) continue;
          addReportCount.run(r.resolutionM, r.north, r.east, r.operator, r.month, r.departement, r.delta);
          if (r.delta < 0) dropEmptyReports.run(r.resolutionM, r.north, r.east, r.operator, r.month, r.departement);
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

  const cellId = (resolutionM: number, row: { north: number; east: number }) => formatCellId({ resolutionM, north: row.north, east: row.east });

  return {
    batch,

    groups(query) {
      return groupsStatement.all(params(query)).map((row) => ({
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
      return reportsStatement.all(params(query)).map((row) => ({
        cell: cellId(query.resolutionM, row),
        operator: row.operator,
        month: row.month,
        departement: row.departement === '' ? null : row.departement,
        count: row.count,
      }));
    },

    rebuild(coarseCells) {
      const fine = COARSE_RESOLUTION_M - BASE_RESOLUTION_M;
      const writer = batch();
      for (const { north, east } of coarseCells) {
        deleteGroupsIn.run(BASE_RESOLUTION_M, north, north + fine, east, east + fine);
        deleteGroupsIn.run(COARSE_RESOLUTION_M, north, north, east, east);
        for (const row of readingsIn.iterate(north, north + fine, east, east + fine)) {
          const reading = JSON.parse(row.body) as Reading;
          writer.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
        }
      }
      writer.flush();
    },

    backfill() {
      const page = db.prepare<[number], { seq: number; body: string; account_id: string | null; departement: string | null }>(
        'SELECT seq, body, account_id, departement FROM readings WHERE seq > ? ORDER BY seq LIMIT 5000',
      );
      const setCell = db.prepare<[number, number, number]>('UPDATE readings SET cell_n = ?, cell_e = ? WHERE seq = ?');
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
