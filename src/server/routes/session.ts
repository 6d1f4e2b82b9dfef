import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../accounts.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { sha256 } from '../auth/secrets.ts';
import type { SecuritySettings } from '../config.ts';
import type { CounterStore } from '../storage/counter-store.ts';
import { routeRateLimit } from '../security.ts';

export const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect';
const DISABLED = 'Ce compte est désactivé : adressez-vous à l’administrateur de Couverture';
const SIGN_IN_BODY_LIMIT = 4 * 1024;

export interface SessionRoutesOptions {
  accounts: Accounts;
  /** Where failed sign-ins are counted: shared by every app process. */
  counters: CounterStore;
  now: () => number;
  security: SecuritySettings;
}

/**
 * POST /api/v1/session (sign in), GET (who am I, with the CSRF token), DELETE (sign out).
 * Sign-in is limited per client (rate-limit plugin) and per e-mail (failures counted here, in
 * the database like the plugin's counters),
 * so that neither one address nor one account can be guessed at speed.
 */
export function registerSessionRoutes(app: FastifyInstance, { accounts, counters, now, security }: SessionRoutesOptions): void {
  const cookie = { secure: security.cookieSecure };
  const failureLimit = security.rateLimits.loginFailuresPerEmail;

  app.post('/api/v1/session', { bodyLimit: SIGN_IN_BODY_LIMIT, config: routeRateLimit(security.rateLimits.login) }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"}' });
    }
    const { email, password } = body as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"} : deux textes' });
    }
    const failuresKey = `login-failures:${sha256(email.trim().toLowerCase())}`;
    const failures = await counters.peekHits(failuresKey, now());
    if (failures && failures.count >= failureLimit.max) {
      const waitS = Math.max(1, Math.ceil((failures.resetAtMs - now()) / 1000));
      return reply
        .code(429)
        .header('retry-after', String(waitS))
        .send({ error: `Trop d’essais pour ce compte : réessayez dans ${Math.ceil(waitS / 60)} min` });
    }

    const result = await accounts.signIn(email, password);
    if (!result) {
      await counters.countHit(failuresKey, failureLimit.windowS * 1000, now());
      return reply.code(401).send({ error: BAD_CREDENTIALS });
    }
    if ('disabled' in result) return reply.code(403).send({ error: DISABLED });
    await counters.clearHits(failuresKey);
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
