import type { Campaign } from './campaign.ts';
import { compareByDeadline, monthsLeft, type ZoneFollowUp } from './zone-follow-up.ts';
import { ZONE_STATUSES, type ZoneStatus } from './zone.ts';

/**
 * The équipe projet's table of a département (GET /api/v1/departements/:code/summary): the
 * counts and orders it is made of, from the zones and campaigns as stored. Pure, so that the
 * page, the CSV and the tests agree on what « proposée cette année » or « en retard » means.
 */

/** Zones at each step of the workflow, every step present (0 when none). */
export function zoneCountsByStatus(zones: readonly { status: ZoneStatus }[]): Record<ZoneStatus, number> {
  const counts = Object.fromEntries(ZONE_STATUSES.map((status) => [status, 0])) as Record<ZoneStatus, number>;
  for (const zone of zones) counts[zone.status] += 1;
  return counts;
}

/**
 * Zones the équipe projet proposed in `year`: those moved to « Transmise » (sent to the
 * préfet for the arrêté) during that calendar year, counted once each even if sent back and
 * sent again. A zone later set aside still counts: the proposal was made.
 */
export function zonesProposedIn(year: number, zones: readonly { history: readonly { at: string; to: ZoneStatus }[] }[]): number {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return zones.filter((zone) => zone.history.some((entry) => entry.to === 'transmise' && entry.at.startsWith(prefix))).length;
}

export interface DeadlineLine<Z> {
  zone: Z;
  deadline: string;
  /** Whole months left (zone-follow-up.ts's monthsLeft): negative once overdue. */
  monthsLeft: number;
  overdue: boolean;
}

/**
 * The zones waiting for their site: a deadline known, no date of service yet. Overdue first
 * (the longest overdue at the top), then the nearest deadline, as GET /api/v1/zones?sort=deadline.
 */
export function zonesByDeadline<Z extends { name: string; followUp: ZoneFollowUp }>(zones: readonly Z[], today: string): DeadlineLine<Z>[] {
  return zones
    .filter((zone) => zone.followUp.deadline !== null && zone.followUp.inServiceDate === undefined)
    .sort(compareByDeadline(today))
    .map((zone) => {
      const deadline = zone.followUp.deadline!;
      return { zone, deadline, monthsLeft: monthsLeft(deadline, today), overdue: deadline < today };
    });
}

export const CAMPAIGN_STAGES = ['a-venir', 'en-cours', 'terminee'] as const;
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];
export const CAMPAIGN_STAGE_LABELS: Record<CampaignStage, string> = { 'a-venir': 'À venir', 'en-cours': 'En cours', terminee: 'Terminée' };

/** Where a campaign stands on `today` (YYYY-MM-DD): its period includes both ends. */
export function campaignStage(campaign: Pick<Campaign, 'startsOn' | 'endsOn'>, today: string): CampaignStage {
  if (today < campaign.startsOn) return 'a-venir';
  return today > campaign.endsOn ? 'terminee' : 'en-cours';
}

/** Campaigns in the order the table lists them: running first, then to come, then ended (latest first). */
export function compareCampaignsForTable(today: string) {
  const rank: Record<CampaignStage, number> = { 'en-cours': 0, 'a-venir': 1, terminee: 2 };
  return (a: Pick<Campaign, 'startsOn' | 'endsOn' | 'name'>, b: Pick<Campaign, 'startsOn' | 'endsOn' | 'name'>): number => {
    const byStage = rank[campaignStage(a, today)] - rank[campaignStage(b, today)];
    if (byStage !== 0) return byStage;
    if (a.endsOn !== b.endsOn) return campaignStage(a, today) === 'terminee' ? (a.endsOn < b.endsOn ? 1 : -1) : a.endsOn < b.endsOn ? -1 : 1;
    return a.name.localeCompare(b.name, 'fr');
  };
}
