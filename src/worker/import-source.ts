import { csvLineText } from '../domain/csv.ts';
import { mapBatchItem, mapDeviceFeature } from '../domain/import/device-file.ts';
import { detectCsvFormat, detectJsonFormat, UNKNOWN_FORMAT_MESSAGE } from '../domain/import/detect-format.ts';
import type { ImportFormat, LogRowOptions, RowOutcome } from '../domain/import/import-row.ts';
import { CSV_ROW_MAPPERS } from '../domain/import/row-mapper.ts';
import { forEachCsvBlock } from './csv-blocks.ts';

/** One row of an import file, mapped. `text` is made only for the refused rows that are kept. */
export interface SourceRow {
  line: number;
  outcome: RowOutcome;
  text: () => string;
}

/** The file cannot be imported at all (unknown format, unreadable JSON): said in French to the agent. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

/**
 * Reads any supported file and hands its rows over, mapped to readings or refusals, block by
 * block; the next block is read once `onRows` has finished. CSV is streamed; JSON (our own
 * GeoJSON or batch files) has to be parsed whole, as JSON.parse knows no other way.
 */
export async function readImportFile(
  file: Blob,
  options: LogRowOptions,
  onRows: (rows: SourceRow[], bytesRead: number) => Promise<void> | void,
): Promise<ImportFormat> {
  const head = (await file.slice(0, 512).text()).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return readJson(file, onRows);
  return readCsv(file, options, onRows);
}

async function readCsv(file: Blob, options: LogRowOptions, onRows: (rows: SourceRow[], bytesRead: number) => Promise<void> | void): Promise<ImportFormat> {
  let header: string[] | undefined;
  let format: ImportFormat | undefined;
  await forEachCsvBlock(file, async (lines, bytesRead) => {
    const rows: SourceRow[] = [];
    for (const { fields, line, malformed } of lines) {
      if (!header) {
        // Network Survey opens its CSVs with `#` comments (app and CSV version) before the header.
        if (fields[0]?.startsWith('#')) continue;
        header = fields.map((name) => name.trim());
        format = detectCsvFormat(header);
        if (!format) throw new ImportFileError(UNKNOWN_FORMAT_MESSAGE);
        continue;
      }
      const text = () => csvLineText(fields);
      if (malformed || fields.length !== header.length) {
        const reason = malformed ? 'Ligne mal formée : guillemets non refermés' : `Ligne mal formée : ${fields.length} champs au lieu de ${header.length}`;
        rows.push({ line, text, outcome: { ok: false, refusal: { code: 'malformed', reason } } });
        continue;
      }
      const record: Record<string, string> = {};
      header.forEach((name, index) => (record[name] = fields[index]!));
      rows.push({ line, text, outcome: CSV_ROW_MAPPERS[format!]!(record, options) });
    }
    if (rows.length > 0) await onRows(rows, bytesRead);
  });
  if (!format) throw new ImportFileError('Le fichier est vide : aucune ligne d’en-tête.');
  return format;
}

const JSON_BLOCK = 1000;

async function readJson(file: Blob, onRows: (rows: SourceRow[], bytesRead: number) => Promise<void> | void): Promise<ImportFormat> {
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch (error) {
    throw new ImportFileError(`Fichier JSON illisible : ${error instanceof Error ? error.message : String(error)}`);
  }
  const format = detectJsonFormat(value);
  if (!format) throw new ImportFileError(UNKNOWN_FORMAT_MESSAGE);
  const items: unknown[] = format === 'couverture-geojson' ? (value as { features: unknown[] }).features : (value as { readings: unknown[] }).readings;
  const map = format === 'couverture-geojson' ? mapDeviceFeature : mapBatchItem;
  for (let start = 0; start < items.length; start += JSON_BLOCK) {
    const rows = items
      .slice(start, start + JSON_BLOCK)
      .map((item, offset) => ({ line: start + offset + 1, outcome: map(item), text: () => JSON.stringify(item) }));
    // Progress in bytes, pro rata of the items handled: the text itself was read at once.
    await onRows(rows, Math.round((file.size * (start + rows.length)) / items.length));
  }
  return format;
}
