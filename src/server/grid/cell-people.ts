import { coarserCell, formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { PointOfInterest } from '../../domain/point-of-interest.ts';
import { sumPeople, type People } from '../../domain/population.ts';
import type { BaseCellBox, PeopleStore } from '../storage/people-store.ts';
import { baseCellCorners } from '../storage/zone-store.ts';

/**
 * Who lives and what lies in cells of any resolution (a multiple of 200 m): INSEE's 200 m
 * grid and the points of interest, read once for the cells' box and summed per cell.
 */

/** The box of 200 m corners holding every one of these cells (all of one resolution). */
function boxOf(cells: readonly CellRef[]): BaseCellBox {
  const corners = cells.map(baseCellCorners);
  return {
    north: [Math.min(...corners.map((c) => c[0])), Math.max(...corners.map((c) => c[1]))],
    east: [Math.min(...corners.map((c) => c[2])), Math.max(...corners.map((c) => c[3]))],
  };
}

/**
 * For each cell, in order, the people of its 200 m cells summed. Filosofi lists only inhabited
 * cells: where the grid has rows around (in the cells' box), a cell without any holds nobody
 * (0); where it has none at all, no edition was loaded there and every cell is null (unknown).
 */
export async function peopleInCells(store: PeopleStore, cells: readonly CellRef[]): Promise<(People | null)[]> {
  if (cells.length === 0) return [];
  const resolutionM = cells[0]!.resolutionM;
  const rows = await store.populationIn(boxOf(cells));
  const byCell = new Map<string, People[]>();
  for (const row of rows) {
    const id = formatCellId(coarserCell({ resolutionM: 200, north: row.north, east: row.east }, resolutionM));
    const list = byCell.get(id) ?? [];
    list.push(row);
    byCell.set(id, list);
  }
  if (rows.length === 0) return cells.map(() => null);
  const nobody: People = { inhabitants: 0, households: 0, dwellings: null, edition: sumPeople(rows)!.edition };
  return cells.map((cell) => sumPeople(byCell.get(formatCellId(cell)) ?? [nobody]));
}

/** The people of a zone: its cells' summed. */
export async function peopleInZone(store: PeopleStore, cells: readonly CellRef[]): Promise<People | null> {
  return sumPeople(await peopleInCells(store, cells));
}

/** The points of interest lying in these cells, by name. */
export async function pointsOfInterestInCells(store: PeopleStore, cells: readonly CellRef[]): Promise<PointOfInterest[]> {
  if (cells.length === 0) return [];
  const resolutionM = cells[0]!.resolutionM;
  const wanted = new Set(cells.map(formatCellId));
  return (await store.pointsOfInterestIn(boxOf(cells)))
    .filter((point) => wanted.has(formatCellId(coarserCell({ resolutionM: 200, north: point.north, east: point.east }, resolutionM))))
    .map(({ name, kind, lat, lon, north, east }) => ({ name, kind, lat, lon, cellId: formatCellId({ resolutionM: 200, north, east }) }));
}
