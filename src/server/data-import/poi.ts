import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cellAt } from '../../domain/grid/cell-id.ts';
import { hasNulCharacter } from '../../domain/plain-text.ts';
import type { StoredPointOfInterest } from '../storage/people-store.ts';
import type { Store } from '../storage/store.ts';
import { columnOf, problemList, publishedNumber, readDelimited } from './delimited-file.ts';
import type { DataImporter } from './importers.ts';

/**
 * `npm run data -- import poi FICHIER.csv|.geojson`: the points of interest a zone should cover
 * (town hall, campsite, farm…). CSV with columns name, kind, lat, lon (any case; `nom`, `type`,
 * `latitude`, `longitude` too), `,` or `;`; or GeoJSON Points (WGS84) whose properties carry
 * name and kind. A file replaces the points loaded before from a file of the same name.
 */

const NAME_COLUMNS = ['name', 'nom'] as const;
const KIND_COLUMNS = ['kind', 'type', 'nature'] as const;
const LAT_COLUMNS = ['lat', 'latitude'] as const;
const LON_COLUMNS = ['lon', 'lng', 'longitude'] as const;
const MAX_TEXT = 200;

export const poiImporter: DataImporter = {
  usage: 'FICHIER.csv|.geojson   points d’intérêt à couvrir (name, kind, lat, lon)',
  async run(args, store) {
    const { source, points, replaced } = await importPointsOfInterest(args, store);
    return [
      `${points} point${points > 1 ? 's' : ''} d’intérêt chargé${points > 1 ? 's' : ''} depuis ${source}.`,
      replaced > 0
        ? `Remplacent les ${replaced} chargés auparavant depuis un fichier du même nom.`
        : 'Aucun point n’avait été chargé depuis un fichier de ce nom.',
    ];
  },
};

interface RawPoint {
  where: string;
  /** What makes it no point at all (a GeoJSON line, a polygon…). */
  problem?: string;
  name: unknown;
  kind: unknown;
  lat: unknown;
  lon: unknown;
}

function fromCsv(text: string, name: string): RawPoint[] {
  const table = readDelimited(text, name);
  const columns = {
    name: columnOf(table, NAME_COLUMNS),
    kind: columnOf(table, KIND_COLUMNS),
    lat: columnOf(table, LAT_COLUMNS),
    lon: columnOf(table, LON_COLUMNS),
  };
  const missing = Object.entries(columns)
    .filter(([, index]) => index < 0)
    .map(([column]) => column);
  if (missing.length > 0)
    throw new Error(`${name} : colonne(s) ${missing.join(', ')} introuvable(s) ; en-tête lu : ${table.headers.join(', ')} (attendu name, kind, lat, lon).`);
  return table.rows.map((row, i) => ({
    where: `ligne ${table.lineOf(i)}`,
    name: row[columns.name],
    kind: row[columns.kind],
    lat: publishedNumber(row[columns.lat]!) ?? row[columns.lat],
    lon: publishedNumber(row[columns.lon]!) ?? row[columns.lon],
  }));
}

function fromGeojson(text: string, name: string): RawPoint[] {
  let json: { type?: unknown; features?: unknown };
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${name} : ce n’est pas du JSON lisible.`);
  }
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) throw new Error(`${name} : attendu une FeatureCollection GeoJSON de points.`);
  return json.features.map((feature: { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null }, i: number) => {
    const where = `entité ${i + 1}`;
    if (feature?.geometry?.type !== 'Point' || !Array.isArray(feature.geometry.coordinates)) {
      return {
        where,
        problem: `géométrie ${String(feature?.geometry?.type ?? 'absente')}, attendu un Point`,
        name: undefined,
        kind: undefined,
        lat: undefined,
        lon: undefined,
      };
    }
    const [lon, lat] = feature.geometry.coordinates as unknown[];
    const properties = feature.properties ?? {};
    const pick = (keys: readonly string[]) => Object.entries(properties).find(([key]) => keys.includes(key.toLowerCase()))?.[1];
    return { where, name: pick(NAME_COLUMNS), kind: pick(KIND_COLUMNS), lat, lon };
  });
}

/** Reads and checks the whole file, then replaces the points of that file name in one transaction. Throws a French error, writing nothing, on bad input. */
export async function importPointsOfInterest(args: readonly string[], store: Store): Promise<{ source: string; points: number; replaced: number }> {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('--')) throw new Error('donnez le fichier : npm run data -- import poi FICHIER.csv|.geojson');
  if (rest.length > 0) throw new Error(`option inconnue : « ${rest.join(' ')} » ; l’import de points d’intérêt n’en prend aucune.`);
  const source = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} : fichier illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const geojson = /\.(geo)?json$/i.test(source) || text.trimStart().startsWith('{');
  const raw = geojson ? fromGeojson(text.replace(/^\uFEFF/, ''), source) : fromCsv(text, source);

  const points: StoredPointOfInterest[] = [];
  const problems: string[] = [];
  for (const point of raw) {
    const name = typeof point.name === 'string' ? point.name.trim() : '';
    const kind = typeof point.kind === 'string' ? point.kind.trim() : '';
    const { lat, lon } = point;
    if (point.problem) problems.push(`${point.where} : ${point.problem}`);
    else if (!name || name.length > MAX_TEXT || hasNulCharacter(name)) problems.push(`${point.where} : nom manquant ou de plus de ${MAX_TEXT} caractères`);
    else if (kind.length > MAX_TEXT || hasNulCharacter(kind)) problems.push(`${point.where} : type de plus de ${MAX_TEXT} caractères`);
    else if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      problems.push(`${point.where} : position illisible (lat « ${String(lat)} », lon « ${String(lon)} »)`);
    } else {
      const cell = cellAt(lon, lat);
      if (!cell) problems.push(`${point.where} : ${lat}, ${lon} est hors de la grille européenne (EPSG:3035)`);
      else points.push({ name, kind, lat, lon, north: cell.north, east: cell.east });
    }
  }
  if (problems.length > 0)
    throw new Error(
      `${source} : ${problems.length} point${problems.length > 1 ? 's' : ''} refusé${problems.length > 1 ? 's' : ''} : ${problemList(problems)}.`,
    );
  if (points.length === 0) throw new Error(`${source} : aucun point d’intérêt dans le fichier.`);
  const { replaced } = await store.importPointsOfInterest(source, points);
  return { source, points: points.length, replaced };
}
