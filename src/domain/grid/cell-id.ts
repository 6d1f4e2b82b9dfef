import { isInLaeaArea, toLaea } from './laea.ts';

/**
 * INSPIRE grid cells on EPSG:3035, named as INSEE and Eurostat name them:
 * `CRS3035RES200mN2029800E4252000` = resolution, then the northing and the easting of the
 * cell's lower-left (south-west) corner, in metres.
 */

export const DEFAULT_RESOLUTION_M = 200;
/** Resolutions offered for zoomed-out views; any whole number of metres works. */
export const COMMON_RESOLUTIONS_M = [200, 1000, 2000, 5000, 10_000] as const;

const MAX_RESOLUTION_M = 1_000_000;
/**
 * Cell indices (metres / resolution) stay below 2^23, so that a cell and a group fit in one
 * exact JS number (see grid-accumulator.ts). EPSG:3035's area of use stays below 8 000 km in
 * both axes, so this only bites at resolutions under a metre, which are refused anyway.
 */
export const MAX_CELL_INDEX = 2 ** 23;

export interface CellRef {
  /** Side of the square, metres. */
  resolutionM: number;
  /** Northing of the lower-left corner, metres (a multiple of resolutionM). */
  north: number;
  /** Easting of the lower-left corner, metres (a multiple of resolutionM). */
  east: number;
}

export function isValidResolution(resolutionM: number): boolean {
  return Number.isInteger(resolutionM) && resolutionM >= 1 && resolutionM <= MAX_RESOLUTION_M;
}

function assertResolution(resolutionM: number): void {
  if (!isValidResolution(resolutionM)) throw new RangeError(`Grid resolution must be a whole number of metres in 1…${MAX_RESOLUTION_M}, got ${resolutionM}`);
}

/**
 * The cell holding a point given in EPSG:3035 metres. A point on a border belongs to the cell
 * to its north / east (cells are closed on their south and west sides, open on the others),
 * so every point has exactly one cell.
 */
export function cellAtLaea(east: number, north: number, resolutionM = DEFAULT_RESOLUTION_M): CellRef {
  assertResolution(resolutionM);
  return {
    resolutionM,
    north: Math.floor(north / resolutionM) * resolutionM,
    east: Math.floor(east / resolutionM) * resolutionM,
  };
}

/**
 * The cell holding a WGS84 position, or undefined when the position is not a number or lies
 * outside EPSG:3035's area of use (e.g. the overseas départements).
 */
export function cellAt(lon: number, lat: number, resolutionM = DEFAULT_RESOLUTION_M): CellRef | undefined {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || !isInLaeaArea(lon, lat)) return undefined;
  const [east, north] = toLaea(lon, lat);
  const cell = cellAtLaea(east, north, resolutionM);
  if (!inIndexRange(cell)) return undefined;
  return cell;
}

function inIndexRange(cell: CellRef): boolean {
  const row = cell.north / cell.resolutionM;
  const column = cell.east / cell.resolutionM;
  return row >= 0 && column >= 0 && row < MAX_CELL_INDEX && column < MAX_CELL_INDEX;
}

export function formatCellId(cell: CellRef): string {
  return `CRS3035RES${cell.resolutionM}mN${cell.north}E${cell.east}`;
}

/** The id of the cell holding a WGS84 position, or undefined (see {@link cellAt}). */
export function cellIdAt(lon: number, lat: number, resolutionM = DEFAULT_RESOLUTION_M): string | undefined {
  const cell = cellAt(lon, lat, resolutionM);
  return cell && formatCellId(cell);
}

// Digits without leading zeros, so that one cell has one spelling (like lower-case UUIDs).
const CELL_ID = /^CRS3035RES([1-9]\d{0,6})mN(0|[1-9]\d{0,7})E(0|[1-9]\d{0,7})$/;

/**
 * A cell id back to its cell; undefined for anything that is not the canonical id of a cell
 * (another CRS, a corner that is not on the grid, leading zeros, a unit other than m…).
 */
export function parseCellId(id: string): CellRef | undefined {
  if (typeof id !== 'string') return undefined;
  const match = CELL_ID.exec(id);
  if (!match) return undefined;
  const resolutionM = Number(match[1]);
  const north = Number(match[2]);
  const east = Number(match[3]);
  if (!isValidResolution(resolutionM) || north % resolutionM !== 0 || east % resolutionM !== 0) return undefined;
  const cell = { resolutionM, north, east };
  return inIndexRange(cell) ? cell : undefined;
}

/**
 * The cell of a coarser grid holding this one. The coarser resolution must be a multiple of
 * the finer one, so that each fine cell lies in exactly one coarse cell (200 m → 1 km does,
 * 200 m → 500 m does not).
 */
export function coarserCell(cell: CellRef, resolutionM: number): CellRef {
  assertResolution(resolutionM);
  if (resolutionM % cell.resolutionM !== 0) {
    throw new RangeError(`A ${resolutionM} m grid does not nest ${cell.resolutionM} m cells: pick a multiple of ${cell.resolutionM}`);
  }
  return cellAtLaea(cell.east, cell.north, resolutionM);
}

/** Row and column of a cell on its grid (metres / resolution). */
export function cellIndex(cell: CellRef): { row: number; column: number } {
  return { row: cell.north / cell.resolutionM, column: cell.east / cell.resolutionM };
}

/** One exact number per cell of a given grid, for Map keys: row · 2^23 + column. */
export function cellNumber(cell: CellRef): number {
  return (cell.north / cell.resolutionM) * MAX_CELL_INDEX + cell.east / cell.resolutionM;
}
