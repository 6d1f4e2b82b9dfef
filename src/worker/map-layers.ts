import { readingFeature, type FeatureCollection, type ReadingProperties } from '../domain/geojson.ts';
import { LEVELS, type Level } from '../domain/level.ts';
import type { Reading } from '../domain/reading.ts';

export type DeviceReadingProperties = ReadingProperties & { state: string };

export interface DeviceLayer {
  collection: FeatureCollection<DeviceReadingProperties>;
  countsByLevel: Record<Level, number>;
}

/**
 * The device's readings as a map layer, with each one's level. Run in the worker: a phone
 * that surveyed a whole canton holds tens of thousands of readings.
 */
export function buildDeviceLayer(records: { reading: Reading; state: string }[]): DeviceLayer {
  const countsByLevel = Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
  const features = records.map(({ reading, state }) => {
    const feature = readingFeature(reading);
    countsByLevel[feature.properties.level] += 1;
    return { ...feature, properties: { ...feature.properties, state } };
  });
  return { collection: { type: 'FeatureCollection', features }, countsByLevel };
}
