import { mapDeviceCsvRow } from './device-file.ts';
import type { ImportFormat, LogRowOptions, RowOutcome } from './import-row.ts';
import { mapNetworkSurveyCdrRow } from './network-survey-cdr.ts';
import { mapNetworkSurveyGsmRow, mapNetworkSurveyNrRow, mapNetworkSurveyRow, mapNetworkSurveyUmtsRow } from './network-survey.ts';
import { mapTowerCollectorRow, type CsvRow } from './tower-collector.ts';

export type CsvRowMapper = (row: CsvRow, options: LogRowOptions) => RowOutcome;

/**
 * How a CSV row of each format becomes a reading. Our own export keeps every field as it was
 * (id, setting and campaign included): the agent's options apply to measurement-app logs only.
 */
export const CSV_ROW_MAPPERS: Partial<Record<ImportFormat, CsvRowMapper>> = {
  'tower-collector': mapTowerCollectorRow,
  'network-survey': mapNetworkSurveyRow,
  'network-survey-nr': mapNetworkSurveyNrRow,
  'network-survey-umts': mapNetworkSurveyUmtsRow,
  'network-survey-gsm': mapNetworkSurveyGsmRow,
  'network-survey-cdr': mapNetworkSurveyCdrRow,
  'couverture-csv': (row) => mapDeviceCsvRow(row),
};
