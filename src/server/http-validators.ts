import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * HTTP validators for answers a browser may keep (RFC 9110 §8.8, §13.1.2): a weak ETag that
 * is a digest of the answer's bytes, so that it changes whenever anything in the answer does
 * (readings, reports, declared coverage, population, commune names) without any store keeping
 * a version; `Cache-Control: private, no-cache`, so that the browser keeps the answer but asks
 * each time; and 304 without a body when the browser's copy is still the answer.
 *
 * Weak because the same answer goes out in several encodings (answer-compression.ts).
 */

/** The weak ETag of these bytes. */
export function weakEtag(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names this ETag (weak comparison; `*` names any). */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/** Sends `body` (already serialised) as `type` with its ETag, or 304 when the client holds it. */
export function sendRevalidated(request: FastifyRequest, reply: FastifyReply, type: string, body: string): FastifyReply {
  const etag = weakEtag(body);
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (noneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}
