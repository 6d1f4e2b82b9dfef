import { describe, expect, it } from 'vitest';
import { DEFAULT_VERDICT_OPTIONS, judgeCell, operatorVerdict, type CellZone, type OperatorVerdict, type VerdictOptions } from '../../src/domain/grid/index.ts';
import type { Level } from '../../src/domain/level.ts';
import { OPERATORS, type Operator } from '../../src/domain/operators.ts';
import { statsWithLevels } from './grid-fixtures.ts';

describe('default thresholds (docs/coverage-rules.md)', () => {
  it('are 3 readings from 1 contributor, 1 resident report to flag, all four operators, 95 % intervals, 50 % covering, 95 % calls', () => {
    expect(DEFAULT_VERDICT_OPTIONS).toEqual({
      minReadings: 3,
      minContributors: 1,
      minResidentReports: 1,
      operators: OPERATORS,
      confidence: 0.95,
      coverageThreshold: 0.5,
      callThreshold: 0.95,
    });
  });
});

/** The levels repeated `times` times: the same shares over more readings. */
const times = (count: number, levels: readonly Level[]): Level[] => Array.from({ length: count }, () => levels).flat();

describe('operatorVerdict', () => {
  // Issue 17 (interval rule): a verdict stands only once the 95 % Wilson interval of the share of
  // readings at BC or better lies wholly on one side of 50 %. Rows marked « interval rule » were
  // decided by the median alone before (three TBC → TBC; two TBC and one PC → TBC; half and
  // half → CL): with so few readings the share could as well be on the other side of 50 %, so
  // they are now insufficient, and the same shares over more readings keep their old level.
  const table: [string, Level[], string[], Partial<VerdictOptions>, OperatorVerdict][] = [
    ['no readings', [], [], {}, 'insufficient'],
    ['two readings: below the minimum', ['TBC', 'TBC'], ['a'], {}, 'insufficient'],
    ['three TBC: 44–100 % covering, across 50 % (interval rule)', ['TBC', 'TBC', 'TBC'], ['a'], {}, 'insufficient'],
    ['four TBC: 51–100 %', times(4, ['TBC']), ['a'], {}, 'TBC'],
    ['two TBC, one PC: 21–94 % (interval rule)', ['TBC', 'TBC', 'PC'], ['a'], {}, 'insufficient'],
    ['two TBC, one PC, twenty times: 54–77 %, the majority', times(20, ['TBC', 'TBC', 'PC']), ['a'], {}, 'TBC'],
    ['one TBC, two PC, twenty times: 23–46 %', times(20, ['TBC', 'PC', 'PC']), ['a'], {}, 'PC'],
    ['TBC BC CL, twenty times: the middle one', times(20, ['TBC', 'BC', 'CL']), ['a'], {}, 'BC'],
    ['TBC BC CL PC: half covering is never decided (interval rule; was CL)', times(20, ['TBC', 'BC', 'CL', 'PC']), ['a'], {}, 'insufficient'],
    ['BC BC CL CL: half is not most, nor is it « not most » (interval rule; was CL)', ['BC', 'BC', 'CL', 'CL'], ['a'], {}, 'insufficient'],
    ['BC BC BC CL, five times: 53–89 %', times(5, ['BC', 'BC', 'BC', 'CL']), ['a'], {}, 'BC'],
    ['TBC TBC BC BC: half TBC is not most', ['TBC', 'TBC', 'BC', 'BC'], ['a'], {}, 'BC'],
    ['order does not matter', times(20, ['PC', 'TBC', 'CL', 'TBC', 'BC']), ['a'], {}, 'BC'],
    ['one contributor when two are required', times(4, ['TBC']), ['a'], { minContributors: 2 }, 'insufficient'],
    ['two contributors when two are required', times(4, ['TBC']), ['a', 'b'], { minContributors: 2 }, 'TBC'],
    ['one reading when one suffices: 0–79 % (interval rule; was CL)', ['CL'], ['a'], { minReadings: 1 }, 'insufficient'],
    ['four readings when five are required', ['BC', 'BC', 'BC', 'BC'], ['a'], { minReadings: 5 }, 'insufficient'],
    ['three TBC at 80 % confidence: 65–100 %', ['TBC', 'TBC', 'TBC'], ['a'], { confidence: 0.8 }, 'TBC'],
    [
      'BC BC BC CL five times against a 70 % threshold: 53–89 % is across it',
      times(5, ['BC', 'BC', 'BC', 'CL']),
      ['a'],
      { coverageThreshold: 0.7 },
      'insufficient',
    ],
    ['CL four times against a 70 % threshold: 0–49 %', times(4, ['CL']), ['a'], { coverageThreshold: 0.7 }, 'CL'],
  ];
  it.each(table)('%s → %s', (_label, levels, contributors, options, expected) => {
    expect(operatorVerdict(statsWithLevels(levels, contributors), { ...DEFAULT_VERDICT_OPTIONS, ...options })).toBe(expected);
  });

  it('has no verdict without statistics', () => {
    expect(operatorVerdict(undefined)).toBe('insufficient');
  });
});

