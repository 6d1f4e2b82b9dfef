import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { RateLimitOptions, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { RateLimit } from './config.ts';
import { counterRateLimitStore } from './rate-limit-store.ts';
import type { CounterStore } from './storage/counter-store.ts';

/**
 * Security settings that are not access rules (those are in access/): headers, what the
 * logs keep, rate-limit keys and answers.
 */

/**
 * A strict Content-Security-Policy that the built app passes: its own scripts, styles,
 * workers and manifest only; images from itself, data: URLs and the offered tile servers.
 * The tile servers are in connect-src too: the page pre-downloads areas with fetch(), and the
 * service worker fetches the tiles the map asks for.
 * `useDefaults: false`, so no upgrade-insecure-requests (a LAN test server is plain HTTP).
 * X-Frame-Options says DENY like frame-ancestors 'none' (helmet's default, SAMEORIGIN, would
 * let an older browser frame the app in a page of its own origin). HSTS is not helmet's, which
 * sends it on every answer: see `strictTransportSecurityOverHttps`.
 */
export function helmetOptions(tileOrigins: readonly string[]): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...tileOrigins],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...tileOrigins],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // Tiles come from another origin without CORP headers: require-corp would block them.
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  };
}

/** HSTS as helmet words it by default: a year, subdomains included. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * An onRequest hook: Strict-Transport-Security on answers to HTTPS requests only (TLS here,
 * or X-Forwarded-Proto from a proxy TRUST_PROXY believes). Over plain HTTP a browser ignores
 * it (RFC 6797 §8.1), and a LAN server with no HTTPS at all has nothing to pin.
 */
export async function strictTransportSecurityOverHttps(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.protocol === 'https') reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
}

/**
 * The logger's view of a request: no client address or port (RGPD: residents' IPs are not
 * kept), no headers (cookies, tokens).
 */
export function withPrivateRequestLogs(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      ...base.serializers,
      req: (request: FastifyRequest) => ({ method: request.method, url: request.url }),
    },
  };
}

/**
 * Rate limits count requests per client in the database (rate-limit-store.ts), shared by
 * every app process, for their window. The key is an HMAC of the address under the
 * deployment's secret (drawn by the first process, kept in the database), so that neither
 * memory nor database holds an IP, and every process derives the same key.
 */
export function rateLimitPluginOptions(counters: CounterStore, now: () => number): RateLimitPluginOptions {
  let secret: Promise<Buffer> | undefined;
  return {
    global: false,
    store: counterRateLimitStore(counters, now),
    keyGenerator: async (request) => {
      secret ??= counters.serverSecret('rate-limit-key').catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
      return createHmac('sha256', await secret)
        .update(request.ip)
        .digest('base64url')
        .slice(0, 22);
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Trop de requêtes : réessayez dans ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
  };
}

export function routeRateLimit({ max, windowS }: RateLimit): { rateLimit: RateLimitOptions } {
  return { rateLimit: { max, timeWindow: windowS * 1000 } };
}
