import { describe, expect, it } from 'vitest';
import {
  cellsTileUrl,
  DEFAULT_FILTERS,
  formatBbox,
  formatCoverageHash,
  parseCoverageHash,
  resolutionForZoom,
  suggestionsUrl,
  type CoverageState,
} from '../../src/app/cells/coverage-filters.ts';

describe('« Couverture » state ↔ hash', () => {
  it('round-trips every filter and the view', () => {
    const state: CoverageState = {
      filters: { operators: ['orange', 'free'], technology: '4G', setting: 'indoor', from: '2026-01', to: '2026-05' },
      view: { zoom: 15, lat: 43.7339, lon: 3.5494 },
    };
    const hash = formatCoverageHash(state);
    expect(hash).toBe('#couverture?operator=orange,free&technology=4G&setting=indoor&from=2026-01&to=2026-05&view=15/43.73390/3.54940');
    expect(parseCoverageHash(hash)).toEqual(state);
  });

  it('writes nothing for the defaults, and reads no state from a bare route', () => {
    expect(formatCoverageHash({ filters: { ...DEFAULT_FILTERS } })).toBe('#couverture');
    expect(parseCoverageHash('#couverture')).toBeUndefined();
    expect(parseCoverageHash('')).toBeUndefined();
  });

  it('keeps operators in a canonical order, and all four means no filter', () => {
    expect(formatCoverageHash({ filters: { operators: ['free', 'orange'] } })).toBe('#couverture?operator=orange,free');
    expect(formatCoverageHash({ filters: { operators: [], setting: 'outdoor' } })).toBe('#couverture?setting=outdoor');
    expect(parseCoverageHash('#couverture?operator=free,bouygues,sfr,orange')?.filters.operators).toEqual([]);
  });

  it('drops what it does not know instead of failing: old or hand-edited links still open', () => {
    const state = parseCoverageHash('#couverture?operator=orange,sosh&technology=6G&setting=roof&from=2026-13&to=mai&view=abc');
    expect(state).toEqual({ filters: { operators: ['orange'] } });
  });

  it('swaps a period given backwards', () => {
    expect(parseCoverageHash('#couverture?from=2026-05&to=2025-11')?.filters).toMatchObject({ from: '2025-11', to: '2026-05' });
  });

  it('refuses an impossible view', () => {
    expect(parseCoverageHash('#couverture?view=15/95/3')?.view).toBeUndefined();
    expect(parseCoverageHash('#couverture?view=40/43/3')?.view).toBeUndefined();
  });
});

describe('cells requests', () => {
  const bounds = { west: 3.5, south: 43.7, east: 3.6, north: 43.75 };

  it('puts the tile, the grid and the filters in the query', () => {
    const tile = { resolutionM: 200, east: 3_760_000, north: 2_290_000 };
    expect(cellsTileUrl({ operators: ['sfr'], technology: '5G', setting: 'outdoor', from: '2026-02' }, tile)).toBe(
      '/api/v1/cells?tile=3760000,2290000&resolution=200&operator=sfr&technology=5G&setting=outdoor&from=2026-02&format=compact',
    );
    expect(suggestionsUrl({ operators: [], setting: 'vehicle' }, bounds)).toBe(
      '/api/v1/zones/suggestions?bbox=3.50000,43.70000,3.60000,43.75000&setting=vehicle',
    );
    // « Toutes » (no setting chosen, the default): every setting, vehicle readings of imports and tracks included.
    expect(cellsTileUrl({ operators: [] }, { ...tile, resolutionM: 1000, east: 3_750_000, north: 2_250_000 })).toBe(
      '/api/v1/cells?tile=3750000,2250000&resolution=1000&setting=outdoor,indoor,vehicle&format=compact',
    );
  });

  it('clamps a bbox that wraps past the antimeridian or the poles', () => {
    expect(formatBbox({ west: -200, south: -95, east: 190, north: 91 })).toBe('-180.00000,-90.00000,180.00000,90.00000');
  });

  it('draws the 200 m grid close up, nested coarser grids further out, none far out', () => {
    expect(resolutionForZoom(16)).toBe(200);
    expect(resolutionForZoom(13)).toBe(200);
    expect(resolutionForZoom(12)).toBe(1000);
    expect(resolutionForZoom(10)).toBe(2000);
    expect(resolutionForZoom(9)).toBe(5000);
    expect(resolutionForZoom(7)).toBe(10_000);
    expect(resolutionForZoom(6)).toBeUndefined();
    for (let zoom = 7; zoom <= 19; zoom++) expect(resolutionForZoom(zoom)! % 200).toBe(0);
  });
});
