import type { Reading } from '../../domain/reading.ts';
import { seesCampaign } from '../access/scope.ts';
import type { User } from '../storage/account-store.ts';
import type { CampaignStore } from '../storage/campaign-store.ts';

/**
 * Which readings of an upload keep their campaign. A reading may name a campaign only its
 * sender sees (the rule of GET /api/v1/campaigns/:id): else anyone could pad another
 * commune's progress, or block its deletion (409 once a reading carries it). Such a reading is
 * still kept, as evidence, but without `campaignId`; an unknown campaign is treated the same.
 */

export const CAMPAIGN_LINK_DROPPED = 'Relevé gardé sans campagne : cette campagne est inconnue, ou n’est pas l’une des vôtres.';

export interface CampaignLink {
  /** The reading to store: as sent, or without its `campaignId`. */
  reading: Reading;
  /** True when `reading` lost the `campaignId` it was sent with. */
  dropped: boolean;
  /**
   * The reading with the other choice (the link kept if dropped, dropped if kept), when it
   * carried a campaign: a resend of a reading stored under the other choice (the sender saw the
   * campaign then and no longer does, or the reverse) is matched against it, so that it stays a
   * duplicate instead of becoming a conflict.
   */
  otherChoice?: Reading;
}

export async function campaignLinks(readings: readonly Reading[], user: User, store: Pick<CampaignStore, 'campaignById'>): Promise<CampaignLink[]> {
  const seen = new Map<string, boolean>();
  const links: CampaignLink[] = [];
  for (const reading of readings) {
    const { campaignId, ...unlinked } = reading;
    if (campaignId === undefined) {
      links.push({ reading, dropped: false });
      continue;
    }
    if (!seen.has(campaignId)) {
      const campaign = await store.campaignById(campaignId);
      seen.set(campaignId, campaign !== undefined && seesCampaign(user, campaign));
    }
    links.push(seen.get(campaignId) ? { reading, dropped: false, otherChoice: unlinked } : { reading: unlinked, dropped: true, otherChoice: reading });
  }
  return links;
}
