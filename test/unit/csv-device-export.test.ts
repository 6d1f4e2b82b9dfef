import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, waitingRecord } from '../../src/store/db.ts';
import { listReadings } from '../../src/store/outbox.ts';
import { exportReadings } from '../../src/worker/export-readings.ts';
import { importFile } from '../../src/worker/import-file.ts';
import { freshDatabase, makeReading } from './helpers.ts';

/**
 * The phone's CSV export goes through the product's CSV writer: a note a spreadsheet would
 * run is written behind an apostrophe, and importing the file back takes it away again, so
 * that the readings come back exactly as they were (no formula, no loss).
 */

beforeEach(freshDatabase);

const NOTES = [
  "+cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil","x")',
  '-2+3',
  '@SUM(1)',
  "'=déjà une apostrophe",
  "'simple",
  '-105',
  'Devant l’église, « pas de réseau »',
];

describe('the device’s CSV export', () => {
  it('writes formula-like notes as text, and imports them back unchanged', async () => {
    const readings = NOTES.map((note, i) => makeReading({ recordedAt: `2025-06-12T10:0${i}:00.000+02:00`, note, signalDbm: -105 }));
    const db = await getDb();
    for (const [i, reading] of readings.entries()) await db.add('outbox', waitingRecord(reading, i));

    const { blob } = await exportReadings('csv', 'all');
    const records = Papa.parse<Record<string, string>>((await blob.text()).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    const byId = new Map(records.map((record) => [record.id, record]));
    const written = readings.map((reading) => byId.get(reading.id)!.note);
    expect(written).toEqual([
      "'+cmd|' /C calc'!A0",
      `'=HYPERLINK("http://evil","x")`,
      "'-2+3",
      "'@SUM(1)",
      "''=déjà une apostrophe",
      "'simple",
      '-105',
      'Devant l’église, « pas de réseau »',
    ]);
    // Numbers stay numbers: the signal is not written as text behind an apostrophe.
    expect(records.every((record) => record.signalDbm === '-105')).toBe(true);

    await freshDatabase();
    expect(await importFile(blob, { setting: 'auto' })).toMatchObject({ added: NOTES.length, refusedCount: 0 });
    const back = new Map((await listReadings()).map((record) => [record.reading.id, record.reading]));
    for (const reading of readings) expect(back.get(reading.id)).toEqual(reading);
  });
});
