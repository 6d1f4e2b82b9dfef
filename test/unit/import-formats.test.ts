import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../src/domain/import/import-summary.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { previewImport } from '../../src/worker/import-file.ts';
import { ImportFileError, readImportFile } from '../../src/worker/import-source.ts';
import { freshDatabase } from './helpers.ts';

const fixture = async (name: string) => new Blob([await readFile(new URL(`../fixtures/${name}`, import.meta.url))]);

/** Every reading of a file by line, and its refusals as "line code reason". */
async function readAll(file: Blob, options: ImportOptions = { setting: 'auto' }) {
  const readings = new Map<number, Reading>();
  const refused: string[] = [];
  const format = await readImportFile(file, options, (rows) => {
    for (const { line, outcome } of rows) {
      if (outcome.ok) readings.set(line, outcome.reading);
      else refused.push(`${line} ${outcome.refusal.code} ${outcome.refusal.reason}`);
    }
  });
  return { format, readings, refused };
}

beforeEach(freshDatabase);

describe('Tower Collector CSV', () => {
  it('previews the fixture: rows read, to import, duplicates and every refusal with its line and reason', async () => {
    const preview = await previewImport(await fixture('tower-collector.csv'), { setting: 'auto' });
    expect(preview).toMatchObject({ format: 'tower-collector', rowsRead: 17, toImport: 6, alreadyOnDevice: 0, duplicatesInFile: 1, refusedCount: 10 });
    expect(preview.refused.map(({ line, code, reason }) => `${line} ${code} ${reason}`)).toEqual([
      '7 neighbour Cellule voisine : seule la cellule de service dit la couverture',
      '8 foreign Réseau d’un autre pays (MCC 222) : seuls les réseaux français (208) comptent',
      '9 plmn PLMN 208-99 inconnu : ni Orange, ni SFR, ni Free Mobile, ni Bouygues Telecom',
      '10 position Position manquante (latitude ou longitude vide)',
      '11 signal-range Signal hors plage plausible : -150 dBm (RSRP en 4G : de -140 à -43 dBm)',
      '12 radio Réseau CDMA : aucun opérateur ne l’exploite en France',
      '13 malformed Ligne mal formée : 13 champs au lieu de 40',
      '14 signal Signal manquant : aucune valeur dans rsrp ni dbm',
      '16 invalid Position trop imprécise (plus de 1000 m) pour servir de preuve',
      '18 time Date illisible : « hier matin »',
    ]);
    expect(preview.refused[6]!.text).toBe('208,1,31005,20512786,,,315,40,-97,1,43.74400000,3.56400000,9');
    expect(preview.refusedByCode).toEqual({
      neighbour: 1,
      foreign: 1,
      plmn: 1,
      position: 1,
      'signal-range': 1,
      radio: 1,
      malformed: 1,
      signal: 1,
      invalid: 1,
      time: 1,
    });
  });

  it('maps operator, technology, signal, time, position and cell identifiers', async () => {
    const { format, readings } = await readAll(await fixture('tower-collector.csv'));
    expect(format).toBe('tower-collector');
    // Line 15 repeats line 2: same reading, same id (the tally counts it once).
    expect([...readings.keys()]).toEqual([2, 3, 4, 5, 6, 15, 17]);
    expect(readings.get(15)).toEqual(readings.get(2));
    const lte = readings.get(2)!;
    expect(lte).toMatchObject({
      recordedAt: '2025-06-12T08:00:00.000Z',
      lat: 43.7339,
      lon: 3.5494,
      accuracyM: 8.5,
      altitudeM: 95,
      speedMps: 0.5,
      headingDeg: 120,
      operator: 'orange',
      technology: '4G',
      signalDbm: -95,
      setting: 'outdoor',
      source: 'import',
    });
    expect(lte.extra).toEqual({
      format: 'tower-collector',
      netType: 'LTE',
      mcc: 208,
      mnc: '01',
      tac: 31005,
      eci: 20512783,
      pci: 312,
      earfcn: 6300,
      rsrq: -10,
      ta: 3,
    });
    expect(lte.signalBars).toBeUndefined();
    // Faster than 3 m/s: in a vehicle.
    expect(readings.get(3)).toMatchObject({ operator: 'sfr', technology: '4G', signalDbm: -110, setting: 'vehicle' });
    expect(readings.get(4)).toMatchObject({ operator: 'bouygues', technology: '3G', signalDbm: -88 });
    expect(readings.get(4)!.extra).toMatchObject({ lac: 4501, cellId: 1234567, psc: 211, arfcn: 10812 });
    // MNC written "1": Orange's 01. Standing still: no heading.
    expect(readings.get(5)).toMatchObject({ operator: 'orange', technology: '2G', signalDbm: -75, speedMps: 0 });
    expect(readings.get(5)!.headingDeg).toBeUndefined();
    expect(readings.get(6)).toMatchObject({ operator: 'free', technology: '5G', signalDbm: -85 });
    expect(readings.get(6)!.extra).toMatchObject({ nci: 6710886401, nrarfcn: 636666, rsrq: -11 });
    // No RSRP column value: Android's dbm, which is the RSRP for LTE.
    expect(readings.get(17)).toMatchObject({ signalDbm: -101, technology: '4G' });
  });

  it('applies the setting chosen in the preview and the campaign to every row', async () => {
    const campaign = { campaignId: '0b6c3f7e-2d1a-4e8b-9c5d-7a6b5c4d3e2f', communeInsee: '34261' };
    const { readings } = await readAll(await fixture('tower-collector.csv'), { setting: 'indoor', campaign });
    expect([...readings.values()].map((reading) => reading.setting)).toEqual(Array(7).fill('indoor'));
    expect([...readings.values()].every((reading) => reading.campaignId === campaign.campaignId && reading.communeInsee === '34261')).toBe(true);
  });
});

