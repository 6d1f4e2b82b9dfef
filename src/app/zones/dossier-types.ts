import type { DossierAnswer } from '../../domain/api/index.ts';

/** GET /api/v1/zones/:id/dossier.json: everything the printable page shows (the contract's, src/domain/api/zones.ts). */
export type Dossier = DossierAnswer;
