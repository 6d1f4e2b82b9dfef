import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QosUploadAnswer } from '../../domain/api/index.ts';
import type { DataTestSettings } from '../../domain/field-settings.ts';
import { UPLOAD_TEST_BYTES } from '../../domain/protocol.ts';
import { QOS_PAGE_ASSETS, qosPageAssetBytes, qosPageHtml, type QosPageAsset } from '../../domain/qos-page.ts';
import type { RateLimit } from '../config.ts';
import { badRequest, HttpError, sendError } from '../http-errors.ts';
import { routeRateLimit } from '../security.ts';
import { singleValued } from './query.ts';

/**
 * The counterpart of the QoS data tests (src/app/evidence/data-tests.ts), Arcep's protocol
 * measured against this server since a page cannot time a third-party site: a 1 MB upload
 * answered with its SHA-256 (the phone compares it with what it sent: « intact »), a download
 * of up to the deployment's budget, and a page-like set of resources (an HTML document and
 * its assets, generated in memory). Signed-in accounts only, rate-limited per route: each
 * answer costs megabytes, never the database.
 */

const OCTET_STREAM = 'application/octet-stream';
const QUERY_PARAMS = ['bytes', 't'] as const;
const CHUNK_BYTES = 64 * 1024;

const thousands = (n: number) => n.toLocaleString('fr-FR').replace(/\s/g, ' ');

export const QOS_MESSAGES = {
  disabled: 'Les tests de données sont désactivés sur ce serveur (QOS_DATA_TESTS=0) : le relevé s’enregistre sans eux.',
  tooLarge: `Envoi du test trop volumineux : ${thousands(UPLOAD_TEST_BYTES)} octets au plus`,
  wrongType: `Envoyez les octets du test avec l’en-tête « Content-Type: ${OCTET_STREAM} »`,
  unknownAsset: 'Cette ressource ne fait pas partie de la page de test',
} as const;

export interface QosRoutesOptions {
  rateLimit: RateLimit;
  settings: DataTestSettings;
}

/** The number of bytes asked for: 1 … `max`. */
export function parseDownloadBytes(text: string | undefined, max: number): number {
  if (text === undefined) return max;
  const bytes = Number(text);
  if (!/^\d{1,9}$/.test(text) || bytes < 1 || bytes > max) throw badRequest(`bytes=« ${text} » : attendu un nombre entier d’octets de 1 à ${thousands(max)}.`);
  return bytes;
}

/** `bytes` of random data, streamed in chunks taken from `pool` (random, so that no compression on the way shortens it). */
function randomStream(pool: Buffer, bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      const size = Math.min(CHUNK_BYTES, bytes - sent);
      const offset = sent % (pool.length - CHUNK_BYTES);
      sent += size;
      this.push(pool.subarray(offset, offset + size));
    },
  });
}

export function registerQosRoutes(app: FastifyInstance, { rateLimit, settings }: QosRoutesOptions): void {
  const limited = { config: routeRateLimit(rateLimit) };
  const pool = randomBytes(Math.max(4 * CHUNK_BYTES, Math.min(settings.downloadMaxBytes, 4_000_000)));
  const pageAssets = qosPageAssetBytes(settings.pageBytes);
  const refuseWhenDisabled = () => {
    if (!settings.enabled) throw new HttpError(404, QOS_MESSAGES.disabled);
  };

  app.register(async (qos) => {
    qos.addContentTypeParser(OCTET_STREAM, { parseAs: 'buffer', bodyLimit: UPLOAD_TEST_BYTES }, (_request, body, done) => done(null, body));
    qos.setErrorHandler((error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) => {
      const code = error instanceof HttpError ? undefined : error.code;
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(new HttpError(413, QOS_MESSAGES.tooLarge), request, reply);
      if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(new HttpError(415, QOS_MESSAGES.wrongType), request, reply);
      return sendError(error, request, reply);
    });

    qos.post('/api/v1/qos/upload', limited, async (request) => {
      refuseWhenDisabled();
      singleValued(request.query, QUERY_PARAMS);
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new HttpError(415, QOS_MESSAGES.wrongType);
      return { receivedBytes: body.length, sha256: createHash('sha256').update(body).digest('hex') } satisfies QosUploadAnswer;
    });

    qos.get('/api/v1/qos/download', limited, async (request, reply) => {
      refuseWhenDisabled();
      const bytes = parseDownloadBytes(singleValued(request.query, QUERY_PARAMS).bytes, settings.downloadMaxBytes);
      // Cache-Control: no-store comes with every API answer (app.ts).
      return reply.type(OCTET_STREAM).header('content-length', bytes).send(randomStream(pool, bytes));
    });

    qos.get('/api/v1/qos/page', limited, async (request, reply) => {
      refuseWhenDisabled();
      const { t } = singleValued(request.query, QUERY_PARAMS);
      return reply.type('text/html; charset=utf-8').send(qosPageHtml(settings.pageBytes, t ?? ''));
    });

    qos.get<{ Params: { asset: string } }>('/api/v1/qos/page/:asset', limited, async (request, reply) => {
      refuseWhenDisabled();
      singleValued(request.query, QUERY_PARAMS);
      const asset = QOS_PAGE_ASSETS.find((candidate) => candidate.name === request.params.asset) as QosPageAsset | undefined;
      if (!asset) throw new HttpError(404, QOS_MESSAGES.unknownAsset);
      // Served as bytes, never as what the name says: nothing on the phone interprets them.
      return reply.type(OCTET_STREAM).header('content-length', pageAssets[asset.name]).send(randomStream(pool, pageAssets[asset.name]!));
    });
  });
}
