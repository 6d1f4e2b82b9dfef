import { CSRF_ERROR_CODE, type SessionInfo } from '../../src/domain/account.ts';
import { canonicalJson, type Reading } from '../../src/domain/reading.ts';
import { createReadingSchema, validateReading } from '../../src/domain/reading-schema.ts';
import { createReportSchema, validateReport } from '../../src/domain/report.ts';
import { READINGS_ENDPOINT, REPORTS_ENDPOINT, SESSION_ENDPOINT, type RejectedReading, type UploadResponse } from '../../src/sync/protocol.ts';
import { fixedNow, sessionInfo } from './helpers.ts';

export interface SeenRequest {
  url: string;
  method: string | undefined;
  ids: string[];
  /** The X-CSRF-Token header sent, if any. */
  csrf: string | null;
  credentials: RequestCredentials | undefined;
}

/**
 * Decides the answer to one request before the server stores anything. Return a Response to
 * send it instead of the normal answer, or undefined to let the server ingest the batch.
 */
export type Interceptor = (request: SeenRequest, items: unknown[]) => Response | undefined | Promise<Response | undefined>;

export const CSRF_REFUSED = 'Jeton anti-CSRF manquant ou périmé : rechargez la page';

/**
 * A stand-in for the API as the browser sees it: POST /api/v1/readings (behind the session
 * cookie and its CSRF token), POST /api/v1/reports (public) and GET /api/v1/session. Each
 * item is judged alone, idempotent on the id (same content: duplicate, other: conflict).
 */
export class FakeServer {
  /** What the server holds: id → canonical JSON. */
  readonly stored = new Map<string, string>();
  /** How many times each id was newly stored (must never exceed 1). */
  readonly insertions = new Map<string, number>();
  /** Residents' reports held: id → JSON. */
  readonly reports = new Map<string, string>();
  readonly requests: SeenRequest[] = [];
  intercept: Interceptor | undefined;
  /** Rewrites a normal answer (after storing), e.g. to lose part of it. */
  rewrite: ((response: UploadResponse) => UploadResponse) | undefined;
  /** The browser's cookie names a live session (false: expired or revoked → 401). */
  sessionValid = true;
  /** The session's current CSRF token; the device must send this one. */
  csrfToken = sessionInfo().csrfToken;
  private readonly schema = createReadingSchema({ now: fixedNow });
  private readonly reportSchema = createReportSchema({ now: fixedNow });

  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body === undefined ? {} : (JSON.parse(String(init.body)) as { readings?: unknown[]; reports?: unknown[] });
    const items = body.readings ?? body.reports ?? [];
    const request: SeenRequest = {
      url,
      method: init?.method,
      ids: items.map((item) => (item as { id: string }).id),
      csrf: new Headers(init?.headers).get('x-csrf-token'),
      credentials: init?.credentials,
    };
    this.requests.push(request);

    if (url === SESSION_ENDPOINT && init?.method === 'GET') {
      return this.sessionValid ? json(200, sessionInfo({ csrfToken: this.csrfToken })) : json(401, { error: 'Session expirée' });
    }
    if (url === REPORTS_ENDPOINT && init?.method === 'POST') {
      const intercepted = await this.intercept?.(request, items);
      if (intercepted) return intercepted;
      return json(200, this.ingestReports(items));
    }
    if (url !== READINGS_ENDPOINT || init?.method !== 'POST') return json(404, { error: 'Not found' });
    if (!this.sessionValid) return json(401, { error: 'Session expirée ou révoquée : reconnectez-vous' });
    if (request.csrf !== this.csrfToken) return json(403, { error: CSRF_REFUSED, code: CSRF_ERROR_CODE });
    const intercepted = await this.intercept?.(request, items);
    if (intercepted) return intercepted;
    const answer = this.ingest(items);
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

  ingestReports(reports: unknown[]): UploadResponse {
    const response: UploadResponse = { accepted: [], duplicates: [], rejected: [] };
    reports.forEach((item, index) => {
      const result = validateReport(item, this.reportSchema);
      if (!result.ok) {
        const id = (item as { id?: unknown }).id;
        response.rejected.push({ id: typeof id === 'string' ? id : null, index, code: 'invalid', errors: result.errors });
      } else if (this.reports.has(result.report.id)) {
        response.duplicates.push(result.report.id);
      } else {
        this.reports.set(result.report.id, JSON.stringify(result.report));
        response.accepted.push(result.report.id);
      }
    });
    return response;
  }

  /** Puts a reading on the server as if another device had sent it. */
  hold(reading: Reading): void {
    this.stored.set(reading.id, canonicalJson(reading));
  }

  /** Every reading id posted, across all requests, in order. */
  get postedIds(): string[] {
    return this.requests.filter((r) => r.url === READINGS_ENDPOINT).flatMap((r) => r.ids);
  }

  requestsTo(url: string): SeenRequest[] {
    return this.requests.filter((r) => r.url === url);
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export type { SessionInfo };
