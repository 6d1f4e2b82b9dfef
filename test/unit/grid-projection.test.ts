import { describe, expect, it } from 'vitest';
import {
  cellAt,
  cellAtLaea,
  cellCentre,
  cellIdAt,
  cellRing,
  coarserCell,
  formatCellId,
  fromLaea,
  parseCellId,
  toLaea,
  type CellRef,
} from '../../src/domain/grid/index.ts';
import { MONTPELLIER_CELL } from './grid-fixtures.ts';

/**
 * Ellipsoidal Lambert Azimuthal Equal Area (EPSG method 9820), written from the formulas of
 * IOGP Guidance Note 7-2 §3.2.4, with EPSG:3035's parameters: an implementation independent of
 * proj4, to check it on points for which no published coordinates are at hand.
 */
function laeaByTheBook(lonDeg: number, latDeg: number): [number, number] {
  const a = 6378137;
  const f = 1 / 298.257222101; // GRS80
  const e2 = 2 * f - f * f;
  const e = Math.sqrt(e2);
  const rad = Math.PI / 180;
  const q = (phi: number) => {
    const s = Math.sin(phi);
    return (1 - e2) * (s / (1 - e2 * s * s) - (1 / (2 * e)) * Math.log((1 - e * s) / (1 + e * s)));
  };
  const lat0 = 52 * rad;
  const lon0 = 10 * rad;
  const qP = q(Math.PI / 2);
  const beta0 = Math.asin(q(lat0) / qP);
  const beta = Math.asin(q(latDeg * rad) / qP);
  const Rq = a * Math.sqrt(qP / 2);
  const D = (a * Math.cos(lat0)) / Math.sqrt(1 - e2 * Math.sin(lat0) ** 2) / (Rq * Math.cos(beta0));
  const dLon = lonDeg * rad - lon0;
  const B = Rq * Math.sqrt(2 / (1 + Math.sin(beta0) * Math.sin(beta) + Math.cos(beta0) * Math.cos(beta) * Math.cos(dLon)));
  return [
    4321000 + B * D * Math.cos(beta) * Math.sin(dLon),
    3210000 + (B / D) * (Math.cos(beta0) * Math.sin(beta) - Math.sin(beta0) * Math.cos(beta) * Math.cos(dLon)),
  ];
}

