import type { RejectedItem, UploadAnswer } from '../domain/api/common.ts';
import type { Reading } from '../domain/reading.ts';

export const READINGS_ENDPOINT = '/api/v1/readings';
export const REPORTS_ENDPOINT = '/api/v1/reports';
export const SESSION_ENDPOINT = '/api/v1/session';
/** The server takes at most this many readings per request. */
export const MAX_BATCH = 500;
/** …and at most this many residents' reports. */
export const MAX_REPORT_BATCH = 50;
/** Shown on every open page when the server turned the session away. */
export const SIGN_IN_NEEDED_MESSAGE = 'Session expirée : reconnectez-vous pour envoyer vos relevés';
/** Background Sync tag under which the page asks the service worker to send. */
export const SYNC_TAG = 'couverture-outbox';

export interface UploadRequest {
  readings: Reading[];
}

/** One item the server refused, and why (the contract's RejectedItemSchema). */
export type RejectedReading = RejectedItem;

/** Same answer for readings and reports: each item judged alone (the contract's UploadAnswerSchema). */
export type UploadResponse = UploadAnswer;

/**
 * Page → service worker, through workbox-window's messageSW. NETWORK_GONE: the page heard
 * `offline`; the worker notes that its uploads under way may hang (upload.ts noteNetworkGone).
 * NETWORK_BACK: the page heard `online`; the worker abandons those (abandonUploadsInFlight).
 */
export type PageToWorkerMessage = { type: 'SYNC_NOW' } | { type: 'SKIP_WAITING' } | { type: 'NETWORK_GONE' } | { type: 'NETWORK_BACK' };

/** What one flush did to one outbox. */
export interface QueueFlushResult {
  /** Items the server now holds, acknowledged in this flush. */
  sent: number;
  refused: number;
  /** Still waiting after this flush. */
  pending: number;
  /** Why sending stopped early; the items concerned stay waiting. */
  error?: string;
  /** The wait the busy server asked for (its `Retry-After`, ms), when it stopped the send. */
  retryAfterMs?: number;
}

/** Readings at the top level (as before accounts), residents' reports under `reports`. */
export interface FlushResult extends QueueFlushResult {
  /**
   * The readings wait for someone to sign in: the server turned the session away (401, or a
   * refused CSRF token), or nobody is signed in. No automatic retry helps until then.
   */
  authRequired?: true;
  /** Present when the device had residents' reports waiting. */
  reports?: QueueFlushResult;
}

/** Broadcast to every open page (and the service worker) on the sync channel. */
export type SyncEvent =
  | { type: 'flush-started' }
  /** `ids`: the readings this batch changed (absent from older app versions: re-read them all). */
  | { type: 'flush-progress'; sent: number; refused: number; ids?: string[] }
  | { type: 'flush-finished'; result: FlushResult }
  /** `ids`: the readings added, changed or deleted ([] for none, absent when unknown: re-read them all). */
  | { type: 'outbox-changed'; ids?: string[] }
  /** Signed in, out, or turned away: every page re-reads the session. */
  | { type: 'session-changed' };
