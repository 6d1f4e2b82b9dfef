import { DEVICE_CSV_REQUIRED, isFeatureCollection } from './device-file.ts';
import type { ImportFormat } from './import-row.ts';
import { NETWORK_SURVEY_CDR_REQUIRED } from './network-survey-cdr.ts';
import { NETWORK_SURVEY_GSM_REQUIRED, NETWORK_SURVEY_NR_REQUIRED, NETWORK_SURVEY_REQUIRED, NETWORK_SURVEY_UMTS_REQUIRED } from './network-survey.ts';
import { TOWER_COLLECTOR_REQUIRED } from './tower-collector.ts';

/** Each CSV format and the columns that name it; the first whose columns are all there wins. */
const CSV_SIGNATURES: readonly (readonly [ImportFormat, readonly string[]])[] = [
  ['tower-collector', TOWER_COLLECTOR_REQUIRED],
  ['network-survey', NETWORK_SURVEY_REQUIRED],
  ['network-survey-nr', NETWORK_SURVEY_NR_REQUIRED],
  ['network-survey-umts', NETWORK_SURVEY_UMTS_REQUIRED],
  ['network-survey-gsm', NETWORK_SURVEY_GSM_REQUIRED],
  ['network-survey-cdr', NETWORK_SURVEY_CDR_REQUIRED],
  ['couverture-csv', DEVICE_CSV_REQUIRED],
];

/** The CSV format its header line names, whatever the file is called. */
export function detectCsvFormat(header: readonly string[]): ImportFormat | undefined {
  const names = new Set(header.map((name) => name.trim()));
  return CSV_SIGNATURES.find(([, required]) => required.every((name) => names.has(name)))?.[0];
}

export function detectJsonFormat(value: unknown): ImportFormat | undefined {
  if (isFeatureCollection(value)) return 'couverture-geojson';
  if (typeof value === 'object' && value !== null && Array.isArray((value as { readings?: unknown }).readings)) return 'couverture-json';
  return undefined;
}

export const UNKNOWN_FORMAT_MESSAGE =
  'Format non reconnu : la première ligne n’est ni celle de Tower Collector, ni celle de Network Survey (LTE, 5G NR, UMTS, GSM ou journal d’appels), ni celle d’un export Couverture (CSV, GeoJSON ou JSON).';
