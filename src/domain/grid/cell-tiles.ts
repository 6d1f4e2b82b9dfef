import type { Bbox } from '../geojson.ts';
import { cellRange, type CellRange } from './cell-range.ts';
import type { CellRef } from './cell-id.ts';

/**
 * Fixed tiles of the coverage grid. The map asks for the grid a tile at a time rather than for
 * its screen's box, so that every view of the same place, by anyone of the same scope, shares
 * one answer the server can keep built; panning fetches only the tiles newly in sight.
 *
 * A tile is {@link TILE_CELLS} × {@link TILE_CELLS} cells of one resolution, its south-west
 * corner at a multiple of its side in EPSG:3035 metres. For every resolution the map offers
 * (200 m, 1, 2, 5, 10 km), the side is 10 km or a multiple of it: a tile is a whole number of
 * the 10 km cells in which the store counts what changed.
 */
export const TILE_CELLS = 50;

/** The side of the 10 km cells tiles are made of. */
export const TILE_UNIT_M = 10_000;

export interface CellTile {
  resolutionM: number;
  /** Easting of the south-west corner, metres: a multiple of the tile's side. */
  east: number;
  /** Northing of the south-west corner, metres: a multiple of the tile's side. */
  north: number;
}

export function tileSideM(resolutionM: number): number {
  return TILE_CELLS * resolutionM;
}

/** Whether a resolution has tiles: theirs must be whole 10 km cells, so it must be a multiple of 200 m. */
export function hasTiles(resolutionM: number): boolean {
  return Number.isInteger(resolutionM) && resolutionM > 0 && tileSideM(resolutionM) % TILE_UNIT_M === 0;
}

export function tileOfCell(cell: CellRef): CellTile {
  const side = tileSideM(cell.resolutionM);
  return { resolutionM: cell.resolutionM, east: Math.floor(cell.east / side) * side, north: Math.floor(cell.north / side) * side };
}

/** The tile's cells. */
export function tileRange(tile: CellTile): CellRange {
  const last = tileSideM(tile.resolutionM) - tile.resolutionM;
  return {
    resolutionM: tile.resolutionM,
    north: [tile.north, tile.north + last],
    east: [tile.east, tile.east + last],
    cells: TILE_CELLS * TILE_CELLS,
  };
}

/** The tiles holding a range's cells, south to north then west to east. */
export function tilesOfRange(range: CellRange): CellTile[] {
  const side = tileSideM(range.resolutionM);
  const first = (metres: number) => Math.floor(metres / side) * side;
  const tiles: CellTile[] = [];
  for (let north = first(range.north[0]); north <= range.north[1]; north += side) {
    for (let east = first(range.east[0]); east <= range.east[1]; east += side) tiles.push({ resolutionM: range.resolutionM, east, north });
  }
  return tiles;
}

/** The tiles holding every cell that may touch a lon/lat box; none outside EPSG:3035's area of use. */
export function tilesCovering(bbox: Bbox, resolutionM: number): CellTile[] {
  const range = cellRange(bbox, resolutionM);
  return range ? tilesOfRange(range) : [];
}

/** The 10 km cells (south-west corners, metres) a tile is made of. */
export function tileUnits(tile: CellTile): CellRef[] {
  const side = tileSideM(tile.resolutionM);
  const units: CellRef[] = [];
  for (let north = tile.north; north < tile.north + side; north += TILE_UNIT_M) {
    for (let east = tile.east; east < tile.east + side; east += TILE_UNIT_M) units.push({ resolutionM: TILE_UNIT_M, east, north });
  }
  return units;
}

/** `east,north` of the south-west corner, in metres: the `tile` parameter of GET /api/v1/cells. */
export function formatTile(tile: CellTile): string {
  return `${tile.east},${tile.north}`;
}

/** The tile `east,north` names at this resolution, or undefined when it is not one (not two whole metres, or not on the tiles' corners). */
export function parseTile(text: string, resolutionM: number): CellTile | undefined {
  const match = /^(\d{1,8}),(\d{1,8})$/.exec(text);
  if (!match || !hasTiles(resolutionM)) return undefined;
  const east = Number(match[1]);
  const north = Number(match[2]);
  const side = tileSideM(resolutionM);
  if (east % side !== 0 || north % side !== 0) return undefined;
  return { resolutionM, east, north };
}
