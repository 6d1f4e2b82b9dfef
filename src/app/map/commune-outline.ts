import type { OutlineGeometry } from '../../worker/cells-to-survey.ts';

export type CommuneOutline = { kind: 'outline'; geometry: OutlineGeometry } | { kind: 'not-provided' } | { kind: 'unavailable' };

/** Where an outline is kept on this device (load-commune-outline.ts writes it). */
export const outlineKey = (insee: string) => `couverture.commune-outline.${insee}`;

/** The outline kept on this device by an earlier loadCommuneOutline, without asking the network. */
export function cachedCommuneOutline(insee: string): OutlineGeometry | undefined {
  try {
    const cached = localStorage.getItem(outlineKey(insee));
    return cached ? (JSON.parse(cached) as OutlineGeometry) : undefined;
  } catch {
    return undefined;
  }
}
