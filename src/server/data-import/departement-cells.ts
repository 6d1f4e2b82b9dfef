import { readFileSync } from 'node:fs';
import { toLaea } from '../../domain/grid/laea.ts';
import { fillRings, type SampleGrid } from '../../domain/grid/rasterize.ts';

/**
 * The 200 m cells of a département: those whose centre lies in its outline as shipped in
 * src/server/reference/ (IGN's, simplified: a cell astride the border may fall either side).
 * Found by scanlines over the cell centres (src/domain/grid/rasterize.ts), not cell by cell.
 */

const FILE = new URL('../reference/departements.geojson', import.meta.url);
const CELL_M = 200;
/** Extents are rounded to whole kilometres, so that 1 km cells are whole blocks of 5 × 5. */
const BLOCK_M = 1000;

interface DepartementFeature {
  properties: { code: string; nom: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

let features: DepartementFeature[] | undefined;

function departementFeatures(): DepartementFeature[] {
  features ??= (JSON.parse(readFileSync(FILE, 'utf8')) as { features: DepartementFeature[] }).features;
  return features;
}

/** The name of a département of metropolitan France by code, undefined for an unknown code. */
export function departementName(code: string): string | undefined {
  return departementFeatures().find((f) => f.properties.code === code)?.properties.nom;
}

export interface DepartementCells {
  /** The grid of 200 m cells over the département's extent (step 200, south-west corner on the 1 km grid). */
  grid: SampleGrid;
  /** 1 where the cell (column + row · columns) is in the département. */
  inside: Uint8Array;
  count: number;
}

export function departementCells(code: string): DepartementCells {
  const feature = departementFeatures().find((f) => f.properties.code === code);
  if (!feature) throw new Error(`département ${code} inconnu`);
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const rings = polygons.flatMap((polygon) => polygon.map((ring) => Float64Array.from(ring.flatMap(([lon, lat]) => toLaea(lon!, lat!)))));
  let minE = Infinity;
  let minN = Infinity;
  let maxE = -Infinity;
  let maxN = -Infinity;
  for (const ring of rings) {
    for (let k = 0; k < ring.length; k += 2) {
      minE = Math.min(minE, ring[k]!);
      maxE = Math.max(maxE, ring[k]!);
      minN = Math.min(minN, ring[k + 1]!);
      maxN = Math.max(maxN, ring[k + 1]!);
    }
  }
  const east = Math.floor(minE / BLOCK_M) * BLOCK_M;
  const north = Math.floor(minN / BLOCK_M) * BLOCK_M;
  const grid: SampleGrid = {
    east,
    north,
    step: CELL_M,
    columns: (Math.ceil((maxE - east) / BLOCK_M) * BLOCK_M) / CELL_M,
    rows: (Math.ceil((maxN - north) / BLOCK_M) * BLOCK_M) / CELL_M,
  };
  const inside = new Uint8Array(grid.columns * grid.rows);
  let count = 0;
  fillRings(rings, grid, (row, first, end) => {
    for (let i = row * grid.columns + first; i < row * grid.columns + end; i += 1) {
      if (inside[i] === 0) count += 1;
      inside[i] = 1;
    }
  });
  return { grid, inside, count };
}
