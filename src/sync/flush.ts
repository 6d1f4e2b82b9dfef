import { anyReadingWaiting, applyServerVerdicts, countWaiting, pendingReadings } from '../store/outbox.ts';
import type { ServerVerdicts } from '../store/queue.ts';
import { anyReportWaiting, applyReportVerdicts, countReportsWaiting, pendingReports } from '../store/reports.ts';
import { getSession, isUsable, markSignInNeeded } from '../store/session.ts';
import { recordOfflineTry, recordSyncFailure, recordSyncSuccess } from '../store/sync-status.ts';
import { announce } from './channel.ts';
import { FLUSH_LOCK, runExclusive } from './lock.ts';
import { MAX_BATCH, MAX_REPORT_BATCH, SIGN_IN_NEEDED_MESSAGE, type FlushResult, type QueueFlushResult, type UploadResponse } from './protocol.ts';
import { checkSession } from './session.ts';
import { uploadBatch, uploadReports, type UploadOutcome } from './upload.ts';

export interface FlushOptions {
  fetch?: typeof fetch;
  /** Origin of the API; '' for the page's or the service worker's own. */
  baseUrl?: string;
  /** Readings per request (at most MAX_BATCH). */
  batchSize?: number;
  /** Residents' reports per request (at most MAX_REPORT_BATCH). */
  reportBatchSize?: number;
}

/**
 * Sends every waiting reading (with the signed-in account's session), then every waiting
 * resident's report (public, no account), oldest first. An item leaves the waiting state
 * only when the server has acknowledged it (accepted or already held) or judged it
 * (refused); on any other outcome it stays waiting for the next try. Single-flight:
 * concurrent calls, from any tab or the service worker, run one after the other, and a
 * later one finds nothing left to send.
 */
export function flushOutbox(options: FlushOptions = {}): Promise<FlushResult> {
  return runExclusive(FLUSH_LOCK, () => flushLocked(options));
}

interface Attempt<R> {
  result: R;
  /** A request was made: the sync status records how it went. */
  attempted: boolean;
  /** It stopped because the device had no network (UploadOutcome's `offline`). */
  offline?: boolean;
}

async function flushLocked({
  fetch: fetchFn = fetch,
  baseUrl = '',
  batchSize = MAX_BATCH,
  reportBatchSize = MAX_REPORT_BATCH,
}: FlushOptions): Promise<FlushResult> {
  // One index key each, not a count: IndexedDB counts by walking the index, seconds for 50,000.
  const [readingsWaiting, reportsWaiting] = await Promise.all([anyReadingWaiting(), anyReportWaiting()]);
  // Nothing waiting: no request, and the last send's status stays as it was.
  if (!readingsWaiting && !reportsWaiting) return { sent: 0, refused: 0, pending: 0 };

  announce({ type: 'flush-started' });
  const readings = readingsWaiting
    ? await flushReadings(fetchFn, baseUrl, Math.min(batchSize, MAX_BATCH))
    : { result: { sent: 0, refused: 0, pending: 0 }, attempted: false };
  const reports = reportsWaiting ? await flushReports(fetchFn, baseUrl, Math.min(reportBatchSize, MAX_REPORT_BATCH)) : undefined;

  // Each batch the server acknowledged recorded a success already (the failures in a row
  // start over from it): a long send cut near its end is one failure, not one more.
  const attempts = [readings, ...(reports ? [reports] : [])].filter((attempt) => attempt.attempted);
  const failed = attempts.filter((attempt) => attempt.result.error !== undefined);
  const error = failed[0]?.result.error;
  if (attempts.length > 0 && error === undefined) await recordSyncSuccess();
  else if (error !== undefined && failed.every((attempt) => attempt.offline)) await recordOfflineTry(error);
  else if (error !== undefined) await recordSyncFailure(error);
  const result: FlushResult = { ...readings.result, ...(reports && { reports: reports.result }) };
  announce({ type: 'flush-finished', result });
  return result;
}

