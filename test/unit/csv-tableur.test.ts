import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvRows, csvTable, parisDateTime, type CsvValue } from '../../src/domain/csv.ts';
import { restoreCsvCell } from '../../src/domain/csv-formula.ts';

/** What a spreadsheet may run: a cell starting with one of these (full-width forms included). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A number as a French spreadsheet reads it: decimal comma. */
const FRENCH_NUMBER = /^[+-]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][+-]?\d+)?$/;
const FORMULA_CHARS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.constantFrom('', "'"), fc.constantFrom(...FORMULA_CHARS), fc.string({ unit: 'binary', maxLength: 20 })).map((parts) => parts.join('')),
  fc.constantFrom('-105', '-1,5', '+33', '-1,5e3', ',5', '-', '=', ';', 'a;b', '-1;2', '-1,2,3', '1-2'),
);
const cellValue: fc.Arbitrary<CsvValue> = fc.oneof(
  cellText,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** The file back as a French spreadsheet reads it: semicolons, CRLF. */
function parse(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n', delimiter: ';' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('the CSV writer’s spreadsheet dialect (tableur)', () => {
  it('separates by semicolons, ends rows with CRLF, writes decimal commas, oui/non, and never a cell a spreadsheet runs', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellValue, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const back = parse(csvRows(rows, { dialect: 'tableur' }));
        expect(back).toHaveLength(rows.length);
        back.forEach((row, r) =>
          row.forEach((cell, c) => {
            const value = rows[r]![c];
            if (FORMULA_START.test(cell)) expect(cell).toMatch(FRENCH_NUMBER);
            if (typeof value === 'number') expect(cell).toBe(String(value).replace('.', ','));
            else if (typeof value === 'boolean') expect(cell).toBe(value ? 'oui' : 'non');
            else if (value === null) expect(cell).toBe('');
            else expect(restoreCsvCell(cell)).toBe(value);
          }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('writes a French table a spreadsheet opens into columns', () => {
    const rows: CsvValue[][] = [
      ['Orange', 43.7339, -105, new Date('2026-05-04T08:15:00Z'), true, 'Bonne couverture'],
      ['Gorges; amont', 0.5, null, new Date('2026-01-15T23:59:00Z'), false, '=1+1'],
    ];
    expect(csvTable(['Opérateur', 'Latitude', 'Signal (dBm)', 'Date', 'Test', 'Niveau'], rows, { dialect: 'tableur' })).toBe(
      'Opérateur;Latitude;Signal (dBm);Date;Test;Niveau\r\n' +
        'Orange;43,7339;-105;04/05/2026 10:15;oui;Bonne couverture\r\n' +
        `"Gorges; amont";0,5;;16/01/2026 00:59;non;"'=1+1"\r\n`,
    );
  });

  it('ends rows with CRLF whatever newline is asked, and keeps the machine dialect as it was', () => {
    expect(csvRows([[1.5, 'a']], { dialect: 'tableur', newline: '\n' })).toBe('1,5;a\r\n');
    expect(csvRows([[1.5, 'a', true]], { newline: '\n' })).toBe('1.5,a,true\n');
    expect(csvRows([[1.5, 'a']], { dialect: 'machine' })).toBe('1.5,a\r\n');
  });

  it.each([
    ['2026-05-04T08:15:00Z', '04/05/2026 10:15'], // summer time: UTC+2
    ['2026-01-04T08:15:00Z', '04/01/2026 09:15'], // winter time: UTC+1
    ['2026-12-31T23:30:00Z', '01/01/2027 00:30'], // already the next year in Paris
    ['2026-03-29T01:30:00Z', '29/03/2026 03:30'], // just after the clocks go forward
  ])('writes %s as %s (Europe/Paris)', (iso, written) => {
    expect(parisDateTime(new Date(iso))).toBe(written);
    expect(csvRows([[new Date(iso)]], { dialect: 'tableur' })).toBe(`${written}\r\n`);
  });
});
