import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { compactCells } from '../../src/domain/grid/compact-cells.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { addUser, makeReading, openTestApp, SAINT_GUILHEM, useTempDir, type TestApp } from './fixtures.ts';
import { pointIn } from './grid-helpers.ts';

/**
 * GET /api/v1/cells?format=compact is made cell by cell without the GeoJSON answer
 * (compact-judged-cell.ts), a slice of cells at a time: its text must stay, byte for byte,
 * `JSON.stringify(compactCells(…))` of the GeoJSON answer's properties, over several slices,
 * and its encodings must decode to that text. On both stores.
 */

const tempDir = useTempDir();
let server: TestApp | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** More 200 m cells than a slice (routes/cells.ts's COMPACT_SLICE, 1,000), with every kind of figure. */
const COLUMNS = 36;
const ROWS = 32;
const BOX = '3.54,43.72,3.66,43.80';

function surveyReadings(): Reading[] {
  const corner = cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!;
  const readings: Reading[] = [];
  let n = 0;
  for (let row = 0; row < ROWS; row += 1) {
    for (let column = 0; column < COLUMNS; column += 1) {
      const cell = { ...corner, north: corner.north + row * 200, east: corner.east + column * 200 };
      // One to four readings, of one to four operators, levels, settings and call results varying by cell.
      for (let k = 0; k <= (row + column) % 4; k += 1) {
        n += 1;
        readings.push(
          makeReading({
            id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
            ...pointIn(cell, 0.2 + 0.15 * k, 0.5),
            operator: OPERATORS[(row * 3 + column + k) % OPERATORS.length]!,
            technology: k % 2 === 0 ? '4G' : '3G',
            signalDbm: -80 - ((row * 7 + column * 3 + k * 11) % 45),
            setting: (row + k) % 5 === 0 ? 'indoor' : 'outdoor',
            voice: (column + k) % 3 === 0 ? 'failed' : 'ok',
          }),
        );
      }
    }
  }
  return readings;
}

async function surveyed() {
  server = await openTestApp(tempDir());
  const readings = surveyReadings();
  const place = { accountId: null, commune: null, departement: '34', outsideCommunes: false };
  const stored = await server.store.ingest(
    readings,
    readings.map(() => place),
  );
  expect(stored.accepted).toHaveLength(readings.length);
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  return { app: server.app, reviewer };
}

describe('GET /api/v1/cells?format=compact, made without the GeoJSON answer', () => {
  it('is, byte for byte, the compact form of the GeoJSON answer, over several slices of cells, and decodes to it from brotli and gzip', async () => {
    const { app, reviewer } = await surveyed();
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { ...reviewer.headers, ...headers } });
    // Each encoding asked first by its own query (its own box): each built anew.
    const brotli = await get(`/api/v1/cells?bbox=${BOX}&format=compact`, { 'accept-encoding': 'br' });
    const gzipped = await get(`/api/v1/cells?bbox=${BOX.replace('3.54', '3.5401')}&format=compact`, { 'accept-encoding': 'gzip' });
    const plain = await get(`/api/v1/cells?bbox=${BOX.replace('3.54', '3.5402')}&format=compact`);
    const geojson = await get(`/api/v1/cells?bbox=${BOX}`);
    for (const response of [brotli, gzipped, plain, geojson]) expect(response.statusCode, response.body).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzipped.headers['content-encoding']).toBe('gzip');

    const features = (geojson.json() as { features: { properties: Parameters<typeof compactCells>[1][number] }[] }).features;
    expect(features.length).toBeGreaterThan(1_000);
    const expected = JSON.stringify(
      compactCells(
        200,
        features.map((feature) => feature.properties),
      ),
    );
    expect(plain.body).toBe(expected);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(expected);
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(expected);
    // Operators with call tests, several operators on a cell, indoor readings left out: the figures vary.
    const cells = plain.json().cells as { operators: Record<string, { callTests: number }> }[];
    expect(cells.some((cell) => Object.keys(cell.operators).length >= 3)).toBe(true);
    expect(cells.some((cell) => Object.values(cell.operators).some((stats) => stats.callTests > 0))).toBe(true);
  }, 30_000);

  it('an empty box is the empty compact answer', async () => {
    const { app, reviewer } = await surveyed();
    const response = await app.inject({ method: 'GET', url: '/api/v1/cells?bbox=2.60,43.30,2.61,43.31&format=compact', headers: reviewer.headers });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(JSON.stringify(compactCells(200, [])));
  });
});
