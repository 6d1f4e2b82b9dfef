import type pg from 'pg';
import type { Report } from '../../../domain/report.ts';
import { REPORT_COLUMN_NAMES, reportValues } from '../insert-columns.ts';
import type { ReportOutcome, ReportStore } from '../report-store.ts';
import { repeatSearch, repeats } from '../report-collapse.ts';
import { toReport, type ReportRow } from '../rows.ts';
import { afterSeq } from '../page-cursor.ts';
import { keptReportPage } from '../report-page.ts';
import { inTransaction } from './postgres-db.ts';
import { gridBatch } from './postgres-grid.ts';
import { countingUnits } from './postgres-grid-units.ts';
import { bboxSql, Params } from './postgres-reading-filter.ts';

/** The PostgreSQL side of report-store.ts: tables `reports` and `report_ids`, and their counts in the grid. */

/**
 * Any constant: whether a report repeats one already stored is a read-then-write decision,
 * so report ingests take turns on this advisory lock, across processes (residents' reports
 * are few; readings never take it).
 */
const REPORT_INGEST_LOCK = 4_260_812;

export function createPostgresReports(pool: pg.Pool): ReportStore {
  return {
    async ingestReports(items, options) {
      return inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [REPORT_INGEST_LOCK]);
        const batch = countingUnits(gridBatch());
        const outcomes: ReportOutcome[] = [];
        // One report after the other: a later report of the call may repeat an earlier one.
        for (const item of items) {
          const { report, departement } = item;
          // Stored or collapsed into a repeat, a report already taken changes nothing: the
          // phone resends what it has not heard acknowledged.
          const taken = await client.query('SELECT 1 FROM report_ids WHERE id = $1', [report.id]);
          if (taken.rowCount !== 0) {
            outcomes.push('duplicate');
            continue;
          }
          const reportedAtMs = Date.parse(report.reportedAt);
          const placed = { lat: report.lat, lon: report.lon, reportedAtMs };
          const search = repeatSearch(placed);
          const params = new Params();
          const { rows: near } = await client.query<{ seq: number; id: string; lat: number; lon: number; reportedAtMs: number }>(
            // Similar reports in the cell's box and the hour, earliest first (the box's edges
            // may hold a neighbour cell's points: the cells are compared in JavaScript).
            `SELECT r.seq, r.id, r.lat, r.lon, r.reported_at_ms AS "reportedAtMs" FROM reports r
             WHERE ${bboxSql(params, search.box)} AND NOT r.hidden AND r.operator = ${params.add(report.operator)}
               AND r.problem = ${params.add(report.problem)} AND r.setting = ${params.add(report.setting)}
               AND r.reported_at_ms BETWEEN ${params.add(search.fromMs, 'bigint')} AND ${params.add(search.toMs, 'bigint')}
             ORDER BY r.seq LIMIT 100`,
            params.values,
          );
          const repeatOf = near.find((row) => repeats(placed, row));
          if (repeatOf) {
            // The id is taken and the repeat counted in one statement, only if the id was free:
            // once even without the lock.
            await client.query(
              `WITH taken AS (INSERT INTO report_ids (id, into_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING into_id)
               UPDATE reports SET repeats = repeats + 1 WHERE id IN (SELECT into_id FROM taken)`,
              [report.id, repeatOf.id],
            );
            outcomes.push('duplicate');
            continue;
          }
          const inserted = await client.query(
            `INSERT INTO reports (${REPORT_COLUMN_NAMES.join(', ')}) VALUES (${REPORT_COLUMN_NAMES.map((_, i) => `$${i + 1}`).join(', ')})
             ON CONFLICT (id) DO NOTHING`,
            reportValues({ ...item, receivedAt: options.receivedAt }),
          );
          if (inserted.rowCount !== 1) {
            outcomes.push('duplicate');
            continue;
          }
          await client.query('INSERT INTO report_ids (id, into_id) VALUES ($1, $1)', [report.id]);
          batch.addReport(report, departement, 1);
          outcomes.push('accepted');
        }
        await batch.flush(client);
        return outcomes;
      });
    },

    async queryReports({ bbox, limit, cursor, hiddenVisibleIn, keep }) {
      const fetch = async (after: number, take: number) => {
        const params = new Params();
        let where = `r.seq > ${params.add(after, 'bigint')}`;
        if (bbox) where += ` AND ${bboxSql(params, bbox)}`;
        if (hiddenVisibleIn === undefined) where += ' AND NOT r.hidden';
        else if (hiddenVisibleIn !== 'all') where += ` AND (NOT r.hidden OR r.departement = ${params.add(hiddenVisibleIn.departement)})`;
        const { rows } = await pool.query<ReportRow>(`SELECT r.* FROM reports r WHERE ${where} ORDER BY r.seq LIMIT ${params.add(take, 'int')}`, params.values);
        return rows;
      };
      return keptReportPage(fetch, { afterSeq: afterSeq(cursor), limit, ...(keep && { keep }) });
    },

    async reportById(id) {
      const { rows } = await pool.query<ReportRow>('SELECT * FROM reports WHERE id = $1', [id]);
      return rows[0] && toReport(rows[0]);
    },

    async setReportHidden(id, hidden, reason) {
      return inTransaction(pool, async (client) => {
        // Locked: two reviewers hiding it at once must take it out of the grid once.
        const { rows } = await client.query<ReportRow>('SELECT * FROM reports WHERE id = $1 FOR UPDATE', [id]);
        const before = rows[0];
        if (!before) return false;
        await client.query('UPDATE reports SET hidden = $1, hidden_reason = $2 WHERE id = $3', [hidden, reason, id]);
        if (before.hidden !== hidden) {
          const batch = countingUnits(gridBatch());
          batch.addReport(JSON.parse(before.body) as Report, before.departement, hidden ? -1 : 1);
          await batch.flush(client);
        }
        return true;
      });
    },
  };
}
