import { describe, expect, it } from 'vitest';
import {
  MAX_TILES_PER_AREA,
  areaHoldsTile,
  areaTooLarge,
  clampZooms,
  countTiles,
  estimateBytes,
  lonLatToTile,
  matchTileUrl,
  tileBounds,
  tileRanges,
  tileToLonLat,
  tileUrl,
  tilesOf,
  type LonLatBox,
} from '../../src/domain/tiles.ts';

const IGN_TEMPLATE =
  'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2' +
  '&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png';

describe('tile of a point', () => {
  it('finds the known tiles of Montpellier and Saint-Guilhem-le-Désert', () => {
    // Cross-checked with the OSM wiki's formula (Slippy map tilenames).
    expect(lonLatToTile(3.8767, 43.6108, 12)).toEqual({ z: 12, x: 2092, y: 1495 });
    expect(lonLatToTile(3.5494, 43.7339, 14)).toEqual({ z: 14, x: 8353, y: 5974 });
    expect(lonLatToTile(0, 0, 0)).toEqual({ z: 0, x: 0, y: 0 });
  });

  it('keeps the edges of the world inside the grid', () => {
    expect(lonLatToTile(-180, 90, 3)).toEqual({ z: 3, x: 0, y: 0 });
    expect(lonLatToTile(180, -90, 3)).toEqual({ z: 3, x: 7, y: 7 });
    expect(lonLatToTile(179.99, -85, 3)).toEqual({ z: 3, x: 7, y: 7 });
    // Leaflet gives longitudes past 180 when the world wraps: same tiles as their twin.
    expect(lonLatToTile(363.8767, 43.6108, 12)).toEqual(lonLatToTile(3.8767, 43.6108, 12));
  });

  it('goes back to the tile’s corner and holds the point it came from', () => {
    const tile = lonLatToTile(3.8767, 43.6108, 15);
    const [west, south, east, north] = tileBounds(tile);
    expect(west).toBeLessThanOrEqual(3.8767);
    expect(east).toBeGreaterThan(3.8767);
    expect(south).toBeLessThanOrEqual(43.6108);
    expect(north).toBeGreaterThan(43.6108);
    expect(tileToLonLat({ z: 1, x: 1, y: 1 })).toEqual({ lon: 0, lat: 0 });
  });
});

describe('tiles of an area', () => {
  // About 2 km × 1.5 km around Saint-Guilhem-le-Désert.
  const village: LonLatBox = [3.54, 43.727, 3.565, 43.741];

  it('counts without listing, and lists the same tiles in a stable order', () => {
    const zooms = { minZoom: 14, maxZoom: 15 };
    const listed = [...tilesOf(village, zooms)];
    expect(countTiles(village, zooms)).toBe(listed.length);
    // z14: columns 8353–8354, rows 5973–5974; z15: columns 16706–16708, rows 11947–11949.
    expect(listed.length).toBe(2 * 2 + 3 * 3);
    expect(listed.slice(0, 5)).toEqual([
      { z: 14, x: 8353, y: 5973 },
      { z: 14, x: 8354, y: 5973 },
      { z: 14, x: 8353, y: 5974 },
      { z: 14, x: 8354, y: 5974 },
      { z: 15, x: 16706, y: 11947 },
    ]);
    expect(listed.at(-1)).toEqual({ z: 15, x: 16708, y: 11949 });
    expect([...tilesOf(village, zooms)]).toEqual(listed);
    expect(new Set(listed.map(({ z, x, y }) => `${z}/${x}/${y}`)).size).toBe(listed.length);
  });

  it('roughly quadruples per zoom level', () => {
    const herault: LonLatBox = [2.53, 43.2, 4.2, 43.98];
    const perZoom = [10, 11, 12, 13].map((z) => countTiles(herault, { minZoom: z, maxZoom: z }));
    for (let index = 1; index < perZoom.length; index += 1) {
      expect(perZoom[index]! / perZoom[index - 1]!).toBeGreaterThan(3);
      expect(perZoom[index]! / perZoom[index - 1]!).toBeLessThan(5);
    }
    expect(countTiles(herault, { minZoom: 10, maxZoom: 13 })).toBe(perZoom.reduce((sum, count) => sum + count, 0));
  });

  it('splits an area across the antimeridian in two and counts both parts', () => {
    const fiji: LonLatBox = [177, -19, -179, -16];
    expect(tileRanges(fiji, 3)).toEqual([
      { z: 3, minX: 7, maxX: 7, minY: 4, maxY: 4 },
      { z: 3, minX: 0, maxX: 0, minY: 4, maxY: 4 },
    ]);
    expect(countTiles(fiji, { minZoom: 3, maxZoom: 3 })).toBe(2);
    expect([...tilesOf(fiji, { minZoom: 3, maxZoom: 3 })]).toEqual([
      { z: 3, x: 7, y: 4 },
      { z: 3, x: 0, y: 4 },
    ]);
  });

  it('counts the whole world once even when the view is wider than it', () => {
    expect(countTiles([-250, -85, 250, 85], { minZoom: 2, maxZoom: 2 })).toBe(16);
    expect(countTiles([-180, -90, 180, 90], { minZoom: 0, maxZoom: 3 })).toBe(1 + 4 + 16 + 64);
  });

  it('knows which tiles an area holds', () => {
    const zooms = { minZoom: 14, maxZoom: 15 };
    for (const tile of tilesOf(village, zooms)) expect(areaHoldsTile(village, zooms, tile)).toBe(true);
    expect(areaHoldsTile(village, zooms, { z: 16, x: 16706, y: 11948 })).toBe(false);
    expect(areaHoldsTile(village, zooms, { z: 14, x: 8352, y: 5974 })).toBe(false);
  });
});

