import type { BrowserContext, Page, Worker } from 'playwright-core';
import { waitingRecord, type OutboxRecord, type OutboxState } from '../../src/store/db.ts';
import type { Reading } from '../../src/domain/reading.ts';

/**
 * `count` readings as the survey screen makes them, at the phone's spot, recorded over the
 * last hours (`clockOffsetMs` shifts them as a phone whose clock is off would date them).
 * Every `invalidEvery`-th one breaks a rule the server enforces (bars out of range), as a
 * reading from an older or buggy app version would.
 */
export function makeReadings(
  count: number,
  { clockOffsetMs = 0, invalidEvery = 0 }: { clockOffsetMs?: number; invalidEvery?: number } = {},
): { readings: Reading[]; invalidIds: Set<string> } {
  const operators = ['orange', 'sfr', 'bouygues', 'free'] as const;
  const now = Date.now() + clockOffsetMs;
  const invalidIds = new Set<string>();
  const readings = Array.from({ length: count }, (_, i): Reading => {
    const invalid = invalidEvery > 0 && i % invalidEvery === invalidEvery - 1;
    const reading: Reading = {
      id: crypto.randomUUID(),
      recordedAt: new Date(now - (count - i) * 1000).toISOString(),
      lat: 43.7339 + (i % 50) * 0.0001,
      lon: 3.5494 + Math.floor(i / 50) * 0.0001,
      accuracyM: 12,
      operator: operators[i % 4]!,
      technology: '4G',
      signalBars: invalid ? 9 : i % 5,
      setting: 'outdoor',
      source: 'agent',
    };
    if (invalid) invalidIds.add(reading.id);
    return reading;
  });
  return { readings, invalidIds };
}

/**
 * Writes readings into the app's outbox in its own record shape (src/store/db.ts), waiting
 * under `recordedBy`: thousands at once, which the survey screen would take an hour to type.
 * The app must have created its database already (a page was opened once).
 */
export async function seedOutbox(page: Page, readings: Reading[], recordedBy: string, { clockOffsetMs = 0 } = {}): Promise<void> {
  const base = Date.now() + clockOffsetMs - readings.length;
  const records: OutboxRecord[] = readings.map((reading, i) => waitingRecord(reading, base + i, { recordedBy }));
  await page.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        // Never create the app's database from the test: that would skip the app's own upgrade.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('outbox', 'readwrite');
          for (const record of records) tx.objectStore('outbox').add(record);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    records,
  );
}

/** How many of the device's readings are in each state, and which were refused. */
export function deviceStates(page: Page): Promise<Record<OutboxState, number> & { refusedIds: string[]; sentIds: string[] }> {
  return page.evaluate(
    () =>
      new Promise<Record<OutboxState, number> & { refusedIds: string[]; sentIds: string[] }>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            open.result.close();
            const tally = { pending: 0, sent: 0, refused: 0, refusedIds: [] as string[], sentIds: [] as string[] };
            for (const record of request.result as { id: string; state: 'pending' | 'sent' | 'refused' }[]) {
              tally[record.state] += 1;
              if (record.state === 'refused') tally.refusedIds.push(record.id);
              if (record.state === 'sent') tally.sentIds.push(record.id);
            }
            resolve(tally);
          };
        };
      }),
  );
}

/**
 * Shortens the service worker's upload timeout (`meta` « uploadTimeoutMs »,
 * service-worker/upload-timeout.ts), from its next send on.
 */
export async function setUploadTimeout(page: Page, ms: number): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          tx.objectStore('meta').put(ms, 'uploadTimeoutMs');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    ms,
  );
}

/**
 * Moves the service workers' clock `offsetMs` ahead, as Playwright's context clock does the
 * pages' (it does not reach workers): their Date, now and for any worker started later. On
 * a phone both read one clock; a worker left on the true time would send, stamp and release
 * held readings by another clock than the page's.
 */
export async function shiftWorkerClock(context: BrowserContext, offsetMs: number): Promise<void> {
  const shift = (worker: Worker) =>
    worker.evaluate((offsetMs) => {
      const scope = self as unknown as { Date: DateConstructor; trueDate?: DateConstructor };
      // Shifting twice must not add the offset twice.
      const TrueDate = (scope.trueDate ??= scope.Date);
      class ShiftedDate extends TrueDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(TrueDate.now() + offsetMs);
          else super(...(args as [number]));
        }
        static override now(): number {
          return TrueDate.now() + offsetMs;
        }
      }
      scope.Date = ShiftedDate as DateConstructor;
    }, offsetMs);
  context.on('serviceworker', (worker) => void shift(worker).catch(() => undefined));
  const workers = context.serviceWorkers();
  if (workers.length === 0) throw new Error('no service worker to shift: install the app first');
  await Promise.all(workers.map(shift));
}

/** When each reading the device marks sent was marked so (ms since epoch, by the device's clock). */
export function sentTimes(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as { sentAt?: number }[]).flatMap((record) => (record.sentAt === undefined ? [] : [record.sentAt])));
          };
        };
      }),
  );
}
