import * as v from 'valibot';
import { ACCURACY_RULES, type CampaignProgress, type CampaignView } from '../campaign.ts';
import { CampaignDraftSchema, CampaignPatchSchema } from '../campaign-schema.ts';
import { OPERATORS } from '../operators.ts';
import { PROTOCOLS } from '../protocol.ts';
import { TECHNOLOGIES } from '../signal.ts';
import { ProportionSchema } from './cells.ts';
import { everyKeySchema } from './common.ts';

/** POST /api/v1/campaigns and PATCH /api/v1/campaigns/:id (campaign.ts holds their checks). */
export { CampaignDraftSchema, CampaignPatchSchema };

export const CampaignAgentSchema = v.object({ id: v.string(), name: v.string(), email: v.string() });
export type CampaignAgentAnswer = v.InferOutput<typeof CampaignAgentSchema>;

/** GET /api/v1/campaigns/:id (and each of the list): a campaign with its agents' names. */
export const CampaignAnswerSchema = v.object({
  id: v.string(),
  name: v.string(),
  communeInsee: v.string(),
  communeName: v.string(),
  departement: v.string(),
  startsOn: v.string(),
  endsOn: v.string(),
  operators: v.array(v.picklist(OPERATORS)),
  testNumber: v.optional(v.string()),
  protocol: v.picklist(PROTOCOLS),
  maxAccuracyM: v.number(),
  accuracyRule: v.picklist(ACCURACY_RULES),
  agentIds: v.array(v.string()),
  createdBy: v.string(),
  createdAt: v.string(),
  updatedAt: v.string(),
  agents: v.array(CampaignAgentSchema),
});
export type CampaignAnswer = v.InferOutput<typeof CampaignAnswerSchema>;

// campaign.ts's CampaignView is what the routes build: it must stay this shape.
true satisfies CampaignView extends CampaignAnswer ? true : false;

/** GET /api/v1/campaigns */
export const CampaignsAnswerSchema = v.object({ campaigns: v.array(CampaignAnswerSchema) });
export type CampaignsAnswer = v.InferOutput<typeof CampaignsAnswerSchema>;

/** GET /api/v1/campaigns/:id/progress */
export const CampaignProgressAnswerSchema = v.object({
  campaignId: v.string(),
  readings: v.number(),
  byOperator: everyKeySchema(OPERATORS, v.number()),
  byTechnology: everyKeySchema(TECHNOLOGIES, v.number()),
  /** 200 m INSPIRE cells with at least one reading of the campaign, with counts per operator. */
  cells: v.array(v.object({ cellId: v.string(), readings: v.number(), byOperator: v.record(v.picklist(OPERATORS), v.number()) })),
  tracks: v.number(),
  lastReadingAt: v.optional(v.string()),
});
export type CampaignProgressAnswer = v.InferOutput<typeof CampaignProgressAnswerSchema>;

// campaign.ts's CampaignProgress is what the route builds: it must stay this shape.
true satisfies CampaignProgress extends CampaignProgressAnswer ? true : false;

/** GET /api/v1/campaign-agents?commune= */
export const CampaignAgentsAnswerSchema = v.object({ agents: v.array(CampaignAgentSchema) });
export type CampaignAgentsAnswer = v.InferOutput<typeof CampaignAgentsAnswerSchema>;

/** One cell × operator still undecided (src/domain/grid/sampling-plan.ts). */
export const SamplingPlanEntrySchema = v.object({
  rank: v.number(),
  cellId: v.string(),
  operator: v.picklist(OPERATORS),
  readings: v.number(),
  coverage: v.nullable(ProportionSchema),
  /** More readings that would decide it; null: more than `cap`. */
  needed: v.nullable(v.number()),
  contributorsMissing: v.number(),
});
export type SamplingPlanEntryAnswer = v.InferOutput<typeof SamplingPlanEntrySchema>;

/** GET /api/v1/campaigns/:id/sampling-plan: ranked, fewest readings to decide first. */
export const SamplingPlanAnswerSchema = v.object({
  campaignId: v.string(),
  confidence: v.number(),
  coverageThreshold: v.number(),
  cap: v.number(),
  entries: v.array(SamplingPlanEntrySchema),
});
export type SamplingPlanAnswer = v.InferOutput<typeof SamplingPlanAnswerSchema>;
