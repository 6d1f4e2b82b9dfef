import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { mapBatchItem, mapDeviceFeature, deviceCsvRow, DEVICE_CSV_HEADER } from '../../src/domain/import/device-file.ts';
import { REFUSAL_CODES, SETTING_CHOICES, type ImportFormat, type LogRowOptions, type RowOutcome } from '../../src/domain/import/import-row.ts';
import { CSV_ROW_MAPPERS } from '../../src/domain/import/row-mapper.ts';
import { validateReading } from '../../src/domain/reading-schema.ts';
import { ImportFileError, readImportFile, type SourceRow } from '../../src/worker/import-source.ts';
import { ImportTally } from '../../src/worker/import-tally.ts';
import { makeReading } from '../server/fixtures.ts';
import { FUZZ_RUNS, runs } from './budget.ts';
import { hostileString, jsonText, NASTY_KEYS } from './hostile.ts';

/**
 * The imports (CSV logs of Tower Collector and Network Survey, Couverture's own CSV, GeoJSON and
 * JSON exports) under arbitrary and hostile files, in Node: the row mappers and the worker's
 * pipeline (readImportFile + ImportTally, which never touch IndexedDB). Nothing throws but the
 * French ImportFileError for a file that cannot be read at all; every row is either a reading
 * the wire format accepts or a refusal with a code and a reason; no row is lost or counted twice.
 */

/** A share of FUZZ_RUNS for each property; the API fuzz takes the rest. */
const SHARE = FUZZ_RUNS / 20;
let cases = 0;

const CSV_FORMATS = Object.keys(CSV_ROW_MAPPERS) as ImportFormat[];

/** The fixtures' header and data rows, per CSV format: real rows to mutate. */
const FIXTURES: Record<string, { header: string[]; rows: string[][] }> = Object.fromEntries(
  CSV_FORMATS.map((format) => {
    const file = format === 'couverture-csv' ? 'device-export.csv' : `${format}.csv`;
    const text = readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8');
    const [header, ...rows] = Papa.parse<string[]>(text.trim(), { delimiter: ',', comments: '#' }).data;
    return [format, { header: header!, rows }];
  }),
);

const options: fc.Arbitrary<LogRowOptions> = fc.record(
  {
    setting: fc.constantFrom(...SETTING_CHOICES),
    campaign: fc.record({ campaignId: fc.oneof(fc.uuid(), hostileString), communeInsee: fc.oneof(fc.constant('34261'), hostileString) }),
  },
  { requiredKeys: ['setting'] },
);

/** A cell: kept, hostile, a number at the edge, or empty. */
function cell(original: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(original), weight: 10 },
    { arbitrary: hostileString, weight: 2 },
    { arbitrary: fc.constantFrom('', '2147483647', '9223372036854775807', '-1', '1e400', 'NaN', '0x1F', ' 12 ', '208', '01', 'true', '1,5'), weight: 1 },
    { arbitrary: jsonText, weight: 1 },
  );
}

function mutatedRow(format: string): fc.Arbitrary<string[]> {
  const { rows } = FIXTURES[format]!;
  return fc.nat({ max: rows.length - 1 }).chain((index) => fc.tuple(...rows[index]!.map(cell)));
}

function checkOutcome(outcome: RowOutcome): void {
  if (outcome.ok) {
    expect(validateReading(outcome.reading).ok, JSON.stringify(outcome.reading)).toBe(true);
    expect(typeof outcome.reading.id).toBe('string');
  } else {
    expect(REFUSAL_CODES).toContain(outcome.refusal.code);
    expect(typeof outcome.refusal.reason).toBe('string');
    expect(outcome.refusal.reason.trim(), outcome.refusal.code).not.toBe('');
  }
}

afterAll(() => {
  console.log(`fuzz import : ${cases} cas (lignes, éléments ou fichiers générés)`);
});

