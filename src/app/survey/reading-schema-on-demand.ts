import { whenIdle } from '../shell/when-idle.ts';

type ReadingSchemaModule = typeof import('../../domain/reading-schema.ts');

/** The longest the survey waits for an idle moment before asking for the schema anyway. */
const SCHEMA_AFTER_FIRST_SCREEN_MS = 2000;

let loading: Promise<ReadingSchemaModule> | undefined;

/**
 * The reading's schema (src/domain/reading-schema.ts: valibot and its checks, about a sixth of
 * the survey's first script), out of that script: the survey's first screen does not need it,
 * its first save does (issue 19). Loaded once; a failed load is asked for again next time.
 */
export function readingSchema(): Promise<ReadingSchemaModule> {
  loading ??= import('../../domain/reading-schema.ts').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Asks for the schema ahead of the save that needs it: once the survey is drawn and the browser
 * idle, or at the agent's first entry in the form if that comes first (a page busy with
 * thousands of readings waiting may not be idle before the first save). A failure here is
 * the save's to report.
 */
export function loadReadingSchemaSoon(when: 'idle' | 'now'): void {
  const load = () => void readingSchema().catch(() => undefined);
  if (when === 'now') load();
  else void whenIdle(SCHEMA_AFTER_FIRST_SCREEN_MS).then(load);
}
