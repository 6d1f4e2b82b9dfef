import type { PlaceMethod } from '../communes/communes.ts';

/**
 * Commune reference data kept in the database (so that every app process on one PostgreSQL
 * places points alike), and placing again what was placed with older data.
 */

export type CommuneShapeKind = 'outline' | 'centre';

/** One outline or centre as loaded by `npm run communes -- import`. */
export interface CommuneShape {
  kind: CommuneShapeKind;
  /** The INSEE code the file gave. */
  code: string;
  /** The current commune it belongs to (the same code, or the commune a merged one is now part of). */
  commune: string;
  name: string;
  departement: string;
  /** GeoJSON geometry text: Polygon or MultiPolygon for an outline, Point for a centre. */
  geometry: string;
}

/** One import, as `npm run communes -- status` lists them. */
export interface CommuneLoad {
  /** Grows with every import: readings and reports placed with an older one are placed again. */
  seq: number;
  kind: CommuneShapeKind;
  source: string;
  departements: string[];
  count: number;
  loadedAt: string;
}

/** Where a stored reading or report lies now, as the placement rules see it. */
export interface StoredPlace {
  lat: number;
  lon: number;
  commune: string | null;
  departement: string | null;
  placement: PlaceMethod | null;
  /** The account that sent the reading (null for reports and readings of before accounts). */
  accountId: string | null;
  outsideCommunes: boolean;
}

export type NewPlace = Pick<StoredPlace, 'commune' | 'departement' | 'placement' | 'outsideCommunes'>;

export interface ReplaceCounts {
  /** Readings and reports whose commune, département, placement or flag changed. */
  readings: number;
  reports: number;
}

export interface PlaceStore {
  /**
   * In one transaction: the outlines (or centres) of `departements` are replaced by `shapes`,
   * and the import is recorded. Answers the import's seq, the new reference generation.
   */
  replaceCommuneShapes(load: Omit<CommuneLoad, 'seq'>, shapes: readonly CommuneShape[]): Promise<number>;
  /** Every loaded shape (the server's locator is built from them at start). */
  communeShapes(): Promise<CommuneShape[]>;
  /** The outline pieces (kind 'outline') of a current commune, in load order. */
  communeOutlinePieces(commune: string): Promise<Pick<CommuneShape, 'name' | 'geometry'>[]>;
  /** Every import, oldest first. */
  communeLoads(): Promise<CommuneLoad[]>;
  /** The seq of the latest import, 0 when none: what readings and reports are placed with. */
  referenceGeneration(): Promise<number>;
  /**
   * Places again every reading and report placed with an older generation than `generation`:
   * `decide` answers its new place, or null to keep it. Rows whose département changes have
   * their grid cells rebuilt. Batches of rows, each in its own transaction.
   */
  placeAgain(generation: number, decide: (stored: StoredPlace) => NewPlace | null): Promise<ReplaceCounts>;
}
