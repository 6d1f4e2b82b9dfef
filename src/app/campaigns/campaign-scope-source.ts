import type { Campaign } from '../../domain/campaign.ts';
import { attachedOrDetached, campaignScope, cellsBoxArea, type CampaignArea, type CampaignScope } from '../../domain/campaign-scope.ts';
import type { Reading } from '../../domain/reading.ts';
import { agree, plural } from '../format.ts';
import { cachedCommuneOutline } from '../map/commune-outline.ts';
import { loadCachedCampaigns } from './campaign-cache.ts';
import { currentCampaign } from './current-campaign.ts';

/**
 * The campaign's scope (src/domain/campaign-scope.ts) from what this device holds, offline:
 * the commune's outline if a map or the campaign's page kept it, else the box of the
 * campaign's measured cells from its last progress figures, else the period alone.
 */
export async function loadCampaignScope(campaign: Campaign, userId: string | undefined): Promise<CampaignScope> {
  return campaignScope(campaign, await campaignArea(campaign, userId));
}

async function campaignArea(campaign: Campaign, userId: string | undefined): Promise<CampaignArea> {
  const outline = cachedCommuneOutline(campaign.communeInsee);
  if (outline) return { kind: 'outline', geometry: outline };
  if (userId === undefined) return { kind: 'unknown' };
  const cached = await loadCachedCampaigns(userId).catch(() => undefined);
  const cellIds = cached?.progress[campaign.id]?.progress.cells.map((cell) => cell.cellId) ?? [];
  if (cellIds.length === 0) return { kind: 'unknown' };
  // Loaded only here: the grid's projection (proj4) would weigh on the survey's first load.
  const [{ cellRing }, { parseCellId }] = await Promise.all([import('../../domain/grid/cell-geometry.ts'), import('../../domain/grid/cell-id.ts')]);
  return cellsBoxArea(
    cellIds.flatMap((id) => {
      const cell = parseCellId(id);
      return cell ? cellRing(cell) : [];
    }),
  );
}

/** How the scope's commune was told, for the import preview: said when only the period could be checked. */
export function scopeCaveat(scope: CampaignScope): string | undefined {
  if (scope.area.kind === 'unknown')
    return 'Le contour de la commune n’est pas sur cet appareil (ouvrez la campagne ou la carte avec du réseau) : seule la période est vérifiée.';
  if (scope.area.kind === 'cells-box')
    return 'Contour de la commune absent de cet appareil : la commune est estimée d’après les mailles déjà mesurées de la campagne.';
  return undefined;
}

/** « 3 relevés hors de la période ou des communes de la campagne : non rattachés » */
export function outsideCampaignWarning(count: number): string {
  return `${plural(count, 'relevé')} hors de la période ou des communes de la campagne : ${agree(count, 'non rattaché', 'non rattachés')}`;
}

/**
 * A reading recorded for the current campaign, without it when it lies outside the campaign's
 * period or commune (see campaign-scope.ts). Any other reading is left as it is.
 */
export async function keepCampaignIfWithin(reading: Reading, userId: string | undefined): Promise<{ reading: Reading; detached: boolean }> {
  const campaign = currentCampaign.get().campaign;
  if (!reading.campaignId || campaign?.id !== reading.campaignId) return { reading, detached: false };
  return attachedOrDetached(reading, await loadCampaignScope(campaign, userId));
}
