/**
 * The grid's tables are keyed (resolution_m, north, east, …): a query's north range is one
 * stretch of the key, but its east range is not, so a box read as `north BETWEEN … AND east
 * BETWEEN …` walks every row of those north lines across the whole stored area and keeps the
 * few in the box. A commune at 200 m in a département's data walked about seven rows for each
 * one kept. Read line by line instead (`north IN (lines)`), each line is one seek to its first
 * east and a walk of only the rows in the box.
 */

/** Beyond this many lines (a box taller than a département at 200 m), the range is read as one stretch. */
export const MAX_NORTH_LINES = 1_000;

/**
 * The north values of `area`'s rows, one per line of cells at its resolution, in order; or
 * undefined when there are more than {@link MAX_NORTH_LINES} (read the range as one stretch).
 */
export function northLines(area: { resolutionM: number; north: readonly [number, number] }): number[] | undefined {
  const step = area.resolutionM;
  const first = Math.ceil(area.north[0] / step) * step;
  const count = Math.floor((area.north[1] - first) / step) + 1;
  if (!(count <= MAX_NORTH_LINES)) return undefined;
  return Array.from({ length: Math.max(0, count) }, (_, i) => first + i * step);
}
