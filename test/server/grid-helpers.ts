import type { FastifyInstance } from 'fastify';
import { cellAt, formatCellId, type CellRef } from '../../src/domain/grid/cell-id.ts';
import { addReport, aggregateReadings, coarsenGrid, gridFromJson, gridToJson, type GridJson } from '../../src/domain/grid/grid-accumulator.ts';
import { fromLaea } from '../../src/domain/grid/laea.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import { wholeRange } from '../../src/domain/grid/cell-range.ts';
import { UNATTRIBUTED_CONTRIBUTOR } from '../../src/server/storage/grid-store.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { expect } from 'vitest';
import { addUser, makeReading, postReadings, SAINT_GUILHEM, type Caller } from './fixtures.ts';

/** The 200 m cell of Saint-Guilhem-le-Désert (where makeReading() records), and its east and north neighbours. */
export const CELL_A: CellRef = cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!;
export const CELL_B: CellRef = { ...CELL_A, east: CELL_A.east + 200 };
export const CELL_C: CellRef = { ...CELL_A, north: CELL_A.north + 200 };
export const ID_A = formatCellId(CELL_A);
export const ID_B = formatCellId(CELL_B);
export const ID_C = formatCellId(CELL_C);
/** A box around the three cells (a few hundred metres). */
export const AROUND = '3.54,43.725,3.56,43.745';

/** A WGS84 point at a fraction (0…1) of a cell's width and height from its south-west corner. */
export function pointIn(cell: CellRef, fx: number, fy: number): { lat: number; lon: number } {
  const [lon, lat] = fromLaea(cell.east + fx * cell.resolutionM, cell.north + fy * cell.resolutionM);
  return { lat: Number(lat.toFixed(7)), lon: Number(lon.toFixed(7)) };
}

/** 4G readings: TBC −95, BC −105, CL −120 dBm; PC as « no network ». */
export function levelReading(level: 'TBC' | 'BC' | 'CL' | 'PC', overrides: Partial<Reading> = {}): Reading {
  const base = makeReading(overrides);
  if (level === 'PC') {
    const { signalDbm: _, ...rest } = base;
    return { ...rest, technology: 'none', voice: 'failed' };
  }
  return { ...base, signalDbm: { TBC: -95, BC: -105, CL: -120 }[level], ...overrides };
}

export async function getCells(app: FastifyInstance, headers: Record<string, string>, query: string) {
  const response = await app.inject({ method: 'GET', url: `/api/v1/cells?${query}`, headers });
  return response;
}

/** properties of the features of a GET /api/v1/cells answer, by cell id. */
// biome-ignore lint/suspicious/noExplicitAny: tests read any property of a cell and let the assertion say what it must be.
export function byCell(body: { features: { properties: { cellId: string } & Record<string, unknown> }[] }): Record<string, any> {
  return Object.fromEntries(body.features.map((f) => [f.properties.cellId, f.properties]));
}

/** A period holding every month: the month rows rather than the all-periods ones. */
export const EVERY_MONTH = { fromMonth: '0000-01', toMonth: '9999-12' };

/** Everything the store holds at a resolution, merged over months and départements, as the domain's JSON. */
export async function storedGrid(
  store: Store,
  resolutionM: 200 | 1000 | 10_000,
  departements?: string[],
  months?: { fromMonth: string; toMonth: string },
): Promise<GridJson> {
  const range = wholeRange(resolutionM);
  const scope = departements ? { kind: 'departements' as const, departements } : { kind: 'all' as const };
  const query = { resolutionM, north: range.north, east: range.east, scope, ...months };
  const groups = await store.gridGroups(query);
  const reports = await store.gridReports(query);
  return gridToJson(
    gridFromJson({
      version: 1,
      resolutionM,
      groups: groups.map(({ cell, operator, technology, setting, stats }) => ({ cell, operator, technology, setting, stats })),
      residents: reports.map(({ cell, operator, count }) => ({ cell, operator, count, firstMs: null, lastMs: null })),
      outsideGrid: 0,
    }),
  );
}

/** The domain's reference: the readings (of those départements) and visible reports aggregated from scratch. */
export function recomputed(
  readings: Reading[],
  places: Map<string, ReadingPlacement>,
  resolutionM = 200,
  departements?: string[],
  reports: Report[] = [],
): GridJson {
  const kept = departements ? readings.filter((r) => departements.includes(places.get(r.id)!.departement ?? '')) : readings;
  const grid = aggregateReadings(kept, (r) => places.get((r as Reading).id)!.accountId ?? UNATTRIBUTED_CONTRIBUTOR, 200);
  for (const report of reports) addReport(grid, report);
  const json = gridToJson(resolutionM === 200 ? grid : coarsenGrid(grid, resolutionM));
  // The store keeps residents' counts, not their dates.
  return { ...json, residents: json.residents.map((r) => ({ ...r, firstMs: null, lastMs: null })), outsideGrid: 0 };
}

/** An agent's BC reading of each operator at the centre of cells A, B and C, and the Hérault's reviewer. */
export async function surveyThreeCells(app: FastifyInstance): Promise<{ agent: Caller; reviewer: Caller }> {
  const agent = await addUser(app);
  const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
  const readings = [CELL_A, CELL_B, CELL_C].flatMap((cell) =>
    ['orange', 'sfr', 'bouygues', 'free'].map((operator) => levelReading('BC', { operator: operator as 'orange', ...pointIn(cell, 0.5, 0.5) })),
  );
  expect((await postReadings(app, readings, agent)).statusCode).toBe(200);
  return { agent, reviewer };
}
