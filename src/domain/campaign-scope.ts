import type { Campaign } from './campaign.ts';
import { metresToDegreesLat, metresToDegreesLon } from './geo.ts';
import type { LonLat } from './grid/cell-geometry.ts';
import type { MultiPolygonGeometry, PolygonGeometry } from './grid/outline.ts';
import type { Reading } from './reading.ts';

/**
 * Whether a reading belongs to a campaign: taken during its period, in its commune. A reading
 * outside is kept, only not attached (no `campaignId`, no `communeInsee`): an October log
 * imported 30 km away must not count as December's campaign in Montpellier.
 *
 * The device tells the commune offline with what it holds, best first: the commune's outline
 * (GET /api/v1/communes/:code/outline, kept once a map or the campaign showed it), else the
 * box of the campaign's cells already measured (its progress, kept offline), widened by
 * CELLS_BOX_MARGIN_M since those cells never cover the whole commune; else it cannot tell,
 * and only the period is checked.
 */

export type CampaignArea =
  | { kind: 'outline'; geometry: PolygonGeometry | MultiPolygonGeometry }
  | { kind: 'cells-box'; bbox: readonly [west: number, south: number, east: number, north: number] }
  | { kind: 'unknown' };

export interface CampaignScope {
  campaignId: string;
  communeInsee: string;
  /** First and last day, inclusive, YYYY-MM-DD, on the device's (the commune's) calendar. */
  startsOn: string;
  endsOn: string;
  area: CampaignArea;
}

/** How far around the box of the measured cells a reading still counts as in the commune. */
export const CELLS_BOX_MARGIN_M = 2000;

export function campaignScope(campaign: Pick<Campaign, 'id' | 'communeInsee' | 'startsOn' | 'endsOn'>, area: CampaignArea): CampaignScope {
  return { campaignId: campaign.id, communeInsee: campaign.communeInsee, startsOn: campaign.startsOn, endsOn: campaign.endsOn, area };
}

/** The box of cells given as their corners (lon/lat), widened by CELLS_BOX_MARGIN_M; unknown without cells. */
export function cellsBoxArea(corners: Iterable<LonLat>): CampaignArea {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of corners) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (!Number.isFinite(west)) return { kind: 'unknown' };
  const dLat = metresToDegreesLat(CELLS_BOX_MARGIN_M);
  const dLon = metresToDegreesLon(CELLS_BOX_MARGIN_M, (south + north) / 2);
  return { kind: 'cells-box', bbox: [west - dLon, south - dLat, east + dLon, north + dLat] };
}

/** Whether the reading was taken during the campaign's period and, as far as the device can tell, in its commune. */
export function withinCampaign(reading: Pick<Reading, 'recordedAt' | 'lat' | 'lon'>, scope: CampaignScope): boolean {
  return inPeriod(reading.recordedAt, scope) && inArea(reading.lon, reading.lat, scope.area);
}

/**
 * The reading without its campaign when it lies outside the campaign (withinCampaign), else
 * as it is. Only a reading carrying this campaign is looked at.
 */
export function attachedOrDetached<R extends Pick<Reading, 'recordedAt' | 'lat' | 'lon' | 'campaignId' | 'communeInsee'>>(
  reading: R,
  scope: CampaignScope,
): { reading: R; detached: boolean } {
  if (reading.campaignId !== scope.campaignId || withinCampaign(reading, scope)) return { reading, detached: false };
  const { campaignId: _campaign, communeInsee: _commune, ...rest } = reading;
  return { reading: rest as R, detached: true };
}

function inPeriod(recordedAt: string, { startsOn, endsOn }: CampaignScope): boolean {
  const at = new Date(recordedAt);
  if (Number.isNaN(at.getTime())) return false;
  const day = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  return startsOn <= day && day <= endsOn;
}

function inArea(lon: number, lat: number, area: CampaignArea): boolean {
  if (area.kind === 'unknown') return true;
  if (area.kind === 'cells-box') {
    const [west, south, east, north] = area.bbox;
    return west <= lon && lon <= east && south <= lat && lat <= north;
  }
  const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
  // Even-odd rule over every ring: holes and separate pieces come out right without telling them apart.
  let inside = false;
  for (const ring of polygons.flat()) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const from = ring[j];
      const to = ring[i];
      if (from === undefined || to === undefined) continue;
      const [x1, y1] = from;
      const [x2, y2] = to;
      if (y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
  }
  return inside;
}
