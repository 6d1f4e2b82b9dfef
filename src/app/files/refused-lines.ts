import { csvTable, UTF8_BOM } from '../../domain/csv.ts';
import type { RefusedRow } from '../../domain/import/import-summary.ts';

/**
 * The refused lines as a CSV the agent opens in a spreadsheet beside the original log: line,
 * reason, content, in the spreadsheet dialect (semicolons, so the content's commas stay in one
 * cell). It is read, never imported back.
 */
export function refusedLinesCsv(refused: readonly RefusedRow[]): Blob {
  const csv = csvTable(
    ['ligne', 'motif', 'contenu'],
    refused.map((row) => [row.line, row.reason, row.text]),
    { dialect: 'tableur' },
  );
  return new Blob([UTF8_BOM + csv], { type: 'text/csv;charset=utf-8' });
}
