/**
 * Polygons (in EPSG:3035 metres) onto a regular grid of sample points, by scanlines: each
 * edge drops its crossings into the rows of samples it spans, each row's crossings sorted
 * give the spans inside (even-odd rule, so holes and the pieces of a MultiPolygon need no
 * special case). The cost grows with edges plus samples inside, never with edges × samples,
 * which is what lets a département's tens of thousands of coverage polygons meet its
 * ~160,000 cells in seconds, where clipping each polygon against each cell would take hours.
 */

/**
 * Sample points at the centres of a grid of `columns` × `rows` squares of side `step` metres,
 * whose south-west corner is (`east`, `north`): sample (i, j) lies at
 * (east + (i + ½)·step, north + (j + ½)·step).
 */
export interface SampleGrid {
  east: number;
  north: number;
  step: number;
  columns: number;
  rows: number;
}

/** A ring as x0, y0, x1, y1, … (metres); it may repeat its first vertex at the end or not. */
export type FlatRing = Float64Array | readonly number[];

/**
 * Calls `span(row, first, end)` for each run of samples inside the rings (columns `first`
 * included … `end` excluded), rows and columns clipped to the grid. A sample exactly on an
 * edge is inside on the edge's west and south side only, so two polygons sharing an edge
 * never both hold it.
 */
export function fillRings(rings: readonly FlatRing[], grid: SampleGrid, span: (row: number, first: number, end: number) => void): void {
  const { east, north, step, columns, rows } = grid;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (let k = 1; k < ring.length; k += 2) {
      const y = ring[k]!;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  // Sample row j lies at north + (j + ½)·step: the rows whose y is in [minY, maxY).
  const firstRow = Math.max(0, Math.ceil((minY - north) / step - 0.5));
  const lastRow = Math.min(rows - 1, Math.ceil((maxY - north) / step - 0.5) - 1);
  if (lastRow < firstRow) return;
  const crossings: number[][] = Array.from({ length: lastRow - firstRow + 1 }, () => []);
  for (const ring of rings) {
    const n = ring.length >> 1;
    for (let a = 0; a < n; a += 1) {
      const b = a + 1 === n ? 0 : a + 1;
      const x0 = ring[2 * a]!;
      const y0 = ring[2 * a + 1]!;
      const x1 = ring[2 * b]!;
      const y1 = ring[2 * b + 1]!;
      if (y0 === y1) continue;
      const low = Math.min(y0, y1);
      const high = Math.max(y0, y1);
      const from = Math.max(firstRow, Math.ceil((low - north) / step - 0.5));
      const to = Math.min(lastRow, Math.ceil((high - north) / step - 0.5) - 1);
      const slope = (x1 - x0) / (y1 - y0);
      for (let j = from; j <= to; j += 1) {
        const y = north + (j + 0.5) * step;
        crossings[j - firstRow]!.push(x0 + (y - y0) * slope);
      }
    }
  }
  for (let j = firstRow; j <= lastRow; j += 1) {
    const xs = crossings[j - firstRow]!;
    if (xs.length < 2) continue;
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const first = Math.max(0, Math.ceil((xs[k]! - east) / step - 0.5));
      const end = Math.min(columns, Math.ceil((xs[k + 1]! - east) / step - 0.5));
      if (end > first) span(j, first, end);
    }
  }
}

/**
 * Paints `code` onto a raster (one byte per sample, row after row) where the rings cover it,
 * keeping the larger code where one is there already: overlapping polygons give a sample the
 * best level any of them declares.
 */
export function paintMax(raster: Uint8Array, grid: SampleGrid, rings: readonly FlatRing[], code: number): void {
  fillRings(rings, grid, (row, first, end) => {
    const base = row * grid.columns;
    for (let i = base + first; i < base + end; i += 1) if (raster[i]! < code) raster[i] = code;
  });
}

/**
 * The code covering most of each cell, cells being `samplesPerSide`² samples: a Uint8Array of
 * (columns / samplesPerSide) × (rows / samplesPerSide) cells, row after row. A tie goes to the
 * smaller code (the worse level: a cell half « bonne couverture », half nothing, is not
 * declared covered).
 */
export function majorityPerCell(raster: Uint8Array, grid: SampleGrid, samplesPerSide: number, codes: number): Uint8Array {
  const cellColumns = Math.floor(grid.columns / samplesPerSide);
  const cellRows = Math.floor(grid.rows / samplesPerSide);
  const result = new Uint8Array(cellColumns * cellRows);
  const counts = new Uint16Array(codes);
  for (let cy = 0; cy < cellRows; cy += 1) {
    for (let cx = 0; cx < cellColumns; cx += 1) {
      counts.fill(0);
      for (let sy = 0; sy < samplesPerSide; sy += 1) {
        const base = (cy * samplesPerSide + sy) * grid.columns + cx * samplesPerSide;
        for (let sx = 0; sx < samplesPerSide; sx += 1) counts[raster[base + sx]!]! += 1;
      }
      let best = 0;
      for (let c = 1; c < codes; c += 1) if (counts[c]! > counts[best]!) best = c;
      result[cy * cellColumns + cx] = best;
    }
  }
  return result;
}
