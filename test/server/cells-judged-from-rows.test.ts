import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { DEFAULT_VERDICT_OPTIONS } from '../../src/domain/grid/cell-verdict.ts';
import type { GridFilter } from '../../src/domain/grid/judge-grid.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { judgeInBbox, judgeStoredCells, loadGrid } from '../../src/server/grid/coverage.ts';
import { cellRange } from '../../src/domain/grid/cell-range.ts';
import type { GridScope } from '../../src/server/storage/grid-store.ts';
import { makeReading, makeReport, openTestApp, postReports, SAINT_GUILHEM, useTempDir, type TestApp } from './fixtures.ts';
import { pointIn } from './grid-helpers.ts';

/**
 * GET /api/v1/cells judges the stored rows straight into cells (coverage.ts's judgeStoredCells)
 * rather than through the grid of groups: for every scope, resolution, filter and period, the
 * judged cells must be those of `judgeInBbox(loadGrid(…))`, the path the zones, open data and
 * campaigns still take, in the same order and with the same operators' order. On both stores.
 */

const tempDir = useTempDir();
let server: TestApp | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BBOX = { minLon: 3.53, minLat: 43.72, maxLon: 3.6, maxLat: 43.77 };
/** A box cutting through the surveyed cells: cells across its edge are in, those beyond are not. */
const PART = { minLon: 3.55, minLat: 43.735, maxLon: 3.57, maxLat: 43.75 };

function readings(): { readings: Reading[]; departements: string[] } {
  const corner = cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!;
  const all: Reading[] = [];
  const departements: string[] = [];
  let n = 0;
  for (let row = 0; row < 12; row += 1) {
    for (let column = 0; column < 14; column += 1) {
      const cell = { ...corner, north: corner.north + row * 200, east: corner.east + column * 200 };
      for (let k = 0; k < 1 + ((row * 5 + column) % 5); k += 1) {
        n += 1;
        all.push(
          makeReading({
            id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
            ...pointIn(cell, 0.1 + 0.2 * k, 0.3),
            recordedAt: new Date(Date.UTC(2026, (row + k) % 4, 1 + column)).toISOString(),
            operator: OPERATORS[(row + column * 2 + k) % OPERATORS.length]!,
            technology: (['4G', '3G', '5G'] as const)[(column + k) % 3]!,
            signalDbm: -75 - ((row * 13 + column * 7 + k * 5) % 50),
            setting: (['outdoor', 'outdoor', 'indoor', 'vehicle'] as const)[(row + column + k) % 4]!,
            voice: (row + k) % 4 === 0 ? 'failed' : 'ok',
          }),
        );
        // Two départements, the same cells holding rows of both (a border).
        departements.push((column + k) % 3 === 0 ? '30' : '34');
      }
    }
  }
  return { readings: all, departements };
}

describe('judged cells straight from the stored rows', () => {
  it('are those of the grid of groups, for every scope, resolution, filter and period', async () => {
    server = await openTestApp(tempDir());
    const { store } = server;
    const survey = readings();
    const places = survey.departements.map((departement, i) => ({ accountId: `agent-${i % 7}`, commune: null, departement, outsideCommunes: false }));
    expect((await store.ingest(survey.readings, places)).accepted).toHaveLength(survey.readings.length);
    const reports = [0.2, 0.5, 0.8].map((f, i) =>
      makeReport({ ...pointIn(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!, f, f), operator: OPERATORS[i]! }),
    );
    expect((await postReports(server.app, reports)).statusCode).toBe(200);

    const scopes: GridScope[] = [{ kind: 'all' }, { kind: 'departements', departements: ['34'] }, { kind: 'departements', departements: ['30', '34'] }];
    const filters: GridFilter[] = [
      { settings: ['outdoor'] },
      {},
      { settings: ['outdoor', 'vehicle'], operators: ['sfr', 'free'] },
      { technologies: ['4G'], settings: ['indoor', 'outdoor'] },
    ];
    const periods = [{}, { fromMonth: '2026-02', toMonth: '2026-03' }];
    let compared = 0;
    for (const resolutionM of [200, 1000, 2000, 10_000]) {
      for (const bbox of [BBOX, PART]) {
        const range = cellRange(bbox, resolutionM)!;
        for (const scope of scopes) {
          for (const [i, filter] of filters.entries()) {
            // Each period and the reports left out or not, over the filters (every pair would be slow on PostgreSQL).
            const request = { range, scope, filter, withoutReports: i % 2 === 1, ...periods[Math.floor(i / 2) % periods.length] };
            const expected = judgeInBbox(await loadGrid(store, request), filter, DEFAULT_VERDICT_OPTIONS, bbox);
            const judged = await judgeStoredCells(store, request, DEFAULT_VERDICT_OPTIONS, bbox);
            expect(judged).toEqual(expected);
            // The operators' order too: the answers' text follows it.
            expect(JSON.stringify(judged)).toBe(JSON.stringify(expected));
            compared += expected.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  }, 60_000);
});
