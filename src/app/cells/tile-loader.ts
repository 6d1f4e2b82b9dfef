import { CompactCellsAnswerSchema } from '../../domain/api/index.ts';
import { cellsFromCompact } from '../../domain/grid/compact-cells.ts';
import { CELLS_STALE_SECONDS } from '../../domain/grid/cells-staleness.ts';
import { ApiError, api } from '../shell/api.ts';
import { gridViewCacheMode } from '../shell/own-changes.ts';
import type { CellFeature } from './api-types.ts';
import { cellsTileUrl, type CoverageFilters, type LonLatBounds } from './coverage-filters.ts';
import { createTileAnswers } from './tile-answers.ts';
import { tilesInSight } from './view-tiles.ts';

/** What the map shows of the grid, told to the screen after each change. */
export interface CellsLoad {
  state: 'loading' | 'loaded' | 'failed' | 'too-far';
  resolutionM?: number;
  /** The cells drawn that lie in the view (tiles reach past its edges). */
  cells: CellFeature[];
  message?: string;
}

/** A tile's cells and when they arrived. */
interface TileAnswer {
  cells: CellFeature[];
  at: number;
}

export interface TileView {
  bounds: LonLatBounds;
  resolutionM: number;
}

export interface TileLoaderOptions<Drawn> {
  /** The filters of the next tiles asked; after they change, {@link TileLoader.forget}. */
  filters(): CoverageFilters;
  /** Draws a tile's cells; what it returns is handed back to `erase`. */
  draw(cells: CellFeature[]): Drawn;
  erase(drawn: Drawn): void;
  report(load: CellsLoad): void;
  /** A tile's cells from the server; by default `api()` with the grid views' cache mode. */
  fetchTile?(url: string, signal: AbortSignal): Promise<CellFeature[]>;
  /** Tiles asked at a time (a browser's connections to one server over HTTP/1.1). */
  parallel?: number;
  /** Tile answers kept for panning back. */
  keep?: number;
  now?(): number;
}

export interface TileLoader<Drawn> {
  /** Shows a view: its tiles held are drawn at once, the others asked, nearest the centre first. Undefined: nothing drawn. */
  show(view: TileView | undefined): void;
  /** Drops every answer held or on its way (the filters changed); what is drawn stays until the next tiles arrive. */
  forget(): void;
  /** What is drawn now (to restyle it). */
  drawn(): Drawn[];
  /** Stops asking (the map is gone). */
  stop(): void;
}

export const TILE_REQUESTS_AT_ONCE = 6;
/** About two screens of tiles each way at any zoom. */
export const TILES_KEPT = 60;

const UNLOADED = 'Les mailles n’ont pas pu être chargées.';

async function fetchTileCells(url: string, signal: AbortSignal): Promise<CellFeature[]> {
  return cellsFromCompact(await api(url, CompactCellsAnswerSchema, { signal, cache: gridViewCacheMode() })).features;
}

/**
 * The coverage map's cells, asked a tile at a time (src/domain/grid/cell-tiles.ts, GET
 * /api/v1/cells?tile=…): every reviewer of a scope viewing a place asks the same few URLs, which
 * the server keeps built and the browser revalidates with their ETags, and panning asks only
 * the tiles newly in sight.
 *
 * Contracts: a tile's answer is drawn only while that tile (of these filters, at this
 * resolution) is in the view shown; one arriving after the view moved away is kept for later,
 * never drawn over the new view. Answers are held ({@link TILES_KEPT}, each for
 * CELLS_STALE_SECONDS, the age the server itself may answer) so that panning back asks
 * nothing; older, a tile is asked again at the next move (drawn as it was meanwhile), and just
 * after this page's own change (`gridViewCacheMode()`) every tile is. A tile that failed is reported once (its message; one line for all), the others
 * still drawn, and asked again at the next move.
 */
