import { MAX_MERCATOR_LAT } from './geo.ts';

/**
 * Web Mercator tile math (the XYZ / WMTS "PM" scheme every configured base map uses): which
 * tiles cover an area at a zoom range, how many, how heavy, and which URL each one has.
 * Pure: the page plans and downloads areas with it, the service worker recognises tile URLs.
 */

/** An area as [west, south, east, north] in degrees; west > east crosses the antimeridian. */
export type LonLatBox = readonly [west: number, south: number, east: number, north: number];

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/**
 * Most tiles one area may hold. Past it the agent is asked to zoom in or narrow the zoom
 * range: 30,000 tiles of Plan IGN are about 750 MB and hours on a town hall's Wi-Fi.
 */
export const MAX_TILES_PER_AREA = 30_000;

/** Tiles per side at zoom z. */
export function tilesPerSide(z: number): number {
  return 2 ** z;
}

/** The tile that holds a point at zoom z (points on the far east or south edge belong to the last tile). */
export function lonLatToTile(lon: number, lat: number, z: number): TileCoord {
  const n = tilesPerSide(z);
  const clampedLat = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const latRad = (clampedLat * Math.PI) / 180;
  const x = Math.floor(((normaliseLon(lon) + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { z, x: clamp(x, 0, n - 1), y: clamp(y, 0, n - 1) };
}

/** The north-west corner of a tile, in degrees. */
export function tileToLonLat({ z, x, y }: TileCoord): { lon: number; lat: number } {
  const n = tilesPerSide(z);
  const lon = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return { lon, lat };
}

/** The tile's own extent, as a box. */
export function tileBounds(tile: TileCoord): LonLatBox {
  const northWest = tileToLonLat(tile);
  const southEast = tileToLonLat({ z: tile.z, x: tile.x + 1, y: tile.y + 1 });
  return [northWest.lon, southEast.lat, southEast.lon, northWest.lat];
}

/** A rectangle of tiles at one zoom, bounds included. */
export interface TileRange {
  z: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * The tiles covering a box at zoom z: one range, or two when the box crosses the antimeridian
 * (west > east), the eastern part of the world first.
 */
export function tileRanges(box: LonLatBox, z: number): TileRange[] {
  const [west, south, east, north] = box;
  const top = lonLatToTile(west, north, z).y;
  const bottom = lonLatToTile(west, south, z).y;
  const minY = Math.min(top, bottom);
  const maxY = Math.max(top, bottom);
  if (east - west >= 360) return [{ z, minX: 0, maxX: tilesPerSide(z) - 1, minY, maxY }];
  if (normaliseLon(west) <= normaliseLon(east)) {
    return [{ z, minX: lonLatToTile(west, 0, z).x, maxX: lonLatToTile(east, 0, z).x, minY, maxY }];
  }
  return [
    { z, minX: lonLatToTile(west, 0, z).x, maxX: tilesPerSide(z) - 1, minY, maxY },
    { z, minX: 0, maxX: lonLatToTile(east, 0, z).x, minY, maxY },
  ];
}

export interface ZoomRange {
  minZoom: number;
  maxZoom: number;
}

/** How many tiles cover a box over a zoom range, bounds included, without listing them. */
export function countTiles(box: LonLatBox, { minZoom, maxZoom }: ZoomRange): number {
  let count = 0;
  for (let z = minZoom; z <= maxZoom; z += 1) {
    for (const range of tileRanges(box, z)) count += (range.maxX - range.minX + 1) * (range.maxY - range.minY + 1);
  }
  return count;
}

/**
 * Every tile covering a box over a zoom range, in a stable order (zoom, then row, then
 * column): a download resumed after a reload walks the same sequence again.
 */
export function* tilesOf(box: LonLatBox, { minZoom, maxZoom }: ZoomRange): Generator<TileCoord> {
  for (let z = minZoom; z <= maxZoom; z += 1) {
    for (const range of tileRanges(box, z)) {
      for (let y = range.minY; y <= range.maxY; y += 1) {
        for (let x = range.minX; x <= range.maxX; x += 1) yield { z, x, y };
      }
    }
  }
}

/** Whether a tile is one of those `tilesOf(box, zooms)` lists. */
export function areaHoldsTile(box: LonLatBox, zooms: ZoomRange, tile: TileCoord): boolean {
  if (tile.z < zooms.minZoom || tile.z > zooms.maxZoom) return false;
  return tileRanges(box, tile.z).some((range) => tile.x >= range.minX && tile.x <= range.maxX && tile.y >= range.minY && tile.y <= range.maxY);
}

/** The zoom range actually offered by a source: the wanted one, cut to the source's. */
export function clampZooms(wanted: ZoomRange, source: ZoomRange): ZoomRange {
  const minZoom = clamp(Math.round(wanted.minZoom), source.minZoom, source.maxZoom);
  const maxZoom = clamp(Math.round(wanted.maxZoom), minZoom, source.maxZoom);
  return { minZoom, maxZoom };
}

/** Bytes an area is expected to take, from the source's typical tile size. */
export function estimateBytes(tileCount: number, source: { averageTileBytes: number }): number {
  return tileCount * source.averageTileBytes;
}

/** Why an area is too big to download (French, for the agent), or undefined when it is fine. */
export function areaTooLarge(tileCount: number, max = MAX_TILES_PER_AREA): string | undefined {
  if (tileCount <= max) return undefined;
  return `Zone trop grande : ${formatCount(tileCount)} tuiles pour ${formatCount(max)} au plus. Zoomez sur la carte ou réduisez le niveau de détail.`;
}

/** The URL of a tile from a source's template ({z}, {x}, {y}; {s} and {r} as Leaflet fills them by default). */
export function tileUrl(template: string, { z, x, y }: TileCoord): string {
  return template
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{y}', String(y))
    .replaceAll('{-y}', String(tilesPerSide(z) - 1 - y))
    .replaceAll('{s}', 'a')
    .replaceAll('{r}', '');
}

/**
 * Which tile a URL asks for, if it was made from `template` (by Leaflet or by tileUrl), else
 * undefined. The service worker tells tile requests apart with it.
 */
export function matchTileUrl(url: string, template: string): TileCoord | undefined {
  const { pattern, order } = compileTemplate(template);
  const found = pattern.exec(url);
  if (!found) return undefined;
  const values: Partial<Record<'z' | 'x' | 'y' | '-y', number>> = {};
  order.forEach((name, index) => (values[name] = Number(found[index + 1])));
  const { z, x } = values;
  if (z === undefined || x === undefined) return undefined;
  const y = values.y ?? (values['-y'] === undefined ? undefined : tilesPerSide(z) - 1 - values['-y']);
  if (y === undefined) return undefined;
  return { z, x, y };
}

const compiled = new Map<string, { pattern: RegExp; order: Array<'z' | 'x' | 'y' | '-y'> }>();

function compileTemplate(template: string): { pattern: RegExp; order: Array<'z' | 'x' | 'y' | '-y'> } {
  const known = compiled.get(template);
  if (known) return known;
  const order: Array<'z' | 'x' | 'y' | '-y'> = [];
  const source = template
    .split(/(\{-?[a-z]+\})/)
    .map((part) => {
      switch (part) {
        case '{z}':
        case '{x}':
        case '{y}':
        case '{-y}':
          order.push(part.slice(1, -1) as 'z' | 'x' | 'y' | '-y');
          return '(\\d+)';
        case '{s}':
          return '[a-z0-9-]+';
        case '{r}':
          return '(?:@2x)?';
        default:
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
    })
    .join('');
  const entry = { pattern: new RegExp(`^${source}$`), order };
  compiled.set(template, entry);
  return entry;
}

function normaliseLon(lon: number): number {
  if (lon >= -180 && lon <= 180) return lon;
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

function formatCount(count: number): string {
  // Narrow no-break space, as French groups digits; ES2022 has no Intl guarantee in every runtime.
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}
