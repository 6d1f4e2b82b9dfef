import type { CellZone } from '../../domain/grid/cell-verdict.ts';

/** One colour per cell verdict, shared by the reviewers' « Couverture » map and the agent's « Mes mailles ». */
export const ZONE_COLOURS: Record<CellZone, string> = {
  'zone-blanche': '#c62828',
  'zone-grise': '#f29900',
  covered: '#1a7f37',
  insufficient: '#9e9e9e',
};

/** Labels of the legend (the domain's labels, with the verdict a reviewer reads on a map). */
export const ZONE_LEGEND: Record<CellZone, string> = {
  'zone-blanche': 'Zone blanche (aucun opérateur en bonne couverture)',
  'zone-grise': 'Zone grise (un seul opérateur)',
  covered: 'Couverte (deux opérateurs ou plus)',
  insufficient: 'Mesures insuffisantes',
};
