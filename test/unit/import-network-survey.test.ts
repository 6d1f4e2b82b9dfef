import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { NETWORK_SURVEY_CDR_COLUMNS } from '../../src/domain/import/network-survey-cdr.ts';
import { NETWORK_SURVEY_GSM_COLUMNS, NETWORK_SURVEY_NR_COLUMNS, NETWORK_SURVEY_UMTS_COLUMNS } from '../../src/domain/import/network-survey.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { listReadings } from '../../src/store/outbox.ts';
import { importFile, previewImport } from '../../src/worker/import-file.ts';
import { readImportFile } from '../../src/worker/import-source.ts';
import { freshDatabase } from './helpers.ts';

/**
 * Network Survey's other files: 5G NR, UMTS, GSM and the call log (CDR), each fixture written
 * from the app's own header (src/domain/import/network-survey*.ts say where it comes from).
 */

const fixture = async (name: string) => new Blob([await readFile(new URL(`../fixtures/${name}`, import.meta.url))]);

async function readAll(file: Blob) {
  const readings = new Map<number, Reading>();
  const refused: string[] = [];
  const format = await readImportFile(file, { setting: 'auto' }, (rows) => {
    for (const { line, outcome } of rows) {
      if (outcome.ok) readings.set(line, outcome.reading);
      else refused.push(`${line} ${outcome.refusal.code} ${outcome.refusal.reason}`);
    }
  });
  return { format, readings, refused };
}

beforeEach(freshDatabase);

describe('fixtures', () => {
  it('carry Network Survey’s own header, after its # comment lines', async () => {
    const headerOf = async (name: string) =>
      (await (await fixture(name)).text())
        .split('\n')
        .find((line) => !line.startsWith('#'))!
        .split(',');
    expect(await headerOf('network-survey-nr.csv')).toEqual([...NETWORK_SURVEY_NR_COLUMNS]);
    expect(await headerOf('network-survey-umts.csv')).toEqual([...NETWORK_SURVEY_UMTS_COLUMNS]);
    expect(await headerOf('network-survey-gsm.csv')).toEqual([...NETWORK_SURVEY_GSM_COLUMNS]);
    expect(await headerOf('network-survey-cdr.csv')).toEqual([...NETWORK_SURVEY_CDR_COLUMNS]);
  });
});

describe('Network Survey 5G NR CSV', () => {
  it('keeps the serving cells with their SS-RSRP; neighbours (servingCell false, or MCC/MNC 0) are refused lines', async () => {
    const preview = await previewImport(await fixture('network-survey-nr.csv'), { setting: 'auto' });
    expect(preview).toMatchObject({ format: 'network-survey-nr', rowsRead: 7, toImport: 3, duplicatesInFile: 0, refusedCount: 4 });
    expect(preview.refused.map(({ line, code, reason }) => `${line} ${code} ${reason}`)).toEqual([
      '5 neighbour Cellule voisine : seule la cellule de service dit la couverture',
      '7 neighbour Cellule voisine : seule la cellule de service dit la couverture',
      // The CSI-RSRP is another measurement than Arcep's SS-RSRP: no fallback.
      '8 signal Signal manquant : aucune valeur dans ssRsrp',
      '9 signal-range Signal hors plage plausible : -160 dBm (SS-RSRP en 5G : de -156 à -31 dBm)',
    ]);
  });

  it('maps operator, 5G, SS-RSRP, setting and the NR cell identifiers', async () => {
    const { format, readings } = await readAll(await fixture('network-survey-nr.csv'));
    expect(format).toBe('network-survey-nr');
    expect([...readings.keys()]).toEqual([4, 6, 10]);
    expect(readings.get(4)).toMatchObject({
      recordedAt: '2025-06-12T10:05:00.000+02:00',
      lat: 43.7339,
      lon: 3.5494,
      accuracyM: 4,
      altitudeM: 96.5,
      operator: 'orange',
      technology: '5G',
      signalDbm: -95,
      setting: 'outdoor',
      source: 'import',
    });
    expect(readings.get(4)!.extra).toEqual({
      format: 'network-survey-nr',
      mcc: 208,
      mnc: '01',
      tac: 31005,
      nci: 6710886401,
      pci: 101,
      nrarfcn: 636666,
      rsrq: -11,
      sinr: 12,
      ta: 2,
    });
    expect(readings.get(6)).toMatchObject({ operator: 'free', technology: '5G', signalDbm: -108, setting: 'vehicle', speedMps: 12.5 });
    expect(readings.get(10)).toMatchObject({ operator: 'sfr', signalDbm: -88 });
    expect('protocol' in readings.get(4)!).toBe(false);
  });
});

