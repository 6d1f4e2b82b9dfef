import * as v from 'valibot';

/** GET /api/v1/open-data/datapackage.json: what the page reads of the Data Package (src/server/grid/open-data.ts writes it). */
export const OpenDataPackageAnswerSchema = v.object({
  created: v.string(),
  licenses: v.array(v.object({ name: v.string(), title: v.string(), path: v.string() })),
  resources: v.array(v.object({ name: v.string(), path: v.string() })),
  /** Cells and rows (cell × operator) of grid.csv. */
  published: v.object({ cells: v.number(), rows: v.number() }),
  /** What is not published, and the rule: fewer than `minContributors` distinct contributors. */
  withholding: v.object({ minContributors: v.number(), cellsWithheld: v.number(), rowsWithheld: v.number() }),
});
export type OpenDataPackageAnswer = v.InferOutput<typeof OpenDataPackageAnswerSchema>;
