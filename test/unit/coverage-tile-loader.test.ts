import { describe, expect, it } from 'vitest';
import { cellRing } from '../../src/domain/grid/cell-geometry.ts';
import { CELLS_STALE_SECONDS } from '../../src/domain/grid/cells-staleness.ts';
import { formatCellId } from '../../src/domain/grid/cell-id.ts';
import { parseTile, tileSideM } from '../../src/domain/grid/cell-tiles.ts';
import { toLaea } from '../../src/domain/grid/laea.ts';
import type { CellFeature } from '../../src/app/cells/api-types.ts';
import type { LonLatBounds } from '../../src/app/cells/coverage-filters.ts';
import { noteOwnChange } from '../../src/app/shell/own-changes.ts';
import { createTileAnswers } from '../../src/app/cells/tile-answers.ts';
import { createTileLoader, type CellsLoad } from '../../src/app/cells/tile-loader.ts';
import { tilesInSight } from '../../src/app/cells/view-tiles.ts';
import { ApiError } from '../../src/app/shell/api.ts';

/** About 15 km × 11 km around Montpellier: a few 10 km tiles at 200 m. */
const VIEW: LonLatBounds = { west: 3.8, south: 43.56, east: 3.99, north: 43.66 };
/** The same size, 60 km east: none of VIEW's tiles. */
const AWAY: LonLatBounds = { west: 4.55, south: 43.56, east: 4.74, north: 43.66 };

/** A tile's answer: one cell, at its centre. */
function tileCells(url: string): CellFeature[] {
  const params = new URL(url, 'http://x').searchParams;
  const tile = parseTile(params.get('tile')!, Number(params.get('resolution')))!;
  const half = tileSideM(tile.resolutionM) / 2;
  const ref = { resolutionM: tile.resolutionM, east: tile.east + half, north: tile.north + half };
  return [
    {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [cellRing(ref)] },
      properties: { cellId: formatCellId(ref), zone: 'insufficient', discrepancy: [] },
    } as unknown as CellFeature,
  ];
}

