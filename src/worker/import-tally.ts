import type { ImportFormat } from '../domain/import/import-row.ts';
import { MAX_REFUSED_KEPT, type ImportCounts } from '../domain/import/import-summary.ts';
import type { Reading } from '../domain/reading.ts';
import type { SourceRow } from './import-source.ts';

/**
 * Counts an import file's rows the same way for the preview and the import: refusals (all
 * counted, the first ones kept with their text), and readings the file already gave.
 */
export class ImportTally {
  rowsRead = 0;
  alreadyOnDevice = 0;
  duplicatesInFile = 0;
  refusedCount = 0;
  readonly refusedByCode: ImportCounts['refusedByCode'] = {};
  readonly refused: ImportCounts['refused'] = [];
  /** Ids met so far: 100,000 short strings, the one thing kept for the whole file. */
  private readonly seen = new Set<string>();

  /** The readings of these rows not met earlier in the file. */
  take(rows: readonly SourceRow[]): Reading[] {
    const fresh: Reading[] = [];
    for (const { line, outcome, text } of rows) {
      this.rowsRead += 1;
      if (!outcome.ok) {
        this.refusedCount += 1;
        this.refusedByCode[outcome.refusal.code] = (this.refusedByCode[outcome.refusal.code] ?? 0) + 1;
        if (this.refused.length < MAX_REFUSED_KEPT) this.refused.push({ line, ...outcome.refusal, text: text() });
      } else if (this.seen.has(outcome.reading.id)) {
        this.duplicatesInFile += 1;
      } else {
        this.seen.add(outcome.reading.id);
        fresh.push(outcome.reading);
      }
    }
    return fresh;
  }

  counts(format: ImportFormat): ImportCounts {
    const { rowsRead, alreadyOnDevice, duplicatesInFile, refusedCount, refusedByCode, refused } = this;
    return { format, rowsRead, alreadyOnDevice, duplicatesInFile, refusedCount, refusedByCode, refused };
  }
}