describe('planning a download', () => {
  it('estimates bytes from the source’s typical tile', () => {
    expect(estimateBytes(1200, { averageTileBytes: 25_000 })).toBe(30_000_000);
  });

  it('refuses past the cap with a message telling what to do', () => {
    expect(areaTooLarge(MAX_TILES_PER_AREA)).toBeUndefined();
    const message = areaTooLarge(MAX_TILES_PER_AREA + 1);
    expect(message).toContain('30\u202f001 tuiles');
    expect(message).toMatch(/Zoomez/);
    // The Hérault from zoom 10 to 16 is far past it.
    expect(countTiles([2.53, 43.2, 4.2, 43.98], { minZoom: 10, maxZoom: 16 })).toBeGreaterThan(MAX_TILES_PER_AREA);
  });

  it('cuts the wanted zooms to the source’s', () => {
    expect(clampZooms({ minZoom: 12.6, maxZoom: 18 }, { minZoom: 0, maxZoom: 16 })).toEqual({ minZoom: 13, maxZoom: 16 });
    expect(clampZooms({ minZoom: 17, maxZoom: 15 }, { minZoom: 0, maxZoom: 16 })).toEqual({ minZoom: 16, maxZoom: 16 });
    expect(clampZooms({ minZoom: 2, maxZoom: 4 }, { minZoom: 5, maxZoom: 19 })).toEqual({ minZoom: 5, maxZoom: 5 });
  });
});

describe('tile URLs', () => {
  it('fills an XYZ and a WMTS template', () => {
    expect(tileUrl('https://tile.openstreetmap.org/{z}/{x}/{y}.png', { z: 12, x: 2092, y: 1495 })).toBe('https://tile.openstreetmap.org/12/2092/1495.png');
    expect(tileUrl(IGN_TEMPLATE, { z: 12, x: 2092, y: 1495 })).toContain('TILEMATRIX=12&TILEROW=1495&TILECOL=2092&');
  });

  it('recognises the tiles of a template and nothing else', () => {
    const osm = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
    expect(matchTileUrl('https://tile.openstreetmap.org/12/2092/1495.png', osm)).toEqual({ z: 12, x: 2092, y: 1495 });
    expect(matchTileUrl('https://tile.openstreetmap.org/12/2092/1495.png?x=1', osm)).toBeUndefined();
    expect(matchTileUrl('https://tile.openstreetmap.org/about', osm)).toBeUndefined();
    expect(matchTileUrl('https://evil.example/12/2092/1495.png', osm)).toBeUndefined();
    const ign = tileUrl(IGN_TEMPLATE, { z: 15, x: 16707, y: 11949 });
    expect(matchTileUrl(ign, IGN_TEMPLATE)).toEqual({ z: 15, x: 16707, y: 11949 });
    expect(matchTileUrl(ign.replace('PLANIGNV2', 'ORTHOIMAGERY'), IGN_TEMPLATE)).toBeUndefined();
  });

  it('reads subdomains, retina suffixes and TMS rows as Leaflet writes them', () => {
    expect(matchTileUrl('https://b.tiles.example/3/1/2@2x.png', 'https://{s}.tiles.example/{z}/{x}/{y}{r}.png')).toEqual({ z: 3, x: 1, y: 2 });
    expect(matchTileUrl('https://tms.example/3/1/5.png', 'https://tms.example/{z}/{x}/{-y}.png')).toEqual({ z: 3, x: 1, y: 2 });
  });
});
