import { fileURLToPath } from 'node:url';

/**
 * Kept apart from dist/ so that a running `npm start` is not rebuilt under its feet.
 * COUVERTURE_E2E_DIST lets two runs on one machine build apart.
 */
export const E2E_DIST = process.env.COUVERTURE_E2E_DIST ?? fileURLToPath(new URL('../../node_modules/.tmp/e2e-dist', import.meta.url));
