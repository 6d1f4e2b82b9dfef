/**
 * What a zone's communes read when none is known. Its cells are placed in their département by
 * the outlines shipped with the server; a commune needs the commune outlines, which a default
 * install has not loaded (`npm run communes`): say so rather than « inconnues », which reads
 * as lost data (issue 15).
 */
export const UNPLACED_COMMUNES = 'non déterminées (contours des communes non chargés sur ce serveur)';
