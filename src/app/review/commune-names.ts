import { useEffect, useState } from 'preact/hooks';
import { CommunesAnswerSchema } from '../../domain/api/index.ts';
import { api } from '../shell/api.ts';

/** Names already asked for, for the page's life: a commune's name does not change. */
const known = new Map<string, string>();

/**
 * The names of these INSEE codes (GET /api/v1/communes, the server's shipped list), as they
 * arrive; a code whose name is not known (yet, or at all) is left out.
 */
export function useCommuneNames(codes: readonly string[]): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(() => new Map(known));
  const wanted = [...new Set(codes)]
    .filter((code) => !known.has(code))
    .sort()
    .join(',');
  useEffect(() => {
    if (!wanted) return;
    const abort = new AbortController();
    void Promise.all(
      wanted.split(',').map((code) =>
        api(`/api/v1/communes?q=${encodeURIComponent(code)}&limit=5`, CommunesAnswerSchema, { signal: abort.signal }).then(
          (answer) => {
            const found = answer.communes.find((commune) => commune.code === code);
            if (found) known.set(code, found.name);
          },
          () => undefined,
        ),
      ),
    ).then(() => {
      if (!abort.signal.aborted) setNames(new Map(known));
    });
    return () => abort.abort();
  }, [wanted]);
  return names;
}
