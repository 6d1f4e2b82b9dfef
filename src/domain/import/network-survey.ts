import { importedReadingId } from './import-id.ts';
import { booleanField, defined, finishReading, identifierField, instantField, isRefusal, numberField, positionFields, refuse, settingFor, type LogRowOptions, type RowOutcome } from './import-row.ts';
import { operatorFromPlmn } from './plmn.ts';
import { signalField } from './signal-field.ts';
import type { CsvRow } from './tower-collector.ts';

/** Network Survey's LTE CSV header (DOMAIN.md); older versions lack speed and a few others. */
export const NETWORK_SURVEY_COLUMNS = [
  'deviceTime', 'latitude', 'longitude', 'altitude', 'speed', 'accuracy', 'missionId', 'recordNumber', 'groupNumber', 'mcc', 'mnc', 'tac', 'eci',
  'earfcn', 'pci', 'rsrp', 'rsrq', 'ta', 'servingCell', 'lteBandwidth', 'provider', 'signalStrength', 'cqi', 'slot', 'snr', 'deviceSerialNumber', 'locationAge',
] as const;

export const NETWORK_SURVEY_REQUIRED = ['deviceTime', 'latitude', 'longitude', 'accuracy', 'mcc', 'mnc', 'eci', 'rsrp'] as const;

/** One Network Survey LTE row → a 4G reading; neighbour cells (servingCell false) are not kept. */
export function mapNetworkSurveyRow(row: CsvRow, options: LogRowOptions): RowOutcome {
  if (booleanField(row.servingCell) === false) return refuse('neighbour', 'Cellule voisine : seule la cellule de service dit la couverture');

  const plmn = operatorFromPlmn(row.mcc, row.mnc);
  if (isRefusal(plmn)) return { ok: false, refusal: plmn };
  const position = positionFields(row.latitude, row.longitude, row.accuracy);
  if (isRefusal(position)) return { ok: false, refusal: position };
  const time = instantField(row.deviceTime);
  if (!time) return refuse('time', row.deviceTime?.trim() ? `Date illisible : « ${row.deviceTime.trim()} »` : 'Date (deviceTime) manquante');

  const signal = signalField('4G', [['rsrp', row.rsrp]]);
  if (typeof signal !== 'number') return { ok: false, refusal: signal };

  const eci = identifierField(row.eci);
  const speedMps = numberField(row.speed);
  return finishReading(
    defined({
      id: importedReadingId({ format: 'network-survey', at: time.ms, lat: position.lat, lon: position.lon, cellId: eci, operator: plmn.operator }),
      recordedAt: time.iso,
      ...position,
      altitudeM: numberField(row.altitude),
      speedMps,
      operator: plmn.operator,
      technology: '4G',
      signalDbm: signal,
      setting: settingFor(options.setting, speedMps),
      source: 'import',
      ...options.campaign,
      extra: defined({
        format: 'network-survey',
        mcc: plmn.mcc,
        mnc: plmn.mnc,
        tac: identifierField(row.tac),
        eci,
        pci: identifierField(row.pci),
        earfcn: identifierField(row.earfcn),
        rsrq: numberField(row.rsrq),
        ta: identifierField(row.ta),
      }),
    }),
  );
}
