import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { compileHints } from './scripts/compile-hints.ts';
import { precacheByRole } from './scripts/precache-by-role.ts';
import { precompress } from './scripts/precompress.ts';

const byRole = precacheByRole();

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'service-worker',
      filename: 'sw.ts',
      // The page registers the worker itself through workbox-window (src/app/service-worker.ts).
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // Reviewers' screens are cached on first use, not on every agent's phone.
        manifestTransforms: [byRole.leaveOutReviewersChunks],
      },
      manifest: {
        name: 'Couverture – relevés de couverture mobile',
        short_name: 'Couverture',
        description: 'Relever la couverture mobile sur le terrain, même sans réseau, pour le New Deal Mobile.',
        lang: 'fr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#003d7a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
    byRole.plugin,
    compileHints(),
    precompress(),
  ],
  // The grid's projection only, in the page and in both workers (scripts/proj4-laea.ts).
  resolve: { alias: [{ find: /^proj4$/, replacement: fileURLToPath(new URL('./scripts/proj4-laea.ts', import.meta.url)) }] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically in one chunk: on slow 3G each request costs
        // a 400 ms round trip, and a browser opens six connections at most, so seventeen small
        // chunks shared with lazy screens cost two more round trips than one chunk does (issue
        // 19). Lazy screens still get their own chunks, and reuse this one. valibot is not in
        // it (the first screen builds no schema: src/app/survey/reading-schema-on-demand.ts)
        // and gets a chunk named for it, shared by the screens that do.
        codeSplitting: {
          groups: [
            { name: 'first-screen', tags: ['$initial'] },
            { name: 'valibot', test: /node_modules[\\/]valibot[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
