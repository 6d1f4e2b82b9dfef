/**
 * Commune outlines held in memory, each as its GeoJSON Feature text: what tests (and
 * embedders) hand buildApp's `communeOutlines` so that GET /api/v1/communes/:code/outline
 * answers without loading them in the database. The server itself serves the outlines
 * loaded by `npm run communes` (routes/commune-outlines.ts).
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
