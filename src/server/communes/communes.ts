import { createRequire } from 'node:module';
import type { CommuneRef } from '../../domain/account.ts';
import { METRES_PER_DEGREE_LAT, metresToDegreesLon, toRadians } from '../../domain/geo.ts';
import { departementOutlines } from './departement-outlines.ts';
import { shapeOf, type OutlineGeometry } from './point-in-polygon.ts';
import { createShapeIndex } from './shape-index.ts';

/**
 * The communes of France: codes, names and départements from @etalab/decoupage-administratif
 * (INSEE's Code officiel géographique, shipped in node_modules, read once per process), and
 * where each point lies (docs/security.md, "Communes: how a point is placed"):
 *
 * 1. in the commune whose **outline** holds it, among the outlines loaded (`npm run communes`,
 *    kept in the database): placement `outline`, the commune's département;
 * 2. else in its **département** by the outlines shipped with the server (departement-outlines.ts);
 *    where that département has commune outlines loaded, the point is in no commune
 *    (`departement`);
 * 3. else, where only commune **centres** are loaded, at the nearest centre of its département
 *    within MAX_DISTANCE_M (`centre`: approximate, wrong near boundaries, so flagged);
 * 4. else the département alone (`departement`), or nothing at sea, abroad and overseas (null).
 */

interface EtalabCommune {
  code: string;
  nom: string;
  departement: string;
  type: string;
  population?: number;
  chefLieu?: string;
}
interface EtalabDepartement {
  code: string;
  nom: string;
}

/** How a point was placed: by a commune's outline, at the nearest commune centre (approximate), or in its département only. */
export type PlaceMethod = 'outline' | 'centre' | 'departement';

export interface Place {
  /** INSEE code; null when the point is in its département but no loaded commune. */
  commune: string | null;
  departement: string;
  placement: PlaceMethod;
  /** The commune data import the answer came from (PlaceStore.referenceGeneration). */
  placedWith: number;
}

/** A commune outline as loaded: the commune it belongs to (a current INSEE code) and its GeoJSON geometry. */
export interface LoadedOutline {
  commune: string;
  geometry: OutlineGeometry;
}

/** What the locator holds, for the start-up log and `npm run communes -- status`. */
export interface ReferenceSummary {
  departementOutlines: number;
  /** Département code → outlines loaded. */
  outlines: ReadonlyMap<string, number>;
  /** Département code → centres loaded. */
  centres: ReadonlyMap<string, number>;
}

export interface Communes {
  get(code: string): CommuneRef | undefined;
  departementName(code: string): string | undefined;
  search(options: { q?: string; departement?: string; limit: number }): CommuneRef[];
  /**
   * The current commune a code stands for: itself, or for a commune merged since (commune
   * déléguée or associée) the commune it is now part of; undefined when unknown.
   */
  current(code: string): CommuneRef | undefined;
  /** Where a point lies (see the module's comment), or null at sea, abroad or overseas without commune data. */
  locate(lat: number, lon: number): Place | null;
  readonly reference: ReferenceSummary;
  /** The commune data import the locator was built from (0: none). */
  readonly generation: number;
}

/** Farther than this from every centre, a point is in no known commune (sea, abroad). */
export const MAX_DISTANCE_M = 20_000;

interface Directory {
  byCode: Map<string, CommuneRef & { key: string; population: number }>;
  /** Communes déléguées and associées → the current commune (chef-lieu). */
  merged: Map<string, string>;
  departements: Map<string, string>;
}

let directory: Directory | undefined;

function loadDirectory(): Directory {
  if (directory) return directory;
  const require = createRequire(import.meta.url);
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[];
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as EtalabDepartement[];
  const byCode: Directory['byCode'] = new Map();
  const merged: Directory['merged'] = new Map();
  for (const c of communes) {
    if (c.type === 'commune-actuelle') {
      byCode.set(c.code, { code: c.code, name: c.nom, departement: c.departement, key: searchKey(c.nom), population: c.population ?? 0 });
    } else if (c.chefLieu && c.chefLieu !== c.code) {
      merged.set(c.code, c.chefLieu);
    }
  }
  directory = { byCode, merged, departements: new Map(departements.map((d) => [d.code, d.nom])) };
  return directory;
}

function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface Centre {
  code: string;
  lat: number;
  lon: number;
}

