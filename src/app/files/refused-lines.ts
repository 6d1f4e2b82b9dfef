import { csvTable, UTF8_BOM } from '../../domain/csv.ts';
import type { RefusedRow } from '../../domain/import/import-summary.ts';

/** The refused lines as a CSV the agent can open beside the original log: line, reason, content. */
export function refusedLinesCsv(refused: readonly RefusedRow[]): Blob {
  const csv = csvTable(['ligne', 'motif', 'contenu'], refused.map((row) => [row.line, row.reason, row.text]));
  return new Blob([UTF8_BOM + csv], { type: 'text/csv;charset=utf-8' });
}
