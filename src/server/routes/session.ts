import type { FastifyInstance } from 'fastify';
import { AccountError, type Accounts } from '../accounts.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { lockedOutMessage, type FailedSignIns } from '../auth/failed-sign-ins.ts';
import type { SecuritySettings } from '../config.ts';
import { routeRateLimit } from '../security.ts';

export const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect';
const DISABLED = 'Ce compte est désactivé : adressez-vous à l’administrateur de Couverture';
const SIGN_IN_BODY_LIMIT = 4 * 1024;
const PASSWORD_BODY = 'Envoyez {"currentPassword": "…", "newPassword": "…"} : deux textes';
export const WRONG_CURRENT_PASSWORD = 'Mot de passe actuel incorrect';

export interface SessionRoutesOptions {
  accounts: Accounts;
  /** Wrong passwords per e-mail and client, counted in the database (shared by every app process). */
  failedSignIns: FailedSignIns;
  security: SecuritySettings;
}

/**
 * POST /api/v1/session (sign in), GET (who am I, with the CSRF token), DELETE (sign out),
 * POST /api/v1/session/password (change one's own password).
 * Sign-in is limited per client (rate-limit plugin) and per e-mail and client together
 * (failures, auth/failed-sign-ins.ts), so that no account can be guessed at speed, and an
 * attacker's guesses never lock the person out. A password change confirms the current
 * password under the same limits: a stolen session cannot guess it faster than a sign-in.
 */
export function registerSessionRoutes(app: FastifyInstance, { accounts, failedSignIns, security }: SessionRoutesOptions): void {
  const cookie = { secure: security.cookieSecure };

  app.post('/api/v1/session', { bodyLimit: SIGN_IN_BODY_LIMIT, config: routeRateLimit(security.rateLimits.login) }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"}' });
    }
    const { email, password } = body as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      return reply.code(400).send({ error: 'Envoyez {"email": "…", "password": "…"} : deux textes' });
    }
    const waitS = await failedSignIns.lockedFor(email, request.ip);
    if (waitS !== undefined) return reply.code(429).header('retry-after', String(waitS)).send({ error: lockedOutMessage(waitS) });

    const result = await accounts.signIn(email, password);
    if (!result) {
      await failedSignIns.failed(email, request.ip);
      return reply.code(401).send({ error: BAD_CREDENTIALS });
    }
    if ('disabled' in result) return reply.code(403).send({ error: DISABLED });
    await failedSignIns.succeeded(email, request.ip);
    setSessionCookie(request, reply, result.token, security.sessionDays * 86_400, cookie);
    return accounts.sessionInfo(accounts.toPublicUser(result.user), result.session);
  });

  app.get('/api/v1/session', async (request) => {
    const { user, session } = request.principal!;
    return accounts.sessionInfo(user, session!);
  });

  // Answers the session as it now stands (mustChangePassword false); the account's other
  // sessions and its API tokens end, this one stays open.
  app.post('/api/v1/session/password', { bodyLimit: SIGN_IN_BODY_LIMIT, config: routeRateLimit(security.rateLimits.login) }, async (request, reply) => {
    const { user, session } = request.principal!;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply.code(400).send({ error: PASSWORD_BODY });
    const { currentPassword, newPassword, ...others } = body as Record<string, unknown>;
    const unknown = Object.keys(others);
    if (unknown.length > 0) {
      return reply.code(400).send({ error: `Champs inconnus : ${unknown.map((name) => `« ${name} »`).join(', ')}. Champs acceptés : currentPassword, newPassword.` });
    }
    if (typeof currentPassword !== 'string' || currentPassword === '' || typeof newPassword !== 'string') return reply.code(400).send({ error: PASSWORD_BODY });

    const waitS = await failedSignIns.lockedFor(user.email, request.ip);
    if (waitS !== undefined) return reply.code(429).header('retry-after', String(waitS)).send({ error: lockedOutMessage(waitS) });
    if (!(await accounts.passwordMatches(user.id, currentPassword))) {
      await failedSignIns.failed(user.email, request.ip);
      return reply.code(403).send({ error: WRONG_CURRENT_PASSWORD });
    }
    await failedSignIns.succeeded(user.email, request.ip);
    try {
      const changed = await accounts.changeOwnPassword(user.id, currentPassword, newPassword, session!.tokenHash);
      return accounts.sessionInfo(accounts.toPublicUser(changed), session!);
    } catch (error) {
      if (error instanceof AccountError) return reply.code(error.status).send({ error: error.message });
      throw error;
    }
  });

  app.delete('/api/v1/session', async (request, reply) => {
    await accounts.signOut(request.principal!.session!.tokenHash);
    clearSessionCookie(request, reply, cookie);
    return reply.code(204).send();
  });
}
