import Database from 'better-sqlite3';
import { Geometry, MultiPolygon, Polygon, type Point } from 'wkx';

/**
 * Reads the features of a GeoPackage (OGC 12-128r18), which is a SQLite file: its feature
 * tables are listed in `gpkg_contents`, their geometry column and CRS in
 * `gpkg_geometry_columns` / `gpkg_spatial_ref_sys`, and each geometry is a GeoPackageBinary
 * blob: a header (magic « GP », version, flags, srs_id, an optional envelope), then WKB,
 * parsed here by wkx (ISO WKB, Z/M variants included). Opened read-only: the file is never
 * touched.
 */

/** A polygon as its rings (outer first), each as x0, y0, x1, y1, … in the file's CRS. */
export type PlanarPolygon = Float64Array[];

export interface GeoPackageFeature {
  /** The feature's attribute columns (the geometry column left out). */
  properties: Record<string, unknown>;
  /** Polygons of a Polygon or MultiPolygon; empty for an empty geometry. */
  polygons: PlanarPolygon[];
}

export interface SpatialRef {
  srsId: number;
  name: string;
  organization: string;
  organizationId: number;
}

export interface GeoPackageLayer {
  table: string;
  geometryColumn: string;
  crs: SpatialRef;
  features: GeoPackageFeature[];
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Whether the bytes start like a SQLite file (a GeoPackage is one). */
export function looksLikeSqlite(head: Buffer): boolean {
  return head.subarray(0, 16).toString('latin1') === SQLITE_MAGIC;
}

/**
 * The feature tables of the GeoPackage at `file`, each with its features. Throws a French
 * error naming what is missing or wrong (no gpkg_contents, no geometry column, a geometry
 * that is not a polygon…).
 */
export function readGeoPackage(file: string): GeoPackageLayer[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${file} n’est pas un GeoPackage lisible (${(error as Error).message})`);
  }
  try {
    const tables = tableNames(db);
    for (const required of ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys']) {
      if (!tables.has(required)) {
        throw new Error(`${file} n’est pas un GeoPackage : table ${required} absente (tables trouvées : ${[...tables].join(', ') || 'aucune'})`);
      }
    }
    const contents = db.prepare<[], { table_name: string }>("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name").all();
    if (contents.length === 0) throw new Error(`${file} : aucune table de type « features » dans gpkg_contents (pas de géométrie)`);
    return contents.map(({ table_name: table }) => readLayer(db, file, table));
  } finally {
    db.close();
  }
}

function tableNames(db: Database.Database): Set<string> {
  return new Set(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").pluck().all());
}

function readLayer(db: Database.Database, file: string, table: string): GeoPackageLayer {
  const column = db
    .prepare<[string], { column_name: string; srs_id: number }>('SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?')
    .get(table);
  if (!column) throw new Error(`${file} : la table ${table} n’a pas de colonne géométrique (gpkg_geometry_columns)`);
  const crs = db
    .prepare<[number], { srs_id: number; srs_name: string; organization: string; organization_coordsys_id: number }>(
      'SELECT srs_id, srs_name, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
    )
    .get(column.srs_id);
  if (!crs) throw new Error(`${file} : le système de coordonnées ${column.srs_id} de la table ${table} est absent de gpkg_spatial_ref_sys`);
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  let rows: Record<string, unknown>[];
  try {
    // The name comes from the file: quoted as an identifier, on a read-only connection.
    rows = db.prepare(`SELECT * FROM ${quoted(table)}`).all() as Record<string, unknown>[];
  } catch (error) {
    throw new Error(`${file} : la table « ${table} » listée dans gpkg_contents est illisible (${(error as Error).message})`);
  }
  const features = rows.map((row, index) => {
    const { [column.column_name]: blob, ...properties } = row;
    if (!(blob instanceof Uint8Array)) {
      throw new Error(`${file} : table ${table}, ligne ${index + 1} sans géométrie (colonne ${column.column_name} vide)`);
    }
    let polygons: PlanarPolygon[];
    try {
      polygons = geoPackageBinaryPolygons(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
    } catch (error) {
      throw new Error(`${file} : table ${table}, ligne ${index + 1} : ${(error as Error).message}`);
    }
    return { properties, polygons };
  });
  return {
    table,
    geometryColumn: column.column_name,
    crs: { srsId: crs.srs_id, name: crs.srs_name, organization: crs.organization, organizationId: crs.organization_coordsys_id },
    features,
  };
}

/** Envelope sizes in bytes by the flags' envelope indicator (bits 1–3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** The polygons of one GeoPackageBinary geometry (Polygon or MultiPolygon, Z/M ignored). */
export function geoPackageBinaryPolygons(blob: Buffer): PlanarPolygon[] {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('géométrie qui n’est pas au format GeoPackageBinary (en-tête « GP » absent)');
  const flags = blob[3]!;
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0b111];
  if (envelope === undefined) throw new Error(`en-tête GeoPackageBinary invalide (indicateur d’enveloppe ${(flags >> 1) & 0b111})`);
  if (flags & 0b1_0000) return [];
  let geometry: Geometry;
  try {
    geometry = Geometry.parse(blob.subarray(8 + envelope));
  } catch (error) {
    throw new Error(`WKB illisible (${(error as Error).message})`);
  }
  return polygonsOf(geometry);
}

function polygonsOf(geometry: Geometry): PlanarPolygon[] {
  if (geometry instanceof Polygon) return [polygonRings(geometry)];
  if (geometry instanceof MultiPolygon) return geometry.polygons.map(polygonRings);
  throw new Error(`géométrie ${geometry.constructor.name} : Polygon ou MultiPolygon attendu`);
}

function polygonRings(polygon: Polygon): Float64Array[] {
  return [polygon.exteriorRing, ...polygon.interiorRings].filter((ring) => ring.length > 0).map(flatRing);
}

function flatRing(points: readonly Point[]): Float64Array {
  const ring = new Float64Array(points.length * 2);
  points.forEach((point, i) => {
    ring[2 * i] = point.x;
    ring[2 * i + 1] = point.y;
  });
  return ring;
}
