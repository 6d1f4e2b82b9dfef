import type { CampaignScope } from '../campaign-scope.ts';
import type { SettingChoice, ImportFormat, RefusalCode } from './import-row.ts';

/** What the page and the import worker exchange (structured-cloned through comlink). */

/** At most this many refused lines are kept with their text for « Télécharger les lignes refusées ». */
export const MAX_REFUSED_KEPT = 1000;

export interface RefusedRow {
  /** Line of the file (header = line 1); for a JSON file, the item's position from 1. */
  line: number;
  code: RefusalCode;
  reason: string;
  /** The line as read, for the downloadable file. */
  text: string;
}

export interface ImportCounts {
  format: ImportFormat;
  /** Data rows read (header and empty lines excepted). */
  rowsRead: number;
  /** Readings already stored on this device (same id): a file imported again adds nothing. */
  alreadyOnDevice: number;
  /** Rows that make the same reading as an earlier row of the file. */
  duplicatesInFile: number;
  refusedCount: number;
  refusedByCode: Partial<Record<RefusalCode, number>>;
  /** The first MAX_REFUSED_KEPT refused rows. */
  refused: RefusedRow[];
}

export interface ImportPreview extends ImportCounts {
  /** New readings the import would add. */
  toImport: number;
  /** Of those, readings outside the campaign's period or commune: they would be added without it. */
  outsideCampaign: number;
}

export interface ImportResult extends ImportCounts {
  /** Readings added to this device's outbox. */
  added: number;
  /** Of those, readings added without the campaign: outside its period or commune. */
  outsideCampaign: number;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  /** During the import: readings written so far. */
  added?: number;
}

export interface ImportOptions {
  setting: SettingChoice;
  campaign?: { campaignId: string; communeInsee: string };
  /** With `campaign`: its period and where its commune lies; readings outside are imported without it. */
  campaignScope?: CampaignScope;
}

export interface ImportRunOptions extends ImportOptions {
  /** The account signed in on the page: only its session will send the readings. */
  recordedBy?: string;
}

/** `csv-tableur`: the CSV for a French spreadsheet, not meant to be imported back. */
export type ExportFormat = 'geojson' | 'csv' | 'csv-tableur' | 'json';
export type ExportScope = 'all' | 'unsent';
