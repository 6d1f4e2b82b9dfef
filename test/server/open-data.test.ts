import { describe, expect, it } from 'vitest';
import { addUser, makeReport, NOW, openTestApp, useTestApps, postReadings, postReports, useTempDir, type TestApp } from './fixtures.ts';
import { CELL_A, CELL_B, CELL_C, ID_A, ID_B, ID_C, levelReading, pointIn } from './grid-helpers.ts';

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

interface Field {
  name: string;
  type: 'string' | 'number' | 'integer' | 'date';
  constraints?: { required?: boolean; enum?: string[]; minimum?: number; maximum?: number; pattern?: string };
}

/** RFC 4180 parsing, enough for the files the server writes (quotes, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** What a Table Schema validator checks of one value: missing values, type, constraints. Answers the problem, if any. */
function checkValue(field: Field, value: string, missingValues: string[]): string | undefined {
  const c = field.constraints ?? {};
  if (missingValues.includes(value)) return c.required ? `${field.name}: required` : undefined;
  let number: number | undefined;
  switch (field.type) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) return `${field.name}: not an integer: ${value}`;
      number = Number(value);
      break;
    case 'number':
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return `${field.name}: not a number: ${value}`;
      number = Number(value);
      break;
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) return `${field.name}: not a date: ${value}`;
      break;
    case 'string':
      break;
  }
  if (c.enum && !c.enum.includes(value)) return `${field.name}: ${value} not in ${c.enum.join('|')}`;
  if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(value)) return `${field.name}: ${value} does not match ${c.pattern}`;
  if (number !== undefined && c.minimum !== undefined && number < c.minimum) return `${field.name}: ${value} < ${c.minimum}`;
  if (number !== undefined && c.maximum !== undefined && number > c.maximum) return `${field.name}: ${value} > ${c.maximum}`;
  return undefined;
}

/** A: three contributors (published); B: one (withheld); C: two (withheld at the default minimum of 3). */
async function surveyed(options: Parameters<typeof openTestApp>[1] = {}) {
  server = await openApp(options);
  const { app } = server;
  const agents = [await addUser(app), await addUser(app), await addUser(app)];
  // Four readings per operator on A (the first agent twice): three alike (44–100 % at 95 %) no
  // longer decide since the interval rule (issue 17, docs/coverage-rules.md « Statistics »).
  for (const agent of [0, 1, 2, 0]) {
    await postReadings(
      app,
      [
        levelReading('BC', { operator: 'orange', ...pointIn(CELL_A, 0.5, 0.5) }),
        levelReading('PC', { operator: 'free', ...pointIn(CELL_A, 0.5, 0.5), note: 'chez M. Martin' }),
      ],
      agents[agent]!,
    );
  }
  await postReadings(
    app,
    [0, 1, 2].map(() => levelReading('PC', { operator: 'sfr', ...pointIn(CELL_B, 0.5, 0.5) })),
    agents[0]!,
  );
  await postReadings(app, [levelReading('TBC', { ...pointIn(CELL_C, 0.5, 0.5) })], agents[0]!);
  await postReadings(app, [levelReading('TBC', { ...pointIn(CELL_C, 0.5, 0.5) })], agents[1]!);
  // Residents' reports are never published, even on a published cell.
  await postReports(app, [makeReport({ ...pointIn(CELL_A, 0.1, 0.1) }), makeReport({ lat: 43.75, lon: 3.6 })]);
  return { app, agents };
}

describe('open data', () => {
  it('publishes the grid as CSV valid against its own Table Schema, withholding cells with too few contributors', async () => {
    const { app, agents } = await surveyed();
    const csv = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const schema = (await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.schema.json' })).json();
    const fields = schema.fields as Field[];

    const [header, ...rows] = parseCsv(csv.body);
    // Every CSV column is described by the schema, in order, and the other way round.
    expect(header).toEqual(fields.map((f) => f.name));
    for (const field of fields) {
      expect(['string', 'number', 'integer', 'date']).toContain(field.type);
      expect((field as unknown as { description: string }).description.length).toBeGreaterThan(10);
    }
    const problems = rows.flatMap((row) => {
      if (row.length !== fields.length) return [`${row.length} values instead of ${fields.length}`];
      return fields.map((field, i) => checkValue(field, row[i]!, schema.missingValues)).filter((p) => p !== undefined);
    });
    expect(problems).toEqual([]);
    const keys = rows.map((row) => schema.primaryKey.map((name: string) => row[header!.indexOf(name)]).join('|'));
    expect(new Set(keys).size).toBe(keys.length);

    const records = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
    expect(records.map((r) => [r.cell_id, r.operator])).toEqual([
      [ID_A, 'orange'],
      [ID_A, 'free'],
    ]);
    expect(records[0]).toMatchObject({
      verdict: 'BC',
      readings: '4',
      contributors: '3',
      cell_contributors: '3',
      share_bc: '1',
      call_tests: '4',
      call_success_rate: '1',
      first_date: '2026-05-04',
      median_dbm: '-105',
    });
    expect(records[1]).toMatchObject({ verdict: 'PC', median_dbm: '', call_success_rate: '0' });
    for (const secret of [...agents.flatMap((a) => [a.id, a.email]), 'Martin', ID_B, ID_C]) expect(csv.body).not.toContain(secret);
  });

  it('publishes GeoJSON and a Data Package with the licence and the generation date', async () => {
    const { app } = await surveyed({ grid: { openDataMinContributors: 2 } });
    const geo = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.geojson' });
    expect(geo.headers['content-type']).toContain('application/geo+json');
    const collection = geo.json();
    expect(collection.features.map((f: { id: string }) => f.id).sort()).toEqual([ID_A, ID_C].sort());
    const a = collection.features.find((f: { id: string }) => f.id === ID_A);
    expect(a.geometry.type).toBe('Polygon');
    expect(a.properties).toMatchObject({
      cell_id: ID_A,
      cell_zone: 'insufficient',
      cell_contributors: 3,
      operators: { orange: { verdict: 'BC', readings: 4 } },
    });
    expect(JSON.stringify(collection)).not.toMatch(/resident|report/i);

    const pack = (await app.inject({ method: 'GET', url: '/api/v1/open-data/datapackage.json' })).json();
    expect(pack).toMatchObject({
      profile: 'data-package',
      licenses: [{ name: 'etalab-2.0', title: 'Licence Ouverte 2.0' }],
      created: new Date(NOW).toISOString(),
      published: { cells: 2 },
      withholding: { minContributors: 2, cellsWithheld: 1 },
    });
    expect(pack.resources.map((r: { path: string }) => r.path)).toEqual(['grid.csv', 'grid.geojson']);
    const csv = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv' });
    expect(pack.published.rows).toBe(csv.body.trimEnd().split('\n').length - 1);
    expect(pack.resources[0]).toMatchObject({ profile: 'tabular-data-resource', schema: 'grid.schema.json', mediatype: 'text/csv', encoding: 'utf-8' });
    expect(pack.resources[0]).not.toHaveProperty('bytes');
    expect(pack.resources[1]).toMatchObject({ profile: 'data-resource', format: 'geojson', mediatype: 'application/geo+json' });
  });

  it('needs no account, ignores credentials, and refuses parameters', async () => {
    const { app, agents } = await surveyed();
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv' });
    const signedIn = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv', headers: agents[0]!.headers });
    expect(signedIn.body).toBe(anonymous.body);
    const refused = await app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv?departement=34' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(/Paramètre inconnu/);
  });
});
