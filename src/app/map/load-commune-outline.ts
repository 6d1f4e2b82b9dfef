import { CommuneOutlineAnswerSchema } from '../../domain/api/communes.ts';
import type { OutlineGeometry } from '../../worker/cells-to-survey.ts';
import { api, ApiError } from '../shell/api.ts';
import { type CommuneOutline, outlineKey } from './commune-outline.ts';

/**
 * A commune's outline (GET /api/v1/communes/:code/outline), kept in localStorage so that it
 * shows offline in the field. « not-provided »: the server has no contours (404);
 * « unavailable »: neither the network nor the cache could say.
 */
export async function loadCommuneOutline(insee: string, signal?: AbortSignal): Promise<CommuneOutline> {
  try {
    const { geometry } = await api(`/api/v1/communes/${encodeURIComponent(insee)}/outline`, CommuneOutlineAnswerSchema, { ...(signal && { signal }) });
    try {
      localStorage.setItem(outlineKey(insee), JSON.stringify(geometry));
    } catch {
      // Storage full: the outline still shows now, only not offline.
    }
    return { kind: 'outline', geometry };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    if (error instanceof ApiError && error.status === 404) {
      localStorage.removeItem(outlineKey(insee));
      return { kind: 'not-provided' };
    }
    const cached = localStorage.getItem(outlineKey(insee));
    return cached ? { kind: 'outline', geometry: JSON.parse(cached) as OutlineGeometry } : { kind: 'unavailable' };
  }
}
