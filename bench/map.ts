/**
 * `npm run bench` (or `npx tsx bench/map.ts [N]`): the « Carte » screen with N server
 * readings (default 50,000) in headless Chromium, on the production build. Measures the time
 * from opening « Carte » to the clusters of every reading on screen, then the frame times
 * while a scripted loop pans the map (requestAnimationFrame deltas collected in the page,
 * median and p95), with Chrome DevTools Protocol Performance.getMetrics (layout, script and
 * task durations) around the panning. Zoomed out (clusters) and zoomed in (points).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildProductionApp } from '../test/support/production-build.ts';

const count = Number(process.argv[2] ?? process.env.BENCH_MAP_READINGS ?? 50_000);
if (!Number.isInteger(count) || count < 1) {
  console.error(`Readings to insert: expected a positive integer, got ${process.argv[2]}`);
  process.exit(1);
}

const workDir = await mkdtemp(join(tmpdir(), 'couverture-bench-map-'));
try {
  const dist = join(workDir, 'dist');
  await buildProductionApp(dist);

  const { startServer, launchPhone, createUser, openSignedIn, insertReadingCrowd } = await import('../test/e2e/harness.ts');
  const server = await startServer({ staticDir: dist });
  const desk = await launchPhone({ desktop: true });
  try {
    let t = performance.now();
    await insertReadingCrowd(server, count);
    console.log(`${count.toLocaleString('en-US')} readings inserted in ${Math.round(performance.now() - t)} ms`);
    const agent = await createUser(server);
    const page = await openSignedIn(desk.context, server.url, agent);

    t = performance.now();
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.waitForFunction(
      (expected) =>
        [...document.querySelectorAll<HTMLElement>('.reading-cluster')].reduce((sum, cluster) => sum + Number(cluster.dataset.count), 0) === expected,
      count,
      { timeout: 120_000 },
    );
    console.log(
      `First render, clusters of all ${count.toLocaleString('en-US')} readings on screen: ${Math.round(performance.now() - t)} ms after opening « Carte »`,
    );
    console.log(`Clusters drawn: ${await page.locator('.reading-cluster').count()}`);
    await panAndMeasure(page, 'zoomed out (clusters, zoom 9)');

    // Points: zoom in on the crowd until the server answers points.
    const box = (await page.getByRole('region', { name: 'Carte', exact: true }).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let zoom = 9; zoom < 14; zoom += 1) {
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await page.waitForTimeout(300);
    }
    await page.getByText(/relevés? du serveur dans la vue(?!, regroupés)/).waitFor({ timeout: 60_000 });
    console.log(`Zoomed in: ${await page.locator('.server-notice').textContent()}`);
    await panAndMeasure(page, 'zoomed in (points, zoom 14)');
  } finally {
    await desk.close();
    await server.close();
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

/** Pans the map by hand-sized steps for a few seconds, collecting every frame's duration in the page. */
async function panAndMeasure(page: Page, label: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = metrics(await cdp.send('Performance.getMetrics'));
  const box = (await page.getByRole('region', { name: 'Carte', exact: true }).boundingBox())!;
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const frames = [];
    window.__frames = frames;
    let last = performance.now();
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (window.__frames === frames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  // A hand's drag: mouse down, 40 small moves, up; back and forth so the view stays on the readings.
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let round = 0; round < 6; round += 1) {
    const direction = round % 2 === 0 ? 1 : -1;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let step = 1; step <= 40; step += 1) await page.mouse.move(cx + direction * step * 6, cy + direction * step * 3);
    await page.mouse.up();
  }
  const frames = (await page.evaluate('(() => { const collected = window.__frames; delete window.__frames; return collected.slice(1); })()')) as number[];
  const after = metrics(await cdp.send('Performance.getMetrics'));
  await cdp.detach();
  frames.sort((a, b) => a - b);
  const at = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))]!.toFixed(1);
  const delta = (name: string) => `${Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * 1000)} ms`;
  console.log(
    `Panning ${label}: ${frames.length} frames, median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; ` +
      `CDP: script ${delta('ScriptDuration')}, layout ${delta('LayoutDuration')}, style ${delta('RecalcStyleDuration')}, tasks ${delta('TaskDuration')}`,
  );
}

function metrics(answer: { metrics: { name: string; value: number }[] }): Record<string, number> {
  return Object.fromEntries(answer.metrics.map(({ name, value }) => [name, value]));
}
