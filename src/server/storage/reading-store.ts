import type { Bbox } from '../../domain/geojson.ts';
import type { Reading } from '../../domain/reading.ts';

/** What became of one reading handed to `ingest`. */
export type IngestOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface IngestResult {
  /**
   * One per reading handed in, in the same order. The id lists below cannot say which of two
   * readings sharing an id within one call was the conflicting one; this can.
   */
  outcomes: IngestOutcome[];
  /** Stored by this call. */
  accepted: string[];
  /** Already stored with the same content: a retry, harmless. */
  duplicates: string[];
  /** Already stored with other content: nothing was overwritten. */
  conflicts: string[];
}

export interface ReadingQuery {
  bbox?: Bbox;
  /** ISO 8601: only readings recorded at or after this instant. */
  since?: string;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface ReadingPage {
  readings: Reading[];
  /** Present when more readings match. */
  nextCursor?: string;
}

/**
 * What the routes need from storage. Async so that a networked store (PostgreSQL) fits the
 * same shape as the embedded SQLite one.
 */
export interface ReadingStore {
  /** Stores valid readings idempotently by id; all of one call commit in one transaction. */
  ingest(readings: Reading[]): Promise<IngestResult>;
  /** Rejects with InvalidCursorError when the cursor was not made by this store. */
  query(query: ReadingQuery): Promise<ReadingPage>;
  close(): Promise<void>;
}

export class InvalidCursorError extends Error {}