describe('Network Survey UMTS CSV', () => {
  it('keeps the serving cells with their RSCP, refuses neighbours, a missing RSCP and a foreign network', async () => {
    const { format, readings, refused } = await readAll(await fixture('network-survey-umts.csv'));
    expect(format).toBe('network-survey-umts');
    expect(refused).toEqual([
      '5 neighbour Cellule voisine : seule la cellule de service dit la couverture',
      // signalStrength is Android's generic dBm: not necessarily the RSCP, so not taken for it.
      '7 signal Signal manquant : aucune valeur dans rscp',
      '8 foreign Réseau d’un autre pays (MCC 222) : seuls les réseaux français (208) comptent',
    ]);
    expect([...readings.keys()]).toEqual([4, 6]);
    expect(readings.get(4)).toMatchObject({ operator: 'bouygues', technology: '3G', signalDbm: -92, setting: 'outdoor' });
    expect(readings.get(4)!.extra).toEqual({
      format: 'network-survey-umts',
      mcc: 208,
      mnc: '20',
      lac: 4501,
      cellId: 1234567,
      psc: 211,
      uarfcn: 10812,
      ecno: -8,
    });
    expect(readings.get(6)).toMatchObject({ operator: 'sfr', technology: '3G', signalDbm: -101 });
  });
});

describe('Network Survey GSM CSV', () => {
  it('keeps the serving cells with their RSSI, refuses neighbours and a row without position', async () => {
    const { format, readings, refused } = await readAll(await fixture('network-survey-gsm.csv'));
    expect(format).toBe('network-survey-gsm');
    expect(refused).toEqual([
      '5 neighbour Cellule voisine : seule la cellule de service dit la couverture',
      '6 position Position manquante (latitude ou longitude vide)',
    ]);
    expect([...readings.keys()]).toEqual([4, 7]);
    expect(readings.get(4)).toMatchObject({ operator: 'orange', technology: '2G', signalDbm: -79, setting: 'outdoor' });
    expect(readings.get(4)!.extra).toEqual({ format: 'network-survey-gsm', mcc: 208, mnc: '01', lac: 31005, cellId: 20431, bsic: 41, arfcn: 62, ta: 1 });
    expect(readings.get(7)).toMatchObject({ operator: 'bouygues', technology: '2G', signalDbm: -101, setting: 'vehicle' });
  });
});

describe('Network Survey call log (CDR)', () => {
  it('is recognised, and each line says why it is no reading: the log has no call outcome nor duration', async () => {
    const preview = await previewImport(await fixture('network-survey-cdr.csv'), { setting: 'auto' });
    expect(preview).toMatchObject({ format: 'network-survey-cdr', rowsRead: 6, toImport: 0, refusedCount: 6 });
    expect(preview.refusedByCode).toEqual({ 'no-call-outcome': 3, position: 1, 'not-a-call': 2 });
    expect(preview.refused.map(({ line, code }) => `${line} ${code}`)).toEqual([
      '4 no-call-outcome',
      '5 no-call-outcome',
      '6 position',
      '7 not-a-call',
      '8 not-a-call',
      '9 no-call-outcome',
    ]);
    const reason = (line: number) => preview.refused.find((row) => row.line === line)!.reason;
    expect(reason(4)).toMatch(/^Appel sans issue ni durée : le journal d’appels de Network Survey note le début d’un appel/);
    expect(reason(6)).toBe('Appel sans position : le téléphone n’avait pas de position GPS au début de l’appel');
    expect(reason(7)).toBe('Événement « OUTGOING_SMS » : seuls les appels du journal sont des tests d’appel');
    expect(reason(8)).toBe('Événement « LOCATION_UPDATE » : seuls les appels du journal sont des tests d’appel');
  });
});

describe('importing a Network Survey file twice', () => {
  it.each(['network-survey-nr.csv', 'network-survey-umts.csv', 'network-survey-gsm.csv'])('%s: the second import adds nothing', async (name) => {
    const first = await importFile(await fixture(name), { setting: 'auto' });
    expect(first.added).toBeGreaterThan(0);
    const second = await importFile(await fixture(name), { setting: 'auto' });
    expect(second).toMatchObject({ added: 0, alreadyOnDevice: first.added });
    expect(await listReadings()).toHaveLength(first.added);
  });

  it('keeps the LTE file’s ids as they were before the other technologies came, and pins the NR ones', async () => {
    const ids = async (name: string) => [...(await readAll(await fixture(name))).readings.values()].map((reading) => reading.id);
    expect(await ids('network-survey.csv')).toEqual([
      'c1fd92b7-d8ab-5494-8740-ef4e83cedfd1',
      'e9756eae-742c-56ae-952c-b4bfb362f712',
      'b787fb0d-51d6-5121-89e3-dacda13e2048',
    ]);
    expect(await ids('network-survey-nr.csv')).toEqual([
      '582553e0-49fd-55f5-b1ae-3394678760cc',
      '95d5e947-03bf-53c5-9e3d-b96464286e27',
      '2e521956-d5f7-52f7-a7c6-369c35501906',
    ]);
  });

  it('the same instant, place and cell id in two technologies’ files are two readings', async () => {
    const lte = 'deviceTime,latitude,longitude,accuracy,mcc,mnc,eci,rsrp\n2025-06-12T10:00:00+02:00,43.7339,3.5494,4,208,1,6710886401,-90\n';
    const nr = 'deviceTime,latitude,longitude,accuracy,mcc,mnc,nci,ssRsrp\n2025-06-12T10:00:00+02:00,43.7339,3.5494,4,208,1,6710886401,-90\n';
    expect((await importFile(new Blob([lte]), { setting: 'auto' })).added).toBe(1);
    expect((await importFile(new Blob([nr]), { setting: 'auto' })).added).toBe(1);
    expect((await listReadings()).map((record) => record.reading.technology).sort()).toEqual(['4G', '5G']);
  });
});
