import type { Bbox } from '../../domain/geojson.ts';
import { hasTiles, parseTile, tileSideM, type CellTile } from '../../domain/grid/cell-tiles.ts';
import type { GridFilter } from '../../domain/grid/judge-grid.ts';
import { isOneOf } from '../../domain/one-of.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import { SETTINGS, type Setting } from '../../domain/reading.ts';
import { TECHNOLOGIES, type Technology } from '../../domain/signal.ts';
import { CELL_RESOLUTIONS_M } from '../grid/coverage.ts';
import { badRequest } from '../http-errors.ts';
import { parseBbox } from './query.ts';

/** Query parameters shared by GET /api/v1/cells and GET /api/v1/zones/suggestions. */
export const GRID_PARAMS = ['bbox', 'operator', 'technology', 'setting', 'from', 'to', 'resolution'] as const;
export type GridParams = Partial<Record<(typeof GRID_PARAMS)[number], string>>;

export interface GridView {
  bbox: Bbox;
  filter: GridFilter;
  fromMonth?: string;
  toMonth?: string;
  resolutionM: number;
}

function list<T extends string>(name: string, text: string, allowed: readonly T[]): T[] {
  const values = text.split(',').map((part) => part.trim());
  const known = values.filter((value) => isOneOf(allowed, value));
  const unknown = values.filter((value) => !isOneOf(allowed, value));
  if (unknown.length > 0 || values.length === 0) {
    throw badRequest(
      `${name}=« ${text} » : valeur inconnue ${unknown.map((u) => `« ${u} »`).join(', ')} ; attendu une liste séparée par des virgules parmi ${allowed.join(', ')}.`,
    );
  }
  return [...new Set(known)];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function month(name: string, text: string): string {
  if (!MONTH.test(text)) throw badRequest(`${name}=« ${text} » : attendu un mois AAAA-MM (ex. 2026-05).`);
  return text;
}

/** The view asked for, or an HttpError saying what to fix. `bbox` is required. */
export function parseGridView(params: GridParams): GridView {
  if (params.bbox === undefined) throw badRequest('Paramètre bbox manquant : bbox=minLon,minLat,maxLon,maxLat (ex. bbox=3.2,43.4,4.1,43.9).');
  return { bbox: parseBbox(params.bbox), ...parseViewFilters(params) };
}

/** A view's filters, period and resolution: all of it but its area. */
export type GridViewFilters = Omit<GridView, 'bbox'>;

/**
 * A view of GET /api/v1/cells: a box (the cells touching it) or one tile of the grid
 * (src/domain/grid/cell-tiles.ts: exactly its cells), never both.
 */
export type CellsView = GridViewFilters & ({ bbox: Bbox; tile?: undefined } | { tile: CellTile; bbox?: undefined });

/** GET /api/v1/cells's view, or an HttpError saying what to fix: exactly one of `bbox` and `tile`. */
export function parseCellsView(params: GridParams & { tile?: string }): CellsView {
  const { tile, ...rest } = params;
  if (tile !== undefined && rest.bbox !== undefined) {
    throw badRequest(
      'Paramètres bbox et tile donnés ensemble : envoyez l’un ou l’autre, bbox=minLon,minLat,maxLon,maxLat pour les mailles d’une zone, ou tile=est,nord pour une tuile de la grille.',
    );
  }
  if (tile === undefined) {
    if (rest.bbox !== undefined) return parseGridView(rest);
    throw badRequest(
      'Paramètre bbox ou tile manquant : bbox=minLon,minLat,maxLon,maxLat (ex. bbox=3.2,43.4,4.1,43.9), ou tile=est,nord, coin sud-ouest d’une tuile de 50 × 50 mailles en mètres EPSG:3035 (ex. tile=3800000,2300000&resolution=1000 pour la tuile de 50 km de Saint-Guilhem-le-Désert).',
    );
  }
  const filters = parseViewFilters(rest);
  return { tile: parseTileParam(tile, filters.resolutionM), ...filters };
}

/** `tile=east,north` at this resolution, or an HttpError naming the rule and, when it can, the nearest tile. */
function parseTileParam(text: string, resolutionM: number): CellTile {
  const tile = parseTile(text, resolutionM);
  if (tile) return tile;
  const side = tileSideM(resolutionM);
  if (!hasTiles(resolutionM)) throw badRequest(`resolution=${resolutionM} n’a pas de tuiles : demandez une maille parmi ${CELL_RESOLUTIONS_M.join(', ')} m.`);
  const rule = `coin sud-ouest d’une tuile en mètres EPSG:3035, multiples de ${side} m (50 mailles de ${resolutionM} m)`;
  const match = /^(\d{1,8}),(\d{1,8})$/.exec(text);
  if (!match)
    throw badRequest(
      `tile=« ${text} » : attendu deux entiers positifs est,nord, ${rule}, ex. tile=${side * Math.round(3_800_000 / side)},${side * Math.round(2_300_000 / side)}.`,
    );
  const corner = (metres: number) => Math.floor(Number(metres) / side) * side;
  throw badRequest(
    `tile=« ${text} » n’est pas un coin de tuile à resolution=${resolutionM} (${rule}) : la tuile qui contient ce point est tile=${corner(Number(match[1]))},${corner(Number(match[2]))}.`,
  );
}

function parseViewFilters({ operator, technology, setting, from, to, resolution }: GridParams): GridViewFilters {
  const filter: GridFilter = {
    settings: setting === undefined ? ['outdoor'] : list<Setting>('setting', setting, SETTINGS),
    ...(operator !== undefined && { operators: list<Operator>('operator', operator, OPERATORS) }),
    ...(technology !== undefined && { technologies: list<Technology>('technology', technology, TECHNOLOGIES) }),
  };
  const fromMonth = from === undefined ? undefined : month('from', from);
  const toMonth = to === undefined ? undefined : month('to', to);
  if (fromMonth && toMonth && fromMonth > toMonth) throw badRequest(`from=« ${fromMonth} » est après to=« ${toMonth} » : inversez-les.`);
  let resolutionM = 200;
  if (resolution !== undefined) {
    resolutionM = Number(resolution);
    if (!/^\d+$/.test(resolution) || !isOneOf(CELL_RESOLUTIONS_M, resolutionM)) {
      throw badRequest(`resolution=« ${resolution} » : attendu une taille de maille en mètres parmi ${CELL_RESOLUTIONS_M.join(', ')}.`);
    }
  }
  return { filter, resolutionM, ...(fromMonth && { fromMonth }), ...(toMonth && { toMonth }) };
}
