import type { Zone, ZoneDraft, ZoneMove } from '../../domain/zone.ts';
import { api } from '../shell/api.ts';

/** The zone routes of issue 4. Zones live on the server only: every reviewer of the département sees the same. */

export const ZONES_PATH = '/api/v1/zones';
type ZonesAnswer = { zones: Zone[] } | Zone[];
const zonesOf = (answer: ZonesAnswer): Zone[] => (Array.isArray(answer) ? answer : answer.zones);

export function listZones(signal?: AbortSignal): Promise<Zone[]> {
  return api<ZonesAnswer>(ZONES_PATH, { ...(signal && { signal }) }).then(zonesOf);
}

export function getZone(id: string, signal?: AbortSignal): Promise<Zone> {
  return api<Zone>(`/api/v1/zones/${encodeURIComponent(id)}`, { ...(signal && { signal }) });
}

export function createZone(draft: ZoneDraft): Promise<Zone> {
  return api<Zone>('/api/v1/zones', { method: 'POST', body: draft });
}

export function moveZone(id: string, move: ZoneMove): Promise<Zone> {
  return api<Zone>(`/api/v1/zones/${encodeURIComponent(id)}/status`, { method: 'POST', body: move });
}

export function editZone(id: string, patch: Partial<ZoneDraft>): Promise<Zone> {
  return api<Zone>(`/api/v1/zones/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export const zoneFileUrl = (id: string, file: 'dossier.geojson' | 'readings.csv' | 'dossier.json') => `/api/v1/zones/${encodeURIComponent(id)}/${file}`;
