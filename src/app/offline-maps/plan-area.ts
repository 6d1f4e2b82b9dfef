import type { TileSource } from '../../domain/tile-source.ts';
import { areaTooLarge, clampZooms, countTiles, estimateBytes, type LonLatBox, type ZoomRange } from '../../domain/tiles.ts';

/** The map's view as the map screen gives it to the panel. */
export interface MapView {
  bbox: LonLatBox;
  zoom: number;
}

/** What the browser says of this site's storage (navigator.storage.estimate()). */
export interface StorageRoom {
  usage: number;
  quota: number;
}

/**
 * Room kept free beside a download: estimates are averages (a town centre's tiles weigh more
 * than fields'), and the readings still to send must always find space.
 */
const ESTIMATE_MARGIN = 1.25;
const RESERVED_BYTES = 20_000_000;

/** Zoom the panel offers to stop at, unless the view or the source says otherwise: streets readable, weight reasonable. */
export const DEFAULT_MAX_ZOOM = 16;

export interface AreaPlan {
  zooms: ZoomRange;
  tileCount: number;
  bytes: number;
  /** Why it cannot be downloaded (French), or undefined. */
  refusal?: string;
}

/** The zoom range first offered: the current zoom up to DEFAULT_MAX_ZOOM, within the source's. */
export function defaultZooms(zoom: number, source: ZoomRange): ZoomRange {
  const minZoom = Math.floor(zoom);
  return clampZooms({ minZoom, maxZoom: Math.max(minZoom, DEFAULT_MAX_ZOOM) }, source);
}

/** Tiles, weight and whether the download may start, for an area, zoom range and the storage left. */
export function planArea(bbox: LonLatBox, wanted: ZoomRange, source: TileSource, room: StorageRoom | undefined): AreaPlan {
  const zooms = clampZooms(wanted, source);
  const tileCount = countTiles(bbox, zooms);
  const bytes = estimateBytes(tileCount, source);
  const refusal = areaTooLarge(tileCount) ?? (room && !fitsInStorage(bytes, room) ? noRoomMessage(bytes, room) : undefined);
  return { zooms, tileCount, bytes, ...(refusal && { refusal }) };
}

export function fitsInStorage(bytes: number, { usage, quota }: StorageRoom): boolean {
  return bytes * ESTIMATE_MARGIN + RESERVED_BYTES <= quota - usage;
}

/** The space left to this site, or undefined where the browser does not say. */
export function roomLeft(room: StorageRoom): number {
  return Math.max(0, room.quota - room.usage);
}

function noRoomMessage(bytes: number, room: StorageRoom): string {
  return (
    `Pas assez d’espace sur l’appareil : environ ${formatMegabytes(bytes)} nécessaires, ` +
    `${formatMegabytes(roomLeft(room))} disponibles. Réduisez la zone ou le zoom maximal, ou supprimez une zone déjà téléchargée.`
  );
}

const megabytes = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** « 12,5 Mo »; « moins de 0,1 Mo » rather than « 0 Mo » for a handful of tiles. */
export function formatMegabytes(bytes: number): string {
  if (bytes > 0 && bytes < 50_000) return 'moins de 0,1 Mo';
  return `${megabytes.format(bytes / 1_000_000)} Mo`;
}

/** The area's default name: the current campaign's commune, else the day. */
export function defaultAreaName(communeName: string | undefined, now: Date): string {
  if (communeName) return communeName;
  return `Zone du ${now.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' })}`;
}
