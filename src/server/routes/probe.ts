import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProbeUploadAnswerSchema } from '../../domain/api/index.ts';
import { MAX_PROBE_BYTES } from '../../domain/field-settings.ts';
import type { RateLimit } from '../config.ts';
import { badRequest, HttpError, sendError } from '../http-errors.ts';
import { routeRateLimit } from '../security.ts';
import { answer } from './answer.ts';
import { singleValued } from './query.ts';

/**
 * The connectivity probe's counterpart (src/app/evidence/probe.ts): bytes to download and a
 * sink to upload to, so that the phone measures the data service it really gets. Both are
 * answered from memory, never touching the database, so that the figures are the network's.
 */

/** `t` is the phone's cache-buster: each probe URL is unique, so no cache can answer it. */
const PROBE_PARAMS = ['bytes', 't'] as const;
const OCTET_STREAM = 'application/octet-stream';

// Plain spaces between thousands: the narrow no-break space of toLocaleString('fr-FR') trips up terminals and greps.
const MAX_TEXT = MAX_PROBE_BYTES.toLocaleString('fr-FR').replace(/\s/g, ' ');

export const PROBE_MESSAGES = {
  badBytes: `attendu un nombre entier d’octets de 0 à ${MAX_TEXT}`,
  tooLarge: `Envoi de mesure trop volumineux : ${MAX_TEXT} octets au plus`,
  wrongType: `Envoyez les octets de la mesure avec l’en-tête « Content-Type: ${OCTET_STREAM} »`,
} as const;

/** Random bytes, so that no compression on the way (a proxy's, the carrier's) shortens the download. */
const PAYLOAD = randomBytes(MAX_PROBE_BYTES);

/** The number of bytes asked for; absent means a bare round trip (0 bytes). */
export function parseProbeBytes(text: string | undefined): number {
  if (text === undefined) return 0;
  const bytes = Number(text);
  if (!/^\d{1,7}$/.test(text) || bytes > MAX_PROBE_BYTES) throw badRequest(`bytes=« ${text} » : ${PROBE_MESSAGES.badBytes}.`);
  return bytes;
}

export function registerProbeRoutes(app: FastifyInstance, rateLimit: RateLimit): void {
  // Each direction has this budget per client (the rate-limit plugin counts per route).
  const limited = { config: routeRateLimit(rateLimit) };
  // Its own context, so that the octet-stream parser and the error messages apply to the probe only.
  app.register(async (probe) => {
    probe.addContentTypeParser(OCTET_STREAM, { parseAs: 'buffer', bodyLimit: MAX_PROBE_BYTES }, (_request, body, done) => done(null, body));
    probe.setErrorHandler((error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) => {
      const code = error instanceof HttpError ? undefined : error.code;
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(new HttpError(413, PROBE_MESSAGES.tooLarge), request, reply);
      if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(new HttpError(415, PROBE_MESSAGES.wrongType), request, reply);
      return sendError(error, request, reply);
    });

    probe.get('/api/v1/probe', limited, async (request, reply) => {
      const bytes = parseProbeBytes(singleValued(request.query, PROBE_PARAMS).bytes);
      // Cache-Control: no-store comes with every API answer (app.ts).
      return reply.type(OCTET_STREAM).send(PAYLOAD.subarray(0, bytes));
    });

    probe.post('/api/v1/probe', limited, async (request) => {
      singleValued(request.query, PROBE_PARAMS);
      const body = request.body;
      // No Content-Type and no body: an empty upload.
      if (body === undefined || body === null) return answer(ProbeUploadAnswerSchema, { receivedBytes: 0 });
      if (!Buffer.isBuffer(body)) throw new HttpError(415, PROBE_MESSAGES.wrongType);
      return answer(ProbeUploadAnswerSchema, { receivedBytes: body.length });
    });
  });
}
