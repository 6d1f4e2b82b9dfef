import type { CompactCellAnswer, CompactOperatorStats } from '../api/cells.ts';
import type { Operator } from '../operators.ts';
import { DEFAULT_VERDICT_OPTIONS, type OperatorVerdict, type VerdictOptions } from './cell-verdict.ts';
import { callSuccessRate, callTests, levelShares, medianDbm, medianLevel, type GroupStats } from './group-stats.ts';
import type { JudgedCell } from './judge-grid.ts';
import { operatorFigures } from './operator-figures.ts';

/**
 * What the compact answer says of a judged cell by itself, in its key order: the cell's own
 * figures without the caller's additions (place, people, declared coverage), and its operators'
 * compact figures. The same values as compact-cells.ts's `compactCells` of the cell's GeoJSON properties
 * (cell-geojson.ts), made without what the compact answer leaves out (the square, the instants,
 * the figures it does not send): a département's cold build made each of them for ~11,000
 * cells to throw them away.
 */
export function compactJudgedCell(
  judged: JudgedCell,
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
): {
  cell: Pick<CompactCellAnswer, 'cellId' | 'zone' | 'toSurvey' | 'covering' | 'missing' | 'residentReports' | 'readings' | 'contributors'>;
  operators: CompactCellAnswer['operators'];
} {
  const operators: CompactCellAnswer['operators'] = {};
  let readings = 0;
  const lists: (readonly string[])[] = [];
  // Object.entries' order: the order judge-grid.ts filled them in, which cellFeature follows.
  for (const [operator, stats] of Object.entries(judged.operators) as [Operator, GroupStats][]) {
    operators[operator] = compactOperatorStats(stats, judged.verdict.operators[operator], options);
    readings += stats.readings;
    lists.push(stats.contributors);
  }
  // One operator's contributors are distinct already: a set only to count several operators'.
  const count = lists.length === 1 ? lists[0]!.length : new Set(lists.flat()).size;
  return {
    cell: {
      cellId: judged.cell,
      ...cellVerdictFields(judged),
      readings,
      contributors: count,
    },
    operators,
  };
}

/** What both answers (compact and GeoJSON) say of a cell's verdict, in their key order. */
export function cellVerdictFields(judged: JudgedCell): Pick<CompactCellAnswer, 'zone' | 'toSurvey' | 'covering' | 'missing' | 'residentReports'> {
  const { zone, toSurvey, covering, missing } = judged.verdict;
  return { zone, toSurvey, covering, missing, residentReports: judged.residentReports };
}

/** An operator's compact figures on a cell, in the compact answer's key order; cell-geojson.ts's operatorProperties adds the rest. */
export function compactOperatorStats(
  stats: GroupStats,
  verdict: OperatorVerdict,
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
): CompactOperatorStats {
  return {
    verdict,
    readings: stats.readings,
    contributors: stats.contributors.length,
    levelShares: levelShares(stats),
    medianLevel: medianLevel(stats),
    medianDbm: medianDbm(stats),
    callSuccessRate: callSuccessRate(stats),
    callTests: callTests(stats),
    calls: { ...stats.calls },
    figures: operatorFigures(stats, options),
  };
}
