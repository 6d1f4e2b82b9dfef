import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { CounterStore } from './storage/counter-store.ts';

/**
 * @fastify/rate-limit's counters kept in the database (CounterStore), so that every app
 * process behind the proxy counts the same client's requests together: with the plugin's
 * in-memory store, two processes would each let the full quota through. Each route counts
 * apart, as the plugin's own stores do.
 */
export function counterRateLimitStore(counters: CounterStore, now: () => number): FastifyRateLimitStoreCtor {
  const storeFor = (prefix: string): FastifyRateLimitStore => ({
    incr(key, callback, timeWindow) {
      const nowMs = now();
      counters.countHit(`${prefix}${key}`, timeWindow, nowMs).then(
        ({ count, resetAtMs }) => callback(null, { current: count, ttl: Math.max(resetAtMs - nowMs, 0) }),
        (error: Error) => callback(error),
      );
    },
    // The plugin hands its merged parameters here, the route under `routeInfo` (as its RedisStore reads it).
    child(params) {
      const route = (params as unknown as { routeInfo: { method: string | string[]; url: string } }).routeInfo;
      return storeFor(`rate:${String(route.method)}:${route.url}:`);
    },
  });
  return class {
    constructor() {
      // biome-ignore lint/correctness/noConstructorReturn: @fastify/rate-limit news its store; this hands back the shared one.
      return storeFor('rate:global:');
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
