/**
 * How old (seconds) an answer of GET /api/v1/cells may be when the server answers it while it
 * builds the newest, unless the request says `Cache-Control: no-cache` (the page does so after
 * its own changes: src/app/shell/own-changes.ts). Its own module, free of imports, because the
 * page's first screen needs it and must stay light.
 */
export const CELLS_STALE_SECONDS = 60;
