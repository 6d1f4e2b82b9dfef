import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  distanceM,
  EARTH_RADIUS_M,
  EQUATOR_METRES_PER_PIXEL,
  MAX_MERCATOR_LAT,
  METRES_PER_DEGREE_LAT,
  metresToDegreesLat,
  metresToDegreesLon,
  WEB_MERCATOR_RADIUS_M,
} from '../../src/domain/geo.ts';

type Leaflet = typeof import('leaflet');
let L: Leaflet;
/** Constants Leaflet has but its types do not name. */
type Sphere = { R: number; MAX_LATITUDE?: number };

beforeAll(async () => {
  // Leaflet reads a few browser globals when it loads (its feature detection); its geometry needs none.
  const element = () => ({ style: {}, getContext: () => null });
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('devicePixelRatio', 1);
  vi.stubGlobal('screen', {});
  vi.stubGlobal('navigator', { userAgent: '', platform: '' });
  vi.stubGlobal('document', { documentElement: { style: {} }, createElement: element, createElementNS: element, addEventListener() {} });
  L = (await import('leaflet')).default;
  vi.unstubAllGlobals();
});

const PAIRS: [string, { lat: number; lon: number }, { lat: number; lon: number }][] = [
  ['Montpellier – Paris', { lat: 43.6108, lon: 3.8767 }, { lat: 48.8566, lon: 2.3522 }],
  ['30 m apart in Lozère', { lat: 44.5181, lon: 3.5009 }, { lat: 44.51837, lon: 3.5009 }],
  ['across the antimeridian', { lat: -17.5, lon: 179.9 }, { lat: -17.4, lon: -179.8 }],
  ['Brest – Strasbourg', { lat: 48.3904, lon: -4.4861 }, { lat: 48.5734, lon: 7.7521 }],
  ['the same point', { lat: 45, lon: 5 }, { lat: 45, lon: 5 }],
];

describe('the Earth as Leaflet measures it', () => {
  it('has the radii and the Mercator limit of L.CRS.Earth and L.Projection.SphericalMercator', () => {
    const earth: Sphere = L.CRS.Earth as unknown as Sphere;
    const mercator: Sphere = L.Projection.SphericalMercator as unknown as Sphere;
    expect(EARTH_RADIUS_M).toBe(earth.R);
    expect(WEB_MERCATOR_RADIUS_M).toBe(mercator.R);
    expect(MAX_MERCATOR_LAT).toBe(mercator.MAX_LATITUDE);
  });

  it.each(PAIRS)('measures %s as L.CRS.Earth.distance does', (_name, a, b) => {
    const leaflet = L.CRS.Earth.distance(L.latLng(a.lat, a.lon), L.latLng(b.lat, b.lon));
    expect(distanceM(a, b)).toBeCloseTo(leaflet, 3);
    expect(distanceM(b, a)).toBeCloseTo(leaflet, 3);
  });

  it('turns metres into degrees on the same sphere as distanceM', () => {
    expect(METRES_PER_DEGREE_LAT).toBeCloseTo(111_194.93, 2);
    const from = { lat: 43.6, lon: 3.9 };
    expect(distanceM(from, { lat: from.lat + metresToDegreesLat(2000), lon: from.lon })).toBeCloseTo(2000, 6);
    // A parallel is not a great circle: over 2 km the two differ by millimetres.
    expect(distanceM(from, { lat: from.lat, lon: from.lon + metresToDegreesLon(2000, from.lat) })).toBeCloseTo(2000, 2);
  });

  it('has Web Mercator’s scale: one 256-pixel tile spans the equator at zoom 0', () => {
    const west = L.CRS.EPSG3857.latLngToPoint(L.latLng(0, -180), 0);
    const east = L.CRS.EPSG3857.latLngToPoint(L.latLng(0, 180), 0);
    expect(east.x - west.x).toBeCloseTo(256, 9);
    expect(EQUATOR_METRES_PER_PIXEL * 256).toBeCloseTo(40_075_016.686, 3);
  });
});
