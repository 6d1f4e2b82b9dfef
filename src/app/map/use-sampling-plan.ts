import L from 'leaflet';
import { useEffect, useState } from 'preact/hooks';
import { SamplingPlanAnswerSchema, type SamplingPlanAnswer } from '../../domain/api/index.ts';
import type { Campaign } from '../../domain/campaign.ts';
import { cellCentre, cellRing } from '../../domain/grid/cell-geometry.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import { cachePlan, loadCachedCampaigns } from '../campaigns/campaign-cache.ts';
import { api } from '../shell/api.ts';
import { PLANNED_CELLS_SHOWN, plannedCells, type PlannedCell, needsText } from './sampling-plan-cells.ts';

/** The plan: fresh when online (and kept on the device), else as last kept; undefined when never fetched. */
async function loadPlan(
  userId: string | undefined,
  campaignId: string,
  signal: AbortSignal,
): Promise<{ plan: SamplingPlanAnswer; cached: boolean } | undefined> {
  try {
    const plan = await api(`/api/v1/campaigns/${encodeURIComponent(campaignId)}/sampling-plan`, SamplingPlanAnswerSchema, { signal });
    if (userId) void cachePlan(userId, { plan, fetchedAt: Date.now() });
    return { plan, cached: false };
  } catch (error) {
    if (signal.aborted) throw error;
    const cached = userId ? (await loadCachedCampaigns(userId))?.plans?.[campaignId] : undefined;
    return cached && { plan: cached.plan, cached: true };
  }
}

/**
 * The picked campaign's sampling plan on the agent's map: its undecided cells outlined, each
 * with its rank (1 = decided by the fewest readings), from the server or, offline, from the
 * plan the device kept.
 */
export function useSamplingPlan({
  map,
  campaign,
  userId,
  heldVersion,
}: {
  map: { readonly current: L.Map | undefined };
  campaign: Campaign | undefined;
  userId: string | undefined;
  heldVersion: number;
}): { cells?: PlannedCell[]; cap?: number; cached?: boolean } {
  const [state, setState] = useState<{ cells: PlannedCell[]; cap: number; cached: boolean }>();

  const campaignId = campaign?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: heldVersion asks the plan again after readings were sent; the map ref is read when it arrives.
  useEffect(() => {
    setState(undefined);
    if (!campaignId || !map.current) return;
    const abort = new AbortController();
    const layer = L.layerGroup();
    void loadPlan(userId, campaignId, abort.signal)
      .then((loaded) => {
        if (!loaded || abort.signal.aborted || !map.current) return;
        const cells = plannedCells(loaded.plan);
        for (const cell of cells.slice(0, PLANNED_CELLS_SHOWN)) {
          const ref = parseCellId(cell.cellId);
          if (!ref) continue;
          const ring = cellRing(ref).map(([lon, lat]) => L.latLng(lat, lon));
          L.polygon(ring, { pane: 'survey', interactive: false, color: '#0d47a1', weight: 2, fill: false }).addTo(layer);
          const [lon, lat] = cellCentre(ref);
          const label = `À mesurer n° ${cell.rank} — ${needsText(cell, loaded.plan.cap)}`;
          L.marker([lat, lon], {
            icon: L.divIcon({ className: 'plan-rank', html: String(cell.rank), iconSize: [22, 22] }),
            title: label,
            alt: label,
            keyboard: false,
          })
            .bindTooltip(label)
            .addTo(layer);
        }
        layer.addTo(map.current);
        setState({ cells, cap: loaded.plan.cap, cached: loaded.cached });
      })
      .catch(() => undefined);
    return () => {
      abort.abort();
      layer.remove();
    };
  }, [campaignId, heldVersion, userId]);

  return state ?? {};
}
