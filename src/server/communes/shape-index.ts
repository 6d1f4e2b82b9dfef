import Flatbush from 'flatbush';
import { shapeContains, type Shape } from './point-in-polygon.ts';

/** Shapes looked up by a point: their bounding boxes in a static R-tree (flatbush), then exactly. */
export interface ShapeIndex<T> {
  /** The value of a shape containing the point (the first given, when shapes overlap), or undefined. */
  find(lon: number, lat: number): T | undefined;
  readonly size: number;
}

export function createShapeIndex<T>(entries: readonly { shape: Shape; value: T }[]): ShapeIndex<T> {
  if (entries.length === 0) return { find: () => undefined, size: 0 };
  const index = new Flatbush(entries.length);
  for (const { shape } of entries) index.add(...shape.bbox);
  index.finish();
  return {
    size: entries.length,
    find(lon, lat) {
      // search() answers in no useful order; the lowest index keeps "first given wins" stable.
      const candidates = index.search(lon, lat, lon, lat).sort((a, b) => a - b);
      for (const i of candidates) if (shapeContains(entries[i]!.shape, lon, lat)) return entries[i]!.value;
      return undefined;
    },
  };
}
