import type { ServerConfig } from '../config.ts';
import type { Store } from '../storage/store.ts';
import { declaredCoverageImporter } from './declared-coverage.ts';
import { poiImporter } from './poi.ts';
import { populationImporter } from './population.ts';

/**
 * One kind of reference data that `npm run data -- import KIND FILE [options]` loads into the
 * store (declared coverage, population, points of interest…). Each kind lives in its own file
 * of this folder and is listed in {@link IMPORTERS}.
 */
export interface DataImporter {
  /** The line `npm run data` prints for this kind in its usage, in French, without the command itself. */
  usage: string;
  /**
   * Reads `args` (the file, then the kind's options), checks everything before writing, and loads
   * it in one transaction: bad input throws a French `Error` naming what was found, and nothing
   * is half-imported. Answers the lines to print (what was loaded, which edition it replaced).
   */
  run(args: readonly string[], store: Store, config: ServerConfig): Promise<string[]>;
}

/** The kinds `npm run data -- import` knows, by the name typed after `import`. */
export const IMPORTERS: Readonly<Record<string, DataImporter>> = {
  'declared-coverage': declaredCoverageImporter,
  population: populationImporter,
  poi: poiImporter,
};
