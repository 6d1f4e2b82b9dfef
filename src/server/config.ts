import { resolve } from 'node:path';

/** The base map the page draws under the readings (served by GET /api/v1/config). */
export interface TileSettings {
  /** Leaflet URL template with {z}, {x} and {y}. */
  url: string;
  /** HTML shown in the map corner; the tile provider's terms require it. */
  attribution: string;
  maxZoom: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Absolute; holds couverture.sqlite. */
  dataDir: string;
  /** Absolute; the app as built by vite. */
  staticDir: string;
  tiles: TileSettings;
}

/** Plan IGN v2 from IGN's Géoplateforme: open, no per-IP rate limit on WMTS, zoom 0–19. */
const DEFAULT_TILE_URL =
  'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2' +
  '&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png';
const DEFAULT_TILE_ATTRIBUTION = '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN';

/** A misconfigured environment; the message is meant for the person starting the server. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads the configuration from the environment, listing every bad variable at once. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    problems.push(`${name}=« ${raw} » : attendu un entier de ${min} à ${max}`);
    return fallback;
  };
  const text = (name: string, fallback: string): string => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    if (raw.trim() === '') problems.push(`${name} est vide : retirez la variable pour garder la valeur par défaut (« ${fallback} »)`);
    return raw.trim();
  };

  const config: ServerConfig = {
    host: text('HOST', '127.0.0.1'),
    port: integer('PORT', 8080, 0, 65535),
    dataDir: resolve(text('DATA_DIR', './data')),
    staticDir: resolve(text('STATIC_DIR', './dist')),
    tiles: {
      url: text('TILE_URL', DEFAULT_TILE_URL),
      attribution: text('TILE_ATTRIBUTION', DEFAULT_TILE_ATTRIBUTION),
      maxZoom: integer('TILE_MAX_ZOOM', 19, 0, 24),
    },
  };
  const tileUrlProblem = checkTileUrl(config.tiles.url);
  if (tileUrlProblem) problems.push(`TILE_URL=« ${config.tiles.url} » : ${tileUrlProblem}`);

  if (problems.length > 0) throw new ConfigError(`Configuration invalide :\n- ${problems.join('\n- ')}`);
  return config;
}

function checkTileUrl(template: string): string | undefined {
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
