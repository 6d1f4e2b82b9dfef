import { describe, expect, it } from 'vitest';
import { cellTitle } from '../../src/app/cells/CellPanel.tsx';

const ID = 'CRS3035RES200mN2314000E3800600';

describe('a cell’s title on the reviewers’ screens (issue 15)', () => {
  it('names the commune first', () => {
    expect(cellTitle(ID, { name: 'Saint-Guilhem-le-Désert' }, { code: '34', name: 'Hérault' })).toBe(`Saint-Guilhem-le-Désert — maille 200 m n° ${ID}`);
  });

  it('names the département where the server has no commune data', () => {
    expect(cellTitle(ID, null, { code: '34', name: 'Hérault' })).toBe(`Hérault (34) — maille 200 m n° ${ID}`);
  });

  it('falls back on the cell alone at sea or abroad', () => {
    expect(cellTitle(ID, null, null)).toBe(`Maille 200 m n° ${ID}`);
  });
});