describe('Network Survey LTE CSV', () => {
  it('previews the fixture with exact counts and reasons', async () => {
    const preview = await previewImport(await fixture('network-survey.csv'), { setting: 'auto' });
    expect(preview).toMatchObject({ format: 'network-survey', rowsRead: 10, toImport: 3, duplicatesInFile: 0, refusedCount: 7 });
    expect(preview.refused.map(({ line, code }) => `${line} ${code}`)).toEqual([
      '5 neighbour',
      '6 foreign',
      '7 plmn',
      '8 position',
      '9 signal-range',
      '10 malformed',
      '11 signal',
    ]);
    expect(preview.refused.find((row) => row.line === 10)!.reason).toBe('Ligne mal formée : 29 champs au lieu de 27');
    expect(preview.refused.find((row) => row.line === 6)!.reason).toBe('Réseau d’un autre pays (MCC 214) : seuls les réseaux français (208) comptent');
  });

  it('keeps the local time as logged and rounds the RSRP to whole dBm', async () => {
    const { readings } = await readAll(await fixture('network-survey.csv'));
    expect(readings.get(2)).toMatchObject({
      recordedAt: '2025-06-12T10:00:00.000+02:00',
      operator: 'orange',
      technology: '4G',
      signalDbm: -97,
      accuracyM: 4,
      setting: 'outdoor',
    });
    expect(readings.get(2)!.extra).toEqual({
      format: 'network-survey',
      mcc: 208,
      mnc: '01',
      tac: 31005,
      eci: 20512783,
      pci: 312,
      earfcn: 6300,
      rsrq: -11,
      ta: 3,
    });
    expect(readings.get(3)).toMatchObject({ operator: 'sfr', signalDbm: -112, setting: 'vehicle', speedMps: 15.2 });
    expect(readings.get(4)).toMatchObject({ operator: 'free', signalDbm: -80 });
  });
});

describe('format detection', () => {
  it('refuses a file whose header is no known format, saying which formats it knows', async () => {
    const file = new Blob(['date,operateur,signal\n2025-06-12,orange,-90\n']);
    await expect(previewImport(file, { setting: 'auto' })).rejects.toThrow(ImportFileError);
    await expect(previewImport(file, { setting: 'auto' })).rejects.toThrow(/ni celle de Tower Collector, ni celle de Network Survey/);
  });

  it('recognises the format by the header, whatever the column order and a byte-order mark', async () => {
    const text = await (await fixture('network-survey.csv')).text();
    const [header, ...rows] = text.trim().split('\n');
    const columns = header!.split(',');
    const order = [...columns.keys()].reverse();
    const reversed = [order.map((i) => columns[i]).join(','), ...rows.slice(0, 1).map((row) => order.map((i) => row.split(',')[i]).join(','))].join('\r\n');
    const { format, readings } = await readAll(new Blob(['\uFEFF', reversed]));
    expect(format).toBe('network-survey');
    expect(readings.get(2)).toMatchObject({ operator: 'orange', signalDbm: -97 });
  });

  it('refuses unreadable JSON with the parser’s reason', async () => {
    await expect(previewImport(new Blob(['{"readings": [']), { setting: 'auto' })).rejects.toThrow(/Fichier JSON illisible/);
  });
});
