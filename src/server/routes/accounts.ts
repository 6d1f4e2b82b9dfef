import type { FastifyInstance, FastifyReply } from 'fastify';
import { AccountError, actorOf, type Accounts, type NewUser, type UserPatch } from '../accounts.ts';
import { mayManageTokensOf } from '../access/scope.ts';
import { lockedOutMessage, type FailedSignIns } from '../auth/failed-sign-ins.ts';
import type { Communes } from '../communes/communes.ts';
import type { SecuritySettings } from '../config.ts';
import { routeRateLimit } from '../security.ts';
import type { Store } from '../storage/store.ts';
import { QueryError, parseLimit, singleValued } from './query.ts';

export interface AccountRoutesOptions {
  accounts: Accounts;
  communes: Communes;
  store: Store;
  security: SecuritySettings;
  /** Wrong passwords confirming a token's creation count as failed sign-ins. */
  failedSignIns: FailedSignIns;
}

const USER_FIELDS = ['email', 'name', 'password', 'role', 'communes', 'departement'] as const;
const PATCH_FIELDS = ['name', 'password', 'role', 'communes', 'departement', 'disabled'] as const;
const TOKEN_FIELDS = ['name', 'password', 'days', 'userId'] as const;

export const TOKEN_MESSAGES = {
  byToken: 'Un jeton d’API ne peut pas créer de jeton : créez-le depuis une session ouverte dans le navigateur (avec votre mot de passe) ou par « npm run admin -- add-token »',
  passwordMissing: 'Confirmez avec votre mot de passe actuel : champ « password »',
  wrongPassword: 'Mot de passe incorrect : confirmez avec le mot de passe de votre propre compte',
} as const;

/**
 * Users (admin), personal API tokens (their owner, or an admin), the commune list (public)
 * and the audit log (admin). Who may call each route is in access/route-access.ts.
 */
