import { rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import proj4 from 'proj4';
import { Point, Polygon } from 'wkx';
import { EPSG_3035 } from '../../src/domain/grid/laea.ts';

/**
 * Declared-coverage files as Arcep publishes them, written by the tests themselves: a
 * GeoPackage (SQLite, gpkg_* tables, GeoPackageBinary = header + WKB written here) in
 * Lambert-93, and GeoJSON. Shapes are given as rectangles of the 200 m grid (EPSG:3035
 * metres), so that a test knows which part of which cell each one covers.
 */

const LAMBERT_93 =
  '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';
const laeaToLambert = proj4(EPSG_3035, LAMBERT_93);
const laeaToWgs84 = proj4(EPSG_3035, 'WGS84');

/** A rectangle in EPSG:3035 metres: west, south, east, north. */
export type LaeaRect = readonly [west: number, south: number, east: number, north: number];

export interface CoverageShape {
  rect: LaeaRect;
  /** A smaller rectangle cut out of it (a hole). */
  hole?: LaeaRect;
  properties: Record<string, string | number | null>;
}

/** The rectangle's ring, counter-clockwise, closed, with points along its sides (they curve a little once projected). */
function ring([w, s, e, n]: LaeaRect, project: (xy: [number, number]) => number[]): number[][] {
  const steps = 8;
  const points: [number, number][] = [];
  for (let i = 0; i < steps; i += 1) points.push([w + ((e - w) * i) / steps, s]);
  for (let i = 0; i < steps; i += 1) points.push([e, s + ((n - s) * i) / steps]);
  for (let i = 0; i < steps; i += 1) points.push([e - ((e - w) * i) / steps, n]);
  for (let i = 0; i < steps; i += 1) points.push([w, n - ((n - s) * i) / steps]);
  points.push([w, s]);
  return points.map(project);
}

const toLambert = (xy: [number, number]) => laeaToLambert.forward(xy);
const toWgs84 = (xy: [number, number]) => laeaToWgs84.forward(xy);

/** GeoPackageBinary: « GP », version 0, flags (little-endian, no envelope), srs_id, then the WKB. */
function geoPackageBinary(wkb: Buffer, srsId: number): Buffer {
  const header = Buffer.alloc(8);
  header.write('GP', 0, 'latin1');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b0000_0001, 3);
  header.writeInt32LE(srsId, 4);
  return Buffer.concat([header, wkb]);
}

export interface GeoPackageOptions {
  /** Default 2154 (Lambert-93); another code writes the same Lambert-93 coordinates under that code (to test refusals). */
  srsId?: number;
  organization?: string;
  /** Leave the geometry column of these features NULL. */
  withoutGeometry?: boolean;
}

/** Writes a GeoPackage of the shapes (one feature table, `couverture`) in Lambert-93. */
export function writeGeoPackage(file: string, shapes: readonly CoverageShape[], options: GeoPackageOptions = {}): void {
  const srsId = options.srsId ?? 2154;
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.pragma('application_id = 1196444487'); // 'GPKG'
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '',
        last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
    `);
    db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)').run(
      srsId === 2154 ? 'RGF93 v1 / Lambert-93' : `Système ${srsId}`,
      srsId,
      options.organization ?? 'EPSG',
      srsId,
      'PROJCS["RGF93 v1 / Lambert-93"]',
      null,
    );
    db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('couverture', 'features', 'couverture', ?)").run(srsId);
    db.prepare("INSERT INTO gpkg_geometry_columns VALUES ('couverture', 'geom', 'MULTIPOLYGON', ?, 0, 0)").run(srsId);
    const columns = [...new Set(shapes.flatMap((shape) => Object.keys(shape.properties)))];
    db.exec(`CREATE TABLE couverture (fid INTEGER PRIMARY KEY, geom BLOB${columns.map((c) => `, "${c}"`).join('')})`);
    const insert = db.prepare(`INSERT INTO couverture (geom${columns.map((c) => `, "${c}"`).join('')}) VALUES (?${columns.map(() => ', ?').join('')})`);
    for (const shape of shapes) {
      const rings = [ring(shape.rect, toLambert), ...(shape.hole ? [ring(shape.hole, toLambert).reverse()] : [])];
      const polygon = new Polygon(
        rings[0]!.map(([x, y]) => new Point(x, y)),
        rings.slice(1).map((r) => r.map(([x, y]) => new Point(x, y))),
      );
      const blob = options.withoutGeometry ? null : geoPackageBinary(polygon.toWkb(), srsId);
      insert.run(blob, ...columns.map((c) => shape.properties[c] ?? null));
    }
  } finally {
    db.close();
  }
}

/** Writes the shapes as a GeoJSON FeatureCollection in WGS84 (RFC 7946). */
export function writeGeoJson(file: string, shapes: readonly CoverageShape[]): void {
  const features = shapes.map((shape) => ({
    type: 'Feature',
    properties: shape.properties,
    geometry: { type: 'Polygon', coordinates: [ring(shape.rect, toWgs84), ...(shape.hole ? [ring(shape.hole, toWgs84).reverse()] : [])] },
  }));
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
}
