import type { SamplingPlanAnswer } from '../../domain/api/index.ts';
import type { CampaignProgress, CampaignView } from '../../domain/campaign.ts';
import { withDb } from '../../store/db.ts';

/**
 * The last campaign list and progress figures fetched by each account on this device, in
 * IndexedDB's `meta` store (no schema change), so that « Campagnes » opens offline in the
 * field. One entry per account: on a shared phone, nobody sees another's campaigns.
 */

export interface CachedProgress {
  progress: CampaignProgress;
  /** When the device asked for these figures (ms since epoch). */
  fetchedAt: number;
}

/** A campaign's sampling plan as last fetched: the agent's map shows its cells « à mesurer » offline. */
export interface CachedPlan {
  plan: SamplingPlanAnswer;
  fetchedAt: number;
}

export interface CachedCampaigns {
  campaigns: CampaignView[];
  /** When the list was fetched (ms since epoch). */
  savedAt: number;
  progress: Record<string, CachedProgress>;
  /** Absent from entries cached before plans were kept. */
  plans?: Record<string, CachedPlan>;
}

const keyOf = (userId: string) => `campaigns:${userId}`;

export async function loadCachedCampaigns(userId: string): Promise<CachedCampaigns | undefined> {
  return (await withDb((db) => db.get('meta', keyOf(userId)))) as CachedCampaigns | undefined;
}

/** Keeps a fresh list; figures of campaigns no longer listed are dropped with them. */
export async function cacheCampaignList(userId: string, campaigns: CampaignView[], savedAt = Date.now()): Promise<void> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get(keyOf(userId))) as CachedCampaigns | undefined;
    const listed = new Set(campaigns.map((campaign) => campaign.id));
    const progress = Object.fromEntries(Object.entries(previous?.progress ?? {}).filter(([id]) => listed.has(id)));
    const plans = Object.fromEntries(Object.entries(previous?.plans ?? {}).filter(([id]) => listed.has(id)));
    await tx.store.put({ campaigns, savedAt, progress, plans } satisfies CachedCampaigns, keyOf(userId));
    await tx.done;
  });
}

/** Keeps one campaign in the list (created, edited or fetched alone) without touching the others. */
export async function cacheCampaign(userId: string, campaign: CampaignView): Promise<void> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get(keyOf(userId))) as CachedCampaigns | undefined;
    const others = (previous?.campaigns ?? []).filter((cached) => cached.id !== campaign.id);
    const entry: CachedCampaigns = {
      campaigns: [...others, campaign],
      savedAt: previous?.savedAt ?? Date.now(),
      progress: previous?.progress ?? {},
      plans: previous?.plans ?? {},
    };
    await tx.store.put(entry, keyOf(userId));
    await tx.done;
  });
}

export async function forgetCachedCampaign(userId: string, campaignId: string): Promise<void> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get(keyOf(userId))) as CachedCampaigns | undefined;
    if (previous) {
      const { [campaignId]: _dropped, ...progress } = previous.progress;
      await tx.store.put({ ...previous, campaigns: previous.campaigns.filter((cached) => cached.id !== campaignId), progress }, keyOf(userId));
    }
    await tx.done;
  });
}

/** Keeps a campaign's latest sampling plan (only for a campaign the cached list holds). */
export async function cachePlan(userId: string, cached: CachedPlan): Promise<void> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get(keyOf(userId))) as CachedCampaigns | undefined;
    const id = cached.plan.campaignId;
    if (previous?.campaigns.some((campaign) => campaign.id === id) && (previous.plans?.[id]?.fetchedAt ?? -Infinity) <= cached.fetchedAt) {
      await tx.store.put({ ...previous, plans: { ...previous.plans, [id]: cached } }, keyOf(userId));
    }
    await tx.done;
  });
}

/** Keeps a campaign's latest server figures (only for a campaign the cached list holds). */
export async function cacheProgress(userId: string, cached: CachedProgress): Promise<void> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get(keyOf(userId))) as CachedCampaigns | undefined;
    const id = cached.progress.campaignId;
    if (previous?.campaigns.some((campaign) => campaign.id === id) && (previous.progress[id]?.fetchedAt ?? -Infinity) <= cached.fetchedAt) {
      await tx.store.put({ ...previous, progress: { ...previous.progress, [id]: cached } }, keyOf(userId));
    }
    await tx.done;
  });
}
