import type { Reading } from './reading-schema.ts';

export type { Reading, Source, ValidationResult } from './reading-schema.ts';

/**
 * Wire format v1 of a reading, shared by the phone and the server. Field names are a public
 * contract (docs/api.md): add optional fields, never rename. Unknown keys are dropped rather
 * than refused, so that a newer phone talking to an older server during an update still
 * gets its readings through.
 */

export const SETTINGS = ['outdoor', 'indoor', 'vehicle'] as const;
export type Setting = (typeof SETTINGS)[number];
export const SETTING_LABELS: Record<Setting, string> = {
  outdoor: 'Extérieur',
  indoor: 'Intérieur',
  vehicle: 'En véhicule',
};

export const VOICE_RESULTS = ['ok', 'failed', 'dropped', 'not-tested'] as const;
export type VoiceResult = (typeof VOICE_RESULTS)[number];
export const VOICE_LABELS: Record<VoiceResult, string> = {
  'not-tested': 'Non testé',
  ok: 'Appel réussi',
  failed: 'Échec de l’appel',
  dropped: 'Appel coupé',
};

export const SMS_RESULTS = ['ok', 'failed', 'not-tested'] as const;
export type SmsResult = (typeof SMS_RESULTS)[number];
export const SMS_LABELS: Record<SmsResult, string> = {
  'not-tested': 'Non testé',
  ok: 'SMS envoyé',
  failed: 'SMS en échec',
};

export const SOURCES = ['agent', 'resident', 'import'] as const;
export const SOURCE_LABELS: Record<(typeof SOURCES)[number], string> = {
  agent: 'Relevé d’un agent',
  import: 'Importé d’un journal Android',
  resident: 'Signalement d’habitant',
};

/**
 * Where a reading's position came from, when not from the device's positioning (the default,
 * so older readings stay valid): 'manual' when the agent placed it on a map because the phone
 * had no fix; its accuracyM is then what the map's scale allowed (src/app/report/pin-accuracy.ts).
 */
export const READING_POSITION_SOURCES = ['manual'] as const;

/** Above this the position says too little about where coverage was measured. */
export const MAX_ACCURACY_M = 1000;
/** Above this the agent must confirm before saving (as survey tools warn). */
export const ACCURACY_WARNING_M = 50;
export const MAX_NOTE_LENGTH = 500;
/** Phones with a wrong clock exist; a day of skew is tolerated, not more. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Earlier than this, the phone's clock was surely reset (New Deal Mobile began in 2018). */
export const EARLIEST_RECORDED_AT = '2018-01-01T00:00:00Z';

/**
 * What the app measured itself against the server (src/app/evidence/probe.ts). `result`
 * says how far it got: 'device-offline' when the phone itself said it had no network,
 * 'unreachable' when no request reached the server (evidence of no usable data service),
 * 'reachable' when it answered; the figures are present for the steps that completed.
 */
export const PROBE_RESULTS = ['reachable', 'unreachable', 'device-offline'] as const;
export type ProbeResult = (typeof PROBE_RESULTS)[number];
export const PROBE_STEPS = ['reach', 'latency', 'download', 'upload'] as const;
export type ProbeStep = (typeof PROBE_STEPS)[number];

/** At most this many keys in a reading's `extra` (cell identifiers of imported logs). */
export const MAX_EXTRA_KEYS = 40;
/** INSEE commune code: 5 characters, Corsica's start 2A or 2B. */
export const INSEE_CODE_PATTERN = /^(?:[0-9]{2}|2A|2B)[0-9]{3}$/;

/**
 * The calendar date written in an ISO 8601 text exists (no 30 February). Date.parse rolls
 * impossible days over into the next month instead of refusing them.
 */
export function isRealCalendarDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Larger than any budget a deployment would give a test (src/server/config.ts). */
export const MAX_DATA_TEST_BYTES = 1_000_000_000;

export interface FieldError {
  /** Dotted path of the offending field, or "" for the reading as a whole. */
  field: string;
  message: string;
}

/** Key order fixed, so two equal readings serialise to the same text (duplicate vs conflict). */
export function canonicalJson(reading: Reading): string {
  return JSON.stringify(sortKeys(reading));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