describe('import row mappers', () => {
  it.each(CSV_FORMATS)('%s: any row, real or hostile, is a valid reading or a refusal with a reason', (format) => {
    const { header } = FIXTURES[format]!;
    const columns = fc.constantFrom(...header, ...NASTY_KEYS);
    const record = fc.oneof(
      mutatedRow(format).map((fields) => Object.fromEntries(header.map((name, index) => [name, fields[index]]))),
      fc.dictionary(columns, hostileString, { maxKeys: 12 }),
    );
    fc.assert(
      fc.property(record, options, (row, opts) => {
        cases += 1;
        checkOutcome(CSV_ROW_MAPPERS[format]!(row, opts));
      }),
      runs(SHARE),
    );
  });

  it('JSON batch items and GeoJSON features, anything at all: a valid reading or a refusal with a reason', () => {
    const value = fc.oneof(
      fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, maxDepth: 3 }),
      jsonText.map((text) => JSON.parse(text) as unknown),
      fc
        .constant(null)
        .map(() => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [3.5, 43.7] }, properties: JSON.parse(JSON.stringify(makeReading())) })),
    );
    fc.assert(
      fc.property(value, (item) => {
        cases += 1;
        checkOutcome(mapBatchItem(item));
        checkOutcome(mapDeviceFeature(item));
        checkOutcome(mapDeviceFeature({ type: 'Feature', properties: item, geometry: item }));
      }),
      runs(SHARE),
    );
  });
});

/** Runs the worker's pipeline on a file the way previewImport does, without IndexedDB. */
async function pipeline(file: Blob, opts: LogRowOptions) {
  const tally = new ImportTally();
  const rows: SourceRow[] = [];
  let fresh = 0;
  const format = await readImportFile(file, opts, (block) => {
    rows.push(...block);
    fresh += tally.take(block).length;
  });
  const counts = tally.counts(format);
  expect(counts.rowsRead).toBe(rows.length);
  expect(counts.refusedCount + fresh + counts.duplicatesInFile, 'chaque ligne importée, en double ou refusée, une seule fois').toBe(counts.rowsRead);
  for (const row of rows) checkOutcome(row.outcome);
  for (const refused of counts.refused) expect(typeof refused.text).toBe('string');
  const lines = rows.map((row) => row.line);
  expect(lines, 'lignes en ordre croissant').toEqual([...lines].sort((a, b) => a - b));
  return { format, rows, counts };
}

/** Our export's fields (in today's DEVICE_CSV_HEADER order) under another header of ours, by column name. */
function underHeader(header: readonly string[], fields: readonly string[]): string[] {
  return header.map((name) => fields[DEVICE_CSV_HEADER.indexOf(name)] ?? '');
}

