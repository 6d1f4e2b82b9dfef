import { expect } from 'vitest';

/**
 * How long a read of the page is retried before the assertion fails. The page renders at its
 * own pace (a fetch, a worker, IndexedDB): a read taken once may come a frame too early.
 */
export const READ_TIMEOUT_MS = 10_000;

/**
 * A read of the page retried until the matcher holds, as Playwright's own expect does:
 * `await eventually(() => locator.count()).toBe(2)` instead of `expect(await locator.count()).toBe(2)`.
 * A negative assertion (`toBe(false)`, `toBe(0)`) holds on its first read, as before.
 */
export function eventually<T>(read: () => Promise<T>, message?: string) {
  return expect.poll(read, { timeout: READ_TIMEOUT_MS, ...(message !== undefined && { message }) });
}
