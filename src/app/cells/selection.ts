import type { LonLatBounds } from './coverage-filters.ts';

/**
 * The reviewer's selection of cells, made before « Créer une zone »: a click toggles one,
 * a shift-drag rectangle adds those whose centre lies inside. Pure, immutable sets.
 */

export function toggleCell(selection: ReadonlySet<string>, cell: string): Set<string> {
  const next = new Set(selection);
  if (next.has(cell)) next.delete(cell);
  else next.add(cell);
  return next;
}

export function addCells(selection: ReadonlySet<string>, cells: Iterable<string>): Set<string> {
  const next = new Set(selection);
  for (const cell of cells) next.add(cell);
  return next;
}

/** A cell as drawn: its id and its outline ring ([lon, lat] positions, first repeated last). */
export interface DrawnCell {
  id: string;
  ring: readonly (readonly [number, number] | readonly number[])[];
}

/** The centre of a ring: the mean of its distinct corners. */
export function ringCentre(ring: DrawnCell['ring']): [lon: number, lat: number] {
  const closed = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1];
  const corners = closed ? ring.slice(0, -1) : ring;
  let lon = 0;
  let lat = 0;
  for (const position of corners) {
    lon += position[0]!;
    lat += position[1]!;
  }
  return [lon / corners.length, lat / corners.length];
}

/** The cells whose centre lies in the rectangle (edges included), in the given order. */
export function cellsInRectangle(cells: Iterable<DrawnCell>, rectangle: LonLatBounds): string[] {
  const west = Math.min(rectangle.west, rectangle.east);
  const east = Math.max(rectangle.west, rectangle.east);
  const south = Math.min(rectangle.south, rectangle.north);
  const north = Math.max(rectangle.south, rectangle.north);
  const inside: string[] = [];
  for (const cell of cells) {
    if (cell.ring.length === 0) continue;
    const [lon, lat] = ringCentre(cell.ring);
    if (lon >= west && lon <= east && lat >= south && lat <= north) inside.push(cell.id);
  }
  return inside;
}

/** The resolution written in a cell id (`CRS3035RES200m…` → 200), or undefined. */
export function cellResolution(cell: string): number | undefined {
  const match = /^CRS3035RES(\d+)m/.exec(cell);
  return match ? Number(match[1]) : undefined;
}
