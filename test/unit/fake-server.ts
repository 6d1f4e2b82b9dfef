import { canonicalJson, createReadingSchema, validateReading, type Reading } from '../../src/domain/reading.ts';
import { READINGS_ENDPOINT, type RejectedReading, type UploadResponse } from '../../src/sync/protocol.ts';
import { fixedNow } from './helpers.ts';

export interface SeenRequest {
  url: string;
  method: string | undefined;
  ids: string[];
}

/**
 * Decides the answer to one request before the server stores anything. Return a Response to
 * send it instead of the normal answer, or undefined to let the server ingest the batch.
 */
export type Interceptor = (request: SeenRequest, readings: unknown[]) => Response | undefined | Promise<Response | undefined>;

/**
 * A stand-in for POST /api/v1/readings that answers as the real API does: each reading
 * judged alone, idempotent on the id (same content: duplicate, other content: conflict).
 */
export class FakeServer {
  /** What the server holds: id → canonical JSON. */
  readonly stored = new Map<string, string>();
  /** How many times each id was newly stored (must never exceed 1). */
  readonly insertions = new Map<string, number>();
  readonly requests: SeenRequest[] = [];
  intercept: Interceptor | undefined;
  /** Rewrites a normal answer (after storing), e.g. to lose part of it. */
  rewrite: ((response: UploadResponse) => UploadResponse) | undefined;
  private readonly schema = createReadingSchema({ now: fixedNow });

  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = JSON.parse(String(init?.body)) as { readings: unknown[] };
    const request: SeenRequest = { url, method: init?.method, ids: body.readings.map((r) => (r as { id: string }).id) };
    this.requests.push(request);
    if (url !== READINGS_ENDPOINT || init?.method !== 'POST') return json(404, { error: 'Not found' });
    const intercepted = await this.intercept?.(request, body.readings);
    if (intercepted) return intercepted;
    const answer = this.ingest(body.readings);
    return json(200, this.rewrite ? this.rewrite(answer) : answer);
  };

  /** Stores a batch as the real server would, and says what became of each reading. */
  ingest(readings: unknown[]): UploadResponse {
    const response: UploadResponse = { accepted: [], duplicates: [], rejected: [] };
    readings.forEach((item, index) => {
      const result = validateReading(item, this.schema);
      if (!result.ok) {
        const id = (item as { id?: unknown }).id;
        response.rejected.push({ id: typeof id === 'string' ? id : null, index, code: 'invalid', errors: result.errors });
        return;
      }
      const text = canonicalJson(result.reading);
      const held = this.stored.get(result.reading.id);
      if (held === undefined) {
        this.stored.set(result.reading.id, text);
        this.insertions.set(result.reading.id, (this.insertions.get(result.reading.id) ?? 0) + 1);
        response.accepted.push(result.reading.id);
      } else if (held === text) {
        response.duplicates.push(result.reading.id);
      } else {
        const rejection: RejectedReading = {
          id: result.reading.id,
          index,
          code: 'conflict',
          errors: [{ field: 'id', message: "Un autre relevé porte déjà cet identifiant ; rien n'a été écrasé" }],
        };
        response.rejected.push(rejection);
      }
    });
    return response;
  }

  /** Puts a reading on the server as if another device had sent it. */
  hold(reading: Reading): void {
    this.stored.set(reading.id, canonicalJson(reading));
  }

  /** Every id posted, across all requests, in order. */
  get postedIds(): string[] {
    return this.requests.flatMap((r) => r.ids);
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