export function createTileLoader<Drawn>(options: TileLoaderOptions<Drawn>): TileLoader<Drawn> {
  const { filters, draw, erase, report, fetchTile = fetchTileCells, parallel = TILE_REQUESTS_AT_ONCE, keep = TILES_KEPT, now = Date.now } = options;
  const maxAgeMs = CELLS_STALE_SECONDS * 1000;
  /** Each answer with when it arrived: a tile drawn longer ago than that is asked again at the next move. */
  let answers = createTileAnswers<TileAnswer>({ limit: keep, maxAgeMs });
  /** The tiles drawn, of which filters (a count of {@link TileLoader.forget}s) and resolution. */
  const drawnTiles = new Map<string, TileAnswer & { drawn: Drawn; resolutionM: number; filtersSeen: number }>();
  let filtersSeen = 0;
  /** The view shown and its tiles' URLs, nearest its centre first. */
  let view: (TileView & { urls: string[] }) | undefined;
  let queue: string[] = [];
  const failed = new Map<string, string>();
  /** Requests of the current filters; those of earlier ones are aborted and their answers dropped. */
  let requests = new AbortController();
  const inFlight = new Set<string>();

  const inView = (url: string) => view?.urls.includes(url) === true;

  const eraseWhere = (gone: (url: string, tile: { resolutionM: number; filtersSeen: number }) => boolean) => {
    for (const [url, tile] of drawnTiles) {
      if (!gone(url, tile)) continue;
      erase(tile.drawn);
      drawnTiles.delete(url);
    }
  };

  /** Draws a tile of the view (again, when asked anew after an own change). */
  const drawTile = (url: string, { cells, at }: TileAnswer) => {
    // The view's first tile replaces what another grid or other filters left on screen.
    eraseWhere((other) => other === url || !inView(other));
    drawnTiles.set(url, { drawn: draw(cells), cells, at, resolutionM: view!.resolutionM, filtersSeen });
  };

  const tell = () => {
    if (!view) return;
    const { bounds, resolutionM, urls } = view;
    const cells: CellFeature[] = [];
    for (const url of urls) for (const cell of drawnTiles.get(url)?.cells ?? []) if (touches(cell, bounds)) cells.push(cell);
    const pending = urls.some((url) => !drawnTiles.has(url) && !failed.has(url));
    const message = failed.values().next().value;
    if (pending) report({ state: 'loading', resolutionM, cells });
    else if (message !== undefined) report({ state: 'failed', resolutionM, cells, message });
    else report({ state: 'loaded', resolutionM, cells });
  };

  const ask = (url: string) => {
    inFlight.add(url);
    const { signal } = requests;
    fetchTile(url, signal)
      .then(
        (cells) => {
          if (signal.aborted) return;
          const answer = { cells, at: now() };
          answers.set(url, answer, answer.at);
          if (inView(url)) drawTile(url, answer);
        },
        (error: unknown) => {
          if (signal.aborted || (error as Error).name === 'AbortError') return;
          if (inView(url)) failed.set(url, error instanceof ApiError ? error.message : UNLOADED);
        },
      )
      .finally(() => {
        if (signal.aborted) return;
        inFlight.delete(url);
        pump();
        tell();
      });
  };

  const pump = () => {
    while (inFlight.size < parallel && queue.length > 0) {
      const url = queue.shift()!;
      if (!inFlight.has(url)) ask(url);
    }
  };

  return {
    show(next) {
      failed.clear();
      if (!next) {
        view = undefined;
        queue = [];
        eraseWhere(() => true);
        return;
      }
      const current = filters();
      const urls = tilesInSight(next.bounds, next.resolutionM).map((tile) => cellsTileUrl(current, tile));
      view = { ...next, urls };
      // Out of sight, same grid and filters: gone now. Another grid's or other filters' stay until this view's first tile.
      eraseWhere((url, tile) => tile.resolutionM === next.resolutionM && tile.filtersSeen === filtersSeen && !inView(url));
      // Just after this page's own change, every tile is asked anew; a tile drawn from an answer
      // older than the server may serve, too (either stays drawn until the new answer comes).
      const reuse = gridViewCacheMode() !== 'no-cache';
      const at = now();
      queue = [];
      for (const url of urls) {
        const drawn = drawnTiles.get(url);
        if (reuse && drawn && at - drawn.at <= maxAgeMs) continue;
        const held = reuse ? answers.get(url, at) : undefined;
        if (held) drawTile(url, held);
        else if (!inFlight.has(url)) queue.push(url);
      }
      pump();
      tell();
    },
    forget() {
      filtersSeen += 1;
      requests.abort();
      requests = new AbortController();
      inFlight.clear();
      queue = [];
      failed.clear();
      answers = createTileAnswers({ limit: keep, maxAgeMs });
    },
    drawn: () => [...drawnTiles.values()].map((tile) => tile.drawn),
    stop() {
      requests.abort();
      queue = [];
    },
  };
}

/** Whether a cell's square (its ring's box) overlaps the view's box. */
function touches(cell: CellFeature, bounds: LonLatBounds): boolean {
  const ring = cell.geometry.coordinates[0] ?? [];
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (const [lon, lat] of ring) {
    if (lon! < west) west = lon!;
    if (lon! > east) east = lon!;
    if (lat! < south) south = lat!;
    if (lat! > north) north = lat!;
  }
  return west < bounds.east && east > bounds.west && south < bounds.north && north > bounds.south;
}