async function flushReadings(fetchFn: typeof fetch, baseUrl: string, batchSize: number): Promise<Attempt<FlushResult>> {
  const session = await getSession();
  const waiting = countWaiting;
  if (!isUsable(session)) {
    // Signed out or turned away: asking again would only get another 401.
    return { result: { sent: 0, refused: 0, pending: await waiting(), error: SIGN_IN_NEEDED_MESSAGE, authRequired: true }, attempted: false };
  }
  const sender = session.info.user.id;
  let csrfToken = session.info.csrfToken;
  let csrfRefreshed = false;
  let sent = 0;
  let refused = 0;
  let error: string | undefined;
  let retryAfterMs: number | undefined;
  let authRequired = false;
  let attempted = false;
  let offline = false;

  // Readings recorded under another account wait for that account; readings whose probe is
  // still measuring (heldUntil ahead) wait for it, and go on a later flush once it ends.
  let batch = await pendingReadings(batchSize, sender);
  // The previous batch's verdicts, written while this batch travels (settled: never rejects).
  let applying: Promise<unknown> = Promise.resolve();
  const applied = async () => {
    const outcome = await applying;
    if (outcome instanceof ApplyFailure) throw outcome.error;
  };
  while (batch.length > 0) {
    attempted = true;
    const token = csrfToken;
    const current = batch;
    // The next batch is read while this one travels, its readings left out; the server's
    // answer is what makes one leave the waiting state, so a read ahead sends nothing twice.
    const next = pendingReadings(batchSize, sender, Date.now(), new Set(current.map((record) => record.id)));
    const verdicts = await sendIsolatingFaults(
      current.map((record) => record.reading),
      (readings) => uploadBatch(readings, fetchFn, baseUrl, token),
    );
    await applied();
    if (verdicts.auth) {
      // A stale CSRF token may only need the session's current one; a 401 needs the person.
      if (verdicts.auth.reason === 'csrf' && !csrfRefreshed) {
        csrfRefreshed = true;
        const check = await checkSession(fetchFn, baseUrl);
        if (check.kind === 'valid' && check.session.info.user.id === sender) {
          csrfToken = check.session.info.csrfToken;
          continue;
        }
      }
      await markSignInNeeded(SIGN_IN_NEEDED_MESSAGE);
      announce({ type: 'session-changed' });
      authRequired = true;
      error = SIGN_IN_NEEDED_MESSAGE;
    }
    sent += verdicts.stored.length;
    refused += verdicts.refused.length;
    const progress = { type: 'flush-progress' as const, sent, refused, ids: [...verdicts.stored, ...verdicts.refused.map(({ id }) => id)] };
    // One transaction for the batch's verdicts, written while the next batch travels.
    applying = applyServerVerdicts(verdicts).then(
      async () => {
        if (progress.ids.length === 0) return;
        announce(progress);
        await recordSyncSuccess();
      },
      (failure: unknown) => new ApplyFailure(failure),
    );
    if (error !== undefined) break;
    error = verdicts.unavailable ?? (verdicts.stored.length + verdicts.refused.length === 0 ? 'Le serveur n’a confirmé aucun relevé du lot' : undefined);
    retryAfterMs = verdicts.retryAfterMs;
    offline = verdicts.offline === true;
    if (error !== undefined) break;
    batch = await next;
    if (batch.length === 0) {
      // The last batch read ahead left this one out: what the server did not acknowledge of it waits still.
      await applied();
      batch = await pendingReadings(batchSize, sender);
    }
  }
  await applied();
  const result: FlushResult = {
    sent,
    refused,
    pending: await waiting(),
    ...(error !== undefined && { error }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    ...(authRequired && { authRequired: true as const }),
  };
  return { result, attempted, offline };
}

async function flushReports(fetchFn: typeof fetch, baseUrl: string, batchSize: number): Promise<Attempt<QueueFlushResult>> {
  let sent = 0;
  let refused = 0;
  let error: string | undefined;
  let retryAfterMs: number | undefined;
  let offline = false;
  let batch = await pendingReports(batchSize);
  while (batch.length > 0) {
    const verdicts = await sendIsolatingFaults(
      batch.map((record) => record.report),
      (reports) => uploadReports(reports, fetchFn, baseUrl),
    );
    await applyReportVerdicts(verdicts);
    if (verdicts.stored.length + verdicts.refused.length > 0) await recordSyncSuccess();
    sent += verdicts.stored.length;
    refused += verdicts.refused.length;
    // The reports endpoint is public: a 401/403 there is a server or proxy fault, not ours.
    error =
      verdicts.unavailable ??
      (verdicts.auth ? `Le serveur est indisponible (${verdicts.auth.message})` : undefined) ??
      (verdicts.stored.length + verdicts.refused.length === 0 ? 'Le serveur n’a confirmé aucun signalement du lot' : undefined);
    retryAfterMs = verdicts.retryAfterMs;
    offline = verdicts.offline === true;
    if (error !== undefined) break;
    batch = await pendingReports(batchSize);
  }
  const pending = await countReportsWaiting();
  const result = { sent, refused, pending, ...(error !== undefined && { error }), ...(retryAfterMs !== undefined && { retryAfterMs }) };
  return { result, attempted: true, offline };
}

/** A batch's verdicts that could not be written: thrown where the flush waits for them. */
class ApplyFailure {
  constructor(readonly error: unknown) {}
}

/** What the server said of each item of a batch, and why it stopped if it did. */
interface BatchVerdicts extends ServerVerdicts {
  unavailable?: string;
  /** The wait the server asked for with `unavailable`, if it gave one. */
  retryAfterMs?: number;
  /** `unavailable` because the device had no network. */
  offline?: true;
  auth?: { reason: 'unauthenticated' | 'csrf'; message: string };
}

/**
 * Uploads one batch. When the server refuses the request as a whole (it should not, but a
 * proxy's size limit or a future server rule might), halves it until the item at fault
 * stands alone and is refused by itself, so that it never blocks the others.
 */
async function sendIsolatingFaults<T extends { id: string }>(items: T[], upload: (items: T[]) => Promise<UploadOutcome>): Promise<BatchVerdicts> {
  const outcome = await upload(items);
  switch (outcome.kind) {
    case 'unavailable':
      return {
        stored: [],
        refused: [],
        unavailable: outcome.message,
        ...(outcome.retryAfterMs !== undefined && { retryAfterMs: outcome.retryAfterMs }),
        ...(outcome.offline && { offline: true as const }),
      };
    case 'auth-required':
      return { stored: [], refused: [], auth: { reason: outcome.reason, message: outcome.message } };
    case 'answered':
      return verdictsOf(outcome.response, items);
    case 'batch-refused': {
      if (items.length === 1) {
        return { stored: [], refused: [{ id: items[0]!.id, code: 'invalid', errors: [{ field: '', message: outcome.message }] }] };
      }
      const middle = Math.ceil(items.length / 2);
      const head = await sendIsolatingFaults(items.slice(0, middle), upload);
      if (head.unavailable !== undefined || head.auth) return head;
      const tail = await sendIsolatingFaults(items.slice(middle), upload);
      return { ...tail, stored: [...head.stored, ...tail.stored], refused: [...head.refused, ...tail.refused] };
    }
  }
}

function verdictsOf(response: UploadResponse, sentItems: { id: string }[]): ServerVerdicts {
  const sentIds = new Set(sentItems.map((item) => item.id));
  const stored = [...response.accepted, ...response.duplicates].filter((id) => sentIds.has(id));
  const refused = response.rejected.flatMap((rejection) => {
    // The server names the item by id, or by position when the id itself was unreadable.
    const id = rejection.id !== null && sentIds.has(rejection.id) ? rejection.id : sentItems[rejection.index]?.id;
    return id === undefined ? [] : [{ id, code: rejection.code ?? 'invalid', errors: rejection.errors }];
  });
  return { stored, refused };
}
