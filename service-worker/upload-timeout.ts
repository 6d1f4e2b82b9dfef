import { withDb } from '../src/store/db.ts';
import type { FlushOptions } from '../src/sync/flush.ts';
import { fetchGivingUpAfter, shorterUploadTimeout } from '../src/sync/upload.ts';

/**
 * A shorter upload timeout, in milliseconds, when not the default. Nothing in the app sets it
 * (as `meta` « tileBrowseCacheLimit »): the fault tests set it so that a request the server
 * never answers is given up in seconds rather than UPLOAD_TIMEOUT_MS.
 */
const UPLOAD_TIMEOUT_KEY = 'uploadTimeoutMs';

/** The flush's options: none, unless a shorter upload timeout is set. Read at each send. */
export async function flushOptions(): Promise<FlushOptions> {
  // A setting for tests must never be what stops a send: unreadable, it is not set.
  const requested = await withDb((db) => db.get('meta', UPLOAD_TIMEOUT_KEY)).catch(() => undefined);
  const timeoutMs = shorterUploadTimeout(requested);
  return timeoutMs === undefined ? {} : { fetch: fetchGivingUpAfter(timeoutMs) };
}
