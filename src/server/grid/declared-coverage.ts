import { betterDeclared, DECLARED_LEVEL_BY_CODE, declaredLevelCode, discrepantOperators, type DeclaredLevel } from '../../domain/grid/declared-level.ts';
import type { CellRef } from '../../domain/grid/cell-id.ts';
import type { GridFilter } from '../../domain/grid/judge-grid.ts';
import type { Operator } from '../../domain/operators.ts';
import type { RadioTechnology } from '../../domain/signal.ts';
import type { DeclaredCoverageStore, DeclaredResolution } from '../storage/declared-coverage-store.ts';

/**
 * The operators' declared coverage beside the measured verdicts (GET /api/v1/cells, zones'
 * dossiers). Per cell and operator, one level: that of the technology the filter asks, or,
 * without a technology filter (or with several), the best level any of the asked
 * technologies' maps declares — what the operator claims there at best, which is what a
 * contestation has to answer. Cells of 200 m and 1 km read the stored levels; coarser cells
 * take the level most of their 1 km cells have (a tie going to the worse level), per
 * operator × technology, before the best is taken.
 */

export type DeclaredByOperator = Partial<Record<Operator, DeclaredLevel>>;

const RADIO: readonly RadioTechnology[] = ['2G', '3G', '4G', '5G'];

function storedResolution(resolutionM: number): DeclaredResolution | undefined {
  if (resolutionM === 200) return 200;
  return resolutionM % 1000 === 0 ? 1000 : undefined;
}

/** Each cell's declared levels, in the order given (all cells of one resolution). */
export async function declaredInCells(store: DeclaredCoverageStore, cells: readonly CellRef[], filter: GridFilter): Promise<DeclaredByOperator[]> {
  if (cells.length === 0) return [];
  const resolutionM = cells[0]!.resolutionM;
  const stored = storedResolution(resolutionM);
  if (stored === undefined) return cells.map(() => ({}));
  const norths = cells.map((c) => c.north);
  const easts = cells.map((c) => c.east);
  const tail = resolutionM - stored;
  const technologies = filter.technologies?.filter((t): t is RadioTechnology => (RADIO as readonly string[]).includes(t));
  const rows = await store.declaredCells({
    resolutionM: stored,
    north: [Math.min(...norths), Math.max(...norths) + tail],
    east: [Math.min(...easts), Math.max(...easts) + tail],
    ...(filter.operators && { operators: filter.operators }),
    ...(technologies && { technologies }),
  });
  // Per coarse cell × operator × technology: how many stored cells declare each level.
  const key = (north: number, east: number) => `${Math.floor(north / resolutionM) * resolutionM},${Math.floor(east / resolutionM) * resolutionM}`;
  const tallies = new Map<string, Map<string, number[]>>();
  for (const row of rows) {
    const cell = key(row.north, row.east);
    let perMap = tallies.get(cell);
    if (!perMap) tallies.set(cell, (perMap = new Map()));
    const map = `${row.operator}|${row.technology}`;
    let counts = perMap.get(map);
    if (!counts) perMap.set(map, (counts = [0, 0, 0, 0]));
    counts[declaredLevelCode(row.level)]! += 1;
  }
  return cells.map((cell) => {
    const declared: DeclaredByOperator = {};
    for (const [map, counts] of tallies.get(key(cell.north, cell.east)) ?? []) {
      const operator = map.split('|')[0] as Operator;
      let best = 0;
      for (let code = 1; code < counts.length; code += 1) if (counts[code]! > counts[best]!) best = code;
      const level = DECLARED_LEVEL_BY_CODE[best]!;
      const before = declared[operator];
      declared[operator] = before ? betterDeclared(before, level) : level;
    }
    return declared;
  });
}

/** `declared` and `discrepancy` of a cell as GET /api/v1/cells answers them. */
export function declaredProperties(
  declared: DeclaredByOperator | undefined,
  operators: Partial<Record<Operator, { verdict: string }>>,
): { declared: DeclaredByOperator; discrepancy: Operator[] } {
  const levels = declared ?? {};
  const verdicts: Partial<Record<Operator, string>> = {};
  for (const [operator, stats] of Object.entries(operators) as [Operator, { verdict: string }][]) verdicts[operator] = stats.verdict;
  return { declared: levels, discrepancy: discrepantOperators(levels, verdicts) };
}
