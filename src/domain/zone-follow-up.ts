import * as v from 'valibot';
import { isCalendarDay } from './campaign.ts';
import { OPERATORS, type Operator } from './operators.ts';
import { withoutNul } from './plain-text.ts';
import { dayParts } from './calendar-day.ts';

/**
 * Life after the arrêté (New Deal Mobile, targeted coverage): once a zone is listed in a
 * ministerial order, a leader operator has 24 months to put a site in service, 12 when the
 * commune provides a serviced plot (« terrain viabilisé »). The deadline is computed from
 * the order's date, never typed.
 */

export const DEADLINE_MONTHS = 24;
export const DEADLINE_MONTHS_WITH_SERVICED_PLOT = 12;
export const MAX_ARRETE_REFERENCE_LENGTH = 200;

/** What a reviewer records after the arrêté; every field may stay unknown. */
export interface ZoneFollowUpFields {
  /** The arrêté's date, YYYY-MM-DD. */
  arreteDate?: string;
  /** Its reference as published (« arrêté du … NOR … »). */
  arreteReference?: string;
  leaderOperator?: Operator;
  /** The commune provides a serviced plot: 12 months instead of 24. */
  servicedPlot: boolean;
  /** The day the site entered service, YYYY-MM-DD. */
  inServiceDate?: string;
  /** The campaign « Mesurer à nouveau » created over the zone, the latest. */
  remeasureCampaignId?: string;
}

/** As the API answers it: the stored fields and the deadline computed from them. */
export interface ZoneFollowUp extends ZoneFollowUpFields {
  /** YYYY-MM-DD, null while the arrêté's date is unknown. */
  deadline: string | null;
}

export const NO_FOLLOW_UP: ZoneFollowUpFields = { servicedPlot: false };

const day = (what: string) =>
  v.pipe(v.string(`${what} doit être une date AAAA-MM-JJ`), v.check(isCalendarDay, `${what} doit être une date du calendrier, AAAA-MM-JJ (ex. 2026-03-15)`));

/**
 * The follow-up fields a PATCH (or a move to `arretee` / `couverte`) may carry: null removes
 * a field. The deadline and the re-measurement campaign are not the reviewer's to type.
 */
export const ZoneFollowUpPatchSchema = v.strictObject(
  {
    arreteDate: v.optional(v.nullable(day('La date de l’arrêté'))),
    arreteReference: v.optional(
      v.nullable(
        v.pipe(
          v.string('La référence de l’arrêté doit être un texte'),
          withoutNul('La référence de l’arrêté'),
          v.trim(),
          v.maxLength(MAX_ARRETE_REFERENCE_LENGTH, `La référence de l’arrêté dépasse ${MAX_ARRETE_REFERENCE_LENGTH} caractères`),
        ),
      ),
    ),
    leaderOperator: v.optional(v.nullable(v.picklist(OPERATORS, `Opérateur leader inconnu : attendu ${OPERATORS.join(', ')}`))),
    servicedPlot: v.optional(v.boolean('servicedPlot doit valoir true ou false (terrain viabilisé fourni par la commune)')),
    inServiceDate: v.optional(v.nullable(day('La date de mise en service'))),
  },
  (issue) =>
    issue.path
      ? `Champ inconnu : « followUp.${v.getDotPath(issue)} » ; followUp prend arreteDate, arreteReference, leaderOperator, servicedPlot, inServiceDate (l’échéance se calcule)`
      : 'followUp doit être un objet JSON',
);
export type ZoneFollowUpPatch = v.InferOutput<typeof ZoneFollowUpPatchSchema>;

/** The stored fields with a patch applied (null removes, undefined keeps). */
export function applyFollowUpPatch(fields: ZoneFollowUpFields, patch: ZoneFollowUpPatch): ZoneFollowUpFields {
  const next: ZoneFollowUpFields = { ...fields };
  for (const key of ['arreteDate', 'arreteReference', 'leaderOperator', 'inServiceDate'] as const) {
    const value = patch[key];
    if (value === null || value === '') delete next[key];
    else if (value !== undefined) Object.assign(next, { [key]: value });
  }
  if (patch.servicedPlot !== undefined) next.servicedPlot = patch.servicedPlot;
  return next;
}

