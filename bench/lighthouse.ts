/**
 * `npx tsx bench/lighthouse.ts` (the last step of `npm run bench`): Lighthouse 12.2.3 (pinned:
 * 13 wants Node 22), its default mobile run (a mid-range phone, simulated slow 4G, CPU ÷4),
 * on the production build served by the real server on loopback, in Debian's Chromium
 * (CHROMIUM_PATH to use another; nothing is downloaded). For `/` (the sign-in screen a
 * first visit lands on) and `/#signaler` (the residents' page): the performance score and
 * the cumulative layout shift, beside issue 19's figures before the change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { buildProductionApp } from '../test/support/production-build.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Issue 19, measured on the main of the day with Lighthouse 12 mobile. */
const BEFORE: Record<string, { score: number; cls: number }> = { '/': { score: 96, cls: 0 }, '/#signaler': { score: 76, cls: 0.28 } };
const PAGES = ['/', '/#signaler'];

const workDir = await mkdtemp(join(tmpdir(), 'couverture-bench-lighthouse-'));
try {
  const dist = join(workDir, 'dist');
  await buildProductionApp(dist);
  const { startServer } = await import('../test/e2e/harness.ts');
  const server = await startServer({ staticDir: dist });
  try {
    console.log(`\nLighthouse 12.2.3, mobile (simulated slow 4G, CPU ÷4), ${CHROMIUM}, server on loopback\n`);
    console.log(
      `${'page'.padEnd(14)}${'performance'.padStart(12)}${'before'.padStart(8)}${'CLS'.padStart(8)}${'before'.padStart(8)}${'LCP'.padStart(9)}${'TBT'.padStart(8)}`,
    );
    for (const path of PAGES) {
      // A browser of its own per page (chrome-launcher gives each a fresh profile): in one tab,
      // the run after `/` saw its navigation to `/#signaler` as a change of hash, with no
      // navigation start to time (NO_NAVSTART), and the IndexedDB `/` left behind.
      const measure = async () => {
        const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
        const result = await lighthouse(`${server.url}${path}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance'],
        }).finally(() => chrome.kill());
        if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
        return result;
      };
      let result = await measure();
      // Now and then Lighthouse's own trace misses the navigation's start (NO_NAVSTART) and asks
      // to be run again: the page is, once, and the bench says so.
      if (result.lhr.runtimeError?.code === 'NO_NAVSTART') {
        console.log(`    ${path}: Lighthouse lost its trace (NO_NAVSTART), measured again`);
        result = await measure();
      }
      if (result.lhr.runtimeError) throw new Error(`Lighthouse could not measure ${path}: ${result.lhr.runtimeError.message}`);
      const { lhr } = result;
      const score = Math.round((lhr.categories.performance?.score ?? 0) * 100);
      const cls = lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN;
      const lcp = lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN;
      const tbt = lhr.audits['total-blocking-time']?.numericValue ?? Number.NaN;
      const before = BEFORE[path]!;
      console.log(
        `${path.padEnd(14)}${String(score).padStart(12)}${String(before.score).padStart(8)}${cls.toFixed(3).padStart(8)}${before.cls.toFixed(2).padStart(8)}${`${(lcp / 1000).toFixed(2)} s`.padStart(9)}${`${Math.round(tbt)} ms`.padStart(8)}`,
      );
      for (const shift of layoutShifts(lhr)) console.log(`    shift ${shift}`);
    }
    console.log();
  } finally {
    await server.close();
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

/** The elements Lighthouse blames for the layout shifts, to know what to fix. */
function layoutShifts(lhr: { audits: Record<string, { details?: unknown }> }): string[] {
  const details = lhr.audits['layout-shifts']?.details as { items?: { score?: number; node?: { snippet?: string; selector?: string } }[] } | undefined;
  return (details?.items ?? [])
    .slice(0, 5)
    .map((item) => `${(item.score ?? 0).toFixed(3)} ${item.node?.selector ?? ''} ${item.node?.snippet?.slice(0, 80) ?? ''}`);
}
