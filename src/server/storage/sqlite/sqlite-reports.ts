import type Database from 'better-sqlite3';
import type { Report } from '../../../domain/report.ts';
import { afterSeq } from '../page-cursor.ts';
import { REPORT_COLUMN_NAMES, reportValues } from '../insert-columns.ts';
import { repeatSearch, repeats } from '../report-collapse.ts';
import { keptReportPage } from '../report-page.ts';
import type { ReportIngestItem, ReportIngestOptions, ReportOutcome, ReportStore } from '../report-store.ts';
import { toReport } from '../rows.ts';
import type { createSqliteGrid } from './sqlite-grid.ts';
import { countingUnits } from './sqlite-grid-units.ts';
import { IN_BBOX } from './sqlite-reading-filter.ts';
import { reportRow, sqliteValue, type SqliteReportRow } from './sqlite-rows.ts';

/** The SQLite side of report-store.ts: tables `reports`, `reports_position` and `report_ids`, and their counts in the grid. */
export function createSqliteReports(db: Database.Database, grid: ReturnType<typeof createSqliteGrid>): ReportStore {
  const insertReport = db.prepare<(string | number | null)[]>(
    `INSERT INTO reports (${REPORT_COLUMN_NAMES.join(', ')}) VALUES (${REPORT_COLUMN_NAMES.map(() => '?').join(', ')})`,
  );
  const reportIdTaken = db.prepare<[string], 1>('SELECT 1 FROM report_ids WHERE id = ?').pluck();
  const takeReportId = db.prepare<[string, string]>('INSERT INTO report_ids (id, into_id) VALUES (?, ?)');
  const insertReportPosition = db.prepare<[number | bigint, number, number, number, number]>(
    'INSERT INTO reports_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const nearbyReports = db.prepare<Record<string, number | string>, { seq: number; id: string; lat: number; lon: number; reportedAtMs: number }>(`
    SELECT r.seq, r.id, r.lat, r.lon, r.reported_at_ms AS reportedAtMs FROM reports_position p JOIN reports r ON r.seq = p.seq
    WHERE ${IN_BBOX}
      AND r.hidden = 0 AND r.operator = @operator AND r.problem = @problem AND r.setting = @setting
      AND r.reported_at_ms BETWEEN @fromMs AND @toMs
    ORDER BY r.seq LIMIT 100`);
  const countRepeat = db.prepare<[number]>('UPDATE reports SET repeats = repeats + 1 WHERE seq = ?');
  const reportById = db.prepare<[string], SqliteReportRow>('SELECT * FROM reports WHERE id = ?');
  const setHidden = db.prepare<[number, string | null, string]>('UPDATE reports SET hidden = ?, hidden_reason = ? WHERE id = ?');
  const HIDDEN_FILTER = 'AND (r.hidden = 0 OR @hiddenAll = 1 OR r.departement = @hiddenDepartement)';
  const reportPage = db.prepare<Record<string, unknown>, SqliteReportRow>(
    `SELECT r.* FROM reports r WHERE r.seq > @after ${HIDDEN_FILTER} ORDER BY r.seq LIMIT @take`,
  );
  const reportPageInBbox = db.prepare<Record<string, unknown>, SqliteReportRow>(
    `SELECT r.* FROM reports_position p JOIN reports r ON r.seq = p.seq WHERE ${IN_BBOX} AND r.seq > @after ${HIDDEN_FILTER}
     ORDER BY r.seq LIMIT @take`,
  );

  // The batch is made inside the transaction: counts gathered by an ingest that fails and
  // rolls back must not be written by the next one.
  const ingestReportsAndGrid = db.transaction((items: readonly ReportIngestItem[], options: ReportIngestOptions): ReportOutcome[] => {
    const reportBatch = countingUnits(db, grid.batch());
    const outcomes = items.map((item): ReportOutcome => {
      const { report, departement } = item;
      // Stored or collapsed into a repeat, a report already taken changes nothing: the phone
      // resends what it has not heard acknowledged.
      if (reportIdTaken.get(report.id)) return 'duplicate';
      const reportedAtMs = Date.parse(report.reportedAt);
      const placed = { lat: report.lat, lon: report.lon, reportedAtMs };
      const { box, fromMs, toMs } = repeatSearch(placed);
      const near = nearbyReports.all({ ...box, operator: report.operator, problem: report.problem, setting: report.setting, fromMs, toMs });
      const repeatOf = near.find((row) => repeats(placed, row));
      if (repeatOf) {
        takeReportId.run(report.id, repeatOf.id);
        countRepeat.run(repeatOf.seq);
        return 'duplicate';
      }
      const inserted = insertReport.run(...reportValues({ ...item, receivedAt: options.receivedAt }).map(sqliteValue));
      insertReportPosition.run(inserted.lastInsertRowid, report.lon, report.lon, report.lat, report.lat);
      takeReportId.run(report.id, report.id);
      reportBatch.addReport(report, departement, 1);
      return 'accepted';
    });
    reportBatch.flush();
    return outcomes;
  });
  const setHiddenAndGrid = db.transaction((id: string, hidden: boolean, reason: string | null): boolean => {
    const before = reportById.get(id);
    if (!before) return false;
    setHidden.run(hidden ? 1 : 0, reason, id);
    if ((before.hidden === 1) !== hidden) {
      const batch = countingUnits(db, grid.batch());
      batch.addReport(JSON.parse(before.body) as Report, before.departement, hidden ? -1 : 1);
      batch.flush();
    }
    return true;
  });

  return {
    async ingestReports(items, options) {
      return ingestReportsAndGrid.immediate(items, options);
    },
    async queryReports({ bbox, limit, cursor, hiddenVisibleIn, keep }) {
      const params = {
        hiddenAll: hiddenVisibleIn === 'all' ? 1 : 0,
        hiddenDepartement: typeof hiddenVisibleIn === 'object' ? hiddenVisibleIn.departement : null,
        ...bbox,
      };
      const fetch = (after: number, take: number) => (bbox ? reportPageInBbox : reportPage).all({ ...params, after, take }).map(reportRow);
      return keptReportPage(fetch, { afterSeq: afterSeq(cursor), limit, ...(keep && { keep }) });
    },
    async reportById(id) {
      const row = reportById.get(id);
      return row && toReport(reportRow(row));
    },
    async setReportHidden(id, hidden, reason) {
      return setHiddenAndGrid.immediate(id, hidden, reason);
    },
  };
}
