import type { Bbox } from './geojson.ts';
import { toRadians } from './geo.ts';
import { PUBLIC_PRECISION_M } from './report.ts';

/**
 * What anyone may know of a resident's report: the ~200 m cell it lies in and the hour it
 * was made. The public feed shows exactly these, and everything else an anonymous caller can
 * observe of a report (whether a new one repeats it, which reports a box holds) must be a
 * function of them alone, or probes could locate a report more finely (issue 14).
 */

/**
 * The public grid's degree, in metres: WGS84's equatorial degree (111,319.49 m) rounded, kept to the
 * metre rather than taken from geo.ts: the grid must never move, or a report shown on two grids
 * would be located by their intersection.
 */
const PUBLIC_GRID_METRES_PER_DEGREE = 111_320;
const HOUR_MS = 3_600_000;

/**
 * A cell of the public grid: rows of `sizeM` of latitude, each cut in columns of `sizeM` of
 * longitude measured at the row's centre. `row` and `col` name it; `bounds` holds exactly the
 * points `publicCell` puts in it (minimum included, maximum excluded, up to rounding).
 */
export interface PublicCell {
  row: number;
  col: number;
  /** [lon, lat] of the centre, rounded to 1e-6°. */
  centre: [number, number];
  bounds: Bbox;
}

/** The degrees of latitude of one public row. */
export function publicRowHeightDeg(sizeM: number = PUBLIC_PRECISION_M): number {
  return sizeM / PUBLIC_GRID_METRES_PER_DEGREE;
}

export function publicCell(lat: number, lon: number, sizeM: number = PUBLIC_PRECISION_M): PublicCell {
  const latStep = publicRowHeightDeg(sizeM);
  const row = Math.floor(lat / latStep);
  const rowCentre = (row + 0.5) * latStep;
  const lonStep = sizeM / (PUBLIC_GRID_METRES_PER_DEGREE * Math.max(Math.cos(toRadians(rowCentre)), 0.01));
  const col = Math.floor(lon / lonStep);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    row,
    col,
    centre: [round((col + 0.5) * lonStep), round(rowCentre)],
    bounds: { minLon: col * lonStep, maxLon: (col + 1) * lonStep, minLat: row * latStep, maxLat: (row + 1) * latStep },
  };
}

export function sameCell(a: PublicCell, b: PublicCell): boolean {
  return a.row === b.row && a.col === b.col;
}

/** The UTC hour a report was made in, as the public feed shows it: hours since 1970. */
export function publicHour(reportedAtMs: number): number {
  return Math.floor(reportedAtMs / HOUR_MS);
}

/** The first and last millisecond of an hour given by `publicHour`. */
export function publicHourBounds(hour: number): { fromMs: number; toMs: number } {
  return { fromMs: hour * HOUR_MS, toMs: (hour + 1) * HOUR_MS - 1 };
}

/**
 * A box of exact positions holding every point whose cell's centre lies in `bbox`: a row
 * beyond it in latitude, and in longitude the widest column among those rows (cells widen
 * towards the poles). Filtering on the centres afterwards gives the same reports as filtering
 * every report ever stored, so the exact positions near the box's edges do not show.
 */
export function publicSearchBox(bbox: Bbox, sizeM: number = PUBLIC_PRECISION_M): Bbox {
  const latStep = publicRowHeightDeg(sizeM);
  const minLat = Math.max(-90, bbox.minLat - latStep);
  const maxLat = Math.min(90, bbox.maxLat + latStep);
  const farthestFromEquator = Math.min(90, Math.max(Math.abs(minLat), Math.abs(maxLat)) + latStep);
  const widestCol = sizeM / (PUBLIC_GRID_METRES_PER_DEGREE * Math.max(Math.cos(toRadians(farthestFromEquator)), 0.01));
  return {
    minLon: Math.max(-180, bbox.minLon - widestCol),
    maxLon: Math.min(180, bbox.maxLon + widestCol),
    minLat,
    maxLat,
  };
}