/** Distance in metres between two WGS84 points (equirectangular: fine at these scales). */
function metresBetween([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const x = (lon2 - lon1) * rad * Math.cos(((lat1 + lat2) / 2) * rad);
  const y = (lat2 - lat1) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

describe('EPSG:3035 projection (proj4)', () => {
  it('puts the natural origin, 52°N 10°E, at the false easting and northing', () => {
    const [east, north] = toLaea(10, 52);
    expect(east).toBeCloseTo(4_321_000, 6);
    expect(north).toBeCloseTo(3_210_000, 6);
    expect(cellIdAt(10, 52)).toBe('CRS3035RES200mN3210000E4321000');
  });

  it('matches the worked example of IOGP Guidance Note 7-2 (50°N 5°E → E 3 962 799.45, N 2 999 718.85)', () => {
    const [east, north] = toLaea(5, 50);
    expect(Math.abs(east - 3_962_799.45)).toBeLessThan(0.01);
    expect(Math.abs(north - 2_999_718.85)).toBeLessThan(0.01);
    const [lon, lat] = fromLaea(3_962_799.45, 2_999_718.85);
    expect(lon).toBeCloseTo(5, 7);
    expect(lat).toBeCloseTo(50, 7);
    // The formulas written out in this file agree with the same example.
    const [e2, n2] = laeaByTheBook(5, 50);
    expect(Math.abs(e2 - 3_962_799.45)).toBeLessThan(0.01);
    expect(Math.abs(n2 - 2_999_718.85)).toBeLessThan(0.01);
  });

  // Montpellier (Place de la Comédie), Paris (Hôtel de Ville), Ajaccio, Bonifacio, Strasbourg, Brest.
  it.each([
    ['Montpellier', 3.8797, 43.6085],
    ['Paris', 2.3522, 48.8566],
    ['Ajaccio', 8.7369, 41.9192],
    ['Bonifacio', 9.1591, 41.3875],
    ['Strasbourg', 7.7521, 48.5734],
    ['Brest', -4.4861, 48.3904],
  ])('%s: proj4 agrees with the Guidance Note formulas to the millimetre, and comes back', (_name, lon, lat) => {
    const [east, north] = toLaea(lon, lat);
    const [e2, n2] = laeaByTheBook(lon, lat);
    expect(Math.abs(east - e2)).toBeLessThan(0.001);
    expect(Math.abs(north - n2)).toBeLessThan(0.001);
    const [lonBack, latBack] = fromLaea(east, north);
    expect(lonBack).toBeCloseTo(lon, 8); // 1e-8° ≈ 1 mm: the inverse latitude is a series
    expect(latBack).toBeCloseTo(lat, 8);
  });
});

describe('cell ids', () => {
  it('Paris: the INSEE 200 m cell published for commune 75119 (Paris 19e) lies in the 19e arrondissement', () => {
    // A row of INSEE's Filosofi 200 m grid: idcar_200m CRS3035RES200mN2893400E3763200,
    // idcar_1km CRS3035RES1000mN2893000E3763000, depcom 75119.
    const cell = parseCellId('CRS3035RES200mN2893400E3763200')!;
    const [lon, lat] = cellCentre(cell);
    // The 19e arrondissement spans about 2.364–2.411°E, 48.871–48.902°N.
    expect(lon).toBeGreaterThan(2.364);
    expect(lon).toBeLessThan(2.411);
    expect(lat).toBeGreaterThan(48.871);
    expect(lat).toBeLessThan(48.902);
    expect(cellIdAt(lon, lat)).toBe('CRS3035RES200mN2893400E3763200');
    expect(cellIdAt(lon, lat, 1000)).toBe('CRS3035RES1000mN2893000E3763000');
    expect(formatCellId(coarserCell(cell, 1000))).toBe('CRS3035RES1000mN2893000E3763000');
  });

  it('Corsica: the southernmost cell of INSEE’s metropolitan 200 m file is at Capo Pertusato, the tip of Corsica', () => {
    // carreaux_200m_met.csv, sorted by northing, begins with CRS3035RES200mN2029800E4252400
    // (the id DOMAIN.md quotes is its neighbour, E4252000). Capo Pertusato: 41.366°N, 9.183°E.
    for (const id of ['CRS3035RES200mN2029800E4252400', 'CRS3035RES200mN2029800E4252000']) {
      const centre = cellCentre(parseCellId(id)!);
      expect(metresBetween(centre, [9.183, 41.366])).toBeLessThan(1000);
      expect(cellIdAt(...centre)).toBe(id);
    }
  });

  it('Montpellier: Place de la Comédie falls in the cell this project uses as its example', () => {
    expect(cellIdAt(3.8797, 43.6085)).toBe(MONTPELLIER_CELL);
    const [east, north] = laeaByTheBook(3.8797, 43.6085);
    expect(formatCellId(cellAtLaea(east, north))).toBe(MONTPELLIER_CELL);
  });

  it('names N then E, lower-left corner, metres, at any resolution', () => {
    const [east, north] = toLaea(5, 50); // 3 962 799.45, 2 999 718.85
    expect(cellIdAt(5, 50)).toBe('CRS3035RES200mN2999600E3962600');
    expect(cellIdAt(5, 50, 1000)).toBe('CRS3035RES1000mN2999000E3962000');
    expect(cellIdAt(5, 50, 10_000)).toBe('CRS3035RES10000mN2990000E3960000');
    expect(cellAtLaea(east, north, 100)).toEqual({ resolutionM: 100, north: 2_999_700, east: 3_962_700 });
  });

  it('parses what it formats, and a cell’s centre back to the cell', () => {
    for (const id of [MONTPELLIER_CELL, 'CRS3035RES1000mN2893000E3763000', 'CRS3035RES200mN0E0', 'CRS3035RES10000mN2990000E3960000']) {
      const cell = parseCellId(id)!;
      expect(cell).toBeDefined();
      expect(formatCellId(cell)).toBe(id);
    }
    const cell = parseCellId(MONTPELLIER_CELL)!;
    expect(cellAt(...cellCentre(cell))).toEqual(cell);
  });

  it.each([
    '',
    'CRS3035RES200mN2029800E4252001', // corner not on the 200 m grid
    'CRS3035RES200mN2029900E4252000', // idem, northing
    'CRS3035RES200mN02029800E4252000', // leading zero
    'CRS3035RES0200mN2029800E4252000',
    'CRS3035RES0mN0E0',
    'CRS3035RES200kmN2029800E4252000',
    'CRS4326RES200mN2029800E4252000',
    'crs3035res200mn2029800e4252000',
    'CRS3035RES200mE4252000N2029800',
    'CRS3035RES200mN2029800E4252000 ',
    'CRS3035RES200mN-200E4252000',
    'CRS3035RES200mN2029800.5E4252000',
    'CRS3035RES200mN2029800',
    'CRS3035RES2000000mN0E0', // coarser than the grid allows
    'CRS3035RES1mN99999999E0', // beyond any index the grid uses
  ])('refuses %j', (id) => {
    expect(parseCellId(id)).toBeUndefined();
  });

  it('refuses what is not a string without throwing', () => {
    for (const value of [undefined, null, 42, {}, ['CRS3035RES200mN0E0']]) expect(parseCellId(value as unknown as string)).toBeUndefined();
  });

  it('has no cell for positions outside EPSG:3035’s area (overseas) or not numbers', () => {
    expect(cellAt(55.45, -20.88)).toBeUndefined(); // Saint-Denis, La Réunion
    expect(cellAt(-61.53, 16.24)).toBeUndefined(); // Pointe-à-Pitre
    expect(cellAt(Number.NaN, 43.6)).toBeUndefined();
    expect(cellAt(3.9, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('refuses resolutions that are not whole metres, and coarsening to a grid that does not nest', () => {
    expect(() => cellAtLaea(0, 0, 0)).toThrow(RangeError);
    expect(() => cellAtLaea(0, 0, 12.5)).toThrow(RangeError);
    const cell = parseCellId(MONTPELLIER_CELL)!;
    expect(() => coarserCell(cell, 500)).toThrow(/multiple/);
    expect(coarserCell(cell, 200)).toEqual(cell);
  });
});

describe('cell borders', () => {
  const e = 3_826_200; // a border between two columns of 200 m cells
  const n = 2_297_800; // a border between two rows

  it('a point exactly on a border belongs to the cell north / east of it', () => {
    expect(cellAtLaea(e, n + 100)).toEqual({ resolutionM: 200, east: e, north: n });
    expect(cellAtLaea(e + 100, n)).toEqual({ resolutionM: 200, east: e, north: n });
    expect(cellAtLaea(e, n)).toEqual({ resolutionM: 200, east: e, north: n });
    expect(cellAtLaea(e - 1e-6, n + 100)).toEqual({ resolutionM: 200, east: e - 200, north: n });
    expect(cellAtLaea(e + 100, n - 1e-6)).toEqual({ resolutionM: 200, east: e, north: n - 200 });
  });

  it('positions a centimetre either side of a border fall in the two cells', () => {
    const west = fromLaea(e - 0.01, n + 100);
    const east = fromLaea(e + 0.01, n + 100);
    expect(cellIdAt(...west)).toBe(`CRS3035RES200mN${n}E${e - 200}`);
    expect(cellIdAt(...east)).toBe(`CRS3035RES200mN${n}E${e}`);
    const south = fromLaea(e + 100, n - 0.01);
    const north = fromLaea(e + 100, n + 0.01);
    expect(cellIdAt(...south)).toBe(`CRS3035RES200mN${n - 200}E${e}`);
    expect(cellIdAt(...north)).toBe(`CRS3035RES200mN${n}E${e}`);
  });
});

describe('cell geometry', () => {
  const cell: CellRef = parseCellId(MONTPELLIER_CELL)!;

  it('is a closed counter-clockwise ring of the four corners, SW first', () => {
    const ring = cellRing(cell);
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    let twiceArea = 0;
    for (let i = 0; i < 4; i += 1) twiceArea += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(twiceArea).toBeGreaterThan(0);
    const [sw, se, ne, nw] = ring;
    const corner = (x: number, y: number) => fromLaea(cell.east + x, cell.north + y);
    for (const [position, expected] of [
      [sw, corner(0, 0)],
      [se, corner(200, 0)],
      [ne, corner(200, 200)],
      [nw, corner(0, 200)],
    ] as const) {
      expect(position![0]).toBeCloseTo(expected[0], 7);
      expect(position![1]).toBeCloseTo(expected[1], 7);
    }
    // About 200 m a side.
    expect(metresBetween(sw!, se!)).toBeGreaterThan(199);
    expect(metresBetween(sw!, se!)).toBeLessThan(201);
    expect(metresBetween(sw!, nw!)).toBeGreaterThan(199);
    expect(metresBetween(sw!, nw!)).toBeLessThan(201);
  });

  it('shares its corners exactly with its neighbours, so cells tile without gaps', () => {
    const east = cellRing({ ...cell, east: cell.east + 200 });
    const north = cellRing({ ...cell, north: cell.north + 200 });
    const ring = cellRing(cell);
    expect(east[0]).toEqual(ring[1]);
    expect(east[3]).toEqual(ring[2]);
    expect(north[0]).toEqual(ring[3]);
    expect(north[1]).toEqual(ring[2]);
  });

  it('has its centre inside, 100 m from the west and south sides', () => {
    const centre = cellCentre(cell);
    expect(toLaea(...centre)[0]).toBeCloseTo(cell.east + 100, 1);
    expect(toLaea(...centre)[1]).toBeCloseTo(cell.north + 100, 1);
  });
});
