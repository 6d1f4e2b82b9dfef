import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../accounts.ts';
import { requireSession } from '../access/enforce.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { refuseWhileLockedOut, type FailedSignIns } from '../auth/failed-sign-ins.ts';
import type { SecuritySettings } from '../config.ts';
import { PASSWORD_CHANGE_SHAPE, PasswordChangeSchema, SessionAnswerSchema, SIGN_IN_SHAPE, SignInSchema } from '../../domain/api/index.ts';
import { HttpError } from '../http-errors.ts';
import { routeRateLimit } from '../security.ts';
import { answer } from './answer.ts';
import { firstIssueMessage, parseBody } from './request-body.ts';

export const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect';
const DISABLED = 'Ce compte est désactivé : adressez-vous à l’administrateur de Couverture';
const SIGN_IN_BODY_LIMIT = 4 * 1024;
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
    const { email, password } = parseBody(request.body, SignInSchema, { notObject: SIGN_IN_SHAPE, message: firstIssueMessage });
    await refuseWhileLockedOut(failedSignIns, email, request.ip);

    const result = await accounts.signIn(email, password);
    if (!result) {
      await failedSignIns.failed(email, request.ip);
      throw new HttpError(401, BAD_CREDENTIALS);
    }
    if ('disabled' in result) throw new HttpError(403, DISABLED);
    await failedSignIns.succeeded(email, request.ip);
    setSessionCookie(request, reply, result.token, security.sessionDays * 86_400, cookie);
    return answer(SessionAnswerSchema, accounts.sessionInfo(accounts.toPublicUser(result.user), result.session));
  });

  app.get('/api/v1/session', async (request) => {
    const { user, session } = requireSession(request);
    return answer(SessionAnswerSchema, accounts.sessionInfo(user, session));
  });

  // Answers the session as it now stands (mustChangePassword false); the account's other
  // sessions and its API tokens end, this one stays open.
  app.post('/api/v1/session/password', { bodyLimit: SIGN_IN_BODY_LIMIT, config: routeRateLimit(security.rateLimits.login) }, async (request) => {
    const { user, session } = requireSession(request);
    const { currentPassword, newPassword } = parseBody(request.body, PasswordChangeSchema, {
      notObject: PASSWORD_CHANGE_SHAPE,
      unknownLabel: 'Champs inconnus',
      message: firstIssueMessage,
    });

    await refuseWhileLockedOut(failedSignIns, user.email, request.ip);
    if (!(await accounts.passwordMatches(user.id, currentPassword))) {
      await failedSignIns.failed(user.email, request.ip);
      throw new HttpError(403, WRONG_CURRENT_PASSWORD);
    }
    await failedSignIns.succeeded(user.email, request.ip);
    const changed = await accounts.changeOwnPassword(user.id, currentPassword, newPassword, session.tokenHash);
    return answer(SessionAnswerSchema, accounts.sessionInfo(accounts.toPublicUser(changed), session));
  });

  app.delete('/api/v1/session', async (request, reply) => {
    await accounts.signOut(requireSession(request).session.tokenHash);
    clearSessionCookie(request, reply, cookie);
    return reply.code(204).send();
  });
}
