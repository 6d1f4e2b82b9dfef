import { formatIsoDayRange } from '../format.ts';
import type { Campaign } from '../../domain/campaign.ts';

/**
 * Campaign days are calendar days (YYYY-MM-DD) of the commune; the phone's own calendar
 * is the commune's in practice (metropolitan France), so "today" is the device's local day.
 */

export type CampaignPhase = 'current' | 'upcoming' | 'past';

export const PHASE_LABELS: Record<CampaignPhase, string> = {
  current: 'En cours',
  upcoming: 'À venir',
  past: 'Terminée',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The device's local calendar day as YYYY-MM-DD. */
export function localDay(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function campaignPhase(campaign: Pick<Campaign, 'startsOn' | 'endsOn'>, today: string): CampaignPhase {
  if (today < campaign.startsOn) return 'upcoming';
  if (today > campaign.endsOn) return 'past';
  return 'current';
}

const PHASE_RANK: Record<CampaignPhase, number> = { current: 0, upcoming: 1, past: 2 };

/**
 * The order an agent wants: campaigns running today first (the one ending soonest on top),
 * then those to come (soonest first), then finished ones (most recent first).
 */
export function sortCampaigns<C extends Pick<Campaign, 'startsOn' | 'endsOn' | 'name'>>(campaigns: readonly C[], today: string): C[] {
  const keyed = campaigns.map((campaign) => ({ campaign, phase: campaignPhase(campaign, today) }));
  keyed.sort((a, b) => {
    if (a.phase !== b.phase) return PHASE_RANK[a.phase] - PHASE_RANK[b.phase];
    const byDate =
      a.phase === 'current'
        ? a.campaign.endsOn.localeCompare(b.campaign.endsOn)
        : a.phase === 'upcoming'
          ? a.campaign.startsOn.localeCompare(b.campaign.startsOn)
          : b.campaign.endsOn.localeCompare(a.campaign.endsOn);
    return byDate || a.campaign.name.localeCompare(b.campaign.name, 'fr');
  });
  return keyed.map(({ campaign }) => campaign);
}

const instantFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

/** « du 4 mai au 18 juin 2026 », « du 20 décembre 2026 au 5 janvier 2027 », « le 4 mai 2026 ». */
export function formatPeriod(startsOn: string, endsOn: string): string {
  return formatIsoDayRange(startsOn, endsOn);
}

/** « 4 mai à 14:05 »: when a list or figures were fetched. */
export function formatInstant(at: number | string): string {
  return instantFormat.format(new Date(at));
}
