import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'couverture_session';

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

export interface CookieSettings {
  /** 'auto': Secure when the request came over HTTPS (directly, or X-Forwarded-Proto behind a trusted proxy). */
  secure: boolean | 'auto';
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeS: number, settings: CookieSettings): void {
  reply.header('set-cookie', cookieText(request, `${SESSION_COOKIE}=${token}`, maxAgeS, settings));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, settings: CookieSettings): void {
  reply.header('set-cookie', cookieText(request, `${SESSION_COOKIE}=`, 0, settings));
}

function cookieText(request: FastifyRequest, pair: string, maxAgeS: number, { secure }: CookieSettings): string {
  const isSecure = secure === 'auto' ? request.protocol === 'https' : secure;
  return `${pair}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Strict${isSecure ? '; Secure' : ''}`;
}
