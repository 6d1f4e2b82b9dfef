import { describe, expect, it } from 'vitest';
import { rankSuggestions } from '../../src/domain/grid/zone-suggestion.ts';

describe('ranking suggestions', () => {
  const suggestions = [
    { id: 'most-evidence', people: { inhabitants: 12 } },
    { id: 'unknown', people: null },
    { id: 'most-people', people: { inhabitants: 1240 } },
    { id: 'also-12', people: { inhabitants: 12 } },
  ];

  it('keeps the server’s evidence order, or puts the most inhabitants first, unknown last, ties in evidence order', () => {
    expect(rankSuggestions(suggestions, 'evidence').map((s) => s.id)).toEqual(['most-evidence', 'unknown', 'most-people', 'also-12']);
    expect(rankSuggestions(suggestions, 'people').map((s) => s.id)).toEqual(['most-people', 'most-evidence', 'also-12', 'unknown']);
    expect(suggestions[0]!.id).toBe('most-evidence');
  });
});
