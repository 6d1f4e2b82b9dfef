import * as v from 'valibot';
import type { Reading } from '../domain/reading.ts';
import { READINGS_ENDPOINT, type UploadResponse } from './protocol.ts';

/** A hung connection must not hold the send lock for ever. */
export const UPLOAD_TIMEOUT_MS = 30_000;

export type UploadOutcome =
  /** The server judged each reading: see the response. */
  | { kind: 'answered'; response: UploadResponse }
  /** Nothing was judged (no network, server down or busy, signed out): try again later. */
  | { kind: 'unavailable'; message: string }
  /** The server refused the request as a whole: split it to find the reading at fault. */
  | { kind: 'batch-refused'; message: string };

const FieldErrorSchema = v.object({ field: v.string(), message: v.string() });
const UploadResponseSchema = v.object({
  accepted: v.array(v.string()),
  duplicates: v.array(v.string()),
  rejected: v.array(
    v.object({
      id: v.nullable(v.string()),
      index: v.number(),
      code: v.optional(v.picklist(['invalid', 'conflict'])),
      errors: v.array(FieldErrorSchema),
    }),
  ),
});

/** Status codes that say "not now" rather than "not this". */
const RETRYABLE_STATUS = new Set([401, 403, 404, 408, 425, 429]);

export async function uploadBatch(readings: Reading[], fetchFn: typeof fetch = fetch, baseUrl = ''): Promise<UploadOutcome> {
  let response: Response;
  try {
    response = await fetchFn(`${baseUrl}${READINGS_ENDPOINT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ readings }),
      cache: 'no-store',
      credentials: 'same-origin',
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { kind: 'unavailable', message: timedOut ? 'Le serveur ne répond pas (délai dépassé)' : 'Pas de réseau : le serveur est injoignable' };
  }

  if (response.status >= 500 || RETRYABLE_STATUS.has(response.status)) {
    return { kind: 'unavailable', message: `Le serveur est indisponible (${await describe(response)})` };
  }
  if (!response.ok) return { kind: 'batch-refused', message: await describe(response) };

  const parsed = v.safeParse(UploadResponseSchema, await response.json().catch(() => undefined));
  if (!parsed.success) return { kind: 'unavailable', message: 'Réponse du serveur illisible' };
  return { kind: 'answered', response: parsed.output };
}

async function describe(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  const detail = typeof body?.error === 'string' ? body.error : response.statusText;
  return detail ? `${response.status} : ${detail}` : `erreur ${response.status}`;
}
