import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Campaign, CampaignView } from '../../domain/campaign.ts';
import { ApiError } from '../shell/api.ts';
import { cacheCampaign, cacheCampaignList, loadCachedCampaigns } from './campaign-cache.ts';
import { getCampaign, listCampaigns } from './campaigns-api.ts';
import { chooseCampaign, currentCampaign } from './current-campaign.ts';

export interface CampaignsState {
  campaigns?: CampaignView[];
  /** When the list shown was fetched (ms since epoch). */
  savedAt?: number;
  /** The list came from the server just now (not the device's copy). */
  fresh: boolean;
  loading: boolean;
  error?: string;
  /** The last attempt found no network at all. */
  offline?: boolean;
}

const errorText = (caught: unknown, fallback: string) => (caught instanceof ApiError ? caught.message : fallback);

/** The campaign as the survey keeps it: without the assigned agents' names and e-mails. */
export function campaignOf({ agents: _agents, ...campaign }: CampaignView): Campaign {
  return campaign;
}

/**
 * The device's chosen campaign follows edits made on the server (dates, operators, test
 * number) whenever a fresher copy comes in.
 */
async function refreshChosen(fresh: CampaignView): Promise<void> {
  const chosen = currentCampaign.get().campaign;
  if (chosen?.id === fresh.id && chosen.updatedAt !== fresh.updatedAt) await chooseCampaign(campaignOf(fresh));
}

/** The account's campaigns: the device's copy at once, then the server's when it answers. */
export function useCampaigns(userId: string): CampaignsState & { reload(): void } {
  const [state, setState] = useState<CampaignsState>({ fresh: false, loading: true });
  const request = useRef<AbortController | undefined>(undefined);

  const load = useCallback(() => {
    request.current?.abort();
    const abort = (request.current = new AbortController());
    setState((previous) => ({ ...previous, loading: true, error: undefined, offline: false }));
    listCampaigns(abort.signal).then(
      async (campaigns) => {
        const savedAt = Date.now();
        if (abort.signal.aborted) return;
        setState({ campaigns, savedAt, fresh: true, loading: false });
        await cacheCampaignList(userId, campaigns, savedAt);
        for (const campaign of campaigns) await refreshChosen(campaign);
      },
      (caught: unknown) => {
        if (abort.signal.aborted) return;
        const offline = caught instanceof ApiError && caught.status === 0;
        setState((previous) => ({ ...previous, loading: false, offline, error: errorText(caught, 'La liste des campagnes n’a pas pu être chargée.') }));
      },
    );
  }, [userId]);

  useEffect(() => {
    let stale = false;
    void loadCachedCampaigns(userId).then((cached) => {
      // The server's answer may have come first: never replace it with the older copy.
      if (!stale && cached) setState((previous) => (previous.fresh ? previous : { ...previous, campaigns: cached.campaigns, savedAt: cached.savedAt }));
    });
    load();
    window.addEventListener('online', load);
    return () => {
      stale = true;
      request.current?.abort();
      window.removeEventListener('online', load);
    };
  }, [userId, load]);

  return { ...state, reload: load };
}

export interface CampaignState {
  campaign?: CampaignView;
  fresh: boolean;
  error?: string;
  /** The server says there is no such campaign (or not for this account). */
  missing: boolean;
}

/** One campaign: the device's copy at once, then the server's. */
export function useCampaign(userId: string, id: string): CampaignState & { replace(campaign: CampaignView): void } {
  const [state, setState] = useState<CampaignState>({ fresh: false, missing: false });

  useEffect(() => {
    let stale = false;
    const abort = new AbortController();
    setState({ fresh: false, missing: false });
    void loadCachedCampaigns(userId).then((cached) => {
      const campaign = cached?.campaigns.find((candidate) => candidate.id === id);
      if (!stale && campaign) setState((previous) => (previous.fresh ? previous : { ...previous, campaign }));
    });
    getCampaign(id, abort.signal).then(
      async (campaign) => {
        if (stale) return;
        setState({ campaign, fresh: true, missing: false });
        await cacheCampaign(userId, campaign);
        await refreshChosen(campaign);
      },
      (caught: unknown) => {
        if (stale) return;
        const missing = caught instanceof ApiError && (caught.status === 404 || caught.status === 403);
        setState((previous) => ({ ...previous, missing, error: errorText(caught, 'La campagne n’a pas pu être chargée.') }));
      },
    );
    return () => {
      stale = true;
      abort.abort();
    };
  }, [userId, id]);

  const replace = useCallback((campaign: CampaignView) => setState({ campaign, fresh: true, missing: false }), []);
  return { ...state, replace };
}
