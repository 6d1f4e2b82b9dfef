import { describe, expect, it } from 'vitest';
import { needsText, plannedCells } from '../../src/app/map/sampling-plan-cells.ts';

describe('the sampling plan on the agent’s map', () => {
  it('groups the plan by cell, each cell at its best rank, in the plan’s order', () => {
    const entry = (rank: number, cellId: string, operator: 'orange' | 'sfr', needed: number | null) => ({
      rank,
      cellId,
      operator,
      readings: 0,
      coverage: null,
      needed,
      contributorsMissing: 0,
    });
    const plan = {
      campaignId: 'c',
      confidence: 0.95,
      coverageThreshold: 0.5,
      cap: 200,
      entries: [entry(1, 'A', 'orange', 1), entry(2, 'B', 'sfr', 4), entry(3, 'A', 'sfr', 12), entry(4, 'B', 'orange', null)],
    };
    const cells = plannedCells(plan);
    expect(cells.map((cell) => [cell.rank, cell.cellId])).toEqual([
      [1, 'A'],
      [2, 'B'],
    ]);
    expect(needsText(cells[0]!, 200)).toBe('Orange : 1 relevé, SFR : 12 relevés');
    expect(needsText(cells[1]!, 200)).toBe('SFR : 4 relevés, Orange : plus de 200 relevés');
  });
});
