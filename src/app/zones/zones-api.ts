import { ZoneAnswerSchema, ZonesAnswerSchema, type ZoneAnswer } from '../../domain/api/index.ts';
import type { ZoneDraft, ZoneMove } from '../../domain/zone.ts';
import { api } from '../shell/api.ts';

/** The zone routes of issue 4. Zones live on the server only: every reviewer of the département sees the same. */

export const ZONES_PATH = '/api/v1/zones';

export function listZones(signal?: AbortSignal): Promise<ZoneAnswer[]> {
  return api(ZONES_PATH, ZonesAnswerSchema, { ...(signal && { signal }) }).then(({ zones }) => zones);
}

export function getZone(id: string, signal?: AbortSignal): Promise<ZoneAnswer> {
  return api(`/api/v1/zones/${encodeURIComponent(id)}`, ZoneAnswerSchema, { ...(signal && { signal }) });
}

export function createZone(draft: ZoneDraft): Promise<ZoneAnswer> {
  return api('/api/v1/zones', ZoneAnswerSchema, { method: 'POST', body: draft });
}

export function moveZone(id: string, move: ZoneMove): Promise<ZoneAnswer> {
  return api(`/api/v1/zones/${encodeURIComponent(id)}/status`, ZoneAnswerSchema, { method: 'POST', body: move });
}

export function editZone(id: string, patch: Partial<ZoneDraft>): Promise<ZoneAnswer> {
  return api(`/api/v1/zones/${encodeURIComponent(id)}`, ZoneAnswerSchema, { method: 'PATCH', body: patch });
}

export const zoneFileUrl = (id: string, file: 'dossier.geojson' | 'readings.csv' | 'dossier.json') => `/api/v1/zones/${encodeURIComponent(id)}/${file}`;
