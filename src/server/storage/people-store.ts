import type { People } from '../../domain/population.ts';

/**
 * Reference data about who lives and what lies in the grid's cells, loaded by
 * `npm run data -- import population|poi` (src/server/data-import/): INSEE's 200 m population
 * grid and points of interest.
 */

/** South-west corners (EPSG:3035 metres) of the 200 m cells to read: both ends included. */
export interface BaseCellBox {
  north: [number, number];
  east: [number, number];
}

/** One 200 m cell of INSEE's grid, by its south-west corner. */
export interface CellPopulationRow extends People {
  north: number;
  east: number;
}

export interface StoredPointOfInterest {
  name: string;
  kind: string;
  lat: number;
  lon: number;
  /** The 200 m cell's south-west corner. */
  north: number;
  east: number;
}

export interface PeopleStore {
  /**
   * Stores the file's cells in one transaction: a cell already known takes the new figures and
   * edition, the others stay. Answers how many cells were already known.
   */
  importPopulation(rows: readonly CellPopulationRow[]): Promise<{ replaced: number }>;
  /** The 200 m cells with a population whose corners lie in the box. */
  populationIn(box: BaseCellBox): Promise<CellPopulationRow[]>;
  /**
   * Replaces every point of interest loaded from `source` (the file's name) by `points`, in one
   * transaction. Answers how many were replaced.
   */
  importPointsOfInterest(source: string, points: readonly StoredPointOfInterest[]): Promise<{ replaced: number }>;
  /** Points of interest whose 200 m cell's corner lies in the box, by name. */
  pointsOfInterestIn(box: BaseCellBox): Promise<StoredPointOfInterest[]>;
}
