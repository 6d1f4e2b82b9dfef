import type { RadioTechnology } from '../signal.ts';
import { importedReadingId } from './import-id.ts';
import {
  booleanField,
  defined,
  finishReading,
  identifierField,
  instantField,
  isRefusal,
  numberField,
  positionFields,
  refuse,
  settingFor,
  type CsvLogFormat,
  type LogRowOptions,
  type RowOutcome,
} from './import-row.ts';
import { operatorFromPlmn } from './plmn.ts';
import { signalField } from './signal-field.ts';
import type { CsvRow } from './tower-collector.ts';

/** What differs between Network Survey's cellular files (LTE, NR, UMTS, GSM); the rest is shared. */
export interface NetworkSurveyCellKind {
  format: CsvLogFormat;
  technology: RadioTechnology;
  /** The column of the technology's own metric (docs/coverage-rules.md); no generic fallback. */
  signalColumn: string;
  /** The cell identity column: it enters the reading's id, so it never changes for a format. */
  cellIdColumn: string;
  /** The cell identifiers and quality figures kept in `extra`, beside format, MCC and MNC. */
  extra: (row: CsvRow) => Record<string, number | undefined>;
}

export const NEIGHBOUR_REASON = 'Cellule voisine : seule la cellule de service dit la couverture';

/**
 * Network Survey logs the neighbours it hears beside the serving cell, with `servingCell`
 * false; Android gives a neighbour no PLMN, which the app writes as MCC and MNC 0 (no network
 * has either). Either says the row is not what the phone was using.
 */
export function isNeighbourRow(row: CsvRow): boolean {
  if (booleanField(row.servingCell) === false) return true;
  return row.mcc?.trim() === '0' && row.mnc?.trim() === '0';
}

/** One row of a Network Survey cellular CSV → a reading of its technology, or why not. */
export function mapNetworkSurveyCell(kind: NetworkSurveyCellKind, row: CsvRow, options: LogRowOptions): RowOutcome {
  if (isNeighbourRow(row)) return refuse('neighbour', NEIGHBOUR_REASON);

  const plmn = operatorFromPlmn(row.mcc, row.mnc);
  if (isRefusal(plmn)) return { ok: false, refusal: plmn };
  const position = positionFields(row.latitude, row.longitude, row.accuracy);
  if (isRefusal(position)) return { ok: false, refusal: position };
  const time = instantField(row.deviceTime);
  if (!time) return refuse('time', row.deviceTime?.trim() ? `Date illisible : « ${row.deviceTime.trim()} »` : 'Date (deviceTime) manquante');

  const signal = signalField(kind.technology, [[kind.signalColumn, row[kind.signalColumn]]]);
  if (typeof signal !== 'number') return { ok: false, refusal: signal };

  const cellId = identifierField(row[kind.cellIdColumn]);
  const speedMps = numberField(row.speed);
  return finishReading(
    defined({
      id: importedReadingId({ format: kind.format, at: time.ms, lat: position.lat, lon: position.lon, cellId, operator: plmn.operator }),
      recordedAt: time.iso,
      ...position,
      altitudeM: numberField(row.altitude),
      speedMps,
      operator: plmn.operator,
      technology: kind.technology,
      signalDbm: signal,
      setting: settingFor(options.setting, speedMps),
      source: 'import',
      ...options.campaign,
      extra: defined({ format: kind.format, mcc: plmn.mcc, mnc: plmn.mnc, ...kind.extra(row) }),
    }),
  );
}
