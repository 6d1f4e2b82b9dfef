import { identifierField, numberField, type LogRowOptions, type RowOutcome } from './import-row.ts';
import { mapNetworkSurveyCell, type NetworkSurveyCellKind } from './network-survey-cell.ts';
import type { CsvRow } from './tower-collector.ts';

/**
 * Network Survey (github.com/christianrowlands/android-network-survey) writes one CSV per
 * technology. The headers below are its own, from `logging/{Lte,Nr,Umts,Gsm}CsvLogger.java`
 * and `constants/csv/*CsvConstants.java` (NR « CSV Version=0.5.0 », UMTS and GSM 0.3.0);
 * newer files open with `#` comment lines (app version, CSV version) before the header.
 * Older versions write fewer columns: the REQUIRED lists are what every version has.
 */

/** LTE (DOMAIN.md); older versions lack speed and a few others. */
export const NETWORK_SURVEY_COLUMNS = [
  'deviceTime',
  'latitude',
  'longitude',
  'altitude',
  'speed',
  'accuracy',
  'missionId',
  'recordNumber',
  'groupNumber',
  'mcc',
  'mnc',
  'tac',
  'eci',
  'earfcn',
  'pci',
  'rsrp',
  'rsrq',
  'ta',
  'servingCell',
  'lteBandwidth',
  'provider',
  'signalStrength',
  'cqi',
  'slot',
  'snr',
  'deviceSerialNumber',
  'locationAge',
] as const;
export const NETWORK_SURVEY_REQUIRED = ['deviceTime', 'latitude', 'longitude', 'accuracy', 'mcc', 'mnc', 'eci', 'rsrp'] as const;

export const NETWORK_SURVEY_NR_COLUMNS = [
  'deviceTime',
  'latitude',
  'longitude',
  'altitude',
  'speed',
  'accuracy',
  'missionId',
  'recordNumber',
  'groupNumber',
  'mcc',
  'mnc',
  'tac',
  'nci',
  'narfcn',
  'pci',
  'ssRsrp',
  'ssRsrq',
  'ssSinr',
  'csiRsrp',
  'csiRsrq',
  'csiSinr',
  'ta',
  'servingCell',
  'provider',
  'slot',
  'deviceSerialNumber',
  'locationAge',
  'plmn',
  'connectionStatus',
  'cellBandwidthsKhz',
] as const;
export const NETWORK_SURVEY_NR_REQUIRED = ['deviceTime', 'latitude', 'longitude', 'accuracy', 'mcc', 'mnc', 'nci', 'ssRsrp'] as const;

export const NETWORK_SURVEY_UMTS_COLUMNS = [
  'deviceTime',
  'latitude',
  'longitude',
  'altitude',
  'speed',
  'accuracy',
  'missionId',
  'recordNumber',
  'groupNumber',
  'mcc',
  'mnc',
  'lac',
  'cid',
  'uarfcn',
  'psc',
  'rscp',
  'ecno',
  'signalStrength',
  'servingCell',
  'provider',
  'slot',
  'deviceSerialNumber',
  'locationAge',
] as const;
export const NETWORK_SURVEY_UMTS_REQUIRED = ['deviceTime', 'latitude', 'longitude', 'accuracy', 'mcc', 'mnc', 'lac', 'cid', 'rscp'] as const;

/** GSM: `signalStrength` is Android's CellSignalStrengthGsm dBm, the RSSI. */
export const NETWORK_SURVEY_GSM_COLUMNS = [
  'deviceTime',
  'latitude',
  'longitude',
  'altitude',
  'speed',
  'accuracy',
  'missionId',
  'recordNumber',
  'groupNumber',
  'mcc',
  'mnc',
  'lac',
  'ci',
  'arfcn',
  'bsic',
  'signalStrength',
  'ta',
  'servingCell',
  'provider',
  'slot',
  'deviceSerialNumber',
  'locationAge',
] as const;
export const NETWORK_SURVEY_GSM_REQUIRED = ['deviceTime', 'latitude', 'longitude', 'accuracy', 'mcc', 'mnc', 'lac', 'ci', 'signalStrength'] as const;

const LTE: NetworkSurveyCellKind = {
  format: 'network-survey',
  technology: '4G',
  signalColumn: 'rsrp',
  cellIdColumn: 'eci',
  extra: (row) => ({
    tac: identifierField(row.tac),
    eci: identifierField(row.eci),
    pci: identifierField(row.pci),
    earfcn: identifierField(row.earfcn),
    rsrq: numberField(row.rsrq),
    ta: identifierField(row.ta),
  }),
};

const NR: NetworkSurveyCellKind = {
  format: 'network-survey-nr',
  technology: '5G',
  signalColumn: 'ssRsrp',
  cellIdColumn: 'nci',
  extra: (row) => ({
    tac: identifierField(row.tac),
    nci: identifierField(row.nci),
    pci: identifierField(row.pci),
    nrarfcn: identifierField(row.narfcn),
    rsrq: numberField(row.ssRsrq),
    sinr: numberField(row.ssSinr),
    ta: identifierField(row.ta),
  }),
};

const UMTS: NetworkSurveyCellKind = {
  format: 'network-survey-umts',
  technology: '3G',
  signalColumn: 'rscp',
  cellIdColumn: 'cid',
  extra: (row) => ({
    lac: identifierField(row.lac),
    cellId: identifierField(row.cid),
    psc: identifierField(row.psc),
    uarfcn: identifierField(row.uarfcn),
    ecno: numberField(row.ecno),
  }),
};

const GSM: NetworkSurveyCellKind = {
  format: 'network-survey-gsm',
  technology: '2G',
  signalColumn: 'signalStrength',
  cellIdColumn: 'ci',
  extra: (row) => ({
    lac: identifierField(row.lac),
    cellId: identifierField(row.ci),
    bsic: identifierField(row.bsic),
    arfcn: identifierField(row.arfcn),
    ta: identifierField(row.ta),
  }),
};

/** One Network Survey LTE row → a 4G reading (RSRP); neighbour cells are not kept. */
export const mapNetworkSurveyRow = (row: CsvRow, options: LogRowOptions): RowOutcome => mapNetworkSurveyCell(LTE, row, options);
/** One NR row → a 5G reading (SS-RSRP). */
export const mapNetworkSurveyNrRow = (row: CsvRow, options: LogRowOptions): RowOutcome => mapNetworkSurveyCell(NR, row, options);
/** One UMTS row → a 3G reading (RSCP). */
export const mapNetworkSurveyUmtsRow = (row: CsvRow, options: LogRowOptions): RowOutcome => mapNetworkSurveyCell(UMTS, row, options);
/** One GSM row → a 2G reading (RSSI). */
export const mapNetworkSurveyGsmRow = (row: CsvRow, options: LogRowOptions): RowOutcome => mapNetworkSurveyCell(GSM, row, options);
