import * as v from 'valibot';
import { CSRF_ERROR_CODE, CSRF_HEADER } from '../domain/account.ts';
import { UploadAnswerSchema } from '../domain/api/common.ts';
import type { Reading } from '../domain/reading.ts';
import type { Report } from '../domain/report.ts';
import { retryAfterMs } from './backoff.ts';
import { READINGS_ENDPOINT, REPORTS_ENDPOINT, type UploadResponse } from './protocol.ts';

/** A hung connection must not hold the send lock for ever. */
export const UPLOAD_TIMEOUT_MS = 30_000;

/** Why an upload stopped before its answer: the page heard the network come back (abandonUploadsInFlight). */
export const NETWORK_CHANGED_MESSAGE = 'Envoi interrompu : le réseau a changé, nouvel essai';

/** The uploads under way in this context, each with its abort and whether the network went during it. */
const underWay = new Set<{ abandon: AbortController; networkWent: boolean }>();

/**
 * The network went (a page heard `offline`): each upload under way now may be left waiting on
 * a connection gone with it, which {@link abandonUploadsInFlight} ends once the network is back.
 */
export function noteNetworkGone(): void {
  for (const upload of underWay) upload.networkWent = true;
}

/**
 * Stops the uploads of this context (the service worker, or the page sending itself) that
 * were under way when the network went, each ending `unavailable` with
 * NETWORK_CHANGED_MESSAGE: for when the network has just come back, since such an upload
 * may wait on a connection that went with the old network, and nothing tells the browser,
 * holding the send lock until UPLOAD_TIMEOUT_MS. What the server did receive of it is held
 * there once (it dedupes by id). An upload begun since is left alone: every tab says the
 * network is back, and a busy one says so after the send that the first one started is on
 * its way (sent twice, otherwise: the fault matrix's two tabs, 500 readings posted again).
 */
export function abandonUploadsInFlight(): void {
  for (const upload of underWay) if (upload.networkWent) upload.abandon.abort(new DOMException(NETWORK_CHANGED_MESSAGE, 'AbortError'));
}

/**
 * The timeout asked for instead of UPLOAD_TIMEOUT_MS (service-worker/upload-timeout.ts), if
 * any: only a shorter wait is taken, so that a stray value can never make a hung request
 * hold the send lock longer.
 */
export function shorterUploadTimeout(requested: unknown): number | undefined {
  return typeof requested === 'number' && Number.isInteger(requested) && requested > 0 && requested < UPLOAD_TIMEOUT_MS ? requested : undefined;
}

/**
 * `fetchFn` giving up after `ms` (a TimeoutError, as UPLOAD_TIMEOUT_MS's own), on top of any
 * signal the caller passed.
 */
export function fetchGivingUpAfter(ms: number, fetchFn: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    return fetchFn(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

export type UploadOutcome =
  /** The server judged each item: see the response. */
  | { kind: 'answered'; response: UploadResponse }
  /**
   * Nothing was judged (no network, server down or busy): try again later. `offline`: the
   * device itself said it had no network when the request failed (navigator.onLine false),
   * so the server was never asked: no sign of a server in trouble.
   */
  | { kind: 'unavailable'; message: string; retryAfterMs?: number; offline?: true }
  /**
   * Nothing was judged because of who is asking: 401 (not signed in, session expired or
   * revoked) or 403 on the CSRF token. Waits for a sign-in, not for time to pass.
   */
  | { kind: 'auth-required'; reason: 'unauthenticated' | 'csrf'; message: string }
  /** The server refused the request as a whole: split it to find the item at fault. */
  | { kind: 'batch-refused'; message: string };

/** Status codes that say "not now" rather than "not this". */
const RETRYABLE_STATUS = new Set([403, 404, 408, 425, 429]);

/**
 * One POST of readings, with the session cookie and its CSRF token (the cookie alone would
 * let another site post in the agent's name).
 */
export function uploadBatch(readings: Reading[], fetchFn: typeof fetch = fetch, baseUrl = '', csrfToken?: string): Promise<UploadOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken !== undefined) headers[CSRF_HEADER] = csrfToken;
  return post(fetchFn, `${baseUrl}${READINGS_ENDPOINT}`, { readings }, headers, 'same-origin');
}

/**
 * One POST of residents' reports. Public: no account, and no cookie sent at all, so that a
 * report cannot be tied to whoever else uses the phone.
 */
export function uploadReports(reports: Report[], fetchFn: typeof fetch = fetch, baseUrl = ''): Promise<UploadOutcome> {
  return post(fetchFn, `${baseUrl}${REPORTS_ENDPOINT}`, { reports }, { 'content-type': 'application/json' }, 'omit');
}

async function post(
  fetchFn: typeof fetch,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  credentials: RequestCredentials,
): Promise<UploadOutcome> {
  let response: Response;
  const upload = { abandon: new AbortController(), networkWent: false };
  const abandoned = upload.abandon.signal;
  underWay.add(upload);
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials,
      signal: AbortSignal.any([AbortSignal.timeout(UPLOAD_TIMEOUT_MS), abandoned]),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    if (timedOut) return { kind: 'unavailable', message: 'Le serveur ne répond pas (délai dépassé)' };
    if (abandoned.aborted) return { kind: 'unavailable', message: NETWORK_CHANGED_MESSAGE };
    const offline = (globalThis.navigator as Navigator | undefined)?.onLine === false;
    return { kind: 'unavailable', message: 'Pas de réseau : le serveur est injoignable', ...(offline && { offline: true as const }) };
  } finally {
    // Answered or not, it no longer waits on the connection: nothing to abandon.
    underWay.delete(upload);
  }

  if (response.status === 401) return { kind: 'auth-required', reason: 'unauthenticated', message: await describe(response) };
  if (response.status === 403) {
    const body = await errorBody(response);
    const message = describeBody(response, body);
    if (body?.code === CSRF_ERROR_CODE) return { kind: 'auth-required', reason: 'csrf', message };
    return { kind: 'unavailable', message: `Le serveur est indisponible (${message})` };
  }
  if (response.status >= 500 || RETRYABLE_STATUS.has(response.status)) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return { kind: 'unavailable', message: `Le serveur est indisponible (${await describe(response)})`, ...(wait !== undefined && { retryAfterMs: wait }) };
  }
  if (!response.ok) return { kind: 'batch-refused', message: await describe(response) };

  const parsed = v.safeParse(UploadAnswerSchema, await response.json().catch(() => undefined));
  if (!parsed.success) return { kind: 'unavailable', message: 'Réponse du serveur illisible' };
  return { kind: 'answered', response: parsed.output };
}

interface ErrorBody {
  error?: unknown;
  code?: unknown;
}

function errorBody(response: Response): Promise<ErrorBody | undefined> {
  return response.json().catch(() => undefined) as Promise<ErrorBody | undefined>;
}

function describeBody(response: Response, body: ErrorBody | undefined): string {
  const detail = typeof body?.error === 'string' ? body.error : response.statusText;
  return detail ? `${response.status} : ${detail}` : `erreur ${response.status}`;
}

async function describe(response: Response): Promise<string> {
  return describeBody(response, await errorBody(response));
}
