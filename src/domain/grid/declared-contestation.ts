import { LEVEL_LABELS } from '../level.ts';
import { OPERATOR_LABELS, OPERATORS, type Operator } from '../operators.ts';
import type { OperatorVerdict } from './cell-verdict.ts';
import { discrepantOperators, type DeclaredLevel } from './declared-level.ts';

/**
 * What a zone's dossier says against each operator's own map: on how many of the zone's cells
 * the map declares good coverage, what the measurements found, on how many cells the two
 * disagree, and which edition of the map this is — the contestation a préfet's équipe projet
 * puts in front of the operator.
 */

/** A loaded map the dossier cites. */
export interface CitedEdition {
  technology: string;
  editionDate: string;
  source: string;
}

export interface DeclaredContestation {
  operator: Operator;
  label: string;
  editions: CitedEdition[];
  /** Zone cells whose map says TBC or BC, and TBC alone. */
  declaredGood: number;
  declaredVeryGood: number;
  cells: number;
  /** The zone's measured verdict for the operator (its cells' readings merged). */
  measured: OperatorVerdict;
  /** Cells whose map says TBC or BC and whose verdict is CL or PC. */
  discrepantCells: number;
  /** « carte de l’opérateur : bonne couverture sur N mailles ; mesures : … », with the edition. */
  sentence: string;
}

const MEASURED_LABELS: Record<OperatorVerdict, string> = {
  TBC: LEVEL_LABELS.TBC.toLowerCase(),
  BC: LEVEL_LABELS.BC.toLowerCase(),
  CL: LEVEL_LABELS.CL.toLowerCase(),
  PC: LEVEL_LABELS.PC.toLowerCase(),
  insufficient: 'preuves insuffisantes',
};

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

export function frenchDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * One entry per operator with a loaded map, in OPERATORS order. `declared[i]` and
 * `cellVerdicts[i]` are the zone's i-th cell's.
 */
export function declaredContestation(
  declared: readonly Partial<Record<Operator, DeclaredLevel>>[],
  cellVerdicts: readonly Partial<Record<Operator, OperatorVerdict>>[],
  measured: Partial<Record<Operator, OperatorVerdict>>,
  editions: Partial<Record<Operator, CitedEdition[]>>,
): DeclaredContestation[] {
  return OPERATORS.filter((operator) => (editions[operator]?.length ?? 0) > 0).map((operator) => {
    let declaredGood = 0;
    let declaredVeryGood = 0;
    let discrepantCells = 0;
    declared.forEach((levels, i) => {
      const level = levels[operator];
      if (level === 'TBC' || level === 'BC') declaredGood += 1;
      if (level === 'TBC') declaredVeryGood += 1;
      if (discrepantOperators({ [operator]: level }, cellVerdicts[i] ?? {}).length > 0) discrepantCells += 1;
    });
    const verdict = measured[operator] ?? 'insufficient';
    const cited = editions[operator]!;
    const editionText = cited.map((e) => `carte ${e.technology}, édition du ${frenchDate(e.editionDate)} (${e.source})`).join(' ; ');
    const sentence =
      `carte de l’opérateur : bonne couverture sur ${plural(declaredGood, 'maille')} sur ${declared.length}` +
      (declaredVeryGood > 0 ? ` (dont très bonne sur ${declaredVeryGood})` : '') +
      ` ; mesures : ${MEASURED_LABELS[verdict]} sur la zone, ${plural(discrepantCells, 'maille')} en écart avec la carte. ${editionText[0]!.toUpperCase()}${editionText.slice(1)}.`;
    return {
      operator,
      label: OPERATOR_LABELS[operator],
      editions: cited,
      declaredGood,
      declaredVeryGood,
      cells: declared.length,
      measured: verdict,
      discrepantCells,
      sentence,
    };
  });
}
