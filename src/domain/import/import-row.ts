import { SETTINGS, type Reading, type Setting } from '../reading.ts';
import { validateReading } from '../reading-schema.ts';

/**
 * What every import format shares: the outcome of one row, why a row is refused, and the
 * small parsing rules (numbers, times, the setting) the mappings apply alike.
 */

/** `network-survey` is its LTE file (the first it wrote); each technology has its own CSV. */
export const CSV_LOG_FORMATS = [
  'tower-collector',
  'network-survey',
  'network-survey-nr',
  'network-survey-umts',
  'network-survey-gsm',
  'network-survey-cdr',
] as const;
export type CsvLogFormat = (typeof CSV_LOG_FORMATS)[number];
/** Android measurement-app logs, then Couverture's own device exports. */
export type ImportFormat = CsvLogFormat | 'couverture-csv' | 'couverture-geojson' | 'couverture-json';

export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  'tower-collector': 'Tower Collector (CSV)',
  'network-survey': 'Network Survey, LTE (CSV)',
  'network-survey-nr': 'Network Survey, 5G NR (CSV)',
  'network-survey-umts': 'Network Survey, UMTS (CSV)',
  'network-survey-gsm': 'Network Survey, GSM (CSV)',
  'network-survey-cdr': 'Network Survey, journal d’appels (CDR, CSV)',
  'couverture-csv': 'Export Couverture (CSV)',
  'couverture-geojson': 'Export Couverture (GeoJSON)',
  'couverture-json': 'Lot de relevés Couverture (JSON)',
};

export const REFUSAL_CODES = [
  'malformed',
  'neighbour',
  'radio',
  'foreign',
  'plmn',
  'position',
  'time',
  'signal',
  'signal-range',
  'not-a-call',
  'no-call-outcome',
  'invalid',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Headings of the preview's count per reason. */
export const REFUSAL_LABELS: Record<RefusalCode, string> = {
  malformed: 'Lignes mal formées',
  neighbour: 'Cellules voisines (seule la cellule de service est importée)',
  radio: 'Réseau non pris en charge',
  foreign: 'Réseaux d’un autre pays',
  plmn: 'Opérateur inconnu (PLMN)',
  position: 'Position manquante',
  time: 'Date manquante ou illisible',
  signal: 'Signal manquant',
  'signal-range': 'Signal hors plage plausible',
  'not-a-call': 'Événements qui ne sont pas des appels (SMS, MMS, mise à jour de zone)',
  'no-call-outcome': 'Appels sans issue ni durée (le journal n’en note que le début)',
  invalid: 'Refusés par le format des relevés',
};

export interface Refusal {
  code: RefusalCode;
  /** In French, with the offending value: shown in the preview and the refused-lines file. */
  reason: string;
}

export type RowOutcome = { ok: true; reading: Reading } | { ok: false; refusal: Refusal };

export const refuse = (code: RefusalCode, reason: string): RowOutcome => ({ ok: false, refusal: { code, reason } });

/** 'auto': from the logged speed; otherwise what the agent picked in the preview for every row. */
export type SettingChoice = 'auto' | Setting;
export const SETTING_CHOICES: readonly SettingChoice[] = ['auto', ...SETTINGS];

/**
 * Above this speed (≈ 11 km/h, faster than walking or jogging) a logged row was taken in a
 * vehicle. Android logs carry no indoor/outdoor fact, and measurement apps are run walking or
 * driving, so below it the row counts as outdoor; the agent can pick « Intérieur » instead.
 */
export const VEHICLE_SPEED_MPS = 3;

export function settingFor(choice: SettingChoice, speedMps: number | undefined): Setting {
  if (choice !== 'auto') return choice;
  return speedMps !== undefined && speedMps > VEHICLE_SPEED_MPS ? 'vehicle' : 'outdoor';
}

export interface LogRowOptions {
  setting: SettingChoice;
  /** The campaign the agent attaches the import to, if any. */
  campaign?: { campaignId: string; communeInsee: string };
}

/** Android writes Integer.MAX_VALUE (CellInfo.UNAVAILABLE) or Long.MAX_VALUE for "unknown". */
const ANDROID_UNAVAILABLE = 2_147_483_647;
const ANDROID_UNAVAILABLE_LONG = 9.2e18;

/** A number in a CSV field; empty, unreadable or Android's "unavailable" → undefined. */
export function numberField(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value === ANDROID_UNAVAILABLE || Math.abs(value) >= ANDROID_UNAVAILABLE_LONG) return undefined;
  return value;
}

/** Identifiers (cell id, TAC…): also -1, which older Android versions write for "unknown". */
export function identifierField(text: string | undefined): number | undefined {
  const value = numberField(text);
  return value === undefined || value < 0 || !Number.isInteger(value) ? undefined : value;
}

export function booleanField(text: string | undefined): boolean | undefined {
  const trimmed = text?.trim().toLowerCase();
  if (trimmed === 'true' || trimmed === '1') return true;
  if (trimmed === 'false' || trimmed === '0') return false;
  return undefined;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/**
 * A logged time: ISO 8601 with its zone (kept as written, so the local time stays), ISO
 * without a zone (taken as UTC, as Tower Collector writes it), or epoch milliseconds/seconds.
 */
export function instantField(text: string | undefined): { ms: number; iso: string } | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  if (ISO_WITH_ZONE.test(trimmed)) {
    const ms = Date.parse(trimmed);
    return Number.isFinite(ms) ? { ms, iso: trimmed } : undefined;
  }
  let ms = Number.NaN;
  if (ISO_WITHOUT_ZONE.test(trimmed)) ms = Date.parse(`${trimmed.replace(' ', 'T')}Z`);
  else if (/^\d{13}$/.test(trimmed)) ms = Number(trimmed);
  else if (/^\d{10}$/.test(trimmed)) ms = Number(trimmed) * 1000;
  return Number.isFinite(ms) ? { ms, iso: new Date(ms).toISOString() } : undefined;
}

/** Latitude and longitude, or why there is no usable position (0,0 is a phone without a fix). */
export function positionFields(
  latText: string | undefined,
  lonText: string | undefined,
  accuracyText: string | undefined,
): { lat: number; lon: number; accuracyM: number } | Refusal {
  const lat = numberField(latText);
  const lon = numberField(lonText);
  if (lat === undefined || lon === undefined || (lat === 0 && lon === 0))
    return { code: 'position', reason: 'Position manquante (latitude ou longitude vide)' };
  const accuracyM = numberField(accuracyText);
  if (accuracyM === undefined) return { code: 'position', reason: 'Précision de la position manquante' };
  return { lat, lon, accuracyM };
}

export function isRefusal(value: object): value is Refusal {
  return 'code' in value && 'reason' in value;
}

/** The last word is the wire format's own: what it refuses, the row is refused for, in its words. */
export function finishReading(candidate: Record<string, unknown>): RowOutcome {
  const result = validateReading(candidate);
  if (result.ok) return result;
  return refuse('invalid', [...new Set(result.errors.map((error) => error.message))].join(' ; '));
}

/** Drops undefined values, so that `extra` and optional fields only hold what the log had. */
export function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
