import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import laeaOnly from '../../scripts/proj4-laea.ts';
import { EPSG_3035 } from '../../src/domain/grid/laea.ts';

describe('the page’s proj4 (the grid’s projection only, scripts/proj4-laea.ts)', () => {
  const full = proj4('WGS84', EPSG_3035);
  const trimmed = laeaOnly('WGS84', EPSG_3035);

  // Mainland France and Corsica on a 0.37° lattice, its corners included.
  const points: [number, number][] = [];
  for (let lon = -5.2; lon <= 9.6; lon += 0.37) for (let lat = 41.3; lat <= 51.1; lat += 0.37) points.push([lon, lat]);

  it('gives the whole package’s coordinates to the last bit, both ways', () => {
    for (const point of points) {
      const metres = full.forward(point);
      expect(trimmed.forward(point)).toEqual(metres);
      expect(trimmed.inverse(metres)).toEqual(full.inverse(metres));
    }
    expect(points.length).toBeGreaterThan(1000);
  });

  it('knows no projection the grid does not use', () => {
    expect(() => laeaOnly('WGS84', '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +units=m')).toThrow();
  });
});
