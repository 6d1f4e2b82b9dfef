import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: a session cookie or a CSRF token. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Personal API tokens carry a prefix, so that a leaked one is recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'cvt_';

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomToken();
}

/** What the database keeps of a session or API token: never the token itself. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
