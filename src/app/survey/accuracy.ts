import { ACCURACY_WARNING_M, MAX_ACCURACY_M } from '../../domain/reading.ts';

export type AccuracyGrade = 'good' | 'fair' | 'poor' | 'unusable';

/** Good enough to pin a 200 m grid cell; the agent's eye should tell the colour at a glance. */
const GOOD_ACCURACY_M = 20;

export function gradeAccuracy(accuracyM: number): AccuracyGrade {
  if (accuracyM <= GOOD_ACCURACY_M) return 'good';
  if (accuracyM <= ACCURACY_WARNING_M) return 'fair';
  if (accuracyM <= MAX_ACCURACY_M) return 'poor';
  return 'unusable';
}

export const ACCURACY_LABELS: Record<AccuracyGrade, string> = {
  good: 'précise',
  fair: 'correcte',
  poor: 'imprécise',
  unusable: 'inutilisable',
};
