import { CommuneOutlineAnswerSchema } from '../../domain/api/communes.ts';
import type { OutlineGeometry } from '../../worker/cells-to-survey.ts';
import { api, ApiError } from '../shell/api.ts';

export type CommuneOutline = { kind: 'outline'; geometry: OutlineGeometry } | { kind: 'not-provided' } | { kind: 'unavailable' };

const keyOf = (insee: string) => `couverture.commune-outline.${insee}`;

/**
 * A commune's outline (GET /api/v1/communes/:code/outline), kept in localStorage so that it
 * shows offline in the field. « not-provided »: the server has no contours (404);
 * « unavailable »: neither the network nor the cache could say.
 */
export async function loadCommuneOutline(insee: string, signal?: AbortSignal): Promise<CommuneOutline> {
  try {
    const { geometry } = await api(`/api/v1/communes/${encodeURIComponent(insee)}/outline`, CommuneOutlineAnswerSchema, { ...(signal && { signal }) });
    try {
      localStorage.setItem(keyOf(insee), JSON.stringify(geometry));
    } catch {
      // Storage full: the outline still shows now, only not offline.
    }
    return { kind: 'outline', geometry };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    if (error instanceof ApiError && error.status === 404) {
      localStorage.removeItem(keyOf(insee));
      return { kind: 'not-provided' };
    }
    const cached = localStorage.getItem(keyOf(insee));
    return cached ? { kind: 'outline', geometry: JSON.parse(cached) as OutlineGeometry } : { kind: 'unavailable' };
  }
}

/** The outline kept on this device by an earlier loadCommuneOutline, without asking the network. */
export function cachedCommuneOutline(insee: string): OutlineGeometry | undefined {
  try {
    const cached = localStorage.getItem(keyOf(insee));
    return cached ? (JSON.parse(cached) as OutlineGeometry) : undefined;
  } catch {
    return undefined;
  }
}
