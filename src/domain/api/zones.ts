import * as v from 'valibot';
import type { DeclaredContestation } from '../grid/declared-contestation.ts';
import type { People } from '../population.ts';
import type { PointOfInterest } from '../point-of-interest.ts';
import { ZONE_NEEDS, ZONE_STATUSES, ZoneDraftSchema, ZoneMoveSchema, type Zone } from '../zone.ts';
import { ZoneFollowUpPatchSchema, type ZoneFollowUp } from '../zone-follow-up.ts';
import { CELL_ZONES } from '../grid/cell-verdict.ts';
import { LEVELS } from '../level.ts';
import { OPERATORS } from '../operators.ts';
import { CampaignAnswerSchema } from './campaigns.ts';
import { OperatorCellStatsSchema } from './cells.ts';
import { AreaGeometrySchema, BboxSchema, everyKeySchema } from './common.ts';

/**
 * POST /api/v1/zones: the draft (zone.ts); PATCH /api/v1/zones/:id: any of its fields;
 * POST /api/v1/zones/:id/status: the move; `followUp` in either: the follow-up's patch (zone-follow-up.ts).
 */
export { ZoneDraftSchema, ZoneFollowUpPatchSchema, ZoneMoveSchema };
export const ZonePatchSchema = v.object({ ...v.partial(ZoneDraftSchema).entries, followUp: v.optional(ZoneFollowUpPatchSchema) });
/** The fields a draft may carry; any other is refused by name. */
export const ZONE_DRAFT_FIELDS = Object.keys(ZoneDraftSchema.entries) as (keyof typeof ZoneDraftSchema.entries)[];
/** The fields a patch may carry: the draft's and the follow-up after the arrêté. */
export const ZONE_PATCH_FIELDS = [...ZONE_DRAFT_FIELDS, 'followUp'] as const;

const ZoneHistoryEntrySchema = v.object({
  at: v.string(),
  by: v.object({ id: v.string(), name: v.string() }),
  from: v.nullable(v.picklist(ZONE_STATUSES)),
  to: v.picklist(ZONE_STATUSES),
  reason: v.string(),
});

const DaySchema = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));

/** After the arrêté (zone-follow-up.ts): `deadline` is computed, never typed. */
export const ZoneFollowUpSchema = v.object({
  arreteDate: v.optional(DaySchema),
  arreteReference: v.optional(v.string()),
  leaderOperator: v.optional(v.picklist(OPERATORS)),
  servicedPlot: v.boolean(),
  inServiceDate: v.optional(DaySchema),
  remeasureCampaignId: v.optional(v.string()),
  deadline: v.nullable(DaySchema),
});
true satisfies ZoneFollowUp extends v.InferOutput<typeof ZoneFollowUpSchema> ? true : false;

/** People living in cells (population.ts); null where no edition of INSEE's grid covers them. */
export const PeopleSchema = v.nullable(v.object({ inhabitants: v.number(), households: v.number(), dwellings: v.nullable(v.number()), edition: v.string() }));
true satisfies People extends NonNullable<v.InferOutput<typeof PeopleSchema>> ? true : false;

export const PointOfInterestSchema = v.object({ name: v.string(), kind: v.string(), lat: v.number(), lon: v.number(), cellId: v.string() });
true satisfies PointOfInterest extends v.InferOutput<typeof PointOfInterestSchema> ? true : false;

/** A zone as the API returns it: as stored, with the people and points of interest in its cells. */
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
  followUp: ZoneFollowUpSchema,
  /** Summed over its cells (INSEE's 200 m grid). */
  people: PeopleSchema,
  /** Those lying in its cells. */
  pointsOfInterest: v.array(PointOfInterestSchema),
});
export type ZoneAnswer = v.InferOutput<typeof ZoneAnswerSchema>;

// zone.ts's Zone is what the server stores; the answer adds what lies in its cells.
true satisfies Zone extends Omit<ZoneAnswer, 'people' | 'pointsOfInterest'> ? true : false;

