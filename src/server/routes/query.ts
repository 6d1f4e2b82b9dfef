import type { Bbox } from '../../domain/geojson.ts';
import { isOneOf } from '../../domain/one-of.ts';
import { badRequest } from '../http-errors.ts';
import { InvalidCursorError } from '../storage/reading-store.ts';

/**
 * The query's parameters (fastify's `request.query`: each a text, or an array when repeated),
 * each given once. Unknown or repeated parameters are refused: a typo like `sinse=` must not
 * quietly return everything.
 */
export function singleValued<K extends string>(query: unknown, accepted: readonly K[]): Partial<Record<K, string>> {
  const params: Partial<Record<K, string>> = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    if (!isOneOf(accepted, name)) throw badRequest(`Paramètre inconnu : « ${name} ». Paramètres acceptés : ${accepted.join(', ')}.`);
    if (Array.isArray(value)) throw badRequest(`Le paramètre ${name} est donné ${value.length} fois : donnez-le une seule fois.`);
    params[name] = String(value);
  }
  return params;
}

/** A département code as the commune list writes them: 34, 2A, 971. */
const DEPARTEMENT_CODE = /^(?:[0-9]{2,3}|2A|2B)$/;

/**
 * `?departement=` alone, shaped like a code: anything else is a typo, not "another
 * département" (a reviewer's refusal) nor one with no zones (an admin's empty list).
 */
export function departementQuery(query: unknown): { departement?: string } {
  const { departement } = singleValued(query, ['departement']);
  if (departement !== undefined && !DEPARTEMENT_CODE.test(departement)) {
    throw badRequest(`departement=« ${departement} » : attendu un code de département (ex. 34, 2A, 971).`);
  }
  return departement === undefined ? {} : { departement };
}

export function parseLimit(text: string, defaultSize: number, maxSize: number): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > maxSize) {
    throw badRequest(`limit=« ${text} » : attendu un entier de 1 à ${maxSize} (${defaultSize} par défaut).`);
  }
  return limit;
}

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function parseBbox(text: string): Bbox {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map((part) => (DECIMAL.test(part) ? Number(part) : Number.NaN));
  const fail = (why: string) => badRequest(`bbox=« ${text} » : ${why}.`);
  if (numbers.length !== 4 || !numbers.every(Number.isFinite)) {
    throw fail('attendu quatre nombres minLon,minLat,maxLon,maxLat en degrés décimaux, séparés par des virgules (ex. bbox=3.2,43.4,4.1,43.9)');
  }
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
  if ([minLon, maxLon].some((lon) => lon < -180 || lon > 180)) throw fail('les longitudes vont de -180 à 180 (ordre : minLon,minLat,maxLon,maxLat)');
  if ([minLat, maxLat].some((lat) => lat < -90 || lat > 90)) throw fail('les latitudes vont de -90 à 90 (ordre : minLon,minLat,maxLon,maxLat)');
  if (minLat > maxLat) throw fail('minLat dépasse maxLat (ordre : minLon,minLat,maxLon,maxLat)');
  if (minLon > maxLon) throw fail('minLon dépasse maxLon ; une zone à cheval sur l’antiméridien se demande en deux requêtes');
  return { minLon, minLat, maxLon, maxLat };
}

/** What to throw when a store refused a page's cursor: the 400 for a cursor not ours, anything else as it came. */
export function cursorRefused(error: unknown, cursor: string | undefined): unknown {
  if (!(error instanceof InvalidCursorError)) return error;
  return badRequest(`cursor=« ${cursor} » n’est pas un curseur de ce serveur : reprenez tel quel le nextCursor de la page précédente.`);
}
