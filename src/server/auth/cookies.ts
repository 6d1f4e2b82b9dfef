import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The session cookie's name over plain HTTP (a LAN test server). Over HTTPS it is
 * `__Host-couverture_session`: browsers keep a `__Host-` cookie only when it is Secure, has
 * Path=/ and no Domain, so neither a sibling subdomain nor a plain-HTTP response can plant one
 * (session fixation).
 */
export const SESSION_COOKIE = 'couverture_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export interface CookieSettings {
  /** 'auto': Secure when the request came over HTTPS (directly, or X-Forwarded-Proto behind a trusted proxy). */
  secure: boolean | 'auto';
}

function isSecure(request: FastifyRequest, { secure }: CookieSettings): boolean {
  return secure === 'auto' ? request.protocol === 'https' : secure;
}

/** The name the session cookie has for this request: only that one is set, and read. */
export function sessionCookieName(request: FastifyRequest, settings: CookieSettings): string {
  return isSecure(request, settings) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The value of one cookie of the request, or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The session token the request carries under the name it must have (see SECURE_SESSION_COOKIE). */
export function readSessionCookie(request: FastifyRequest, settings: CookieSettings): string | undefined {
  return readCookie(request, sessionCookieName(request, settings));
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeS: number, settings: CookieSettings): void {
  reply.header('set-cookie', cookieText(request, token, maxAgeS, settings));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, settings: CookieSettings): void {
  reply.header('set-cookie', cookieText(request, '', 0, settings));
}

function cookieText(request: FastifyRequest, value: string, maxAgeS: number, settings: CookieSettings): string {
  const secure = isSecure(request, settings);
  // Never a Domain attribute: the cookie stays on this host (and __Host- requires it).
  return `${secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