describe('judgeCell: the cell rule', () => {
  const V = (v: OperatorVerdict) => v; // for readability in the table
  /** Statistics that judge to the given verdict with the default thresholds: four alike (three are across 50 % at 95 %). */
  const evidenceFor = (verdict: OperatorVerdict) => (verdict === 'insufficient' ? undefined : statsWithLevels(times(4, [verdict])));

  // orange, sfr, bouygues, free → zone, covering, missing
  const table: [OperatorVerdict, OperatorVerdict, OperatorVerdict, OperatorVerdict, CellZone, Operator[], Operator[]][] = [
    ['PC', 'PC', 'PC', 'PC', 'zone-blanche', [], []],
    ['CL', 'CL', 'CL', 'CL', 'zone-blanche', [], []],
    ['CL', 'PC', 'CL', 'PC', 'zone-blanche', [], []],
    ['TBC', 'PC', 'PC', 'PC', 'zone-grise', ['orange'], []],
    ['CL', 'CL', 'BC', 'CL', 'zone-grise', ['bouygues'], []],
    ['PC', 'PC', 'PC', 'BC', 'zone-grise', ['free'], []],
    ['TBC', 'BC', 'PC', 'PC', 'covered', ['orange', 'sfr'], []],
    ['BC', 'CL', 'CL', 'BC', 'covered', ['orange', 'free'], []],
    ['TBC', 'TBC', 'TBC', 'TBC', 'covered', ['orange', 'sfr', 'bouygues', 'free'], []],
    // Two operators covering settle it, whatever the others would say.
    ['BC', 'BC', 'insufficient', 'insufficient', 'covered', ['orange', 'sfr'], ['bouygues', 'free']],
    ['insufficient', 'TBC', 'insufficient', 'BC', 'covered', ['sfr', 'free'], ['orange', 'bouygues']],
    // One covering and one unknown: could be grise or covered.
    ['BC', 'PC', 'PC', 'insufficient', 'insufficient', ['orange'], ['free']],
    // None covering and one unknown: could be blanche or grise.
    ['PC', 'PC', 'PC', 'insufficient', 'insufficient', [], ['free']],
    ['CL', 'insufficient', 'CL', 'CL', 'insufficient', [], ['sfr']],
    ['insufficient', 'insufficient', 'insufficient', 'insufficient', 'insufficient', [], ['orange', 'sfr', 'bouygues', 'free']],
  ];

  it.each(table)('%s %s %s %s → %s', (orange, sfr, bouygues, free, zone, covering, missing) => {
    const verdict = judgeCell({
      operators: { orange: evidenceFor(V(orange)), sfr: evidenceFor(sfr), bouygues: evidenceFor(bouygues), free: evidenceFor(free) },
      residentReports: 0,
    });
    expect(verdict).toEqual({ zone, operators: { orange, sfr, bouygues, free }, covering, missing, toSurvey: false });
  });

  it('residents’ reports flag an undecided cell to survey, and never make or change a verdict', () => {
    const none = { operators: {}, residentReports: 5 };
    expect(judgeCell(none)).toMatchObject({ zone: 'insufficient', toSurvey: true });
    expect(judgeCell({ operators: {}, residentReports: 0 })).toMatchObject({ zone: 'insufficient', toSurvey: false });
    const decided = { operators: { orange: evidenceFor('CL'), sfr: evidenceFor('CL'), bouygues: evidenceFor('PC'), free: evidenceFor('PC') } };
    expect(judgeCell({ ...decided, residentReports: 9 })).toMatchObject({ zone: 'zone-blanche', toSurvey: false });
    expect(judgeCell({ ...decided, residentReports: 0 })).toMatchObject({ zone: 'zone-blanche', toSurvey: false });
    expect(judgeCell({ operators: {}, residentReports: 2 }, { ...DEFAULT_VERDICT_OPTIONS, minResidentReports: 3 }).toSurvey).toBe(false);
    expect(judgeCell({ operators: {}, residentReports: 2 }, { ...DEFAULT_VERDICT_OPTIONS, minResidentReports: 0 }).toSurvey).toBe(false);
  });

  it('proves a zone blanche only for the operators asked for', () => {
    const evidence = { operators: { orange: evidenceFor('PC'), sfr: evidenceFor('CL') }, residentReports: 0 };
    expect(judgeCell(evidence).zone).toBe('insufficient');
    const twoOperators = { ...DEFAULT_VERDICT_OPTIONS, operators: ['orange', 'sfr'] as const };
    expect(judgeCell(evidence, twoOperators)).toMatchObject({ zone: 'zone-blanche', missing: [] });
    // Operators outside the list still get their own verdict, and do not count.
    const withFree = { ...evidence, operators: { ...evidence.operators, free: evidenceFor('TBC') } };
    expect(judgeCell(withFree, twoOperators)).toMatchObject({ zone: 'zone-blanche', covering: [], operators: { free: 'TBC' } });
  });

  it('applies the evidence thresholds before the rule', () => {
    // Four PC per operator (0–49 %): three (0–56 %) would be across 50 % since the interval rule.
    const thin = { operators: Object.fromEntries(OPERATORS.map((o) => [o, statsWithLevels(times(4, ['PC']), ['a'])])), residentReports: 0 };
    expect(judgeCell(thin).zone).toBe('zone-blanche');
    expect(judgeCell(thin, { ...DEFAULT_VERDICT_OPTIONS, minContributors: 2 })).toMatchObject({ zone: 'insufficient', missing: OPERATORS });
  });
});
