import * as v from 'valibot';
import { CELL_ZONES } from '../grid/cell-verdict.ts';
import { LEVELS } from '../level.ts';
import { OPERATORS } from '../operators.ts';
import { VOICE_RESULTS } from '../reading.ts';
import { featureCollectionSchema, featureSchema, PolygonGeometrySchema } from './common.ts';

const levelCounts = v.object({ TBC: v.number(), BC: v.number(), CL: v.number(), PC: v.number() });

/** An operator's figures on a cell. Contributors are counted, never named. */
export const OperatorCellStatsSchema = v.object({
  verdict: v.picklist([...LEVELS, 'insufficient']),
  readings: v.number(),
  contributors: v.number(),
  /** 0…1 per level. */
  levelShares: levelCounts,
  medianLevel: v.nullable(v.picklist(LEVELS)),
  medianDbm: v.nullable(v.number()),
  /** 0…1, null when no call was tried. */
  callSuccessRate: v.nullable(v.number()),
  callTests: v.number(),
  calls: v.record(v.picklist(VOICE_RESULTS), v.number()),
  firstAt: v.nullable(v.string()),
  lastAt: v.nullable(v.string()),
});
export type OperatorCellStats = v.InferOutput<typeof OperatorCellStatsSchema>;

/**
 * One cell of GET /api/v1/cells. `cellId` is the contract's name for the INSPIRE id; `cell`
 * (the domain's GeoJSON writer's name, also in the open data) carries the same id.
 */
export const CellPropertiesSchema = v.object({
  cellId: v.string(),
  cell: v.string(),
  resolutionM: v.number(),
  zone: v.picklist(CELL_ZONES),
  toSurvey: v.boolean(),
  covering: v.array(v.picklist(OPERATORS)),
  missing: v.array(v.picklist(OPERATORS)),
  /** The commune the cell's centre lies in, null where none is known. */
  commune: v.nullable(v.object({ code: v.string(), name: v.string() })),
  residentReports: v.number(),
  readings: v.number(),
  contributors: v.number(),
  operators: v.record(v.picklist(OPERATORS), OperatorCellStatsSchema),
});
export type CellPropertiesAnswer = v.InferOutput<typeof CellPropertiesSchema>;

export const CellFeatureSchema = featureSchema(PolygonGeometrySchema, CellPropertiesSchema);
export type CellFeatureAnswer = v.InferOutput<typeof CellFeatureSchema>;

/** GET /api/v1/cells */
export const CellsAnswerSchema = featureCollectionSchema(CellFeatureSchema);
export type CellsAnswer = v.InferOutput<typeof CellsAnswerSchema>;
