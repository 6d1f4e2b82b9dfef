import proj4 from 'proj4';

/**
 * ETRS89-extended / LAEA Europe (EPSG:3035), the projection of the INSPIRE statistical grids
 * (INSEE's 200 m population grid included). The PROJ definition is EPSG's, as epsg.io and
 * PROJ publish it: natural origin 52°N 10°E, false easting 4 321 000 m, false northing
 * 3 210 000 m, GRS80 ellipsoid. WGS84 and ETRS89 differ by well under a metre in France,
 * far below a phone's GPS accuracy, so positions are taken as ETRS89 as they come.
 */
export const EPSG_3035 = '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m +no_defs +type=crs';

/**
 * Where EPSG:3035 is meant to be used (EPSG's area of use, degrees). Outside it the formulas
 * still give numbers, but no INSPIRE grid is defined there: INSEE grids the overseas
 * départements in their own local projections, which this grid does not cover.
 */
export const LAEA_AREA_OF_USE = { minLon: -35.58, minLat: 24.6, maxLon: 44.83, maxLat: 84.73 } as const;

const converter = proj4('WGS84', EPSG_3035);

/** [easting, northing] in metres; the input is not checked (see {@link isInLaeaArea}). */
export function toLaea(lon: number, lat: number): [east: number, north: number] {
  const [east, north] = converter.forward([lon, lat]);
  return [east!, north!];
}

/** [lon, lat] in degrees of a point given in EPSG:3035 metres. */
export function fromLaea(east: number, north: number): [lon: number, lat: number] {
  const [lon, lat] = converter.inverse([east, north]);
  return [lon!, lat!];
}

export function isInLaeaArea(lon: number, lat: number): boolean {
  const a = LAEA_AREA_OF_USE;
  return lon >= a.minLon && lon <= a.maxLon && lat >= a.minLat && lat <= a.maxLat;
}
