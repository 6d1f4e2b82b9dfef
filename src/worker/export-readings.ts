import { csvRows, UTF8_BOM } from '../domain/csv.ts';
import { DEVICE_CSV_HEADER, deviceCsvRow, deviceFeature } from '../domain/import/device-file.ts';
import { DEVICE_SHEET_HEADER, deviceSheetRow } from '../domain/import/device-sheet.ts';
import type { ExportFormat, ExportScope } from '../domain/import/import-summary.ts';
import { listReadings, type OutboxRecord } from '../store/outbox.ts';

const MEDIA_TYPES: Record<ExportFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv;charset=utf-8',
  'csv-tableur': 'text/csv;charset=utf-8',
  json: 'application/json',
};

/** Rows serialised at a time: the file is built from parts, never one huge string. */
const PART = 2000;

/**
 * The device's readings as a file: GeoJSON (a map tool opens it), CSV (every field, for
 * programs and for importing back), or the API's batch format (POST /api/v1/readings takes
 * it as it is): these import back with their ids, so nothing is counted twice. And the CSV
 * for a spreadsheet (`csv-tableur`: French, semicolons; device-sheet.ts), to read, not to
 * import.
 */
export async function exportReadings(format: ExportFormat, scope: ExportScope): Promise<{ blob: Blob; count: number }> {
  const records = (await listReadings()).reverse().filter((record) => scope === 'all' || record.state !== 'sent');
  return { blob: new Blob(fileParts(format, records), { type: MEDIA_TYPES[format] }), count: records.length };
}

function fileParts(format: ExportFormat, records: OutboxRecord[]): string[] {
  const parts: string[] = [];
  const chunks = (each: (chunk: OutboxRecord[], first: boolean) => string) => {
    for (let start = 0; start < records.length; start += PART) parts.push(each(records.slice(start, start + PART), start === 0));
  };
  switch (format) {
    case 'geojson':
      parts.push('{"type":"FeatureCollection","features":[\n');
      chunks((chunk, first) => (first ? '' : ',\n') + chunk.map(({ reading, state }) => JSON.stringify(deviceFeature(reading, state))).join(',\n'));
      parts.push('\n]}\n');
      break;
    case 'json':
      parts.push('{"readings":[\n');
      chunks((chunk, first) => (first ? '' : ',\n') + chunk.map(({ reading }) => JSON.stringify(reading)).join(',\n'));
      parts.push('\n]}\n');
      break;
    case 'csv':
      parts.push(UTF8_BOM + csvRows([DEVICE_CSV_HEADER]));
      chunks((chunk) => csvRows(chunk.map(({ reading, state }) => deviceCsvRow(reading, state))));
      break;
    case 'csv-tableur':
      parts.push(UTF8_BOM + csvRows([DEVICE_SHEET_HEADER], { dialect: 'tableur' }));
      chunks((chunk) =>
        csvRows(
          chunk.map(({ reading, state }) => deviceSheetRow(reading, state)),
          { dialect: 'tableur' },
        ),
      );
      break;
  }
  return parts;
}