/** GET /api/v1/zones (`?sort=deadline`: overdue first, then by deadline; zone-follow-up.ts). */
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
  /** People living in its cells; null where no edition of INSEE's grid covers them. */
  people: PeopleSchema,
  /** Its cells where an operator's own map says TBC or BC and the measurements CL or PC (GET /api/v1/cells' discrepancy). */
  discrepantCells: v.number(),
  bbox: BboxSchema,
  outline: AreaGeometrySchema,
});
export type Suggestion = v.InferOutput<typeof SuggestionSchema>;

/** POST /api/v1/zones/:id/remeasure (« Mesurer à nouveau »): the zone, its follow-up naming the new campaign, and the campaign. */
export const RemeasureAnswerSchema = v.object({ zone: ZoneAnswerSchema, campaign: CampaignAnswerSchema });
export type RemeasureAnswer = v.InferOutput<typeof RemeasureAnswerSchema>;

/** GET /api/v1/zones/suggestions */
export const SuggestionsAnswerSchema = v.object({ suggestions: v.array(SuggestionSchema) });
export type SuggestionsAnswer = v.InferOutput<typeof SuggestionsAnswerSchema>;

const NamedPlaceSchema = v.object({ code: v.string(), name: v.string() });

const BeforeAfterFiguresSchema = v.object({
  verdict: v.picklist([...LEVELS, 'insufficient']),
  readings: v.number(),
  contributors: v.number(),
  medianDbm: v.nullable(v.number()),
  callSuccessRate: v.nullable(v.number()),
  callTests: v.number(),
});
const BeforeAfterSchema = v.object({
  arreteDate: v.string(),
  campaign: v.nullable(v.object({ id: v.string(), name: v.string(), startsOn: v.string(), endsOn: v.string() })),
  operators: v.array(
    v.object({ operator: v.picklist(OPERATORS), label: v.string(), before: BeforeAfterFiguresSchema, after: v.nullable(BeforeAfterFiguresSchema) }),
  ),
  coveredByMeasurement: v.nullable(v.boolean()),
  conclusion: v.string(),
});
const PositionSchema = v.tuple([v.number(), v.number()]);

/** GET /api/v1/zones/:id/dossier.json: everything the printable dossier shows (src/server/grid/zone-documents.ts). */
/** A dossier's contestation of one operator's own map (declared-contestation.ts). */
export const DeclaredContestationSchema = v.object({
  operator: v.picklist(OPERATORS),
  label: v.string(),
  editions: v.array(v.object({ technology: v.string(), editionDate: v.string(), source: v.string() })),
  declaredGood: v.number(),
  declaredVeryGood: v.number(),
  cells: v.number(),
  measured: v.picklist([...LEVELS, 'insufficient']),
  discrepantCells: v.number(),
  sentence: v.string(),
});
true satisfies DeclaredContestation extends v.InferOutput<typeof DeclaredContestationSchema> ? true : false;

export const DossierAnswerSchema = v.object({
  generatedAt: v.string(),
  /** The zone as stored, without what the zone routes add to it. */
  zone: v.pick(ZoneAnswerSchema, [
    'id',
    'departement',
    'name',
    'cells',
    'need',
    'needDetail',
    'notes',
    'communes',
    'status',
    'createdAt',
    'updatedAt',
    'history',
    'followUp',
    'people',
    'pointsOfInterest',
  ]),
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
  /** Per operator with a loaded map: its declared coverage of the zone against the measurements, and the edition cited. */
  declaredCoverage: v.array(DeclaredContestationSchema),
  /** « 1 240 habitants, 530 ménages dans la zone (INSEE, carroyage 200 m, édition 2019) » (population.ts). */
  peopleStatement: v.optional(v.string()),
  /** « échéance dans 23 mois (le …) », null before the arrêté (zone-follow-up.ts). */
  deadlineText: v.optional(v.nullable(v.string())),
  /** Once the zone has an arrêté's date: per operator, its readings before it and after the re-measurement (zone-before-after.ts). */
  beforeAfter: v.optional(BeforeAfterSchema),
  /** The rule the verdicts followed. */
  rule: v.optional(v.object({ settings: v.optional(v.array(v.string())), minReadings: v.optional(v.number()), minContributors: v.optional(v.number()) })),
});
export type DossierAnswer = v.InferOutput<typeof DossierAnswerSchema>;
