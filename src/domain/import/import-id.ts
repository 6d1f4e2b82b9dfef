import { v5 as uuidV5 } from 'uuid';
import type { Operator } from '../operators.ts';
import type { CsvLogFormat } from './import-row.ts';

/**
 * Namespace of the name-based ids (UUID v5) of imported log rows. Never change it: the same
 * row imported on any device, today or next year, must keep its id, so that a file imported
 * twice, or on two phones, is stored and counted once.
 */
export const IMPORT_ID_NAMESPACE = '80792d44-8e5d-4dfc-af23-79d1128021ca';

export interface ImportIdentity {
  format: CsvLogFormat;
  /** The measurement instant, ms since epoch (so "…Z" and "+00:00" spellings agree). */
  at: number;
  lat: number;
  lon: number;
  /** Cell identity as logged (cell_id / eci); empty when the app could not read it. */
  cellId: number | undefined;
  operator: Operator;
}

export function importedReadingId({ format, at, lat, lon, cellId, operator }: ImportIdentity): string {
  return uuidV5([format, new Date(at).toISOString(), lat, lon, cellId ?? '', operator].join('|'), IMPORT_ID_NAMESPACE);
}
