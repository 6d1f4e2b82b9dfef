import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { RateLimitOptions, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { RateLimit } from './config.ts';

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
  };
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
 * Rate limits count requests per client in memory only, for their window. The key is an
 * HMAC of the address under a key drawn at start, so not even the memory holds an IP.
 */
export function rateLimitPluginOptions(): RateLimitPluginOptions {
  const secret = randomBytes(32);
  return {
    global: false,
    keyGenerator: (request) => createHmac('sha256', secret).update(request.ip).digest('base64url').slice(0, 22),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Trop de requêtes : réessayez dans ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
  };
}

export function routeRateLimit({ max, windowS }: RateLimit): { rateLimit: RateLimitOptions } {
  return { rateLimit: { max, timeWindow: windowS * 1000 } };
}
