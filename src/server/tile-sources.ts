import type { TileSource, TileSourcesConfig } from '../domain/tile-source.ts';

/**
 * The base maps a deployment offers (TILE_SOURCES, TILE_DEFAULT, and TILE_URL & co. for a
 * source of its own), read at start with the rest of the configuration (config.ts).
 */

/** The legacy `tiles` shape of GET /api/v1/config: the default source, for pages older than tileSources. */
export interface TileSettings {
  /** Leaflet URL template with {z}, {x} and {y}. */
  url: string;
  /** HTML shown in the map corner; the tile provider's terms require it. */
  attribution: string;
  maxZoom: number;
}

/** Plan IGN v2 from IGN's Géoplateforme: open (Licence Ouverte), no per-IP rate limit on WMTS, zoom 0–19. */
export const PLAN_IGN: TileSource = {
  id: 'plan-ign',
  label: 'Plan IGN',
  url:
    'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2' +
    '&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png',
  attribution: '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN',
  minZoom: 0,
  maxZoom: 19,
  allowsPrefetch: true,
  averageTileBytes: 25_000,
};

/** OpenStreetMap's standard tiles: its tile usage policy forbids bulk downloading, so browse-time caching only. */
export const OSM: TileSource = {
  id: 'osm',
  label: 'OpenStreetMap',
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>',
  minZoom: 0,
  maxZoom: 19,
  allowsPrefetch: false,
  averageTileBytes: 20_000,
};

export const BUILT_IN_TILE_SOURCES: readonly TileSource[] = [PLAN_IGN, OSM];

/** Id of the source TILE_URL defines. */
export const CUSTOM_TILE_SOURCE_ID = 'custom';

/** Whatever a deployment's own tiles weigh, this is the estimate shown before a download. */
const CUSTOM_AVERAGE_TILE_BYTES = 20_000;

/**
 * The deployment's own source (TILE_URL, or buildApp's `tiles` option). Pre-downloading is
 * off unless said otherwise: only the operator knows whether their provider allows it.
 */
export function customTileSource(tiles: TileSettings & Partial<Omit<TileSource, 'url' | 'attribution' | 'maxZoom'>>): TileSource {
  return {
    id: CUSTOM_TILE_SOURCE_ID,
    label: 'Fond de carte local',
    minZoom: 0,
    allowsPrefetch: false,
    averageTileBytes: CUSTOM_AVERAGE_TILE_BYTES,
    ...tiles,
  };
}

export function defaultTileSource({ sources, defaultSourceId }: TileSourcesConfig): TileSource {
  const source = sources.find((s) => s.id === defaultSourceId);
  if (!source) throw new Error(`tile source ${defaultSourceId} is the default but is not offered`);
  return source;
}

export function legacyTileSettings(config: TileSourcesConfig): TileSettings {
  const { url, attribution, maxZoom } = defaultTileSource(config);
  return { url, attribution, maxZoom };
}

/** The origins tiles load from, for the Content-Security-Policy (a path on this server needs none). */
export function tileOrigins({ sources }: TileSourcesConfig): string[] {
  return [...new Set(sources.map((s) => tileOrigin(s.url)).filter((origin): origin is string => origin !== undefined))];
}

/** The origin a tile URL template loads from; undefined for a path on this server. */
export function tileOrigin(template: string): string | undefined {
  if (template.startsWith('/')) return undefined;
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return undefined;
  }
}

/** What is wrong with a tile URL template, in French; undefined when it is fine. */
export function tileUrlProblem(template: string): string | undefined {
  const missing = ['{z}', '{x}', '{y}'].filter((part) => !template.includes(part));
  if (missing.length > 0) return `il manque ${missing.join(', ')} dans le modèle d’adresse des tuiles`;
  // A path on this server (a local tile cache, say) is fine; anything else must be http(s).
  if (template.startsWith('/')) return undefined;
  try {
    const { protocol } = new URL(template);
    if (protocol === 'https:' || protocol === 'http:') return undefined;
  } catch {
    // Falls through to the message below.
  }
  return 'attendu une adresse http(s):// ou un chemin commençant par /';
}

type Env = Record<string, string | undefined>;

export interface TileEnvReaders {
  integer(name: string, fallback: number, min: number, max: number): number;
  flag(name: string, fallback: boolean): boolean;
}

