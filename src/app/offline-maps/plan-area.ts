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

/** Levels first offered on each side of the view's: zooming out to the commune and in to its streets. */
export const DEFAULT_ZOOM_SPAN = 2;

/**
 * The most the first offer weighs: a valley's commune at street level fits well under it, and
 * a phone with little data keeps room. The agent may still choose more, up to the storage left.
 */
export const DEFAULT_SIZE_BUDGET_BYTES = 60_000_000;

export interface AreaPlan {
  zooms: ZoomRange;
  tileCount: number;
  bytes: number;
  /** Why it cannot be downloaded (French), or undefined. */
  refusal?: string;
}

/**
 * The zoom range first offered for the view: DEFAULT_ZOOM_SPAN levels wider and more
 * detailed than the view's, within the source's range, the most detailed levels given up
 * first while the area would pass DEFAULT_SIZE_BUDGET_BYTES or the tile limit (never below
 * the view's own level).
 */
export function defaultZooms(
  view: MapView,
  source: Pick<TileSource, 'minZoom' | 'maxZoom' | 'averageTileBytes'>,
  budgetBytes = DEFAULT_SIZE_BUDGET_BYTES,
): ZoomRange {
  const zoom = Math.round(view.zoom);
  const wanted = clampZooms({ minZoom: zoom - DEFAULT_ZOOM_SPAN, maxZoom: zoom + DEFAULT_ZOOM_SPAN }, source);
  const floor = Math.max(wanted.minZoom, Math.min(zoom, wanted.maxZoom));
  let zooms = wanted;
  while (zooms.maxZoom > floor && tooHeavy(view.bbox, zooms, source, budgetBytes)) zooms = { ...zooms, maxZoom: zooms.maxZoom - 1 };
  return zooms;
}

function tooHeavy(bbox: LonLatBox, zooms: ZoomRange, source: { averageTileBytes: number }, budgetBytes: number): boolean {
  const tileCount = countTiles(bbox, zooms);
  return areaTooLarge(tileCount) !== undefined || estimateBytes(tileCount, source) > budgetBytes;
}

/**
 * What a zoom level shows, in the agent's words rather than a number: « Commune », « Rues ».
 * Calibrated on a phone's screen (about 400 px wide) in metropolitan France.
 */
export function zoomWords(zoom: number): string {
  if (zoom <= 5) return 'Pays';
  if (zoom <= 7) return 'Région';
  if (zoom <= 9) return 'Département';
  if (zoom <= 11) return 'Plusieurs communes';
  if (zoom === 12) return 'Commune et alentours';
  if (zoom === 13) return 'Commune';
  if (zoom === 14) return 'Village';
  if (zoom === 15) return 'Quartier';
  if (zoom === 16) return 'Rues';
  if (zoom === 17) return 'Rues et chemins';
  return 'Bâtiments';
}

/** A zoom level as a choice of the form: its words, and the level to tell two alike apart (« Rues (16) »). */
export function zoomChoiceLabel(zoom: number): string {
  return `${zoomWords(zoom)} (${zoom})`;
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
    `${formatMegabytes(roomLeft(room))} disponibles. Réduisez la zone ou le niveau de détail, ou supprimez une zone déjà téléchargée.`
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