export function registerAccountRoutes(app: FastifyInstance, { accounts, communes, store, security, failedSignIns }: AccountRoutesOptions): void {
  // ---- users (admin only, by the route table)
  app.get('/api/v1/users', async () => ({ users: await accounts.listUsers() }));

  app.post('/api/v1/users', async (request, reply) => {
    const body = objectBody(request.body, USER_FIELDS, reply);
    if (!body) return reply;
    // The admin chose the password: its owner must replace it at first sign-in.
    return handle(reply, async () => reply.code(201).send(await accounts.createUser({ ...(body as unknown as NewUser), provisional: true }, actorOf(request.principal!.user))));
  });

  app.patch<{ Params: { id: string } }>('/api/v1/users/:id', async (request, reply) => {
    const body = objectBody(request.body, PATCH_FIELDS, reply);
    if (!body) return reply;
    return handle(reply, async () => accounts.updateUser(request.params.id, body as UserPatch, actorOf(request.principal!.user)));
  });

  // Sessions always; API tokens too with ?tokens=true (a lost phone, a compromised account).
  app.delete<{ Params: { id: string } }>('/api/v1/users/:id/sessions', async (request, reply) => {
    let tokens: string | undefined;
    try {
      tokens = singleValued(request.query as Record<string, string | string[]>, ['tokens']).tokens;
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message });
      throw error;
    }
    if (tokens !== undefined && tokens !== 'true' && tokens !== 'false') {
      return reply.code(400).send({ error: `tokens=« ${tokens} » : attendu true (révoquer aussi les jetons d’API) ou false` });
    }
    return handle(reply, async () => accounts.revokeSessions(request.params.id, actorOf(request.principal!.user), { tokens: tokens === 'true' }));
  });

  // ---- API tokens (own; an admin's for anyone)
  app.get('/api/v1/tokens', async (request, reply) => {
    const user = request.principal!.user;
    let userId: string;
    try {
      userId = singleValued(request.query as Record<string, string | string[]>, ['userId']).userId ?? user.id;
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message });
      throw error;
    }
    if (!mayManageTokensOf(user, userId)) return reply.code(403).send({ error: 'Seul un administrateur voit les jetons des autres comptes' });
    return { tokens: await accounts.listTokens(userId) };
  });

  // A token is made from a browser session that confirms its own password (checked and
  // counted like a sign-in), never by another token: a stolen cookie or a leaked token cannot
  // make itself a lasting copy. Guessing is bounded by the failures counted per e-mail and
  // client, as at sign-in (a session always confirms its own e-mail's password).
  app.post('/api/v1/tokens', async (request, reply) => {
    const { user, via } = request.principal!;
    if (via !== 'session') return reply.code(403).send({ error: TOKEN_MESSAGES.byToken });
    const body = objectBody(request.body, TOKEN_FIELDS, reply);
    if (!body) return reply;
    const userId = body.userId ?? user.id;
    if (typeof userId !== 'string') return reply.code(400).send({ error: '« userId » doit être un texte' });
    if (!mayManageTokensOf(user, userId)) return reply.code(403).send({ error: 'Seul un administrateur crée des jetons pour un autre compte' });
    if (typeof body.password !== 'string' || body.password === '') return reply.code(400).send({ error: TOKEN_MESSAGES.passwordMissing });

    const waitS = await failedSignIns.lockedFor(user.email, request.ip);
    if (waitS !== undefined) return reply.code(429).header('retry-after', String(waitS)).send({ error: lockedOutMessage(waitS) });
    if (!(await accounts.passwordMatches(user.id, body.password))) {
      await failedSignIns.failed(user.email, request.ip);
      return reply.code(403).send({ error: TOKEN_MESSAGES.wrongPassword });
    }
    await failedSignIns.succeeded(user.email, request.ip);
    return handle(reply, async () => reply.code(201).send(await accounts.createToken(userId, body.name, actorOf(user), { days: body.days })));
  });

  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', async (request, reply) => {
    const user = request.principal!.user;
    const owner = await accounts.tokenOwner(request.params.id);
    if (owner === undefined) return reply.code(404).send({ error: 'Aucun jeton ne porte cet identifiant' });
    if (!mayManageTokensOf(user, owner)) return reply.code(403).send({ error: 'Ce jeton appartient à un autre compte' });
    return handle(reply, async () => {
      await accounts.revokeToken(request.params.id, actorOf(user));
      return reply.code(204).send();
    });
  });

  // ---- communes (public)
  app.get('/api/v1/communes', { config: routeRateLimit(security.rateLimits.publicReads) }, async (request, reply) => {
    try {
      const params = singleValued(request.query as Record<string, string | string[]>, ['q', 'departement', 'limit']);
      if (params.q !== undefined && params.q.length > 100) throw new QueryError('q dépasse 100 caractères.');
      if (params.departement !== undefined && !communes.departementName(params.departement)) {
        throw new QueryError(`departement=« ${params.departement} » : département inconnu (ex. 34, 2A, 971).`);
      }
      const limit = params.limit === undefined ? 20 : parseLimit(params.limit, 20, 100);
      return { communes: communes.search({ limit, ...(params.q && { q: params.q }), ...(params.departement && { departement: params.departement }) }) };
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message });
      throw error;
    }
  });

  // ---- audit log (admin)
  app.get('/api/v1/audit', async (request, reply) => {
    try {
      const { limit } = singleValued(request.query as Record<string, string | string[]>, ['limit']);
      return { entries: await store.listAudit(limit === undefined ? 100 : parseLimit(limit, 100, 1000)) };
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message });
      throw error;
    }
  });
}

/** The body as an object with only `allowed` keys, or undefined after answering 400. */
function objectBody(body: unknown, allowed: readonly string[], reply: FastifyReply): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    void reply.code(400).send({ error: 'Le corps doit être un objet JSON' });
    return undefined;
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    void reply.code(400).send({ error: `Champs inconnus : ${unknown.map((name) => `« ${name} »`).join(', ')}. Champs acceptés : ${allowed.join(', ')}.` });
    return undefined;
  }
  return body as Record<string, unknown>;
}

/** Runs `action`, turning an AccountError into its status and message. */
async function handle(reply: FastifyReply, action: () => Promise<unknown>): Promise<unknown> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AccountError) return reply.code(error.status).send({ error: error.message });
    throw error;
  }
}