/** `day` plus whole months, the day clamped to the month's end (31 August + 6 months = 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = dayParts(day);
  const total = year * 12 + (month - 1) + months;
  const [targetYear, targetMonth] = [Math.floor(total / 12), total % 12];
  const daysInMonth = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth + 1).padStart(2, '0')}-${String(Math.min(date, daysInMonth)).padStart(2, '0')}`;
}

/** The day the site must be in service: the arrêté's date + 24 months (12 with a serviced plot); null without a date. */
export function zoneDeadline(fields: Pick<ZoneFollowUpFields, 'arreteDate' | 'servicedPlot'>): string | null {
  if (fields.arreteDate === undefined) return null;
  return addMonths(fields.arreteDate, fields.servicedPlot ? DEADLINE_MONTHS_WITH_SERVICED_PLOT : DEADLINE_MONTHS);
}

export function withDeadline(fields: ZoneFollowUpFields): ZoneFollowUp {
  return { ...fields, deadline: zoneDeadline(fields) };
}

/**
 * Whole months from `today` to `deadline` (both YYYY-MM-DD): 23 a day after a 24-month
 * arrêté, 0 in its last month, negative once overdue (−1 the day after the deadline).
 */
export function monthsLeft(deadline: string, today: string): number {
  const [dy, dm, dd] = dayParts(deadline);
  const [ty, tm, td] = dayParts(today);
  if (today > deadline) {
    const elapsed = (ty - dy) * 12 + (tm - dm) - (td < dd ? 1 : 0);
    return -Math.max(elapsed, 1);
  }
  return (dy - ty) * 12 + (dm - tm) - (td > dd ? 1 : 0);
}

/** « échéance dans 23 mois », « échéance ce mois-ci », « échéance dépassée de 2 mois », « site en service le … ». */
export function deadlineText(followUp: ZoneFollowUp, today: string): string | null {
  if (followUp.inServiceDate !== undefined) return `site en service depuis le ${frenchDay(followUp.inServiceDate)}`;
  if (followUp.deadline === null) return null;
  const months = monthsLeft(followUp.deadline, today);
  if (months < 0) return `échéance dépassée de ${-months} mois (le ${frenchDay(followUp.deadline)})`;
  if (months === 0) return `échéance dans moins d’un mois (le ${frenchDay(followUp.deadline)})`;
  return `échéance dans ${months} mois (le ${frenchDay(followUp.deadline)})`;
}

/** Whether the deadline has passed without a site in service. */
export function isOverdue(followUp: ZoneFollowUp, today: string): boolean {
  return followUp.inServiceDate === undefined && followUp.deadline !== null && followUp.deadline < today;
}

/** 2026-03-05 → « 5 mars 2026 ». */
export function frenchDay(day: string): string {
  const [year, month, date] = dayParts(day);
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Zones by deadline: overdue first (the most overdue first), then the nearest deadline, then
 * those without one (not yet arrêtées, or already in service), each group by name.
 */
export function compareByDeadline(today: string) {
  const rank = (followUp: ZoneFollowUp) => (followUp.deadline === null || followUp.inServiceDate !== undefined ? 2 : followUp.deadline < today ? 0 : 1);
  return (a: { name: string; followUp: ZoneFollowUp }, b: { name: string; followUp: ZoneFollowUp }): number => {
    const byRank = rank(a.followUp) - rank(b.followUp);
    if (byRank !== 0) return byRank;
    // Ranks 0 and 1 have a deadline.
    const [first, second] = [a.followUp.deadline, b.followUp.deadline];
    if (rank(a.followUp) < 2 && first !== null && second !== null && first !== second) return first < second ? -1 : 1;
    return a.name.localeCompare(b.name, 'fr');
  };
}
