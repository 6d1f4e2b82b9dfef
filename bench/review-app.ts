import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../src/server/app.ts';
import { createCommunes } from '../src/server/communes/communes.ts';
import type { Store } from '../src/server/storage/store.ts';
import { NOW } from './herault-readings.ts';

export const BENCH_PASSWORD = 'mot de passe du banc';

/** The app on `store` as the benches query it: the generated readings' clock, a cheap scrypt, no tiles to fetch. */
export function benchApp(store: Store, options: Partial<AppOptions> = {}): FastifyInstance {
  return buildApp({
    store,
    tiles: { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'bench', maxZoom: 19 },
    now: () => NOW,
    communes: createCommunes([]),
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    ...options,
  });
}

/** A new account signed in on `app`: the session cookie to send (GET requests need no CSRF token). */
export async function signedInCookie(app: FastifyInstance, user: { email: string; role: 'reviewer' | 'admin' }): Promise<{ cookie: string }> {
  await app.accounts.createUser({
    email: user.email,
    name: 'Banc',
    password: BENCH_PASSWORD,
    role: user.role,
    ...(user.role === 'reviewer' && { departement: '34' }),
  });
  const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: BENCH_PASSWORD } });
  if (session.statusCode !== 200) throw new Error(`Sign-in failed: ${session.statusCode} ${session.body.slice(0, 200)}`);
  return { cookie: String(session.headers['set-cookie']).split(';')[0]! };
}
