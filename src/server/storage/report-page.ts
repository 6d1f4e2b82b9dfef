import { pageOf } from './page-cursor.ts';
import { toReport, type ReportRow } from './rows.ts';
import type { ReportPage, StoredReport } from './report-store.ts';

/**
 * A page of reports as both stores make it (queryReports): rows in seq order from `fetch`,
 * only those `keep` accepts, and a nextCursor only when another one it accepts follows.
 * Rows `keep` refuses take no room in the page and do not make a nextCursor appear, so a page
 * tells nothing about them (the public feed filters a box on coarse positions this way: the
 * rows a box of exact positions holds must not show through the page's length or cursor).
 */
export async function keptReportPage(
  fetch: (afterSeq: number, take: number) => ReportRow[] | Promise<ReportRow[]>,
  { afterSeq, limit, keep }: { afterSeq: number; limit: number; keep?: (report: StoredReport) => boolean },
): Promise<ReportPage> {
  const kept: { seq: number; report: StoredReport }[] = [];
  const take = limit + 1;
  let after = afterSeq;
  for (;;) {
    const rows = await fetch(after, take);
    for (const row of rows) {
      const report = toReport(row);
      if (keep && !keep(report)) continue;
      kept.push({ seq: row.seq, report });
      if (kept.length > limit) break;
    }
    if (kept.length > limit || rows.length < take) break;
    after = rows[rows.length - 1]!.seq;
  }
  const page = pageOf(kept, limit);
  return {
    reports: page.rows.map((k) => k.report),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}
