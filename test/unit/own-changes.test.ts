import { describe, expect, it } from 'vitest';
import { CELLS_STALE_SECONDS } from '../../src/domain/grid/cells-staleness.ts';
import { gridViewCacheMode, noteOwnChange } from '../../src/app/shell/own-changes.ts';

describe('how the page asks for a view of the grid', () => {
  it('lets the browser revalidate and the server answer a seconds-old view, except for as long as the server may after the page’s own change', () => {
    const at = Date.parse('2026-12-05T09:00:00Z');
    expect(gridViewCacheMode(at)).toBe('default');
    noteOwnChange(at);
    expect(gridViewCacheMode(at)).toBe('no-cache');
    expect(gridViewCacheMode(at + CELLS_STALE_SECONDS * 1000 - 1)).toBe('no-cache');
    expect(gridViewCacheMode(at + CELLS_STALE_SECONDS * 1000)).toBe('default');
  });
});
