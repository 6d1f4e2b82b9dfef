import type { Bbox } from '../geojson.ts';
import type { CellRef } from './cell-id.ts';
import { fromLaea } from './laea.ts';

/** A GeoJSON position: [longitude, latitude], degrees (RFC 7946 order). */
export type LonLat = [lon: number, lat: number];

/**
 * Decimal places kept in GeoJSON output: 1e-7° is about 1 cm, far below GPS accuracy
 * (RFC 7946 §11.2 advises not more than needed). Shared corners of neighbouring cells round
 * identically, so neighbours still share their edges exactly.
 */
const DECIMALS = 1e7;
const round = (degrees: number) => Math.round(degrees * DECIMALS) / DECIMALS;

/** A point in EPSG:3035 metres as a rounded GeoJSON position. */
export function laeaToPosition(east: number, north: number): LonLat {
  const [lon, lat] = fromLaea(east, north);
  return [round(lon), round(lat)];
}

/**
 * The cell's outline in WGS84: a closed linear ring, counter-clockwise as RFC 7946 wants for
 * an exterior ring — south-west, south-east, north-east, north-west, south-west again.
 * The square's sides are straight in EPSG:3035, very slightly curved in degrees; for cells
 * of a few kilometres the difference stays in the centimetres.
 */
export function cellRing(cell: CellRef): LonLat[] {
  const { east: w, north: s, resolutionM: r } = cell;
  const sw = laeaToPosition(w, s);
  return [sw, laeaToPosition(w + r, s), laeaToPosition(w + r, s + r), laeaToPosition(w, s + r), [sw[0], sw[1]]];
}

/** The cell's centre in WGS84 (the centre of the square in EPSG:3035, projected). */
export function cellCentre(cell: CellRef): LonLat {
  const half = cell.resolutionM / 2;
  return laeaToPosition(cell.east + half, cell.north + half);
}

/** The smallest lon/lat box holding the cell's four corners. */
export function cellBbox(cell: CellRef): Bbox {
  return bboxOf(cellRing(cell));
}

export function bboxOf(positions: Iterable<LonLat>): Bbox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of positions) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLon, minLat, maxLon, maxLat };
}