/** CSV text as a spreadsheet writes it: fields quoted when they must be. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field)).join(',');
}

describe('import pipeline (readImportFile + ImportTally)', () => {
  it.each(CSV_FORMATS)('%s: every generated row comes out once, imported or refused; valid ones mixed in are imported', async (format) => {
    const { header } = FIXTURES[format]!;
    const row = fc.oneof(
      { arbitrary: mutatedRow(format).map((fields) => ({ fields })), weight: 6 },
      // Too few or too many fields: refused as malformed, never shifted into the wrong columns.
      {
        arbitrary: fc
          .array(hostileString, { minLength: 2, maxLength: header.length + 3 })
          .filter((fields) => fields.length !== header.length)
          .map((fields) => ({ fields })),
        weight: 1,
      },
      // A valid reading of our own export (only where the header is ours).
      // Laid out by name under the fixture's header: an export made by an older version, whose columns are fewer.
      ...(format === 'couverture-csv'
        ? [
            {
              arbitrary: fc.constant(null).map(() => ({ fields: underHeader(header, deviceCsvRow(makeReading(), 'sent').map(String)), valid: true })),
              weight: 3,
            },
          ]
        : []),
    );
    const file = fc.record({
      rows: fc.array(row, { maxLength: 40 }),
      newline: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      trailingNewline: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(file, options, async ({ rows, newline, bom, trailingNewline }, opts) => {
        cases += 1;
        const text = (bom ? '\uFEFF' : '') + [header, ...rows.map((r) => r.fields)].map(csvLine).join(newline) + (trailingNewline ? newline : '');
        const { format: found, rows: out } = await pipeline(new Blob([text]), opts);
        expect(found).toBe(format);
        // A row of one empty field is an empty line, which is no row.
        const expected = rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
        expect(out.length, 'une sortie par ligne de données').toBe(expected.length);
        out.forEach((result, index) => {
          const sent = expected[index]!;
          if (sent.fields.length !== header.length) expect(result.outcome).toMatchObject({ ok: false, refusal: { code: 'malformed' } });
          if ('valid' in sent)
            expect(result.outcome, JSON.stringify(sent.fields)).toMatchObject({ ok: true, reading: { id: sent.fields[header.indexOf('id')] } });
        });
      }),
      runs(SHARE),
    );
  });

  it('any text or bytes: rows accounted for, or a French ImportFileError, never another error', async () => {
    const knownHeader = fc.constantFrom(...Object.values(FIXTURES).map(({ header }) => header.join(',')));
    const content = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2_000 }).map((text) => new Blob([text])),
      fc.uint8Array({ maxLength: 2_000 }).map((bytes) => new Blob([bytes])),
      fc.tuple(knownHeader, fc.string({ unit: 'binary', maxLength: 2_000 })).map(([header, rest]) => new Blob([`${header}\n${rest}`])),
      fc
        .tuple(knownHeader, fc.array(fc.constantFrom('"', ',', '\n', '\r', '""', 'a', '\u0000', 'é', '\uD800'), { maxLength: 300 }))
        .map(([header, parts]) => new Blob([`${header}\n${parts.join('')}`])),
      jsonText.map((text) => new Blob([text])),
      fc.array(jsonText, { maxLength: 20 }).map((items) => new Blob([`{"readings":[${items.join(',')}]}`])),
      fc.array(jsonText, { maxLength: 20 }).map((items) => new Blob([`{"type":"FeatureCollection","features":[${items.join(',')}]}`])),
      fc
        .constantFrom('', '\uFEFF', '{', '[', '{"readings":', '[[[[[[[[[[', '{"readings":{}}', '{"type":"FeatureCollection","features":"x"}')
        .map((text) => new Blob([text])),
    );
    await fc.assert(
      fc.asyncProperty(content, options, async (file, opts) => {
        cases += 1;
        try {
          await pipeline(file, opts);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(ImportFileError);
          expect((error as Error).message).toMatch(/[éèàç’]|Format|Fichier|Le fichier/);
        }
      }),
      runs(SHARE),
    );
  });

  it('JSON exports: every item comes out once, and valid readings mixed in are imported', async () => {
    const item: fc.Arbitrary<{ text: string; valid?: boolean }> = fc.oneof(
      { arbitrary: jsonText.map((text) => ({ text })), weight: 2 },
      { arbitrary: fc.constant(null).map(() => ({ text: JSON.stringify(makeReading()), valid: true })), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 30 }), fc.boolean(), options, async (items, geojson, opts) => {
        cases += 1;
        const texts = items.map(({ text, valid }) => {
          if (!geojson) return text;
          if (!valid) return text;
          const reading = JSON.parse(text) as { lon: number; lat: number };
          return JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] }, properties: reading });
        });
        const body = geojson ? `{"type":"FeatureCollection","features":[${texts.join(',')}]}` : `{"readings":[${texts.join(',')}]}`;
        const { rows } = await pipeline(new Blob([body]), opts);
        expect(rows.length).toBe(items.length);
        items.forEach(({ text, valid }, index) => {
          if (valid) expect(rows[index]!.outcome).toMatchObject({ ok: true, reading: { id: (JSON.parse(text) as { id: string }).id } });
        });
      }),
      runs(SHARE),
    );
  });
});
