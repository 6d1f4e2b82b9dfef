import type { DeclaredLevel } from '../../domain/grid/declared-level.ts';
import type { Operator } from '../../domain/operators.ts';
import type { RadioTechnology } from '../../domain/signal.ts';

/**
 * The operators' declared coverage (Arcep's « couverture théorique »), as
 * `npm run data -- import declared-coverage` loads it: per département × operator ×
 * technology, one edition (the file it came from) and the declared level of each of the
 * département's cells, at 200 m and 1 km (the majority of its 200 m cells, so that a
 * zoomed-out map reads 25 times fewer rows).
 */

/** One loaded file: what the dossier cites. */
export interface DeclaredEdition {
  departement: string;
  operator: Operator;
  technology: RadioTechnology;
  /** The file's name, as given to the command. */
  source: string;
  /** The edition's date (`YYYY-MM-DD`), from the file's `date` column or `--date`. */
  editionDate: string;
  /** ISO timestamp of the import. */
  importedAt: string;
  /** Polygons read from the file for this département. */
  polygons: number;
  /** 200 m cells of the département per declared level. */
  cells: Record<DeclaredLevel, number>;
}

/** A cell's declared level; `north`/`east` as in cell ids (EPSG:3035 south-west corner, metres). */
export interface DeclaredCell {
  resolutionM: DeclaredResolution;
  north: number;
  east: number;
  level: DeclaredLevel;
}

export const DECLARED_RESOLUTIONS_M = [200, 1000] as const;
export type DeclaredResolution = (typeof DECLARED_RESOLUTIONS_M)[number];

export interface DeclaredCellRow extends DeclaredCell {
  operator: Operator;
  technology: RadioTechnology;
  departement: string;
}

/** Rows whose south-west corner lies in the ranges (bounds included). */
export interface DeclaredQuery {
  resolutionM: DeclaredResolution;
  north: readonly [number, number];
  east: readonly [number, number];
  operators?: readonly Operator[];
  technologies?: readonly RadioTechnology[];
  departements?: readonly string[];
}

export interface DeclaredCoverageStore {
  /**
   * In one transaction: the edition and cells of the edition's département × operator ×
   * technology are replaced by these. Answers the edition it replaced, if any.
   */
  replaceDeclaredCoverage(edition: DeclaredEdition, cells: readonly DeclaredCell[]): Promise<DeclaredEdition | undefined>;
  /** The loaded editions (all, or those of these départements), by département, operator, technology. */
  declaredEditions(departements?: readonly string[]): Promise<DeclaredEdition[]>;
  declaredCells(query: DeclaredQuery): Promise<DeclaredCellRow[]>;
}
