import Papa from 'papaparse';
import { NEEDS_APOSTROPHE, NEEDS_APOSTROPHE_DECIMAL_COMMA } from './csv-formula.ts';

/**
 * The one CSV writer of the product: the server's files (zones.csv, a zone's readings.csv,
 * open data's grid.csv), the phone's export and the refused-lines file all go through it.
 * Papaparse writes; a text cell a spreadsheet would run as a formula gets an apostrophe in
 * front (csv-formula.ts: the rule, and its inverse for reading our own files back).
 *
 * Two dialects. `machine` (the default) is RFC 4180 for programs and for reading back:
 * commas, numbers as JS writes them (`43.7339`), booleans `true`/`false`, a date as ISO 8601.
 * `tableur` is what French spreadsheets (Excel, LibreOffice in fr-FR) open into columns by a
 * double-click: semicolons, CRLF, decimal commas (`43,7339`), booleans « oui » / « non », a
 * date as JJ/MM/AAAA HH:MM in Europe/Paris. The headers and values of a `tableur` file are
 * its caller's to put in French; neither dialect writes the byte-order mark (UTF8_BOM),
 * which only the start of a file takes.
 */

/** A value of a cell; null and undefined are written as an empty cell. */
export type CsvValue = string | number | boolean | Date | null | undefined;

export type CsvDialect = 'machine' | 'tableur';

export interface CsvOptions {
  /** Default `machine`. */
  dialect?: CsvDialect;
  /** Ends every row, the last one too (machine only; `tableur` always ends with CRLF). Default CRLF (RFC 4180); the server's files keep LF. */
  newline?: '\r\n' | '\n';
}

/** The byte-order mark that makes a spreadsheet opened by double-click read UTF-8 (accents). */
export const UTF8_BOM = '\uFEFF';

/**
 * Rows as CSV text: fields quoted when they hold the separator, a quote, a line break or an
 * edge space (papaparse's rules), formula-like text neutralised, every row ended by the
 * newline, cells written as the dialect says (above). Papaparse's own `escapeFormulae: true`
 * is not used: its pattern (`^[=+\-@\t\r].*$`) misses a formula followed by a line break.
 */
export function csvRows(rows: readonly (readonly CsvValue[])[], { dialect = 'machine', newline = '\r\n' }: CsvOptions = {}): string {
  if (rows.length === 0) return '';
  if (dialect === 'machine') return Papa.unparse(rows as CsvValue[][], { newline, escapeFormulae: NEEDS_APOSTROPHE }) + newline;
  // Numbers become text here (`-1,5`), so the rule must let a decimal comma through, as it
  // lets `-1.5` through: a spreadsheet reads it as that number, never as a formula.
  const cells = rows.map((row) => row.map(tableurCell));
  return `${Papa.unparse(cells, { newline: '\r\n', delimiter: ';', escapeFormulae: NEEDS_APOSTROPHE_DECIMAL_COMMA })}\r\n`;
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

const PARIS_MINUTE = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 2026-05-04T08:15:00Z → « 04/05/2026 10:15 » (the time in Paris, summer or winter); empty for an invalid date. */
export function parisDateTime(at: Date): string {
  if (Number.isNaN(at.getTime())) return '';
  const part = Object.fromEntries(PARIS_MINUTE.formatToParts(at).map(({ type, value }) => [type, value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}

/** A cell as a French spreadsheet reads it (text stays text, for the formula rule to judge). */
function tableurCell(value: CsvValue): string | null | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (value instanceof Date) return parisDateTime(value);
  return value;
}
