import L from 'leaflet';
import { useEffect, useState } from 'preact/hooks';
import type { Campaign } from '../../domain/campaign.ts';
import type { CellsToSurvey, OutlineGeometry } from '../../worker/cells-to-survey.ts';
import { getCampaignProgress } from '../campaigns/campaigns-api.ts';
import { cacheProgress, loadCachedCampaigns } from '../campaigns/campaign-cache.ts';
import { loadCommuneOutline } from './load-commune-outline.ts';
import type { MapWorker } from './map-worker.ts';

const SURVEY_COLOUR = '#6a1b9a';

/** The cells with a reading of the campaign on the server: fresh when online, else as the campaign screens cached them. */
async function visitedCells(userId: string | undefined, campaignId: string, signal: AbortSignal): Promise<string[]> {
  try {
    const progress = await getCampaignProgress(campaignId, signal);
    if (userId) void cacheProgress(userId, { progress, fetchedAt: Date.now() });
    return progress.cells.map((cell) => cell.cellId);
  } catch (error) {
    if (signal.aborted) throw error;
    const cached = userId ? await loadCachedCampaigns(userId) : undefined;
    return cached?.progress[campaignId]?.progress.cells.map((cell) => cell.cellId) ?? [];
  }
}

/**
 * The picked campaign's commune outline and its 200 m cells nobody measured yet, drawn on
 * the map (outline dashed, cells shaded under the readings).
 */
export function useCellsToSurvey({
  map,
  worker,
  campaign,
  userId,
  heldVersion,
}: {
  map: { readonly current: L.Map | undefined };
  worker: { readonly current: MapWorker | undefined };
  campaign: Campaign | undefined;
  userId: string | undefined;
  heldVersion: number;
}): { cells?: CellsToSurvey; notice?: string; outlineBounds?: L.LatLngBounds } {
  const [outline, setOutline] = useState<OutlineGeometry>();
  const [outlineBounds, setOutlineBounds] = useState<L.LatLngBounds>();
  const [notice, setNotice] = useState<string>();
  const [cells, setCells] = useState<CellsToSurvey>();

  useEffect(() => {
    setOutline(undefined);
    setOutlineBounds(undefined);
    setNotice(undefined);
    if (!campaign || !map.current) return;
    const abort = new AbortController();
    let layer: L.GeoJSON | undefined;
    void loadCommuneOutline(campaign.communeInsee, abort.signal).then(
      (answer) => {
        if (abort.signal.aborted || !map.current) return;
        if (answer.kind === 'not-provided') return setNotice('Contour de la commune non disponible sur ce serveur.');
        if (answer.kind === 'unavailable') return setNotice('Contour de la commune indisponible hors ligne : ouvrez la carte une fois avec du réseau.');
        layer = L.geoJSON(answer.geometry as GeoJSON.Geometry, {
          interactive: false,
          style: { color: SURVEY_COLOUR, weight: 2, dashArray: '6 4', fill: false },
        }).addTo(map.current);
        setOutline(answer.geometry);
        setOutlineBounds(layer.getBounds());
      },
      () => undefined,
    );
    return () => {
      abort.abort();
      layer?.remove();
    };
  }, [campaign?.communeInsee]);

  useEffect(() => {
    setCells(undefined);
    if (!campaign || !outline || heldVersion === 0) return;
    const abort = new AbortController();
    let layer: L.GeoJSON | undefined;
    void (async () => {
      const visited = await visitedCells(userId, campaign.id, abort.signal);
      const result = await worker.current!.remote.cellsToSurvey(outline, visited, campaign.id);
      if (abort.signal.aborted || !map.current) return;
      layer = L.geoJSON(result.geometry as GeoJSON.Geometry, {
        pane: 'survey',
        interactive: false,
        style: { color: SURVEY_COLOUR, weight: 0, fillColor: SURVEY_COLOUR, fillOpacity: 0.18 },
      }).addTo(map.current);
      setCells(result);
    })().catch(() => undefined);
    return () => {
      abort.abort();
      layer?.remove();
    };
  }, [campaign?.id, outline, heldVersion, userId]);

  return { ...(cells && { cells }), ...(notice && { notice }), ...(outlineBounds && { outlineBounds }) };
}
