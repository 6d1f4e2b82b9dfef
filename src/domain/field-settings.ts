import { DEFAULT_PROTOCOL, type Protocol } from './protocol.ts';

/**
 * How the phone measures in the field, set per deployment on the server (environment
 * variables, docs in README) and sent to the page in GET /api/v1/config as `field`.
 */

export interface ProbeSettings {
  /** false: no probe at all (the reading still records `connection`). */
  enabled: boolean;
  /** Small requests whose median round trip is the latency. */
  latencySamples: number;
  /** Bytes fetched from GET /api/v1/probe?bytes=N for the download figure. */
  downloadBytes: number;
  /** Bytes posted to POST /api/v1/probe for the upload figure. */
  uploadBytes: number;
  /** Each step (one request) gives up after this long. */
  stepTimeoutMs: number;
}

export interface TrackSettings {
  /** A track records a point when the agent has moved this far since the last one… */
  spacingM: number;
  /** …or when this long has passed, whichever comes first. */
  intervalS: number;
}

/**
 * The QoS data tests (src/app/evidence/data-tests.ts): what one run may cost the agent's data
 * plan. The upload is the protocol's (UPLOAD_TEST_BYTES); the download stops at whichever
 * comes first of its bytes and seconds; the page is a document and its resources.
 */
export interface DataTestSettings {
  /** false: the survey offers no data tests (the calls and SMS still follow the protocol). */
  enabled: boolean;
  downloadMaxBytes: number;
  downloadMaxS: number;
  /** The page-like set of resources, all files together. */
  pageBytes: number;
}

export interface FieldSettings {
  probe: ProbeSettings;
  track: TrackSettings;
  /** The protocol of a reading made outside any campaign, and of a campaign created without one. */
  protocol: Protocol;
  dataTest: DataTestSettings;
}

/** Bounds on the data tests' budgets, on the server too (a request for more is refused). */
export const MAX_DATA_TEST_DOWNLOAD_BYTES = 50_000_000;
export const MAX_DATA_TEST_PAGE_BYTES = 5_000_000;

/** The probe's payloads are bounded on the server too: a request for more is refused. */
export const MAX_PROBE_BYTES = 1_000_000;

export const DEFAULT_FIELD_SETTINGS: FieldSettings = {
  // About 300 KB and a few seconds per reading on a fair connection (issue 5's budget).
  probe: { enabled: true, latencySamples: 3, downloadBytes: 200_000, uploadBytes: 100_000, stepTimeoutMs: 5000 },
  track: { spacingM: 100, intervalS: 30 },
  protocol: DEFAULT_PROTOCOL,
  // Arcep's transfer « long enough to mean something »: 10 s or 10 MB, whichever first; a 2 MB page.
  dataTest: { enabled: true, downloadMaxBytes: 10_000_000, downloadMaxS: 10, pageBytes: 2_000_000 },
};
