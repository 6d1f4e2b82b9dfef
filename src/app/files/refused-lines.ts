import Papa from 'papaparse';
import type { RefusedRow } from '../../domain/import/import-summary.ts';

/** The refused lines as a CSV the agent can open beside the original log: line, reason, content. */
export function refusedLinesCsv(refused: readonly RefusedRow[]): Blob {
  const csv = Papa.unparse({ fields: ['ligne', 'motif', 'contenu'], data: refused.map((row) => [row.line, row.reason, row.text]) });
  return new Blob([`\uFEFF${csv}\r\n`], { type: 'text/csv;charset=utf-8' });
}
