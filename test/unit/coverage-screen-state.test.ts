import { describe, expect, it } from 'vitest';
import type { Zone } from '../../src/domain/zone.ts';
import type { CellFeature, Suggestion } from '../../src/app/cells/api-types.ts';
import { coverageReducer, initialCoverageScreenState } from '../../src/app/cells/coverage-screen-state.ts';

const start = () => initialCoverageScreenState({ operators: [] });

describe('« Couverture » state', () => {
  it('unticks one operator out of all, and ticking it back means all again', () => {
    const without = coverageReducer(start(), { type: 'toggle-operator', operator: 'sfr', on: false });
    expect(without.filters.operators).toEqual(['orange', 'bouygues', 'free']);
    expect(coverageReducer(without, { type: 'toggle-operator', operator: 'sfr', on: true }).filters.operators).toEqual([]);
  });

  it('drops an emptied filter, so the link leaves it out', () => {
    const set = coverageReducer(start(), { type: 'filter', patch: { technology: '4G' } });
    expect(set.filters).toEqual({ operators: [], technology: '4G' });
    expect(coverageReducer(set, { type: 'filter', patch: { technology: undefined } }).filters).toEqual({ operators: [] });
  });

  it('selects a clicked 200 m cell only in « La sélectionne » mode', () => {
    const cell = {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: { cellId: 'CRS3035RES200mN2299600E3726000' },
    } as unknown as CellFeature;
    expect(coverageReducer(start(), { type: 'cell-clicked', feature: cell }).selection.size).toBe(0);
    const selecting = coverageReducer(start(), { type: 'mode-chosen', mode: 'select' });
    const clicked = coverageReducer(selecting, { type: 'cell-clicked', feature: cell });
    expect(clicked.active).toBe(cell);
    expect([...clicked.selection]).toEqual(['CRS3035RES200mN2299600E3726000']);
  });

  it('on a zone created: its cells leave the suggestions and the selection, the form closes', () => {
    const suggestion = (cells: string[]) => ({ cells }) as unknown as Suggestion;
    let state = coverageReducer(start(), { type: 'suggestions-loaded', list: [suggestion(['a', 'b']), suggestion(['c'])] });
    state = coverageReducer(state, { type: 'form-opened' });
    state = coverageReducer(state, { type: 'cell-toggled', id: 'a' });
    const zone = { id: 'z1', cells: ['a'] } as unknown as Zone;
    state = coverageReducer(state, { type: 'zone-created', zone });
    expect(state.suggestions.list).toEqual([suggestion(['c'])]);
    expect(state.selection.size).toBe(0);
    expect(state).toMatchObject({ creating: false, created: zone, zones: [zone] });
  });

  it('advice to zoom in clears the suggestions and any error', () => {
    let state = coverageReducer(start(), { type: 'suggestions-asked' });
    state = coverageReducer(state, { type: 'suggestions-failed', message: 'Erreur' });
    expect(state.suggestions).toMatchObject({ loading: false, error: 'Erreur' });
    state = coverageReducer(state, { type: 'suggestions-advised', hint: 'Zoomez' });
    expect(state.suggestions).toEqual({ list: undefined, loading: false, error: undefined, hint: 'Zoomez' });
  });
});
