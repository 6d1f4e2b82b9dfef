import type { FastifyInstance } from 'fastify';
import {
  CommunesAnswerSchema,
  CreatedTokenAnswerSchema,
  NewTokenSchema,
  NewUserSchema,
  RevokedAnswerSchema,
  TOKEN_FIELD_MESSAGES,
  TokensAnswerSchema,
  UserAnswerSchema,
  UserPatchSchema,
  UsersAnswerSchema,
} from '../../domain/api/index.ts';
import { actorOf, type Accounts } from '../accounts.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { mayManageTokensOf } from '../access/scope.ts';
import { refuseWhileLockedOut, type FailedSignIns } from '../auth/failed-sign-ins.ts';
import type { Communes } from '../communes/communes.ts';
import type { SecuritySettings } from '../config.ts';
import { routeRateLimit } from '../security.ts';
import type { Store } from '../storage/store.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { parseLimit, singleValued } from './query.ts';
import { answer } from './answer.ts';
import { firstIssueMessage, parseBody, type BodyRules } from './request-body.ts';

export interface AccountRoutesOptions {
  accounts: Accounts;
  communes: Communes;
  store: Store;
  security: SecuritySettings;
  /** Wrong passwords confirming a token's creation count as failed sign-ins. */
  failedSignIns: FailedSignIns;
}

export const TOKEN_MESSAGES = {
  byToken:
    'Un jeton d’API ne peut pas créer de jeton : créez-le depuis une session ouverte dans le navigateur (avec votre mot de passe) ou par « npm run admin -- add-token »',
  passwordMissing: TOKEN_FIELD_MESSAGES.passwordMissing,
  wrongPassword: 'Mot de passe incorrect : confirmez avec le mot de passe de votre propre compte',
} as const;

/**
 * Users (admin), personal API tokens (their owner, or an admin), the commune list (public)
 * and the audit log (admin). Who may call each route is in access/route-access.ts.
 */
export function registerAccountRoutes(app: FastifyInstance, { accounts, communes, store, security, failedSignIns }: AccountRoutesOptions): void {
  // ---- users (admin only, by the route table)
  app.get('/api/v1/users', async () => answer(UsersAnswerSchema, { users: await accounts.listUsers() }));

  app.post('/api/v1/users', async (request, reply) => {
    const body = parseBody(request.body, NewUserSchema, ACCOUNT_BODY_RULES);
    const actor = actorOf(requirePrincipal(request).user);
    // The admin chose the password: its owner must replace it at first sign-in.
    return reply.code(201).send(answer(UserAnswerSchema, await accounts.createUser({ ...body, provisional: true }, actor)));
  });

  app.patch<{ Params: { id: string } }>('/api/v1/users/:id', async (request) => {
    const body = parseBody(request.body, UserPatchSchema, ACCOUNT_BODY_RULES);
    return answer(UserAnswerSchema, await accounts.updateUser(request.params.id, body, actorOf(requirePrincipal(request).user)));
  });

  // Sessions always; API tokens too with ?tokens=true (a lost phone, a compromised account).
  app.delete<{ Params: { id: string } }>('/api/v1/users/:id/sessions', async (request) => {
    const { tokens } = singleValued(request.query, ['tokens']);
    if (tokens !== undefined && tokens !== 'true' && tokens !== 'false') {
      throw badRequest(`tokens=« ${tokens} » : attendu true (révoquer aussi les jetons d’API) ou false`);
    }
    return answer(
      RevokedAnswerSchema,
      await accounts.revokeSessions(request.params.id, actorOf(requirePrincipal(request).user), { tokens: tokens === 'true' }),
    );
  });

  // ---- API tokens (own; an admin's for anyone)
  app.get('/api/v1/tokens', async (request) => {
    const user = requirePrincipal(request).user;
    const userId = singleValued(request.query, ['userId']).userId ?? user.id;
    if (!mayManageTokensOf(user, userId)) throw new HttpError(403, 'Seul un administrateur voit les jetons des autres comptes');
    return answer(TokensAnswerSchema, { tokens: await accounts.listTokens(userId) });
  });

  // A token is made from a browser session that confirms its own password (checked and
  // counted like a sign-in), never by another token: a stolen cookie or a leaked token cannot
  // make itself a lasting copy. Guessing is bounded by the failures counted per e-mail and
  // client, as at sign-in (a session always confirms its own e-mail's password).
  app.post('/api/v1/tokens', async (request, reply) => {
    const { user, via } = requirePrincipal(request);
    if (via !== 'session') throw new HttpError(403, TOKEN_MESSAGES.byToken);
    const body = parseBody(request.body, NewTokenSchema, ACCOUNT_BODY_RULES);
    const userId = body.userId ?? user.id;
    if (!mayManageTokensOf(user, userId)) throw new HttpError(403, 'Seul un administrateur crée des jetons pour un autre compte');

    await refuseWhileLockedOut(failedSignIns, user.email, request.ip);
    if (!(await accounts.passwordMatches(user.id, body.password))) {
      await failedSignIns.failed(user.email, request.ip);
      throw new HttpError(403, TOKEN_MESSAGES.wrongPassword);
    }
    await failedSignIns.succeeded(user.email, request.ip);
    return reply
      .code(201)
      .send(answer(CreatedTokenAnswerSchema, await accounts.createToken(userId, body.name, actorOf(user), { days: body.days ?? undefined })));
  });

  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const owner = await accounts.tokenOwner(request.params.id);
    if (owner === undefined) throw new HttpError(404, 'Aucun jeton ne porte cet identifiant');
    if (!mayManageTokensOf(user, owner)) throw new HttpError(403, 'Ce jeton appartient à un autre compte');
    await accounts.revokeToken(request.params.id, actorOf(user));
    return reply.code(204).send();
  });

  // ---- communes (public)
  app.get('/api/v1/communes', { config: routeRateLimit(security.rateLimits.publicReads) }, async (request) => {
    const params = singleValued(request.query, ['q', 'departement', 'limit']);
    if (params.q !== undefined && params.q.length > 100) throw badRequest('q dépasse 100 caractères.');
    if (params.departement !== undefined && !communes.departementName(params.departement)) {
      throw badRequest(`departement=« ${params.departement} » : département inconnu (ex. 34, 2A, 971).`);
    }
    const limit = params.limit === undefined ? 20 : parseLimit(params.limit, 20, 100);
    return answer(CommunesAnswerSchema, {
      communes: communes.search({ limit, ...(params.q && { q: params.q }), ...(params.departement && { departement: params.departement }) }),
    });
  });

  // ---- audit log (admin)
  app.get('/api/v1/audit', async (request) => {
    const { limit } = singleValued(request.query, ['limit']);
    return { entries: await store.listAudit(limit === undefined ? 100 : parseLimit(limit, 100, 1000)) };
  });
}

/**
 * The account bodies: types by their schema, one thing to fix at a time; the values are then
 * judged by accounts.ts, which the shell command (scripts/admin.ts) shares.
 */
const ACCOUNT_BODY_RULES: BodyRules = { notObject: 'Le corps doit être un objet JSON', unknownLabel: 'Champs inconnus', message: firstIssueMessage };
