import * as v from 'valibot';
import { CELL_ZONES } from '../grid/cell-verdict.ts';
import { DECLARED_LEVELS } from '../grid/declared-level.ts';
import { LEVELS } from '../level.ts';
import { OPERATORS } from '../operators.ts';
import { PROTOCOLS } from '../protocol.ts';
import { VOICE_RESULTS } from '../reading.ts';
import { everyKeySchema, featureCollectionSchema, featureSchema, PolygonGeometrySchema } from './common.ts';

const levelCounts = v.object({ TBC: v.number(), BC: v.number(), CL: v.number(), PC: v.number() });

/** A proportion with its Wilson interval (src/domain/grid/wilson.ts), all in 0…1. */
export const ProportionSchema = v.object({ successes: v.number(), trials: v.number(), rate: v.number(), low: v.number(), high: v.number() });
const sideSchema = v.picklist(['above', 'below', 'straddles']);

/** Conforming tests of one protocol (src/domain/grid/operator-figures.ts). */
export const ProtocolFiguresSchema = v.object({
  protocol: v.picklist(PROTOCOLS),
  calls: v.nullable(ProportionSchema),
  callSide: v.nullable(sideSchema),
  partialCalls: v.number(),
  sms: v.nullable(ProportionSchema),
  upload: v.nullable(ProportionSchema),
  page: v.nullable(ProportionSchema),
  downloadAbove8: v.nullable(ProportionSchema),
  download: v.object({ '<3': v.number(), '3-8': v.number(), '8-30': v.number(), '>30': v.number() }),
  offline: v.number(),
});
export type ProtocolFiguresAnswer = v.InferOutput<typeof ProtocolFiguresSchema>;

/** The statistics behind an operator's verdict: shares with their intervals, tests per protocol. */
export const OperatorFiguresSchema = v.object({
  coverage: v.nullable(ProportionSchema),
  coverageSide: v.nullable(sideSchema),
  noCoverage: v.nullable(ProportionSchema),
  protocols: v.array(ProtocolFiguresSchema),
});
export type OperatorFiguresAnswer = v.InferOutput<typeof OperatorFiguresSchema>;

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
  calls: everyKeySchema(VOICE_RESULTS, v.number()),
  firstAt: v.nullable(v.string()),
  lastAt: v.nullable(v.string()),
  figures: OperatorFiguresSchema,
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
  /** The département the cell's centre lies in (the shipped outlines), null at sea or abroad: names a cell where no commune data is loaded. */
  departement: v.nullable(v.object({ code: v.string(), name: v.string() })),
  residentReports: v.number(),
  readings: v.number(),
  contributors: v.number(),
  operators: v.record(v.picklist(OPERATORS), OperatorCellStatsSchema),
  /**
   * Each operator's declared level on its own map (Arcep's « couverture théorique »), for the
   * technology filter in force, else the best any of its technologies declares; operators
   * without a loaded map are absent (docs/api.md).
   */
  declared: v.record(v.picklist(OPERATORS), v.picklist(DECLARED_LEVELS)),
  /** Operators whose map says TBC or BC where their measured verdict is CL or PC. */
  discrepancy: v.array(v.picklist(OPERATORS)),
  /** INSEE's 200 m grid (population.ts), summed at coarser resolutions; null where no edition covers the cell. */
  inhabitants: v.nullable(v.number()),
  households: v.nullable(v.number()),
});
export type CellPropertiesAnswer = v.InferOutput<typeof CellPropertiesSchema>;

export const CellFeatureSchema = featureSchema(PolygonGeometrySchema, CellPropertiesSchema);
export type CellFeatureAnswer = v.InferOutput<typeof CellFeatureSchema>;

/** GET /api/v1/cells */
export const CellsAnswerSchema = featureCollectionSchema(CellFeatureSchema);
export type CellsAnswer = v.InferOutput<typeof CellsAnswerSchema>;

/**
 * An operator's figures in the compact answer: those of the GeoJSON one but the first and last
 * reading's instants, which no map screen shows and which were more than half of a
 * département's compressed bytes (random milliseconds do not compress).
 */
export const CompactOperatorStatsSchema = v.omit(OperatorCellStatsSchema, ['firstAt', 'lastAt']);
export type CompactOperatorStats = v.InferOutput<typeof CompactOperatorStatsSchema>;

/**
 * One cell of GET /api/v1/cells?format=compact: its properties without `cell` and `resolutionM`
 * (the answer's `cellId` and `resolutionM` say them), its operators' figures as
 * {@link CompactOperatorStatsSchema}, and without its square, which the page draws again from
 * the id (src/domain/grid/compact-cells.ts).
 */
export const CompactCellSchema = v.object({
  ...v.omit(CellPropertiesSchema, ['cell', 'resolutionM', 'operators']).entries,
  operators: v.record(v.picklist(OPERATORS), CompactOperatorStatsSchema),
});
export type CompactCellAnswer = v.InferOutput<typeof CompactCellSchema>;

/** GET /api/v1/cells?format=compact: the same cells as the GeoJSON answer, in the same order, without their squares. */
export const CompactCellsAnswerSchema = v.object({
  format: v.literal('compact'),
  resolutionM: v.number(),
  cells: v.array(CompactCellSchema),
});
export type CompactCellsAnswer = v.InferOutput<typeof CompactCellsAnswerSchema>;

/** GET /api/v1/cells answers either, by its `format` parameter (the contract check takes both). */
export const CellsAnyAnswerSchema = v.union([CellsAnswerSchema, CompactCellsAnswerSchema]);
