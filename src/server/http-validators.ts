import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodingFor } from './answer-compression.ts';
import type { AnswerCache, CachedAnswer } from './cache/answer-cache.ts';

/**
 * HTTP validators for answers a browser may keep (RFC 9110 §8.8, §13.1.2): a weak ETag that
 * is a digest of what the answer is built from (its cache key: the store's data version, the
 * normalised query, the caller's scope), so that it is known BEFORE building and a repeat view
 * costs neither a build nor a read of the rows; `Cache-Control: private, no-cache`, so that
 * the browser keeps the answer but asks each time; and 304 without a body when the browser's
 * copy is still the answer.
 *
 * Weak because the same answer goes out in several encodings (answer-compression.ts).
 */

/** The weak ETag of an answer built from `key`. */
export function weakEtag(key: string): string {
  return `W/"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names this ETag (weak comparison; `*` names any). */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/**
 * Sets the ETag of the answer built from `key` and the cache headers; true when the client
 * already holds that answer, the reply then being a 304 without a body (to return as it is).
 */
export function revalidated(request: FastifyRequest, reply: FastifyReply, key: string): boolean {
  const etag = weakEtag(key);
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (!noneMatchHits(request.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}

/** Sends a kept answer, compressed once per encoding (the compression hook leaves it as it is). */
export async function sendCachedAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: AnswerCache,
  key: string,
  answer: CachedAnswer,
): Promise<FastifyReply> {
  reply.type(answer.type);
  const encoding = encodingFor(request, reply, answer.bytes);
  if (!encoding) return reply.send(answer.body);
  const compressed = await cache.encoded(key, answer, encoding);
  reply.removeHeader('content-length');
  return reply.header('content-encoding', encoding).send(compressed);
}
