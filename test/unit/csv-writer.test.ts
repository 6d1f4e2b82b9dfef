import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLineText, csvRows, csvTable, type CsvValue } from '../../src/domain/csv.ts';
import { neutraliseFormula, restoreCsvCell } from '../../src/domain/csv-formula.ts';

/** What a spreadsheet may run: a cell starting with one of these (full-width forms included). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FORMULA_CHARS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

/** Text of every kind, and much text a spreadsheet would run (after apostrophes, or not). */
const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.constantFrom('', "'", "''"), fc.constantFrom(...FORMULA_CHARS), fc.string({ unit: 'binary', maxLength: 20 })).map((parts) => parts.join('')),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map(String),
  fc.constantFrom('-105', '+33', '-1.5e3', '.5', '-', '+', '=', "'", "'-105", '1-2', '-1-2', '-0x10', ' -1', '-1 '),
);

/** The file back as a spreadsheet reads it: papaparse, told the line ending. */
function parse(text: string, newline: '\r\n' | '\n'): string[][] {
  const parsed = Papa.parse<string[]>(text.slice(0, -newline.length), { newline, delimiter: ',' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('the CSV writer', () => {
  it('neutralises any formula-like text cell, loses nothing, and papaparse reads the rows back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\r\n' as const, '\n' as const),
        (rows, newline) => {
          const back = parse(csvRows(rows, { newline }), newline);
          expect(back).toHaveLength(rows.length);
          back.forEach((row, r) =>
            row.forEach((cell, c) => {
              const original = rows[r]![c]!;
              // Never a cell a spreadsheet runs, unless it is a plain number.
              if (FORMULA_START.test(cell)) expect(cell).toMatch(PLAIN_NUMBER);
              // Either the text as it was, or the text behind one apostrophe…
              expect([original, `'${original}`]).toContain(cell);
              expect(cell).toBe(neutraliseFormula(original));
              // …which reading our own file back takes away.
              expect(restoreCsvCell(cell)).toBe(original);
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves numbers and booleans as JS writes them, whatever their sign', () => {
    const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -156, max: -25 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(number, number, fc.boolean()), { minLength: 1, maxLength: 6 }), (rows) => {
        const back = parse(csvRows(rows, { newline: '\r\n' }), '\r\n');
        expect(back).toEqual(rows.map((row) => row.map(String)));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3+cmd', "'-2+3+cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['=1+1\nsuite', "'=1+1\nsuite"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ["'=1", "''=1"],
    ['-105', '-105'],
    ['+33612345678', '+33612345678'],
    ['-1.5e3', '-1.5e3'],
    ["'abc", "'abc"],
    ['Gorges, amont', 'Gorges, amont'],
    ['', ''],
  ])('writes the text %j as %j', (text, written) => {
    expect(neutraliseFormula(text)).toBe(written);
    expect(parse(csvRows([[text, 'x']], { newline: '\n' }), '\n')).toEqual([[written, 'x']]);
  });

  it('ends every row with the newline asked for, the last one too, and writes nothing for no rows', () => {
    const rows: CsvValue[][] = [
      [1, 'a,b', null],
      [undefined, 'dit "non"', true],
    ];
    expect(csvTable(['x', 'y', 'z'], rows)).toBe('x,y,z\r\n1,"a,b",\r\n,"dit ""non""",true\r\n');
    expect(csvTable(['x', 'y', 'z'], rows, { newline: '\n' })).toBe('x,y,z\n1,"a,b",\n,"dit ""non""",true\n');
    expect(csvRows([])).toBe('');
  });

  it('shows an imported line as it was, formula and all: it reaches a file only through the writer', () => {
    const fields = ['=cmd', 'a,b', 'x'];
    expect(csvLineText(fields)).toBe('=cmd,"a,b",x');
    expect(parse(csvRows([[2, csvLineText(fields)]]), '\r\n')).toEqual([['2', `'=cmd,"a,b",x`]]);
  });
});
