import type { Bbox } from '../geojson.ts';
import { cellNumber, MAX_CELL_INDEX } from './cell-id.ts';
import { bboxOf } from './cell-geometry.ts';
import type { CellZone } from './cell-verdict.ts';
import type { JudgedCell } from './judge-grid.ts';
import { cellsOutline, type MultiPolygonGeometry, type PolygonGeometry } from './outline.ts';

export interface ZoneSuggestionOptions {
  /** Which cells make a zone (default: zones blanches and grises together). */
  zones: readonly CellZone[];
  /** Smaller groups of cells are not suggested (default 1: every group is). */
  minCells: number;
}

export const DEFAULT_ZONE_SUGGESTION_OPTIONS: Readonly<ZoneSuggestionOptions> = Object.freeze({
  zones: ['zone-blanche', 'zone-grise'] as const,
  minCells: 1,
});

export interface SuggestedZone {
  /** Stable while the zone keeps its smallest cell: `zone-` + that cell's id. */
  id: string;
  /** Its cells' ids, sorted. */
  cells: string[];
  blanche: number;
  grise: number;
  /** Readings behind the verdicts of its cells (all operators), and distinct contributors. */
  readings: number;
  contributors: number;
  bbox: Bbox;
  /** The union of its cells. */
  outline: PolygonGeometry | MultiPolygonGeometry;
}

/**
 * Groups of blanche/grise cells connected through a shared side (4-neighbourhood: cells
 * touching only at a corner make two zones, so that every zone is one piece of land whose
 * outline is a single polygon), ranked by evidence: readings, then distinct contributors, then
 * number of cells, then id. All cells must be on the same grid.
 */
export function suggestZones(cells: readonly JudgedCell[], options: Readonly<ZoneSuggestionOptions> = DEFAULT_ZONE_SUGGESTION_OPTIONS): SuggestedZone[] {
  const byNumber = new Map<number, JudgedCell>();
  for (const cell of cells) if (options.zones.includes(cell.verdict.zone)) byNumber.set(cellNumber(cell.ref), cell);
  const seen = new Set<number>();
  const zones: SuggestedZone[] = [];
  for (const [first] of byNumber) {
    if (seen.has(first)) continue;
    const members: JudgedCell[] = [];
    const queue = [first];
    seen.add(first);
    while (queue.length > 0) {
      const n = queue.pop()!;
      members.push(byNumber.get(n)!);
      const column = n % MAX_CELL_INDEX;
      const neighbours = [n - MAX_CELL_INDEX, n + MAX_CELL_INDEX];
      if (column > 0) neighbours.push(n - 1);
      if (column < MAX_CELL_INDEX - 1) neighbours.push(n + 1);
      for (const m of neighbours) {
        if (!seen.has(m) && byNumber.has(m)) {
          seen.add(m);
          queue.push(m);
        }
      }
    }
    if (members.length >= options.minCells) zones.push(describeZone(members));
  }
  return zones.sort(
    (a, b) => b.readings - a.readings || b.contributors - a.contributors || b.cells.length - a.cells.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function describeZone(members: JudgedCell[]): SuggestedZone {
  const contributors = new Set<string>();
  let readings = 0;
  let blanche = 0;
  let grise = 0;
  for (const member of members) {
    if (member.verdict.zone === 'zone-blanche') blanche += 1;
    if (member.verdict.zone === 'zone-grise') grise += 1;
    for (const stats of Object.values(member.operators)) {
      readings += stats.readings;
      for (const contributor of stats.contributors) contributors.add(contributor);
    }
  }
  const ids = members.map((m) => m.cell).sort();
  const outline = cellsOutline(members.map((m) => m.ref));
  const rings = outline.type === 'Polygon' ? [outline.coordinates[0]!] : outline.coordinates.map((polygon) => polygon[0]!);
  return {
    id: `zone-${ids[0]}`,
    cells: ids,
    blanche,
    grise,
    readings,
    contributors: contributors.size,
    bbox: bboxOf(rings.flat()),
    outline,
  };
}

/** How the reviewer ranks suggestions: by evidence (the server's order) or by people affected. */
export const SUGGESTION_RANKINGS = {
  evidence: 'Les mieux documentées',
  people: 'Les plus peuplées',
  discrepancy: 'Les plus en écart avec les cartes des opérateurs',
} as const;
export type SuggestionRanking = keyof typeof SUGGESTION_RANKINGS;

/**
 * The suggestions in the reviewer's order, a new array: `evidence` keeps the server's (readings,
 * contributors, size); `people` puts the most inhabitants first (INSEE's grid, population.ts),
 * those of unknown population last; `discrepancy` puts first those with the most cells where an
 * operator's own map contradicts the measurements (declared-level.ts). Both keep the evidence
 * order between equals.
 */
export function rankSuggestions<S extends { people: { inhabitants: number } | null; discrepantCells?: number }>(
  suggestions: readonly S[],
  ranking: SuggestionRanking,
): S[] {
  if (ranking === 'evidence') return [...suggestions];
  if (ranking === 'discrepancy') return [...suggestions].sort((a, b) => (b.discrepantCells ?? 0) - (a.discrepantCells ?? 0));
  return [...suggestions].sort((a, b) => (b.people?.inhabitants ?? -1) - (a.people?.inhabitants ?? -1));
}
