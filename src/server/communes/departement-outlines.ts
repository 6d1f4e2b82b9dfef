import { readFileSync } from 'node:fs';
import { shapeOf, type OutlineGeometry } from './point-in-polygon.ts';
import { createShapeIndex, type ShapeIndex } from './shape-index.ts';

/** Shown wherever the département outlines are used (README, « À propos », start-up log). */
export const DEPARTEMENT_OUTLINES_ATTRIBUTION = 'IGN – Admin Express, via france-geojson';

const FILE = new URL('../reference/departements.geojson', import.meta.url);

let loaded: ShapeIndex<string> | undefined;

/**
 * The département (code) of each point of metropolitan France, from the outlines shipped in
 * src/server/reference/ (read once per process). Undefined at sea, abroad and overseas.
 */
export function departementOutlines(): ShapeIndex<string> {
  if (loaded) return loaded;
  const collection = JSON.parse(readFileSync(FILE, 'utf8')) as { features: { geometry: OutlineGeometry; properties: { code: string } }[] };
  loaded = createShapeIndex(collection.features.map(({ geometry, properties }) => ({ shape: shapeOf(geometry), value: properties.code })));
  return loaded;
}
