import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_ERROR_CODE, CSRF_HEADER, PASSWORD_CHANGE_ERROR_CODE } from '../../domain/account.ts';
import type { Accounts } from '../accounts.ts';
import { readSessionCookie, type CookieSettings } from '../auth/cookies.ts';
import { sameSecret } from '../auth/secrets.ts';
import { HttpError } from '../http-errors.ts';
import type { SessionRecord, User } from '../storage/account-store.ts';
import { isApiUrl, ruleFor, type RouteRule } from './route-access.ts';

/** Who is making the request, as the server established it. */
export interface Principal {
  user: User;
  via: 'session' | 'token';
  /** Set when `via` is 'session'. */
  session?: SessionRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const MESSAGES = {
  signedOut: 'Connectez-vous pour continuer : session absente, expirée ou révoquée',
  badToken: 'Jeton d’API inconnu, expiré ou révoqué : vérifiez l’en-tête « Authorization: Bearer … »',
  sessionOnly: 'Cette adresse demande une session ouverte dans le navigateur (pas un jeton d’API)',
  forbidden: 'Votre rôle ne permet pas cette action',
  csrf: 'Jeton anti-CSRF manquant ou périmé : rechargez la page',
  passwordChange:
    'Votre mot de passe est provisoire : choisissez le vôtre avant de continuer (écran « Choisissez votre mot de passe », ou POST /api/v1/session/password)',
} as const;

/**
 * The caller of a route whose access rule requires one (route-access.ts): the onRequest hook
 * below has already refused anyone else, so a missing principal here is a route declared with
 * the wrong rule, and it is refused as signed out rather than served to nobody.
 */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, MESSAGES.signedOut);
  return request.principal;
}

/** The principal's browser session, for routes whose rule is `session` (or that refused a token first). */
export function requireSession(request: FastifyRequest): Principal & { session: SessionRecord } {
  const principal = requirePrincipal(request);
  if (!principal.session) throw new HttpError(401, MESSAGES.sessionOnly);
  return principal as Principal & { session: SessionRecord };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place where route-access.ts is enforced: an onRequest hook on every API route,
 * and an onRoute check that makes the server refuse to start when an API route has no rule.
 */
export function enforceRouteAccess(app: FastifyInstance, accounts: Accounts, cookie: CookieSettings): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (!isApiUrl(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!ruleFor(method, route.url)) {
        throw new Error(`${method} ${route.url} n’a pas de règle d’accès : ajoutez-la à src/server/access/route-access.ts`);
      }
    }
  });

  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined || !isApiUrl(url)) return; // pages, and unknown routes (404)
    const rule = ruleFor(request.method, url);
    if (!rule) throw new Error(`${request.method} ${url} n’a pas de règle d’accès`); // unreachable: onRoute refuses such routes

    if (rule.credentials === 'ignored') return;
    const identified = await identify(request, accounts, cookie);
    if (identified === 'bad-token') {
      // A script with a wrong token should learn it, even on a public route.
      throw new HttpError(401, MESSAGES.badToken, { headers: { 'www-authenticate': 'Bearer' } });
    }
    request.principal = identified;
    if (identified?.via === 'session' && identified.user.mustChangePassword && rule.provisional !== 'allowed') {
      // A password someone else chose opens nothing but the screen to replace it: public
      // routes see an anonymous caller, the others refuse.
      if (rule.access === 'public') request.principal = null;
      else throw new HttpError(403, MESSAGES.passwordChange, { fields: { code: PASSWORD_CHANGE_ERROR_CODE } });
    }

    check(rule, request);
  });
}

/** Throws the refusal of a caller the rule does not admit. */
function check(rule: RouteRule, request: FastifyRequest): void {
  const principal = request.principal;
  if (rule.access === 'public') return;
  if (!principal) throw new HttpError(401, MESSAGES.signedOut);
  if (rule.access === 'session' && principal.via !== 'session') throw new HttpError(401, MESSAGES.sessionOnly);
  if (Array.isArray(rule.access) && !rule.access.includes(principal.user.role)) throw new HttpError(403, MESSAGES.forbidden);
  if (rule.csrf && principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !principal.session || !sameSecret(sent, principal.session.csrfToken)) {
      throw new HttpError(403, MESSAGES.csrf, { fields: { code: CSRF_ERROR_CODE } });
    }
  }
}

/** An Authorization header wins over the cookie; a wrong token is an error, not anonymity. */
async function identify(request: FastifyRequest, accounts: Accounts, cookie: CookieSettings): Promise<Principal | null | 'bad-token'> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    const found = match ? await accounts.tokenUser(match[1]!) : undefined;
    if (!found) return 'bad-token';
    return { user: accounts.toPublicUser(found.user), via: 'token' };
  }
  const token = readSessionCookie(request, cookie);
  if (token === undefined) return null;
  const found = await accounts.session(token);
  return found ? { user: accounts.toPublicUser(found.user), via: 'session', session: found.session } : null;
}
