import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Issue 19, repeat visit: the page's first Intl formatter loads the locale's data (about a
 * third of the first script's evaluation at CPU ÷4). The formatters of the first script's
 * modules are built when first used, not while the script is evaluated.
 */
const originals = { DateTimeFormat: Intl.DateTimeFormat, NumberFormat: Intl.NumberFormat };

/** Counts the formatters of `kind` built from now on (each still a real one). */
function countBuilt(kind: keyof typeof originals): { count: number } {
  const built = { count: 0 };
  const Original = originals[kind] as new (...args: unknown[]) => object;
  class Counting extends Original {
    constructor(...args: unknown[]) {
      super(...args);
      built.count += 1;
    }
  }
  Object.defineProperty(Intl, kind, { value: Counting, configurable: true, writable: true });
  return built;
}

describe('Intl formatters of the first script', () => {
  afterEach(() => {
    Object.assign(Intl, originals);
    vi.resetModules();
  });

  it('builds none while format.ts and describe-evidence.ts are evaluated', async () => {
    vi.resetModules();
    const dates = countBuilt('DateTimeFormat');
    const numbers = countBuilt('NumberFormat');
    await import('../../src/app/format.ts');
    await import('../../src/app/evidence/describe-evidence.ts');
    expect(dates.count).toBe(0);
    expect(numbers.count).toBe(0);
  });

  it('builds each on first use, once, and formats as before', async () => {
    vi.resetModules();
    const dates = countBuilt('DateTimeFormat');
    const numbers = countBuilt('NumberFormat');
    const { formatTime, formatDayRange } = await import('../../src/app/format.ts');
    const { formatKbps } = await import('../../src/app/evidence/describe-evidence.ts');
    const now = new Date();
    now.setHours(14, 5);
    expect(formatTime(now.getTime())).toBe('14:05');
    expect(formatTime(now.getTime())).toBe('14:05');
    expect(dates.count).toBe(1);
    expect(formatDayRange(new Date(2026, 4, 4), new Date(2026, 5, 18))).toBe('du 4 mai au 18 juin 2026');
    expect(formatKbps(2400)).toBe('2,4 Mbit/s');
    expect(formatKbps(85)).toBe('85 kbit/s');
    expect(formatKbps(1200)).toBe('1,2 Mbit/s');
    expect(numbers.count).toBe(2);
  });
});
