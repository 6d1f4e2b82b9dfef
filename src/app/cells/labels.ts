import type { OperatorVerdict } from '../../domain/grid/cell-verdict.ts';
import { LEVEL_LABELS } from '../../domain/level.ts';

export function verdictLabel(verdict: OperatorVerdict): string {
  return verdict === 'insufficient' ? 'Mesures insuffisantes' : `${verdict} · ${LEVEL_LABELS[verdict]}`;
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
