import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../accounts.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { sha256 } from '../auth/secrets.ts';
import type { SecuritySettings } from '../config.ts';
import { routeRateLimit } from '../security.ts';

export const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect';
const DISABLED = 'Ce compte est désactivé : adressez-vous à l’administrateur de Couverture';
const SIGN_IN_BODY_LIMIT = 4 * 1024;

export interface SessionRoutesOptions {
  accounts: Accounts;
  now: () => number;
  security: SecuritySettings;
}

/**
 * POST /api/v1/session (sign in), GET (who am I, with the CSRF token), DELETE (sign out).
 * Sign-in is limited per client (rate-limit plugin) and per e-mail (failures counted here),
 * so that neither one address nor one account can be guessed at speed.
 */
export function registerSessionRoutes(app: FastifyInstance, { accounts, now, security }: SessionRoutesOptions): void {
  const cookie = { secure: security.cookieSecure };
  const failures = new FailureCounter(security.rateLimits.loginFailuresPerEmail.max, security.rateLimits.loginFailuresPerEmail.windowS * 1000, now);

  app.post('/api/v1/session', { bodyLimit: SIGN_IN_BODY_LIMIT, config: routeRateLimit(security.rateLimits.login) }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"}' });
    }
    const { email, password } = body as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"} : deux textes' });
    }
    const emailKey = sha256(email.trim().toLowerCase());
    const waitS = failures.blockedForS(emailKey);
    if (waitS > 0) {
      return reply
        .code(429)
        .header('retry-after', String(waitS))
        .send({ error: `Trop d’essais pour ce compte : réessayez dans ${Math.ceil(waitS / 60)} min` });
    }

    const result = await accounts.signIn(email, password);
    if (!result) {
      failures.record(emailKey);
      return reply.code(401).send({ error: BAD_CREDENTIALS });
    }
    if ('disabled' in result) return reply.code(403).send({ error: DISABLED });
    failures.clear(emailKey);
    setSessionCookie(request, reply, result.token, security.sessionDays * 86_400, cookie);
    return accounts.sessionInfo(accounts.toPublicUser(result.user), result.session);
  });

  app.get('/api/v1/session', async (request) => {
    const { user, session } = request.principal!;
    return accounts.sessionInfo(user, session!);
  });

  app.delete('/api/v1/session', async (request, reply) => {
    await accounts.signOut(request.principal!.session!.tokenHash);
    clearSessionCookie(request, reply, cookie);
    return reply.code(204).send();
  });
}

/** Failed sign-ins per key (a hashed e-mail) within a sliding window, in memory only. */
class FailureCounter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Seconds until the next try is allowed; 0 when it is. */
  blockedForS(key: string): number {
    const times = this.recent(key);
    if (times.length < this.max) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - this.now()) / 1000));
  }

  record(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
    // Bounded memory under a spray of e-mails: forget the oldest keys.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
