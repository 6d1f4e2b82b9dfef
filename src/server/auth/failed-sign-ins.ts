import { createHmac } from 'node:crypto';
import type { RateLimit } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import type { CounterStore } from '../storage/counter-store.ts';

/** The deployment's key that client addresses are hashed under (security.ts's rate limits use it too). */
export const CLIENT_KEY_SECRET = 'rate-limit-key';

/**
 * Wrong passwords, at sign-in and when a browser session confirms its password to create an
 * API token, counted per e-mail **and** client together (`limit` per window): an attacker's
 * guesses lock the attacker's client out, never the person signing in from elsewhere (the
 * rate-limit plugin still limits each client's sign-in requests, whatever the e-mail).
 *
 * The counter's key is an HMAC of both under the deployment's key, so that the database holds
 * neither the e-mail, nor the address, nor a hash anyone could recompute from a list of e-mails.
 */
export interface FailedSignIns {
  /** Seconds left before this client may try this e-mail again; undefined when it may now. */
  lockedFor(email: string, client: string): Promise<number | undefined>;
  failed(email: string, client: string): Promise<void>;
  succeeded(email: string, client: string): Promise<void>;
}

export const lockedOutMessage = (waitS: number) => `Trop d’essais pour ce compte : réessayez dans ${Math.ceil(waitS / 60)} min`;

/** The 429 (with Retry-After) while this client may not try this e-mail's password again. */
export async function refuseWhileLockedOut(failedSignIns: FailedSignIns, email: string, client: string): Promise<void> {
  const waitS = await failedSignIns.lockedFor(email, client);
  if (waitS !== undefined) throw new HttpError(429, lockedOutMessage(waitS), { headers: { 'retry-after': String(waitS) } });
}

export function createFailedSignIns(counters: CounterStore, now: () => number, limit: RateLimit): FailedSignIns {
  let secret: Promise<Buffer> | undefined;
  const keyOf = async (email: string, client: string): Promise<string> => {
    secret ??= counters.serverSecret(CLIENT_KEY_SECRET).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    // JSON: no e-mail and address pair can be read as another.
    const mac = createHmac('sha256', await secret)
      .update(JSON.stringify([email.trim().toLowerCase(), client]))
      .digest('base64url');
    return `login-failures:${mac}`;
  };

  return {
    async lockedFor(email, client) {
      const failures = await counters.peekHits(await keyOf(email, client), now());
      if (!failures || failures.count < limit.max) return undefined;
      return Math.max(1, Math.ceil((failures.resetAtMs - now()) / 1000));
    },
    async failed(email, client) {
      await counters.countHit(await keyOf(email, client), limit.windowS * 1000, now());
    },
    async succeeded(email, client) {
      await counters.clearHits(await keyOf(email, client));
    },
  };
}
