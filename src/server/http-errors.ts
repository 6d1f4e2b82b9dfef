import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The request body limit; a full batch of 500 readings takes about a quarter of it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * French messages for the client errors fastify raises before a route runs: the phone shows
 * the message to the agent, and whoever integrates the API reads it, so each says how to fix it.
 */
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY:
    'Le corps de la requête n’est pas du JSON valide : vérifiez guillemets, virgules et accolades, ' +
    'puis renvoyez {"readings": [ … ]}.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Le corps de la requête est vide : envoyez {"readings": [ … ]} avec 1 à 500 relevés.',
  FST_ERR_CTP_BODY_TOO_LARGE: `Requête trop volumineuse (plus de ${BODY_LIMIT_BYTES / 1024 / 1024} Mio) : envoyez les relevés en lots plus petits.`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'Type de contenu non pris en charge : envoyez le corps en JSON avec l’en-tête « Content-Type: application/json ».',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'La taille du corps ne correspond pas à l’en-tête Content-Length : renvoyez la requête.',
  FST_ERR_BAD_URL: 'Adresse mal formée (encodage % invalide) : vérifiez l’URL de la requête.',
  // Fastify's own message is English and echoes the whole path back.
  FST_ERR_MAX_PARAM_LENGTH: 'Adresse trop longue : un identifiant dans l’URL dépasse 100 caractères ; vérifiez l’URL de la requête.',
};

const INTERNAL_ERROR = 'Erreur interne du serveur';

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
export function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (UNSTORABLE_TEXT_CODES.has(error.code) && error.statusCode === undefined) return reply.code(400).send({ error: UNSTORABLE_TEXT });
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: CLIENT_ERROR_MESSAGES[error.code] ?? error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: INTERNAL_ERROR });
}
