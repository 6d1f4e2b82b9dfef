import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Compresses the server's own text answers (JSON, GeoJSON, CSV) on their way out: brotli when
 * the client accepts it, else gzip. A whole département's cells are megabytes of repetitive
 * JSON that brotli shrinks twentyfold; a phone on a rural link pays for every byte.
 *
 * Left alone: answers under COMPRESS_MIN_BYTES (the headers would outweigh the saving), streams
 * (the built files, which @fastify/static sends already compressed from their `.br`/`.gz`
 * copies: frontend.ts), anything already carrying a Content-Encoding, and the answers that
 * carry a secret (the session's CSRF token, a new API token) or set a cookie: a secret
 * compressed beside text someone else can influence leaks through the answer's size (BREACH).
 */

/** Below this, an answer goes as it is. */
export const COMPRESS_MIN_BYTES = 1024;

/** Answers holding a secret: GET/POST /api/v1/session…, /api/v1/tokens… */
const SECRET_BEARING_URL = /^\/api\/v1\/(session|tokens)(\/|\?|$)/;

const COMPRESSIBLE_TYPE = /^(application\/(json|geo\+json)|text\/(csv|plain))\b/i;

// Quality 5 rather than brotli's default 11: nearly the same size on JSON for a tenth of the
// time, and this runs on every request (or on the first of a cached answer's), not once at build.
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };
const GZIP_OPTIONS = { level: 6 };
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type AnswerEncoding = 'br' | 'gzip';

/** The encoding to answer with for this Accept-Encoding: brotli, then gzip, each unless refused with q=0. */
export function pickEncoding(acceptEncoding: string | undefined): AnswerEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const wildcard = accepted.get('*');
  const takes = (name: string) => (accepted.get(name) ?? wildcard ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return undefined;
}

/** `body` in `encoding`, as this hook sends it (also used by routes that keep an answer's encodings: cache/answer-cache.ts). */
export function compressAnswer(body: Buffer | string, encoding: AnswerEncoding): Promise<Buffer> {
  return encoding === 'br' ? brotli(body, BROTLI_OPTIONS) : gzipAsync(body, GZIP_OPTIONS);
}

/**
 * For a route that sends an answer it compressed itself (and sets Content-Encoding, which this
 * hook then leaves alone): the encoding to send a body of `bytes` in, as the hook would choose
 * it, with `Vary: Accept-Encoding` set whenever the choice depended on it.
 */
export function encodingFor(request: FastifyRequest, reply: FastifyReply, bytes: number): AnswerEncoding | undefined {
  if (bytes < COMPRESS_MIN_BYTES || request.method === 'HEAD') return undefined;
  addVary(reply, 'Accept-Encoding');
  return pickEncoding(request.headers['accept-encoding']);
}

function addVary(reply: FastifyReply, field: string): void {
  const vary = reply.getHeader('vary');
  const current = vary === undefined ? '' : String(vary);
  if (current.split(',').some((value) => value.trim().toLowerCase() === field.toLowerCase() || value.trim() === '*')) return;
  reply.header('vary', current ? `${current}, ${field}` : field);
}

export function registerAnswerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding') || reply.statusCode === 304 || request.method === 'HEAD') return payload;
    if (SECRET_BEARING_URL.test(request.url) || reply.hasHeader('set-cookie')) return payload;
    if (!COMPRESSIBLE_TYPE.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    if (Buffer.byteLength(payload) < COMPRESS_MIN_BYTES) return payload;
    addVary(reply, 'Accept-Encoding');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (!encoding) return payload;
    const compressed = await compressAnswer(payload, encoding);
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compressed;
  });
}
