import type pg from 'pg';
import type { GridStore } from '../grid-store.ts';
import type { ReadingStore } from '../reading-store.ts';
import type { ReportStore } from '../report-store.ts';

// Stub: written by the PostgreSQL readings work (readings, reports, the coverage grid, clusters).
export function createPostgresReadings(_pool: pg.Pool, _options: { maintainGrid: boolean }): Omit<ReadingStore, 'close'> & ReportStore & GridStore {
  const missing = async (): Promise<never> => {
    throw new Error('not implemented yet');
  };
  return {
    ingest: missing,
    query: missing,
    clusters: missing,
    readingsInCells: missing,
    communesInCells: missing,
    attribution: missing,
    placeUnplaced: missing,
    ingestReports: missing,
    queryReports: missing,
    reportById: missing,
    setReportHidden: missing,
    gridGroups: missing,
    gridReports: missing,
  };
}
