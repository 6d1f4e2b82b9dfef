import type { Bbox } from '../../domain/geojson.ts';
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
export function parseGridView({ bbox, operator, technology, setting, from, to, resolution }: GridParams): GridView {
  if (bbox === undefined) throw badRequest('Paramètre bbox manquant : bbox=minLon,minLat,maxLon,maxLat (ex. bbox=3.2,43.4,4.1,43.9).');
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
  return { bbox: parseBbox(bbox), filter, resolutionM, ...(fromMonth && { fromMonth }), ...(toMonth && { toMonth }) };
}
