import { tilesCovering, tileSideM, type CellTile } from '../../domain/grid/cell-tiles.ts';
import { toLaea } from '../../domain/grid/laea.ts';
import type { LonLatBounds } from './coverage-filters.ts';

/**
 * The grid's tiles a map view shows at a resolution (src/domain/grid/cell-tiles.ts), those
 * nearest the view's centre first: asked in this order, the middle of the screen fills first.
 */
export function tilesInSight(bounds: LonLatBounds, resolutionM: number): CellTile[] {
  const tiles = tilesCovering({ minLon: bounds.west, minLat: bounds.south, maxLon: bounds.east, maxLat: bounds.north }, resolutionM);
  if (tiles.length < 2) return tiles;
  const [east, north] = toLaea((bounds.west + bounds.east) / 2, (bounds.south + bounds.north) / 2);
  const half = tileSideM(resolutionM) / 2;
  const distance = (tile: CellTile) => Math.hypot(tile.east + half - east, tile.north + half - north);
  return tiles
    .map((tile) => ({ tile, distance: distance(tile) }))
    .sort((a, b) => a.distance - b.distance)
    .map(({ tile }) => tile);
}
