import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreBusy, STORE_BUSY_RETRY_AFTER_S } from './storage/store-busy.ts';

/** What an HttpError adds to its answer besides `{ error }`. */
export interface HttpErrorOptions {
  /** Extra members of the JSON body, e.g. `{ code: CSRF_ERROR_CODE }` for a client to act on. */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * The one way a handler, validator or hook refuses a request: thrown, and answered by
 * {@link sendError} as `{ error: message, ...fields }` with `status`. The message is French and
 * says what to do, since the phone shows it to the agent and an integrator reads it.
 */
export class HttpError extends Error {
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    message: string,
    { fields = {}, headers = {} }: HttpErrorOptions = {},
  ) {
    super(message);
    this.fields = fields;
    this.headers = headers;
  }
}

/** A 400: the request itself is wrong, and the message says how to fix it. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** The request body limit; a full batch of 500 readings takes about a quarter of it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * French messages for the client errors fastify raises before a route runs: the phone shows
 * the message to the agent, and whoever integrates the API reads it, so each says how to fix it.
 */
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'La taille du corps ne correspond pas à l’en-tête Content-Length : renvoyez la requête.',
  FST_ERR_BAD_URL: 'Adresse mal formée (encodage % invalide) : vérifiez l’URL de la requête.',
  // Fastify's own message is English and echoes the whole path back.
  FST_ERR_MAX_PARAM_LENGTH: 'Adresse trop longue : un identifiant dans l’URL dépasse 100 caractères ; vérifiez l’URL de la requête.',
};

const INTERNAL_ERROR = 'Erreur interne du serveur';
const STORE_BUSY_MESSAGE = `Le serveur est surchargé : réessayez dans ${STORE_BUSY_RETRY_AFTER_S} s (les relevés non confirmés restent sur le téléphone et repartiront d’eux-mêmes).`;

/**
 * The body each route takes, for the messages about a body that is not JSON, is empty or has
 * another type: they tell whoever integrates the API what this route wants, not another's.
 */
const EXPECTED_BODIES: Record<string, string> = {
  'POST /api/v1/readings': '{"readings": [ … ]} avec 1 à 500 relevés',
  'POST /api/v1/reports': '{"reports": [ … ]} avec 1 à 50 signalements',
  'PATCH /api/v1/reports/:id': '{"hidden": true, "reason": "…"}',
  'POST /api/v1/session': '{"email": "…", "password": "…"}',
  'POST /api/v1/tokens': '{"name": "…", "password": "votre mot de passe", "days"?: 90}',
  'POST /api/v1/users': '{"email": "…", "name": "…", "password": "…", "role": "agent", "communes": ["34172"]}',
  'PATCH /api/v1/users/:id': 'les champs à changer, ex. {"name"?, "password"?, "role"?, "communes"?, "departement"?, "disabled"?}',
  'POST /api/v1/zones': '{"name": "…", "cells": [ … ], "need": "…"}',
  'PATCH /api/v1/zones/:id': 'les champs à changer de la zone, ex. {"name": "…"}',
  'POST /api/v1/zones/:id/status': '{"status": "…", "reason": "…"}',
  'POST /api/v1/campaigns': '{"communeInsee": "34261", "startsOn": "2026-05-04", "endsOn": "2026-05-29", "operators": ["orange", …]}',
  'PATCH /api/v1/campaigns/:id': 'les champs à changer de la campagne, ex. {"name": "…"}',
};

function expectedBody(request: FastifyRequest): string {
  return EXPECTED_BODIES[`${request.method} ${request.routeOptions?.url ?? ''}`] ?? 'l’objet JSON que décrit docs/api.md pour cette adresse';
}

/** Fastify's refusals of a body before the route runs, in French, naming what the route takes. */
function bodyMessage(code: string, request: FastifyRequest): string | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return `Le corps de la requête n’est pas du JSON valide : vérifiez guillemets, virgules et accolades, puis renvoyez ${expectedBody(request)}.`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `Le corps de la requête est vide : envoyez ${expectedBody(request)}.`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(request);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Type de contenu non pris en charge : envoyez ${expectedBody(request)} avec l’en-tête « Content-Type: application/json ».`;
    default:
      return undefined;
  }
}

/** States the limit of the route called (reports: 64 Kio, sign-in: 4 Kio), not the server's default. */
function bodyTooLarge(request: FastifyRequest): string {
  const limit = request.routeOptions?.bodyLimit ?? BODY_LIMIT_BYTES;
  const size = limit % (1024 * 1024) === 0 ? `${limit / 1024 / 1024} Mio` : limit % 1024 === 0 ? `${limit / 1024} Kio` : `${limit} octets`;
  return `Requête trop volumineuse (plus de ${size}) : envoyez moins de données à la fois, en lots plus petits.`;
}

/**
 * PostgreSQL's refusals of a text it cannot hold (U+0000, invalid Unicode): only input can
 * carry one, so they are the client's to fix. The routes refuse them first where they can;
 * this is the net under whatever path they missed.
 */
const UNSTORABLE_TEXT_CODES = new Set(['22021' /* character_not_in_repertoire */, '22P05' /* untranslatable_character */]);
const UNSTORABLE_TEXT = 'Le texte envoyé contient un caractère qui ne peut pas être enregistré (U+0000 ou Unicode invalide) : retirez-le.';

/**
 * Bad input is the client's to fix and gets its 4xx with a readable message; anything else
 * is our fault: logged in full, answered without details.
 */
export function sendError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError)
    return reply
      .code(error.status)
      .headers(error.headers)
      .send({ error: error.message, ...error.fields });
  if (UNSTORABLE_TEXT_CODES.has(error.code) && error.statusCode === undefined) return reply.code(400).send({ error: UNSTORABLE_TEXT });
  if (isStoreBusy(error)) {
    // Overload, not a fault: the operator sees it in the log, the client comes back later.
    request.log.warn({ err: error }, 'database busy: answered 503');
    return reply.code(503).header('retry-after', String(STORE_BUSY_RETRY_AFTER_S)).send({ error: STORE_BUSY_MESSAGE });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: bodyMessage(error.code, request) ?? CLIENT_ERROR_MESSAGES[error.code] ?? error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: INTERNAL_ERROR });
}
