import { describe, expect, it } from 'vitest';
import { importedReadingId } from '../../src/domain/import/import-id.ts';
import { mapNetworkSurveyRow } from '../../src/domain/import/network-survey.ts';
import { mapTowerCollectorRow } from '../../src/domain/import/tower-collector.ts';
import { DeviceUuidSchema } from '../../src/domain/reading-schema.ts';
import * as v from 'valibot';

const row = {
  mcc: '208',
  mnc: '1',
  lac: '31005',
  cell_id: '20512783',
  psc: '312',
  dbm: '-95',
  lat: '43.73390000',
  lon: '3.54940000',
  accuracy: '8.5',
  speed: '0.5',
  bearing: '120',
  altitude: '95',
  measured_at: '2025-06-12T08:00:00.000Z',
  net_type: 'LTE',
  neighboring: 'false',
  rsrp: '-95',
};

function idOf(overrides: Record<string, string> = {}): string {
  const outcome = mapTowerCollectorRow({ ...row, ...overrides }, { setting: 'auto' });
  if (!outcome.ok) throw new Error(outcome.refusal.reason);
  return outcome.reading.id;
}

describe('deterministic ids of imported rows', () => {
  it('gives the same row the same id, every time, as a lower-case UUID v5', () => {
    const id = idOf();
    expect(idOf()).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.is(DeviceUuidSchema, id)).toBe(true);
    // Pinned: a change of namespace or name would make every earlier import a duplicate.
    expect(
      importedReadingId({
        format: 'tower-collector',
        at: Date.parse('2025-06-12T08:00:00.000Z'),
        lat: 43.7339,
        lon: 3.5494,
        cellId: 20512783,
        operator: 'orange',
      }),
    ).toBe(id);
  });

  it('ignores what does not identify the measurement (setting, signal re-read, spelling of numbers and times)', () => {
    const id = idOf();
    expect(idOf({ lat: '43.7339', lon: '3.5494000' })).toBe(id);
    expect(idOf({ measured_at: '2025-06-12T10:00:00.000+02:00' })).toBe(id);
    expect(mapTowerCollectorRow(row, { setting: 'indoor' })).toMatchObject({ ok: true, reading: { id } });
  });

  it('gives another cell, operator, time, place or format another id', () => {
    const id = idOf();
    const others = [
      idOf({ cell_id: '20512784' }),
      idOf({ mnc: '10' }),
      idOf({ measured_at: '2025-06-12T08:00:01.000Z' }),
      idOf({ lat: '43.73391' }),
      idOf({ lon: '3.54941' }),
    ];
    const fromNetworkSurvey = mapNetworkSurveyRow(
      {
        deviceTime: row.measured_at,
        latitude: row.lat,
        longitude: row.lon,
        accuracy: '8.5',
        mcc: '208',
        mnc: '1',
        eci: '20512783',
        rsrp: '-95',
        servingCell: 'true',
      },
      { setting: 'auto' },
    );
    expect(fromNetworkSurvey.ok).toBe(true);
    if (fromNetworkSurvey.ok) others.push(fromNetworkSurvey.reading.id);
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });
});
