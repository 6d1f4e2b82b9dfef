import type { Plugin } from 'vite';

/**
 * The screens only reviewers and administrators open (coverage, zones, reports to review, the équipe projet's table,
 * accounts) and the public open-data page, by their module's path: the lazy entries that an
 * agent's or a resident's phone never needs, offline least of all.
 */
export const REVIEWERS_SCREENS: readonly RegExp[] = [/\/src\/app\/(cells|zones|review|admin|open-data|departement)\//];

interface ManifestEntry {
  url: string;
  revision: string | null;
  size: number;
}

/**
 * The service worker's precache, by role. `plugin` reads the build's chunk graph: from the
 * app's entry, every chunk it imports, statically or lazily, except through a reviewers'
 * screen. What that walk never reaches is reviewers' code only; `leaveOutReviewersChunks`
 * takes it out of the precache manifest, and the service worker caches it on first use
 * (service-worker/assets-on-demand.ts). A chunk an agent's screen shares with a reviewer's
 * is reached, so stays: nothing an agent may open offline is ever left out. Workers' files
 * are not chunks of this graph and stay too.
 */
export function precacheByRole(): { plugin: Plugin; leaveOutReviewersChunks: (entries: ManifestEntry[]) => Promise<{ manifest: ManifestEntry[] }> } {
  const onFirstUse = new Set<string>();
  return {
    plugin: {
      name: 'couverture-precache-by-role',
      apply: 'build',
      generateBundle(_options, bundle) {
        const chunks = new Map<string, { imports: string[]; dynamicImports: string[]; reviewers: boolean; entry: boolean }>();
        for (const output of Object.values(bundle)) {
          if (output.type !== 'chunk') continue;
          const reviewers =
            output.isDynamicEntry &&
            output.facadeModuleId !== null &&
            REVIEWERS_SCREENS.some((pattern) => pattern.test(output.facadeModuleId!.replaceAll('\\', '/')));
          chunks.set(output.fileName, { imports: output.imports, dynamicImports: output.dynamicImports, reviewers, entry: output.isEntry });
        }
        const reached = new Set<string>();
        const next = [...chunks].filter(([, chunk]) => chunk.entry).map(([file]) => file);
        for (let file = next.pop(); file !== undefined; file = next.pop()) {
          if (reached.has(file)) continue;
          reached.add(file);
          const chunk = chunks.get(file)!;
          for (const target of [...chunk.imports, ...chunk.dynamicImports]) if (chunks.has(target) && !chunks.get(target)!.reviewers) next.push(target);
        }
        onFirstUse.clear();
        for (const file of chunks.keys()) if (!reached.has(file)) onFirstUse.add(file);
      },
    },
    async leaveOutReviewersChunks(entries) {
      return { manifest: entries.filter((entry) => !onFirstUse.has(entry.url)) };
    },
  };
}
