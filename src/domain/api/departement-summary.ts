import * as v from 'valibot';
import { CAMPAIGN_STAGES } from '../departement-summary.ts';
import { OPERATORS } from '../operators.ts';
import { PROBLEMS } from '../report.ts';
import { ZONE_STATUSES } from '../zone.ts';

const DaySchema = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
// As zones.ts's PeopleSchema, written again: importing it here would load zones.ts (and its
// imports) before this module's schemas exist, through index.ts.
const PeopleSchema = v.nullable(v.object({ inhabitants: v.number(), households: v.number(), dwellings: v.nullable(v.number()), edition: v.string() }));

/** One zone's line: enough to put it in front of the préfet, and its id to open its dossier. */
export const SummaryZoneSchema = v.object({
  id: v.string(),
  name: v.string(),
  status: v.picklist(ZONE_STATUSES),
  cells: count,
  communes: v.array(v.string()),
  people: PeopleSchema,
  /**
   * Per operator, the zone's cells where its own map declares good coverage (TBC or BC) and
   * our measurements say limited or none with enough evidence (cells.ts's `discrepancy`).
   * Operators without any such cell are left out; `{}` when no declared map covers the zone.
   */
  discrepancies: v.record(v.picklist(OPERATORS), count),
  deadline: v.nullable(DaySchema),
  inServiceDate: v.nullable(DaySchema),
  leaderOperator: v.nullable(v.picklist(OPERATORS)),
});

export const SummaryDeadlineSchema = v.object({
  zoneId: v.string(),
  name: v.string(),
  deadline: DaySchema,
  /** Negative once overdue. */
  monthsLeft: v.number(),
  overdue: v.boolean(),
  leaderOperator: v.nullable(v.picklist(OPERATORS)),
});

export const SummaryReportSchema = v.object({
  id: v.string(),
  receivedAt: v.string(),
  operator: v.picklist(OPERATORS),
  problem: v.picklist(PROBLEMS),
  /** INSEE code, and its name when the server knows it. */
  commune: v.nullable(v.string()),
  communeName: v.nullable(v.string()),
  lat: v.number(),
  lon: v.number(),
});

export const SummaryCampaignSchema = v.object({
  id: v.string(),
  name: v.string(),
  communeName: v.string(),
  startsOn: DaySchema,
  endsOn: DaySchema,
  stage: v.picklist(CAMPAIGN_STAGES),
  readings: count,
  /** 200 m cells with at least one of its readings. */
  cellsMeasured: count,
  lastReadingAt: v.nullable(v.string()),
});

/** GET /api/v1/departements/:code/summary: the équipe projet's table (departement-summary.ts). */
export const DepartementSummaryAnswerSchema = v.object({
  departement: v.string(),
  departementName: v.nullable(v.string()),
  /** The day the table was drawn up (Europe/Paris), YYYY-MM-DD: deadlines are counted from it. */
  today: DaySchema,
  byStatus: v.record(v.picklist(ZONE_STATUSES), count),
  /** Every zone of the département, by step then name. */
  zones: v.array(SummaryZoneSchema),
  /** Zones waiting for their site, overdue first. */
  deadlines: v.array(SummaryDeadlineSchema),
  quota: v.object({
    year: v.number(),
    /** Zones moved to « Transmise » this year. */
    proposed: count,
    /** What the équipe projet may propose a year (ZONE_QUOTA_PER_YEAR); null when the deployment sets none. */
    allowed: v.nullable(count),
  }),
  reports: v.object({
    /** Visible reports of the département lying in no zone yet. */
    awaiting: count,
    /** The latest of them, newest first. */
    latest: v.array(SummaryReportSchema),
  }),
  campaigns: v.array(SummaryCampaignSchema),
});
export type DepartementSummaryAnswer = v.InferOutput<typeof DepartementSummaryAnswerSchema>;