const CELL_DEG = 0.1;
const cellKey = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEG)}:${Math.floor(lon / CELL_DEG)}`;

/**
 * The commune directory, placing points by the shipped département outlines, the commune
 * `outlines` (a flatbush index of their boxes, then exact point-in-polygon) and, where a
 * département has no outlines, the nearest of its `centres` (a 0.1° grid index). Outlines and
 * centres of codes the directory does not know are left out.
 */
export function createCommunes(centres: readonly Centre[] = [], outlines: readonly LoadedOutline[] = [], generation = 0): Communes {
  const { byCode, merged, departements } = loadDirectory();
  const current = (code: string) => byCode.get(code) ?? byCode.get(merged.get(code) ?? '');
  const departementIndex = departementOutlines();

  const outlineCounts = new Map<string, number>();
  const outlineEntries = outlines.flatMap(({ commune, geometry }) => {
    const found = current(commune);
    if (!found) return [];
    outlineCounts.set(found.departement, (outlineCounts.get(found.departement) ?? 0) + 1);
    return [{ shape: shapeOf(geometry), value: found }];
  });
  const outlineIndex = createShapeIndex(outlineEntries);

  const centreCounts = new Map<string, number>();
  const grid = new Map<string, { centre: Centre; departement: string }[]>();
  for (const centre of centres) {
    const found = current(centre.code);
    if (!found) continue;
    centreCounts.set(found.departement, (centreCounts.get(found.departement) ?? 0) + 1);
    const key = cellKey(centre.lat, centre.lon);
    const cell = grid.get(key);
    const entry = { centre: { ...centre, code: found.code }, departement: found.departement };
    if (cell) cell.push(entry);
    else grid.set(key, [entry]);
  }
  const ringsToSearch = Math.ceil(metresToDegreesLon(MAX_DISTANCE_M, 55) / CELL_DEG);

  /** The nearest centre within MAX_DISTANCE_M, of `departement` when given. */
  function nearestCentre(lat: number, lon: number, departement: string | undefined): Place | null {
    const row = Math.floor(lat / CELL_DEG);
    const col = Math.floor(lon / CELL_DEG);
    let best: { centre: Centre; departement: string } | undefined;
    let bestM = MAX_DISTANCE_M;
    for (let dr = -ringsToSearch; dr <= ringsToSearch; dr += 1) {
      for (let dc = -ringsToSearch; dc <= ringsToSearch; dc += 1) {
        for (const entry of grid.get(`${row + dr}:${col + dc}`) ?? []) {
          if (departement !== undefined && entry.departement !== departement) continue;
          const m = approxDistanceM(lat, lon, entry.centre.lat, entry.centre.lon);
          if (m <= bestM) [best, bestM] = [entry, m];
        }
      }
    }
    return best ? { commune: best.centre.code, departement: best.departement, placement: 'centre', placedWith: generation } : null;
  }

  return {
    generation,
    reference: { departementOutlines: departementIndex.size, outlines: outlineCounts, centres: centreCounts },
    get(code) {
      const c = byCode.get(code);
      return c && { code: c.code, name: c.name, departement: c.departement };
    },
    current(code) {
      const c = current(code);
      return c && { code: c.code, name: c.name, departement: c.departement };
    },
    departementName(code) {
      return departements.get(code);
    },
    search({ q, departement, limit }) {
      const key = q ? searchKey(q) : '';
      const found: (CommuneRef & { key: string; population: number })[] = [];
      for (const c of byCode.values()) {
        if (departement && c.departement !== departement) continue;
        if (key && !c.key.includes(key) && !c.code.startsWith(q!.trim())) continue;
        found.push(c);
      }
      const rank = (c: { key: string }) => (key && c.key.startsWith(key) ? 0 : 1);
      found.sort((a, b) => rank(a) - rank(b) || b.population - a.population || a.code.localeCompare(b.code));
      return found.slice(0, limit).map(({ code, name, departement: d }) => ({ code, name, departement: d }));
    },
    locate(lat, lon) {
      // The commune's outline is finer than the simplified département's: its département wins.
      const commune = outlineIndex.find(lon, lat);
      if (commune) return { commune: commune.code, departement: commune.departement, placement: 'outline', placedWith: generation };
      const departement = departementIndex.find(lon, lat);
      if (departement === undefined) return grid.size > 0 ? nearestCentre(lat, lon, undefined) : null;
      if (!outlineCounts.has(departement) && centreCounts.has(departement)) {
        const near = nearestCentre(lat, lon, departement);
        if (near) return near;
      }
      return { commune: null, departement, placement: 'departement', placedWith: generation };
    },
  };
}

/** Equirectangular distance: exact enough over a few kilometres. */
function approxDistanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * Math.cos(toRadians((lat1 + lat2) / 2));
  const y = lat2 - lat1;
  return Math.sqrt(x * x + y * y) * METRES_PER_DEGREE_LAT;
}
