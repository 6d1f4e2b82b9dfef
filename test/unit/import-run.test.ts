import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src/domain/import/import-summary.ts';
import { TOWER_COLLECTOR_COLUMNS } from '../../src/domain/import/tower-collector.ts';
import { listReadings } from '../../src/store/outbox.ts';
import { forEachCsvBlock, READ_BYTES, type CsvLine } from '../../src/worker/csv-blocks.ts';
import { IMPORT_BATCH, importFile, previewImport } from '../../src/worker/import-file.ts';
import { AGENT_ID, freshDatabase } from './helpers.ts';

/** A Tower Collector log of `count` LTE rows walking north from Saint-Guilhem, one every 10 s. */
function towerCollectorLog(count: number, from = 0): string {
  const lines = [TOWER_COLLECTOR_COLUMNS.join(',')];
  for (let i = from; i < from + count; i += 1) {
    const values: Record<string, string | number> = {
      mcc: 208,
      mnc: 1,
      lac: 31005,
      cell_id: 20512000 + (i % 50),
      psc: 312,
      dbm: -90 - (i % 40),
      lat: (43.7339 + i * 0.0001).toFixed(8),
      lon: '3.54940000',
      accuracy: 8,
      speed: 1.1,
      bearing: 0,
      altitude: 95,
      measured_at: new Date(Date.parse('2025-06-12T08:00:00Z') + i * 10_000).toISOString(),
      net_type: 'LTE',
      neighboring: 'false',
      device: 'Pixel 7',
      rsrp: -90 - (i % 40),
    };
    lines.push(TOWER_COLLECTOR_COLUMNS.map((column) => values[column] ?? '').join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

beforeEach(freshDatabase);

describe('import into the outbox', () => {
  it('writes every new reading as pending under the account given, and reports progress to the end', async () => {
    const file = new Blob([towerCollectorLog(1234)]);
    const progress: ImportProgress[] = [];
    const result = await importFile(file, { setting: 'auto', recordedBy: AGENT_ID }, (step) => progress.push(step));
    expect(result).toMatchObject({ rowsRead: 1234, added: 1234, alreadyOnDevice: 0, refusedCount: 0 });
    const stored = await listReadings();
    expect(stored).toHaveLength(1234);
    expect(stored.every((record) => record.state === 'pending' && record.recordedBy === AGENT_ID && record.reading.source === 'import')).toBe(true);
    expect(progress.at(-1)).toEqual({ bytesRead: file.size, totalBytes: file.size, rowsRead: 1234, added: 1234 });
  });

  it('after an import stopped part way (whole batches stored), running it again adds only the rest', async () => {
    // What a cancelled run leaves: its first batch, committed whole.
    await importFile(new Blob([towerCollectorLog(IMPORT_BATCH)]), { setting: 'auto' });
    const full = new Blob([towerCollectorLog(1234)]);
    expect(await previewImport(full, { setting: 'auto' })).toMatchObject({ rowsRead: 1234, toImport: 1234 - IMPORT_BATCH, alreadyOnDevice: IMPORT_BATCH });
    expect(await importFile(full, { setting: 'auto' })).toMatchObject({ added: 1234 - IMPORT_BATCH, alreadyOnDevice: IMPORT_BATCH });
    expect(await listReadings()).toHaveLength(1234);
    expect(await importFile(full, { setting: 'auto' })).toMatchObject({ added: 0, alreadyOnDevice: 1234 });
  });
});

async function linesOf(blob: Blob): Promise<CsvLine[]> {
  const lines: CsvLine[] = [];
  await forEachCsvBlock(blob, (rows) => void lines.push(...rows));
  return lines;
}

describe('CSV blocks', () => {
  it('keeps a UTF-8 character whole when two reads split its bytes', async () => {
    // 'é' is two bytes: the first ends one read, the second starts the next.
    const before = `a,b\r\n0,${'x'.repeat(READ_BYTES - 1 - 'a,b\r\n0,\r\n1,H'.length)}\r\n1,H`;
    const text = `${before}érault\r\n2,x\r\n`;
    const bytes = new TextEncoder().encode(text);
    expect(bytes[READ_BYTES - 1]).toBe(0xc3);
    const lines = await linesOf(new Blob([bytes]));
    expect(lines.map((line) => line.fields[1]!.slice(0, 8))).toEqual(['b', 'xxxxxxxx', 'Hérault', 'x']);
  });

  it('numbers lines as the file does: empty lines skipped, quoted line breaks counted', async () => {
    const lines = await linesOf(new Blob(['a,b\n\n1,"deux\nlignes"\n2,x\n"3,ouvert']));
    expect(lines.map(({ fields, line, malformed }) => [line, fields.length, malformed])).toEqual([
      [1, 2, false],
      [3, 2, false],
      [5, 2, false],
      [6, 1, true],
    ]);
  });

  it('cuts a large file between rows only, even with quoted newlines at the cut', async () => {
    const row = (i: number) => `${i},"ligne ${i}\navec retour, virgule et « guillemets »"`;
    const text = ['n,texte', ...Array.from({ length: 6000 }, (_, i) => row(i))].join('\n');
    const lines = await linesOf(new Blob([text]));
    expect(lines).toHaveLength(6001);
    expect(lines.at(-1)).toEqual({ fields: ['5999', 'ligne 5999\navec retour, virgule et « guillemets »'], line: 2 + 5999 * 2, malformed: false });
    expect(lines.every((line, i) => i === 0 || line.fields[0] === String(i - 1))).toBe(true);
  });
});
