import { afterEach, expect, it } from 'vitest';
import { openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: X-Frame-Options said SAMEORIGIN (helmet's default) while the Content-Security-Policy
 * said frame-ancestors 'none': a browser that knows only the older header would let a page of
 * the same origin frame the app (clickjacking from, say, an uploaded HTML file). Both now
 * refuse every frame: X-Frame-Options: DENY.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

it("X-Frame-Options says DENY, agreeing with frame-ancestors 'none'", async () => {
  server = await openTestApp(tempDir());
  for (const url of ['/', '/api/v1/health', '/api/v1/nothing']) {
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.headers['x-frame-options'], url).toBe('DENY');
    expect(response.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
  }
});
