import type * as v from 'valibot';
import { CSRF_HEADER } from '../../domain/account.ts';
import { markSignInNeeded } from '../../store/session.ts';
import { announce } from '../../sync/channel.ts';
import { SIGN_IN_NEEDED_MESSAGE } from '../../sync/protocol.ts';
import { noteOwnChange } from './own-changes.ts';
import { sessionState } from './session-state.ts';

/** A refusal or failure of an API call, with a message to show as it is (French). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /**
   * The browser's HTTP cache for a GET: `no-store` (the default) always asks the server for
   * the newest answer; `default` lets the browser revalidate with its ETag (a 304 costs no
   * body) and lets the server answer a seconds-old one while it builds the newest
   * (GET /api/v1/cells: `gridViewCacheMode()` in own-changes.ts).
   */
  cache?: RequestCache;
}

/** An issue as a schema's Standard Schema interface reports it (valibot's issues are such). */
interface AnswerIssue {
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** Where an issue lies in the answer, as `zones.0.departement`; the whole answer when it has no path. */
function dotPath(issue: AnswerIssue): string {
  const keys = issue.path?.map((item) => (typeof item === 'object' ? item.key : item));
  return keys?.length ? keys.map(String).join('.') : 'réponse';
}

/** What the server says when its answer is not what the contract (src/domain/api/) promises. */
export function unexpectedAnswer(path: string, status: number, issues: readonly AnswerIssue[]): ApiError {
  const fields = [...new Set(issues.map(dotPath))].slice(0, 3).map((field) => `« ${field} »`);
  return new ApiError(
    `Réponse inattendue du serveur (${path}, champ ${fields.join(', ')}) : rechargez la page ; si cela persiste, le serveur et l’application n’ont pas la même version.`,
    status,
  );
}

/**
 * The page's calls to the API (screens that need the network: review, administration).
 * Sends the session cookie and, on a state-changing call, the CSRF token; a 401 marks the
 * session as needing a sign-in on every open page.
 *
 * The answer is parsed by its schema from the contract (src/domain/api/): typed by it, and an
 * answer that strays from it is an ApiError « Réponse inattendue du serveur … », never a screen
 * reading a field that is not there. A 204 answers undefined (`NoContentSchema` says so).
 */
export async function api<S extends v.GenericSchema>(path: string, schema: S, options: ApiOptions = {}): Promise<v.InferOutput<S>> {
  const { status, payload } = await fetchAnswer(path, options);
  if (status === 204) return payload as v.InferOutput<S>;
  // Through the schema's Standard Schema interface rather than valibot's safeParse: valibot's own
  // functions then stay out of the first script, in the chunks of the screens that build schemas (issue 19).
  const parsed = await schema['~standard'].validate(payload);
  if (parsed.issues) throw unexpectedAnswer(path, status, parsed.issues);
  return parsed.value;
}

/** The status and JSON body of a successful answer; anything else thrown as an ApiError (or the AbortError). */
async function fetchAnswer(path: string, { method = 'GET', body, signal, cache = 'no-store' }: ApiOptions): Promise<{ status: number; payload: unknown }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = sessionState.get().session?.info.csrfToken;
  if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache,
      ...(body !== undefined && { body: JSON.stringify(body) }),
      ...(signal && { signal }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('Pas de réseau : cet écran a besoin de joindre le serveur.', 0);
  }
  if (method !== 'GET' && response.ok) noteOwnChange();
  if (response.status === 204) return { status: 204, payload: undefined };
  const payload = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  if (response.ok) return { status: response.status, payload };
  if (response.status === 401 && sessionState.get().session) {
    await markSignInNeeded(SIGN_IN_NEEDED_MESSAGE);
    announce({ type: 'session-changed' });
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    typeof payload?.error === 'string' ? payload.error : `Le serveur a répondu ${response.status}`,
    response.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
