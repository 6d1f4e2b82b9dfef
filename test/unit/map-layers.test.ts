import { describe, expect, it } from 'vitest';
import { CLUSTER_BELOW_ZOOM } from '../../src/domain/reading-clusters.ts';
import { deviceMapView, heldCampaignReadings, holdDeviceReadings, MAX_DEVICE_POINTS } from '../../src/worker/map-layers.ts';
import { dominantLevel } from '../../src/app/map/cluster-style.ts';
import { makeReading } from './helpers.ts';

const HERAULT = { minLon: 2.5, minLat: 43.2, maxLon: 4.3, maxLat: 44 };
const ALL = { operators: [], technologies: [] };

describe('the device’s readings per map view, in the map worker', () => {
  it('clusters below zoom 13 with counts summing to the readings in view, and counts the legend over every reading kept', () => {
    const inView = Array.from({ length: 300 }, (_, i) => makeReading({ lat: 43.5 + (i % 30) * 0.01, lon: 3.4 + Math.floor(i / 30) * 0.02, signalBars: i % 5 }));
    const outside = [makeReading({ lat: 45.7, lon: 4.8 })];
    holdDeviceReadings([...inView, ...outside].map((reading) => ({ reading, state: 'sent' })));
    const view = deviceMapView({ bbox: HERAULT, zoom: 9, filters: ALL });
    expect(view.kind).toBe('clusters');
    if (view.kind !== 'clusters') return;
    expect(view.features.reduce((sum, feature) => sum + feature.properties.count, 0)).toBe(300);
    expect(view.features.length).toBeGreaterThan(1);
    expect(Object.values(view.countsByLevel).reduce((a, b) => a + b, 0)).toBe(301);
  });

  it('filters by operator and technology, the same for clusters and points', () => {
    holdDeviceReadings(
      [
        makeReading({ lat: 43.6, lon: 3.5, operator: 'orange', technology: '4G' }),
        makeReading({ lat: 43.6, lon: 3.5, operator: 'sfr', technology: '4G' }),
        makeReading({ lat: 43.6, lon: 3.5, operator: 'sfr', technology: '2G', signalDbm: -80 }),
      ].map((reading) => ({ reading, state: 'pending' })),
    );
    const sfr = { operators: ['sfr' as const], technologies: [] };
    const clusters = deviceMapView({ bbox: HERAULT, zoom: 10, filters: sfr });
    expect(clusters.kind === 'clusters' && clusters.features.map((f) => f.properties.count)).toEqual([2]);
    const points = deviceMapView({ bbox: HERAULT, zoom: CLUSTER_BELOW_ZOOM, filters: { operators: ['sfr'], technologies: ['4G'] } });
    expect(points.kind).toBe('points');
    expect(points.kind === 'points' && points.features.map((f) => [f.properties.operator, f.properties.technology, f.properties.state])).toEqual([
      ['sfr', '4G', 'pending'],
    ]);
  });

  it('above zoom 13 draws the newest points in view, at most MAX_DEVICE_POINTS, and says how many it left out', () => {
    const base = Date.parse('2026-05-01T08:00:00Z');
    const readings = Array.from({ length: MAX_DEVICE_POINTS + 10 }, (_, i) =>
      makeReading({ lat: 43.6 + i * 1e-6, lon: 3.5, recordedAt: new Date(base + i * 1000).toISOString() }),
    );
    holdDeviceReadings(readings.map((reading) => ({ reading, state: 'sent' })));
    const view = deviceMapView({ bbox: { minLon: 3.49, minLat: 43.59, maxLon: 3.51, maxLat: 43.62 }, zoom: 15, filters: ALL });
    if (view.kind !== 'points') throw new Error('expected points');
    expect(view.features).toHaveLength(MAX_DEVICE_POINTS);
    expect(view.omitted).toBe(10);
    expect(view.features[0]!.properties.recordedAt).toBe(readings.at(-1)!.recordedAt);
  });

  it('hands over a campaign’s readings for the cells still to survey', () => {
    const campaignId = '6f1c2b7e-2d2a-4a57-9a55-4a6f0f4b8c11';
    holdDeviceReadings([makeReading({ campaignId }), makeReading()].map((reading) => ({ reading, state: 'sent' })));
    expect(heldCampaignReadings(campaignId)).toHaveLength(1);
  });

  it('colours a cluster by its most common level, the worse one on a tie', () => {
    expect(dominantLevel({ TBC: 5, BC: 1, CL: 0, PC: 2 })).toBe('TBC');
    expect(dominantLevel({ TBC: 3, BC: 0, CL: 0, PC: 3 })).toBe('PC');
  });
});
