import * as v from 'valibot';
import { OPERATORS } from '../operators.ts';
import { PROBLEMS, REPORT_SETTINGS } from '../report.ts';
import { featureCollectionSchema, featureSchema, PointGeometrySchema, UploadAnswerSchema } from './common.ts';

/**
 * Each item of POST /api/v1/reports, judged alone: the report's own schema, kept in
 * src/domain/report.ts because the residents' page validates it too.
 */
export { ReportSchema as ReportUploadItemSchema } from '../report.ts';

/** POST /api/v1/reports: the same answer as readings' (whether a report was new is never said). */
export const ReportUploadAnswerSchema = UploadAnswerSchema;

/** PATCH /api/v1/reports/:id: hide (with a reason) or show again. */
export const ReportModerationSchema = v.object({
  hidden: v.boolean('« hidden » doit valoir true ou false'),
  reason: v.optional(v.string('« reason » doit être un texte')),
});

const PLACEMENTS = ['outline', 'centre', 'departement'] as const;

/** Everything a reviewer of the report's département sees of it (and an admin). */
export const FullReportPropertiesSchema = v.object({
  id: v.string(),
  reportedAt: v.string(),
  lat: v.number(),
  lon: v.number(),
  accuracyM: v.optional(v.number()),
  positionSource: v.string(),
  operator: v.picklist(OPERATORS),
  problem: v.picklist(PROBLEMS),
  setting: v.picklist(REPORT_SETTINGS),
  note: v.optional(v.string()),
  commune: v.nullable(v.string()),
  departement: v.nullable(v.string()),
  /** How the server placed it: by a commune's outline, at the nearest centre (approximate), or in its département only. */
  placement: v.nullable(v.picklist(PLACEMENTS)),
  receivedAt: v.string(),
  hidden: v.boolean(),
  hiddenReason: v.nullable(v.string()),
  repeats: v.number(),
});
export type FullReportProperties = v.InferOutput<typeof FullReportPropertiesSchema>;

/** What anyone else sees: the position snapped to a 200 m grid, the hour, no note. */
export const PublicReportPropertiesSchema = v.object({
  id: v.string(),
  reportedAt: v.string(),
  operator: v.picklist(OPERATORS),
  problem: v.picklist(PROBLEMS),
  setting: v.picklist(REPORT_SETTINGS),
  commune: v.nullable(v.string()),
  repeats: v.number(),
  precisionM: v.number(),
});
export type PublicReportProperties = v.InferOutput<typeof PublicReportPropertiesSchema>;

export const FullReportFeatureSchema = featureSchema(PointGeometrySchema, FullReportPropertiesSchema);
export type FullReportFeature = v.InferOutput<typeof FullReportFeatureSchema>;
export const PublicReportFeatureSchema = featureSchema(PointGeometrySchema, PublicReportPropertiesSchema);
export type PublicReportFeature = v.InferOutput<typeof PublicReportFeatureSchema>;

/** GET /api/v1/reports: each report as this caller may see it. Full first: a public report would pass as the other only if it had every full field. */
export const ReportsAnswerSchema = featureCollectionSchema(v.union([FullReportFeatureSchema, PublicReportFeatureSchema]));
export type ReportsAnswer = v.InferOutput<typeof ReportsAnswerSchema>;
