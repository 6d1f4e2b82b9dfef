import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';
import { CELL_A, CELL_B, levelReading, pointIn } from './grid-helpers.ts';

/**
 * Open data against the Frictionless reference validators (npm `datapackage` and
 * `tableschema`, the official JS libraries): the app serves on loopback, the validators fetch
 * the package, its schema and its CSV by URL as a portal would. The package declared the
 * `tabular-data-package` profile while listing the GeoJSON, which is not tabular: invalid.
 * It is now a `data-package` whose CSV is a `tabular-data-resource` with its Table Schema, and
 * the GeoJSON a plain data resource.
 */

// CommonJS libraries without types.
const require = createRequire(import.meta.url);
const { Package } = require('datapackage') as {
  Package: { load(descriptor: string): Promise<FrictionlessPackage> };
};
const { Table, Schema } = require('tableschema') as {
  Table: { load(source: string, options: { schema: unknown }): Promise<FrictionlessTable> };
  Schema: { load(descriptor: string): Promise<{ valid: boolean; errors: Error[]; fieldNames: string[] }> };
};

interface FrictionlessPackage {
  valid: boolean;
  errors: Error[];
  profile: { name: string };
  resourceNames: string[];
  getResource(name: string): {
    valid: boolean;
    errors: Error[];
    tabular: boolean;
    descriptor: Record<string, unknown>;
    read(options: { forceCast: boolean }): Promise<unknown[][]>;
  } | null;
}
interface FrictionlessTable {
  headers: string[];
  read(options: { forceCast: boolean; keyed?: boolean }): Promise<unknown[]>;
}

const tempDir = useTempDir();
let server: TestApp;
let base: string;

/** Three agents measure Orange and SFR on two cells: enough contributors for every row to be published. */
beforeAll(async () => {
  server = await openTestApp(tempDir());
  const agents = [await addUser(server.app), await addUser(server.app), await addUser(server.app)];
  // A fourth round by the first agent: three readings alike (44–100 % at 95 %) no longer decide
  // since the interval rule (issue 17, docs/coverage-rules.md « Statistics »).
  for (const [i, agent] of [...agents, agents[0]!].entries()) {
    const readings = [CELL_A, CELL_B].flatMap((cell, c) =>
      (['orange', 'sfr'] as const).map((operator, o) =>
        levelReading(i === 0 && c === 1 ? 'PC' : 'BC', {
          ...pointIn(cell, 0.2 + i * 0.2, 0.5),
          operator,
          voice: o === 0 ? 'ok' : 'not-tested',
          recordedAt: `2026-05-0${i + 1}T10:15:00.000+02:00`,
        }),
      ),
    );
    expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
  }
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
});

describe('open data and the Frictionless reference validators', () => {
  it('datapackage.json is a valid Data Package: the CSV a tabular resource with its schema, the GeoJSON a plain one', async () => {
    const pack = await Package.load(`${base}/api/v1/open-data/datapackage.json`);
    expect(pack.errors.map(String)).toEqual([]);
    expect(pack.valid).toBe(true);
    expect(pack.resourceNames).toEqual(['grille', 'grille-geojson']);
    const csv = pack.getResource('grille')!;
    expect(csv.errors.map(String)).toEqual([]);
    expect(csv.valid).toBe(true);
    expect(csv.tabular).toBe(true);
    const geojson = pack.getResource('grille-geojson')!;
    expect(geojson.errors.map(String)).toEqual([]);
    expect(geojson.valid).toBe(true);
    expect(geojson.tabular).toBe(false);
    expect(geojson.descriptor).toMatchObject({ format: 'geojson', mediatype: 'application/geo+json' });

    // The package's own reading of its CSV, through the schema it declares: every row casts.
    const rows = await csv.read({ forceCast: true });
    expect(rows.length).toBe(4);
    expect(rows.filter((row) => row instanceof Error).map(String)).toEqual([]);
  });

  it('every row of grid.csv is valid against grid.schema.json (types, constraints, primary key)', async () => {
    const schema = await Schema.load(`${base}/api/v1/open-data/grid.schema.json`);
    expect(schema.errors.map(String)).toEqual([]);
    expect(schema.valid).toBe(true);
    const table = await Table.load(`${base}/api/v1/open-data/grid.csv`, { schema });
    const rows = await table.read({ forceCast: true, keyed: true });
    expect(table.headers).toEqual(schema.fieldNames);
    expect(rows).toHaveLength(4);
    expect(rows.filter((row) => row instanceof Error).map(String)).toEqual([]);
    expect(rows).toContainEqual(expect.objectContaining({ operator: 'orange', verdict: 'BC', contributors: 3 }));
  });
});
