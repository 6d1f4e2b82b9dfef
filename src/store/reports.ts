import type { Report } from '../domain/report.ts';
import { withDb, type OutboxState, type ReportRecord } from './db.ts';
import { anyPending, applyVerdicts, countInState, countStates, oldestPending, type ServerVerdicts } from './queue.ts';

export type { ReportRecord } from './db.ts';

/**
 * Residents' reports made on this device: saved here first, sent without an account when
 * the network allows, in the same states as readings (pending → sent, or refused).
 */
export async function addReport(report: Report, savedAt = Date.now()): Promise<ReportRecord> {
  const record: ReportRecord = { id: report.id, report, state: 'pending', savedAt };
  await withDb((db) => db.add('reports', record));
  return record;
}

/** Newest first. */
export async function listReports(): Promise<ReportRecord[]> {
  const all = await withDb((db) => db.getAllFromIndex('reports', 'bySavedAt'));
  return all.reverse();
}

export async function getReport(id: string): Promise<ReportRecord | undefined> {
  return withDb((db) => db.get('reports', id));
}

export function pendingReports(limit: number): Promise<ReportRecord[]> {
  return oldestPending<ReportRecord>('reports', limit);
}

export function countReportsByState(): Promise<Record<OutboxState, number>> {
  return countStates('reports');
}

/** Reports waiting to be sent, counted by index. */
export function countReportsWaiting(): Promise<number> {
  return countInState('reports', 'pending');
}

/** Whether any report waits, at the cost of one index key. */
export function anyReportWaiting(): Promise<boolean> {
  return anyPending('reports');
}

export function applyReportVerdicts(verdicts: ServerVerdicts, at = Date.now()): Promise<void> {
  return applyVerdicts('reports', verdicts, at);
}

export async function deleteReport(id: string): Promise<void> {
  await withDb((db) => db.delete('reports', id));
}
