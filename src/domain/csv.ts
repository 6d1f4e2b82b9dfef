import Papa from 'papaparse';
import { NEEDS_APOSTROPHE } from './csv-formula.ts';

/**
 * The one CSV writer of the product: the server's files (zones.csv, a zone's readings.csv,
 * open data's grid.csv), the phone's export and the refused-lines file all go through it.
 * Papaparse writes; a text cell a spreadsheet would run as a formula gets an apostrophe in
 * front (csv-formula.ts: the rule, and its inverse for reading our own files back).
 */

/** A value of a cell; null and undefined are written as an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Ends every row, the last one too. Default CRLF (RFC 4180); the server's files keep LF. */
  newline?: '\r\n' | '\n';
}

/** The byte-order mark that makes a spreadsheet opened by double-click read UTF-8 (accents). */
export const UTF8_BOM = '\uFEFF';

/**
 * Rows as CSV text: fields quoted when they hold a comma, a quote, a line break or an edge
 * space (papaparse's rules), numbers and booleans as JS writes them, formula-like text
 * neutralised, every row ended by `newline`. Papaparse's own `escapeFormulae: true` is not
 * used: its pattern (`^[=+\-@\t\r].*$`) misses a formula followed by a line break.
 */
export function csvRows(rows: readonly (readonly CsvValue[])[], { newline = '\r\n' }: CsvOptions = {}): string {
  if (rows.length === 0) return '';
  return Papa.unparse(rows as CsvValue[][], { newline, escapeFormulae: NEEDS_APOSTROPHE }) + newline;
}

/** A header row then the rows, as `csvRows` writes them. */
export function csvTable(columns: readonly string[], rows: readonly (readonly CsvValue[])[], options: CsvOptions = {}): string {
  return csvRows([columns, ...rows], options);
}

/**
 * One line of an imported file shown as text (the refused-lines preview and file): its fields
 * joined and quoted as CSV, unchanged otherwise, since the agent compares it with their file.
 * It reaches a file only as a cell of `csvRows`, which neutralises it there.
 */
export function csvLineText(fields: readonly string[]): string {
  return Papa.unparse([fields as string[]], { newline: '' });
}
