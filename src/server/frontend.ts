import { existsSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers a GET that matched neither an API route nor a file. */
export type FrontendFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

const NOT_BUILT =
  'Couverture : l’application n’est pas construite sur ce serveur.\n' +
  'Lancez « npm run build » (ou « npm start », qui la construit au besoin), puis redémarrez le serveur.\n';

/**
 * Serves the page as vite built it into `staticDir`. Hashed files under assets/ never change
 * and are cached for a year; every other file (index.html, sw.js, the manifest, icons) is
 * revalidated on each use, so that a deployment reaches phones on their next visit.
 * The build's source maps (`*.map`, kept in dist/ for the size budget and for debugging) are
 * served only with `serveSourceMaps`: otherwise 404, as they hand out the original source.
 * Text files go compressed where the build left `.br`/`.gz` copies and the browser takes them.
 */
export function registerFrontend(app: FastifyInstance, staticDir: string | undefined, { serveSourceMaps = false } = {}): FrontendFallback {
  if (staticDir === undefined || !existsSync(join(staticDir, 'index.html'))) {
    return (_request, reply) => reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
  }

  app.register(fastifyStatic, {
    root: staticDir,
    // The build writes brotli and gzip copies beside each text file (scripts/precompress.ts):
    // sent to a browser that accepts them, with Content-Encoding and Vary: Accept-Encoding.
    preCompressed: true,
    // Refused here, a path goes to the not-found handler, which answers a file's 404.
    allowedPath: (pathname) => serveSourceMaps || !pathname.toLowerCase().endsWith('.map'),
    // Cache-Control is ours alone (setHeaders), not send's default max-age=0.
    cacheControl: false,
    setHeaders(reply, path) {
      const file = relative(staticDir, path).split(sep).join(posix.sep);
      reply.header('cache-control', file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  return (request, reply) => {
    // The app's own routes (/carte, /releves…) get the page; a missing file gets a 404,
    // since a script or image answered with HTML fails in confusing ways.
    const lastSegment = request.url.split('?')[0]!.split('/').pop()!;
    if (lastSegment.includes('.')) return reply.code(404).type('text/plain; charset=utf-8').send(`Fichier introuvable : ${request.url}\n`);
    return reply.sendFile('index.html');
  };
}
