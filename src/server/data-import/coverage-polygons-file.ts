import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { coordinateSystem, epsgOfName, KNOWN_EPSG_CODES, type CoordinateSystem } from './coordinate-systems.ts';
import { looksLikeSqlite, readGeoPackage, type PlanarPolygon } from './geopackage.ts';

/**
 * A file of attributed polygons (a GeoPackage or a GeoJSON FeatureCollection) read into one
 * shape: its features with their attributes and polygons, and the coordinate system they are
 * in. Refuses, in French and naming what it found, what it cannot read.
 */

export interface PolygonFeature {
  properties: Record<string, unknown>;
  polygons: PlanarPolygon[];
}

export interface PolygonsFile {
  name: string;
  format: 'GeoPackage' | 'GeoJSON';
  crs: CoordinateSystem;
  features: PolygonFeature[];
}

const knownCodes = () => KNOWN_EPSG_CODES.map((code) => `EPSG:${code}`).join(', ');

export function readPolygonsFile(file: string): PolygonsFile {
  const head = Buffer.alloc(16);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new Error(`impossible de lire ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const name = basename(file);
  if (looksLikeSqlite(head)) return fromGeoPackage(file, name);
  const text = readFileSync(file, 'utf8');
  if (/^\s*[{[]/.test(text)) return fromGeoJson(text, name);
  throw new Error(`${name} n’est ni un GeoPackage (fichier SQLite) ni un GeoJSON : début du fichier ${JSON.stringify(head.toString('latin1'))}`);
}

function fromGeoPackage(file: string, name: string): PolygonsFile {
  const layers = readGeoPackage(file);
  const systems = new Map(layers.map((layer) => [layer.crs.srsId, layer.crs]));
  if (systems.size > 1) {
    throw new Error(
      `${name} : tables en plusieurs systèmes de coordonnées (${[...systems.values()].map((s) => `${s.organization}:${s.organizationId}`).join(', ')}) ; un seul est attendu`,
    );
  }
  const ref = layers[0]!.crs;
  const crs = ref.organization.toUpperCase() === 'EPSG' ? coordinateSystem(ref.organizationId) : undefined;
  if (!crs) {
    throw new Error(
      `${name} : système de coordonnées inconnu « ${ref.name} » (${ref.organization}:${ref.organizationId}, srs_id ${ref.srsId}) ; connus : ${knownCodes()}`,
    );
  }
  return { name, format: 'GeoPackage', crs, features: layers.flatMap((layer) => layer.features) };
}

interface GeoJsonFeature {
  type?: unknown;
  properties?: unknown;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

function fromGeoJson(text: string, name: string): PolygonsFile {
  let parsed: { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} : JSON illisible (${(error as Error).message})`);
  }
  if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) {
    throw new Error(`${name} : une FeatureCollection GeoJSON est attendue, type trouvé : ${JSON.stringify(parsed.type ?? null)}`);
  }
  // RFC 7946 is WGS84 only; older files (GDAL's export of Lambert-93 data) still name their CRS.
  const crsName = parsed.crs?.properties?.name;
  const epsg = typeof crsName === 'string' ? epsgOfName(crsName) : 4326;
  const crs = epsg === undefined ? undefined : coordinateSystem(epsg);
  if (!crs) throw new Error(`${name} : système de coordonnées inconnu « ${String(crsName)} » ; connus : ${knownCodes()}`);
  const features = (parsed.features as GeoJsonFeature[]).map((feature, index) => {
    const where = `${name}, entité ${index + 1}`;
    const geometry = feature?.geometry;
    if (!geometry) throw new Error(`${where} sans géométrie`);
    const properties = feature.properties && typeof feature.properties === 'object' ? (feature.properties as Record<string, unknown>) : {};
    return { properties, polygons: geoJsonPolygons(geometry, where) };
  });
  return { name, format: 'GeoJSON', crs, features };
}

function geoJsonPolygons(geometry: { type?: unknown; coordinates?: unknown }, where: string): PlanarPolygon[] {
  if (geometry.type === 'Polygon') return [polygon(geometry.coordinates, where)];
  if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) return geometry.coordinates.map((p) => polygon(p, where));
  throw new Error(`${where} : géométrie ${JSON.stringify(geometry.type ?? null)} ; Polygon ou MultiPolygon attendu`);
}

function polygon(value: unknown, where: string): PlanarPolygon {
  if (!Array.isArray(value)) throw new Error(`${where} : coordonnées de polygone illisibles`);
  return value.map((ring) => {
    if (!Array.isArray(ring) || ring.length < 3) throw new Error(`${where} : anneau de moins de 3 sommets`);
    const flat = new Float64Array(ring.length * 2);
    ring.forEach((point: unknown, i: number) => {
      const [x, y] = Array.isArray(point) ? point : [];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(`${where} : sommet ${JSON.stringify(point)} ; deux nombres attendus`);
      }
      flat[2 * i] = x;
      flat[2 * i + 1] = y;
    });
    return flat;
  });
}
