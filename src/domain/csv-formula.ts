/**
 * Formula injection (OWASP « CSV Injection »): a spreadsheet runs a cell that starts with
 * `=`, `+`, `-` or `@` (and, once it trims them, a tab or a carriage return), so text a user
 * typed could send data away (`=HYPERLINK(…)`) or start a program (`+cmd|…`). The CSV writer
 * (csv.ts) puts an apostrophe before such a text cell: spreadsheets show it as text and hide
 * the apostrophe. Also neutralised: the full-width forms ＝ ＋ － ＠ (Apple Numbers reads them
 * as the ASCII ones), and a cell made of apostrophes then one of those characters, so that
 * `restoreCsvCell` can take exactly one apostrophe away and give any text back unchanged.
 *
 * Left alone: a string that is a plain decimal number in full (`-105`, `+33`, `-1.5e3`): a
 * spreadsheet reads it as that number, never as a formula. (JS numbers and booleans are not
 * text at all: the writer leaves them alone too.)
 */

const FORMULA_START = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const PLAIN_NUMBER = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';

/** A text cell a spreadsheet could run: apostrophes (or none), then a formula character; not a plain number. No `g` flag: `test` keeps no state. */
export const NEEDS_APOSTROPHE = new RegExp(`^(?!${PLAIN_NUMBER}$)'*[${FORMULA_START}]`);
/**
 * The same for the spreadsheet dialect, whose numbers are written with a decimal comma
 * (`-1,5`, `43,7339`): such a cell is a plain number too, never run.
 */
export const NEEDS_APOSTROPHE_DECIMAL_COMMA = new RegExp(`^(?!${PLAIN_NUMBER.replaceAll('\\.', '[.,]')}$)'*[${FORMULA_START}]`);
/** What the writer made of such a cell: one more apostrophe in front. */
const WRITTEN_WITH_APOSTROPHE = new RegExp(`^'+[${FORMULA_START}]`);

/** The text as the CSV writer puts it in a cell. */
export function neutraliseFormula(text: string): string {
  return NEEDS_APOSTROPHE.test(text) ? `'${text}` : text;
}

/**
 * The text a cell held before the CSV writer wrote it: one apostrophe taken away where the
 * writer put one. For reading back the product's own files (the phone's export); any other
 * file's cells are its author's.
 */
export function restoreCsvCell(cell: string): string {
  return WRITTEN_WITH_APOSTROPHE.test(cell) ? cell.slice(1) : cell;
}
