import { DEVICE_CSV_REQUIRED, isFeatureCollection } from './device-file.ts';
import type { ImportFormat } from './import-row.ts';
import { NETWORK_SURVEY_REQUIRED } from './network-survey.ts';
import { TOWER_COLLECTOR_REQUIRED } from './tower-collector.ts';

/** The CSV format its header line names, whatever the file is called. */
export function detectCsvFormat(header: readonly string[]): ImportFormat | undefined {
  const names = new Set(header.map((name) => name.trim()));
  const has = (required: readonly string[]) => required.every((name) => names.has(name));
  if (has(TOWER_COLLECTOR_REQUIRED)) return 'tower-collector';
  if (has(NETWORK_SURVEY_REQUIRED)) return 'network-survey';
  if (has(DEVICE_CSV_REQUIRED)) return 'couverture-csv';
  return undefined;
}

export function detectJsonFormat(value: unknown): ImportFormat | undefined {
  if (isFeatureCollection(value)) return 'couverture-geojson';
  if (typeof value === 'object' && value !== null && Array.isArray((value as { readings?: unknown }).readings)) return 'couverture-json';
  return undefined;
}

export const UNKNOWN_FORMAT_MESSAGE =
  'Format non reconnu : la première ligne n’est ni celle de Tower Collector, ni celle de Network Survey (LTE), ni celle d’un export Couverture (CSV, GeoJSON ou JSON).';
