import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/app/shell/api.ts';
import { retryAfterText, retryHelps } from '../../src/app/shell/ApiErrorMessage.tsx';
import { RequestSlot, type Outcome } from '../../src/app/shell/request-slot.ts';

/** A request the test answers when it wants, as a slow server would. */
function pending<T>() {
  let answer!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  const seen: { signal?: AbortSignal } = {};
  const request = (signal: AbortSignal) => {
    seen.signal = signal;
    return promise;
  };
  return { request, answer, fail, seen };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('one request at a time (useApi)', () => {
  it('drops « plus anciens » answered after « Actualiser »: the fresh list is not appended an old page', async () => {
    const slot = new RequestSlot();
    const settled: Outcome<string>[] = [];
    const older = pending<string>();
    const fresh = pending<string>();
    slot.run(older.request, (outcome) => settled.push(outcome));
    slot.run(fresh.request, (outcome) => settled.push(outcome));
    expect(older.seen.signal?.aborted).toBe(true);
    expect(fresh.seen.signal?.aborted).toBe(false);
    fresh.answer('page 1, fresh');
    older.answer('page 2, old');
    await flush();
    expect(settled).toEqual([{ data: 'page 1, fresh' }]);
  });

  it('settles nothing after the screen went, and aborts the request under way', async () => {
    const slot = new RequestSlot();
    const settled: Outcome<string>[] = [];
    const request = pending<string>();
    slot.run(request.request, (outcome) => settled.push(outcome));
    slot.abort();
    expect(request.seen.signal?.aborted).toBe(true);
    request.fail(new DOMException('aborted', 'AbortError'));
    await flush();
    expect(settled).toEqual([]);
  });

  it('settles the latest request’s failure', async () => {
    const slot = new RequestSlot();
    const settled: Outcome<string>[] = [];
    const request = pending<string>();
    slot.run(request.request, (outcome) => settled.push(outcome));
    const refusal = new ApiError('Trop de demandes.', 429, 120);
    request.fail(refusal);
    await flush();
    expect(settled).toEqual([{ error: refusal }]);
  });
});

describe('the error message', () => {
  it('offers « Réessayer » only where asking again can help', () => {
    expect(retryHelps(new ApiError('Pas de réseau', 0))).toBe(true);
    expect(retryHelps(new ApiError('Trop de demandes', 429))).toBe(true);
    expect(retryHelps(new ApiError('Erreur', 503))).toBe(true);
    expect(retryHelps(new ApiError('Accès refusé', 403))).toBe(false);
    expect(retryHelps(new ApiError('Champ invalide', 400))).toBe(false);
  });

  it('says when to try again', () => {
    expect(retryAfterText(30)).toBe('Réessayez dans 30 s.');
    expect(retryAfterText(120)).toBe('Réessayez dans 2 min.');
  });
});
