/**
 * Arcep's two measurement protocols (shared/EVIDENCE.md, docs/coverage-rules.md) and whether a
 * reading's tests conform to them. The one place that says what counts as a success: the
 * survey's guided tests, the statistics per cell, the dossier and the arcep-qos.csv export
 * all ask here.
 *
 * - « Vérification de carte » (`map-check`): a call set up and held 1 minute, outdoors,
 *   static; what Arcep checks operators' maps with, and "may be run by anyone".
 * - « Qualité de service (Arcep) » (`qos`): a call held 2 minutes with understandable audio, an
 *   SMS received within 10 s, a 1 MB upload intact in under 30 s, a download throughput class
 *   and a page loaded within 10 s.
 */

export const PROTOCOLS = ['map-check', 'qos'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const PROTOCOL_LABELS: Record<Protocol, string> = {
  'map-check': 'Vérification de carte',
  qos: 'Qualité de service (Arcep)',
};

/** A reading without `protocol` (made before protocols were recorded, or imported) follows the map check's. */
export const DEFAULT_PROTOCOL: Protocol = 'map-check';

/** How long the call must be held, in seconds, per protocol. */
export const CALL_HOLD_S: Record<Protocol, number> = { 'map-check': 60, qos: 120 };
/** QoS: the SMS must arrive within this many seconds. */
export const SMS_MAX_DELAY_S = 10;
/** QoS: the file sent up, and how long it may take. */
export const UPLOAD_TEST_BYTES = 1_000_000;
export const UPLOAD_MAX_S = 30;
/** QoS: how long a page (a document and its resources) may take to load. */
export const PAGE_MAX_S = 10;

/** Arcep's download throughput classes, in Mbit/s: below 3, 3 to 8, 8 to 30, above 30. */
export const THROUGHPUT_CLASSES = ['<3', '3-8', '8-30', '>30'] as const;
export type ThroughputClass = (typeof THROUGHPUT_CLASSES)[number];
export const THROUGHPUT_CLASS_LABELS: Record<ThroughputClass, string> = {
  '<3': 'moins de 3 Mbit/s',
  '3-8': '3 à 8 Mbit/s',
  '8-30': '8 à 30 Mbit/s',
  '>30': 'plus de 30 Mbit/s',
};

/** Arcep's three outcomes of a test: held but poor audio is `partial`. */
export type TestOutcome = 'success' | 'partial' | 'failure';

/** The agent's judgement of the call's audio (a browser cannot measure Arcep's MOS > 2.1). */
export const CALL_AUDIO = ['good', 'poor'] as const;
export type CallAudio = (typeof CALL_AUDIO)[number];

/**
 * The data tests run against this deployment's own server (a page cannot measure a third-party
 * site). Each part is present when it ran; `offline` when the phone said it had no network,
 * so that nothing was attempted (that is evidence too, not a failure of the test).
 */
export interface DataTest {
  /** When the tests started (ISO 8601 with offset). */
  startedAt: string;
  offline?: boolean;
  /** UPLOAD_TEST_BYTES sent; `intact`: the server's digest matched; `durationMs` until its answer. */
  upload?: { bytes: number; durationMs: number; intact: boolean };
  /** A transfer of up to 10 s or 10 MB, whichever first: bytes received in `durationMs`. */
  download?: { bytes: number; durationMs: number };
  /** A page-like set of resources: `complete` when every one arrived; `durationMs` until the last. */
  page?: { bytes: number; durationMs: number; complete: boolean };
}

/** What of a reading the protocol judges (a stored reading, or one on the device). */
export interface ProtocolFacts {
  protocol?: Protocol | undefined;
  voice?: 'ok' | 'failed' | 'dropped' | 'not-tested' | undefined;
  callTest?: { startedAt: string; durationS: number; audio?: CallAudio | undefined } | undefined;
  sms?: 'ok' | 'failed' | 'not-tested' | undefined;
  smsTest?: { startedAt: string; delayS?: number | undefined } | undefined;
  dataTest?: DataTest | undefined;
}

export function protocolOf(facts: ProtocolFacts): Protocol {
  return facts.protocol ?? DEFAULT_PROTOCOL;
}

/**
 * The guided call's outcome on its protocol's terms, or undefined when there is no conforming
 * call test: no guided test (a « voice » picked by hand is a report, not a test), not answered,
 * or answered « réussi » before the protocol's hold time. A call that failed or dropped is a
 * failure whatever its duration. Under QoS a held call is a success only with audio judged
 * good; held with poor audio is partial; held with audio not stated counts as partial too
 * (the protocol asks for it; we do not guess in the operator's favour).
 */
export function callOutcome(facts: ProtocolFacts): TestOutcome | undefined {
  const { callTest, voice } = facts;
  if (!callTest || voice === undefined || voice === 'not-tested') return undefined;
  if (voice === 'failed' || voice === 'dropped') return 'failure';
  const protocol = protocolOf(facts);
  if (callTest.durationS < CALL_HOLD_S[protocol]) return undefined;
  if (protocol === 'map-check') return 'success';
  return callTest.audio === 'good' ? 'success' : 'partial';
}

/**
 * The guided SMS's outcome: failure when it did not leave or never arrived; under QoS a
 * success only when it arrived within SMS_MAX_DELAY_S (an unknown delay is no QoS test);
 * under the map check, sent = success. Undefined when there is no guided SMS test.
 */
export function smsOutcome(facts: ProtocolFacts): Exclude<TestOutcome, 'partial'> | undefined {
  const { smsTest, sms } = facts;
  if (!smsTest || sms === undefined || sms === 'not-tested') return undefined;
  if (sms === 'failed') return 'failure';
  if (protocolOf(facts) === 'map-check') return 'success';
  if (smsTest.delayS === undefined) return undefined;
  return smsTest.delayS <= SMS_MAX_DELAY_S ? 'success' : 'failure';
}

/** QoS upload: 1 MB intact in under 30 s. Undefined when it did not run (or the phone was offline). */
export function uploadOutcome(test: DataTest | undefined): Exclude<TestOutcome, 'partial'> | undefined {
  const upload = test?.upload;
  if (!upload || upload.bytes < UPLOAD_TEST_BYTES) return undefined;
  return upload.intact && upload.durationMs < UPLOAD_MAX_S * 1000 ? 'success' : 'failure';
}

/** QoS page: every resource within 10 s. Undefined when it did not run. */
export function pageOutcome(test: DataTest | undefined): Exclude<TestOutcome, 'partial'> | undefined {
  const page = test?.page;
  if (!page) return undefined;
  return page.complete && page.durationMs <= PAGE_MAX_S * 1000 ? 'success' : 'failure';
}

/** The download's throughput in Mbit/s (10^6 bits per second), or undefined when it did not run. */
export function downloadMbps(test: DataTest | undefined): number | undefined {
  const download = test?.download;
  if (!download || download.durationMs <= 0) return undefined;
  return (download.bytes * 8) / (download.durationMs * 1000);
}

/** Arcep's class of a throughput: a bound belongs to the class above it (8 Mbit/s is « 8 à 30 »). */
export function throughputClass(mbps: number): ThroughputClass {
  if (mbps < 3) return '<3';
  if (mbps < 8) return '3-8';
  if (mbps < 30) return '8-30';
  return '>30';
}
