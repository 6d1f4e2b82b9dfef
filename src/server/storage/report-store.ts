import type { Bbox } from '../../domain/geojson.ts';
import type { Report } from '../../domain/report.ts';
import type { PlaceMethod } from '../communes/communes.ts';

export interface StoredReport {
  report: Report;
  commune: string | null;
  departement: string | null;
  /** How the server placed it (communes.ts): reviewers see it. */
  placement: PlaceMethod | null;
  receivedAt: string;
  hidden: boolean;
  hiddenReason: string | null;
  /** How many later reports were collapsed into this one as repeats (hidden and shown with it). */
  repeats: number;
}

export type ReportOutcome = 'accepted' | 'duplicate';

export interface ReportIngestItem {
  report: Report;
  commune: string | null;
  departement: string | null;
  /** As ReadingPlacement's placement and placedWith (absent: placed at the next start). */
  placement?: PlaceMethod | null;
  placedWith?: number;
}

export interface ReportIngestOptions {
  receivedAt: string;
}

export interface ReportQuery {
  bbox?: Bbox;
  limit: number;
  cursor?: string;
  /** Hidden reports are left out except those of this département ('all': every one). */
  hiddenVisibleIn?: 'all' | { departement: string };
  /**
   * Only the reports this accepts fill the page, and nextCursor is given only when another
   * one it accepts follows: what `keep` refuses leaves no trace in the page (report-page.ts).
   */
  keep?: (report: StoredReport) => boolean;
}

export interface ReportPage {
  reports: StoredReport[];
  nextCursor?: string;
}

/** Residents' reports of dead spots. */
export interface ReportStore {
  /**
   * Stores reports; a repeat of a visible stored report (same operator, problem and setting,
   * same public cell and hour: report-collapse.ts) is a duplicate and adds one to that
   * report's `repeats`. Every id taken, stored or collapsed, is remembered: an id taken before
   * is a duplicate that changes nothing, whatever its body and whatever became of the report
   * it counts in (hidden, shown again), so a resent report is counted once. One transaction
   * per call; several processes receiving one report at once count it once.
   */
  ingestReports(items: readonly ReportIngestItem[], options: ReportIngestOptions): Promise<ReportOutcome[]>;
  /** Rejects with InvalidCursorError when the cursor was not made by this store. */
  queryReports(query: ReportQuery): Promise<ReportPage>;
  reportById(id: string): Promise<StoredReport | undefined>;
  setReportHidden(id: string, hidden: boolean, reason: string | null): Promise<boolean>;
}
