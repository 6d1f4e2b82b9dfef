/**
 * `npm run bench` (or `npx tsx bench/import.ts [N]`): import throughput of a generated
 * Tower Collector log of N rows (default 100,000). First the parse + map pipeline alone in
 * Node (streamed CSV → readings, the code the worker runs); then the whole import in the app's
 * worker in headless Chromium (preview pass, then writing into IndexedDB, 500 per
 * transaction), timed through the UI as an agent would run it. Set BENCH_SKIP_BROWSER=1 to
 * skip the browser part. Everything happens in temporary directories, removed at the end.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOWER_COLLECTOR_COLUMNS } from '../src/domain/import/tower-collector.ts';
import { readImportFile } from '../src/worker/import-source.ts';
import { buildProductionApp } from '../test/support/production-build.ts';

const rows = Number(process.argv[2] ?? process.env.BENCH_IMPORT_ROWS ?? 100_000);
if (!Number.isInteger(rows) || rows < 1) {
  console.error(`Rows to generate: expected a positive integer, got ${process.argv[2]}`);
  process.exit(1);
}

const NET_TYPES = ['LTE', 'LTE', 'LTE', 'UMTS', 'GSM', 'NR'] as const;
const PLMNS = [
  [208, 1],
  [208, 10],
  [208, 15],
  [208, 20],
  [222, 10],
] as const;

/** A drive through Hérault: one serving cell a second, some neighbours and foreign networks refused. */
function towerCollectorLog(count: number): string {
  const start = Date.parse('2025-06-12T06:00:00Z');
  const lines = [TOWER_COLLECTOR_COLUMNS.join(',')];
  for (let i = 0; i < count; i += 1) {
    const netType = NET_TYPES[i % NET_TYPES.length]!;
    const [mcc, mnc] = PLMNS[i % PLMNS.length]!;
    const dbm = netType === 'NR' ? -70 - (i % 40) : netType === 'GSM' ? -60 - (i % 45) : -80 - (i % 45);
    const values: Record<string, string | number> = {
      mcc,
      mnc,
      lac: 31000 + (i % 97),
      cell_id: 20500000 + (i % 5000),
      psc: i % 504,
      asu: 40,
      dbm,
      lat: (43.2 + (i % 7000) * 0.0001).toFixed(8),
      lon: (3.0 + Math.floor(i / 7000) * 0.001).toFixed(8),
      accuracy: 4 + (i % 20),
      speed: (i % 30) * 0.5,
      bearing: i % 360,
      altitude: 100,
      measured_at: `"${new Date(start + i * 1000).toISOString()}"`,
      net_type: netType,
      neighboring: i % 10 === 9 ? 'true' : 'false',
      device: '"Pixel 7"',
      rsrp: netType === 'LTE' ? dbm : '',
      rsrq: netType === 'LTE' ? -10 : '',
      rscp: netType === 'UMTS' ? dbm : '',
      rssi: netType === 'GSM' ? dbm : '',
      ss_rsrp: netType === 'NR' ? dbm : '',
      arfcn: 6300,
    };
    lines.push(TOWER_COLLECTOR_COLUMNS.map((column) => values[column] ?? '').join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} rows/s`;

const workDir = await mkdtemp(join(tmpdir(), 'couverture-bench-import-'));
try {
  const text = towerCollectorLog(rows);
  const file = join(workDir, 'tower-collector-bench.csv');
  await writeFile(file, text);
  const blob = new Blob([text]);
  console.log(`Tower Collector log: ${rows.toLocaleString('en-US')} rows, ${(blob.size / 1e6).toFixed(1)} MB`);

  // 1. Parse + map in Node, as the worker does it, without IndexedDB.
  let accepted = 0;
  let refused = 0;
  const t0 = performance.now();
  await readImportFile(blob, { setting: 'auto' }, (batch) => {
    for (const row of batch) row.outcome.ok ? (accepted += 1) : (refused += 1);
  });
  const parseMs = performance.now() - t0;
  console.log(`Node, parse + map: ${Math.round(parseMs)} ms, ${rate(rows, parseMs)} (${accepted} readings, ${refused} refused)`);

  if (!process.env.BENCH_SKIP_BROWSER) await browserImport(file, workDir);
} finally {
  await rm(workDir, { recursive: true, force: true });
}

/** The whole import in the app's worker, in headless Chromium, timed through the UI. */
async function browserImport(file: string, workDir: string): Promise<void> {
  const dist = join(workDir, 'dist');
  await buildProductionApp(dist);

  const { startServer, launchPhone, createUser, openSignedIn } = await import('../test/e2e/harness.ts');
  const server = await startServer({ staticDir: dist });
  const phone = await launchPhone();
  try {
    const agent = await createUser(server);
    const page = await openSignedIn(phone.context, server.url, agent);
    // Timing the import, not the upload: the readings wait on the phone meanwhile.
    server.unreachable = true;
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();

    let t = performance.now();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(file);
    const importButton = page.getByRole('button', { name: /^Importer \d/ });
    await importButton.waitFor({ timeout: 600_000 });
    const previewMs = performance.now() - t;
    const label = await importButton.textContent();

    t = performance.now();
    await importButton.click();
    await page.getByRole('status').filter({ hasText: 'Import terminé' }).waitFor({ timeout: 600_000 });
    const importMs = performance.now() - t;
    const stored = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('couverture');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('outbox').objectStore('outbox').count();
            request.onsuccess = () => resolve(request.result);
          };
        }),
    );
    console.log(`Chromium worker, preview (parse + map + look-ups): ${Math.round(previewMs)} ms, ${rate(rows, previewMs)}; ${label?.trim()}`);
    console.log(
      `Chromium worker, import (parse + map + IndexedDB, 500 per transaction): ${Math.round(importMs)} ms, ${rate(rows, importMs)}; ${stored} readings in the outbox`,
    );
  } finally {
    await phone.close();
    await server.close();
  }
}
