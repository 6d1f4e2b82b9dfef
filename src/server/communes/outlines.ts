import { readFileSync } from 'node:fs';

/**
 * Commune outlines, for maps that draw the commune an agent works in. Optional: the operator
 * downloads them once from geo.api.gouv.fr (COMMUNE_CONTOURS_FILE, see the README); nothing
 * is fetched at run time. Each outline is kept as its GeoJSON text, ready to send: the file
 * for all of France is large, and parsed objects would take several times its size.
 */

export interface CommuneOutlineProperties {
  code: string;
  nom: string;
}

export interface CommuneOutlineFeature {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  properties: CommuneOutlineProperties;
}

export interface CommuneOutlines {
  /** The commune's Feature as GeoJSON text, or undefined when the file has no outline for it. */
  get(code: string): string | undefined;
  readonly size: number;
}

export function createCommuneOutlines(features: readonly CommuneOutlineFeature[] = []): CommuneOutlines {
  const byCode = new Map<string, string>();
  for (const { geometry, properties } of features) {
    const feature: CommuneOutlineFeature = { type: 'Feature', geometry, properties: { code: properties.code, nom: properties.nom } };
    byCode.set(properties.code, JSON.stringify(feature));
  }
  return {
    get: (code) => byCode.get(code),
    size: byCode.size,
  };
}

/**
 * Reads geo.api.gouv.fr's `communes?fields=code,nom&format=geojson&geometry=contour`: a
 * FeatureCollection of Polygon or MultiPolygon features with `code` and `nom`. Features of
 * another shape are skipped; a file with none usable is refused with a French message.
 */
export function readOutlinesFile(file: string): CommuneOutlineFeature[] {
  let collection: unknown;
  try {
    collection = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} : JSON illisible (${(error as Error).message})`);
  }
  const expected = 'attendu une FeatureCollection GeoJSON de geo.api.gouv.fr (fields=code,nom&format=geojson&geometry=contour)';
  if (!isObject(collection) || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new Error(`${file} : ${expected}`);
  }
  const features = (collection.features as unknown[]).filter(isOutline);
  if (features.length === 0) throw new Error(`${file} : aucun contour de commune lisible ; ${expected}`);
  return features;
}

function isOutline(item: unknown): item is CommuneOutlineFeature {
  if (!isObject(item) || item.type !== 'Feature' || !isObject(item.geometry) || !isObject(item.properties)) return false;
  const { geometry, properties } = item;
  return (
    (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') &&
    Array.isArray(geometry.coordinates) &&
    typeof properties.code === 'string' &&
    typeof properties.nom === 'string'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