/**
 * TILE_SOURCES, TILE_DEFAULT and the custom source's TILE_* variables. Without TILE_URL the
 * built-in sources are offered (plan-ign, osm); with it, a deployment that set it before
 * base maps could be chosen keeps exactly its one map unless TILE_SOURCES says otherwise.
 */
export function readTileSources(env: Env, { integer, flag }: TileEnvReaders, problems: string[]): TileSourcesConfig {
  const customUrl = env.TILE_URL?.trim();
  const customOnly = ['TILE_ATTRIBUTION', 'TILE_MAX_ZOOM', 'TILE_MIN_ZOOM', 'TILE_PREFETCH'].filter((name) => env[name] !== undefined);
  let custom: TileSource | undefined;
  if (customUrl) {
    const attribution = env.TILE_ATTRIBUTION?.trim();
    if (env.TILE_ATTRIBUTION !== undefined && !attribution)
      problems.push('TILE_ATTRIBUTION est vide : les conditions des fournisseurs de tuiles exigent une attribution');
    custom = customTileSource({
      url: customUrl,
      // Plan IGN's, as before base maps could be chosen: most own tile servers cache IGN's.
      attribution: attribution || PLAN_IGN.attribution,
      minZoom: integer('TILE_MIN_ZOOM', 0, 0, 24),
      maxZoom: integer('TILE_MAX_ZOOM', 19, 0, 24),
      allowsPrefetch: flag('TILE_PREFETCH', false),
    });
    const problem = tileUrlProblem(customUrl);
    if (problem) problems.push(`TILE_URL=« ${customUrl} » : ${problem}`);
    if (custom.minZoom > custom.maxZoom) problems.push(`TILE_MIN_ZOOM (${custom.minZoom}) dépasse TILE_MAX_ZOOM (${custom.maxZoom})`);
  } else {
    if (env.TILE_URL !== undefined) problems.push('TILE_URL est vide : retirez la variable pour proposer les fonds intégrés (plan-ign, osm)');
    else if (customOnly.length > 0) problems.push(`${customOnly.join(', ')} : sans effet sans TILE_URL (ces variables décrivent le fond « custom »)`);
  }

  const known = [...BUILT_IN_TILE_SOURCES, ...(custom ? [custom] : [])];
  const knownIds = [...BUILT_IN_TILE_SOURCES.map((s) => s.id), CUSTOM_TILE_SOURCE_ID].join(', ');
  const rawList = env.TILE_SOURCES?.trim();
  const ids = rawList === undefined ? (custom ? [CUSTOM_TILE_SOURCE_ID] : BUILT_IN_TILE_SOURCES.map((s) => s.id)) : rawList.split(',').map((id) => id.trim());
  const sources: TileSource[] = [];
  if (rawList !== undefined && ids.every((id) => id === ''))
    problems.push(`TILE_SOURCES est vide : attendu des identifiants séparés par des virgules parmi ${knownIds}`);
  for (const id of ids.filter((id) => id !== '')) {
    const source = known.find((s) => s.id === id);
    if (sources.some((s) => s.id === id)) problems.push(`TILE_SOURCES : « ${id} » est donné deux fois`);
    else if (source) sources.push(source);
    else if (id === CUSTOM_TILE_SOURCE_ID) problems.push('TILE_SOURCES propose « custom » mais TILE_URL n’est pas défini');
    else problems.push(`TILE_SOURCES : fond de carte inconnu « ${id} » (attendu ${knownIds})`);
  }
  if (custom && rawList !== undefined && !ids.includes(CUSTOM_TILE_SOURCE_ID)) {
    problems.push('TILE_URL est défini mais TILE_SOURCES ne propose pas « custom » : ajoutez-le ou retirez TILE_URL');
  }

  const rawDefault = env.TILE_DEFAULT?.trim();
  const defaultSourceId = rawDefault || (custom ? CUSTOM_TILE_SOURCE_ID : (sources[0]?.id ?? PLAN_IGN.id));
  if (env.TILE_DEFAULT !== undefined && !rawDefault) problems.push('TILE_DEFAULT est vide : retirez la variable ou nommez un fond de TILE_SOURCES');
  else if (sources.length > 0 && !sources.some((s) => s.id === defaultSourceId)) {
    problems.push(`TILE_DEFAULT=« ${defaultSourceId} » : ce fond n’est pas proposé (TILE_SOURCES : ${sources.map((s) => s.id).join(', ')})`);
  }
  return { sources, defaultSourceId };
}