/** A loader whose requests are answered by hand; what it drew and told, in order. */
function harness(parallel = 6, clock = { now: Date.now() }) {
  const asked: string[] = [];
  const waiting = new Map<string, { resolve: (cells: CellFeature[]) => void; reject: (error: unknown) => void }>();
  const drawn = new Set<string>();
  const loads: CellsLoad[] = [];
  let filters = { operators: [] as ('sfr' | 'orange')[] };
  const loader = createTileLoader<string>({
    filters: () => filters,
    draw: (cells) => {
      const id = cells[0]!.properties.cellId;
      drawn.add(id);
      return id;
    },
    erase: (id) => drawn.delete(id),
    report: (load) => loads.push(load),
    fetchTile: (url) => {
      asked.push(url);
      return new Promise((resolve, reject) => waiting.set(url, { resolve, reject }));
    },
    parallel,
    now: () => clock.now,
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    loader,
    asked,
    drawn,
    loads,
    last: () => loads.at(-1)!,
    setFilters(next: typeof filters) {
      filters = next;
    },
    /** Answers every request waiting (or the one for `url`), then lets the loader react. */
    async answer(url?: string) {
      for (const [waitingUrl, { resolve }] of [...waiting]) {
        if (url !== undefined && url !== waitingUrl) continue;
        waiting.delete(waitingUrl);
        resolve(tileCells(waitingUrl));
      }
      await settle();
    },
    async fail(url: string, error: unknown) {
      waiting.get(url)!.reject(error);
      waiting.delete(url);
      await settle();
    },
    waiting,
  };
}

describe('the coverage map’s tiles', () => {
  it('asks the tiles in sight nearest the centre first, a few at a time, and draws each as it arrives', async () => {
    const tiles = tilesInSight(VIEW, 200);
    expect(tiles.length).toBeGreaterThan(2);
    const [east, north] = toLaea((VIEW.west + VIEW.east) / 2, (VIEW.south + VIEW.north) / 2);
    const side = tileSideM(200);
    const distances = tiles.map((tile) => Math.hypot(tile.east + side / 2 - east, tile.north + side / 2 - north));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));

    const { loader, asked, drawn, last, answer } = harness(2);
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain(`tile=${tiles[0]!.east},${tiles[0]!.north}&resolution=200`);
    expect(last().state).toBe('loading');
    await answer(asked[0]);
    expect(drawn.size).toBe(1);
    expect(asked).toHaveLength(3);
    while (asked.length < tiles.length || drawn.size < tiles.length) await answer();
    expect(asked).toHaveLength(tiles.length);
    expect(last().state).toBe('loaded');
    // The screen is told the cells in the view only: tiles reach past its edges.
    for (const cell of last().cells) {
      const [lon, lat] = cell.geometry.coordinates[0]![0]!;
      expect(lon! > VIEW.west - 0.05 && lon! < VIEW.east && lat! > VIEW.south - 0.05 && lat! < VIEW.north).toBe(true);
    }
  });

  it('asks nothing again for tiles it holds when the view comes back; new filters ask again', async () => {
    const { loader, asked, drawn, answer, setFilters } = harness();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    await answer();
    const first = asked.length;
    const inSight = drawn.size;
    loader.show({ bounds: AWAY, resolutionM: 200 });
    await answer();
    expect(asked.length).toBeGreaterThan(first);
    const afterAway = asked.length;
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(afterAway);
    expect(drawn.size).toBe(inSight);

    setFilters({ operators: ['sfr'] });
    loader.forget();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked.length).toBe(afterAway + first);
    expect(asked.slice(afterAway).every((url) => url.includes('operator=sfr'))).toBe(true);
    // What the old filters drew stays until the new answers come, then goes.
    expect(drawn.size).toBe(inSight);
    await answer();
    expect(drawn.size).toBe(inSight);
  });

  it('never draws an answer over a view that moved away, but keeps it for when it comes back', async () => {
    const { loader, asked, drawn, answer, last } = harness();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    const late = asked[0]!;
    loader.show({ bounds: AWAY, resolutionM: 200 });
    await answer(late);
    expect(drawn.size).toBe(0);
    expect(last().state).toBe('loading');
    await answer();
    const drawnAway = drawn.size;
    expect(drawnAway).toBeGreaterThan(0);
    const before = asked.length;
    loader.show({ bounds: VIEW, resolutionM: 200 });
    // The late tile is drawn from memory; the others of VIEW were asked and answered meanwhile too.
    expect(asked).toHaveLength(before);
    expect(drawn.size).toBe(tilesInSight(VIEW, 200).length);
  });

  it('says a failure once for all the tiles that failed, and still draws the others', async () => {
    const { loader, asked, drawn, answer, fail, last } = harness();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    const [one, two, ...others] = asked;
    await fail(one!, new ApiError('Le serveur est occupé : réessayez dans un instant.', 503));
    await fail(two!, new ApiError('Le serveur est occupé : réessayez dans un instant.', 503));
    for (const url of others) await answer(url);
    expect(drawn.size).toBe(others.length);
    expect(last()).toMatchObject({ state: 'failed', message: 'Le serveur est occupé : réessayez dans un instant.' });
    // The next move asks the failed ones again, and only them.
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked.slice(-2).sort()).toEqual([one, two].sort());
    await answer();
    expect(last().state).toBe('loaded');
  });

  it('drops another grid’s cells when the first tile of the new one arrives', async () => {
    const { loader, drawn, answer, asked } = harness();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    await answer();
    const fine = new Set(drawn);
    loader.show({ bounds: VIEW, resolutionM: 1000 });
    expect(drawn).toEqual(fine);
    await answer(asked.at(-1));
    expect([...drawn].some((id) => fine.has(id))).toBe(false);
  });

  it('asks a tile it drew again at the next move once its answer is older than the server may serve, keeping it drawn meanwhile', async () => {
    const clock = { now: Date.parse('2026-12-05T12:00:00Z') };
    const { loader, asked, drawn, answer } = harness(6, clock);
    loader.show({ bounds: VIEW, resolutionM: 200 });
    await answer();
    const first = asked.length;
    const inSight = new Set(drawn);
    clock.now += CELLS_STALE_SECONDS * 1000;
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(first);
    clock.now += 1;
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(2 * first);
    expect(drawn).toEqual(inSight);
    await answer();
    expect(drawn).toEqual(inSight);
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(2 * first);
  });

  it('asks every tile again just after the page’s own change', async () => {
    const { loader, asked, answer } = harness();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    await answer();
    const first = asked.length;
    noteOwnChange();
    loader.show({ bounds: VIEW, resolutionM: 200 });
    expect(asked).toHaveLength(2 * first);
  });
});

describe('the tile answers held', () => {
  it('keeps the most recently used up to its bound, each for its age at most', () => {
    const held = createTileAnswers<number>({ limit: 2, maxAgeMs: 1000 });
    held.set('a', 1, 0);
    held.set('b', 2, 0);
    expect(held.get('a', 10)).toBe(1);
    held.set('c', 3, 10);
    expect(held.get('b', 10)).toBeUndefined();
    expect(held.get('a', 1000)).toBe(1);
    expect(held.get('a', 1001)).toBeUndefined();
    expect(held.size).toBe(1);
    // Those too old go when another arrives, used or not.
    held.set('d', 4, 1500);
    held.set('e', 5, 2501);
    expect(held.size).toBe(1);
  });
});
