import type { MultiPolygon, Polygon } from 'geojson';
import type { CellRef } from './cell-id.ts';
import { laeaToPosition, type LonLat } from './cell-geometry.ts';

/** RFC 7946 geometries (@types/geojson) whose positions are [lon, lat] pairs. */
export interface PolygonGeometry extends Polygon {
  coordinates: LonLat[][];
}
export interface MultiPolygonGeometry extends MultiPolygon {
  coordinates: LonLat[][][];
}

/**
 * The exact union of a set of cells of one grid, as RFC 7946 geometry: a Polygon when it is
 * one piece, else a MultiPolygon; exterior rings counter-clockwise, holes clockwise, first
 * position repeated last, no repeated or collinear vertices.
 *
 * Method: every side of a cell whose neighbour across it is not in the set is a boundary
 * edge, directed with the set on its left; chaining them gives the rings, already oriented
 * (exteriors counter-clockwise, holes clockwise). Where two cells of the set touch only at a
 * corner, the walk turns left, so that each ring stays simple and the two squares meet at a
 * point. Computed on integer grid coordinates (exact), projected to WGS84 at the end.
 */
export function cellsOutline(cells: readonly CellRef[]): PolygonGeometry | MultiPolygonGeometry {
  if (cells.length === 0) return { type: 'MultiPolygon', coordinates: [] };
  const resolution = cells[0]!.resolutionM;
  const filled = new Set<number>();
  for (const cell of cells) {
    if (cell.resolutionM !== resolution) throw new RangeError('cellsOutline: all cells must be on the same grid');
    filled.add(key(cell.east / resolution, cell.north / resolution));
  }
  const rings = traceRings(filled);
  const exteriors = rings.filter((ring) => signedArea(ring) > 0);
  const holes = rings.filter((ring) => signedArea(ring) < 0);
  const polygons: GridPoint[][][] = exteriors.map((ring) => [ring]);
  for (const hole of holes) {
    const inside = sampleInside(hole);
    let best = -1;
    let bestArea = Infinity;
    exteriors.forEach((ring, i) => {
      const area = signedArea(ring);
      if (area < bestArea && contains(ring, inside)) {
        best = i;
        bestArea = area;
      }
    });
    if (best >= 0) polygons[best]!.push(hole);
  }
  const toPositions = (ring: GridPoint[]) => {
    const positions = ring.map(([x, y]) => laeaToPosition(x * resolution, y * resolution));
    positions.push([positions[0]![0], positions[0]![1]]);
    return positions;
  };
  const coordinates = polygons.map((polygon) => polygon.map(toPositions));
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates };
}

type GridPoint = [x: number, y: number];

// Grid coordinates are below 2^23 (cell-id.ts); a vertex can be one more.
const SHIFT = 2 ** 24;
const key = (x: number, y: number) => y * SHIFT + x;

/** Directions, counter-clockwise: east, north, west, south. */
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

function traceRings(filled: Set<number>): GridPoint[][] {
  // Outgoing boundary edges per vertex, as a bit set of directions.
  const outgoing = new Map<number, number>();
  const addEdge = (x: number, y: number, direction: number) => {
    const k = key(x, y);
    outgoing.set(k, (outgoing.get(k) ?? 0) | (1 << direction));
  };
  for (const k of filled) {
    const x = k % SHIFT;
    const y = (k - x) / SHIFT;
    if (!filled.has(key(x, y - 1))) addEdge(x, y, 0); // south side, walked east
    if (!filled.has(key(x + 1, y))) addEdge(x + 1, y, 1); // east side, walked north
    if (!filled.has(key(x, y + 1))) addEdge(x + 1, y + 1, 2); // north side, walked west
    if (!filled.has(key(x - 1, y))) addEdge(x, y + 1, 3); // west side, walked south
  }
  // Each edge has one successor (left turn first, then straight on, then right), and each
  // edge is the successor of exactly one: the rings are the cycles of that permutation.
  const used = new Map<number, number>();
  const rings: GridPoint[][] = [];
  for (const [start, startBits] of outgoing) {
    for (let startDirection = 0; startDirection < 4; startDirection += 1) {
      if (!(startBits & (1 << startDirection)) || (used.get(start) ?? 0) & (1 << startDirection)) continue;
      const ring: GridPoint[] = [];
      let x = start % SHIFT;
      let y = (start - x) / SHIFT;
      let direction = startDirection;
      let previous = -1;
      for (;;) {
        const k = key(x, y);
        used.set(k, (used.get(k) ?? 0) | (1 << direction));
        if (direction !== previous) ring.push([x, y]);
        previous = direction;
        x += DX[direction]!;
        y += DY[direction]!;
        const bits = outgoing.get(key(x, y)) ?? 0;
        const next = [(direction + 1) % 4, direction, (direction + 3) % 4].find((d) => bits & (1 << d));
        if (next === undefined) throw new Error('cellsOutline: open boundary (cannot happen for a set of squares)');
        if (key(x, y) === start && next === startDirection) break;
        direction = next;
      }
      // The walk started in the middle of a straight run: its first vertex is not a corner.
      if (previous === startDirection) ring.shift();
      rings.push(...splitAtRepeatedVertices(ring));
    }
  }
  return rings;
}

/**
 * A ring that passes twice through a corner where two cells touch diagonally (a hole that
 * reaches the outside only through that corner) is cut there into simple rings: here an
 * exterior and a hole meeting at one point, which is how RFC 7946 / OGC want it. The
 * corner is a turn on both passes, so no collinear vertex appears at the cut.
 */
function splitAtRepeatedVertices(ring: GridPoint[]): GridPoint[][] {
  const loops: GridPoint[][] = [];
  const stack: GridPoint[] = [];
  const position = new Map<number, number>();
  for (const point of ring) {
    const k = key(point[0], point[1]);
    const at = position.get(k);
    if (at === undefined) {
      position.set(k, stack.length);
      stack.push(point);
      continue;
    }
    const loop = stack.splice(at + 1);
    for (const p of loop) position.delete(key(p[0], p[1]));
    loops.push([stack[at]!, ...loop]);
  }
  loops.push(stack);
  return loops;
}

/** Twice the signed area: positive for counter-clockwise rings. */
function signedArea(ring: GridPoint[]): number {
  let area = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    area += x1 * y2 - x2 * y1;
  }
  return area;
}

/** The centre of the cell on the left of the ring's first edge: inside the set, off every edge. */
function sampleInside(ring: GridPoint[]): [number, number] {
  const [x, y] = ring[0]!;
  const [nx, ny] = ring[1]!;
  const dx = Math.sign(nx - x);
  const dy = Math.sign(ny - y);
  return [x + 0.5 * (dx - dy), y + 0.5 * (dy + dx)];
}

/** Even-odd ray casting; the point is never on an edge (half-integer vs integer lines). */
function contains(ring: GridPoint[], [px, py]: [number, number]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
