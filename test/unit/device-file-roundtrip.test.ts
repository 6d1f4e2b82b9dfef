import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../src/domain/import/import-summary.ts';
import { getDb, waitingRecord } from '../../src/store/db.ts';
import { listReadings } from '../../src/store/outbox.ts';
import { exportReadings } from '../../src/worker/export-readings.ts';
import { importFile, previewImport } from '../../src/worker/import-file.ts';
import { DEVICE_READINGS } from '../fixtures/device-readings.ts';
import { AGENT_ID, freshDatabase, makeReading } from './helpers.ts';

async function storeDeviceReadings(): Promise<void> {
  const db = await getDb();
  let savedAt = 1;
  for (const { reading, state } of DEVICE_READINGS) await db.add('outbox', { ...waitingRecord(reading, savedAt++), state });
}

const originals = DEVICE_READINGS.map(({ reading }) => reading);
const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

beforeEach(freshDatabase);

describe('device export → import', () => {
  for (const format of ['geojson', 'csv', 'json'] as ExportFormat[]) {
    it(`${format}: another device gets the same readings with their ids, once`, async () => {
      await storeDeviceReadings();
      const { blob, count } = await exportReadings(format, 'all');
      expect(count).toBe(3);

      // The same device: everything is already there.
      expect(await previewImport(blob, { setting: 'auto' })).toMatchObject({ rowsRead: 3, toImport: 0, alreadyOnDevice: 3, refusedCount: 0 });
      expect(await importFile(blob, { setting: 'auto' })).toMatchObject({ added: 0, alreadyOnDevice: 3 });

      // A wiped phone, or another one.
      await freshDatabase();
      const result = await importFile(blob, { setting: 'vehicle', recordedBy: AGENT_ID });
      expect(result).toMatchObject({ rowsRead: 3, added: 3, refusedCount: 0 });
      const stored = await listReadings();
      // Own files keep every field as exported: the agent's setting choice applies to app logs only.
      expect(byId(stored.map((record) => record.reading))).toEqual(byId(originals));
      expect(stored.every((record) => record.state === 'pending' && record.recordedBy === AGENT_ID)).toBe(true);

      expect(await importFile(blob, { setting: 'auto' })).toMatchObject({ added: 0, alreadyOnDevice: 3 });
      expect(await listReadings()).toHaveLength(3);
    });
  }

  it('exports only the readings not yet sent when asked', async () => {
    await storeDeviceReadings();
    const { blob, count } = await exportReadings('geojson', 'unsent');
    expect(count).toBe(2);
    const collection = JSON.parse(await blob.text()) as {
      type: string;
      features: { geometry: { coordinates: number[] }; properties: { id: string; state: string } }[];
    };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((feature) => feature.properties.state)).toEqual(['pending', 'refused']);
    expect(collection.features[0]!.geometry.coordinates).toEqual([3.5521, 43.7351]);
  });

  for (const name of ['device-export.geojson', 'device-export.csv', 'device-export.json']) {
    it(`reads back ${name}, written by this version, exactly`, async () => {
      const file = new Blob([await readFile(new URL(`../fixtures/${name}`, import.meta.url))]);
      expect(await importFile(file, { setting: 'auto' })).toMatchObject({ added: 3, refusedCount: 0 });
      expect(byId((await listReadings()).map((record) => record.reading))).toEqual(byId(originals));
    });
  }

  it('judges each item alone: a broken feature is refused with the schema’s reason, the others are imported', async () => {
    const good = makeReading({ recordedAt: '2025-06-12T10:00:00.000+02:00' });
    const bad = makeReading({ recordedAt: '2025-06-12T10:01:00.000+02:00', operator: 'verizon' as never });
    const feature = (reading: typeof good) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] },
      properties: { ...reading, state: 'pending' },
    });
    const file = new Blob([JSON.stringify({ type: 'FeatureCollection', features: [feature(bad), feature(good), { type: 'Feature' }] })]);
    const result = await importFile(file, { setting: 'auto' });
    expect(result).toMatchObject({ format: 'couverture-geojson', rowsRead: 3, added: 1, refusedCount: 2 });
    expect(result.refused.map(({ line, code, reason }) => `${line} ${code} ${reason}`)).toEqual([
      '1 invalid Opérateur inconnu : attendu orange, sfr, bouygues, free',
      '3 malformed Élément GeoJSON sans propriétés : pas un relevé exporté par Couverture',
    ]);
    expect((await listReadings()).map((record) => record.id)).toEqual([good.id]);
  });

  it('reads our CSV with a note full of commas, quotes and line breaks split across blocks', async () => {
    const readings = Array.from({ length: 1200 }, (_, i) =>
      makeReading({ recordedAt: '2025-06-12T10:00:00.000+02:00', note: `Relevé n° ${i}, « près du pont »\n"là où ça coupe" ${'é'.repeat(i % 7)}` }),
    );
    const db = await getDb();
    for (const [i, reading] of readings.entries()) await db.add('outbox', waitingRecord(reading, i));
    const { blob } = await exportReadings('csv', 'all');
    expect(blob.size).toBeGreaterThan(256 * 1024);
    await freshDatabase();
    expect(await importFile(blob, { setting: 'auto' })).toMatchObject({ rowsRead: 1200, added: 1200, refusedCount: 0 });
    expect(byId((await listReadings()).map((record) => record.reading))).toEqual(byId(readings));
  });
});
