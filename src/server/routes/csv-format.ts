import type { CsvDialect } from '../../domain/csv.ts';
import { badRequest } from '../http-errors.ts';

type RawQuery = Record<string, string | string[]>;

/**
 * `?format=tableur` on a CSV route: the file for a French spreadsheet (csv.ts's `tableur`
 * dialect); without it, the machine CSV, unchanged. Answers the dialect and the other
 * parameters, for the route's own parsing.
 */
export function csvFormatQuery(raw: RawQuery): { dialect: CsvDialect; rest: RawQuery } {
  const { format, ...rest } = raw;
  if (format === undefined) return { dialect: 'machine', rest };
  if (Array.isArray(format)) throw badRequest(`Le paramètre format est donné ${format.length} fois : donnez-le une seule fois.`);
  if (format !== 'tableur') {
    throw badRequest(
      `format=« ${format} » : attendu format=tableur (le CSV pour un tableur : points-virgules, virgules décimales, en français), ou aucun format pour le CSV des programmes.`,
    );
  }
  return { dialect: 'tableur', rest };
}

/** `zones-34.csv` → `zones-34-tableur.csv`: both files may sit side by side in Downloads. */
export function csvFileName(base: string, dialect: CsvDialect): string {
  return dialect === 'tableur' ? `${base}-tableur.csv` : `${base}.csv`;
}
