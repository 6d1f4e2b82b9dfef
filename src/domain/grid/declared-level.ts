import { OPERATORS, type Operator } from '../operators.ts';

/**
 * The coverage an operator declares on its own maps (Arcep's « couverture théorique »), as
 * this app keeps it per 200 m cell: TBC, BC, CL as Arcep's voice/SMS levels, `none` where the
 * map declares no coverage (a « pas de couverture » polygon, or no polygon at all).
 */
export const DECLARED_LEVELS = ['TBC', 'BC', 'CL', 'none'] as const;
export type DeclaredLevel = (typeof DECLARED_LEVELS)[number];

export const DECLARED_LEVEL_LABELS: Record<DeclaredLevel, string> = {
  TBC: 'très bonne couverture',
  BC: 'bonne couverture',
  CL: 'couverture limitée',
  none: 'pas de couverture',
};

/** Best first, as the rasterizer's codes count up: none 0, CL 1, BC 2, TBC 3. */
const RANK: Record<DeclaredLevel, number> = { none: 0, CL: 1, BC: 2, TBC: 3 };
export const DECLARED_LEVEL_BY_CODE: readonly DeclaredLevel[] = ['none', 'CL', 'BC', 'TBC'];

export function declaredLevelCode(level: DeclaredLevel): number {
  return RANK[level];
}

/** The better of two declared levels (what an operator claims at best). */
export function betterDeclared(a: DeclaredLevel, b: DeclaredLevel): DeclaredLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The one table of the `niveau` spellings Arcep's editions have used, compared without case,
 * accents, underscores or repeated spaces: « Très bonne couverture », « TBC »,
 * « tres_bonne_couverture » are one level.
 */
const NIVEAU_SPELLINGS: Readonly<Record<string, DeclaredLevel>> = {
  'tres bonne couverture': 'TBC',
  tbc: 'TBC',
  'bonne couverture': 'BC',
  bc: 'BC',
  'couverture limitee': 'CL',
  cl: 'CL',
  'pas de couverture': 'none',
  pc: 'none',
  'aucune couverture': 'none',
};

export function normalizeNiveau(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The level a `niveau` value stands for, undefined when the table does not know it. */
export function declaredLevelOfNiveau(value: string): DeclaredLevel | undefined {
  return NIVEAU_SPELLINGS[normalizeNiveau(value)];
}

/** The spellings the table knows, for error messages. */
export const KNOWN_NIVEAU_SPELLINGS = ['très bonne couverture (TBC)', 'bonne couverture (BC)', 'couverture limitée (CL)', 'pas de couverture (PC)'];

/**
 * Where the operator's map and the measurements disagree: the map says TBC or BC while the
 * measured verdict for that operator is CL or PC (a verdict, so with enough evidence; an
 * `insufficient` verdict is no contradiction). Answers those operators, in OPERATORS order.
 */
export function discrepantOperators(declared: Partial<Record<Operator, DeclaredLevel>>, measured: Partial<Record<Operator, string>>): Operator[] {
  return OPERATORS.filter((operator) => {
    const claim = declared[operator];
    const verdict = measured[operator];
    return (claim === 'TBC' || claim === 'BC') && (verdict === 'CL' || verdict === 'PC');
  });
}
