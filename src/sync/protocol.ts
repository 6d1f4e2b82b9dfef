import type { FieldError, Reading } from '../domain/reading.ts';

export const READINGS_ENDPOINT = '/api/v1/readings';
/** The server takes at most this many readings per request. */
export const MAX_BATCH = 500;
/** Background Sync tag under which the page asks the service worker to send. */
export const SYNC_TAG = 'couverture-outbox';

export interface UploadRequest {
  readings: Reading[];
}

export interface RejectedReading {
  id: string | null;
  index: number;
  code?: 'invalid' | 'conflict';
  errors: FieldError[];
}

export interface UploadResponse {
  accepted: string[];
  duplicates: string[];
  rejected: RejectedReading[];
}

/** Page → service worker, through workbox-window's messageSW. */
export type PageToWorkerMessage = { type: 'SYNC_NOW' } | { type: 'SKIP_WAITING' };

export interface FlushResult {
  /** Readings the server now holds, acknowledged in this flush. */
  sent: number;
  refused: number;
  /** Still waiting after this flush. */
  pending: number;
  /** Why sending stopped early; the readings concerned stay waiting. */
  error?: string;
}

/** Broadcast to every open page (and the service worker) on the sync channel. */
export type SyncEvent =
  | { type: 'flush-started' }
  | { type: 'flush-progress'; sent: number; refused: number }
  | { type: 'flush-finished'; result: FlushResult }
  | { type: 'outbox-changed' };
