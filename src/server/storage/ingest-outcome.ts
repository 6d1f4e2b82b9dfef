import type { IngestOutcome, IngestResult } from './reading-store.ts';

/**
 * How both stores classify an ingested reading: stored by this call (`accepted`), or its id was
 * already taken (by an earlier request, or earlier in the same call) and what is stored under it
 * (`storedBody`, read only then) is the same canonical body (`duplicate`, a harmless retry) or another one (`conflict`: nothing
 * is overwritten).
 */
export function ingestOutcome(inserted: boolean, body: string, storedBody: () => string | undefined): IngestOutcome {
  if (inserted) return 'accepted';
  return storedBody() === body ? 'duplicate' : 'conflict';
}

/** Collects the outcomes of one ingest call, in the order the readings were handed in. */
export function ingestResultBuilder(): { result: IngestResult; add(id: string, outcome: IngestOutcome): void } {
  const result: IngestResult = { outcomes: [], accepted: [], duplicates: [], conflicts: [] };
  const lists: Record<IngestOutcome, string[]> = { accepted: result.accepted, duplicate: result.duplicates, conflict: result.conflicts };
  return {
    result,
    add(id, outcome) {
      result.outcomes.push(outcome);
      lists[outcome].push(id);
    },
  };
}
