import { OPERATORS, type Operator } from '../../domain/operators.ts';
import { CLUSTER_BELOW_ZOOM } from '../../domain/reading-clusters.ts';
import { TECHNOLOGIES, type Technology } from '../../domain/signal.ts';
import type { MapReadingFilters } from '../../worker/map-layers.ts';

export type { MapReadingFilters };

const KEY = 'couverture.map-filters';

/** Nothing unticked: every reading shows. */
export const NO_FILTERS: MapReadingFilters = { operators: [], technologies: [] };

/** The chips ticked last time on this device; values a newer or older app does not know are dropped. */
export function loadMapFilters(): MapReadingFilters {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<MapReadingFilters> | null;
    if (!saved) return NO_FILTERS;
    return {
      operators: (saved.operators ?? []).filter((operator): operator is Operator => (OPERATORS as readonly string[]).includes(operator)),
      technologies: (saved.technologies ?? []).filter((technology): technology is Technology => (TECHNOLOGIES as readonly string[]).includes(technology)),
    };
  } catch {
    return NO_FILTERS;
  }
}

export function saveMapFilters(filters: MapReadingFilters): void {
  localStorage.setItem(KEY, JSON.stringify(filters));
}

/**
 * Ticks or unticks one chip. An empty list stands for "all", so the first untick of an
 * untouched group keeps every other value, and ticking the last one back empties the list.
 */
export function toggleFilter<T extends string>(selected: readonly T[], all: readonly T[], value: T): T[] {
  const current = selected.length === 0 ? [...all] : [...selected];
  const next = current.includes(value) ? current.filter((item) => item !== value) : [...current, value];
  return next.length === all.length ? [] : all.filter((item) => next.includes(item));
}

export function isShown<T extends string>(selected: readonly T[], value: T): boolean {
  return selected.length === 0 || selected.includes(value);
}

/** GET /api/v1/readings for one view: bbox, zoom (clusters below 13, pages of `limit` points above) and the filters. */
export function serverReadingsUrl(
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number },
  zoom: number,
  filters: MapReadingFilters,
  limit: number,
): string {
  const clamp = (n: number, bound: number) => Math.max(-bound, Math.min(bound, n)).toFixed(5);
  const params = new URLSearchParams({
    bbox: [clamp(bbox.minLon, 180), clamp(bbox.minLat, 90), clamp(bbox.maxLon, 180), clamp(bbox.maxLat, 90)].join(','),
    zoom: String(Math.floor(zoom)),
  });
  // Clusters cover the whole box in one answer: the server refuses a page size with them.
  if (zoom >= CLUSTER_BELOW_ZOOM) params.set('limit', String(limit));
  if (filters.operators.length > 0) params.set('operator', filters.operators.join(','));
  if (filters.technologies.length > 0) params.set('technology', filters.technologies.join(','));
  return `/api/v1/readings?${params.toString()}`;
}
