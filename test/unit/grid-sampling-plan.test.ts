import { describe, expect, it } from 'vitest';
import { DEFAULT_VERDICT_OPTIONS, judgeCell } from '../../src/domain/grid/cell-verdict.ts';
import type { JudgedCell } from '../../src/domain/grid/judge-grid.ts';
import { samplingPlan } from '../../src/domain/grid/sampling-plan.ts';
import type { Level } from '../../src/domain/level.ts';
import { statsWithLevels } from './grid-fixtures.ts';

const cell = (id: string, levels: Partial<Record<'orange' | 'sfr', Level[]>>, contributors = ['a'], options = DEFAULT_VERDICT_OPTIONS): JudgedCell => {
  const operators = Object.fromEntries(Object.entries(levels).map(([operator, list]) => [operator, statsWithLevels(list, contributors)]));
  const evidence = { operators, residentReports: 0 };
  return { cell: id, ref: { resolutionM: 200, north: 0, east: 0 }, ...evidence, verdict: judgeCell(evidence, options) };
};

describe('samplingPlan', () => {
  it('lists only undecided operators, with the readings that would decide each, fewest first', () => {
    const plan = samplingPlan(
      [cell('B', { orange: ['BC', 'BC', 'CL', 'CL'], sfr: ['PC', 'PC', 'PC', 'PC'] }), cell('A', { orange: ['TBC', 'TBC', 'TBC'] })],
      ['orange', 'sfr'],
    );
    expect(plan.map(({ rank, cellId, operator, readings, needed }) => [rank, cellId, operator, readings, needed])).toEqual([
      [1, 'A', 'orange', 3, 1], // 3/3: 44–100 %, one more alike makes 51–100 %
      [2, 'A', 'sfr', 0, 4], // nothing yet: four alike
      [3, 'B', 'orange', 4, null], // half and half: never, « plus de 200 »
    ]);
  });

  it('asks at least what minReadings still asks, and names missing contributors without counting them', () => {
    const options = { ...DEFAULT_VERDICT_OPTIONS, minReadings: 6, minContributors: 2 };
    const [entry] = samplingPlan([cell('A', { orange: ['TBC', 'TBC', 'TBC', 'TBC'] }, ['a'], options)], ['orange'], options);
    // 4/4 already clears 50 %, but six readings from two people are asked.
    expect(entry).toMatchObject({ needed: 2, contributorsMissing: 1 });
  });
});
