import * as v from 'valibot';
import { ZONE_NEEDS, ZONE_STATUSES, ZoneDraftSchema, ZoneMoveSchema, type Zone } from '../zone.ts';
import { CELL_ZONES } from '../grid/cell-verdict.ts';
import { LEVELS } from '../level.ts';
import { OPERATORS } from '../operators.ts';
import { OperatorCellStatsSchema } from './cells.ts';
import { AreaGeometrySchema, BboxSchema, everyKeySchema } from './common.ts';

/** POST /api/v1/zones: the draft (zone.ts); PATCH /api/v1/zones/:id: any of its fields. */
export { ZoneDraftSchema, ZoneMoveSchema };
export const ZonePatchSchema = v.partial(ZoneDraftSchema);
/** The fields a draft or a patch may carry; any other is refused by name. */
export const ZONE_DRAFT_FIELDS = Object.keys(ZoneDraftSchema.entries) as (keyof typeof ZoneDraftSchema.entries)[];

const ZoneHistoryEntrySchema = v.object({
  at: v.string(),
  by: v.object({ id: v.string(), name: v.string() }),
  from: v.nullable(v.picklist(ZONE_STATUSES)),
  to: v.picklist(ZONE_STATUSES),
  reason: v.string(),
});

/** A zone as the API returns it. */
export const ZoneAnswerSchema = v.object({
  id: v.string(),
  departement: v.string(),
  name: v.string(),
  cells: v.array(v.string()),
  need: v.picklist(ZONE_NEEDS),
  needDetail: v.optional(v.string()),
  notes: v.optional(v.string()),
  /** INSEE codes of the communes its cells' readings were placed in. */
  communes: v.array(v.string()),
  status: v.picklist(ZONE_STATUSES),
  createdAt: v.string(),
  updatedAt: v.string(),
  history: v.array(ZoneHistoryEntrySchema),
});
export type ZoneAnswer = v.InferOutput<typeof ZoneAnswerSchema>;

// zone.ts's Zone is what the server stores and answers: it must stay this shape.
true satisfies Zone extends ZoneAnswer ? true : false;

/** GET /api/v1/zones */
export const ZonesAnswerSchema = v.object({ zones: v.array(ZoneAnswerSchema) });
export type ZonesAnswer = v.InferOutput<typeof ZonesAnswerSchema>;

/** One suggested zone: connected cells judged blanche or grise that no open zone holds. */
export const SuggestionSchema = v.object({
  /** Stable while the zone keeps its smallest cell. */
  id: v.string(),
  cells: v.array(v.string()),
  zone: v.picklist(['zone-blanche', 'zone-grise', 'mixte']),
  blanche: v.number(),
  grise: v.number(),
  readings: v.number(),
  contributors: v.number(),
  bbox: BboxSchema,
  outline: AreaGeometrySchema,
});
export type Suggestion = v.InferOutput<typeof SuggestionSchema>;

/** GET /api/v1/zones/suggestions */
export const SuggestionsAnswerSchema = v.object({ suggestions: v.array(SuggestionSchema) });
export type SuggestionsAnswer = v.InferOutput<typeof SuggestionsAnswerSchema>;

const NamedPlaceSchema = v.object({ code: v.string(), name: v.string() });
const PositionSchema = v.tuple([v.number(), v.number()]);

/** GET /api/v1/zones/:id/dossier.json: everything the printable dossier shows (src/server/grid/zone-documents.ts). */
export const DossierAnswerSchema = v.object({
  generatedAt: v.string(),
  /** The zone as stored, without what the zone routes add to it. */
  zone: v.pick(ZoneAnswerSchema, ['id', 'departement', 'name', 'cells', 'need', 'needDetail', 'notes', 'communes', 'status', 'createdAt', 'updatedAt', 'history']),
  statusLabel: v.string(),
  needLabel: v.string(),
  departement: NamedPlaceSchema,
  communes: v.array(NamedPlaceSchema),
  outline: AreaGeometrySchema,
  /** [west, south, east, north]. */
  bbox: v.tuple([v.number(), v.number(), v.number(), v.number()]),
  cells: v.array(
    v.object({
      cellId: v.string(),
      zone: v.picklist(CELL_ZONES),
      operators: v.record(v.picklist(OPERATORS), v.picklist([...LEVELS, 'insufficient'])),
      readings: v.number(),
      ring: v.array(PositionSchema),
    }),
  ),
  cellsByZone: everyKeySchema(CELL_ZONES, v.number()),
  /** Per operator over the zone's cells merged. */
  operators: v.array(v.object({ ...OperatorCellStatsSchema.entries, operator: v.picklist(OPERATORS), label: v.string() })),
  calls: v.object({ tried: v.number(), ok: v.number(), failed: v.number(), dropped: v.number(), successRate: v.nullable(v.number()) }),
  readings: v.number(),
  /** Counted, never named. */
  contributors: v.number(),
  firstAt: v.nullable(v.string()),
  lastAt: v.nullable(v.string()),
  residentReports: v.number(),
  /** The rule the verdicts followed. */
  rule: v.optional(v.object({ settings: v.optional(v.array(v.string())), minReadings: v.optional(v.number()), minContributors: v.optional(v.number()) })),
});
export type DossierAnswer = v.InferOutput<typeof DossierAnswerSchema>;
