import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CommuneRef } from '../../domain/account.ts';

/**
 * The communes of France: codes, names and départements from @etalab/decoupage-administratif
 * (INSEE's Code officiel géographique, shipped in node_modules, read once per process), and
 * where each reading lies.
 *
 * That package has no geometry, and no well-kept npm package ships commune contours or
 * centres. So the server places a point at the **nearest commune centre** (within
 * MAX_DISTANCE_M), from a centres file the operator provides once (COMMUNE_CENTRES_FILE,
 * see docs/security.md). Near a boundary the nearest centre can be the neighbour's: that is
 * why a reading "outside" an agent's communes is flagged, never refused. Without the file,
 * readings get no commune (null) and the rules fall back as docs/security.md says.
 */

interface EtalabCommune {
  code: string;
  nom: string;
  departement: string;
  type: string;
  population?: number;
}
interface EtalabDepartement {
  code: string;
  nom: string;
}

export interface Place {
  commune: string;
  departement: string;
}

export interface Communes {
  get(code: string): CommuneRef | undefined;
  departementName(code: string): string | undefined;
  search(options: { q?: string; departement?: string; limit: number }): CommuneRef[];
  /** The commune a point lies in (approximately), or null when it cannot tell. */
  locate(lat: number, lon: number): Place | null;
  /** True when commune centres were loaded, so `locate` can answer. */
  readonly canLocate: boolean;
}

/** Farther than this from every centre, a point is in no known commune (sea, abroad). */
export const MAX_DISTANCE_M = 20_000;

interface Directory {
  byCode: Map<string, CommuneRef & { key: string; population: number }>;
  departements: Map<string, string>;
}

let directory: Directory | undefined;

function loadDirectory(): Directory {
  if (directory) return directory;
  const require = createRequire(import.meta.url);
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[];
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as EtalabDepartement[];
  const byCode: Directory['byCode'] = new Map();
  for (const c of communes) {
    if (c.type !== 'commune-actuelle') continue;
    byCode.set(c.code, { code: c.code, name: c.nom, departement: c.departement, key: searchKey(c.nom), population: c.population ?? 0 });
  }
  directory = { byCode, departements: new Map(departements.map((d) => [d.code, d.nom])) };
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

/**
 * Reads a centres file: either geo.api.gouv.fr's JSON (`[{code, centre: {coordinates: [lon, lat]}}]`)
 * or a CSV with a `code,lat,lon` header. Throws with a French message on anything else.
 */
export function readCentresFile(file: string): Centre[] {
  const text = readFileSync(file, 'utf8');
  const centres: Centre[] = [];
  if (text.trimStart().startsWith('[')) {
    const items = JSON.parse(text) as { code?: unknown; centre?: { coordinates?: unknown } }[];
    for (const item of items) {
      const coordinates = item.centre?.coordinates;
      if (typeof item.code === 'string' && Array.isArray(coordinates)) {
        centres.push({ code: item.code, lon: Number(coordinates[0]), lat: Number(coordinates[1]) });
      }
    }
  } else {
    const [header, ...lines] = text.split(/\r?\n/);
    const columns = header!.split(/[,;]/).map((c) => c.trim().toLowerCase());
    const [code, lat, lon] = ['code', 'lat', 'lon'].map((name) => columns.indexOf(name));
    if (code === -1 || lat === -1 || lon === -1) throw new Error(`${file} : attendu un JSON de geo.api.gouv.fr ou un CSV avec les colonnes code,lat,lon`);
    for (const line of lines) {
      if (!line.trim()) continue;
      const cells = line.split(/[,;]/);
      centres.push({ code: cells[code!]!.trim(), lat: Number(cells[lat!]), lon: Number(cells[lon!]) });
    }
  }
  const valid = centres.filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lon));
  if (valid.length === 0) throw new Error(`${file} : aucun centre de commune lisible`);
  return valid;
}

const CELL_DEG = 0.1;
const cellKey = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEG)}:${Math.floor(lon / CELL_DEG)}`;

/** The commune directory, placing points at the nearest of `centres` (a grid index built once). */
export function createCommunes(centres: readonly Centre[] = []): Communes {
  const { byCode, departements } = loadDirectory();
  const grid = new Map<string, Centre[]>();
  for (const centre of centres) {
    if (!byCode.has(centre.code)) continue;
    const key = cellKey(centre.lat, centre.lon);
    const cell = grid.get(key);
    if (cell) cell.push(centre);
    else grid.set(key, [centre]);
  }
  const ringsToSearch = Math.ceil(MAX_DISTANCE_M / 111_320 / CELL_DEG / Math.cos((55 * Math.PI) / 180));

  return {
    canLocate: grid.size > 0,
    get(code) {
      const c = byCode.get(code);
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
      if (grid.size === 0) return null;
      const row = Math.floor(lat / CELL_DEG);
      const col = Math.floor(lon / CELL_DEG);
      let best: Centre | undefined;
      let bestM = MAX_DISTANCE_M;
      for (let dr = -ringsToSearch; dr <= ringsToSearch; dr += 1) {
        for (let dc = -ringsToSearch; dc <= ringsToSearch; dc += 1) {
          for (const centre of grid.get(`${row + dr}:${col + dc}`) ?? []) {
            const m = approxDistanceM(lat, lon, centre.lat, centre.lon);
            if (m <= bestM) [best, bestM] = [centre, m];
          }
        }
      }
      return best ? { commune: best.code, departement: byCode.get(best.code)!.departement } : null;
    },
  };
}

/** Equirectangular distance: exact enough over a few kilometres. */
function approxDistanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const y = lat2 - lat1;
  return Math.sqrt(x * x + y * y) * 111_320;
}
