/**
 * The Earth as this app measures it, said once (as Leaflet's CRS.Earth and SphericalMercator do).
 * Pure: the page, the worker, the service worker and the server share it.
 *
 * Two spheres, each for what it is defined for:
 * - distances use EARTH_RADIUS_M, Leaflet's CRS.Earth.R, so that a distance computed here is the one
 *   the map shows (L.CRS.Earth.distance). The IUGG mean radius (6,371,008.8 m) differs by 1.4 ppm,
 *   1 mm per kilometre: far below a phone's GPS error, not worth a second value.
 * - Web Mercator (tiles, pixel scales) is defined on WGS84's semi-major axis, WEB_MERCATOR_RADIUS_M
 *   (Leaflet's SphericalMercator.R): not a choice of ours, the tile servers' projection.
 */

/** Radius (m) of the sphere distances are measured on: Leaflet's CRS.Earth.R. */
export const EARTH_RADIUS_M = 6_371_000;

/** Radius (m) of Web Mercator's sphere (WGS84 semi-major axis): Leaflet's SphericalMercator.R. */
export const WEB_MERCATOR_RADIUS_M = 6_378_137;

/** Web Mercator stops here (Leaflet's SphericalMercator.MAX_LATITUDE): beyond, y would be infinite. */
export const MAX_MERCATOR_LAT = 85.0511287798;

/** Metres in one degree of latitude (and of longitude on the equator) on EARTH_RADIUS_M's sphere: 111,195 m. */
export const METRES_PER_DEGREE_LAT = (EARTH_RADIUS_M * Math.PI) / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

export function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Great-circle distance in metres (haversine): equal to L.CRS.Earth.distance up to rounding. */
export function distanceM(a: LatLon, b: LatLon): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLon = toRadians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Degrees of latitude spanning `metres` north–south. */
export function metresToDegreesLat(metres: number): number {
  return metres / METRES_PER_DEGREE_LAT;
}

/** Degrees of longitude spanning `metres` east–west at latitude `atLat` (not defined at the poles). */
export function metresToDegreesLon(metres: number, atLat: number): number {
  return metres / (METRES_PER_DEGREE_LAT * Math.cos(toRadians(atLat)));
}

/** Web Mercator's metres per pixel at zoom 0 on the equator, for 256-pixel tiles (156,543 m). */
export const EQUATOR_METRES_PER_PIXEL = (2 * Math.PI * WEB_MERCATOR_RADIUS_M) / 256;
