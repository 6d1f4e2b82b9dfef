import type { CommuneShape, CommuneShapeKind } from '../storage/place-store.ts';
import type { Communes } from './communes.ts';
import { shapeOf, type OutlineGeometry } from './point-in-polygon.ts';

/**
 * Reading a commune data file for `npm run communes -- import`: outlines (GeoJSON
 * FeatureCollection of Polygon/MultiPolygon features with `code` and `nom`, as geo.api.gouv.fr
 * `format=geojson&geometry=contour` or france-geojson serve them) or centres (geo.api.gouv.fr
 * JSON `[{code, centre: {coordinates: [lon, lat]}}]`, GeoJSON Point features, or a CSV
 * `code,lat,lon`). A file with anything wrong is refused whole, with a French message naming
 * the entry and what is wrong: nothing of it is loaded.
 */

export interface CommuneFile {
  kind: CommuneShapeKind;
  shapes: CommuneShape[];
  /** The départements the file covers: their previous outlines (or centres) are replaced. */
  departements: string[];
  /** Codes the commune list (COG) does not know, left out. */
  unknown: string[];
}

const CODE = /^(\d{5}|2[AB]\d{3})$/;
const EXPECTED =
  'attendu un GeoJSON de contours (geo.api.gouv.fr …&format=geojson&geometry=contour, ou france-geojson), ' +
  'un JSON de centres (geo.api.gouv.fr …&fields=code,centre&format=json) ou un CSV code,lat,lon';

interface Entry {
  code: unknown;
  name: unknown;
  geometry: unknown;
}

export function readCommuneFile(text: string, communes: Communes): CommuneFile {
  const start = text.trimStart()[0];
  if (start === undefined) throw new Error(`fichier vide : ${EXPECTED}`);
  let entries: Entry[];
  if (start === '{' || start === '[') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`JSON illisible (${messageOf(error)}) : ${EXPECTED}`);
    }
    entries = jsonEntries(json);
  } else {
    entries = csvEntries(text);
  }
  if (entries.length === 0) throw new Error(`aucune commune dans le fichier : ${EXPECTED}`);

  const shapes: CommuneShape[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  let kind: CommuneShapeKind | undefined;
  entries.forEach((entry, i) => {
    const where = `entrée n° ${i + 1}${typeof entry.code === 'string' ? ` (code « ${entry.code} »)` : ''}`;
    if (typeof entry.code !== 'string' || !CODE.test(entry.code)) {
      throw new Error(`${where} : « code » doit être un code INSEE de commune (5 caractères, ex. 34172)`);
    }
    if (seen.has(entry.code)) throw new Error(`${where} : ce code figure deux fois dans le fichier`);
    seen.add(entry.code);
    const { geometry, kind: entryKind } = readGeometry(entry.geometry, where);
    if (kind !== undefined && entryKind !== kind) throw new Error(`${where} : le fichier mêle contours et centres ; importez-les dans deux fichiers`);
    kind = entryKind;
    const current = communes.current(entry.code);
    if (!current) {
      unknown.push(entry.code);
      return;
    }
    const name = typeof entry.name === 'string' && entry.name.trim() !== '' ? entry.name.trim() : current.name;
    shapes.push({ kind: entryKind, code: entry.code, commune: current.code, name, departement: current.departement, geometry: JSON.stringify(geometry) });
  });
  // `kind` is set once an entry is read, and there is at least one.
  if (shapes.length === 0 || kind === undefined) {
    throw new Error(`aucun code de commune connu de la liste des communes (COG) : ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? '…' : ''}`);
  }
  return { kind, shapes, departements: [...new Set(shapes.map((s) => s.departement))].sort(), unknown };
}

function jsonEntries(json: unknown): Entry[] {
  if (Array.isArray(json)) {
    // geo.api.gouv.fr format=json: fields=code,centre (or contour)
    return json.map((item, i) => {
      if (!isObject(item)) throw new Error(`entrée n° ${i + 1} : un objet {code, centre} est attendu`);
      return { code: item.code, name: item.nom, geometry: item.contour ?? item.centre };
    });
  }
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new Error(`ni FeatureCollection GeoJSON ni liste JSON : ${EXPECTED}`);
  }
  return json.features.map((feature, i) => {
    if (!isObject(feature) || feature.type !== 'Feature' || !isObject(feature.properties)) {
      throw new Error(`entité n° ${i + 1} : une Feature GeoJSON avec des « properties » est attendue`);
    }
    return { code: feature.properties.code, name: feature.properties.nom, geometry: feature.geometry };
  });
}

function csvEntries(text: string): Entry[] {
  const [header = '', ...lines] = text.split(/\r?\n/);
  const columns = header.split(/[,;]/).map((c) => c.trim().toLowerCase());
  const [code = -1, lat = -1, lon = -1] = ['code', 'lat', 'lon'].map((name) => columns.indexOf(name));
  if (code === -1 || lat === -1 || lon === -1) throw new Error(`première ligne « ${header.slice(0, 80)} » : ${EXPECTED}`);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split(/[,;]/).map((c) => c.trim());
      const number = (cell: string | undefined) => (cell === undefined || cell === '' ? NaN : Number(cell));
      return { code: cells[code], name: undefined, geometry: { type: 'Point', coordinates: [number(cells[lon]), number(cells[lat])] } };
    });
}

function readGeometry(
  geometry: unknown,
  where: string,
): { geometry: OutlineGeometry | { type: 'Point'; coordinates: [number, number] }; kind: CommuneShapeKind } {
  if (!isObject(geometry)) throw new Error(`${where} : géométrie absente`);
  if (geometry.type === 'Point') {
    const coordinates: readonly unknown[] = Array.isArray(geometry.coordinates) ? geometry.coordinates : [];
    const [lon, lat] = coordinates;
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new Error(`${where} : centre illisible, [longitude, latitude] en degrés attendu`);
    }
    return { geometry: { type: 'Point', coordinates: [lon, lat] }, kind: 'centre' };
  }
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    throw new Error(`${where} : géométrie ${JSON.stringify(geometry.type)} ; Polygon, MultiPolygon ou Point attendu`);
  }
  const outline: OutlineGeometry = { type: geometry.type, coordinates: geometry.coordinates };
  try {
    shapeOf(outline);
  } catch (error) {
    throw new Error(`${where} : contour illisible (${messageOf(error)})`);
  }
  return { geometry: outline, kind: 'outline' };
}

/** What JSON.parse and shapeOf throw is an Error; its message says what was wrong. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
