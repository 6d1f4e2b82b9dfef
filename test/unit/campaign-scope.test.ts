import { beforeEach, describe, expect, it } from 'vitest';
import { attachedOrDetached, campaignScope, cellsBoxArea, withinCampaign, type CampaignScope } from '../../src/domain/campaign-scope.ts';
import { TOWER_COLLECTOR_COLUMNS } from '../../src/domain/import/tower-collector.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { listReadings } from '../../src/store/outbox.ts';
import { importFile, previewImport } from '../../src/worker/import-file.ts';
import { freshDatabase } from './helpers.ts';

/** A square around Montpellier's centre, about 11 km wide: the commune as its outline says. */
const MONTPELLIER = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [3.81, 43.56],
      [3.94, 43.56],
      [3.94, 43.66],
      [3.81, 43.66],
      [3.81, 43.56],
    ] as [number, number][],
  ],
};
const DECEMBER = { id: 'c0a8e0b4-4c1e-4c55-9d8a-6a3f1e5b2c11', communeInsee: '34172', startsOn: '2026-12-01', endsOn: '2026-12-20' };
const outlined: CampaignScope = campaignScope(DECEMBER, { kind: 'outline', geometry: MONTPELLIER });

const at = (recordedAt: string, lat = 43.6108, lon = 3.8767) => ({ recordedAt, lat, lon });

describe('a reading within its campaign', () => {
  it('counts the days of the period, both ends included', () => {
    expect(withinCampaign(at('2026-12-01T12:00:00+01:00'), outlined)).toBe(true);
    expect(withinCampaign(at('2026-12-20T12:00:00+01:00'), outlined)).toBe(true);
    expect(withinCampaign(at('2026-11-30T12:00:00+01:00'), outlined)).toBe(false);
    expect(withinCampaign(at('2026-12-21T12:00:00+01:00'), outlined)).toBe(false);
    // October's log: out of the period wherever it was taken.
    expect(withinCampaign(at('2026-10-14T09:00:00+02:00'), outlined)).toBe(false);
  });

  it('tells the commune by its outline, then by the box of the measured cells, else checks the period only', () => {
    // Saint-Guilhem-le-Désert, 30 km away, in December.
    const away = at('2026-12-04T10:00:00+01:00', 43.7339, 3.5494);
    expect(withinCampaign(at('2026-12-04T10:00:00+01:00'), outlined)).toBe(true);
    expect(withinCampaign(away, outlined)).toBe(false);

    const cells = campaignScope(
      DECEMBER,
      cellsBoxArea([
        [3.87, 43.6],
        [3.88, 43.61],
      ]),
    );
    expect(cells.area.kind).toBe('cells-box');
    // 1.5 km beyond the last cell measured is still the commune; 30 km is not.
    expect(withinCampaign(at('2026-12-04T10:00:00+01:00', 43.61 + 0.0135, 3.88), cells)).toBe(true);
    expect(withinCampaign(away, cells)).toBe(false);

    const unknown = campaignScope(DECEMBER, cellsBoxArea([]));
    expect(unknown.area).toEqual({ kind: 'unknown' });
    expect(withinCampaign(away, unknown)).toBe(true);
  });

  it('handles holes and separate pieces of a commune’s outline', () => {
    const withHole = campaignScope(DECEMBER, {
      kind: 'outline',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            ...MONTPELLIER.coordinates,
            [
              [3.86, 43.6],
              [3.86, 43.62],
              [3.89, 43.62],
              [3.89, 43.6],
              [3.86, 43.6],
            ],
          ],
          [
            [
              [3.5, 43.7],
              [3.6, 43.7],
              [3.6, 43.8],
              [3.5, 43.8],
              [3.5, 43.7],
            ],
          ],
        ],
      },
    });
    expect(withinCampaign(at('2026-12-04T10:00:00+01:00', 43.61, 3.875), withHole)).toBe(false);
    expect(withinCampaign(at('2026-12-04T10:00:00+01:00', 43.58, 3.83), withHole)).toBe(true);
    expect(withinCampaign(at('2026-12-04T10:00:00+01:00', 43.7339, 3.5494), withHole)).toBe(true);
  });

  it('takes the campaign off a reading outside it, and leaves any other reading as it is', () => {
    const reading = { ...at('2026-10-14T09:00:00+02:00'), campaignId: DECEMBER.id, communeInsee: '34172', operator: 'orange' } as Pick<
      Reading,
      'recordedAt' | 'lat' | 'lon' | 'campaignId' | 'communeInsee' | 'operator'
    >;
    const outcome = attachedOrDetached(reading, outlined);
    expect(outcome.detached).toBe(true);
    expect(outcome.reading).toEqual({ recordedAt: reading.recordedAt, lat: reading.lat, lon: reading.lon, operator: 'orange' });
    const other = { ...reading, campaignId: 'another' };
    expect(attachedOrDetached(other, outlined)).toEqual({ reading: other, detached: false });
  });
});

/** A Tower Collector log: `october` rows in October at Saint-Guilhem, then `december` rows in December in Montpellier. */
function mixedLog(october: number, december: number): string {
  const lines = [TOWER_COLLECTOR_COLUMNS.join(',')];
  const row = (i: number, lat: number, lon: number, when: string) => {
    const values: Record<string, string | number> = {
      mcc: 208,
      mnc: 1,
      lac: 31005,
      cell_id: 20512000 + i,
      psc: 312,
      dbm: -95,
      lat: lat.toFixed(6),
      lon: lon.toFixed(6),
      accuracy: 8,
      speed: 0,
      bearing: 0,
      altitude: 40,
      measured_at: new Date(Date.parse(when) + i * 10_000).toISOString(),
      net_type: 'LTE',
      neighboring: 'false',
      device: 'Pixel 7',
      rsrp: -95,
    };
    lines.push(TOWER_COLLECTOR_COLUMNS.map((column) => values[column] ?? '').join(','));
  };
  for (let i = 0; i < october; i += 1) row(i, 43.7339, 3.5494, '2026-10-14T07:00:00Z');
  for (let i = october; i < october + december; i += 1) row(i, 43.6108, 3.8767, '2026-12-04T09:00:00Z');
  return `${lines.join('\r\n')}\r\n`;
}

describe('importing a log for a campaign', () => {
  beforeEach(freshDatabase);

  it('previews and imports the readings outside the campaign without it, and counts them', async () => {
    const file = new Blob([mixedLog(7, 3)]);
    const options = { setting: 'auto' as const, campaign: { campaignId: DECEMBER.id, communeInsee: '34172' }, campaignScope: outlined };
    const preview = await previewImport(file, options);
    expect(preview).toMatchObject({ toImport: 10, outsideCampaign: 7 });

    const result = await importFile(file, options);
    expect(result).toMatchObject({ added: 10, outsideCampaign: 7 });
    const stored = (await listReadings()).map((record) => record.reading);
    expect(stored.filter((reading) => reading.campaignId === DECEMBER.id && reading.communeInsee === '34172')).toHaveLength(3);
    const loose = stored.filter((reading) => reading.campaignId === undefined);
    expect(loose).toHaveLength(7);
    expect(loose.every((reading) => reading.recordedAt.startsWith('2026-10') && reading.communeInsee === undefined)).toBe(true);

    // Again: nothing new, nothing counted outside.
    expect(await previewImport(file, options)).toMatchObject({ toImport: 0, outsideCampaign: 0 });
    expect(await importFile(file, options)).toMatchObject({ added: 0, outsideCampaign: 0 });
  });
});
