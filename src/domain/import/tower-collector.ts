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
  type LogRowOptions,
  type RowOutcome,
} from './import-row.ts';
import { operatorFromPlmn } from './plmn.ts';
import { signalField } from './signal-field.ts';

/** Tower Collector's CSV export header (DOMAIN.md); older versions write a subset of it. */
export const TOWER_COLLECTOR_COLUMNS = [
  'mcc',
  'mnc',
  'lac',
  'cell_id',
  'short_cell_id',
  'rnc',
  'psc',
  'asu',
  'dbm',
  'ta',
  'lat',
  'lon',
  'accuracy',
  'speed',
  'bearing',
  'altitude',
  'measured_at',
  'net_type',
  'neighboring',
  'discovered_at',
  'device',
  'rsrp',
  'rsrq',
  'rssi',
  'rssnr',
  'cqi',
  'rscp',
  'csi_rsrp',
  'csi_rsrq',
  'csi_sinr',
  'ss_rsrp',
  'ss_rsrq',
  'ss_sinr',
  'cdma_dbm',
  'cdma_ecio',
  'evdo_dbm',
  'evdo_ecio',
  'evdo_snr',
  'ec_no',
  'arfcn',
] as const;

/** Enough to recognise the format and to map a row: every version of the export has these. */
export const TOWER_COLLECTOR_REQUIRED = ['mcc', 'mnc', 'lac', 'cell_id', 'lat', 'lon', 'accuracy', 'measured_at', 'net_type'] as const;

const TECHNOLOGY_BY_NET_TYPE: Record<string, RadioTechnology> = { GSM: '2G', UMTS: '3G', 'TD-SCDMA': '3G', LTE: '4G', NR: '5G' };

export type CsvRow = Readonly<Record<string, string | undefined>>;

/**
 * One Tower Collector row → a reading. Only the serving cell is kept: a neighbour's signal is
 * not what the phone would use, and counting it would make weak readings out of good spots.
 */
export function mapTowerCollectorRow(row: CsvRow, options: LogRowOptions): RowOutcome {
  if (booleanField(row.neighboring) === true) return refuse('neighbour', 'Cellule voisine : seule la cellule de service dit la couverture');

  const netType = row.net_type?.trim().toUpperCase() ?? '';
  if (netType === 'CDMA') return refuse('radio', 'Réseau CDMA : aucun opérateur ne l’exploite en France');
  const technology = TECHNOLOGY_BY_NET_TYPE[netType];
  if (!technology) return refuse('radio', netType ? `Type de réseau inconnu : « ${netType} »` : 'Type de réseau (net_type) manquant');

  const plmn = operatorFromPlmn(row.mcc, row.mnc);
  if (isRefusal(plmn)) return { ok: false, refusal: plmn };
  const position = positionFields(row.lat, row.lon, row.accuracy);
  if (isRefusal(position)) return { ok: false, refusal: position };
  const time = instantField(row.measured_at);
  if (!time) return refuse('time', row.measured_at?.trim() ? `Date illisible : « ${row.measured_at.trim()} »` : 'Date (measured_at) manquante');

  const signal = signalField(technology, signalColumns(technology, row));
  if (typeof signal !== 'number') return { ok: false, refusal: signal };

  const cellId = identifierField(row.cell_id);
  const speedMps = numberField(row.speed);
  const bearing = numberField(row.bearing);
  const radioNamed = technology === '4G' || technology === '5G';
  return finishReading(
    defined({
      id: importedReadingId({ format: 'tower-collector', at: time.ms, lat: position.lat, lon: position.lon, cellId, operator: plmn.operator }),
      recordedAt: time.iso,
      ...position,
      altitudeM: numberField(row.altitude),
      speedMps,
      // Android says 0° when it has no bearing; a heading means something only when moving.
      headingDeg: bearing !== undefined && speedMps !== undefined && speedMps > 0 ? bearing % 360 : undefined,
      operator: plmn.operator,
      technology,
      signalDbm: signal,
      setting: settingFor(options.setting, speedMps),
      source: 'import',
      ...options.campaign,
      extra: defined({
        format: 'tower-collector',
        netType,
        mcc: plmn.mcc,
        mnc: plmn.mnc,
        [radioNamed ? 'tac' : 'lac']: identifierField(row.lac),
        [technology === '4G' ? 'eci' : technology === '5G' ? 'nci' : 'cellId']: cellId,
        [radioNamed ? 'pci' : 'psc']: identifierField(row.psc),
        [technology === '4G' ? 'earfcn' : technology === '5G' ? 'nrarfcn' : 'arfcn']: identifierField(row.arfcn),
        rsrq: technology === '4G' ? numberField(row.rsrq) : technology === '5G' ? numberField(row.ss_rsrq) : undefined,
        ta: identifierField(row.ta),
      }),
    }),
  );
}

function signalColumns(technology: RadioTechnology, row: CsvRow): [string, string | undefined][] {
  switch (technology) {
    case '2G':
      return [
        ['rssi', row.rssi],
        ['dbm', row.dbm],
      ];
    case '3G':
      return [
        ['rscp', row.rscp],
        ['dbm', row.dbm],
      ];
    case '4G':
      return [
        ['rsrp', row.rsrp],
        ['dbm', row.dbm],
      ];
    case '5G':
      return [
        ['ss_rsrp', row.ss_rsrp],
        ['dbm', row.dbm],
      ];
  }
}
