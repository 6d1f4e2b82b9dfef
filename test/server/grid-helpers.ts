import type { FastifyInstance } from 'fastify';
import { cellAt, formatCellId, type CellRef } from '../../src/domain/grid/cell-id.ts';
import { fromLaea } from '../../src/domain/grid/laea.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { makeReading, SAINT_GUILHEM } from './fixtures.ts';

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
export function byCell(body: { features: { properties: { cellId: string } & Record<string, unknown> }[] }): Record<string, any> {
  return Object.fromEntries(body.features.map((f) => [f.properties.cellId, f.properties]));
}
