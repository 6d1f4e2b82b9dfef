import * as v from 'valibot';
import { LEVELS } from '../level.ts';
import { OPERATORS } from '../operators.ts';
import { SETTINGS, SOURCES, VOICE_RESULTS } from '../reading.ts';
import { TECHNOLOGIES } from '../signal.ts';
import { featureCollectionSchema, featureSchema, PointGeometrySchema, UploadAnswerSchema } from './common.ts';

/**
 * Each item of POST /api/v1/readings, judged alone (a bad one is rejected, the others kept): the
 * reading's own schema, kept in src/domain/reading.ts because the phone validates it too. The
 * server builds it with its clock (`createReadingSchema({ now })`).
 */
export { ReadingSchema as ReadingUploadItemSchema } from '../reading-schema.ts';

/** POST /api/v1/readings: the body (each reading is checked alone, by reading.ts's schema). */
export const READINGS_BODY_SHAPE = '{"readings": [ … ]} avec 1 à 500 relevés';
export const MAX_READINGS_PER_REQUEST = 500;

/** A reading kept, but not quite as sent (its campaign link dropped). */
export const ReadingWarningSchema = v.object({ id: v.string(), index: v.number(), field: v.literal('campaignId'), message: v.string() });
export type ReadingWarning = v.InferOutput<typeof ReadingWarningSchema>;

/** POST /api/v1/readings: the upload answer, plus what only readings have. */
export const ReadingUploadAnswerSchema = v.object({
  ...UploadAnswerSchema.entries,
  /** Ids of the accepted readings that lie outside the sending agent's communes. */
  outsideCommunes: v.array(v.string()),
  /** Accepted or duplicate readings stored without the campaign they named (one the sender does not see). */
  warnings: v.array(ReadingWarningSchema),
});
export type ReadingUploadAnswer = v.InferOutput<typeof ReadingUploadAnswerSchema>;

/** What GET /api/v1/readings and /cells/:id/readings say of each reading: the reading, its level and where it was placed; never who sent it. */
export const ReadingPropertiesAnswerSchema = v.looseObject({
  id: v.string(),
  recordedAt: v.string(),
  lat: v.number(),
  lon: v.number(),
  accuracyM: v.number(),
  operator: v.picklist(OPERATORS),
  technology: v.picklist(TECHNOLOGIES),
  signalDbm: v.optional(v.number()),
  signalBars: v.optional(v.number()),
  setting: v.picklist(SETTINGS),
  voice: v.optional(v.picklist(VOICE_RESULTS)),
  source: v.picklist(SOURCES),
  /** The level the reading counts as, from its signal. */
  level: v.picklist(LEVELS),
  commune: v.nullable(v.string()),
  outsideCommunes: v.boolean(),
});

export const ReadingFeatureSchema = featureSchema(PointGeometrySchema, ReadingPropertiesAnswerSchema);
export const ReadingsAnswerSchema = featureCollectionSchema(ReadingFeatureSchema);
export type ReadingsAnswer = v.InferOutput<typeof ReadingsAnswerSchema>;

/** One cluster's properties (src/domain/reading-clusters.ts's ReadingClusterProperties). */
export const ReadingClusterPropertiesSchema = v.object({
  /** Its square at this zoom, e.g. « 11/4215/2987 ». */
  key: v.string(),
  count: v.number(),
  byLevel: v.object({ TBC: v.number(), BC: v.number(), CL: v.number(), PC: v.number() } satisfies Record<(typeof LEVELS)[number], v.NumberSchema<undefined>>),
});

/** GET /api/v1/readings below zoom 13: clusters of every matching reading, in one answer. */
export const ReadingClustersAnswerSchema = v.object({
  type: v.literal('FeatureCollection'),
  clustered: v.literal(true),
  features: v.array(featureSchema(PointGeometrySchema, ReadingClusterPropertiesSchema)),
});

/** Either answer of GET /api/v1/readings. */
export const ReadingsOrClustersAnswerSchema = v.union([ReadingClustersAnswerSchema, ReadingsAnswerSchema]);
