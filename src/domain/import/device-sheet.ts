import { LEVEL_LABELS, readingLevel } from '../level.ts';
import { OPERATOR_LABELS } from '../operators.ts';
import { SETTING_LABELS, SMS_LABELS, SOURCE_LABELS, VOICE_LABELS, type Reading } from '../reading.ts';
import { TECHNOLOGY_LABELS } from '../signal.ts';

/**
 * The phone's export « CSV pour tableur »: the readings a person reads in a French
 * spreadsheet, headers and values in French (the writer's `tableur` dialect does the rest:
 * semicolons, decimal commas, dates in Paris). Not a file to import back: the machine CSV
 * (device-file.ts) carries every field for that; this one leaves out what a person cannot
 * read (the connection's and probe's details beyond their figures, imported data).
 */

/** Where a reading stands on the phone. */
export const DEVICE_STATE_LABELS: Record<string, string> = {
  pending: 'En attente d’envoi',
  sent: 'Envoyé',
  refused: 'Refusé',
};

/** A cell as csv.ts takes it (that file stays out of the domain project: papaparse's types bring Node's). */
type SheetCell = string | number | Date | null | undefined;

interface SheetColumn {
  header: string;
  value: (reading: Reading, state: string) => SheetCell;
}

const DEVICE_SHEET_COLUMNS: readonly SheetColumn[] = [
  { header: 'Date du relevé', value: (r) => new Date(r.recordedAt) },
  { header: 'Sur cet appareil', value: (_, state) => DEVICE_STATE_LABELS[state] ?? state },
  { header: 'Opérateur', value: (r) => OPERATOR_LABELS[r.operator] },
  { header: 'Réseau affiché', value: (r) => TECHNOLOGY_LABELS[r.technology] },
  { header: 'Niveau de couverture', value: (r) => LEVEL_LABELS[readingLevel(r)] },
  { header: 'Signal (dBm)', value: (r) => r.signalDbm },
  { header: 'Barres de réseau', value: (r) => r.signalBars },
  { header: 'Situation', value: (r) => SETTING_LABELS[r.setting] },
  { header: 'Test d’appel', value: (r) => r.voice && VOICE_LABELS[r.voice] },
  { header: 'Test SMS', value: (r) => r.sms && SMS_LABELS[r.sms] },
  { header: 'Latitude', value: (r) => r.lat },
  { header: 'Longitude', value: (r) => r.lon },
  { header: 'Précision de la position (m)', value: (r) => r.accuracyM },
  { header: 'Altitude (m)', value: (r) => r.altitudeM },
  { header: 'Latence (ms)', value: (r) => r.probe?.latencyMs },
  { header: 'Débit descendant (kbit/s)', value: (r) => r.probe?.downloadKbps },
  { header: 'Débit montant (kbit/s)', value: (r) => r.probe?.uploadKbps },
  { header: 'Commune (INSEE)', value: (r) => r.communeInsee },
  { header: 'Note', value: (r) => r.note },
  { header: 'Origine du relevé', value: (r) => SOURCE_LABELS[r.source] },
  { header: 'Identifiant', value: (r) => r.id },
];

export const DEVICE_SHEET_HEADER = DEVICE_SHEET_COLUMNS.map((column) => column.header);

/** A reading as one row of the spreadsheet file (DEVICE_SHEET_HEADER's order). */
export function deviceSheetRow(reading: Reading, state: string): SheetCell[] {
  return DEVICE_SHEET_COLUMNS.map((column) => column.value(reading, state));
}
