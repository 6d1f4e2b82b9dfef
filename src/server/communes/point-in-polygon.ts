/**
 * Exact point-in-polygon on GeoJSON outlines (lon/lat taken as a plane: outlines of communes
 * are a few kilometres wide, and their edges are straight lines between close vertices).
 *
 * A shape keeps each ring as one Float64Array of lon, lat pairs: an outline of all France's
 * communes holds millions of vertices, and arrays of arrays would take several times the memory.
 */

/** lon0, lat0, lon1, lat1, …; the last vertex may repeat the first (GeoJSON does) or not. */
export type Ring = Float64Array;
/** An outer ring, then its holes. */
export type Polygon = readonly Ring[];
/** One or several polygons (a MultiPolygon); a point inside any of them is inside the shape. */
export interface Shape {
  polygons: readonly Polygon[];
  /** [minLon, minLat, maxLon, maxLat] of every outer ring. */
  bbox: readonly [number, number, number, number];
}

export type OutlineGeometry = { type: 'Polygon'; coordinates: unknown } | { type: 'MultiPolygon'; coordinates: unknown };

/**
 * The shape of a GeoJSON Polygon or MultiPolygon. Throws a French message naming what is
 * wrong (a ring of fewer than 3 vertices, a coordinate that is not a number…).
 */
export function shapeOf(geometry: OutlineGeometry): Shape {
  const polygons = geometry.type === 'Polygon' ? [readPolygon(geometry.coordinates)] : listOf(geometry.coordinates, 'MultiPolygon').map(readPolygon);
  if (polygons.length === 0) throw new Error('MultiPolygon sans polygone');
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  // readPolygon never answers a polygon without its outer ring.
  for (const [outer = EMPTY_RING] of polygons) {
    for (let i = 0; i < outer.length; i += 2) {
      bbox[0] = Math.min(bbox[0], vertex(outer, i));
      bbox[1] = Math.min(bbox[1], vertex(outer, i + 1));
      bbox[2] = Math.max(bbox[2], vertex(outer, i));
      bbox[3] = Math.max(bbox[3], vertex(outer, i + 1));
    }
  }
  return { polygons, bbox };
}

const EMPTY_RING: Ring = new Float64Array(0);

/** The ring's `index`th number; its callers stay within the ring, so NaN is never read. */
function vertex(ring: Ring, index: number): number {
  return ring[index] ?? Number.NaN;
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`coordonnées de ${what} : une liste est attendue`);
  return value;
}

function readPolygon(value: unknown): Polygon {
  const rings = listOf(value, 'Polygon');
  if (rings.length === 0) throw new Error('Polygon sans anneau');
  return rings.map(readRing);
}

function readRing(value: unknown): Ring {
  const points = listOf(value, 'anneau');
  if (points.length < 3) throw new Error(`anneau de ${points.length} sommet(s) : 3 au moins sont attendus`);
  const ring = new Float64Array(points.length * 2);
  points.forEach((point, i) => {
    const [lon, lat] = Array.isArray(point) ? point : [];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new Error(`sommet ${JSON.stringify(point)} : [longitude, latitude] en degrés attendu`);
    }
    ring[i * 2] = lon;
    ring[i * 2 + 1] = lat;
  });
  return ring;
}

/**
 * Ray casting (even-odd rule): whether (lon, lat) lies inside the ring. A point exactly on an
 * edge may go either way, but always the same way for the two communes sharing that edge
 * (half-open comparisons), so a point on a shared boundary is in exactly one of them.
 */
export function ringContains(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i, i += 1) {
    const xi = vertex(ring, i * 2);
    const yi = vertex(ring, i * 2 + 1);
    const xj = vertex(ring, j * 2);
    const yj = vertex(ring, j * 2 + 1);
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and in none of its holes. */
export function polygonContains(polygon: Polygon, lon: number, lat: number): boolean {
  const outer = polygon[0];
  if (outer === undefined || !ringContains(outer, lon, lat)) return false;
  for (let h = 1; h < polygon.length; h += 1) {
    const hole = polygon[h];
    if (hole !== undefined && ringContains(hole, lon, lat)) return false;
  }
  return true;
}

export function shapeContains(shape: Shape, lon: number, lat: number): boolean {
  const [minLon, minLat, maxLon, maxLat] = shape.bbox;
  if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return false;
  return shape.polygons.some((polygon) => polygonContains(polygon, lon, lat));
}
