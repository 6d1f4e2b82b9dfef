import type { Operator } from './operators.ts';
import { PROTOCOL_LABELS, type Protocol } from './protocol.ts';
import type { Technology } from './signal.ts';
import { dayParts } from './calendar-day.ts';

/**
 * A survey campaign: one commune surveyed over a period, for some operators, by the agents
 * assigned. The agent picks one on the phone; its readings then carry `campaignId` and
 * `communeInsee`, and the campaign's progress shows where nobody has measured yet.
 */

export const MAX_CAMPAIGN_NAME_LENGTH = 120;
export const MAX_CAMPAIGN_AGENTS = 100;
/** Longer than this, a campaign is really a standing survey: make it several. */
export const MAX_CAMPAIGN_DAYS = 366;

/**
 * A number the guided tests dial or text: French national (0X XX XX XX XX), international
 * (+33…, 00…) or a short service number (3 to 6 digits, e.g. 3179). Spaces, dots and dashes
 * are allowed as people type them; `telHref` strips them.
 */
export const TEST_NUMBER_PATTERN = /^(?:\+|00)?[0-9](?:[ .-]?[0-9]){2,16}$/;

export interface Campaign {
  id: string;
  name: string;
  communeInsee: string;
  communeName: string;
  departement: string;
  /** First and last day, inclusive, as YYYY-MM-DD (the commune's local calendar). */
  startsOn: string;
  endsOn: string;
  operators: Operator[];
  /** Number dialled by the guided call test and texted by the SMS test; absent: the agent types one. */
  testNumber?: string;
  /** Arcep's protocol its guided tests follow (src/domain/protocol.ts). */
  protocol: Protocol;
  /** The GPS requirement: a reading's position must be this precise (metres)… */
  maxAccuracyM: number;
  /** …or else the survey refuses to save it, or asks the agent to confirm (ACCURACY_RULES). */
  accuracyRule: AccuracyRule;
  /** Accounts (agents) assigned; an agent sees the campaigns they are assigned to. */
  agentIds: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a campaign does with a position less precise than its `maxAccuracyM`: `refuse` (the
 * survey cannot save it) or `warn` (the agent confirms, and the reading weighs less).
 */
export const ACCURACY_RULES = ['refuse', 'warn'] as const;
export type AccuracyRule = (typeof ACCURACY_RULES)[number];
export const ACCURACY_RULE_LABELS: Record<AccuracyRule, string> = {
  warn: 'Avertir (l’agent confirme)',
  refuse: 'Refuser l’enregistrement',
};
/** Arcep's field guidance and the survey's warning before campaigns set their own. */
export const DEFAULT_CAMPAIGN_MAX_ACCURACY_M = 50;
export const DEFAULT_ACCURACY_RULE: AccuracyRule = 'warn';
/** Tighter than a phone's GPS can promise outdoors, or looser than a 200 m cell. */
export const MIN_CAMPAIGN_ACCURACY_M = 5;
export const MAX_CAMPAIGN_ACCURACY_M = 200;

/** How a reading is made under a campaign, or outside any: the deployment's protocol, the survey's default GPS rule. */
export interface SurveyRules {
  protocol: Protocol;
  maxAccuracyM: number;
  accuracyRule: AccuracyRule;
}

/**
 * The rules the survey applies. A campaign held on the device since before campaigns had
 * protocols lacks these fields: it was the map check's, with the warning beyond 50 m.
 */
export function surveyRules(
  campaign: Partial<Pick<Campaign, 'protocol' | 'maxAccuracyM' | 'accuracyRule'>> | undefined,
  deploymentProtocol: Protocol,
): SurveyRules {
  if (!campaign) return { protocol: deploymentProtocol, maxAccuracyM: DEFAULT_CAMPAIGN_MAX_ACCURACY_M, accuracyRule: DEFAULT_ACCURACY_RULE };
  return {
    protocol: campaign.protocol ?? 'map-check',
    maxAccuracyM: campaign.maxAccuracyM ?? DEFAULT_CAMPAIGN_MAX_ACCURACY_M,
    accuracyRule: campaign.accuracyRule ?? DEFAULT_ACCURACY_RULE,
  };
}

/** « Qualité de service (Arcep) · GPS ≤ 30 m, sinon refusé »: the rules in one line, for lists and banners. */
export function surveyRulesSummary(rules: SurveyRules): string {
  const beyond = rules.accuracyRule === 'refuse' ? 'sinon refusé' : 'sinon à confirmer';
  return `${PROTOCOL_LABELS[rules.protocol]} · GPS ≤ ${rules.maxAccuracyM} m, ${beyond}`;
}

/** The assigned agents as the campaign screens show them. */
export interface CampaignAgent {
  id: string;
  name: string;
  email: string;
}

/** GET /api/v1/campaigns and /campaigns/:id: a campaign with its agents' names. */
export interface CampaignView extends Campaign {
  agents: CampaignAgent[];
}

/** GET /api/v1/campaigns/:id/progress: what has been measured so far, from the server's readings. */
export interface CampaignProgress {
  campaignId: string;
  readings: number;
  byOperator: Record<Operator, number>;
  byTechnology: Record<Technology, number>;
  /** 200 m INSPIRE cells with at least one reading of the campaign, with counts per operator. */
  cells: CampaignCell[];
  /** Tracks (« Parcours ») with points in this campaign. */
  tracks: number;
  lastReadingAt?: string;
}

export interface CampaignCell {
  cellId: string;
  readings: number;
  byOperator: Partial<Record<Operator, number>>;
}

/** No campaign starts before this day (nor ends: the end follows the start). */
export const FIRST_CAMPAIGN_DAY = '2000-01-01';
/** A campaign starts at most this many years after the server's today. */
export const MAX_YEARS_AHEAD = 5;

export const TOO_EARLY_MESSAGE = `Une campagne se tient au plus tôt le ${FIRST_CAMPAIGN_DAY}`;

/** Whether `day` (YYYY-MM-DD) is a day of the calendar: no 30 February, no month 13. */
export function isCalendarDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(2000, month - 1, date));
  parsed.setUTCFullYear(year);
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}

