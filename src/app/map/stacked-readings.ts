import type { ReadingProperties } from '../../domain/geojson.ts';

/**
 * Readings measured at one spot (the same doorstep, « Même endroit, autre opérateur ») are
 * drawn on top of one another, and a tap only reaches the top one. A tap therefore gathers
 * every reading drawn within a finger's reach of it, and the popup lists them all.
 */

/** How far from the tap (CSS pixels) a drawn reading still counts as tapped: about a dot's radius and a finger's slop. */
export const STACK_RADIUS_PX = 10;

export interface DrawnReading {
  properties: ReadingProperties;
  onDevice: boolean;
}

/**
 * The readings drawn within `radiusPx` of the tap, nearest first, each reading once: one the
 * server sent back and the device still holds is listed as the device's.
 */
export function readingsNear<T extends DrawnReading>(
  drawn: readonly T[],
  tap: { x: number; y: number },
  toPixel: (reading: T) => { x: number; y: number },
  radiusPx = STACK_RADIUS_PX,
): T[] {
  const near = new Map<string, { reading: T; distance: number }>();
  for (const reading of drawn) {
    const pixel = toPixel(reading);
    const distance = Math.hypot(pixel.x - tap.x, pixel.y - tap.y);
    if (distance > radiusPx) continue;
    const id = reading.properties.id;
    const kept = near.get(id);
    if (!kept || (reading.onDevice && !kept.reading.onDevice)) near.set(id, { reading, distance: Math.min(distance, kept?.distance ?? Infinity) });
  }
  return [...near.values()]
    .sort((a, b) => a.distance - b.distance || b.reading.properties.recordedAt.localeCompare(a.reading.properties.recordedAt))
    .map(({ reading }) => reading);
}
