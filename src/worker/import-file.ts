import type { ImportOptions, ImportPreview, ImportProgress, ImportResult, ImportRunOptions } from '../domain/import/import-summary.ts';
import type { Reading } from '../domain/reading.ts';
import { addReadingsIfAbsent, idsOnDevice } from '../store/import.ts';
import { splitByCampaign } from './import-campaign.ts';
import { readImportFile } from './import-source.ts';
import { ImportTally } from './import-tally.ts';

/** Readings per IndexedDB transaction: a cancelled import leaves whole batches of this size. */
export const IMPORT_BATCH = 500;

type OnProgress = ((progress: ImportProgress) => unknown) | undefined;

/** Tells the page without waiting for it: progress never slows the import down. */
function report(onProgress: OnProgress, progress: ImportProgress): void {
  if (!onProgress) return;
  void Promise.resolve(onProgress(progress)).catch(() => undefined);
}

/** First pass: what the file holds and what importing it would add, nothing written. */
export async function previewImport(file: Blob, options: ImportOptions, onProgress?: OnProgress): Promise<ImportPreview> {
  const tally = new ImportTally();
  let toImport = 0;
  let outsideCampaign = 0;
  const format = await readImportFile(file, options, async (rows, bytesRead) => {
    const fresh = tally.take(rows);
    const present = fresh.length > 0 ? await idsOnDevice(fresh.map((reading) => reading.id)) : new Set<string>();
    tally.alreadyOnDevice += present.size;
    toImport += fresh.length - present.size;
    outsideCampaign += splitByCampaign(
      fresh.filter((reading) => !present.has(reading.id)),
      options,
    ).detached.length;
    report(onProgress, { bytesRead, totalBytes: file.size, rowsRead: tally.rowsRead });
  });
  return { ...tally.counts(format), toImport, outsideCampaign };
}

/**
 * Second pass: writes the new readings into the outbox, IMPORT_BATCH per transaction, each
 * id at most once; those outside the campaign without it (splitByCampaign), in batches of
 * their own so that they are counted as written. Safe to stop at any point (the page
 * terminates the worker) and to run again.
 */
export async function importFile(file: Blob, options: ImportRunOptions, onProgress?: OnProgress): Promise<ImportResult> {
  const tally = new ImportTally();
  let added = 0;
  let outsideCampaign = 0;
  const savedAt = Date.now();
  const write = async (readings: Reading[]) => {
    let written = 0;
    for (let start = 0; start < readings.length; start += IMPORT_BATCH) {
      const batch = await addReadingsIfAbsent(readings.slice(start, start + IMPORT_BATCH), {
        savedAt,
        ...(options.recordedBy !== undefined && { recordedBy: options.recordedBy }),
      });
      written += batch.added;
      tally.alreadyOnDevice += batch.present;
    }
    return written;
  };
  const format = await readImportFile(file, options, async (rows, bytesRead) => {
    const { attached, detached } = splitByCampaign(tally.take(rows), options);
    added += await write(attached);
    const addedOutside = await write(detached);
    added += addedOutside;
    outsideCampaign += addedOutside;
    report(onProgress, { bytesRead, totalBytes: file.size, rowsRead: tally.rowsRead, added });
  });
  return { ...tally.counts(format), added, outsideCampaign };
}