/** The last day a campaign may start on: today plus {@link MAX_YEARS_AHEAD} years (28 February for a 29). */
export function lastStartDay(today: string): string {
  const [year, month, date] = dayParts(today);
  const last = new Date(Date.UTC(year + MAX_YEARS_AHEAD, month - 1, 1));
  const daysInMonth = new Date(Date.UTC(year + MAX_YEARS_AHEAD, month, 0)).getUTCDate();
  last.setUTCDate(Math.min(date, daysInMonth));
  return last.toISOString().slice(0, 10);
}

/**
 * Why a period cannot be a campaign's, as `{field, message}` (the field to show it under), given
 * the server's `today` (YYYY-MM-DD); undefined when it can. The days are already calendar days.
 */
export function periodProblem(startsOn: string, endsOn: string, today: string): { field: 'startsOn' | 'endsOn'; message: string } | undefined {
  if (startsOn < FIRST_CAMPAIGN_DAY) return { field: 'startsOn', message: TOO_EARLY_MESSAGE };
  const last = lastStartDay(today);
  if (startsOn > last) return { field: 'startsOn', message: `Une campagne commence au plus tard le ${last}, ${MAX_YEARS_AHEAD} ans après aujourd’hui` };
  if (startsOn > endsOn) return { field: 'endsOn', message: 'La fin de la campagne précède son début' };
  if (daysBetween(startsOn, endsOn) > MAX_CAMPAIGN_DAYS) return { field: 'endsOn', message: `Une campagne dure au plus ${MAX_CAMPAIGN_DAYS} jours` };
  return undefined;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether a day (YYYY-MM-DD) falls within the campaign's period. */
export function campaignIsOn(campaign: Pick<Campaign, 'startsOn' | 'endsOn'>, day: string): boolean {
  return campaign.startsOn <= day && day <= campaign.endsOn;
}

/** The test number as a `tel:`/`sms:` URI path: digits and a leading +, 00 written as +. */
export function dialableNumber(number: string): string {
  const compact = number.replace(/[ .-]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/** Default name: « Campagne Saint-Guilhem-le-Désert ». */
export function defaultCampaignName(communeName: string): string {
  return `Campagne ${communeName}`;
}
