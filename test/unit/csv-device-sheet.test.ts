import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';
import { refusedLinesCsv } from '../../src/app/files/refused-lines.ts';
import { DEVICE_SHEET_HEADER } from '../../src/domain/import/device-sheet.ts';
import { getDb, waitingRecord } from '../../src/store/db.ts';
import { exportReadings } from '../../src/worker/export-readings.ts';
import { importFile } from '../../src/worker/import-file.ts';
import { freshDatabase, makeReading } from './helpers.ts';

/**
 * The phone's export « CSV pour tableur »: what French Excel opens into columns (byte-order
 * mark, semicolons, CRLF, French headers and values, decimal commas, the time in Paris). The
 * machine CSV beside it stays the file to import back.
 */

beforeEach(freshDatabase);

/** The file's text with its byte-order mark, which Blob.text() drops. */
async function fileText(blob: Blob): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blob.arrayBuffer());
}

function sheet(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const body = text.slice(1);
  expect(body.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<string[]>(body.slice(0, -2), { delimiter: ';', newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  expect(header).toEqual(DEVICE_SHEET_HEADER);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

describe('the device’s spreadsheet export (csv-tableur)', () => {
  it('writes the readings in French, with semicolons, decimal commas and the time in Paris', async () => {
    const reading = makeReading({
      recordedAt: '2025-06-12T10:05:00.000+02:00',
      operator: 'orange',
      signalDbm: -105,
      lat: 43.7339,
      lon: 3.5494,
      accuracyM: 8.5,
      voice: 'ok',
      note: '=1+1, près du pont',
    });
    const db = await getDb();
    await db.add('outbox', waitingRecord(reading, 1));

    const { blob, count } = await exportReadings('csv-tableur', 'all');
    expect(count).toBe(1);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const [record] = sheet(await fileText(blob));
    expect(record).toMatchObject({
      'Date du relevé': '12/06/2025 10:05',
      'Sur cet appareil': 'En attente d’envoi',
      Opérateur: 'Orange',
      'Niveau de couverture': 'Bonne couverture',
      'Signal (dBm)': '-105',
      'Test d’appel': 'Appel réussi',
      Latitude: '43,7339',
      Longitude: '3,5494',
      'Précision de la position (m)': '8,5',
      Note: "'=1+1, près du pont",
      Identifiant: reading.id,
    });
  });

  it('leaves the machine CSV as it was, the file to import back', async () => {
    const reading = makeReading();
    const db = await getDb();
    await db.add('outbox', { ...waitingRecord(reading, 1), state: 'sent' });
    const machine = (await exportReadings('csv', 'all')).blob;
    expect((await fileText(machine)).startsWith('\uFEFFid,state,level,')).toBe(true);
    await freshDatabase();
    expect(await importFile(machine, { setting: 'auto' })).toMatchObject({ added: 1, refusedCount: 0 });
  });

  it('writes the refused-lines file for a spreadsheet too: a line’s commas stay in its one cell', async () => {
    const text = await fileText(refusedLinesCsv([{ line: 2, code: 'malformed', reason: 'Ligne mal formée : 2 champs au lieu de 12', text: '1,2' }]));
    expect(text).toBe('\uFEFFligne;motif;contenu\r\n2;Ligne mal formée : 2 champs au lieu de 12;1,2\r\n');
  });
});
