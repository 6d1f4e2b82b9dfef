import { CELL_ZONE_LABELS, type OperatorVerdict } from '../../domain/grid/cell-verdict.ts';
import { LEVEL_LABELS, LEVELS } from '../../domain/level.ts';

/**
 * An operator's verdict on a cell, wherever it shows (the cell panel, the dossier): the badge's
 * short text and its name, in one table, in the order of the levels then « insuffisant »; the
 * insufficient badge is the legend's grey and says the legend's « Mesures insuffisantes ».
 */
/** The reviewers' layer of the cells where an operator's own map contradicts the measurements (properties.discrepancy). */
export const DISCREPANCY_LAYER_LABEL = 'Écarts avec les cartes des opérateurs';
/** Its outline on the map: violet, unlike any verdict colour. */
export const DISCREPANCY_COLOUR = '#6a1b9a';

export const VERDICTS: readonly OperatorVerdict[] = [...LEVELS, 'insufficient'];
export const VERDICT_LABELS: Record<OperatorVerdict, { short: string; name: string }> = {
  TBC: { short: 'TBC', name: LEVEL_LABELS.TBC },
  BC: { short: 'BC', name: LEVEL_LABELS.BC },
  CL: { short: 'CL', name: LEVEL_LABELS.CL },
  PC: { short: 'PC', name: LEVEL_LABELS.PC },
  insufficient: { short: 'insuffisant', name: CELL_ZONE_LABELS.insufficient },
};

export function verdictLabel(verdict: OperatorVerdict): string {
  const { short, name } = VERDICT_LABELS[verdict];
  return verdict === 'insufficient' ? name : `${short} · ${name}`;
}

/** 0.456 → « 46 % » (French spacing). */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' });
export function formatDate(at: string | number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}
