import type { Plugin, Rolldown } from 'vite';

/** V8's explicit compile hint for a whole file (Chrome 136+; other engines read a comment). */
export const COMPILE_ALL_ON_LOAD = '//# allFunctionsCalledOnLoad';

/**
 * Puts V8's compile hint at the top of the page's entry chunk, so that its functions are
 * compiled with the script, on the streaming thread, instead of one at a time on the main
 * thread the first time each is called. The code cache that would keep them across starts is
 * not used for a module answered by the service worker (Chromium compiles it from source at
 * every start: ~330 lazy compiles on the main thread before the first tap, issue 19); the
 * entry chunk is what the first screen runs, so nearly all of it is called on load anyway.
 * Applied last, after Vite has written its own first line (`__vite__mapDeps`), and with the
 * source map moved down the one line added.
 */
export function compileHints(): Plugin {
  return {
    name: 'couverture-compile-hints',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const output of Object.values(bundle)) {
          if (output.type !== 'chunk' || !output.isEntry) continue;
          hint(output, bundle[`${output.fileName}.map`]);
        }
      },
    },
  };
}

function hint(chunk: Rolldown.OutputChunk, mapFile: Rolldown.OutputAsset | Rolldown.OutputChunk | undefined): void {
  if (chunk.code.startsWith(COMPILE_ALL_ON_LOAD)) return;
  chunk.code = `${COMPILE_ALL_ON_LOAD}\n${chunk.code}`;
  // One generated line more at the top: one empty line of mappings first.
  if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
  if (mapFile?.type === 'asset' && typeof mapFile.source === 'string') {
    const map = JSON.parse(mapFile.source) as { mappings: string };
    map.mappings = `;${map.mappings}`;
    mapFile.source = JSON.stringify(map);
  }
}
