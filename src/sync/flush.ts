import type { Reading } from '../domain/reading.ts';
import { applyServerVerdicts, countByState, pendingReadings, type ServerVerdicts } from '../store/outbox.ts';
import { recordSyncFailure, recordSyncSuccess } from '../store/sync-status.ts';
import { announce } from './channel.ts';
import { runExclusive } from './lock.ts';
import { MAX_BATCH, type FlushResult, type UploadResponse } from './protocol.ts';
import { uploadBatch } from './upload.ts';

export const FLUSH_LOCK = 'couverture-outbox-flush';

export interface FlushOptions {
  fetch?: typeof fetch;
  /** Origin of the API; '' for the page's or the service worker's own. */
  baseUrl?: string;
  batchSize?: number;
}

/**
 * Sends every waiting reading, oldest first. A reading leaves the waiting state only when
 * the server has acknowledged it (accepted or already held) or judged it (refused); on any
 * other outcome it stays waiting for the next try. Single-flight: concurrent calls, from
 * any tab or the service worker, run one after the other, and a later one finds nothing
 * left to send.
 */
export function flushOutbox(options: FlushOptions = {}): Promise<FlushResult> {
  return runExclusive(FLUSH_LOCK, () => flushLocked(options));
}

async function flushLocked({ fetch: fetchFn = fetch, baseUrl = '', batchSize = MAX_BATCH }: FlushOptions): Promise<FlushResult> {
  let batch = await pendingReadings(batchSize);
  // Nothing waiting: no request, and the last send's status stays as it was.
  if (batch.length === 0) return { sent: 0, refused: 0, pending: 0 };

  announce({ type: 'flush-started' });
  let sent = 0;
  let refused = 0;
  let error: string | undefined;
  while (batch.length > 0) {
    const verdicts = await sendIsolatingFaults(
      batch.map((record) => record.reading),
      fetchFn,
      baseUrl,
    );
    await applyServerVerdicts(verdicts);
    sent += verdicts.stored.length;
    refused += verdicts.refused.length;
    if (verdicts.stored.length + verdicts.refused.length > 0) announce({ type: 'flush-progress', sent, refused });
    error = verdicts.unavailable ?? (verdicts.stored.length + verdicts.refused.length === 0 ? 'Le serveur n’a confirmé aucun relevé du lot' : undefined);
    if (error !== undefined) break;
    batch = await pendingReadings(batchSize);
  }

  if (error === undefined) await recordSyncSuccess();
  else await recordSyncFailure(error);
  const result: FlushResult = { sent, refused, pending: (await countByState()).pending, ...(error !== undefined && { error }) };
  announce({ type: 'flush-finished', result });
  return result;
}

/** What the server said of each reading of a batch, and why it stopped if it did. */
interface BatchVerdicts extends ServerVerdicts {
  unavailable?: string;
}

/**
 * Uploads one batch. When the server refuses the request as a whole (it should not, but a
 * proxy's size limit or a future server rule might), halves it until the reading at fault
 * stands alone and is refused by itself, so that it never blocks the others.
 */
async function sendIsolatingFaults(readings: Reading[], fetchFn: typeof fetch, baseUrl: string): Promise<BatchVerdicts> {
  const outcome = await uploadBatch(readings, fetchFn, baseUrl);
  switch (outcome.kind) {
    case 'unavailable':
      return { stored: [], refused: [], unavailable: outcome.message };
    case 'answered':
      return verdictsOf(outcome.response, readings);
    case 'batch-refused': {
      if (readings.length === 1) {
        return { stored: [], refused: [{ id: readings[0]!.id, code: 'invalid', errors: [{ field: '', message: outcome.message }] }] };
      }
      const middle = Math.ceil(readings.length / 2);
      const head = await sendIsolatingFaults(readings.slice(0, middle), fetchFn, baseUrl);
      if (head.unavailable !== undefined) return head;
      const tail = await sendIsolatingFaults(readings.slice(middle), fetchFn, baseUrl);
      return { stored: [...head.stored, ...tail.stored], refused: [...head.refused, ...tail.refused], unavailable: tail.unavailable };
    }
  }
}

function verdictsOf(response: UploadResponse, sentReadings: Reading[]): ServerVerdicts {
  const sentIds = new Set(sentReadings.map((r) => r.id));
  const stored = [...response.accepted, ...response.duplicates].filter((id) => sentIds.has(id));
  const refused = response.rejected.flatMap((rejection) => {
    // The server names the reading by id, or by position when the id itself was unreadable.
    const id = rejection.id !== null && sentIds.has(rejection.id) ? rejection.id : sentReadings[rejection.index]?.id;
    return id === undefined ? [] : [{ id, code: rejection.code ?? 'invalid', errors: rejection.errors }];
  });
  return { stored, refused };
}
